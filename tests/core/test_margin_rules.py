"""core.margin at the edges of its rules, each expected value worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from core.margin import (
    deal_margin_from_costs,
    margin_bridge,
    margin_by_period,
    outsized_deal,
    peak_deal_ratio,
)
from core.validation import DealDeskInputError


def test_a_margin_from_costs_by_hand_and_the_life_limit():
    # Revenue 10, capex 20 over 4 years (5 a year), power 1, other 0.5: (10 - 5 - 1 - 0.5) / 10 = 0.35.
    assert deal_margin_from_costs(10, 20, useful_life_years=4, power_cost=1, other_opex=0.5) == pytest.approx(
        0.35
    )
    # A 50-year life is the longest: 20 / 50 = 0.4 a year, margin 0.96.
    assert deal_margin_from_costs(10, 20, useful_life_years=50) == pytest.approx(0.96)
    with pytest.raises(
        DealDeskInputError, match=r"^useful_life_years must be a number > 0 and <= 50, got 50.01$"
    ):
        deal_margin_from_costs(10, 20, useful_life_years=50.01)
    with pytest.raises(
        DealDeskInputError, match=r"^useful_life_years must be a number > 0 and <= 50, got 0$"
    ):
        deal_margin_from_costs(10, 20, useful_life_years=0)
    with pytest.raises(DealDeskInputError, match=r"^revenue must be a number > 0, got 0$"):
        deal_margin_from_costs(0, 20, useful_life_years=5)


def test_a_period_with_no_revenue_at_all_keeps_the_base_margin():
    # Period 1: nothing (base 0, deal 0): share 0, blended = the base margin 0.3, no change.
    # Period 2: base 8, deal 2 at a 10% margin: share 0.2, blended (2.4 + 0.2) / 10 = 0.26, -400 bps.
    for kw in ({"deal_margin": 0.1}, {"deal_profit": [0.0, 0.2]}):
        t = margin_by_period(pd.Series([0.0, 2.0], index=["FY1", "FY2"]), [0.0, 8.0], base_margin=0.3, **kw)
        assert t["deal_share"].tolist() == pytest.approx([0.0, 0.2])
        assert t["blended_margin"].tolist() == pytest.approx([0.3, 0.26])
        assert t["change_bps"].tolist() == pytest.approx([0.0, -400.0])
        assert t["deal_margin"].tolist() == pytest.approx([0.0, 0.1])


def test_the_bridge_adds_the_mix_effect_to_the_base():
    # Base 90 at 30%, deal 10 at 10%: blended (27 + 1) / 100 = 0.28, a mix effect of -0.02 (-200 bps).
    t = margin_bridge(90, 0.3, 10, 0.1)
    assert t["value"].tolist() == pytest.approx([0.3, -0.02, 0.28])
    assert t["bps"].tolist() == pytest.approx([3000, -200, 2800])


def test_a_deal_equal_to_its_base_is_not_outsized():
    assert peak_deal_ratio([1.0, 4.0], [2.0, 4.0]) == 1.0
    assert outsized_deal([1.0, 4.0], [2.0, 4.0]) is False
    assert outsized_deal([1.0, 4.0], [2.0, 3.99]) is True
    assert outsized_deal([1.0, 4.0], [2.0, 4.0], limit=0.99) is True


def test_the_deals_own_margin_in_a_small_period():
    # Deal revenue 0.5 with profit 0.05: its own margin is 10% (any revenue above 0 has a margin);
    # base 9.5 at 30%: blended (2.85 + 0.05) / 10 = 0.29.
    t = margin_by_period([0.5], 9.5, base_margin=0.3, deal_profit=[0.05])
    assert t["deal_margin"].tolist() == pytest.approx([0.1])
    assert t["blended_margin"].tolist() == pytest.approx([0.29])
    assert t["change_bps"].tolist() == pytest.approx([-100.0])


@pytest.mark.parametrize(
    ("profit", "got"), [([0.1], "1"), ([0.1, 0.2, 0.3], "3"), ([0.1, float("nan")], "2")]
)
def test_deal_profit_needs_one_finite_number_per_period(profit, got):
    with pytest.raises(
        DealDeskInputError, match=rf"^deal_profit must hold one finite number per period \(2\), got {got}$"
    ):
        margin_by_period([1.0, 2.0], 10.0, base_margin=0.3, deal_profit=profit)
