"""Whole-model composition: named outputs, tables and the error for a bad name."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.assumptions import Assumptions
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


def test_margin_outputs_are_the_mix_effect(base):
    # change = deal / (base + deal) × (deal_margin − base_margin) × 10,000 in fiscal year 2.
    deal = base.outputs["ramp_year2"]
    expected = deal / (128.7 + deal) * (0.15 - 0.346) * 10_000
    assert base.outputs["margin_bps_year2"] == pytest.approx(expected)
    change = base.tables["margin"]["change_bps"]
    # Brief: 50–100 bps near-term dilution; the peak is the largest in size.
    assert base.outputs["margin_bps_peak"] == pytest.approx(change.min())
    assert -100 < base.outputs["margin_bps_peak"] < -50


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


def test_fleet_costs_leave_the_deal_margin(base):
    # Sizing rule: depreciation (capex ÷ life) + power at the peak run-rate = R × (1 − m).
    from core.margin import deal_margin_from_costs

    o = base.outputs
    m = deal_margin_from_costs(
        o["peak_run_rate"], o["deal_capex"], useful_life_years=5.0, power_cost=o["power_cost"]
    )
    assert m == pytest.approx(0.15)
    # Brief: "hundreds of thousands" of GPUs; 72 per NVL72 rack.
    assert 100_000 < o["gpus"] < 1_000_000
    assert o["racks"] == pytest.approx(o["gpus"] / 72)
    # 120 kW a rack × PUE 1.2; IT MW × $11.7M per MW.
    assert o["facility_mw"] == pytest.approx(o["racks"] * 0.120 * 1.2)
    assert o["facility_capex"] == pytest.approx(o["racks"] * 0.120 * 11.7 / 1e3)
    assert o["energy_twh"] == pytest.approx(o["facility_mw"] * 8760 / 1e6)


def test_peak_run_rate_is_the_full_linear_rate(base):
    # After the ramp the linear profile earns value / (N × norm) a day, annualised over
    # 365.25 days (the economics module's run-rate rule).
    x_f = 423 / 2557
    norm = x_f / 2 + (1 - x_f)
    assert base.outputs["peak_run_rate"] == pytest.approx(38 * 365.25 / 2557 / norm)


def test_economics_flows_sum_and_npv(base):
    t = base.tables["economics"]
    assert base.outputs["total_cash_flow"] == pytest.approx(t["cash_flow"].sum())
    # Capex spent = the fleet's capex; revenue = value × realisation.
    assert t["capex"].sum() == pytest.approx(base.outputs["deal_capex"])
    assert t["revenue"].sum() == pytest.approx(38 * 0.925)
    flows = t["cash_flow"].to_numpy()
    assert base.outputs["npv"] == pytest.approx(sum(f / 1.09**i for i, f in enumerate(flows)))
    irr = base.outputs["irr"]
    assert sum(f / (1 + irr) ** i for i, f in enumerate(flows)) == pytest.approx(0, abs=1e-9)


def test_counterparty_in_target_year(base):
    # Brief: $3.5B to $50B (about 14x) by 2027; 2024 -> 2027 is three years.
    o = base.outputs
    assert o["customer_revenue_multiple"] == pytest.approx(50 / 3.5)
    assert o["customer_required_cagr"] == pytest.approx((50 / 3.5) ** (1 / 3) - 1)
    assert o["coverage_target_year"] == pytest.approx(50 / o["commitments_target_year"])
    assert o["funding_gap_target_year"] == pytest.approx(o["commitments_target_year"] - 50)


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
    # Microsoft–OpenAI in the deal library: $250B from 2025-10-28, term undisclosed (the library
    # assumes 5 years). At the default 15% deal margin its yearly cash flows sum to about
    # −$3.6B (capex of ~$187B up front, then ~$47B a year), so the cumulative cash flow ends
    # below zero and no payback year exists.
    from core.deals import deal_assumptions
    from core.model import NoValueError

    result = run_model(deal_assumptions("Microsoft–OpenAI"))
    cumulative = result.tables["economics"]["cumulative_cash_flow"]
    assert (
        float(cumulative.iloc[-1]) == pytest.approx(result.outputs["total_cash_flow"])
        and cumulative.iloc[-1] < 0
    )
    assert result.outputs["payback_year"] is None
    assert isinstance(result.outputs["irr"], float)  # the flows change sign: an IRR (below zero) exists
    with pytest.raises(NoValueError, match=r"^payback_year: the deal never pays back"):
        model_output(deal_assumptions("Microsoft–OpenAI"), "payback_year")


def test_cash_flows_that_never_change_sign_have_no_irr():
    # A 100% deal margin leaves no costs: gpus = run-rate × (1 − 1) ÷ cost per GPU = 0, so no
    # capex and no power; every yearly cash flow is revenue after tax (>= 0) and no rate
    # makes their NPV zero.
    from core.model import NoValueError

    a = Assumptions(deal_margin=1.0)
    result = run_model(a)
    assert result.outputs["deal_capex"] == 0.0
    assert (result.tables["economics"]["cash_flow"] >= 0).all()
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
    assert result.outputs["funding_gap_target_year"] == -50.0
    with pytest.raises(NoValueError, match=r"^coverage_target_year: the customer has no commitment spend"):
        model_output(a, "coverage_target_year")


def test_output_table_shows_no_value_as_na_never_nan():
    table = run_model(Assumptions(deal_margin=1.0)).output_table()
    assert str(table["value"].dtype) == "Float64"
    values = table.set_index("name")["value"]
    assert values["irr"] is pd.NA
    assert not values.drop("irr").isna().any()


def test_every_missing_figure_says_why():
    # Only the figures the model can leave without a value carry a reason.
    assert {s.name for s in OUTPUTS if s.missing} == {"irr", "payback_year", "coverage_target_year"}


@settings(max_examples=15, deadline=None)
@given(
    deal_margin=st.sampled_from([-1.0, -0.2, 0.15, 1.0]),
    contract_value=st.floats(1.0, 500.0),
    target_year=st.integers(2025, 2045),
)
def test_outputs_are_finite_floats_or_none(deal_margin, contract_value, target_year):
    import math

    outputs = run_model(
        Assumptions(deal_margin=deal_margin, contract_value=contract_value, customer_target_year=target_year)
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
