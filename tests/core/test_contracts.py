"""core.contracts: the newest day a figure of the libraries was public (a report's "figures to" date)."""

from __future__ import annotations

import datetime as dt
from importlib import resources

import pandas as pd

from core.contracts import newest_public_day


def _shipped(name: str) -> pd.DataFrame:
    with resources.files("core").joinpath("data", name).open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)


def test_newest_public_day_is_the_latest_report_or_announcement():
    # The company library's newest reporting date is 2026-07-01 (OpenAI's 2026 and 2027 projections,
    # altcoinbeat); the deal library's newest announcement is 2026-05-05 (Anthropic's Google Cloud
    # commitment, The Information). The later of the two.
    assert newest_public_day() == dt.date(2026, 7, 1)


def test_a_later_announcement_or_report_moves_it_and_a_blank_date_does_not():
    deals, companies = _shipped("deals.csv"), _shipped("companies.csv")
    later_deal = deals.copy()
    later_deal.loc[0, "announced"] = "2026-09-30"
    assert newest_public_day(deals=later_deal) == dt.date(2026, 9, 30)
    later_report = companies.copy()
    later_report.loc[1, "reported"] = "2026-08-14"
    assert newest_public_day(companies=later_report) == dt.date(2026, 8, 14)
    # Dated earlier, the two 2026-07-01 projections give way to the next newest: Oracle's FY2026 8-K
    # (revenue and RPO, 2026-06-10).
    earlier = companies.copy()
    earlier.loc[earlier["reported"] == "2026-07-01", "reported"] = "2026-01-02"
    assert newest_public_day(companies=earlier) == dt.date(2026, 6, 10)
