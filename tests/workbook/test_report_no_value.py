"""Reports of a deal whose model has figures with no value (None in the core, never NaN)."""

from __future__ import annotations

import openpyxl
import pytest

from core.deals import deal_assumptions
from core.model import OUTPUTS, run_model
from workbook.report import build_report, report_checks

# Microsoft–OpenAI in the deal library: $250B from 2025-10-28 over the library's assumed 5 years.
# At the default 15% deal margin its cash flows sum to about −$3.6B, so it never pays back
# (core: outputs["payback_year"] is None) while every other figure has a value.
DEAL = "Microsoft–OpenAI"


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = build_report(
        deal_assumptions(DEAL), tmp_path_factory.mktemp("no_value") / "r.xlsx", simulation_draws=0
    )
    return openpyxl.load_workbook(path)


def test_the_case_has_exactly_one_missing_figure() -> None:
    outputs = run_model(deal_assumptions(DEAL)).outputs
    assert [k for k, v in outputs.items() if v is None] == ["payback_year"]


def test_the_cover_shows_n_a_and_the_reason(book: openpyxl.Workbook) -> None:
    ws = book["Key figures"]
    label = next(s.label for s in OUTPUTS if s.name == "payback_year")
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label)
    assert ws.cell(row, 2).value == "n/a"
    assert (
        ws.cell(row, 4).value == "No value: the deal never pays back (cumulative cash flow ends below zero)."
    )


def test_the_scenarios_sheet_leaves_the_missing_figure_blank(book: openpyxl.Workbook) -> None:
    ws = book["Scenarios"]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Key figure")
    columns = {str(ws.cell(header, c).value).lower(): c for c in range(1, ws.max_column + 1)}
    label = next(s.label for s in OUTPUTS if s.name == "payback_year")
    row = next(r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 1).value == label)
    assert ws.cell(row, columns["base"]).value is None
    # The bull case's 30% margin pays back: a year, as the core says.
    from core.assumptions import scenario_assumptions

    bull = run_model(scenario_assumptions(deal_assumptions(DEAL), "bull")).outputs["payback_year"]
    assert bull is not None and ws.cell(row, columns["bull"]).value == bull


def test_every_check_passes_with_a_missing_figure() -> None:
    checks = report_checks(run_model(deal_assumptions(DEAL)))
    assert (checks["result"] == "PASS").all(), checks[checks["result"] != "PASS"]
    row = checks[checks["check"].str.startswith("Every key figure is a number")].iloc[0]
    assert row["actual"] == row["expected"] == len(OUTPUTS)
