"""The template workbook: generated from its spec, committed, and FAST-shaped.

The committed ``workbook/DealDesk.xlsx`` must be what the code generates now:
the test regenerates it and compares content (cell values and formulas,
defined names, styles of key cells, data validations), not bytes.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.formula.translate import Translator
from openpyxl.utils import get_column_letter

from core.assumptions import INPUTS
from core.model import OUTPUTS
from workbook import spec as S
from workbook.styles import FORMULA_BLACK, INPUT_BLUE, LINK_GREEN
from workbook.template import DEFAULT_TEMPLATE, build_template, render_formula, write_template

WORKBOOK_DIR = Path(__file__).resolve().parents[2] / "workbook"


def content(path: Path) -> dict[str, Any]:
    """What a template holds, independent of bytes and timestamps."""
    wb = openpyxl.load_workbook(path)
    cells = {}
    key_styles = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    cells[(ws.title, cell.coordinate)] = cell.value
                    key_styles[(ws.title, cell.coordinate)] = (
                        cell.font.color.rgb if cell.font and cell.font.color else None,
                        cell.number_format,
                        cell.style,
                    )
    validations = sorted(
        (ws.title, str(dv.sqref), dv.type, dv.operator, dv.formula1, dv.formula2)
        for ws in wb.worksheets
        for dv in ws.data_validations.dataValidation
    )
    names = {name: dn.attr_text for name, dn in wb.defined_names.items()}
    charts = {ws.title: len(ws._charts) for ws in wb.worksheets}
    return {
        "sheets": wb.sheetnames,
        "cells": cells,
        "styles": key_styles,
        "validations": validations,
        "names": names,
        "charts": charts,
    }


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_template(tmp_path_factory.mktemp("template") / "DealDesk.xlsx")


@pytest.fixture(scope="module")
def wb(fresh: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(fresh)


def _cell(wb: openpyxl.Workbook, name: str) -> Any:
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    return wb[sheet][ref.replace("$", "")]


def test_committed_template_matches_the_spec(fresh: Path) -> None:
    committed, generated = content(DEFAULT_TEMPLATE), content(fresh)
    for key in ("sheets", "names", "validations", "charts"):
        assert committed[key] == generated[key], (
            f"{key} differ: run `dealdesk template --out workbook/DealDesk.xlsx --force`"
        )
    drift = sorted(set(committed["cells"].items()) ^ set(generated["cells"].items()))
    assert not drift, f"cells differ (first: {drift[:3]}); regenerate with `dealdesk template --force`"
    assert committed["styles"] == generated["styles"]


def _cached(path: Path) -> dict[tuple[str, str], Any]:
    """The cached value of every formula cell (what a viewer shows before it recalculates)."""
    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    return {
        (ws.title, c.coordinate): values[ws.title][c.coordinate].value
        for ws in formulas.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    }


def test_committed_template_carries_the_values_the_code_computes(fresh: Path) -> None:
    committed, generated = _cached(DEFAULT_TEMPLATE), _cached(fresh)
    assert committed.keys() == generated.keys()
    differ = [
        k
        for k, v in committed.items()
        if (
            v != pytest.approx(generated[k], rel=1e-12, abs=1e-12)
            if isinstance(v, float)
            else v != generated[k]
        )
    ]
    assert not differ, (
        f"cached values differ (first: {differ[:3]}); regenerate with `dealdesk template --force`"
    )


def test_every_formula_cell_of_the_template_carries_a_value(fresh: Path) -> None:
    values = _cached(fresh)
    assert len(values) > 1_500
    # Inactive periods show an empty label (""; the Schedule's label row and its links on the
    # other sheets' "Fiscal period" row), every other formula a value; none is an error.
    formulas = {
        (ws.title, c.coordinate): c.value
        for ws in openpyxl.load_workbook(fresh).worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    }
    missing = [
        k
        for k, v in values.items()
        if v is None and k[0] != "Schedule" and not formulas[k].startswith("='Schedule'!")
    ]
    # A DEAL table may leave a cell blank where the core has no value (the exposure table's
    # first year of loss for a provider that loses nothing): a few such cells, no others.
    blank_tables = [k for k in missing if formulas[k].startswith("=INDEX(DEAL.")]
    assert len(blank_tables) <= 10, blank_tables
    missing = [k for k in missing if k not in blank_tables]
    assert not missing, missing[:5]
    assert not [k for k, v in values.items() if isinstance(v, str) and v.startswith("#")]
    wb = openpyxl.load_workbook(fresh, data_only=True)
    sheet, ref = next(iter(wb.defined_names["master_check"].destinations))
    assert wb[sheet][ref.replace("$", "")].value is True
    # The straight line of US$ 38 bn over 7 years: 38 / 7 a year.
    sheet, ref = next(iter(wb.defined_names["out_straight_line_annual"].destinations))
    assert wb[sheet][ref.replace("$", "")].value == pytest.approx(38 / 7, rel=1e-12)


def test_a_template_without_values_recalculates_on_load(tmp_path: Path) -> None:
    plain = write_template(tmp_path / "plain.xlsx", cached=False)
    assert all(v is None for v in _cached(plain).values())
    assert openpyxl.load_workbook(plain).calculation.fullCalcOnLoad
    assert not openpyxl.load_workbook(DEFAULT_TEMPLATE).calculation.fullCalcOnLoad


def test_the_same_code_writes_the_same_bytes(fresh: Path, tmp_path: Path) -> None:
    again = write_template(tmp_path / "again.xlsx")
    assert again.read_bytes() == fresh.read_bytes()


def test_sheets_follow_the_fast_layout(wb: openpyxl.Workbook) -> None:
    assert wb.sheetnames == [
        "Cover",
        "Inputs",
        "Schedule",
        "Backlog",
        "Margin",
        "Capacity",
        "Economics",
        "Counterparty",
        "Valuation",
        "Benchmarks",
        "Scenarios",
        "Outputs",
        "Claims",
        "Watch",
        "Checks",
        "Deals",
        "Exposure",
        "Companies",
    ]


def test_every_input_has_a_defined_name_a_blue_cell_and_its_default(wb: openpyxl.Workbook) -> None:
    for spec in INPUTS:
        cell = _cell(wb, spec.name)
        assert cell.parent.title == "Inputs"
        assert cell.font.color.rgb == INPUT_BLUE, spec.name
        value = cell.value.date() if spec.kind == "date" and cell.value is not None else cell.value
        assert value == spec.default, spec.name
        row = [c.value for c in cell.parent[cell.row]]
        assert spec.label in row and spec.unit in row and spec.source in row and spec.name in row


def test_the_brief_names_exist(wb: openpyxl.Workbook) -> None:
    required = (
        "deal_name provider customer contract_value start_date term_years profile full_at frequency "
        "fiscal_year_end realisation delay_quarters delay_mode base_revenue base_margin deal_margin_override "
        "reported_backlog shares_outstanding prior_close move_pct scenario master_check inputs_table"
    ).split()
    missing = [n for n in required if n not in wb.defined_names]
    assert not missing


def test_choices_have_validation_lists(wb: openpyxl.Workbook) -> None:
    ws = wb["Inputs"]
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    for name in ("profile", "frequency", "delay_mode", "booking", "scenario"):
        cell = _cell(wb, name)
        spec = next(s for s in INPUTS if s.name == name)
        assert lists[cell.coordinate] == '"' + ",".join(spec.choices) + '"'


def test_bounded_numbers_have_validation(wb: openpyxl.Workbook) -> None:
    ws = wb["Inputs"]
    covered = {str(dv.sqref) for dv in ws.data_validations.dataValidation}
    assert _cell(wb, "realisation").coordinate in covered
    assert _cell(wb, "term_years").coordinate in covered


def test_master_check_is_shown_on_every_sheet(wb: openpyxl.Workbook) -> None:
    for ws in wb.worksheets:
        flag = ws.cell(row=S.LAYOUT.master_row, column=S.LAYOUT.value_col).value
        if ws.title == "Checks":
            assert flag == "=AND(checks_all)"
        else:
            assert flag == "=master_check", ws.title


def test_every_check_rolls_into_the_master_flag(wb: openpyxl.Workbook) -> None:
    checks_all = wb.defined_names["checks_all"].attr_text
    sheet, ref = next(iter(wb.defined_names["checks_all"].destinations))
    first, last = ref.replace("$", "").split(":")
    rows = range(int(re.sub(r"\D", "", first)), int(re.sub(r"\D", "", last)) + 1)
    names = {wb[sheet].cell(row=r, column=2).value for r in rows}
    assert names == {c.name for c in S.CHECKS}, checks_all


def test_one_formula_per_row_across_the_time_axis(wb: openpyxl.Workbook) -> None:
    """Every period column after the first holds the same formula, shifted by its column."""
    L = S.LAYOUT
    for sheet in S.CALC_SHEETS:
        ws = wb[sheet.title]
        for calc in sheet.rows:
            sheet_name, ref = next(iter(wb.defined_names[calc.name].destinations))
            row = int(re.sub(r"\D", "", ref.split(":")[0]))
            second = L.first_period_col + 1
            origin = f"{get_column_letter(second)}{row}"
            base = ws.cell(row=row, column=second).value
            for col in range(second + 1, L.first_period_col + L.periods):
                target = f"{get_column_letter(col)}{row}"
                assert ws.cell(row=row, column=col).value == Translator(
                    base, origin=origin
                ).translate_formula(target), (sheet.title, calc.name, target)


def test_links_are_green_and_formulas_black(wb: openpyxl.Workbook) -> None:
    L = S.LAYOUT
    ws = wb["Margin"]
    sheet, ref = next(iter(wb.defined_names["mg_deal_revenue"].destinations))
    row = int(re.sub(r"\D", "", ref.split(":")[0]))
    assert ws.cell(row=row, column=L.first_period_col).font.color.rgb == LINK_GREEN
    assert ws.cell(row=row, column=L.first_period_col).value.startswith("='Schedule'!")
    blended_row = int(
        re.sub(r"\D", "", next(iter(wb.defined_names["mg_blended"].destinations))[1].split(":")[0])
    )
    assert ws.cell(row=blended_row, column=L.first_period_col).font.color.rgb == FORMULA_BLACK


def test_outputs_sheet_names_every_core_figure(wb: openpyxl.Workbook) -> None:
    for out in OUTPUTS:
        cell = _cell(wb, S.output_defined_name(out.name))
        assert cell.parent.title == "Outputs"
        # The live figure: the core model under the scenario chosen on the Inputs sheet.
        assert cell.value == f'=DEAL.SCENARIO(inputs_table,scenario,"{out.name}")'
    assert len(wb["Outputs"]._charts) == 2


def test_calculations_read_live_values_of_the_inputs_scenarios_override(wb: openpyxl.Workbook) -> None:
    # core.assumptions.SCENARIOS overrides these five inputs; no other input is live.
    assert set(S.SCENARIO_INPUTS) == {
        "realisation",
        "full_at",
        "delay_quarters",
        "market_value_growth",
        "apply_cloud_shock",
    }
    calc_sheets = {c.title for c in S.CALC_SHEETS} | {S.CHECK_SHEET}
    seen: set[str] = set()
    for title in calc_sheets:
        for r in wb[title].iter_rows():
            for c in r:
                if isinstance(c.value, str) and c.value.startswith("="):
                    names = S.formula_names(c.value)
                    assert not names & set(S.SCENARIO_INPUTS), (title, c.coordinate, c.value)
                    seen |= names
    assert {S.live_name(n) for n in S.SCENARIO_INPUTS} <= seen
    # Each live value sits on the Scenarios sheet and picks the scenario named by the switch.
    for name in S.SCENARIO_INPUTS:
        cell = _cell(wb, S.live_name(name))
        assert cell.parent.title == S.SCENARIO_SHEET and "scenario=" in cell.value


def test_live_formula_leaves_strings_functions_and_rows_alone() -> None:
    assert S.live_formula('=IF(profile="realisation",realisation,{sched_ramp})') == (
        '=IF(profile="realisation",live_realisation,{sched_ramp})'
    )
    assert S.live_formula("=realisation_x+realisation*2") == "=realisation_x+live_realisation*2"


def test_inputs_table_is_two_columns_of_name_and_value(wb: openpyxl.Workbook) -> None:
    sheet, ref = next(iter(wb.defined_names["inputs_table"].destinations))
    rows = list(wb[sheet][ref.replace("$", "")])
    assert [r[0].value for r in rows] == [s.name for s in INPUTS]
    assert all(len(r) == 2 for r in rows)


def test_classic_naming_renders_underscore_functions() -> None:
    wb = build_template(classic=True)
    formulas = [
        c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)
    ]
    assert any("DEAL_SCHEDULE(" in f for f in formulas)
    assert any("DEAL_SCENARIO(" in f for f in formulas)
    assert not any("DEAL." in f for f in formulas if f.startswith("="))
    assert render_formula("=INDEX(DEAL.SCHEDULE(a),2,4)") == "=INDEX(DEAL.SCHEDULE(a),2,4)"


def test_the_spec_refuses_unknown_rows() -> None:
    from core.validation import DealDeskInputError
    from workbook.template.book import Book

    book = Book(classic=False)
    with pytest.raises(DealDeskInputError, match=r"unknown row \{nope\}"):
        book.formula("={nope}", "Schedule", S.LAYOUT.first_period_col)


def test_input_check_formulas_follow_the_rules() -> None:
    term = next(s for s in INPUTS if s.name == "term_years")
    assert (
        S.input_check_formula(term) == "=IFERROR(AND(ISNUMBER(term_years),term_years>0,term_years<=30),FALSE)"
    )
    profile = next(s for s in INPUTS if s.name == "profile")
    assert S.input_check_formula(profile).startswith('=IFERROR(OR(profile="straight",')


# A1-style cell address inside a string literal of code (docstrings are prose,
# ARGB colours such as "FF595959" are not addresses).
_ADDRESS = re.compile(r"(?<![A-Za-z0-9_$])\$?[A-Z]{1,3}\$?[1-9][0-9]{0,6}(?![A-Za-z0-9_(])")
_ARGB = re.compile(r"^[\"']?[0-9A-F]{8}[\"']?$")


def _addresses(path: Path) -> list[str]:
    found = []
    for tok in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        if tok.type != tokenize.STRING or tok.string.lstrip("rbfuRBFU").startswith(('"""', "'''")):
            continue
        if _ARGB.match(tok.string):
            continue
        found += [f"{path.name}:{tok.start[0]} {m.group()}" for m in _ADDRESS.finditer(tok.string)]
    return found


