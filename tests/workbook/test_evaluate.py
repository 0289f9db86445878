"""Headless evaluation of the template: the workbook shows what the core computes.

Tolerance: outputs equal ``core.model.run_model`` to 1e-9 relative (plus 1e-12
absolute for figures near zero); both sides run the same Python, so any
larger difference is a wiring error (a wrong argument, unit or period).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from core.assumptions import INPUTS, Assumptions, scenario_assumptions
from core.model import OUTPUTS, run_model
from core.schedule import contract_schedule, delay_days_from_quarters
from tests.workbook.template_copies import edited_copy
from workbook import evaluate as evaluate_module
from workbook import spec as S
from workbook.evaluate import Evaluation, deal_functions, evaluate_workbook, write_values
from workbook.template import DEFAULT_TEMPLATE

REL = 1e-9
ABS = 1e-12


def close(a: Any, b: float) -> bool:
    return (
        isinstance(a, (int, float))
        and not isinstance(a, bool)
        and math.isclose(a, b, rel_tol=REL, abs_tol=ABS)
    )


def agrees(got: Any, expected: float | None) -> bool:
    """A template figure shows the core's value, or #VALUE! (with a message) when the core has none."""
    return got == "#VALUE!" if expected is None else close(got, expected)


def row(ev: Evaluation, name: str) -> list[Any]:
    value = ev.name(name)
    return list(value[0]) if isinstance(value, list) else [value]


@pytest.fixture(scope="module")
def base(template_evaluation: Evaluation) -> Evaluation:
    return template_evaluation


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Evaluation, Assumptions]:
    overrides = {
        "contract_value": 50.0,
        "realisation": 0.9,
        "other_opex_share": 0.2,
        "full_at": dt.datetime(2027, 6, 30),
        "scenario": "bear",
    }
    path = edited_copy(tmp_path_factory.mktemp("changed"), "changed.xlsx", **overrides)
    a = Assumptions().replace(
        **{k: (v.date() if isinstance(v, dt.datetime) else v) for k, v in overrides.items()}
    )
    return evaluate_workbook(path), a


def test_no_custom_function_failed(base: Evaluation) -> None:
    assert base.messages == []


@pytest.mark.parametrize("name", [o.name for o in OUTPUTS])
def test_every_output_equals_the_core(base: Evaluation, name: str) -> None:
    expected = run_model(Assumptions()).outputs[name]
    assert agrees(base.name(S.output_defined_name(name)), expected), (
        name,
        base.name(S.output_defined_name(name)),
    )


def test_schedule_rows_equal_the_core_schedule(base: Evaluation) -> None:
    a = Assumptions()
    core = contract_schedule(
        a.contract_value,
        a.start_date,
        a.term_years,
        profile=a.profile,
        frequency=a.frequency,
        fiscal_year_end=a.fiscal_year_end,
        realisation=a.realisation,
        delay_days=delay_days_from_quarters(a.delay_quarters),
        delay_mode=a.delay_mode,
        full_at=a.full_at,
        initial_rate=a.initial_rate,
    )
    n = len(core)
    labels = row(base, "sched_label")
    assert labels[:n] == core["period"].tolist() and set(labels[n:]) == {""}
    ramp = row(base, "sched_ramp")
    assert all(close(x, y) for x, y in zip(ramp[:n], core["revenue"], strict=True))
    assert all(x == 0 for x in ramp[n:])
    # Straight line by days, native formulas only: FY2025 holds 59 of 2557 days (hand count
    # 2025-11-03..2025-12-31), so 38 × 59 / 2557.
    straight = row(base, "sched_straight")
    assert close(straight[0], 38 * 59 / 2557)
    assert close(sum(straight), 38.0)


