"""The customers' later-reported figures in the company library: OpenAI's and Anthropic's run-rates,
quarters and projections, each with its period, public day, confidence and flags as the reporting gives them.

Every expected figure is written here from its source (named in the comment beside it), never read back
from the library.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from core.companies import company, load_companies
from core.validation import DealDeskInputError

D = dt.date


def _row(name: str, field: str, as_of: str) -> pd.Series:
    table = load_companies()
    rows = table[
        (table["company"] == name) & (table["field"] == field) & (table["as_of"] == D.fromisoformat(as_of))
    ]
    assert len(rows) == 1, (name, field, as_of, len(rows))
    return rows.iloc[0]


def _check(
    row: pd.Series, value: float, period: str, reported: str, confidence: str, flags: str = ""
) -> None:
    assert (row["value"], row["period"], row["reported"], row["confidence"], row["flags"]) == (
        value,
        period,
        D.fromisoformat(reported),
        confidence,
        flags,
    )


# --------------------------------------------------------------------------- Anthropic


def test_anthropics_first_recognised_quarter_and_its_q2_projection():
    # Q1-26 recognised revenue $4.8B; Q2-26 projected >$10.9B with a first quarterly operating profit
    # ~$559M (WSJ / Reuters via AsiaICT 2026-05-29; that source rated low, the Nov-2025 projection medium).
    q1 = _row("Anthropic", "quarter_revenue", "2026-03-31")
    _check(q1, 4.8, "Q1 2026 (recognised)", "2026-05-29", "low")
    q2 = _row("Anthropic", "quarter_revenue_target", "2026-06-30")
    _check(q2, 10.9, "Q2 2026 (projection)", "2026-05-29", "low")
    assert "more than $10.9B (a lower bound" in q2["note"] and "~$559M" in q2["note"]
    # A quarter's projection is not an annual target: the 2026 target is still Nov-2025's $15.2B.
    targets = company("Anthropic").values("revenue_target")
    assert [(t.as_of, t.value) for t in targets] == [
        (D(2026, 12, 31), 15.2),
        (D(2027, 12, 31), 38.9),
        (D(2028, 12, 31), 70.0),
    ]


@pytest.mark.parametrize(
    ("as_of", "value", "period", "reported", "confidence", "flags"),
    [
        # Run-rate by date (GuruFocus 2025-10-24; Prosperiax; Guardian via DiscoverHeadlines 2026-02;
        # AINews IntentMesh; AIforAutomation 2026-05-16; AsiaICT 2026-05-29; TechCrunch via 24AIGlobal):
        # medium for 2025, low–medium for 2026 (held at low). ~$1B at the start of 2025 was stated later:
        # public by the earliest dated source, 2025-10-24.
        ("2025-01-01", 1.0, "start of 2025", "2025-10-24", "medium", ""),
        ("2025-08-31", 5.0, "Aug 2025", "2025-08-31", "medium", ""),
        ("2025-10-31", 7.0, "Oct 2025", "2025-10-31", "medium", ""),
        ("2025-12-31", 9.0, "Dec 2025", "2025-12-31", "medium", ""),
        ("2026-02-28", 14.0, "Feb 2026", "2026-02-28", "low", ""),
        # ~$19–20B: the range's midpoint, flagged derived (the library's way with a range).
        ("2026-03-31", 19.5, "Mar 2026", "2026-03-31", "low", "derived"),
        ("2026-04-07", 30.0, "told staff 2026-04-07", "2026-04-07", "low", ""),
        # $44B / $45B / $47B among outlets: conflict; ~$44–47B held as its midpoint.
        ("2026-05-31", 45.5, "Apr–May 2026", "2026-05-31", "low", "conflict; derived"),
    ],
)
def test_anthropics_run_rate_by_date(as_of, value, period, reported, confidence, flags):
    row = _row("Anthropic", "run_rate_revenue", as_of)
    _check(row, value, period, reported, confidence, flags)
    assert row["unit"] == "US$ bn"


def test_anthropics_run_rates_keep_the_ranges_the_method_and_the_net_argument_in_their_notes():
    assert "midpoint of ~$19–20B" in _row("Anthropic", "run_rate_revenue", "2026-03-31")["note"]
    latest = _row("Anthropic", "run_rate_revenue", "2026-05-31")["note"]
    assert "$44B, $45B and $47B: conflict" in latest and "midpoint of ~$44–47B" in latest
    # Reuters Breakingviews 2026-03-10: last 28 days × 13 plus subscriptions × 12; OpenAI: ~$22B net.
    staff = _row("Anthropic", "run_rate_revenue", "2026-04-07")["note"]
    assert "last 28 days × 13 + subscriptions × 12" in staff and "~$22B net of cloud-platform fees" in staff


def test_a_run_rate_is_not_recognised_revenue():
    # The path reads "revenue" only: Anthropic's one annual figure is still the Nov-2025 projection of 2025.
    anthropic = company("Anthropic")
    assert [(f.period, f.value) for f in anthropic.values("revenue")] == [("2025 (projection)", 4.7)]
    assert len(anthropic.values("run_rate_revenue")) == 8


# --------------------------------------------------------------------------- OpenAI


@pytest.mark.parametrize(
    ("as_of", "value", "period", "reported", "confidence", "flags"),
    [
        # CFO Friar's blog (2026-01-18; via AIPressa/Glance): ~$2B (2023) → ~$6B (2024) → >$20B (2025), high.
        ("2023-12-31", 2.0, "2023 (annualised)", "2026-01-18", "high", ""),
        ("2024-12-31", 6.0, "2024 (annualised)", "2026-01-18", "high", ""),
        ("2025-12-31", 20.0, "end-2025 (exit rate)", "2026-01-18", "high", ""),
        # $25B (aiforautomation.io 2026-03-29, low) against >$2B a month (~$24B; round announcement via
        # mungomash.com 2026-03-31, medium): a conflict, both kept.
        ("2026-03-29", 25.0, "Feb–Mar 2026", "2026-03-29", "low", "conflict"),
        ("2026-03-31", 24.0, "Mar 2026 (>$2B a month × 12)", "2026-03-31", "medium", "conflict; derived"),
    ],
)
def test_openais_annualised_revenue_path(as_of, value, period, reported, confidence, flags):
    _check(_row("OpenAI", "run_rate_revenue", as_of), value, period, reported, confidence, flags)


def test_openais_q1_26_adjusted_margin_is_its_own_kind():
    # Q1-26 adjusted operating margin −122% (AsiaICT 2026-05-29; TheDailyScout), low: below −100%, so
    # outside a GAAP margin's range, and adjusted, so never a quarter_operating_margin.
    row = _row("OpenAI", "quarter_adjusted_operating_margin", "2026-03-31")
    _check(row, -1.22, "Q1 2026 (adjusted)", "2026-05-29", "low")
    assert row["unit"] == "fraction"
    assert company("OpenAI").values("quarter_operating_margin") == []


def test_openais_figures_already_held_are_unchanged():
    # 2025 recognised $13.1B (CNBC/Reuters via fintool.com 2026-02-20); 2026 ~$30B and 2027 ~$62B
    # (altcoinbeat, unconfirmed, low); the $122B round at $852B post-money (2026-03-31).
    _check(_row("OpenAI", "revenue", "2025-12-31"), 13.1, "2025", "2026-02-20", "medium")
    assert _row("OpenAI", "revenue_target", "2026-12-31")["flags"] == "unconfirmed"
    assert "$852B post-money" in _row("OpenAI", "funding_raised", "2026-03-31")["note"]


def test_a_run_rate_or_a_quarters_projection_must_give_the_day_it_was_public():
    table = load_companies()
    for field in ("run_rate_revenue", "quarter_revenue_target"):
        row = table[(table["company"] == "Anthropic") & (table["field"] == field)].index[0]
        raw = table.astype(object).where(table.notna(), "").astype(str)
        raw.loc[row, "reported"] = ""
        with pytest.raises(
            DealDeskInputError,
            match=rf"^company 'Anthropic', field '{field}': reported must be the day the figure was published "
            r"\(its source's date; a forward-looking figure or a run-rate has no reporting lag\), got ''$",
        ):
            load_companies(raw)


def test_openais_april_2025_projections():
    # The Information via AInvest/Battelle (Apr 2025, a month read as its last day): $125B (2029) and $174B
    # (2030), medium.
    _check(
        _row("OpenAI", "revenue_target", "2029-12-31"),
        125.0,
        "2029 (projection, Apr 2025)",
        "2025-04-30",
        "medium",
    )
    april = [f for f in company("OpenAI").values("revenue_target") if f.reported == D(2025, 4, 30)]
    assert [(f.as_of, f.value) for f in april] == [(D(2029, 12, 31), 125.0), (D(2030, 12, 31), 174.0)]