# Every module but the spec, the report builders included: they take title and header rows,
# frozen columns and chart anchors from workbook.spec.REPORT_LAYOUT.
@pytest.mark.parametrize(
    "path",
    [p for p in sorted(WORKBOOK_DIR.rglob("*.py")) if p.relative_to(WORKBOOK_DIR).parts[0] != "spec"],
    ids=lambda p: p.relative_to(WORKBOOK_DIR).as_posix(),
)
def test_no_cell_address_outside_the_spec(path: Path) -> None:
    assert _addresses(path) == []


def test_the_address_detector_catches_addresses(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('x = ws["B5"]\ny = "=SUM($D$7:$AQ$7)"\nz = "FF595959"\nw = "FY2026Q1"\n')
    assert _addresses(sample) == ["sample.py:1 B5", "sample.py:2 $D$7", "sample.py:2 $AQ$7"]


# Excel's documented limits a file must respect to open without repair.
_EXCEL_NAME = re.compile(r"^[A-Za-z_\\][A-Za-z0-9_.\\]*$")
_LOOKS_LIKE_A1 = re.compile(r"^[A-Za-z]{1,3}[0-9]+$")
_LOOKS_LIKE_R1C1 = re.compile(r"^[RrCc]([0-9]*)?$|^[Rr][0-9]*[Cc][0-9]*$")


def test_the_file_respects_excel_limits(wb: openpyxl.Workbook) -> None:
    for name in wb.defined_names:
        assert _EXCEL_NAME.match(name) and len(name) <= 255, name
        assert not _LOOKS_LIKE_A1.match(name) and not _LOOKS_LIKE_R1C1.match(name), name
    for ws in wb.worksheets:
        assert len(ws.title) <= 31
        for dv in ws.data_validations.dataValidation:
            assert len(dv.formula1 or "") <= 255
            assert len(dv.errorTitle or "") <= 32 and len(dv.error or "") <= 225
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert len(cell.value) <= 8192, cell.coordinate  # formula length limit
                    depth = max_depth = 0
                    for ch in cell.value if cell.data_type == "f" else "":
                        depth += (ch == "(") - (ch == ")")
                        max_depth = max(max_depth, depth)
                    assert max_depth <= 64, cell.coordinate  # nesting limit