def test_native_figures_reproduce_the_brief(base: Evaluation) -> None:
    # Brief: +5.8% pre-market on a $244.22 close is $258.38 (244.22 × 1.058 = 258.38476).
    assert (
        close(base.name("val_price_after"), 244.22 * 1.058)
        and round(base.name("val_price_after"), 2) == 258.38
    )
    # FACTS: OpenAI ≈ 16% of Amazon's backlog: 38 / (200 + 38).
    assert close(base.name("backlog_deal_share"), 38 / 238)
    # OpenAI's revenue path on the latest data: $13.1B in 2025 (CNBC/Reuters, 2026-02-20) to its
    # >$280B target for 2030 (CNBC, 2026-02-20): 21.4x in five years.
    assert close(base.name("cp_growth_multiple"), 280 / 13.1)
    assert close(base.name("cp_required_cagr"), (280 / 13.1) ** (1 / 5) - 1)
    # Contract days: 2025-11-03 + 7 years, last day 2032-11-02: 2557 days (DESIGN).
    assert base.name("contract_days_total") == 2557
    # Ramp sums to value × realisation: 38 × 0.925.
    assert close(base.name("sched_ramp_total"), 38 * 0.925)


def test_all_checks_pass_with_the_defaults(base: Evaluation) -> None:
    results = {c.name: base.name(c.name) for c in S.CHECKS}
    assert all(v is True for v in results.values()), results
    assert base.name("master_check") is True


def test_changing_inputs_moves_outputs_as_the_core_says(
    base: Evaluation, changed: tuple[Evaluation, Assumptions]
) -> None:
    ev, a = changed  # typed changes, and scenario "bear" chosen: the outputs are the bear case of them
    expected = run_model(scenario_assumptions(a)).outputs
    moved = 0
    for out in OUTPUTS:
        got = ev.name(S.output_defined_name(out.name))
        assert agrees(got, expected[out.name]), (out.name, got, expected[out.name])
        moved += not agrees(base.name(S.output_defined_name(out.name)), expected[out.name])
    assert moved >= 5  # the edit really changed the figures
    # Bear realisation 0.90 (core.assumptions.SCENARIOS) on the typed value 50: 50 × 0.9.
    assert close(ev.name("sched_ramp_total"), 50 * 0.9)
    assert ev.name("master_check") is True


def assert_calc_sheets_equal_the_core(ev: Evaluation, live: Assumptions) -> None:
    """The calculation sheets of an evaluated copy show what the core computes from ``live``."""
    result = run_model(live)
    out: dict[str, Any] = dict(result.outputs)  # every figure asked for here has a value
    n = len(result.tables["schedule"])
    assert row(ev, "sched_label")[:n] == result.tables["schedule"]["period"].tolist()
    assert all(
        close(x, y)
        for x, y in zip(row(ev, "sched_ramp")[:n], result.tables["schedule"]["revenue"], strict=True)
    )
    assert all(x == 0 for x in row(ev, "sched_ramp")[n:])
    margin = result.tables["margin"]
    assert all(close(x, y) for x, y in zip(row(ev, "mg_blended")[:n], margin["blended_margin"], strict=True))
    assert all(close(x, y) for x, y in zip(row(ev, "mg_change_bps")[:n], margin["change_bps"], strict=True))
    pairs = {
        "delay_days": delay_days_from_quarters(live.delay_quarters),
        "sched_ramp_total": out["expected_revenue_total"],
        "backlog_unused": out["unused_commitment"],
        "backlog_added": out["backlog_added"],
        "backlog_deal_share": out["backlog_deal_share"],
        "margin_change_min_bps": out["margin_bps_peak"],
        "val_price_after": out["price_after"],
        "val_value_added": out["value_added"],
        "val_abnormal_return": out["abnormal_return"],
        "val_market_value_target_year": out["market_value_target_year"],
        "cp_required_cagr": out["customer_required_cagr"],
    }
    for name, expected in pairs.items():
        assert close(ev.name(name), expected), (name, ev.name(name), expected)
    assert close(ev.name("val_after_shock") - ev.name("val_market_value"), out["cloud_shock_value"])
    # Economics: after-tax operating profit of the cost stack, whole term: with yearly periods,
    # the economics table's operating profit (years of depreciation before revenue included).
    if live.frequency == "year":
        profit = run_model(live).tables["economics"]["operating_profit"].sum()
        assert close(ev.name("econ_profit_total"), profit * (1 - live.tax_rate))
    for o in OUTPUTS:
        got = ev.name(S.output_defined_name(o.name))
        assert agrees(got, out[o.name]), (o.name, got, out[o.name])
    results = {c.name: ev.name(c.name) for c in S.CHECKS}
    assert all(v is True for v in results.values()), results
    assert ev.name("master_check") is True


