"""Valuation: the announcement's event study and the sum-of-the-parts threshold test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.validation import DealDeskInputError
from core.valuation import (
    SOTP_COLUMNS,
    abnormal_return,
    event_study,
    market_value_path,
    prior_close,
    sum_of_parts,
    threshold_test,
    value_added,
)

AMAZON_SHARES = 10_690_216_011  # Q3 2025 10-Q cover, 2025-10-22 (FACTS)

# --------------------------------------------------------------------------- golden: the brief


def test_prior_close_from_the_pre_market_move():
    # Brief: Amazon +5.8% pre-market at $258.38, implied prior close $244.22:
    # 258.38 / 1.058 = 244.2155... -> 244.22.
    close = prior_close(258.38, 0.058)
    assert close == pytest.approx(244.2155009, abs=1e-7)
    assert round(close, 2) == 244.22
    assert isinstance(close, float)


def test_value_added_by_the_announcement():
    # (258.38 − 244.2155) = 14.1645 per share × 10,690,216,011 shares = $151.42B.
    added = value_added(258.38 / 1.058, 258.38, AMAZON_SHARES)
    assert added == pytest.approx(14.1644991 * AMAZON_SHARES, rel=1e-8)
    assert round(added / 1e9, 2) == 151.42


def test_event_study_of_aws_openai():
    e = event_study(258.38, move=0.058, shares=AMAZON_SHARES, contract_value=38)
    assert round(e["prior_close"], 2) == 244.22  # the brief
    assert e["stock_return"] == pytest.approx(0.058)
    # Market value before: 244.2155 × 10.690B = $2,610.7B; after: 258.38 × 10.690B = $2,762.1B.
    assert e["market_value_before"] == pytest.approx(2610.716, abs=1e-3)
    assert e["market_value_after"] == pytest.approx(2762.138, abs=1e-3)
    # Value added $151.42B ÷ the $38B contract = 3.98 times the headline.
    assert e["value_added"] == pytest.approx(151.4216, abs=1e-4)
    assert e["value_added_to_contract"] == pytest.approx(151.4216 / 38, abs=1e-5)
    assert round(e["value_added_to_contract"], 2) == 3.98
    # With no market move given, the whole move is abnormal.
    assert e["abnormal_return"] == pytest.approx(e["stock_return"])
    assert e["abnormal_value_added"] == pytest.approx(e["value_added"])


def test_event_study_after_the_open():
    # Brief: $257.33 after the open against the $244.22 prior close:
    # 257.33 / 244.22 − 1 = 5.368%; (257.33 − 244.22) × 10.690B = 13.11 × 10.690B = $140.15B.
    e = event_study(257.33, prior_price=244.22, shares=AMAZON_SHARES, contract_value=38)
    assert e["stock_return"] == pytest.approx(0.0536811, abs=1e-7)
    assert e["value_added"] == pytest.approx(13.11 * AMAZON_SHARES / 1e9, rel=1e-9)
    assert round(e["value_added_to_contract"], 2) == 3.69


def test_abnormal_return_removes_the_market_move():
    # Illustrative market move (not sourced): +1.0% with beta 1.2 explains 1.2 points of +5.8%.
    assert abnormal_return(0.058, 0.01, beta=1.2) == pytest.approx(0.046)
    e = event_study(258.38, move=0.058, shares=AMAZON_SHARES, contract_value=38, market_return=0.01, beta=1.2)
    assert e["abnormal_return"] == pytest.approx(0.046)
    assert e["abnormal_value_added"] == pytest.approx(0.046 * e["market_value_before"])


def test_amazon_needs_about_4_percent_a_year_to_pass_3_trillion_by_2027():
    # Brief item 9: market value above $3T by 2027? Start from the post-announcement value
    # 258.38 × 10,690,216,011 = $2,762.14B (2025): (3000 / 2762.14)^(1/2) − 1 = 4.218% a year.
    start = 258.38 * AMAZON_SHARES / 1e9
    t = threshold_test(start, 3000, growth=0.05, start_year=2025, target_year=2027)
    assert t["required_growth"] == pytest.approx((3000 / start) ** 0.5 - 1)
    assert round(t["required_growth"], 4) == 0.0422
    assert t["passes"] is True and t["first_year"] == 2027
    assert t["value_at_target"] == pytest.approx(start * 1.05**2)
    slow = threshold_test(start, 3000, growth=0.04, start_year=2025, target_year=2027)
    assert slow["passes"] is False and slow["first_year"] == 2028 and slow["headroom"] < 0


def test_threshold_never_reached_without_growth():
    t = threshold_test(2762, 3000, growth=0.0, start_year=2025, target_year=2027)
    assert t["first_year"] is None and t["passes"] is False
    already = threshold_test(3100, 3000, growth=-0.01, start_year=2025, target_year=2025)
    assert already["first_year"] == 2025 and already["required_growth"] is None


def test_sum_of_the_parts_table():
    # Illustrative inputs (analyst assumptions, not sourced): AWS 2025 revenue $128.7B (FACTS)
    # at 8x sales = 1,029.6; the rest given at 1,600; net debt −20 -> market value 2,609.6.
    t = sum_of_parts(
        pd.DataFrame(
            {
                "segment": ["AWS", "Rest of Amazon"],
                "metric": [128.7, np.nan],
                "multiple": [8, np.nan],
                "value": [np.nan, 1600],
            }
        ),
        net_cash=-20,
    )
    assert list(t.columns) == SOTP_COLUMNS
    assert t["segment"].tolist() == ["AWS", "Rest of Amazon", "net cash", "market value"]
    assert t["value"].tolist() == pytest.approx([1029.6, 1600.0, -20.0, 2609.6])


def test_sum_of_the_parts_from_a_mapping():
    t = sum_of_parts({"AWS": 1200, "Retail": 1000, "Ads": 600})
    assert t["value"].iloc[-1] == 2800.0


# --------------------------------------------------------------------------- identities and types


@settings(max_examples=50, deadline=None)
@given(st.floats(1, 5000), st.floats(-0.9, 3), st.floats(1e6, 2e10))
def test_prior_close_and_value_added_are_consistent(price, move, shares):
    before = prior_close(price, move)
    assert before * (1 + move) == pytest.approx(price, rel=1e-12)
    # Value added = price × move / (1 + move) × shares.
    # Differencing two prices loses ~1e-16 of the price: allow that much per share.
    expected = price * move / (1 + move) * shares
    assert value_added(before, price, shares) == pytest.approx(expected, rel=1e-9, abs=price * shares * 1e-14)


@settings(max_examples=50, deadline=None)
@given(st.floats(1, 5000), st.floats(0.02, 50), st.integers(2025, 2030), st.integers(1, 10))
def test_growing_at_the_required_rate_lands_on_the_threshold(value, multiple, start, span):
    threshold = value * multiple
    t = threshold_test(value, threshold, growth=0.0, start_year=start, target_year=start + span)
    exact = threshold_test(
        value, threshold, growth=t["required_growth"], start_year=start, target_year=start + span
    )
    assert exact["value_at_target"] == pytest.approx(threshold, rel=1e-9)
    assert exact["headroom"] == pytest.approx(0.0, abs=1e-9)


def test_series_in_series_out_with_the_index():
    prices = pd.Series([258.38, 257.33], index=["pre-market", "open"])
    moves = pd.Series([0.058, 0.0537], index=["pre-market", "open"])
    closes = prior_close(prices, moves)
    assert isinstance(closes, pd.Series) and closes.index.tolist() == ["pre-market", "open"]
    assert closes.iloc[0] == pytest.approx(258.38 / 1.058)
    arr = abnormal_return(np.array([0.05, 0.06]), 0.01)
    assert isinstance(arr, np.ndarray) and arr.tolist() == pytest.approx([0.04, 0.05])


def test_market_value_path():
    path = market_value_path(2762.14, growth=0.05, start_year=2025, years=range(2025, 2028))
    assert path.index.tolist() == [2025, 2026, 2027]
    assert path.iloc[-1] == pytest.approx(2762.14 * 1.05**2)


# --------------------------------------------------------------------------- errors


def test_errors_name_the_argument_and_rule():
    with pytest.raises(DealDeskInputError, match="move must be a number > -1, got -1"):
        prior_close(258.38, -1)
    with pytest.raises(DealDeskInputError, match="price must be numbers > 0"):
        prior_close(pd.Series([258.38, -1.0]), 0.05)
    with pytest.raises(DealDeskInputError, match="give exactly one of move or prior_price"):
        event_study(258.38, move=0.058, prior_price=244.22, shares=AMAZON_SHARES, contract_value=38)
    with pytest.raises(DealDeskInputError, match="give exactly one of move or prior_price"):
        event_study(258.38, shares=AMAZON_SHARES, contract_value=38)
    with pytest.raises(DealDeskInputError, match="contract_value must be a number > 0, got 0"):
        event_study(258.38, move=0.058, shares=AMAZON_SHARES, contract_value=0)
    with pytest.raises(DealDeskInputError, match="must have the same index"):
        prior_close(pd.Series([1.0], index=["a"]), pd.Series([0.1], index=["b"]))
    with pytest.raises(
        DealDeskInputError, match="segments 'AWS' must give either value or metric and multiple"
    ):
        sum_of_parts([{"segment": "AWS", "value": 1, "metric": 2, "multiple": 3}])
    with pytest.raises(DealDeskInputError, match="segments 'AWS' multiple must be a number >= 0, got -3"):
        sum_of_parts([{"segment": "AWS", "metric": 2, "multiple": -3}])
    with pytest.raises(
        DealDeskInputError, match="target_year must be on or after start_year \\(2027\\), got 2025"
    ):
        threshold_test(2762, 3000, growth=0.05, start_year=2027, target_year=2025)


def test_given_segment_values_leave_metric_and_multiple_missing_not_nan():
    t = sum_of_parts({"AWS": 1200})
    assert str(t["metric"].dtype) == "Float64" and t["metric"].isna().all()


def test_results_that_would_overflow_are_refused_naming_the_inputs():
    # Never an infinite or NaN result: (1 + 100)^300 overflows a float.
    with pytest.raises(DealDeskInputError, match="market_value, threshold and growth are too extreme"):
        threshold_test(1e300, 1e-300, growth=100, start_year=1900, target_year=2200)
    with pytest.raises(
        DealDeskInputError, match="price, shares, contract_value and money_unit are too extreme"
    ):
        event_study(1e308, move=0.5, shares=1e308, contract_value=1, money_unit=1)
    with pytest.raises(DealDeskInputError, match="segments and net_cash are too extreme"):
        sum_of_parts({"a": 1e308, "b": 1e308})


def test_a_tiny_growth_reaches_the_threshold_only_beyond_the_horizon():
    # 1.0001^t = 3000 / 2762 needs about 827 years: within the 1,000-year horizon.
    assert (
        threshold_test(2762, 3000, growth=1e-4, start_year=2025, target_year=2027)["first_year"] == 2025 + 827
    )
    # 5e-324 a year would take longer than any horizon: reported as never (None).
    assert threshold_test(2762, 3000, growth=5e-324, start_year=2025, target_year=2027)["first_year"] is None


def test_threshold_first_year_counts_a_value_equal_to_the_threshold():
    # Rule: first_year is the first year at OR above the threshold; a value equal to it
    # passes in the start year, even with no growth.
    t = threshold_test(3000, 3000, growth=0.0, start_year=2025, target_year=2027)
    assert t["first_year"] == 2025
    assert t["passes"] is True
    assert t["headroom"] == 0


def test_threshold_first_year_looks_1000_years_ahead_and_no_further():
    # Rule: first_year is None when the threshold is more than 1,000 years away. At 1% a
    # year, a threshold 1.01^999.5 times the value is reached in year 1,000; 1.01^1000.5
    # times would take 1,001 years.
    near = threshold_test(1.0, 1.01**999.5, growth=0.01, start_year=2025, target_year=2026)
    assert near["first_year"] == 2025 + 1000
    far = threshold_test(1.0, 1.01**1000.5, growth=0.01, start_year=2025, target_year=2026)
    assert far["first_year"] is None


def test_sum_of_parts_treats_a_blank_value_as_not_given():
    # Rule: a blank cell ("") or NaN in value counts as missing, so the segment is priced
    # from metric x multiple (45 x 25 = 1,125); a row with every field blank is refused.
    t = sum_of_parts([{"segment": "AWS", "value": "", "metric": 45, "multiple": 25}])
    assert t["value"].tolist() == [1125.0, 0.0, 1125.0]
    t = sum_of_parts([{"segment": "AWS", "value": float("nan"), "metric": 45, "multiple": 25}])
    assert t["value"].tolist() == [1125.0, 0.0, 1125.0]
    with pytest.raises(
        DealDeskInputError, match="segments 'AWS' must give either value or metric and multiple"
    ):
        sum_of_parts([{"segment": "AWS", "value": "", "metric": "", "multiple": ""}])


def test_abnormal_return_removes_alpha_and_beta_times_the_market():
    # Rule: abnormal = stock - (alpha + beta x market): 0.058 - (0.002 + 1.2 x 0.01) = 0.044.
    assert abnormal_return(0.058, 0.01, beta=1.2, alpha=0.002) == pytest.approx(0.044, abs=1e-15)
    assert abnormal_return(0.058, 0.01) == pytest.approx(0.048, abs=1e-15)  # alpha 0, beta 1


def test_returns_must_be_above_minus_100_percent():
    # Rule: a return of -100% or less is impossible for a stock or an index.
    with pytest.raises(DealDeskInputError, match=r"^stock_return must be a number > -1, got -1$"):
        abnormal_return(-1, 0)
    with pytest.raises(DealDeskInputError, match=r"^market_return must be a number > -1, got -1$"):
        abnormal_return(0, -1)
    assert abnormal_return(-0.5, -0.5) == pytest.approx(0.0)


def test_a_prior_close_of_exactly_zero_is_refused():
    # 1e-300 ÷ (1 + 1e308) underflows to exactly 0.0: nothing to divide the return by. The rule
    # is "> 0", so the boundary value 0 itself must be refused (a ">= 0" check would let it pass).
    with pytest.raises(
        DealDeskInputError,
        match=r"^price and move give a prior close of 0\.0; it must be > 0 \(check price and move\)$",
    ):
        event_study(1e-300, shares=1e9, contract_value=38, move=1e308)


def test_a_market_value_below_one_billion_still_compounds():
    # Any value above 0 is a value: $0.5B growing 10% a year is 0.5 × 1.1² = 0.605 two years on.
    path = market_value_path(0.5, growth=0.1, start_year=2025, years=[2025, 2027])
    assert path.tolist() == pytest.approx([0.5, 0.605])
    with pytest.raises(DealDeskInputError, match=r"^market_value must be a number > 0, got 0$"):
        market_value_path(0, growth=0.1, start_year=2025, years=[2025])
