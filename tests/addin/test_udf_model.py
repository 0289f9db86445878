"""DEAL functions of the whole model, scenarios, sensitivities and the Monte Carlo, called as Office.js does.

Inputs arrive as the template's two-column (name, value) range, dates as
serial numbers. Every result is compared with the core function it wraps.
"""

from __future__ import annotations

import pytest

from addin.errors import DealDeskExcelError
from core.assumptions import Assumptions
from core.model import OUTPUTS, run_model
from core.scenarios import scenario_output, tornado
from core.simulation import simulation_summary
from tests.addin.officejs import call, cell

#: The Inputs range as Office.js sends it: 2025-11-03 is serial 45964 (=DATE(2025,11,3)).
INPUTS = [["name", "value"], ["contract_value", 38], ["start_date", 45964], ["term_years", 7], [None, None]]
BIGGER = [["contract_value", 76], ["realisation", 0.9], ["deal_margin_override", None]]


def _column(table, name):
    k = table[0].index(name)
    return [row[k] for row in table[1:]]


def test_output_by_name_from_the_inputs_range():
    # Brief: $38B / 7 years ≈ $5.43B a year.
    assert call("deal_output", INPUTS, cell("straight_line_annual")) == [[pytest.approx(38 / 7)]]
    expected = run_model(Assumptions(contract_value=76.0, realisation=0.9)).outputs["npv"]
    assert call("deal_output", BIGGER, cell("npv")) == [[pytest.approx(expected)]]


def test_outputs_table_lists_every_key_figure():
    table = call("deal_outputs", INPUTS)
    assert table[0] == ["name", "label", "value", "unit", "fmt"]
    assert _column(table, "name") == [s.name for s in OUTPUTS]
    values = dict(zip(_column(table, "name"), _column(table, "value"), strict=True))
    assert values["backlog_after_deal"] == pytest.approx(238.0)  # $200B + $38B (FACTS, brief)
    assert values["value_added"] == pytest.approx(151.4, abs=0.1)  # +5.8% on 10.69bn shares (brief)


def test_table_reads_the_cost_stack_by_fiscal_year():
    # The economics table under a scenario, whole or one value: FY2026's deal margin is the
    # economics table's operating profit ÷ revenue.
    econ = run_model().tables["economics"].set_index("year")
    got = call("deal_table", INPUTS, cell("base"), cell("economics"), cell(2026), cell("deal_margin"))
    assert got == [[pytest.approx(econ.loc[2026, "operating_profit"] / econ.loc[2026, "revenue"])]]
    whole = call("deal_table", INPUTS, None, cell("economics"))
    assert whole[0][:3] == ["year", "revenue", "capex"] and len(whole) == len(econ) + 1
    with pytest.raises(DealDeskExcelError, match=r"^DEAL\.TABLE: key must be one of 2025, 2026"):
        call("deal_table", INPUTS, None, cell("economics"), cell(1999), cell("deal_margin"))
    with pytest.raises(DealDeskExcelError, match=r"^DEAL\.TABLE: table must be one of schedule, gap"):
        call("deal_table", INPUTS, None, cell("nope"))


def test_scenario_figure():
    got = call("deal_scenario", INPUTS, cell("bear"), cell("margin_bps_peak"))
    assert got == [[pytest.approx(scenario_output(Assumptions(), "bear", "margin_bps_peak"))]]


def test_sensitivity_grid_layout_and_values():
    table = call(
        "deal_sensitivity",
        INPUTS,
        cell("npv"),
        cell("price_per_gpu_hour"),
        [[2.0], [3.0]],
        cell("realisation"),
        [[0.9, 1.0]],
    )
    assert table[0] == ["price_per_gpu_hour \\ realisation", "0.9", "1.0"]
    assert [row[0] for row in table[1:]] == [2.0, 3.0]
    expected = run_model(Assumptions(price_per_gpu_hour=3.0, realisation=1.0)).outputs["npv"]
    assert table[2][2] == pytest.approx(expected)


def test_tornado_table():
    table = call("deal_tornado", INPUTS, cell("npv"), [["price_per_gpu_hour", "tax_rate", None]], cell(0.2))
    core = tornado(None, "npv", ["price_per_gpu_hour", "tax_rate"], swing=0.2)
    assert _column(table, "input") == core["input"].tolist()
    assert _column(table, "range") == pytest.approx(core["range"].tolist())
    assert len(call("deal_tornado", INPUTS, cell("npv"))) > 20  # blank names: every input the engine varies


