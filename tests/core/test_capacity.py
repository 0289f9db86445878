"""Capacity and power: hand calculations from FACTS defaults, capex timing, linear scaling."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core.capacity import (
    annual_energy_mwh,
    capacity_from_revenue,
    capacity_table,
    capex_lead_shares,
    capex_timing,
    facility_capex_usd_bn,
    facility_power_mw,
    gpus_from_capex,
    gpus_from_revenue,
    it_power_mw,
    power_cost_usd_bn,
    racks_for_gpus,
    us_power_share,
)
from core.validation import DealDeskInputError

# --------------------------------------------------------------------------- golden


def test_capacity_table_for_200k_gpus_hand_calc():
    # "Hundreds of thousands" of GB200s (announcement): take 200,000.
    # racks = 200,000 / 72 (NVL72, FACTS) = 2,777.8; IT = 2,777.8 × 120 kW (FACTS) = 333.33 MW;
    # grid = 333.33 × PUE 1.3 (evidence: Uptime Institute, new large sites 1.3 or better) = 433.33 MW;
    # facility capex = 333.33 MW × $16.3M/MW (evidence: median of Cushman & Wakefield 11.7 and
    # Bernstein's $2.5M a rack ÷ 0.120 MW = 20.83) = $5.4333B;
    # energy = 433.33 MW × 8,760 h = 3,796,000 MWh; US share = 3.796 TWh / 4,097 TWh (EIA 2024);
    # power bill = 3,796,000 MWh × $81/MWh (EIA 2023) = $0.307476B a year.
    t = capacity_table(200_000).set_index("name")
    v = t["value"]
    assert v["racks"] == pytest.approx(200_000 / 72)
    assert v["it_mw"] == pytest.approx(1000 / 3)
    assert v["facility_mw"] == pytest.approx(1300 / 3)
    assert v["facility_capex_usd_bn"] == pytest.approx(16.3 / 3)
    assert v["energy_mwh"] == pytest.approx(3_796_000)
    assert v["us_share"] == pytest.approx(3.796 / 4097)
    assert v["power_cost_usd_bn"] == pytest.approx(0.307476)
    assert t.loc["facility_capex_usd_bn", "unit"] == "US$ bn"
    assert t.loc["us_share", "unit"] == "fraction"


def test_gpus_from_revenue_hand_calc():
    # $38B / 7 years = $5.4286B a year; at an assumed $3 per GPU-hour billed 8,760 h × 90%:
    # 5.4286e9 / (3 × 8760 × 0.9) = 229,518.5 GPUs.
    gpus = gpus_from_revenue(38 / 7, usd_per_gpu_hour=3.0, utilisation=0.9)
    assert gpus == pytest.approx(38e9 / 7 / (3 * 8760 * 0.9))
    assert gpus == pytest.approx(229_518.5, abs=0.1)


def test_capacity_from_revenue_chains_gpus_and_footprint():
    # 229,518.5 GPUs (above) / 72 × 120 kW × 1.2 PUE = 459.04 MW at the grid.
    t = capacity_from_revenue(38 / 7, usd_per_gpu_hour=3.0, utilisation=0.9, pue=1.3).set_index("name")
    gpus = 38e9 / 7 / (3 * 8760 * 0.9)
    assert t.loc["gpus", "value"] == pytest.approx(gpus)
    assert t.loc["facility_mw", "value"] == pytest.approx(gpus / 72 * 0.120 * 1.3)


def test_gpus_from_capex_hand_calc():
    # $3M a rack: $1.5B buys 500 racks = 36,000 GPUs; at the default $4.45M of IT a rack (evidence:
    # median of Bernstein's $47.2k and IREN's $76.3k per GPU × 72): 1,500 ÷ 4.45 × 72 = 24,269.7.
    assert gpus_from_capex(1.5, rack_price_musd=3.0) == pytest.approx(36_000)
    assert gpus_from_capex(1.5, rack_price_musd=2.0) == pytest.approx(54_000)
    assert gpus_from_capex(1.5) == pytest.approx(1_500 / 4.45 * 72)


def test_one_gw_of_it_load_costs_in_the_range_of_the_public_all_in_figures():
    # 1 GW of IT load = 1,000,000 kW / 120 kW = 8,333.3 racks: $37.08B of IT at the default $4.45M
    # a rack plus 1,000 MW × $16.3M of facility = $53.38B, inside the public all-in figures per GW
    # (evidence cross-check: Bernstein ~$35B to Nvidia's $50–60B).
    racks = 1_000_000 / 120
    it_capex = racks * 4.45 / 1e3
    assert it_power_mw(racks) == pytest.approx(1000)
    total = it_capex + facility_capex_usd_bn(1000)
    assert total == pytest.approx(1_000_000 / 120 * 4.45 / 1e3 + 16.3)
    assert 35 <= total <= 60


def test_briefs_10_percent_of_us_power_in_gpus():
    # SEED_BRIEF item 8: data centres up to 10% of US electricity. 10% of 4,097 TWh = 409.7 TWh;
    # / 8,760 h = 46.77 GW at the grid; / 1.3 PUE = 35.98 GW IT; / 120 kW × 72 = 21.6M GPUs.
    gpus = 0.10 * 4097e6 / 8760 / 1.3 / 0.120 * 72
    energy = annual_energy_mwh(facility_power_mw(it_power_mw(racks_for_gpus(gpus))))
    assert us_power_share(energy) == pytest.approx(0.10)
    assert gpus == pytest.approx(21.6e6, rel=0.01)


def test_arrays_in_arrays_out():
    out = it_power_mw(np.array([1.0, 2.0]))
    assert isinstance(out, np.ndarray)
    np.testing.assert_allclose(out, [0.12, 0.24])
    s = racks_for_gpus(pd.Series([72.0, 144.0], index=[2026, 2027]))
    assert list(s.index) == [2026, 2027]
    assert isinstance(racks_for_gpus(72), float)


def test_capex_timing_whole_lead():
    # Run-rate 1.0 in 2025, 5.4 from 2026: capacity added 1.0 then 4.4 of 5.4;
    # $20B split 20 × 1/5.4 = 3.704 (in service 2025) and 20 × 4.4/5.4 = 16.296 (2026),
    # each spent a year ahead.
    t = capex_timing(pd.Series([1.0, 5.4, 5.4], index=[2025, 2026, 2027]), 20, lead_years=1).set_index("year")
    assert t.loc[2024, "capex"] == pytest.approx(20 / 5.4)
    assert t.loc[2025, "capex"] == pytest.approx(20 * 4.4 / 5.4)
    assert t.loc[2025, "capex_in_service"] == pytest.approx(20 / 5.4)
    assert t["capex"].sum() == pytest.approx(20)


def test_capex_timing_fractional_lead_splits_between_years():
    t = capex_timing(pd.Series([2.0, 2.0], index=[2026, 2027]), 10, lead_years=1.5).set_index("year")
    # All capacity enters service in 2026: half spent 1 year ahead (2025), half 2 years ahead (2024).
    assert t.loc[2024, "capex"] == pytest.approx(5)
    assert t.loc[2025, "capex"] == pytest.approx(5)
    assert t.loc[2026, "capex"] == 0


def test_capex_timing_declining_run_rate_buys_nothing_more():
    t = capex_timing(pd.Series([5.0, 3.0, 4.0], index=[2026, 2027, 2028]), 10, lead_years=0)
    assert t["capex"].tolist() == pytest.approx([10.0, 0.0, 0.0])


# --------------------------------------------------------------------------- errors


def test_bad_capacity_inputs():
    with pytest.raises(DealDeskInputError, match="usd_per_gpu_hour must be a number > 0, got 0"):
        gpus_from_revenue(5.4, usd_per_gpu_hour=0)
    with pytest.raises(DealDeskInputError, match="utilisation must be a fraction between above 0 and 1"):
        gpus_from_revenue(5.4, usd_per_gpu_hour=3, utilisation=90)
    with pytest.raises(DealDeskInputError, match="pue must be a number >= 1 and <= 3, got 0.8"):
        facility_power_mw(100, pue=0.8)
    with pytest.raises(DealDeskInputError, match="gpus must hold finite numbers >= 0"):
        racks_for_gpus([72, -1])
    with pytest.raises(DealDeskInputError, match="load_factor must be a fraction"):
        annual_energy_mwh(100, load_factor=1.5)
    with pytest.raises(DealDeskInputError, match="energy_mwh must be a number >= 0"):
        power_cost_usd_bn(-1)


def test_bad_capex_timing_inputs():
    with pytest.raises(DealDeskInputError, match="run_rate must be indexed by consecutive integer years"):
        capex_timing(pd.Series([1.0, 2.0], index=[2025, 2027]), 10)
    with pytest.raises(DealDeskInputError, match="run_rate must have at least one positive value"):
        capex_timing(pd.Series([0.0, 0.0], index=[2025, 2026]), 10)
    with pytest.raises(DealDeskInputError, match="run_rate must be a non-empty pandas Series"):
        capex_timing([1.0, 2.0], 10)
    with pytest.raises(DealDeskInputError, match="lead_years must be a number >= 0 and <= 10"):
        capex_timing(pd.Series([1.0], index=[2026]), 10, lead_years=-1)


# --------------------------------------------------------------------------- properties


@settings(max_examples=50, deadline=None)
@given(revenue=st.floats(0.01, 100.0), k=st.floats(0.01, 100.0), price=st.floats(0.5, 20.0))
def test_scaling_revenue_scales_gpus_power_capex_and_energy(revenue, k, price):
    one = capacity_table(gpus_from_revenue(revenue, usd_per_gpu_hour=price))["value"].to_numpy(dtype=float)
    many = capacity_table(gpus_from_revenue(k * revenue, usd_per_gpu_hour=price))["value"].to_numpy(
        dtype=float
    )
    np.testing.assert_allclose(many, k * one, rtol=1e-9)


@settings(max_examples=40, deadline=None)
@given(
    rates=st.lists(st.floats(0.0, 50.0), min_size=1, max_size=10).filter(lambda r: max(r) > 0),
    capex=st.floats(0.0, 500.0),
    lead=st.floats(0.0, 4.0),
)
@example(rates=[5e-324], capex=1.5, lead=0.0)  # total × a subnormal rate once rounded to 2.0 spent
def test_capex_timing_spends_the_total_and_never_after_service(rates, capex, lead):
    t = capex_timing(pd.Series(rates, index=range(2026, 2026 + len(rates))), capex, lead_years=lead)
    assert t["capex"].sum() == pytest.approx(capex, abs=1e-9 * max(1, capex))
    assert t["capex_in_service"].sum() == pytest.approx(capex, abs=1e-9 * max(1, capex))
    assert (t["capex"] >= 0).all()
    # Cumulative spend always covers the capacity in service by then (capex comes first).
    assert (t["capex"].cumsum() + 1e-9 >= t["capex_in_service"].cumsum()).all()


def test_a_fractional_capex_lead_spends_the_whole_part_first():
    # Rule: a lead of k + f years spends 1 - f of the capex k years ahead and f of it
    # k + 1 years ahead. 1.25 is asymmetric (1.5 would hide swapped shares): 75% one
    # year ahead, 25% two years ahead.
    assert capex_lead_shares(1.25) == ((1, 0.75), (2, 0.25))
    assert capex_lead_shares(2) == ((2, 1.0),)
    # 100 of capex for two equal steps of run-rate (2027, 2028): each 50 lands 37.5 one year
    # ahead and 12.5 two years ahead, so 2025: 12.5, 2026: 37.5 + 12.5, 2027: 37.5.
    t = capex_timing(pd.Series([0.0, 10.0, 20.0], index=[2026, 2027, 2028]), 100, lead_years=1.25)
    spend = dict(zip(t["year"], t["capex"], strict=True))
    assert spend == pytest.approx({2024: 0.0, 2025: 12.5, 2026: 50.0, 2027: 37.5, 2028: 0.0})


def test_pue_has_one_rule_everywhere():
    # Rule (core.conventions): PUE from 1 to 3, the same for the capacity functions and
    # the model's input; 3 is allowed, just above it is refused by both with one message.
    from core.assumptions import Assumptions

    assert facility_power_mw(100, pue=3) == 300
    assert facility_power_mw(100, pue=1) == 100
    with pytest.raises(DealDeskInputError, match=r"pue must be a number >= 1 and <= 3, got 3.01"):
        facility_power_mw(100, pue=3.01)
    assert Assumptions(pue=3.0).pue == 3.0
    with pytest.raises(DealDeskInputError, match=r"pue must be a number >= 1 and <= 3, got 3.01"):
        Assumptions(pue=3.01)


def test_hours_a_year_can_be_a_leap_year_but_no_more():
    # Rule: hours_per_year up to 8,784 (366 x 24); 8,785 is refused.
    assert annual_energy_mwh(1.0, hours_per_year=8_784) == 8_784
    with pytest.raises(
        DealDeskInputError, match=r"hours_per_year must be a number > 0 and <= 8784, got 8785"
    ):
        annual_energy_mwh(1.0, hours_per_year=8_785)


def test_the_capacity_defaults_are_the_evidence_tables_central_values():
    # One place: the capacity functions' defaults are the inputs' defaults (core.evidence).
    from core.capacity import FACILITY_MUSD_PER_MW, POWER_USD_PER_MWH, PUE, RACK_PRICE_MUSD, USD_PER_GPU_HOUR

    assert (USD_PER_GPU_HOUR, RACK_PRICE_MUSD, FACILITY_MUSD_PER_MW, POWER_USD_PER_MWH, PUE) == (
        2.83,
        4.45,
        16.3,
        81.0,
        1.3,
    )


def test_facility_cost_per_mw_may_be_anything_from_zero():
    # 240 MW of IT load at $0.5M per MW: 240 × 0.5 ÷ 1,000 = $0.12B; a site already built costs 0.
    assert facility_capex_usd_bn(240.0, facility_musd_per_mw=0.5) == pytest.approx(0.12)
    assert facility_capex_usd_bn(240.0, facility_musd_per_mw=0.0) == 0.0
    with pytest.raises(DealDeskInputError, match=r"^facility_musd_per_mw must be a number >= 0, got -0\.01$"):
        facility_capex_usd_bn(240.0, facility_musd_per_mw=-0.01)


def test_capacity_from_revenue_bills_every_hour_by_default():
    # Without a utilisation every hour is billed: 5.918e9 ÷ (2.68 × 8,760) = 252,079 GPUs.
    t = capacity_from_revenue(5.918, usd_per_gpu_hour=2.68).set_index("name")
    assert t.loc["gpus", "value"] == pytest.approx(5.918e9 / (2.68 * 8760))
