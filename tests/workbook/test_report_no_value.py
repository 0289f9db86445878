"""Reports of a deal whose model has figures with no value (None in the core, never NaN)."""

from __future__ import annotations

import openpyxl
import pytest

from core.assumptions import Assumptions
from core.model import OUTPUTS, run_model
from workbook.report import build_report, report_checks

# The reference deal run at a 20% operating loss (a margin override of −0.2): its cash flows sum
# to −0.2 × (1 − 21%) × 38 × 0.925 < 0, so it never pays back (core: outputs["payback_year"] is
# None) while every other figure, the IRR included, has a value.
LOSS = Assumptions(deal_margin_override=-0.2)


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = build_report(LOSS, tmp_path_factory.mktemp("no_value") / "r.xlsx", simulation_draws=0)
    return openpyxl.load_workbook(path)


def test_the_case_has_exactly_one_missing_figure() -> None:
    outputs = run_model(LOSS).outputs
    assert [k for k, v in outputs.items() if v is None] == ["payback_year"]


def test_the_cover_shows_n_a_and_the_reason(book: openpyxl.Workbook) -> None:
    ws = book["Key figures"]
    label = next(s.label for s in OUTPUTS if s.name == "payback_year")
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label)
    assert ws.cell(row, 2).value == "n/a"
    assert (
        ws.cell(row, 4).value == "No value: the deal never pays back (cumulative cash flow ends below zero)."
    )


def test_the_scenarios_sheet_shows_the_missing_figure_as_na(book: openpyxl.Workbook) -> None:
    ws = book["Scenarios"]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Key figure")
    columns = {str(ws.cell(header, c).value).lower(): c for c in range(1, ws.max_column + 1)}
    label = next(s.label for s in OUTPUTS if s.name == "payback_year")
    row = next(r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 1).value == label)
    # The loss-making override holds in every scenario: no payback year in any column, while the
    # NPV row has a number in each (the core's).
    from core.assumptions import scenario_assumptions

    for name in ("base", "bull", "bear"):
        assert ws.cell(row, columns[name]).value == "n/a"
        assert run_model(scenario_assumptions(LOSS, name)).outputs["payback_year"] is None
    npv_label = next(s.label for s in OUTPUTS if s.name == "npv")
    npv_row = next(r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 1).value == npv_label)
    bull_npv = run_model(scenario_assumptions(LOSS, "bull")).outputs["npv"]
    assert ws.cell(npv_row, columns["bull"]).value == pytest.approx(bull_npv)


def test_every_check_passes_with_a_missing_figure() -> None:
    checks = report_checks(run_model(LOSS))
    assert (checks["result"] == "PASS").all(), checks[checks["result"] != "PASS"]
    row = checks[checks["check"].str.startswith("Every key figure is a number")].iloc[0]
    assert row["actual"] == row["expected"] == len(OUTPUTS)