def test_simulate_summary_equals_the_core():
    risks = [
        ["realisation", "uniform", 0.9, 0.95, None],
        ["delay_quarters", "discrete", "0, 1, 2", "0.5, 0.3, 0.2", None],
    ]
    table = call("deal_simulate", INPUTS, risks, cell(2_000), cell(7), [["ramp_year2"], ["npv"]])
    core = simulation_summary(
        None,
        {"realisation": ("uniform", 0.9, 0.95), "delay_quarters": ("discrete", "0, 1, 2", "0.5, 0.3, 0.2")},
        draws=2_000,
        seed=7,
        outputs=["ramp_year2", "npv"],
    )
    assert table[0] == list(core.columns)
    assert _column(table, "mean") == pytest.approx(core["mean"].tolist(), rel=1e-12)
    # Blank distributions and outputs: the brief's default risks and figures.
    default = call("deal_simulate", INPUTS, None, cell(500))
    assert _column(default, "output")[:3] == ["ramp_year2", "gap_year2", "margin_bps_peak"]


@pytest.mark.parametrize(
    ("function", "args", "message"),
    [
        (
            "deal_output",
            (INPUTS, cell("profit")),
            r"^DEAL\.OUTPUT: output must be one of straight_line_annual, ",
        ),
        ("deal_output", ([["contract_valu", 38]], cell("npv")), r"unknown input name 'contract_valu'"),
        ("deal_output", ([["start_date", "soon"]], cell("npv")), r"inputs 'start_date' must be a date"),
        (
            "deal_scenario",
            (INPUTS, cell("worst"), cell("npv")),
            r"scenario must be one of 'base', 'bull', 'bear'",
        ),
        (
            "deal_sensitivity",
            (INPUTS, cell("npv"), cell("tax_rate"), [[0.1]], cell("tax_rate"), [[0.2]]),
            r"row_input and col_input must differ",
        ),
        ("deal_tornado", (INPUTS, cell("npv"), cell("profile")), r"profile is not a number"),
        ("deal_simulate", (INPUTS, [["term_years", "uniform", 5, 7]]), r"cannot simulate 'term_years'"),
        ("deal_simulate", (INPUTS, [["realisation", "gamma", 1, 2]]), r"kind must be one of 'uniform'"),
        ("deal_simulate", (INPUTS, None, cell(0)), r"draws must be a number >= 1"),
    ],
)
def test_bad_input_names_the_argument(function, args, message):
    with pytest.raises(DealDeskExcelError, match=message) as raised:
        call(function, *args)
    assert "\n" not in str(raised.value)


# A 100% margin override with (next to) free racks and no facility cost leaves no costs, so
# every yearly cash flow is >= 0 and no IRR exists (core: run_model(...).outputs["irr"] is None).
NO_IRR = [["deal_margin_override", 1.0], ["rack_price_musd", 1e-300], ["facility_musd_per_mw", 0]]


def test_a_figure_with_no_value_is_a_message_naming_it():
    with pytest.raises(DealDeskExcelError, match=r"^DEAL\.OUTPUT: irr: no IRR exists for these cash flows"):
        call("deal_output", NO_IRR, cell("irr"))
    with pytest.raises(DealDeskExcelError, match=r"^DEAL\.SCENARIO: irr: no IRR exists for these cash flows"):
        call("deal_scenario", NO_IRR, cell("base"), cell("irr"))
    # The other figures of the same inputs are unaffected.
    expected = run_model(
        Assumptions(deal_margin_override=1.0, rack_price_musd=1e-300, facility_musd_per_mw=0.0)
    ).outputs["npv"]
    assert call("deal_output", NO_IRR, cell("npv")) == [[pytest.approx(expected)]]


def test_a_figure_with_no_value_is_a_blank_in_the_outputs_table():
    table = call("deal_outputs", NO_IRR)
    values = dict(zip(_column(table, "name"), _column(table, "value"), strict=True))
    assert values["irr"] == ""  # a blank cell (xlwings sends None to Office.js as ""), not #NUM!
    assert all(isinstance(v, float) for k, v in values.items() if k != "irr")
