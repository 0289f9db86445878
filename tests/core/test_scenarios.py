"""Scenarios, two-way sensitivity grids and tornado ranges over the whole model."""

from __future__ import annotations

import pytest

from core.assumptions import SCENARIOS, Assumptions, scenario_assumptions
from core.model import run_model
from core.scenarios import scenario_outputs, sensitivity, tornado
from core.validation import DealDeskInputError


def test_scenario_columns_are_run_model_on_each_scenario():
    t = scenario_outputs(None, ["ramp_year2", "npv", "margin_bps_peak"]).set_index("output")
    assert list(t.columns) == ["label", "unit", "base", "bull", "bear"]
    for name in SCENARIOS:
        expected = run_model(scenario_assumptions(Assumptions(), name)).outputs
        assert t.loc["npv", name] == pytest.approx(expected["npv"])
        assert t.loc["ramp_year2", name] == pytest.approx(expected["ramp_year2"])
    # Bear: two-quarter delay, 90% realisation, 10% margin -> less FY2026 revenue, deeper peak dilution.
    assert t.loc["ramp_year2", "bear"] < t.loc["ramp_year2", "base"]
    assert (
        t.loc["margin_bps_peak", "bear"] < t.loc["margin_bps_peak", "base"] < t.loc["margin_bps_peak", "bull"]
    )


def test_scenarios_apply_to_the_given_base():
    a = Assumptions(contract_value=76.0)
    t = scenario_outputs(a, "straight_line_annual", ["bear"])
    assert t["bear"].iloc[0] == pytest.approx(76 / 7)


def test_sensitivity_grid_equals_run_model_cell_by_cell():
    rows, cols = [0.10, 0.15, 0.30], [0.90, 0.95, 1.0]
    g = sensitivity(None, "npv", "deal_margin", rows, "realisation", cols)
    assert g.index.name == "deal_margin" and g.columns.name == "realisation" and g.shape == (3, 3)
    for r in rows:
        for c in cols:
            expected = run_model(Assumptions(deal_margin=r, realisation=c)).outputs["npv"]
            assert g.loc[r, c] == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_sensitivity_over_choices_and_dates_runs_the_full_model():
    g = sensitivity(None, "ramp_year2", "delay_mode", ["extend", "forfeit"], "delay_quarters", [0, 2])
    assert g.loc["extend", 0.0] == pytest.approx(g.loc["forfeit", 0.0])
    assert g.loc["extend", 2.0] == pytest.approx(
        run_model(Assumptions(delay_quarters=2)).outputs["ramp_year2"]
    )
    h = sensitivity(None, "irr", "full_at", ["2026-06-30", "2026-12-31"], "deal_margin", [0.15])
    assert h.iloc[0, 0] > h.iloc[1, 0]  # an earlier full run-rate pays back sooner


def test_sensitivity_errors_name_the_argument():
    with pytest.raises(DealDeskInputError, match="row_input and col_input must differ"):
        sensitivity(None, "npv", "deal_margin", [0.1], "deal_margin", [0.2])
    with pytest.raises(DealDeskInputError, match="row_input must be an input name"):
        sensitivity(None, "npv", "margin", [0.1], "deal_margin", [0.2])
    with pytest.raises(DealDeskInputError, match="realisation must be a number >= 0 and <= 1"):
        sensitivity(None, "npv", "deal_margin", [0.1], "realisation", [95])
    with pytest.raises(DealDeskInputError, match="output must be one of"):
        sensitivity(None, "profit", "deal_margin", [0.1], "realisation", [0.9])


def test_tornado_swings_each_input_alone_and_sorts_by_range():
    t = tornado(None, "npv", ["deal_margin", "discount_rate", "prior_close"], swing=0.2)
    assert t["range"].is_monotonic_decreasing
    row = t.set_index("input").loc["discount_rate"]
    assert row["low_value"] == pytest.approx(0.072) and row["high_value"] == pytest.approx(0.108)
    assert row["output_low"] == pytest.approx(run_model(Assumptions(discount_rate=0.072)).outputs["npv"])
    assert row["base_output"] == pytest.approx(run_model().outputs["npv"])
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
        tornado(None, "npv", ["deal_margin"], swing=10)


def test_default_tornado_covers_every_simulated_input():
    from core.simulation import SIMULATION_INPUTS

    t = tornado(None, "margin_bps_year2")
    assert set(t["input"]) == set(SIMULATION_INPUTS)
    # The mix effect moves with the two margins, the two revenues and realisation only
    # (the initial rate is 0, so ±10% leaves it at 0).
    movers = {"base_margin", "base_revenue", "contract_value", "realisation", "deal_margin"}
    assert set(t["input"].head(5)) == movers and (t["range"].iloc[5:] == 0).all()


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


def test_scenario_table_shows_a_missing_figure_as_na():
    # Microsoft–OpenAI never pays back at the base case's 15% margin (cumulative cash flow ends
    # near −$3.6B) but does at the bull case's 30%.
    import pandas as pd

    from core.deals import deal_assumptions

    a = deal_assumptions("Microsoft–OpenAI")
    t = scenario_outputs(a, ["payback_year", "npv"], ["base", "bull"]).set_index("output")
    assert str(t["base"].dtype) == "Float64"
    assert t.loc["payback_year", "base"] is pd.NA
    assert t.loc["payback_year", "bull"] == run_model(scenario_assumptions(a, "bull")).outputs["payback_year"]
    assert t.loc["npv", "base"] == pytest.approx(run_model(a).outputs["npv"])


def test_scenario_output_with_no_value_says_why():
    from core.deals import deal_assumptions
    from core.model import NoValueError
    from core.scenarios import scenario_output

    with pytest.raises(NoValueError, match=r"^payback_year: the deal never pays back"):
        scenario_output(deal_assumptions("Microsoft–OpenAI"), "base", "payback_year")


def test_sensitivity_and_tornado_leave_missing_cells_na():
    import pandas as pd

    from core.deals import deal_assumptions

    a = deal_assumptions("Microsoft–OpenAI")
    g = sensitivity(a, "payback_year", "deal_margin", [0.15, 0.4], "realisation", [0.925])
    assert g.loc[0.15, 0.925] is pd.NA
    assert g.loc[0.40, 0.925] == run_model(a.replace(deal_margin=0.4)).outputs["payback_year"]
    t = tornado(a, "payback_year", ["deal_margin"], ranges={"deal_margin": (0.15, 0.4)})
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
