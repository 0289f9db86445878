"""Whole-model composition: named outputs, tables and the error for a bad name."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.assumptions import Assumptions
from core.contracts import library_contracts
from core.model import FORMAT_HINTS, OUTPUTS, model_output, output_names, run_model
from core.schedule import contract_days
from core.validation import DealDeskInputError


@pytest.fixture(scope="module")
def base():
    return run_model(Assumptions())


def test_every_output_is_described_once_and_computed(base):
    names = [s.name for s in OUTPUTS]
    assert len(names) == len(set(names))
    assert list(base.outputs) == names
    assert all(s.fmt in FORMAT_HINTS for s in OUTPUTS)
    assert all(isinstance(v, float) and v == v for v in base.outputs.values())


def test_straight_line_annual_is_value_over_term(base):
    # Brief: $38B / 7 years ≈ $5.4B a year (38 / 7 = 5.428571...).
    assert base.outputs["straight_line_annual"] == pytest.approx(38 / 7)


def test_year1_straight_line_counts_contract_days(base):
    # FY2025 holds 2025-11-03..2025-12-31 = 59 of 2557 contract days.
    assert contract_days("2025-11-03", 7) == 2557
    assert base.outputs["straight_year1"] == pytest.approx(38 * 59 / 2557)
    assert base.outputs["straight_year2"] == pytest.approx(38 * 365 / 2557)


def test_ramp_year1_by_hand(base):
    # Linear ramp from 0 to full at 2026-12-31 (day 423 of 2557, x_f = 423/2557), r = 0:
    # F(x) = x^2 / (2 x_f) / norm for x < x_f, norm = x_f / 2 + (1 - x_f).
    # FY2025 ends after day 59: ramp = 38 × 0.925 × F(59/2557).
    x_f = (dt.date(2026, 12, 31) - dt.date(2025, 11, 3)).days / 2557
    norm = x_f / 2 + (1 - x_f)
    f = (59 / 2557) ** 2 / (2 * x_f) / norm
    assert base.outputs["ramp_year1"] == pytest.approx(38 * 0.925 * f)


def test_overstatement_is_straight_minus_ramp(base):
    o = base.outputs
    straight = o["straight_year1"] + o["straight_year2"]
    ramp = o["ramp_year1"] + o["ramp_year2"]
    assert o["overstatement_2y"] == pytest.approx(straight - ramp)
    assert o["overstatement_2y_pct"] == pytest.approx((straight - ramp) / ramp)
    # Brief: the straight line overstates AWS's near-term growth.
    assert o["overstatement_2y"] > 0 and o["growth_pp_gap_year2"] > 0


def test_growth_points_use_base_revenue(base):
    o = base.outputs
    # Growth in FY2026 is measured against AWS's revenue without the deal in FY2025: its reported
    # $128.7B (Amazon release 2026-02-05; the base year, so no growth applied).
    expected = (o["straight_year2"] - o["straight_year1"]) / 128.7 * 100
    assert o["growth_pp_straight_year2"] == pytest.approx(expected)
    assert o["growth_pp_gap_year2"] == pytest.approx(
        o["growth_pp_straight_year2"] - o["growth_pp_ramp_year2"]
    )


def test_tables_present(base):
    assert {"schedule", "gap"} <= set(base.tables)
    assert base.tables["schedule"]["revenue"].sum() == pytest.approx(38 * 0.925)


def test_model_output_by_name_and_bad_name():
    assert model_output(Assumptions(contract_value=76.0), "straight_line_annual") == pytest.approx(76 / 7)
    with pytest.raises(DealDeskInputError, match=r"output must be one of straight_line_annual, .*got 'nope'"):
        model_output(None, "nope")
    assert "ramp_year2" in output_names()


def test_custom_profile_is_refused_with_a_reason():
    with pytest.raises(DealDeskInputError, match="profile 'custom' needs per-period weights"):
        run_model(Assumptions(profile="custom"))


def test_margin_outputs_come_from_the_cost_stack(base):
    # Fiscal year 2 (FY2026) by hand. Capacity enters service with the run-rate: FY2025 runs at
    # r25, FY2026 at r26 = contractual FY2026 revenue × 365.25 / 365, the peak P later, so by
    # FY2026 a share r26 / P of the fleet is in service and depreciating: IT capex over 5 years
    # (Amazon FY2024 10-K), facility over 15. Power scales with revenue at the fleet's bill ÷ P;
    # other opex is 5.5% of revenue (evidence table: IREN's project EBITDA less its power). The
    # segment without the deal in FY2026: AWS FY2025's $128.7B grown one year at its FY2025 growth
    # (128.7 ÷ 107.6), at FY2025's 35.4% margin.
    o = base.outputs
    rev = o["ramp_year2"]
    r26 = rev / 0.925 * 365.25 / 365
    depreciation = (o["it_capex"] / 5 + o["facility_capex"] / 15) * r26 / o["peak_run_rate"]
    profit = rev - depreciation - o["power_cost"] / o["peak_run_rate"] * rev - 0.055 * rev
    assert o["deal_margin_year2"] == pytest.approx(profit / rev)
    segment = 128.7 * (128.7 / 107.6)
    expected = ((segment * 0.354 + profit) / (segment + rev) - 0.354) * 10_000
    assert o["margin_bps_year2"] == pytest.approx(expected)
    assert o["blended_margin_year2"] == pytest.approx(0.354 + expected / 10_000)
    # One deal margin: the margin table's deal profit is the economics table's operating profit.
    econ = base.tables["economics"].set_index("year")
    margin = base.tables["margin"].set_index("period")
    assert margin.loc["FY2026", "deal_margin"] == pytest.approx(econ.loc[2026, "deal_margin"])
    assert o["deal_margin_life"] == pytest.approx(econ["operating_profit"].sum() / econ["revenue"].sum())
    # Peak dilution: the most negative full fiscal year of the margin table; the 59-day FY2025 stub
    # (2025-11-03 to 12-31) and the 307-day FY2032 (to 2032-11-02) are shown but left out of it.
    assert margin.loc["FY2025", "contract_days"] == 59 and not margin.loc["FY2025", "full_year"]
    assert margin.loc["FY2032", "contract_days"] == 307 and not margin.loc["FY2032", "full_year"]
    full = margin[margin["full_year"]]
    assert list(full.index) == [f"FY{y}" for y in range(2026, 2032)]
    assert o["margin_bps_peak"] == pytest.approx(full["change_bps"].min())
    assert full["change_bps"].idxmin() == "FY2027"  # the first full year at the full run-rate
    assert margin.loc[["FY2025", "FY2032"], "change_bps"].notna().all()  # shown, only left out of the peak


def test_margin_moves_with_the_cost_inputs_and_the_override_flows_everywhere():
    base = run_model().outputs
    dearer = run_model(Assumptions(other_opex_share=0.25)).outputs
    assert dearer["margin_bps_year2"] < base["margin_bps_year2"]
    assert dearer["deal_margin_life"] == pytest.approx(base["deal_margin_life"] - (0.25 - 0.055))
    assert dearer["npv"] < base["npv"]
    # An explicit 15% margin: every year's deal margin is 15%, and the segment change is the mix
    # effect deal / (base + deal) × (0.15 − 0.354), the FY2026 base being 128.7 × (128.7 ÷ 107.6).
    flat = run_model(Assumptions(deal_margin_override=0.15))
    o = flat.outputs
    rev = o["ramp_year2"]
    segment = 128.7 * (128.7 / 107.6)
    assert o["deal_margin_life"] == pytest.approx(0.15)
    assert o["margin_bps_year2"] == pytest.approx(rev / (segment + rev) * (0.15 - 0.354) * 10_000)
    econ = flat.tables["economics"]
    assert econ.loc[econ["revenue"] > 0, "deal_margin"].to_numpy() == pytest.approx(0.15)
    assert o["gpus"] == base["gpus"]  # the fleet is what is sold, whatever the margin


def test_server_life_changes_depreciation_and_margin_not_the_fleet():
    # The issue: a 6-year life bought 433k GPUs instead of 368k. Now the fleet is what is sold.
    five, six = run_model(), run_model(Assumptions(useful_life_years=6.0))
    assert six.outputs["gpus"] == five.outputs["gpus"]
    assert six.outputs["deal_capex"] == five.outputs["deal_capex"]
    dep5 = five.tables["economics"].set_index("year")["depreciation"]
    dep6 = six.tables["economics"].set_index("year")["depreciation"]
    assert dep6[2027] < dep5[2027]
    assert six.outputs["margin_bps_year2"] > five.outputs["margin_bps_year2"]


def test_backlog_full_booking_adds_the_whole_value(base):
    # Brief / FACTS: $200B reported backlog + $38B = $238B, +19%.
    assert base.outputs["backlog_after_deal"] == pytest.approx(238.0)
    assert base.outputs["backlog_increase_pct"] == pytest.approx(0.19)
    assert base.outputs["backlog_deal_share"] == pytest.approx(38 / 238)


def test_current_rpo_is_the_contractual_next_twelve_months(base):
    # Contractual (u = 1) linear ramp over 2026-01-01..2026-12-31 (contract days 59..424).
    x_f = 423 / 2557
    norm = x_f / 2 + (1 - x_f)

    def cdf(x):
        return (x * x / (2 * x_f) if x < x_f else x_f / 2 + (x - x_f)) / norm

    expected = 38 * (cdf(424 / 2557) - cdf(59 / 2557))
    assert base.outputs["current_rpo"] == pytest.approx(expected)


def test_staged_booking_books_the_first_contract_year_only():
    r = run_model(Assumptions(booking="staged"))
    first_year_share = r.tables["backlog"]["bookings"].iloc[0] / 38
    assert r.outputs["backlog_added"] == pytest.approx(38 * first_year_share)
    assert r.outputs["backlog_added"] < 38 and r.tables["backlog"]["bookings"].sum() == pytest.approx(38)


def test_fleet_sells_the_peak_run_rate_at_the_price(base):
    # Price per GPU-hour: the median of the two independent Blackwell contracts' implied prices (US$):
    # IREN–Microsoft $9.7B / 5 years for ~76,000 GB300 GPUs and Nscale's tranche, up to $14B / 5
    # years for 116.6k GB300 (IREN's ARR target and Nscale's ~$23B overlap them: not counted).
    implied = [9.7e9 / 5 / (76_000 * 8760), 14e9 / 5 / (116_600 * 8760)]
    price = round(sum(implied) / 2, 2)  # 2.8276 -> $2.83, to the cent
    assert Assumptions().price_per_gpu_hour == price == 2.83
    o = base.outputs
    assert o["gpus"] == pytest.approx(o["peak_run_rate"] * 1e9 / (price * 8760))
    # Brief: "hundreds of thousands" of GPUs: 239k GB200/GB300s. 72 per NVL72 rack.
    assert round(o["gpus"], -3) == 239_000
    assert o["racks"] == pytest.approx(o["gpus"] / 72)
    # 120 kW a rack × PUE 1.3; IT MW × $16.3M per MW; racks × $4.45M of IT (evidence tables).
    assert o["facility_mw"] == pytest.approx(o["racks"] * 0.120 * 1.3)
    assert o["facility_capex"] == pytest.approx(o["racks"] * 0.120 * 16.3 / 1e3)
    assert o["it_capex"] == pytest.approx(o["racks"] * 4.45 / 1e3)
    assert o["energy_twh"] == pytest.approx(o["facility_mw"] * 8760 / 1e6)


def test_a_disclosed_fleet_is_used_as_given():
    # IREN–Microsoft: ~200 MW of IT load = 200,000 kW ÷ (120 kW ÷ 72 GPUs) = 120,000 GPUs.
    assert run_model(Assumptions(fleet_it_mw=200.0)).outputs["gpus"] == pytest.approx(120_000)
    # Both disclosed and within 10% of each other at the rack density: the GPU count is the fleet.
    assert run_model(Assumptions(fleet_gpus=125_000.0, fleet_it_mw=200.0)).outputs["gpus"] == 125_000


def test_peak_run_rate_is_the_full_linear_rate(base):
    # After the ramp the linear profile earns value / (N × norm) a day, annualised over
    # 365.25 days (the economics module's run-rate rule).
    x_f = 423 / 2557
    norm = x_f / 2 + (1 - x_f)
    assert base.outputs["peak_run_rate"] == pytest.approx(38 * 365.25 / 2557 / norm)


def test_economics_flows_sum_and_npv(base):
    import datetime as dt

    t = base.tables["economics"]
    assert base.outputs["total_cash_flow"] == pytest.approx(t["cash_flow"].sum())
    # Capex spent = the fleet's capex and, on 5-year servers in a contract running to FY2032, the IT
    # capex once more: the cohorts entering service in FY2025, FY2026 and FY2027 are all bought again
    # (FY2030, FY2031, FY2032). Revenue = value × realisation.
    o = base.outputs
    assert t["refresh_capex"].sum() == pytest.approx(o["it_capex"])
    assert t["capex"].sum() == pytest.approx(o["deal_capex"] + o["it_capex"])
    assert t["revenue"].sum() == pytest.approx(38 * 0.925)
    # Every dollar of capex is either depreciated inside the contract or carried out as residual value.
    assert t["depreciation"].sum() + t["residual_value"].sum() == pytest.approx(t["capex"].sum())
    # No windfall at the end: FY2031, six years in, carries the whole fleet's depreciation as FY2028 does,
    # IT over 5 years plus facility over 15.
    dep = t.set_index("year")["depreciation"]
    assert dep[2031] == pytest.approx(dep[2028]) and dep[2028] == pytest.approx(
        o["it_capex"] / 5 + o["facility_capex"] / 15
    )
    # NPV at the signing date (2025-11-03): each fiscal year's flow dated at 31 December, 9%.
    signing = dt.date(2025, 11, 3)
    flows = t["cash_flow"].to_numpy()
    years = [(dt.date(int(y), 12, 31) - signing).days / 365.25 for y in t["year"]]
    assert base.outputs["npv"] == pytest.approx(
        sum(f * 1.09**-tau for f, tau in zip(flows, years, strict=True))
    )
    # The IRR discounts the same dated flows (one day-count): the NPV at the IRR is zero.
    irr = base.outputs["irr"]
    assert sum(f * (1 + irr) ** -tau for f, tau in zip(flows, years, strict=True)) == pytest.approx(
        0, abs=1e-9
    )


def test_npv_is_valued_at_the_signing_date_whatever_the_capex_lead():
    # The issue: the valuation year moved with the capex lead. A flow that does not change keeps
    # its discount factor: with no capex at all (a 100% override leaves revenue after tax only)
    # the NPV is the same for a lead of 0 and of 2 years.
    flat = {"deal_margin_override": 1.0, "rack_price_musd": 1e-9, "facility_musd_per_mw": 0.0}
    a0 = run_model(Assumptions(capex_lead_years=0.0, **flat)).outputs["npv"]
    a2 = run_model(Assumptions(capex_lead_years=2.0, **flat)).outputs["npv"]
    assert a0 == pytest.approx(a2, rel=1e-9)


def test_counterparty_in_target_year(base):
    # OpenAI 2025 revenue $13.1B (CNBC/Reuters, 2026-02-20) to its >$280B target for 2030: five years.
    o = base.outputs
    assert o["customer_revenue_multiple"] == pytest.approx(280 / 13.1)
    assert o["customer_required_cagr"] == pytest.approx((280 / 13.1) ** (1 / 5) - 1)
    assert o["coverage_target_year"] == pytest.approx(280 / o["commitments_target_year"])
    assert o["funding_gap_target_year"] == pytest.approx(o["commitments_target_year"] - 280)


def test_coverage_is_on_the_customers_calendar_whatever_the_providers_year_end():
    # The issue: 0.417 at a December year-end, 0.558 at June. The customer's year is its own.
    december = run_model(Assumptions(fiscal_year_end=12)).outputs["coverage_target_year"]
    june = run_model(Assumptions(fiscal_year_end=6)).outputs["coverage_target_year"]
    assert june == pytest.approx(december)


def test_forfeit_totals_agree_across_schedule_outputs_and_backlog():
    # Two quarters' delay (183 days) forfeits the tail: F((N − d) / N) of the value is delivered.
    # Linear ramp to x_f = 423/2557, norm = x_f/2 + (1 − x_f); F(x) = (x_f/2 + x − x_f) / norm past x_f.
    a = Assumptions(delay_quarters=2.0, delay_mode="forfeit")
    r = run_model(a)
    x_f, n, d = 423 / 2557, 2557, 183
    norm = x_f / 2 + (1 - x_f)
    delivered = (x_f / 2 + (n - d) / n - x_f) / norm
    o = r.outputs
    assert o["forfeited_value"] == pytest.approx(38 * (1 - delivered))
    assert o["expected_revenue_total"] == pytest.approx(38 * 0.925 * delivered)
    assert r.tables["schedule"]["revenue"].sum() == pytest.approx(o["expected_revenue_total"])
    assert r.tables["economics"]["revenue"].sum() == pytest.approx(o["expected_revenue_total"])
    assert o["unused_commitment"] == pytest.approx(38 - o["expected_revenue_total"])
    backlog = r.tables["backlog"]
    assert backlog["recognised"].sum() == pytest.approx(o["expected_revenue_total"])
    assert backlog["derecognised"].sum() == pytest.approx(o["unused_commitment"])


def test_event_study_reproduces_the_brief(base):
    # Brief: +5.8% from $244.22 to $258.38 on 10,690,216,011 shares: ~$151B, ~4x the $38B.
    o = base.outputs
    assert o["price_after"] == pytest.approx(258.38, abs=0.01)
    assert o["value_added"] == pytest.approx((258.3848 - 244.22) * 10.690216011, rel=1e-5)
    assert o["value_added_to_contract"] == pytest.approx(o["value_added"] / 38)
    assert o["abnormal_return"] == pytest.approx(0.058)
    # $2,762B today needs ~4.2% a year to pass $3T by 2027; at zero growth it does not pass.
    assert o["market_value_required_growth"] == pytest.approx((3000 / o["market_value_after"]) ** 0.5 - 1)
    assert o["market_value_passes"] == 0.0
    assert o["cloud_shock_value"] == pytest.approx(-0.15 * o["market_value_after"])


@settings(max_examples=12, deadline=None)
@given(scale=st.floats(0.1, 10.0), realisation=st.floats(0.5, 1.0), delay=st.integers(0, 8))
def test_scaling_the_contract_scales_every_money_figure(scale, realisation, delay):
    # Revenue, backlog, fleet, capex and cash flows are all linear in the contract value.
    a = Assumptions(realisation=realisation, delay_quarters=float(delay))
    one, k = run_model(a).outputs, run_model(a.replace(contract_value=38.0 * scale)).outputs
    for name in (
        "ramp_year1",
        "ramp_year2",
        "overstatement_2y",
        "current_rpo",
        "backlog_added",
        "gpus",
        "deal_capex",
        "energy_twh",
        "npv",
        "total_cash_flow",
    ):
        assert k[name] == pytest.approx(one[name] * scale, rel=1e-9, abs=1e-12), name
    # Ratios do not move.
    assert k["overstatement_2y_pct"] == pytest.approx(one["overstatement_2y_pct"], rel=1e-9)
    assert k["value_added"] == pytest.approx(one["value_added"])
    assert k["value_added_to_contract"] == pytest.approx(one["value_added_to_contract"] / scale)


# --------------------------------------------------------------------------- figures with no value


def test_a_deal_that_never_pays_back_has_no_payback_year():
    # A deal run at a 20% operating loss (override −0.2): over its life depreciation plus residual
    # value give back exactly the capex, so the cash flows sum to −0.2 × (1 − 21% tax) × revenue
    # = −0.158 × 38 × 0.925 < 0: the cumulative cash flow ends below zero, no payback year.
    from core.model import NoValueError

    a = Assumptions(deal_margin_override=-0.2)
    result = run_model(a)
    cumulative = result.tables["economics"]["cumulative_cash_flow"]
    assert float(cumulative.iloc[-1]) == pytest.approx(result.outputs["total_cash_flow"])
    assert result.outputs["total_cash_flow"] == pytest.approx(-0.2 * 0.79 * 38 * 0.925)
    assert result.outputs["payback_year"] is None
    assert isinstance(result.outputs["irr"], float)  # the flows change sign: an IRR (below zero) exists
    with pytest.raises(NoValueError, match=r"^payback_year: the deal never pays back"):
        model_output(a, "payback_year")


def test_cash_flows_that_never_change_sign_have_no_irr():
    # A 100% margin override and (next to) free racks and buildings leave no costs: every yearly
    # cash flow is revenue after tax (>= 0) and no rate makes their NPV zero.
    from core.model import NoValueError

    a = Assumptions(deal_margin_override=1.0, rack_price_musd=1e-300, facility_musd_per_mw=0.0)
    result = run_model(a)
    assert result.outputs["deal_capex"] < 1e-200
    assert (result.tables["economics"]["cash_flow"] > -1e-250).all()
    assert result.outputs["irr"] is None
    with pytest.raises(NoValueError, match=r"^irr: no IRR exists for these cash flows"):
        model_output(a, "irr")


def test_a_target_year_without_commitments_has_no_coverage_ratio():
    # OpenAI's commitments in the deal library end by 2032 (the last, AWS–OpenAI, runs to
    # 2032-11-02), so in 2040 there is nothing to cover: no ratio, and a funding gap of minus
    # the whole target revenue.
    from core.model import NoValueError

    a = Assumptions(customer_target_year=2040)
    result = run_model(a)
    assert 2040 not in set(result.tables["counterparty"]["year"])
    assert result.outputs["coverage_target_year"] is None
    assert result.outputs["commitments_target_year"] == 0.0
    assert result.outputs["funding_gap_target_year"] == -280.0
    with pytest.raises(NoValueError, match=r"^coverage_target_year: the customer has no commitment spend"):
        model_output(a, "coverage_target_year")


def test_output_table_shows_no_value_as_na_never_nan():
    table = run_model(
        Assumptions(deal_margin_override=1.0, rack_price_musd=1e-300, facility_musd_per_mw=0.0)
    ).output_table()
    assert str(table["value"].dtype) == "Float64"
    values = table.set_index("name")["value"]
    assert values["irr"] is pd.NA
    assert not values.drop("irr").isna().any()


def test_every_missing_figure_says_why():
    # Only the figures the model can leave without a value carry a reason.
    assert {s.name for s in OUTPUTS if s.missing} == {
        "irr",
        "payback_year",
        "coverage_target_year",
        "backlog_increase_pct",
        "backlog_deal_share",
        "deal_capex_share_2026",
        "market_value_passes",
        "market_value_required_growth",
    }


def test_no_market_value_threshold_leaves_the_test_without_a_value():
    # 0 is "no threshold" (another provider than the article's Amazon): the test has no value,
    # never a pass against 0; the market value in the threshold year still grows. From the
    # reference case: 258.38 × 10.690216011 bn shares = 2,762.19 after the news; growth 0.
    o = run_model(Assumptions(market_value_target=0.0)).outputs
    assert o["market_value_passes"] is None and o["market_value_required_growth"] is None
    assert o["market_value_target_year"] == pytest.approx(244.22 * 1.058 * 10.690216011, rel=1e-9)
    valuation = run_model(Assumptions(market_value_target=0.0)).tables["valuation"].set_index("name")
    assert pd.isna(valuation.loc["threshold", "value"]) and pd.isna(valuation.loc["required_growth", "value"])
    # The smallest threshold asks the question again: US$1 (thousandth of a bn) is passed.
    assert run_model(Assumptions(market_value_target=1e-3)).outputs["market_value_passes"] == 1.0
    from core.model import NoValueError

    with pytest.raises(NoValueError, match=r"^market_value_passes: no market-value threshold is set \(0\)"):
        model_output(Assumptions(market_value_target=0.0), "market_value_passes")


def test_undisclosed_backlog_and_capex_give_no_ratio_not_100_percent():
    # 0 stands for "not disclosed" (Nebius, IREN, Nscale): no ratio, never a misleading 100% or 0%.
    from core.model import NoValueError

    o = run_model(Assumptions(reported_backlog=0.0, capex_2026=0.0)).outputs
    assert o["backlog_increase_pct"] is None and o["backlog_deal_share"] is None
    assert o["deal_capex_share_2026"] is None
    assert o["backlog_after_deal"] == 38.0
    with pytest.raises(NoValueError, match=r"^backlog_increase_pct: no reported backlog before the deal"):
        model_output(Assumptions(reported_backlog=0.0), "backlog_increase_pct")


@settings(max_examples=15, deadline=None)
@given(
    deal_margin=st.sampled_from([None, -1.0, -0.2, 0.15, 1.0]),
    contract_value=st.floats(1.0, 500.0),
    target_year=st.integers(2026, 2045),  # after the customer's 2025 start year
)
def test_outputs_are_finite_floats_or_none(deal_margin, contract_value, target_year):
    import math

    outputs = run_model(
        Assumptions(
            deal_margin_override=deal_margin, contract_value=contract_value, customer_target_year=target_year
        )
    ).outputs
    assert all(v is None or (isinstance(v, float) and math.isfinite(v)) for v in outputs.values())
    missing = {s.name for s in OUTPUTS if s.missing}
    assert {k for k, v in outputs.items() if v is None} <= missing


# --------------------------------------------------------------------------- market value growth


def test_market_value_grows_to_the_threshold_year():
    # Brief: $244.22 × 1.058 = $258.38 a share × 10.690216011bn shares ≈ $2,762B after the news,
    # below the $3,000B threshold if carried flat to 2027 (the default: growth 0). Grown at 5%
    # a year for the two years 2025 → 2027: 2,762 × 1.05² ≈ 3,045 ≥ 3,000, so it passes.
    flat = run_model(Assumptions()).outputs
    after = 244.22 * 1.058 * 10.690216011
    assert flat["market_value_target_year"] == pytest.approx(after)
    assert flat["market_value_passes"] == 0.0
    grown = run_model(Assumptions(market_value_growth=0.05)).outputs
    assert grown["market_value_target_year"] == pytest.approx(after * 1.05**2)
    assert grown["market_value_passes"] == 1.0
    # The growth needed does not depend on the growth assumed: (3000 / 2762)^(1/2) − 1 ≈ 4.2%.
    assert grown["market_value_required_growth"] == pytest.approx((3000 / after) ** 0.5 - 1)
    assert grown["market_value_required_growth"] == flat["market_value_required_growth"]


@pytest.mark.parametrize("bad", [-0.6, 1.5])
def test_market_value_growth_is_bounded(bad):
    with pytest.raises(
        DealDeskInputError, match=rf"^market_value_growth must be a number >= -0.5 and <= 1, got {bad}"
    ):
        Assumptions(market_value_growth=bad)


def test_market_value_growth_is_a_labelled_valuation_assumption():
    from core.assumptions import INPUTS

    spec = next(s for s in INPUTS if s.name == "market_value_growth")
    assert (spec.default, spec.group, spec.minimum, spec.maximum) == (0.0, "Valuation", -0.5, 1.0)
    assert spec.source.startswith("Analyst assumption")


def test_cached_figures_follow_the_inputs_and_cannot_be_changed():
    # model_outputs keeps recent results per (hashable, frozen) Assumptions: a changed input
    # gets its own run, and the shared result is read-only.
    from core.model import model_outputs

    base, bigger = Assumptions(), Assumptions(contract_value=76.0)
    assert model_outputs(bigger)["backlog_added"] == 76.0
    assert model_outputs(base)["backlog_added"] == 38.0
    assert model_outputs(base)["ramp_year2"] == run_model(base).outputs["ramp_year2"]
    with pytest.raises(TypeError):
        model_outputs(base)["ramp_year2"] = 0.0  # type: ignore[index]


@pytest.mark.parametrize(
    ("name", "bad", "good"),
    [("billable_share", 0.0099, 0.01), ("price_per_gpu_hour", 0.0099, 0.01)],
)
def test_the_fleet_inputs_have_a_floor_that_keeps_every_figure_finite(name, bad, good):
    # billable_share 1e-300 once gave an infinite fleet and power bill; the floor is 1% of hours
    # and a cent a GPU-hour, and at the floor every figure is a finite number or None.
    import math

    with pytest.raises(DealDeskInputError, match=rf"^{name} must be a number >= 0.01"):
        Assumptions(**{name: bad})
    outputs = run_model(Assumptions(**{name: good})).outputs
    assert all(v is None or math.isfinite(v) for v in outputs.values())


# --------------------------------------------------------------------------- one world: the model's own rules


#: The one case where a delay raises the NPV on the yearly grid (stated in README): Microsoft–Nebius
#: forfeiting one quarter gains $0.013B, the uncommitted capex landing a year later with less refresh.
_YEARLY_GRID_GAINS = {("Microsoft–Nebius", "forfeit", 1.0)}


@pytest.mark.parametrize("mode", ["compress", "forfeit"])
@pytest.mark.parametrize("deal", list(library_contracts()["deal"]))
def test_a_compress_or_forfeit_delay_never_makes_the_provider_better_off(deal, mode):
    # A compressed delivery needs a bigger fleet for its higher peak (a disclosed one, Oracle's 4.5 GW,
    # grows in the same ratio); a forfeit loses the tail while committed capex lands on plan. Neither
    # may raise the NPV, whatever its sign undelayed.
    from core.deals import deal_assumptions

    a = deal_assumptions(deal)
    undelayed = run_model(a).outputs
    for quarters in (1.0, 2.0, 3.0, 4.0, 6.0):
        delayed = run_model(a.replace(delay_quarters=quarters, delay_mode=mode)).outputs
        gains = delayed["npv"] >= undelayed["npv"]
        # A deal that loses money on what it delivers (a negative life margin: the AWS–OpenAI expansion,
        # 2 GW priced on GB200 evidence) loses less when a forfeit makes it deliver less.
        losing = mode == "forfeit" and undelayed["deal_margin_life"] < 0
        assert gains == (losing or (deal, mode, quarters) in _YEARLY_GRID_GAINS), (deal, mode, quarters)


def test_a_compressed_delivery_sizes_the_fleet_to_its_squeezed_peak():
    # AWS–OpenAI delayed 4 quarters (365 days) in compress mode: the same $38B and the same shape (a ramp
    # over x_f = 423/2557 of it) squeezed into 2557 − 365 days, so the full run-rate is
    # 38 × 365.25 ÷ (2192 × (1 − x_f/2)), against 38 × 365.25 ÷ (2557 × (1 − x_f/2)) undelayed: the fleet
    # grows by that ratio.
    plan = run_model().outputs
    squeezed = run_model(Assumptions(delay_quarters=4.0, delay_mode="compress")).outputs
    rate = lambda n: 38 * 365.25 / (n * (1 - 423 / 2557 / 2))  # noqa: E731 - a formula in one line
    assert squeezed["peak_run_rate"] == pytest.approx(rate(2557 - 365))  # 4 quarters = 365 days
    assert plan["peak_run_rate"] == pytest.approx(rate(2557))
    assert squeezed["gpus"] / plan["gpus"] == pytest.approx(rate(2192) / rate(2557))
    # Extend and forfeit keep the plan's shape and its fleet.
    for mode in ("extend", "forfeit"):
        assert run_model(Assumptions(delay_quarters=4.0, delay_mode=mode)).outputs["gpus"] == plan["gpus"]


def test_oracle_openai_is_booked_at_signing_not_when_it_starts_earning():
    # Signed 2025-09-10 (Oracle's FY2026Q2: Sep–Nov 2025), earning from 2027-01-01: the $300B is in
    # backlog from the signing quarter, on top of the $138B reported at May-25, and nothing of it is
    # due in the 12 months after 2025-11-30 (current RPO 0).
    from core.deals import deal_assumptions

    r = run_model(deal_assumptions("Oracle–OpenAI"))
    roll = r.tables["backlog"]
    assert roll["period"].iloc[0] == "FY2026Q2"
    assert roll["bookings"].iloc[0] == 300.0 and roll["recognised"].iloc[:5].sum() == 0.0
    assert r.outputs["backlog_after_deal"] == 138.0 + 300.0
    assert r.outputs["current_rpo"] == 0.0
    # A booking date given as an input moves it (never after the start).
    later = run_model(deal_assumptions("Oracle–OpenAI").replace(booking_date=dt.date(2026, 6, 1)))
    assert later.tables["backlog"]["period"].iloc[0] == "FY2027Q1"


def test_capex_is_never_spent_before_the_signing_year():
    # The ramp's capex, bought a year ahead, would land in FY2024 for a deal signed in November 2025;
    # nothing is built for a contract before it is signed, so the first capex year is FY2025.
    t = run_model().tables["economics"]
    assert int(t["year"].iloc[0]) == 2025
    # The capex column is the build plus the refresh: the build is the deal's capex, and the 5-year
    # servers the 7-year contract outlives are bought once more (the IT capex again).
    o = run_model().outputs
    assert (t["capex"] - t["refresh_capex"]).sum() == pytest.approx(o["deal_capex"])
    assert t["refresh_capex"].sum() == pytest.approx(o["it_capex"])
