"""Scenarios, two-way sensitivity grids and tornado ranges over the whole model."""

from __future__ import annotations

import datetime as dt

import pytest

from core.assumptions import SCENARIOS, Assumptions, scenario_assumptions
from core.model import run_model
from core.scenarios import scenario_outputs, sensitivity, tornado
from core.validation import DealDeskInputError


def test_scenario_columns_are_run_model_on_each_scenario():
    t = scenario_outputs(None, ["ramp_year2", "npv", "margin_bps_peak"]).set_index("output")
    assert list(t.columns) == ["label", "unit", "base", "bull", "bear"]

    # FY2026 revenue by hand: linear ramp from 0 to full rate at x_f (days from 2025-11-03 over
    # 2,557), F(x) = x^2 / (2 x_f) / (1 - x_f / 2) before x_f, (x_f / 2 + x - x_f) / (1 - x_f / 2)
    # after; FY2026 is contract days 59 to 424. Base: u = 0.925, full at 2026-12-31 (day 423);
    # bull: u = 0.95, full three months earlier, 2026-09-30 (day 331).
    def fy2026(u: float, full_day: int) -> float:
        x_f = full_day / 2557

        def f(x: float) -> float:
            return (x * x / (2 * x_f) if x < x_f else x_f / 2 + x - x_f) / (1 - x_f / 2)

        return 38 * u * (f(424 / 2557) - f(59 / 2557))

    assert t.loc["ramp_year2", "base"] == pytest.approx(fy2026(0.925, 423), rel=1e-12)
    assert t.loc["ramp_year2", "bull"] == pytest.approx(fy2026(0.95, 331), rel=1e-12)
    # NPV: each scenario's own cash flows, dated at their December year ends and discounted
    # at 9% to the signing date by actual days / 365.25.
    for name in SCENARIOS:
        flows = run_model(scenario_assumptions(Assumptions(), name)).tables["economics"]
        npv = sum(
            cf / 1.09 ** ((dt.date(int(y), 12, 31) - dt.date(2025, 11, 3)).days / 365.25)
            for y, cf in zip(flows["year"], flows["cash_flow"], strict=True)
        )
        assert t.loc["npv", name] == pytest.approx(npv, rel=1e-12)
    # Bear: two-quarter delay (capex lands, revenue waits), 90% realisation -> less FY2026 revenue,
    # a lower NPV and deeper peak dilution; bull the other way.
    assert t.loc["ramp_year2", "bear"] < t.loc["ramp_year2", "base"] < t.loc["ramp_year2", "bull"]
    assert t.loc["npv", "bear"] < t.loc["npv", "base"] < t.loc["npv", "bull"]
    assert t.loc["margin_bps_peak", "bear"] < t.loc["margin_bps_peak", "base"]


def test_scenarios_differ_on_valuation_as_the_article_frames_them():
    # After the news: $244.22 × 1.058 × 10.690216011bn shares = $2,762B. Base: carried flat to
    # 2027, below $3T. Bull: 10% a year for 2025 -> 2027 passes $3T (× 1.21). Bear: the −15%
    # cloud shock, carried flat.
    t = scenario_outputs(None, ["market_value_target_year", "market_value_passes"]).set_index("output")
    after = 244.22 * 1.058 * 10.690216011
    assert t.loc["market_value_target_year", "base"] == pytest.approx(after)
    assert t.loc["market_value_target_year", "bull"] == pytest.approx(after * 1.1**2)
    assert t.loc["market_value_target_year", "bear"] == pytest.approx(after * 0.85)
    assert t.loc["market_value_passes"].tolist()[2:] == [0.0, 1.0, 0.0]


def test_scenarios_apply_to_the_given_base():
    a = Assumptions(contract_value=76.0)
    t = scenario_outputs(a, "straight_line_annual", ["bear"])
    assert t["bear"].iloc[0] == pytest.approx(76 / 7)


