"""core.capacity on its own: a fleet whose hours are not all billed, and the rest of the footprint by hand.

gpus = peak run-rate × 1e9 ÷ (price per GPU-hour × 8,760 h × billable share): with a share
below 1 the same revenue needs more GPUs, and every later figure (racks, MW, facility capex,
energy, power bill) grows with it. Expected values are worked here, not read from the module.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from core.capacity import (
    capacity_from_revenue,
    capacity_table,
    capex_lead_shares,
    capex_timing,
    fleet_gpus,
    gpus_from_revenue,
)
from core.validation import DealDeskInputError

# $8.76B a year at $2 per GPU-hour: 8.76e9 ÷ (2 × 8,760) = 500,000 GPUs if every hour is billed.
PEAK, PRICE = 8.76, 2.0


@pytest.mark.parametrize(
    ("share", "gpus"), [(1.0, 500_000), (0.8, 625_000), (0.5, 1_000_000), (0.25, 2_000_000)]
)
def test_a_billable_share_below_one_needs_more_gpus(share, gpus):
    assert fleet_gpus(PEAK, usd_per_gpu_hour=PRICE, billable_share=share) == pytest.approx(gpus)
    assert gpus_from_revenue(PEAK, usd_per_gpu_hour=PRICE, utilisation=share) == pytest.approx(gpus)


@pytest.mark.parametrize("share", [0.0, -0.1, 1.01])
def test_the_billable_share_is_a_fraction_above_zero(share):
    with pytest.raises(DealDeskInputError, match=rf"utilisation must be .*got {share}"):
        fleet_gpus(PEAK, usd_per_gpu_hour=PRICE, billable_share=share)


def test_a_disclosed_fleet_does_not_depend_on_the_billable_share():
    # Disclosed GPUs are used as given; a disclosed IT load holds MW × 1,000 ÷ (120 ÷ 72) GPUs.
    assert fleet_gpus(PEAK, usd_per_gpu_hour=PRICE, billable_share=0.5, disclosed_gpus=1234.0) == 1234.0
    assert fleet_gpus(PEAK, billable_share=0.5, disclosed_it_mw=100.0) == pytest.approx(100_000 / (120 / 72))
    # Disclosed capacity must be above zero (any amount above it is taken as given).
    assert fleet_gpus(PEAK, disclosed_gpus=0.5) == 0.5
    assert fleet_gpus(PEAK, disclosed_it_mw=0.5) == pytest.approx(500 / (120 / 72))
    with pytest.raises(DealDeskInputError, match=r"^fleet_gpus must be a number > 0, got 0"):
        fleet_gpus(PEAK, disclosed_gpus=0)
    with pytest.raises(DealDeskInputError, match=r"must be a number > 0, got 0"):
        fleet_gpus(PEAK, disclosed_it_mw=0)


def test_the_footprint_of_a_part_billed_fleet_by_hand():
    # 625,000 GPUs (billable share 0.8): 625,000 ÷ 72 racks; × 120 kW ÷ 1,000 = MW of IT load;
    # × PUE 1.25 at the grid; facility capex 10 US$ m per IT MW ÷ 1,000 = US$ bn; energy at full
    # draw all year; power bill at $50 per MWh; share of 4,000 TWh.
    gpus = fleet_gpus(PEAK, usd_per_gpu_hour=PRICE, billable_share=0.8)
    t = capacity_table(
        gpus, pue=1.25, facility_musd_per_mw=10.0, power_usd_per_mwh=50.0, us_consumption_twh=4000.0
    ).set_index("name")["value"]
    racks = 625_000 / 72
    it_mw = racks * 120 / 1000
    grid_mw = it_mw * 1.25
    energy = grid_mw * 8760
    assert t["gpus"] == pytest.approx(625_000)
    assert t["racks"] == pytest.approx(racks)
    assert t["it_mw"] == pytest.approx(it_mw)
    assert t["facility_mw"] == pytest.approx(grid_mw)
    assert t["facility_capex_usd_bn"] == pytest.approx(it_mw * 10 / 1000)
    assert t["energy_mwh"] == pytest.approx(energy)
    assert t["power_cost_usd_bn"] == pytest.approx(energy * 50 / 1e9)
    assert t["us_share"] == pytest.approx(energy / 4000e6)
    # A load factor below 1 scales the energy and the bill, not the MW.
    half = capacity_table(gpus, pue=1.25, load_factor=0.5, power_usd_per_mwh=50.0).set_index("name")["value"]
    assert half["facility_mw"] == pytest.approx(grid_mw)
    assert half["energy_mwh"] == pytest.approx(energy / 2)


def test_capacity_from_revenue_reads_the_share_of_hours_billed():
    t = capacity_from_revenue(PEAK, usd_per_gpu_hour=PRICE, utilisation=0.5).set_index("name")["value"]
    assert t["gpus"] == pytest.approx(1_000_000)
    assert t["racks"] == pytest.approx(1_000_000 / 72)


@pytest.mark.parametrize(
    ("lead", "shares"),
    [(0, ((0, 1.0),)), (1, ((1, 1.0),)), (1.25, ((1, 0.75), (2, 0.25))), (2.5, ((2, 0.5), (3, 0.5)))],
)
def test_capex_lead_shares_split_a_fractional_lead_between_neighbouring_years(lead, shares):
    got = capex_lead_shares(lead)
    assert [y for y, _ in got] == [y for y, _ in shares]
    assert [s for _, s in got] == pytest.approx([s for _, s in shares])


def test_capex_follows_the_highest_run_rate_so_far_and_is_spent_ahead():
    # Run rate 2, 6, 4, 8 (2026-2029): capacity added 2, 4, 0, 2 of a peak of 8; $16B of capex
    # enters service 4, 8, 0, 4 and, 1.25 years ahead, is spent 3/4 one year and 1/4 two years before.
    t = capex_timing(pd.Series([2.0, 6.0, 4.0, 8.0], index=[2026, 2027, 2028, 2029]), 16, lead_years=1.25)
    assert t["year"].tolist() == [2024, 2025, 2026, 2027, 2028, 2029]
    assert t["capex_in_service"].tolist() == pytest.approx([0, 0, 4, 8, 0, 4])
    # 2024: 1/4 of 2026's 4 = 1; 2025: 3/4 of 4 + 1/4 of 8 = 5; 2026: 3/4 of 8 = 6; 2027: 1/4 of 4 = 1;
    # 2028: 3/4 of 4 = 3; 2029: nothing.
    assert t["capex"].tolist() == pytest.approx([1, 5, 6, 1, 3, 0])
    assert t["capex"].sum() == pytest.approx(16)


def test_new_capacity_at_the_noise_threshold_is_capacity():
    # Run rate 1e-9 then 1 (a peak of 1): the first year's 1e-9 is exactly one billionth of the peak,
    # the edge of "rounding noise" (below it), so it is kept: capex in service 1e-9 and 1 - 1e-9.
    t = capex_timing(pd.Series([1e-9, 1.0], index=[2026, 2027]), 1.0, lead_years=0)
    assert t["capex_in_service"].tolist() == pytest.approx([1e-9, 1 - 1e-9], rel=0, abs=1e-15)
    t = capex_timing(pd.Series([0.5e-9, 1.0], index=[2026, 2027]), 1.0, lead_years=0)
    assert t["capex_in_service"].tolist() == pytest.approx([0.0, 1.0], rel=0, abs=1e-15)


def test_power_and_build_prices_may_be_any_amount_from_zero():
    from core.capacity import facility_capex_usd_bn, power_cost_usd_bn

    assert power_cost_usd_bn(1e6, power_usd_per_mwh=0.0) == 0.0
    assert power_cost_usd_bn(1e6, power_usd_per_mwh=0.5) == pytest.approx(1e6 * 0.5 / 1e9)
    assert facility_capex_usd_bn(100.0, facility_musd_per_mw=0.5) == pytest.approx(100 * 0.5 / 1000)
    with pytest.raises(DealDeskInputError, match=r"^power_usd_per_mwh must be a number >= 0, got -0.01$"):
        power_cost_usd_bn(1e6, power_usd_per_mwh=-0.01)
    with pytest.raises(DealDeskInputError, match=r"^facility_musd_per_mw must be a number >= 0, got -0.01$"):
        facility_capex_usd_bn(100.0, facility_musd_per_mw=-0.01)


def test_a_disclosed_fleet_may_disagree_with_its_load_by_exactly_ten_percent():
    # 100 MW at 120 kW per 72-GPU rack holds 100,000 ÷ (120 ÷ 72) = 60,000 GPUs; 66,000 is 10% more,
    # the edge of FLEET_AGREEMENT, and is used as given; 66,001 is refused.
    assert fleet_gpus(PEAK, disclosed_gpus=66_000, disclosed_it_mw=100.0) == 66_000
    with pytest.raises(DealDeskInputError, match=r"66,001|66001"):
        fleet_gpus(PEAK, disclosed_gpus=66_001, disclosed_it_mw=100.0)


def test_a_disclosed_fleet_of_less_than_one_gpu_is_checked_against_its_load_not_refused():
    # Any positive count is a count (0.6 GPUs is what 0.001 MW holds: 1 kW × 72 ÷ 120); 0 is refused.
    assert fleet_gpus(PEAK, disclosed_gpus=0.6, disclosed_it_mw=0.001) == 0.6
    with pytest.raises(DealDeskInputError, match=r"^fleet_gpus must be a number > 0, got 0$"):
        fleet_gpus(PEAK, disclosed_gpus=0, disclosed_it_mw=0.001)


def test_the_rounding_slack_of_the_ten_percent_bound_is_part_of_the_bound():
    # The bound carries a hair of slack, 10% × held × (1 + 1e-12), so that rounding cannot refuse a
    # count at 10%. 69 MW holds 69,000 ÷ (120 ÷ 72) = 41,400 GPUs; the bound is 4,140 × (1 + 1e-12)
    # = 4,140.00000000414, and 41,400 + 4,140.00000000414 = 45,540.00000000414 sits exactly on it
    # (the float difference is exact here): "at most" accepts it, the next float above is refused.
    at_bound = 45_540.00000000414
    assert at_bound - 41_400 == 4_140 * (1 + 1e-12)
    assert fleet_gpus(PEAK, disclosed_gpus=at_bound, disclosed_it_mw=69.0) == at_bound
    with pytest.raises(DealDeskInputError, match=r"by at most 10% \(37,260 to 45,540\); got 45,540 GPUs"):
        fleet_gpus(PEAK, disclosed_gpus=math.nextafter(at_bound, math.inf), disclosed_it_mw=69.0)
