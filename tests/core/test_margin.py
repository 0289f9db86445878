"""Segment margin: the brief's 50–100 bps dilution, the bridge, costs, and identities."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.margin import (
    OUTSIZED_DEAL_RATIO,
    blended_margin,
    deal_margin_from_costs,
    margin_bridge,
    margin_by_period,
    margin_change_bps,
    outsized_deal,
    peak_deal_ratio,
)
from core.schedule import contract_schedule
from core.validation import DealDeskInputError

# --------------------------------------------------------------------------- golden: the brief


def test_aws_like_dilution_lands_in_the_briefs_50_to_100_bps():
    # SEED_BRIEF item 2: GPU work earns less than classic EC2/S3 and could cut AWS operating
    # margin by 50–100 bps near term. A full run-rate year of the deal is $38B / 7 ≈ $5.4B;
    # AWS ~$130B a year at ~35%, the deal at ~15%:
    #   share = 5.4 / (130 + 5.4) = 0.039882; change = 0.039882 × (0.15 − 0.35) = −0.0079764
    #   = −79.8 bps; blended = (130 × 0.35 + 5.4 × 0.15) / 135.4 = 46.31 / 135.4 = 0.342024.
    assert blended_margin(130, 0.35, 5.4, 0.15) == pytest.approx(46.31 / 135.4, abs=1e-12)
    bps = margin_change_bps(130, 0.35, 5.4, 0.15)
    assert bps == pytest.approx(-79.76, abs=0.01)
    assert -100 <= bps <= -50


def test_dilution_with_facts_inputs_by_year_under_the_ramp():
    # FACTS: AWS revenue $128.7B (2025), Q3 2025 margin 34.6%; deal at 15% (Oracle's ~14% GPU
    # gross margin, brief ~15%); 7.5% utilisation discount; full run-rate from end-2026.
    # The linear ramp reaches full rate at x_f = 423/2557 of the term (2025-11-03 .. 2026-12-31)
    # and is flat after, at 1 / (1 − x_f / 2) = 1 / 0.917286 times the straight line (DESIGN).
    # FY2027 deal revenue = 38 × 0.925 × 365/2557 / 0.917286 = 5.4699:
    #   5.4699 / 134.1699 × (0.15 − 0.346) × 10,000 = −79.9 bps, inside 50–100.
    s = contract_schedule(38, "2025-11-03", 7, profile="linear", full_at="2026-12-31", realisation=0.925)
    m = margin_by_period(s, 128.7, base_margin=0.346, deal_margin=0.15).set_index("period")
    fy27 = 38 * 0.925 * 365 / 2557 / (1 - 423 / 2557 / 2)
    assert m.loc["FY2027", "change_bps"] == pytest.approx(fy27 / (128.7 + fy27) * -0.196 * 1e4, abs=1e-9)
    assert m.loc["FY2027", "change_bps"] == pytest.approx(-79.9, abs=0.05)
    assert -100 <= m.loc["FY2027", "change_bps"] <= -50
    # The ramp year 2026 dilutes less than the run-rate; 2025 barely moves the margin.
    assert m.loc["FY2027", "change_bps"] < m.loc["FY2026", "change_bps"] < m.loc["FY2025", "change_bps"] < 0


def test_design_example_74_1_bps():
    # DESIGN's example -74.1 bps: $5B of deal revenue at 15% on $130B at 35%:
    # 5 / 135 × (−0.20) = −0.0074074 -> −74.07 bps.
    assert round(margin_change_bps(130, 0.35, 5.0, 0.15), 1) == -74.1


def test_bridge_steps_add_up():
    b = margin_bridge(130, 0.35, 5.4, 0.15).set_index("step")
    assert b.loc["base margin", "value"] + b.loc["deal mix effect", "value"] == pytest.approx(
        b.loc["blended margin", "value"], abs=1e-15
    )
    # Mix effect: deal share 5.4 / 135.4 x (0.15 - 0.35) = -0.0079764 -> -79.76 bps.
    assert b.loc["deal mix effect", "bps"] == pytest.approx(5.4 / 135.4 * -0.20 * 1e4, rel=1e-12)
    assert b.loc["blended margin", "value"] == pytest.approx((130 * 0.35 + 5.4 * 0.15) / 135.4, rel=1e-12)


def test_deal_margin_from_costs_hand_calc():
    # Revenue 5.4 a year; $20B capex over Amazon's 5-year server life (FY2024 10-K) = 4.0 a year;
    # power 0.2, other 0.3: (5.4 − 4.0 − 0.2 − 0.3) / 5.4 = 0.9 / 5.4 = 0.1667.
    m = deal_margin_from_costs(5.4, 20, useful_life_years=5, power_cost=0.2, other_opex=0.3)
    assert m == pytest.approx(0.9 / 5.4, abs=1e-12)
    # Peers' 6-year life (FACTS) lifts the margin: depreciation 20/6.
    assert deal_margin_from_costs(5.4, 20, useful_life_years=6) == pytest.approx((5.4 - 20 / 6) / 5.4)


def test_series_in_gives_series_out_with_its_index():
    deal = pd.Series([1.0, 2.0], index=["FY2026", "FY2027"])
    out = blended_margin(pd.Series([100.0, 100.0], index=deal.index), 0.35, deal, 0.15)
    assert isinstance(out, pd.Series)
    assert list(out.index) == ["FY2026", "FY2027"]
    assert isinstance(margin_change_bps(130, 0.35, 5.4, 0.15), float)


def test_margin_by_period_takes_one_base_per_period():
    deal = pd.Series([1.0, 2.0], index=["FY2026", "FY2027"])
    m = margin_by_period(deal, [100.0, 120.0], base_margin=0.3, deal_margin=0.1)
    assert m["change_bps"].tolist() == pytest.approx([1 / 101 * -0.2 * 1e4, 2 / 122 * -0.2 * 1e4])


def test_margin_by_period_takes_plain_lists_numbered_from_one():
    m = margin_by_period([2.7, 5.4], [130.0], base_margin=0.35, deal_margin=0.15)
    assert m["period"].tolist() == [1, 2]
    # share x (deal - base margin) in bps: 2.7 / 132.7 x -0.20 and 5.4 / 135.4 x -0.20.
    assert m["change_bps"].tolist() == pytest.approx(
        [2.7 / 132.7 * -0.2 * 1e4, 5.4 / 135.4 * -0.2 * 1e4], rel=1e-12
    )


def test_no_revenue_keeps_the_base_margin():
    assert blended_margin(0, 0.35, 0, 0.15) == 0.35


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((130, 35, 5.4, 0.15), r"base_margin must be a fraction of revenue <= 1 \(0.35 for 35%\), got 35"),
        ((130, 0.35, 5.4, 15), "deal_margin must be a fraction of revenue <= 1"),
        ((-1, 0.35, 5.4, 0.15), "base_revenue must be a number >= 0, got -1"),
        ((130, 0.35, "5.4", 0.15), "deal_revenue must be a number"),
    ],
)
def test_bad_margin_inputs(args, message):
    with pytest.raises(DealDeskInputError, match=message):
        margin_change_bps(*args)


@pytest.mark.parametrize("name", ["base_margin", "deal_margin"])
def test_a_margin_may_be_all_of_revenue_but_not_more(name):
    # 100% is the most a margin can be; 100.5% is refused with the rule in words. A deal at 100% on
    # $10 beside $90 at 30%: (90 × 0.3 + 10 × 1) ÷ 100 = 37%, +700 bps.
    margins = {"base_margin": 0.3, "deal_margin": 0.3, name: 1.0}
    expected = (90 * margins["base_margin"] + 10 * margins["deal_margin"]) / 100
    assert blended_margin(90, margins["base_margin"], 10, margins["deal_margin"]) == pytest.approx(expected)
    margins[name] = 1.005
    with pytest.raises(
        DealDeskInputError, match=rf"^{name} must be a fraction of revenue <= 1 \(0.35 for 35%\), got 1.005$"
    ):
        blended_margin(90, margins["base_margin"], 10, margins["deal_margin"])


def test_bad_period_inputs():
    deal = pd.Series([1.0, 2.0])
    with pytest.raises(DealDeskInputError, match=r"base_revenue must have one value per period \(2\), got 3"):
        margin_by_period(deal, [1, 2, 3], base_margin=0.3, deal_margin=0.1)
    with pytest.raises(DealDeskInputError, match="deal_revenue must be a schedule DataFrame, a Series"):
        margin_by_period("1, 2", 100, base_margin=0.3, deal_margin=0.1)
    with pytest.raises(DealDeskInputError, match="deal_revenue must hold finite numbers >= 0"):
        margin_by_period([1, -2], 100, base_margin=0.3, deal_margin=0.1)
    with pytest.raises(DealDeskInputError, match="useful_life_years must be a number > 0"):
        deal_margin_from_costs(5.4, 20, useful_life_years=0)


# --------------------------------------------------------------------------- properties

money = st.floats(0.0, 1e4)
margins = st.floats(-1.0, 1.0)


@settings(max_examples=60, deadline=None)
@given(base=money, deal=money, margin=margins)
def test_no_change_when_deal_margin_equals_base_margin(base, deal, margin):
    assert margin_change_bps(base, margin, deal, margin) == pytest.approx(0.0, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(base=st.floats(1.0, 1e4), deal=money, bm=margins, dm=margins, k=st.floats(0.01, 100.0))
def test_change_is_share_times_gap_and_scale_free(base, deal, bm, dm, k):
    expected = deal / (base + deal) * (dm - bm) * 1e4
    assert margin_change_bps(base, bm, deal, dm) == pytest.approx(expected, abs=1e-8)
    # Scaling both revenues (a bigger contract and a bigger provider alike) leaves margins unchanged.
    assert margin_change_bps(k * base, bm, k * deal, dm) == pytest.approx(expected, abs=1e-8)
    # The blended margin lies between the two margins.
    assert min(bm, dm) - 1e-12 <= blended_margin(base, bm, deal, dm) <= max(bm, dm) + 1e-12


@settings(max_examples=30, deadline=None)
@given(values=st.lists(st.floats(0.0, 50.0), min_size=1, max_size=12), dm=margins)
def test_by_period_matches_the_scalar_rule(values, dm):
    m = margin_by_period(pd.Series(values), 130.0, base_margin=0.35, deal_margin=dm)
    expected = [margin_change_bps(130.0, 0.35, v, dm) for v in values]
    np.testing.assert_allclose(m["change_bps"], expected, atol=1e-9)


# --------------------------------------------------------------------------- outsized deals


def test_outsized_deal_boundary_is_the_base_revenue_itself():
    # Rule: outsized when the deal's revenue in some period exceeds 1.0 x the base revenue.
    base = 0.5010  # IREN's last full fiscal year (US$ bn)
    assert OUTSIZED_DEAL_RATIO == 1.0
    assert not outsized_deal([0.2, 0.5010], base)  # equal: not outsized
    assert outsized_deal([0.2, 0.5010 * (1 + 1e-9)], base)  # just above
    assert not outsized_deal([0.2, 0.5010 * (1 - 1e-9)], base)  # just below
    # The limit is a keyword: half the base as the bound flags 0.3 on 0.5.
    assert outsized_deal(0.3, 0.5, limit=0.5) and not outsized_deal(0.25, 0.5, limit=0.5)


def test_peak_deal_ratio_takes_the_largest_period_and_per_period_bases():
    # 2 / 4 = 0.5, 3 / 4 = 0.75: the peak is 0.75; with bases 4 and 10 the peak is 2 / 4.
    assert peak_deal_ratio([2.0, 3.0], 4.0) == pytest.approx(0.75)
    assert peak_deal_ratio([2.0, 3.0], [4.0, 10.0]) == pytest.approx(0.5)
    # No deal revenue: 0; deal revenue on a zero base: infinitely large (outsized).
    assert peak_deal_ratio([0.0, 0.0], 0.0) == 0.0
    assert peak_deal_ratio([0.0, 1.0], [0.0, 0.0]) == float("inf")
    assert outsized_deal([0.0, 1.0], 0.0)


def test_outsized_deal_names_the_bad_argument():
    with pytest.raises(DealDeskInputError, match=r"deal_revenue must hold finite numbers >= 0"):
        peak_deal_ratio([1.0, -1.0], 2.0)
    with pytest.raises(DealDeskInputError, match=r"limit must be a number >= 0, got -1"):
        outsized_deal(1.0, 2.0, limit=-1)