def test_sensitivity_grid_equals_run_model_cell_by_cell():
    rows, cols = [2.0, 2.68, 3.5], [0.90, 0.95, 1.0]
    g = sensitivity(None, "npv", "price_per_gpu_hour", rows, "realisation", cols)
    assert g.index.name == "price_per_gpu_hour" and g.columns.name == "realisation" and g.shape == (3, 3)
    for r in rows:
        for c in cols:
            expected = run_model(Assumptions(price_per_gpu_hour=r, realisation=c)).outputs["npv"]
            assert g.loc[r, c] == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_sensitivity_over_choices_and_dates_runs_the_full_model():
    g = sensitivity(None, "ramp_year2", "delay_mode", ["extend", "forfeit"], "delay_quarters", [0, 2])
    assert g.loc["extend", 0.0] == pytest.approx(g.loc["forfeit", 0.0])
    assert g.loc["extend", 2.0] == pytest.approx(
        run_model(Assumptions(delay_quarters=2)).outputs["ramp_year2"]
    )
    # Servers that last the contract (5 + 3 years, no refresh to move with the ramp): an earlier full
    # run-rate earns the same margin sooner, so a higher IRR.
    lasting = Assumptions(server_life_extension_years=3)
    h = sensitivity(lasting, "irr", "full_at", ["2026-06-30", "2026-12-31"], "deal_margin_override", [0.15])
    assert h.iloc[0, 0] > h.iloc[1, 0]


def test_sensitivity_errors_name_the_argument():
    with pytest.raises(DealDeskInputError, match="row_input and col_input must differ"):
        sensitivity(None, "npv", "tax_rate", [0.1], "tax_rate", [0.2])
    with pytest.raises(DealDeskInputError, match="row_input must be an input name"):
        sensitivity(None, "npv", "margin", [0.1], "tax_rate", [0.2])
    with pytest.raises(DealDeskInputError, match="realisation must be a number > 0 and <= 1"):
        sensitivity(None, "npv", "tax_rate", [0.1], "realisation", [95])
    with pytest.raises(DealDeskInputError, match="output must be one of"):
        sensitivity(None, "profit", "tax_rate", [0.1], "realisation", [0.9])
    # The term must be whole months: 6.3 years is refused with the schedule's reason.
    with pytest.raises(DealDeskInputError, match="term_years"):
        sensitivity(None, "npv", "term_years", [6.3], "realisation", [0.9])


def test_tornado_swings_each_input_alone_and_sorts_by_range():
    t = tornado(None, "npv", ["other_opex_share", "discount_rate", "prior_close"], swing=0.2)
    assert t["range"].is_monotonic_decreasing
    row = t.set_index("input").loc["discount_rate"]
    assert row["low_value"] == pytest.approx(0.072) and row["high_value"] == pytest.approx(0.108)
    # The cash flows do not depend on the rate: discount the base case's at 7.2% and 9% by hand
    # (December year ends to the 2025-11-03 signing date, actual days / 365.25).
    flows = run_model().tables["economics"]

    def npv(rate: float) -> float:
        return sum(
            cf / (1 + rate) ** ((dt.date(int(y), 12, 31) - dt.date(2025, 11, 3)).days / 365.25)
            for y, cf in zip(flows["year"], flows["cash_flow"], strict=True)
        )

    assert row["output_low"] == pytest.approx(npv(0.072), rel=1e-12)
    assert row["base_output"] == pytest.approx(npv(0.09), rel=1e-12)
    # The share price does not move the deal's NPV.
    assert t.set_index("input").loc["prior_close", "range"] == 0.0


def test_tornado_keeps_values_inside_the_rule_and_takes_explicit_ranges():
    t = tornado(
        None, "ramp_year2", ["realisation", "delay_quarters"], ranges={"delay_quarters": (0, 4)}
    ).set_index("input")
    # 0.925 × 1.1 would exceed 1: the high value is capped at the rule's maximum.
    assert t.loc["realisation", "high_value"] == 1.0
    assert t.loc["delay_quarters", "output_high"] == pytest.approx(
        run_model(Assumptions(delay_quarters=4)).outputs["ramp_year2"]
    )
    with pytest.raises(
        DealDeskInputError, match="profile is not a number; give its \\(low, high\\) in ranges"
    ):
        tornado(None, "npv", ["profile"])
    with pytest.raises(DealDeskInputError, match="swing must be a number >= 0 and <= 1"):
        tornado(None, "npv", ["tax_rate"], swing=10)
    with pytest.raises(DealDeskInputError, match="fleet_gpus is blank in the base case; give its"):
        tornado(None, "npv", ["fleet_gpus"])