def test_the_base_case_calculation_sheets_equal_the_core(base: Evaluation) -> None:
    assert_calc_sheets_equal_the_core(base, Assumptions())


def test_the_scenario_switch_drives_the_calculation_sheets(changed: tuple[Evaluation, Assumptions]) -> None:
    ev, a = changed  # scenario "bear" chosen on the Inputs sheet over typed changes
    bear = scenario_assumptions(a, "bear")
    # core.assumptions.SCENARIOS["bear"]: 90% realisation over the typed 0.9, 2 quarters of delay,
    # the cloud shock applied; the typed other-costs share stays.
    assert bear.realisation == 0.90 and bear.delay_quarters == 2.0 and bear.apply_cloud_shock == 1
    assert bear.other_opex_share == 0.2
    assert_calc_sheets_equal_the_core(ev, bear)


@pytest.mark.parametrize("scenario", ["bull", "bear"])
def test_a_scenario_copy_of_the_defaults_equals_the_core(tmp_path: Path, scenario: str) -> None:
    ev = evaluate_workbook(edited_copy(tmp_path, f"{scenario}.xlsx", scenario=scenario))
    assert ev.messages == []
    assert_calc_sheets_equal_the_core(ev, scenario_assumptions(Assumptions(), scenario))


def test_the_scenario_sheet_shows_the_chosen_scenario(changed: tuple[Evaluation, Assumptions]) -> None:
    ev, _ = changed
    # core.assumptions.SCENARIOS["bear"]: realisation 0.90, delay 2 quarters, the cloud shock applied.
    assert ev.name(S.live_name("delay_quarters")) == 2
    assert ev.name(S.live_name("apply_cloud_shock")) == 1
    # Inputs the scenario leaves alone show the Inputs sheet's value (growth typed as 0 by default);
    # the input's own name keeps the typed value (realisation typed as 0.9).
    assert close(ev.name("scn_base_market_value_growth"), 0.0)
    assert close(ev.name("realisation"), 0.9)


def test_an_input_out_of_range_fails_the_master_check(tmp_path: Path) -> None:
    ev = evaluate_workbook(edited_copy(tmp_path, "bad.xlsx", realisation=1.5))
    # The Inputs sheet's OK column flags exactly the bad input.
    ok = [r[0] for r in ev.name("inputs_ok")]
    assert ok.count(False) == 1 and ok.index(False) == [s.name for s in INPUTS].index("realisation")
    assert ev.name("chk_inputs") is False
    assert ev.name("master_check") is False
    # The core refuses the value too; the functions say why instead of computing.
    assert any("realisation" in m for m in ev.messages)


@pytest.mark.parametrize("quarters", [2, 8])
def test_a_delay_gives_the_same_ramp_in_the_core_and_on_the_schedule_sheet(
    tmp_path: Path, quarters: int
) -> None:
    ev = evaluate_workbook(edited_copy(tmp_path, "delay.xlsx", delay_quarters=quarters))
    # A quarter is 365.25 / 4 days, rounded half to even: 2 -> 182.625 -> 183; 8 -> 730.5 -> 730.
    assert ev.name("delay_days") == {2: 183, 8: 730}[quarters] == delay_days_from_quarters(quarters)
    assert ev.name("chk_core_years") is True and ev.name("master_check") is True
    expected = run_model(Assumptions(delay_quarters=quarters)).outputs
    assert close(ev.name(S.output_defined_name("ramp_year2")), expected["ramp_year2"])


