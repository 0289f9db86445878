"""The template workbook as data: sheets, inputs, calculations, outputs and checks.

This package is the only place that knows where things sit in the template
(first row of the Inputs table, first column of the time axis, ...). The
renderer (:mod:`workbook.template`) turns these specs into openpyxl calls; it
never spells a cell address itself. Formulas here are written against NAMES,
never addresses:

* a plain name (``contract_value``, ``period_months``) is a workbook-level
  defined name: an input, a figure of a calculation sheet, a check, or a
  whole time-axis row (``sched_ramp``, usable in ``SUM(sched_ramp)``);
* ``{row}`` is the cell of time-axis row ``row`` in the same period column
  (on any calculation sheet: all share one time axis, FAST style);
* ``{row@prev}`` is that row's cell in the previous period column; a row that
  uses it gives its first column its own formula (``first``).

The spec lives in rooms, re-exported here: ``layout`` (the only row and
column numbers, the sheets' names), ``inputs`` (the Inputs and Scenarios
sheets: input checks, live names), ``calc`` (the calculation sheets),
``outputs`` (Outputs, Checks and Cover: key figures, checks, charts) and
``library`` (Benchmarks, Claims, Watch and Exposure).

Scenarios (FAST: typed input, overrides, live value): an input's defined name
(``realisation``) is always the analyst's typed value on the Inputs sheet, the
public interface of the template. For every input that a named scenario
overrides (``core.assumptions.SCENARIOS``) the Scenarios sheet holds one column
per scenario and a live value, ``live_<name>``, picked by the Inputs sheet's
``scenario`` switch. Calculation formulas and checks are written with the
plain input names; :func:`live_formula` rewrites the overridden ones to their
live names, so that switching to ``bear`` drives every calculation sheet. The
Outputs sheet's key figures (``out_<name>``) are the core model under the
selected scenario (``DEAL.SCENARIO(inputs_table,scenario,...)``): the rule is
the same everywhere, the ``scenario`` input selects which overrides apply.

Conventions (FAST Standard / ICAEW Financial Modelling Code): one sheet of
inputs (blue), one calculation sheet per topic on a single time axis with one
formula per row (first column aside), links from other sheets in green, and
every check rolled into one master flag (``master_check``) shown on every
sheet. Money is in US$ billions; rates are fractions.

Custom functions: the template calls the DealDesk functions with their
Office.js names (``DEAL.SCHEDULE``, ``DEAL.OUTPUT``) as an analyst types them;
:func:`workbook.template.render_formula` can switch to the classic xlwings
names (``DEAL_SCHEDULE``). How Excel stores such calls in the file is
documented in :mod:`workbook.template`.
"""

from __future__ import annotations

from typing import Any

from workbook.spec.calc import CALC_SHEETS, SHEET_ORDER, CalcRow, CalcSheet, Check, Figure
from workbook.spec.inputs import (
    CHOICE_INPUTS,
    LIVE_NAME_PREFIX,
    SCENARIO_INPUTS,
    input_check_formula,
    live_formula,
    live_name,
    scenario_rows,
)
from workbook.spec.layout import (
    BENCHMARKS_SHEET,
    CHECK_SHEET,
    CLAIMS_SHEET,
    COMPANIES_SHEET,
    COVER_SHEET,
    DEALS_SHEET,
    EXPOSURE_SHEET,
    INPUT_SHEET,
    LAYOUT,
    OUTPUT_SHEET,
    REPORT_LAYOUT,
    SCENARIO_SHEET,
    WATCH_SHEET,
    Layout,
    ReportLayout,
)
from workbook.spec.library import (
    BENCHMARK_DEAL_YEARS,
    BENCHMARK_SHEET_COLUMNS,
    CLAIM_SHEET_COLUMNS,
    CLAIM_SHEET_ROWS,
    EXPOSURE_INPUTS,
    WATCH_SHEET_COLUMNS,
    WATCH_SHEET_ROWS,
    BenchmarkRow,
    benchmark_formula,
    benchmark_rows,
    exposure_axes,
    exposure_matrix_formula,
    exposure_risk_formula,
    loop_formula,
)
from workbook.spec.library import EXPOSURE_CHECKS as EXPOSURE_CHECKS
from workbook.spec.library import EXPOSURE_RISK_FIGURES as EXPOSURE_RISK_FIGURES
from workbook.spec.outputs import (
    CHARTS,
    CHECK_TOLERANCE,
    CHECKS,
    COVER_LINES,
    OUTPUT_HIGHLIGHTS,
    OUTPUT_NAME_PREFIX,
    ChartSpec,
    formula_names,
    output_defined_name,
    output_formula,
)

__all__ = [
    "CalcRow",
    "CalcSheet",
    "Check",
    "Figure",
    "Layout",
    "LAYOUT",
    "ReportLayout",
    "REPORT_LAYOUT",
    "CALC_SHEETS",
    "CHECKS",
    "INPUT_SHEET",
    "OUTPUT_SHEET",
    "CHECK_SHEET",
    "COVER_SHEET",
    "BENCHMARKS_SHEET",
    "BENCHMARK_SHEET_COLUMNS",
    "BENCHMARK_DEAL_YEARS",
    "BenchmarkRow",
    "CLAIMS_SHEET",
    "CLAIM_SHEET_COLUMNS",
    "CLAIM_SHEET_ROWS",
    "WATCH_SHEET",
    "WATCH_SHEET_COLUMNS",
    "WATCH_SHEET_ROWS",
    "loop_formula",
    "benchmark_formula",
    "benchmark_rows",
    "DEALS_SHEET",
    "EXPOSURE_SHEET",
    "EXPOSURE_INPUTS",
    "exposure_matrix_formula",
    "exposure_risk_formula",
    "COMPANIES_SHEET",
    "SCENARIO_SHEET",
    "SHEET_ORDER",
    "CHOICE_INPUTS",
    "OUTPUT_NAME_PREFIX",
    "LIVE_NAME_PREFIX",
    "SCENARIO_INPUTS",
    "input_check_formula",
    "live_formula",
    "live_name",
    "output_formula",
    "output_defined_name",
    "scenario_rows",
    "formula_names",
    "CHECK_TOLERANCE",
    "ChartSpec",
    "CHARTS",
    "COVER_LINES",
    "OUTPUT_HIGHLIGHTS",
]


def __getattr__(name: str) -> Any:
    # EXPOSURE_PROVIDERS and EXPOSURE_CUSTOMERS: the rows and columns of the provider × customer
    # matrix (the deal library's, fixed when the template is built). Computing them schedules every
    # library contract (seconds), so they are computed on first use, not whenever the spec is imported.
    if name == "EXPOSURE_PROVIDERS":
        return exposure_axes()[0]
    if name == "EXPOSURE_CUSTOMERS":
        return exposure_axes()[1]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