def test_tornado_rounds_the_term_to_whole_months():
    # The issue: tornado(None, "npv", ["term_years"]) crashed on 7 × 0.9 = 6.3 years. 7 years
    # ± 10% is 75.6 and 92.4 months: 76 and 92 months.
    t = tornado(None, "npv", ["term_years"]).set_index("input")
    assert t.loc["term_years", "low_value"] == pytest.approx(76 / 12)
    assert t.loc["term_years", "high_value"] == pytest.approx(92 / 12)
    assert t.loc["term_years", "output_low"] == pytest.approx(
        run_model(Assumptions(term_years=76 / 12)).outputs["npv"]
    )


def test_tornado_moves_a_count_of_gpus_to_whole_numbers():
    # 72 GPUs per rack ± 10% is 64.8 and 79.2: a rack holds whole GPUs, so 65 and 79 (rounded).
    t = tornado(None, "npv", ["gpus_per_rack"]).set_index("input")
    assert (t.loc["gpus_per_rack", "low_value"], t.loc["gpus_per_rack", "high_value"]) == (65, 79)
    assert t.loc["gpus_per_rack", "output_low"] == pytest.approx(
        run_model(Assumptions(gpus_per_rack=65)).outputs["npv"]
    )
    # An input of other units keeps its exact ±10%: a PUE of 1.3 gives 1.17 and 1.43.
    t = tornado(None, "npv", ["kw_per_rack", "pue"]).set_index("input")
    assert (t.loc["pue", "low_value"], t.loc["pue", "high_value"]) == pytest.approx((1.17, 1.43))
    assert t.loc["kw_per_rack", "high_value"] == pytest.approx(132.0)


def test_server_life_is_no_longer_the_top_npv_driver():
    # The issue: a fleet solved from the margin made depreciation life the top NPV driver. Now the
    # life moves the timing of depreciation (tax), when the servers are bought again and the
    # residual value, never the fleet; the price of a GPU-hour, which sizes the fleet, moves NPV more.
    t = tornado(None, "npv", ["useful_life_years", "price_per_gpu_hour"]).set_index("input")
    assert t.loc["price_per_gpu_hour", "range"] > t.loc["useful_life_years", "range"] > 0


def test_default_tornado_covers_every_simulated_input():
    from core.simulation import SIMULATION_INPUTS

    t = tornado(None, "margin_bps_year2")
    assert set(t["input"]) == set(SIMULATION_INPUTS)
    # Inputs that play no part in the first full year's margin do not move it: the share price,
    # the customer's path, the market value, backlog, the discount rate and the 2026 capex guide.
    still = {
        "prior_close",
        "move_pct",
        "market_move_pct",
        "shares_outstanding",
        "market_value_target",
        "market_value_growth",
        "cloud_shock",
        "customer_revenue_start",
        "customer_revenue_target",
        "reported_backlog",
        "discount_rate",
        "tax_rate",
        "capex_2026",
        "us_consumption_twh",
        "initial_rate",  # 0 in the base case: ±10% leaves it at 0
        "delay_quarters",  # 0: no delay either way
    }
    ranges = t.set_index("input")["range"]
    assert (ranges[sorted(still)] == 0).all()
    # The cost stack and the revenue mix do.
    for mover in ("base_margin", "base_revenue", "realisation", "price_per_gpu_hour", "other_opex_share"):
        assert ranges[mover] > 0, mover


# --------------------------------------------------------------------------- relative overrides


