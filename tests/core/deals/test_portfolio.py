"""A customer's portfolio from the deal library: its commitments, and every filled start or term
flagged as an analyst assumption."""

from __future__ import annotations

import datetime as dt

import pytest

from core.deals import (
    PORTFOLIO_COLUMNS,
    default_portfolio,
    load_deals,
)
from core.validation import DealDeskInputError
from tests.core.deals.cases import CW, _one_deal


def test_openai_portfolio_holds_its_disclosed_purchase_commitments():
    p = default_portfolio("OpenAI")
    assert list(p.columns) == list(PORTFOLIO_COLUMNS)
    # AWS $38B + its expansion $62B + Microsoft $250B + Oracle $300B + CoreWeave $11.9B + $4B + $6.5B = $672.4B.
    assert p["deal"].tolist() == [
        "AWS–OpenAI",
        "AWS–OpenAI expansion",
        "Microsoft–OpenAI",
        "Oracle–OpenAI",
        *CW,
    ]
    assert p["value"].sum() == pytest.approx(672.4)


def test_openai_portfolio_leaves_out_the_investment_and_the_undisclosed():
    names = set(default_portfolio("OpenAI")["deal"])
    # Nvidia: non-binding investment; AMD and Broadcom: value not disclosed.
    assert names.isdisjoint({"Nvidia–OpenAI", "AMD–OpenAI", "Broadcom–OpenAI"})


def test_filled_starts_and_terms_are_flagged_as_assumptions():
    p = default_portfolio("OpenAI").set_index("deal")
    assert not p.loc["AWS–OpenAI", ["start_assumed", "term_assumed"]].any()
    assert p.loc["AWS–OpenAI", "assumption"] == ""
    ms = p.loc["Microsoft–OpenAI"]
    assert ms["start"] == dt.date(2025, 10, 28) and ms["term_years"] == 5.0
    assert ms["start_assumed"] and ms["term_assumed"]
    assert "term assumed 5 years (not disclosed)" in ms["assumption"]
    oracle = p.loc["Oracle–OpenAI"]
    assert (
        oracle["start"] == dt.date(2027, 1, 1) and not oracle["start_assumed"] and not oracle["term_assumed"]
    )


def test_default_term_is_an_explicit_parameter():
    p = default_portfolio("OpenAI", default_term_years=8).set_index("deal")
    assert p.loc["Microsoft–OpenAI", "term_years"] == 8.0
    assert p.loc["AWS–OpenAI", "term_years"] == 7.0  # a stated term is never overridden


def test_statuses_and_kinds_filter_the_portfolio():
    no_unconfirmed = default_portfolio("openai", exclude_statuses=("non-binding", "unconfirmed"))
    assert "Oracle–OpenAI" not in set(no_unconfirmed["deal"])
    investments = default_portfolio("OpenAI", kinds=("investment",), exclude_statuses=())
    assert investments["deal"].tolist() == ["Nvidia–OpenAI"]


def test_a_stated_end_gives_the_term_in_whole_months():
    # Meta–CoreWeave: no start, announced 2025-09-30, "to Dec 2031": 2025-09-30 .. 2031-12-31
    # is 2284 days ≈ 75.04 months -> 75 months = 6.25 years.
    p = default_portfolio("Meta").set_index("deal")
    assert p.loc["Meta–CoreWeave", "term_years"] == 6.25
    assert "stated end 2031-12-31" in p.loc["Meta–CoreWeave", "assumption"]


def test_portfolio_errors_name_the_argument():
    with pytest.raises(
        DealDeskInputError,
        match="customer must be one of 'Anthropic', 'Meta', 'Microsoft', 'OpenAI'; got 'xAI'",
    ):
        default_portfolio("xAI")
    with pytest.raises(DealDeskInputError, match="default_term_years must be a number > 0"):
        default_portfolio("OpenAI", default_term_years=0)
    with pytest.raises(DealDeskInputError, match="default_term_years must be a whole number of months"):
        default_portfolio("OpenAI", default_term_years=5.01)
    with pytest.raises(DealDeskInputError, match="exclude_statuses must hold only"):
        default_portfolio("OpenAI", exclude_statuses=("maybe",))
    with pytest.raises(
        DealDeskInputError, match="kinds must hold only 'cloud compute', 'chips', 'investment'"
    ):
        default_portfolio("OpenAI", kinds="cloud")


# --------------------------------------------------------------------------- rules at their boundaries


def test_a_portfolio_term_from_stated_dates_is_rounded_to_whole_months():
    # Rule: with no stated term, start .. stated end in whole months, nearest: 2026-01-01 to
    # 2026-02-20 is 51 days = 51 / (365.25 / 12) = 1.68 months -> 2 months (2/12 years).
    library = _one_deal(term_years="", start="2026-01-01", end="2026-02-20")
    row = default_portfolio("OpenAI", deals=load_deals(library)).iloc[0]
    assert row["term_years"] == pytest.approx(2 / 12)
    assert row["term_assumed"]
    # An end on the start day gives no span to measure: the default term is used, and said.
    library = _one_deal(term_years="", start="2026-01-01", end="2026-01-01")
    row = default_portfolio("OpenAI", deals=load_deals(library), default_term_years=5).iloc[0]
    assert row["term_years"] == 5
    assert "term assumed 5 years (not disclosed)" in row["assumption"]


def test_the_span_to_a_stated_end_counts_the_end_day_itself():
    # 2026-01-01 .. 2027-01-16 holds 381 days counting both ends (380 between them): 381 / 30.4375 =
    # 12.517 months -> 13 months, where 380 days would give 12.485 -> 12: the end day is a contract day.
    library = _one_deal(term_years="", start="2026-01-01", end="2027-01-16")
    assert default_portfolio("OpenAI", deals=load_deals(library)).iloc[0]["term_years"] == pytest.approx(
        13 / 12
    )
    library = _one_deal(term_years="", start="2026-01-01", end="2027-01-15")  # 380 days -> 12.485 -> 12
    assert default_portfolio("OpenAI", deals=load_deals(library)).iloc[0]["term_years"] == pytest.approx(1.0)


@pytest.mark.parametrize("customer", [5, None, "", "   "])
def test_a_portfolio_needs_a_customer_name(customer):
    with pytest.raises(DealDeskInputError, match=r"^customer must be a customer name such as 'OpenAI', got "):
        default_portfolio(customer)