def test_a_time_axis_too_short_fails_the_master_check(tmp_path: Path) -> None:
    # 85 months of contract do not fit 40 period columns: the schedule check catches it.
    ev = evaluate_workbook(edited_copy(tmp_path, "monthly.xlsx", frequency="month"))
    assert ev.name("chk_inputs") is True
    assert ev.name("chk_time_axis") is False
    assert ev.name("master_check") is False


def test_every_excel_spelling_is_registered() -> None:
    names = deal_functions()
    for spelling in (
        "DEAL.SCHEDULE",
        "DEAL_SCHEDULE",
        "_XLDUDF_DEAL_SCHEDULE",
        "XLWINGS.DEAL.SCHEDULE",
        "DEAL.OUTPUT",
    ):
        assert spelling in names


def test_saved_by_excel_spellings_evaluate_the_same(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    args = "38,DATE(2025,11,3),7"
    spellings = ("DEAL.SCHEDULE", "DEAL_SCHEDULE", "_xldudf_DEAL_SCHEDULE", "XLWINGS.DEAL.SCHEDULE")
    for col, name in enumerate(spellings, start=1):
        ws.cell(row=1, column=col).value = f"=INDEX({name}({args}),2,4)"
    ws.cell(row=2, column=1).value = "=INDEX(DEAL.SCHEDULE(-1,DATE(2025,11,3),7),2,4)"
    path = tmp_path / "spellings.xlsx"
    wb.save(path)
    ev = evaluate_workbook(path)
    values = [ev.cell("S", ws.cell(row=1, column=c).coordinate) for c in range(1, len(spellings) + 1)]
    # Straight line, FY2025: 38 × 59 / 2557 (59 of 2557 contract days).
    assert all(close(v, 38 * 59 / 2557) for v in values), values
    assert ev.cell("S", ws.cell(row=2, column=1).coordinate) == "#VALUE!"
    assert any("value must be" in m for m in ev.messages)


def test_values_copy_has_numbers_where_formulas_were(base: Evaluation, tmp_path: Path) -> None:
    out = write_values(DEFAULT_TEMPLATE, base, tmp_path / "values.xlsx")
    wb = openpyxl.load_workbook(out)
    sheet, ref = next(iter(wb.defined_names["sched_ramp_total"].destinations))
    assert close(wb[sheet][ref.replace("$", "")].value, 38 * 0.925)
    assert not any(
        isinstance(c.value, str) and c.value.startswith("=")
        for ws in wb.worksheets
        for r in ws.iter_rows()
        for c in r
    )


def test_cli_evaluate_prints_the_master_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from workbook.cli import main

    assert main(["evaluate", str(DEFAULT_TEMPLATE), "--out", str(tmp_path / "v.xlsx")]) == 0
    printed = capsys.readouterr().out
    assert "Master check: TRUE" in printed
    # Labels and units, formatted like the report: US$ 38 bn over 7 years is 5.43 a year.
    line = next(x for x in printed.splitlines() if x.startswith("Straight-line revenue a year"))
    assert line.split()[-4:] == ["5.43", "US$", "bn", "a"] or "5.43  US$ bn a year" in line
    assert "straight_line_annual" not in printed
    assert (tmp_path / "v.xlsx").is_file()


def test_cli_evaluate_refuses_a_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    from workbook.cli import main

    assert main(["evaluate", "no-such-file.xlsx"]) == 2
    assert "workbook not found: no-such-file.xlsx" in capsys.readouterr().err


def test_the_classic_naming_evaluates_alike(tmp_path: Path, base: Evaluation) -> None:
    from workbook.template import write_template

    ev = evaluate_workbook(write_template(tmp_path / "classic.xlsx", classic=True))
    assert ev.messages == [] and ev.name("master_check") is True
    for out in OUTPUTS:
        name = S.output_defined_name(out.name)
        assert close(ev.name(name), base.name(name)), out.name


def test_a_figure_with_no_value_shows_why(tmp_path: Path) -> None:
    # A 100% margin override and a (next to) empty fleet leave no costs, so every
    # yearly cash flow is >= 0 and no IRR exists (core: None). The cell shows #VALUE! with the
    # reason on its error flag; every other figure still equals the core.
    free = {"deal_margin_override": 1.0, "fleet_gpus": 1e-9}
    ev = evaluate_workbook(edited_copy(tmp_path, "no_irr.xlsx", **free))
    expected = run_model(Assumptions(**free)).outputs
    assert expected["irr"] is None
    assert ev.name(S.output_defined_name("irr")) == "#VALUE!"
    assert "DEAL.SCENARIO: irr: no IRR exists for these cash flows (they never change sign)" in ev.messages
    for out in OUTPUTS:
        assert agrees(ev.name(S.output_defined_name(out.name)), expected[out.name]), out.name


def test_market_value_growth_drives_the_native_threshold_test(tmp_path: Path) -> None:
    # Brief: 244.22 × 1.058 × 10.690216011bn shares ≈ $2,762B after the news; grown 5% a year
    # for 2025 → 2027 it is 2,762 × 1.05² ≈ $3,045B, at or above the $3,000B threshold.
    ev = evaluate_workbook(edited_copy(tmp_path, "growth.xlsx", market_value_growth=0.05))
    expected = run_model(Assumptions(market_value_growth=0.05)).outputs
    assert close(ev.name("val_market_value_target_year"), 244.22 * 1.058 * 10.690216011 * 1.05**2)
    assert close(ev.name("val_market_value_target_year"), expected["market_value_target_year"])
    assert ev.name("val_above_threshold") == expected["market_value_passes"] == 1


def test_the_bull_case_moves_full_run_rate_a_quarter_earlier(
    base: Evaluation, changed: tuple[Evaluation, Assumptions]
) -> None:
    from addin.converters import date_to_excel_serial

    # Defaults: full run-rate from 2026-12-31 (announcement); =EDATE(full_at,-3) is 2026-09-30.
    assert base.name("scn_bull_full_at") == date_to_excel_serial(dt.date(2026, 9, 30))
    # Typed 2027-06-30 on the Inputs sheet: the bull case follows it to 2027-03-30, as the core does.
    ev, a = changed
    bull = scenario_assumptions(a, "bull").full_at
    assert bull == dt.date(2027, 3, 30)
    assert ev.name("scn_bull_full_at") == date_to_excel_serial(bull)


def test_exposure_sheet_shows_the_core_matrix_and_revenue_at_risk(base: Evaluation) -> None:
    from openpyxl.utils import get_column_letter

    from core.exposure import exposure_risk, exposure_table

    assert base.name("exposure_rule") == "pro_rata"
    backlog = exposure_table().set_index("provider")
    risk = exposure_risk(draws=10_000, seed=0).set_index("provider")
    ws = openpyxl.load_workbook(DEFAULT_TEMPLATE)[S.EXPOSURE_SHEET]
    seen = 0
    for r in range(1, ws.max_row + 1):
        label = ws.cell(r, 1).value
        if label not in backlog.index:
            continue
        cells = [base.cell(S.EXPOSURE_SHEET, f"{get_column_letter(c)}{r}") for c in range(2, 7)]
        if seen < len(backlog):  # the matrix: one column per customer, then the total
            expected = [*backlog.loc[label, list(S.EXPOSURE_CUSTOMERS)], backlog.loc[label, "total"]]
        else:  # revenue at risk, the sheet's default inputs (10,000 draws, seed 0, pro rata)
            expected = [risk.loc[label, f] for f, _, _ in S.EXPOSURE_RISK_FIGURES]
        for got, want in zip(cells, expected, strict=True):
            assert got == want if isinstance(want, str) else close(got, float(want)), (label, got, want)
        seen += 1
    assert seen == 2 * len(backlog)


# --------------------------------------------------------------------------- compile once


def test_a_copy_with_other_inputs_reuses_the_compiled_template_and_equals_a_fresh_compile(
    base: Evaluation, tmp_path: Path
) -> None:
    before = evaluate_module.compiled_model_uses()
    assert before, "the template's evaluation keeps its compiled model"
    path = edited_copy(tmp_path, "reuse.xlsx", contract_value=45.0, realisation=0.9)
    warm = evaluate_workbook(path)
    after = evaluate_module.compiled_model_uses()
    assert after.keys() == before.keys()  # no new structure compiled
    assert sum(after.values()) == sum(before.values()) + 1
    # The reference for the reused model: the copy compiled afresh, nothing kept.
    evaluate_module.clear_compiled_models()
    fresh = evaluate_workbook(path)
    assert list(evaluate_module.compiled_model_uses().values()) == [1]
    assert warm.cells == fresh.cells
    assert warm.names == fresh.names
    assert warm.messages == fresh.messages
    # and the inputs did move the figures: 45 x 0.9 expected revenue, not the template's 38 x 0.925
    assert close(warm.name("sched_ramp_total"), 45 * 0.9)
    assert close(base.name("sched_ramp_total"), 38 * 0.925)


def test_a_new_constant_or_a_cleared_one_needs_a_compile() -> None:
    compiled = evaluate_module._Compiled(
        model=type("M", (), {"dsp": type("D", (), {"nodes": {"'[T.xlsx]INPUTS'!C5": {}}})()})(),
        book="T.xlsx",
        constants={("INPUTS", "C5"): 38.0, ("COVER", "A1"): "title"},
    )

    def structure(**constants: object) -> evaluate_module._Structure:
        cells = {tuple(key.split("_")): value for key, value in constants.items()}
        return evaluate_module._Structure(key="k", constants=cells, titles={})  # type: ignore[arg-type]

    # the same constants: nothing to write; a changed input: written to its node
    assert evaluate_module._compiled_inputs(compiled, structure(INPUTS_C5=38.0, COVER_A1="title")) == {}
    assert evaluate_module._compiled_inputs(compiled, structure(INPUTS_C5=50.0, COVER_A1="title")) == {
        "'[T.xlsx]INPUTS'!C5": 50.0
    }
    # a value in a cell the compiled model has no node for, or a constant cleared: compile
    assert (
        evaluate_module._compiled_inputs(compiled, structure(INPUTS_C5=38.0, COVER_A1="title", INPUTS_C6=1.0))
        is None
    )
    assert evaluate_module._compiled_inputs(compiled, structure(INPUTS_C5=38.0)) is None


def test_a_changed_formula_is_another_structure(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"], wb.active["A2"] = 2, "=A1*3"
    one = tmp_path / "one.xlsx"
    wb.save(one)
    wb.active["A1"] = 5  # another input: same structure
    two = tmp_path / "two.xlsx"
    wb.save(two)
    wb.active["A2"] = "=A1*4"  # another formula: another structure
    three = tmp_path / "three.xlsx"
    wb.save(three)
    keys = [evaluate_module._read_structure(p).key for p in (one, two, three)]
    assert keys[0] == keys[1] != keys[2]
    assert [evaluate_workbook(p).cell("Sheet", "A2") for p in (one, two, three)] == [6, 15, 20]


def test_another_function_mapping_reuses_the_compiled_template_and_calls_its_own_functions(
    base: Evaluation,
) -> None:
    def fails(*_: Any) -> Any:
        raise RuntimeError("custom functions switched off")

    evaluate_workbook(DEFAULT_TEMPLATE)  # the template's model is kept (an earlier test may have cleared it)
    before = evaluate_module.compiled_model_uses()
    broken = evaluate_workbook(DEFAULT_TEMPLATE, functions={name: fails for name in deal_functions()})
    after = evaluate_module.compiled_model_uses()
    assert after.keys() == before.keys()  # same names, same compiled model
    assert sum(after.values()) == sum(before.values()) + 1
    # the mapping's functions ran, not the ones the model was first evaluated with
    assert broken.name("out_straight_line_annual") == "#VALUE!"
    assert broken.messages == ["custom functions switched off"]
    assert close(base.name("out_straight_line_annual"), 38 / 7)
    # and the next evaluation with the DealDesk functions is not served the broken values
    again = evaluate_workbook(DEFAULT_TEMPLATE)
    assert again.cells == base.cells
    assert again.messages == []


@pytest.fixture()
def no_kept_models() -> Iterator[None]:
    """No compiled model kept during the test; the session's ones (the template's) are put back after it."""
    kept = evaluate_module._MODELS.copy()
    evaluate_module.clear_compiled_models()
    yield
    evaluate_module.clear_compiled_models()
    evaluate_module._MODELS.update(kept)


@pytest.mark.usefixtures("no_kept_models")
def test_a_compiled_model_calls_the_running_evaluations_functions_by_name(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"], wb.active["A2"] = "=DEAL.TWICE(2)", "=DEAL.HALF(8)"
    path = tmp_path / "calls.xlsx"
    wb.save(path)
    first = evaluate_workbook(path, functions={"DEAL.TWICE": lambda x: 2 * x, "DEAL.HALF": lambda x: x / 2})
    assert (first.cell("Sheet", "A1"), first.cell("Sheet", "A2")) == (4, 4)
    # same names, other functions: the model is reused and calls the new ones (2 x 3, 8 / 4)
    second = evaluate_workbook(path, functions={"deal.twice": lambda x: 3 * x, "DEAL.HALF": lambda x: x / 4})
    assert list(evaluate_module.compiled_model_uses().values()) == [2]
    assert (second.cell("Sheet", "A1"), second.cell("Sheet", "A2")) == (6, 2)
    # a mapping without DEAL.HALF: another compiled model, and the unknown function is #NAME?, as in Excel
    third = evaluate_workbook(path, functions={"DEAL.TWICE": lambda x: 5 * x})
    assert sorted(evaluate_module.compiled_model_uses().values()) == [1, 2]
    assert (third.cell("Sheet", "A1"), third.cell("Sheet", "A2")) == (10, "#NAME?")
    # and the first mapping's model still calls whatever function the evaluation brings
    fourth = evaluate_workbook(path, functions={"DEAL.TWICE": lambda x: 7 * x, "DEAL.HALF": lambda x: x - 1})
    assert (fourth.cell("Sheet", "A1"), fourth.cell("Sheet", "A2")) == (14, 7)


def test_the_benchmarks_sheet_shows_the_core_table(base: Evaluation) -> None:
    # Each row of the Benchmarks sheet (spec.benchmark_rows) holds the core's benchmarks table row of
    # its key: the deal's fiscal years from FY2025 ("n/a" after the contract), its life, the provider,
    # each reported margin; a column a row does not fill stays empty.
    from openpyxl.utils import get_column_letter

    table = run_model().tables["benchmarks"].set_index("row")
    first = S.LAYOUT.table_header_row + 1
    keys = [f"FY{2025 + k}" for k in range(S.BENCHMARK_DEAL_YEARS)] + ["life", "provider"]
    keys += [k for k in table.index if table.loc[k, "kind"] == "reported"]
    seen = set()
    for i, (spec_row, key) in enumerate(zip(S.benchmark_rows(), keys, strict=True)):
        r = first + i
        for col, (column, _, _) in enumerate(S.BENCHMARK_SHEET_COLUMNS, start=2):
            got = base.cell(S.BENCHMARKS_SHEET, f"{get_column_letter(col)}{r}")
            if column not in spec_row.cells:
                assert got is None, (key, column)
            elif key not in table.index:  # a fiscal year after the contract
                assert got == ("n/a" if column != "source" else spec_row.cells[column]), (key, column)
            elif isinstance(table.loc[key, column], str):
                assert got == table.loc[key, column], (key, column)
            else:
                assert close(got, float(table.loc[key, column])), (key, column, got)
        seen.add(key)
    assert set(table.index) <= seen  # every row of the core's table is on the sheet