def test_bull_reaches_full_run_rate_one_quarter_before_the_base():
    import datetime as dt

    from core.assumptions import Shift
    from core.deals import deal_assumptions

    assert SCENARIOS["bull"]["full_at"] == Shift(-3)
    # AWS–OpenAI: all capacity by end-2026 (announcement), so the bull case has it by 2026-09-30.
    assert scenario_assumptions(Assumptions(), "bull").full_at == dt.date(2026, 9, 30)
    # Oracle–OpenAI starts 2027-01-01 with full run-rate from 2028-02-28 in the library: the bull
    # case moves it to 2027-11-28, after the start (a fixed 2026-09-30 came before it), so its
    # ramp is ahead of the base case, as for every other deal.
    oracle = deal_assumptions("Oracle–OpenAI")
    bull = scenario_assumptions(oracle, "bull")
    assert (oracle.full_at, bull.full_at) == (dt.date(2028, 2, 28), dt.date(2027, 11, 28))
    assert bull.full_at > bull.start_date
    base_ramp = run_model(oracle).outputs["ramp_year2"]
    assert run_model(bull).outputs["ramp_year2"] > base_ramp


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        # Excel: =EDATE(DATE(2024,3,31),-1) is 2024-02-29 (clipped to the month's last day).
        ("2024-03-31", -1, "2024-02-29"),
        ("2025-01-31", 1, "2025-02-28"),
        ("2026-12-31", -3, "2026-09-30"),
        ("2025-01-15", -14, "2023-11-15"),
        ("2025-11-03", 0, "2025-11-03"),
    ],
)
def test_shift_moves_a_date_as_excel_edate(day, months, expected):
    import datetime as dt

    from core.assumptions import Shift

    assert Shift(months).apply(day) == dt.date.fromisoformat(expected)


def test_shift_refuses_a_fractional_month():
    from core.assumptions import Shift

    with pytest.raises(DealDeskInputError, match=r"^months must be a whole number"):
        Shift(1.5)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- figures with no value


#: A deal run at a loss: a −20% operating margin never pays back (see test_model).
LOSS = {"deal_margin_override": -0.2}


def test_scenario_table_shows_a_missing_figure_as_na():
    import pandas as pd

    a = Assumptions(**LOSS)
    t = scenario_outputs(a, ["payback_year", "npv"], ["base", "bull"]).set_index("output")
    assert str(t["base"].dtype) == "Float64"
    assert t.loc["payback_year", "base"] is pd.NA
    assert t.loc["npv", "base"] == pytest.approx(run_model(a).outputs["npv"])


def test_scenario_output_with_no_value_says_why():
    from core.model import NoValueError
    from core.scenarios import scenario_output

    with pytest.raises(NoValueError, match=r"^payback_year: the deal never pays back"):
        scenario_output(Assumptions(**LOSS), "base", "payback_year")


def test_sensitivity_and_tornado_leave_missing_cells_na():
    import pandas as pd

    a = Assumptions()
    g = sensitivity(a, "payback_year", "deal_margin_override", [-0.2, 0.4], "realisation", [0.925])
    assert g.loc[-0.2, 0.925] is pd.NA
    assert g.loc[0.40, 0.925] == run_model(a.replace(deal_margin_override=0.4)).outputs["payback_year"]
    t = tornado(a, "payback_year", ["deal_margin_override"], ranges={"deal_margin_override": (-0.2, 0.4)})
    assert t["output_low"].iloc[0] is pd.NA and t["range"].iloc[0] is pd.NA
    assert t["output_high"].iloc[0] == g.loc[0.40, 0.925]


def test_market_value_growth_is_an_ordinary_input_of_the_grids():
    # Grown 0% and 10% a year from 2025 to 2027: the market value in 2027 is × 1 and × 1.21.
    g = sensitivity(None, "market_value_target_year", "market_value_growth", [0.0, 0.1], "move_pct", [0.058])
    assert g.loc[0.1, 0.058] == pytest.approx(g.loc[0.0, 0.058] * 1.21)
    assert g.loc[0.1, 0.058] == pytest.approx(
        run_model(Assumptions(market_value_growth=0.1)).outputs["market_value_target_year"]
    )


@pytest.mark.parametrize("scenarios", ["bull", [], ()])
def test_scenarios_must_be_a_list_of_names(scenarios):
    with pytest.raises(DealDeskInputError, match=r"^scenarios must be a list of names from base, bull, bear"):
        scenario_outputs(None, ["npv"], scenarios=scenarios)
