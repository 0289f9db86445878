"""Counterparty: the customer's revenue path against all of its commitments."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.counterparty import (
    COVERAGE_COLUMNS,
    commitment_schedule,
    counterparty_coverage,
    coverage,
    customer_revenue_path,
    required_cagr,
)
from core.deals import default_portfolio
from core.validation import DealDeskInputError

# --------------------------------------------------------------------------- golden: the brief


def test_openai_must_grow_about_14x_by_2027():
    # Brief item 7: OpenAI revenue ~$3.5B -> ~$50B by 2027, "about 14x": 50 / 3.5 = 14.29.
    # Over 2025 -> 2027 (two years): sqrt(14.2857) = 3.7796 -> 277.96% a year.
    growth = required_cagr(3.5, 50, years=2)
    assert growth == pytest.approx(np.sqrt(50 / 3.5) - 1)
    assert round(growth, 4) == 2.7796
    assert (1 + growth) ** 2 == pytest.approx(14.2857, abs=1e-4)


def test_revenue_path_is_geometric_between_start_and_target():
    # 3.5 × 3.7796 = 13.2288 in 2026; 50 in 2027 (brief item 7).
    path = customer_revenue_path(3.5, 50, start_year=2025, target_year=2027)
    assert path.index.tolist() == [2025, 2026, 2027]
    assert path.name == "revenue" and path.index.name == "year"
    np.testing.assert_allclose(path.to_numpy(), [3.5, 3.5 * np.sqrt(50 / 3.5), 50.0])


def test_revenue_after_the_target_follows_growth_after():
    # Default: flat at the target (the brief gives no path beyond 2027); 10% a year if asked.
    flat = customer_revenue_path(3.5, 50, start_year=2025, target_year=2027, years=[2028, 2029])
    assert flat.tolist() == [50.0, 50.0]
    grown = customer_revenue_path(
        3.5, 50, start_year=2025, target_year=2027, years=[2028, 2029], growth_after=0.1
    )
    np.testing.assert_allclose(grown.to_numpy(), [55.0, 60.5])


def test_revenue_before_the_start_is_back_cast_on_the_same_path():
    path = customer_revenue_path(10, 40, start_year=2025, target_year=2027, years=[2024])
    # g = sqrt(4) = 2, so 2024 = 10 / 2.
    assert path.loc[2024] == pytest.approx(5.0)


def test_commitments_of_the_openai_portfolio_by_year():
    spend = commitment_schedule(default_portfolio("OpenAI")).set_index("year")
    # AWS–OpenAI straight line: 2026 holds 365 of 2557 days -> 38 × 365 / 2557 = 5.4243.
    assert spend.loc[2026, "AWS–OpenAI"] == pytest.approx(38 * 365 / 2557)
    # Oracle–OpenAI: $300B over 5 years from 2027-01-01 (1826 days): 2027 = 300 × 365 / 1826.
    assert spend.loc[2027, "Oracle–OpenAI"] == pytest.approx(300 * 365 / 1826)
    assert spend.loc[2026, "Oracle–OpenAI"] == 0.0
    # Every deal is spent in full: 38 + 62 (the AWS expansion, to 2033) + 250 + 300 + 11.9 + 4 + 6.5 = 672.4.
    assert spend["commitments"].sum() == pytest.approx(672.4)
    assert spend.index.tolist() == list(range(2025, 2034))


def test_openai_coverage_table_with_the_brief_path():
    table = counterparty_coverage(3.5, 50, start_year=2025, target_year=2027).set_index("year")
    assert list(table.reset_index().columns) == COVERAGE_COLUMNS

    # 2027: revenue 50 (brief). Each contract on its own report's schedule: a linear ramp from 0 to full
    # run-rate 423 days after its start (the reference ramp), 92.5% realised. With x_f = 423 ÷ N, the
    # cumulative share is x²/(2 x_f) on the ramp and x − x_f/2 after it, over the norm 1 − x_f/2.
    # AWS (2025-11-03, N 2557), Microsoft (2025-10-28, N 1826) and CoreWeave's three (2025-03-01, 2025-05-01
    # and 2025-09-25, N 1826 each; the last ramp ends 2026-11-22) are past their ramp for all of 2027: 365 ÷ N ÷ norm each. Oracle (from 2027-01-01, N 1826) is on its ramp all
    # year: (365/1826)² ÷ (2 × 423/1826) ÷ norm.
    def after_ramp(n: int) -> float:
        return 365 / n / (1 - 423 / n / 2)

    oracle = (365 / 1826) ** 2 / (2 * 423 / 1826) / (1 - 423 / 1826 / 2)
    # The AWS expansion ($62B from 2026-01-01, N 2922) leaves its ramp on day 423 of days 365..729 of 2027:
    # F(730/N) − F(365/N) = ((730 − 423/2) − 365²/(2 × 423)) ÷ N ÷ norm.
    expansion = ((730 - 423 / 2) - 365**2 / (2 * 423)) / 2922 / (1 - 423 / 2922 / 2)
    expected = 0.925 * (
        38 * after_ramp(2557) + (250 + 11.9 + 4 + 6.5) * after_ramp(1826) + 300 * oracle + 62 * expansion
    )
    assert table.loc[2027, "commitments"] == pytest.approx(expected)
    assert table.loc[2027, "coverage_ratio"] == pytest.approx(50 / expected)
    assert table.loc[2027, "funding_gap"] == pytest.approx(expected - 50)
    # Even at the $50B target, revenue covers little more than half of 2027's expected spend.
    assert table.loc[2027, "coverage_ratio"] < 0.6


def test_a_portfolio_can_be_given_instead_of_the_library():
    deals = [{"deal": "only", "value": 20, "start": "2025-01-01", "term_years": 2}]
    table = counterparty_coverage(5, 20, start_year=2025, target_year=2026, portfolio=deals)
    # 2025 and 2026 are 365-day years: $10B a year against revenue 5 then 20.
    assert table["coverage_ratio"].tolist() == pytest.approx([0.5, 2.0])
    assert table["required_growth"].tolist() == pytest.approx([1.0, -0.5])


def test_years_without_commitments_are_left_out():
    spend = pd.Series([0.0, 10.0], index=[2025, 2026])
    table = coverage(pd.Series([1.0, 2.0], index=[2025, 2026]), spend)
    assert table["year"].tolist() == [2026]


# --------------------------------------------------------------------------- identities


portfolios = st.lists(
    st.fixed_dictionaries(
        {
            "value": st.floats(0.5, 500),
            "start": st.dates(dt.date(2024, 1, 1), dt.date(2028, 12, 31)),
            "term_years": st.integers(1, 8),
        }
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=30, deadline=None)
@given(portfolios)
def test_commitments_sum_to_the_portfolio_value(deals):
    spend = commitment_schedule(deals)
    assert spend["commitments"].sum() == pytest.approx(sum(d["value"] for d in deals))
    years = spend["year"].to_numpy()
    assert (np.diff(years) == 1).all()


@settings(max_examples=30, deadline=None)
@given(
    portfolios,
    st.floats(0.5, 20),
    st.floats(1.0, 40),
    st.floats(-0.2, 0.5),
)
def test_coverage_identities_hold_row_by_row(deals, start_revenue, multiple, growth_after):
    table = counterparty_coverage(
        start_revenue,
        start_revenue * multiple,
        start_year=2025,
        target_year=2027,
        portfolio=deals,
        growth_after=growth_after,
    )
    # coverage ratio × commitments = revenue; revenue × (1 + required growth) = commitments;
    # funding gap = commitments − revenue.
    np.testing.assert_allclose(table["coverage_ratio"] * table["commitments"], table["revenue"], rtol=1e-12)
    # required growth = commitments / revenue − 1 loses digits to cancellation when the two
    # are close, so the round trip holds to 1e-9, not to the last bit.
    np.testing.assert_allclose(
        table["revenue"] * (1 + table["required_growth"]), table["commitments"], rtol=1e-9
    )
    np.testing.assert_allclose(
        table["funding_gap"], table["commitments"] - table["revenue"], rtol=1e-12, atol=1e-12
    )
    assert table["coverage_ratio"].gt(0).all()


@settings(max_examples=20, deadline=None)
@given(portfolios, st.floats(0.1, 10))
def test_scaling_every_commitment_scales_coverage_inversely(deals, factor):
    base = counterparty_coverage(3.5, 50, start_year=2025, target_year=2027, portfolio=deals)
    scaled_deals = [{**d, "value": d["value"] * factor} for d in deals]
    scaled = counterparty_coverage(3.5, 50, start_year=2025, target_year=2027, portfolio=scaled_deals)
    np.testing.assert_allclose(scaled["coverage_ratio"] * factor, base["coverage_ratio"], rtol=1e-9)


# --------------------------------------------------------------------------- errors


def test_revenue_path_errors_name_the_argument():
    with pytest.raises(DealDeskInputError, match="target_year must be after start_year \\(2027\\), got 2025"):
        customer_revenue_path(3.5, 50, start_year=2027, target_year=2025)
    with pytest.raises(DealDeskInputError, match="start_revenue must be a number > 0, got 0"):
        customer_revenue_path(0, 50, start_year=2025, target_year=2027)
    with pytest.raises(DealDeskInputError, match="years must be a whole number, got 2025.5"):
        customer_revenue_path(3.5, 50, start_year=2025, target_year=2027, years=[2025.5])
    with pytest.raises(DealDeskInputError, match="growth_after must be a number > -1"):
        customer_revenue_path(3.5, 50, start_year=2025, target_year=2027, growth_after=-1)
    with pytest.raises(DealDeskInputError, match="years must be a number > 0, got 0"):
        required_cagr(3.5, 50, years=0)


def test_coverage_needs_revenue_for_every_commitment_year():
    spend = pd.Series([10.0, 10.0, 10.0], index=[2025, 2026, 2027])
    with pytest.raises(
        DealDeskInputError,
        match="revenue_path must cover every commitment year \\(2025..2027\\); missing 2027",
    ):
        coverage(pd.Series([1.0, 2.0], index=[2025, 2026]), spend)
    with pytest.raises(DealDeskInputError, match="revenue_path must be positive numbers"):
        coverage(pd.Series([1.0, 0.0, 2.0], index=[2025, 2026, 2027]), spend)
    with pytest.raises(DealDeskInputError, match="commitments must be finite numbers >= 0"):
        coverage(pd.Series([1.0], index=[2025]), pd.Series([-1.0], index=[2025]))
    with pytest.raises(DealDeskInputError, match="commitments must be positive in at least one year"):
        coverage(pd.Series([1.0], index=[2025]), pd.Series([0.0], index=[2025]))


def test_portfolio_errors_name_the_deal():
    with pytest.raises(DealDeskInputError, match="portfolio deal 'bad': value must be a number >= 0, got -5"):
        commitment_schedule([{"deal": "bad", "value": -5, "start": "2025-01-01", "term_years": 2}])
    with pytest.raises(
        DealDeskInputError, match="portfolio row 1 must have value, start and term_years; missing term_years"
    ):
        commitment_schedule([{"value": 5, "start": "2025-01-01"}])
    with pytest.raises(DealDeskInputError, match="portfolio must hold at least one deal"):
        commitment_schedule([])
    with pytest.raises(DealDeskInputError, match="portfolio deal names must be unique, got 'x' twice"):
        commitment_schedule([{"deal": "x", "value": 1, "start": "2025-01-01", "term_years": 1}] * 2)


def test_counterparty_coverage_refuses_an_unknown_customer():
    with pytest.raises(DealDeskInputError, match="customer must be one of .*got 'xAI'"):
        counterparty_coverage(3.5, 50, start_year=2025, target_year=2027, customer="xAI")


def test_extreme_revenue_is_refused_rather_than_overflowing():
    # A revenue path that overflows a float, or a coverage ratio that does, is an input error.
    with pytest.raises(
        DealDeskInputError, match="start_revenue, target_revenue and growth_after are too extreme"
    ):
        customer_revenue_path(1, 1e300, start_year=2025, target_year=2026, years=[2100], growth_after=100)
    with pytest.raises(
        DealDeskInputError, match="start_revenue and target_revenue are too far apart for 1 years"
    ):
        required_cagr(1e-300, 1e300, years=1)
    with pytest.raises(
        DealDeskInputError, match="start_revenue and target_revenue against the commitments: .*overflows"
    ):
        counterparty_coverage(2.3e-308, 2.3e-308, start_year=2025, target_year=2026)
    # Subnormal revenue counts as 0, which the revenue rule refuses before anything divides by it.
    with pytest.raises(DealDeskInputError, match=r"start_revenue must be a number > 0, got 5e-324"):
        counterparty_coverage(5e-324, 1e-320, start_year=2025, target_year=2026)


def test_revenue_path_target_year_equal_to_start_year_is_refused():
    # Rule: target_year must be strictly after start_year; the equal year is the boundary
    # and gets the same message as an earlier one.
    with pytest.raises(DealDeskInputError, match=r"target_year must be after start_year \(2025\), got 2025"):
        customer_revenue_path(3.5, 50, start_year=2025, target_year=2025)
    assert customer_revenue_path(3.5, 50, start_year=2025, target_year=2026).tolist() == pytest.approx(
        [3.5, 50.0]
    )


def test_a_commitments_table_needs_year_and_commitments_columns():
    with pytest.raises(
        DealDeskInputError,
        match=r"^commitments must be a Series indexed by year or a table with year and commitments columns, "
        r"got columns \['yr', 'c'\]$",
    ):
        coverage(pd.Series([50.0], index=[2027]), pd.DataFrame({"yr": [2027], "c": [5.0]}))
    # With the right columns: 50 of revenue against 5 of commitments covers 10 times.
    table = coverage(pd.Series([50.0], index=[2027]), pd.DataFrame({"year": [2027], "commitments": [5.0]}))
    assert table["coverage_ratio"].tolist() == [10.0]


@pytest.mark.parametrize("bad", ["AWS–OpenAI", {"deal": "AWS–OpenAI", "value": 38.0}, 38.0])
def test_a_portfolio_that_is_not_a_table_of_rows_is_refused(bad):
    with pytest.raises(
        DealDeskInputError,
        match=r"^portfolio must be a table \(DataFrame or list of rows\) with deal, value, start, "
        r"term_years, got ",
    ):
        commitment_schedule(bad)
