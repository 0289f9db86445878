"""The line on every report page that says where a library deal's inputs come from, as of the report's day.

A report built ``--as-of`` a past day runs on the inputs public then (``deal_terms(..., as_of=day)``);
its source line must list the analyst defaults of that day, not today's. Expected values come from
the company library's rows: OpenAI's 2024 revenue ($3.7B, The Information) is dated as reported
2025-09-30, so on the CoreWeave–OpenAI (May-25) signing day (2025-05-01) it was not yet public and the
customer's revenue today is an analyst default; once reported it is a library figure.
"""

from __future__ import annotations

import datetime as dt

from core.deals import deal_assumptions
from workbook.sources import source_note

DEAL = "CoreWeave–OpenAI (May-25)"


def _defaults(note: str) -> list[str]:
    return note.split("analyst defaults: ", 1)[1].split("; ")[0].split(", ")


def test_a_past_days_note_lists_that_days_analyst_defaults() -> None:
    signing = dt.date(2025, 5, 1)
    note = source_note(deal_assumptions(DEAL, as_of=signing), deal=DEAL, as_of=signing)
    assert "Customer revenue today" in _defaults(note)
    assert "Customer revenue year" in _defaults(note)
    assert note.endswith("figures public on 2025-05-01")


def test_the_day_after_the_revenue_was_reported_it_is_no_longer_a_default() -> None:
    reported = dt.date(2025, 9, 30)
    note = source_note(deal_assumptions(DEAL, as_of=reported), deal=DEAL, as_of=reported)
    assert "Customer revenue today" not in _defaults(note)
    before = reported - dt.timedelta(days=1)
    assert "Customer revenue today" in _defaults(
        source_note(deal_assumptions(DEAL, as_of=before), deal=DEAL, as_of=before)
    )


def test_without_a_day_the_note_is_todays() -> None:
    assert "Customer revenue today" not in _defaults(source_note(deal_assumptions(DEAL), deal=DEAL))
