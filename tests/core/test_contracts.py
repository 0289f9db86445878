"""core.contracts on its own: a portfolio row's schedule terms worked by hand, and the newest day a
figure of the libraries was public (a report's "figures to" date)."""

from __future__ import annotations

import datetime as dt
import math
from importlib import resources

import pandas as pd
import pytest

from core.contracts import library_contracts, newest_public_day, scheduled_revenue

_ROW = {
    "deal": "X–Y",
    "provider": "X",
    "customer": "Y",
    "value": 10.0,
    "start": "2026-01-01",
    "term_years": 2,
}


@pytest.mark.parametrize("blank", [None, math.nan])
def test_a_row_with_blank_terms_is_a_straight_line_fully_realised(blank):
    # An analyst's own row beside library rows in one table has blank (None or NaN) schedule terms:
    # $10B over 2026-01-01 .. 2027-12-31 (730 days) on a straight line, all of it realised: 5 a year.
    row = {**_ROW, **dict.fromkeys(("profile", "realisation", "delay_days", "delay_mode", "full_at"), blank)}
    revenue = scheduled_revenue(row)
    assert revenue.to_dict() == pytest.approx({2026: 10 * 365 / 730, 2027: 10 * 365 / 730})


def test_realisation_scales_revenue_and_contractual_ignores_it():
    # 80% realised: 4 a year; the contractual commitment is still 5 a year.
    row = {**_ROW, "realisation": 0.8}
    assert scheduled_revenue(row).to_dict() == pytest.approx({2026: 4.0, 2027: 4.0})
    assert scheduled_revenue(row, contractual=True).to_dict() == pytest.approx({2026: 5.0, 2027: 5.0})


@pytest.mark.parametrize(("day", "listed"), [("2026-02-26", False), ("2026-02-27", True)])
def test_a_deal_is_in_the_library_from_the_day_it_was_announced(day, listed):
    # The AWS–OpenAI expansion was announced 2026-02-27 ($62B, 8 years from 2026-01-01).
    contracts = library_contracts(dt.date.fromisoformat(day)).set_index("deal")
    assert ("AWS–OpenAI expansion" in contracts.index) is listed
    assert "AWS–OpenAI" in contracts.index
    if listed:
        assert (
            contracts.loc["AWS–OpenAI expansion", "value"],
            contracts.loc["AWS–OpenAI expansion", "term_years"],
        ) == (
            62.0,
            8.0,
        )


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
