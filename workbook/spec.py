"""The template workbook as data: sheets, inputs, calculations, outputs and checks.

This module is the only place that knows where things sit in the template
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

import dataclasses
import functools
import re
from typing import Any

from core.assumptions import INPUTS, SCENARIOS, InputSpec
from core.benchmarks import DEAL_SOURCE, reported_margin_rows
from core.claims import CLAIM_COLUMNS
from core.exposure import DEFAULT_AS_OF_YEAR, MAX_DRAWS, RISK_COLUMNS, SHORTFALL_RULES, exposure_table
from core.model import MARKET_VALUE_YEAR
from core.watch import WATCH_COLUMNS

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


# --------------------------------------------------------------------------- layout (the only addresses)


@dataclasses.dataclass(frozen=True)
class Layout:
    """Where things sit, as 1-based row and column numbers.

    Every sheet: title in row ``title_row`` column 1, the master check in row
    ``master_row`` (label column 1, flag column ``value_col``), a purpose note
    in row ``note_row``.
    """

    title_row: int = 1
    master_row: int = 2
    note_row: int = 3
    # Inputs sheet: a header row, then one row per input (and a row per group title).
    inputs_header_row: int = 5
    inputs_cols: tuple[str, ...] = ("label", "name", "value", "unit", "rule", "source", "ok")
    # Calculation sheets: figures block (label, unit, value) from ``figures_row``;
    # the time axis header rows and the rows below it start after the figures.
    figures_row: int = 5
    label_col: int = 1
    unit_col: int = 2
    value_col: int = 3  # the figure's value, or a time-axis row's total
    first_period_col: int = 4
    periods: int = 40  # columns of the time axis (10 years of quarters, 40 of years)
    # Outputs / Checks sheets: a header row then one row per figure / check.
    table_header_row: int = 5
    outputs_cols: tuple[str, ...] = ("label", "unit", "value", "name", "description")
    chart_anchor_col: int = 8
    # Cover sheet
    cover_first_row: int = 5

    def input_col(self, key: str) -> int:
        """Column number of an Inputs-sheet column (``"value"``, ``"name"``, ...)."""
        return self.inputs_cols.index(key) + 1

    def output_col(self, key: str) -> int:
        """Column number of an Outputs-sheet column (``"value"``, ``"name"``, ...)."""
        return self.outputs_cols.index(key) + 1


LAYOUT = Layout()


@dataclasses.dataclass(frozen=True)
class ReportLayout:
    """Where things sit on the sheets of a values-only report, as 1-based row and column numbers.

    The reports (:mod:`workbook.report`) and the batch comparison
    (:mod:`workbook.batch`) place every cell from these numbers. Every sheet:
    title in row ``title_row`` and a subtitle (what the sheet holds, where the
    inputs came from) in row ``subtitle_row``, both in column 1. A data sheet
    holds a table: its header in ``header_row`` (printed again on every page),
    its body from :attr:`first_row`; the ``frozen_cols`` leftmost columns (row
    labels) stay in view, as does the header. A second table on the same sheet
    starts its header ``table_gap`` rows below the first table's last row, its
    title on the row above.

    >>> R = ReportLayout()
    >>> R.first_row, R.first_body_col, R.print_title_rows()
    (5, 2, '4:4')
    >>> [R.chart_anchor(k) for k in range(5)]  # two charts a row, four a printed page
    [(4, 1), (4, 11), (23, 1), (23, 11), (44, 1)]
    """

    title_row: int = 1
    subtitle_row: int = 2
    header_row: int = 4
    frozen_cols: int = 1
    table_gap: int = 3
    # Cover: the deal's details from ``cover_first_row``, then the key-figure table,
    # ``cover_cols`` columns wide (figure, value, unit, meaning).
    cover_first_row: int = 4
    cover_cols: int = 4
    # Charts sheet: charts side by side at the columns ``chart_cols``, each ``chart_rows``
    # rows high; a page break after every ``charts_per_page`` charts, then ``page_gap_rows``.
    chart_first_row: int = 4
    chart_cols: tuple[int, ...] = (1, 11)
    chart_rows: int = 19
    charts_per_page: int = 4
    page_gap_rows: int = 2
    # Batch comparison: the key figure and its unit stay in view.
    comparison_frozen_cols: int = 2
    # A chart for notes (``dealdesk report --png``): anchored at the top-left cell of its own
    # page, which prints ``note_chart_rows`` rows by ``note_chart_cols`` columns (chart and source).
    note_chart_rows: int = 19
    note_chart_cols: int = 11

    @property
    def first_row(self) -> int:
        """First body row of a sheet's table (the row below the header)."""
        return self.header_row + 1

    @property
    def first_body_col(self) -> int:
        """First column that scrolls (right of the frozen label columns)."""
        return self.frozen_cols + 1

    def print_title_rows(self, header_row: int | None = None) -> str:
        """Excel's print-titles rows for a table whose header is ``header_row`` (default ``header_row``)."""
        row = self.header_row if header_row is None else header_row
        return f"{row}:{row}"

    def note_chart_area(self) -> str:
        """The cells a note chart's page prints (the chart from the top-left cell, its source line under it).

        >>> ReportLayout().note_chart_area()
        'A1:K19'
        """
        from openpyxl.utils import get_column_letter

        return f"A1:{get_column_letter(self.note_chart_cols)}{self.note_chart_rows}"

    def chart_anchor(self, k: int) -> tuple[int, int]:
        """Row and column of the top-left cell of the ``k``-th chart (0-based) of a charts sheet."""
        per_row = len(self.chart_cols)
        row = (
            self.chart_first_row
            + (k // per_row) * self.chart_rows
            + (k // self.charts_per_page) * self.page_gap_rows
        )
        return row, self.chart_cols[k % per_row]


REPORT_LAYOUT = ReportLayout()

COVER_SHEET = "Cover"
INPUT_SHEET = "Inputs"
OUTPUT_SHEET = "Outputs"
CHECK_SHEET = "Checks"
SCENARIO_SHEET = "Scenarios"
DEALS_SHEET = "Deals"
BENCHMARKS_SHEET = "Benchmarks"
CLAIMS_SHEET = "Claims"
WATCH_SHEET = "Watch"
EXPOSURE_SHEET = "Exposure"
COMPANIES_SHEET = "Companies"

#: Inputs with a fixed list of accepted values (data-validation lists).
CHOICE_INPUTS: tuple[str, ...] = tuple(s.name for s in INPUTS if s.kind == "choice")

#: Defined names of the model's key figures on the Outputs sheet are ``out_<name>``.
OUTPUT_NAME_PREFIX = "out_"

#: Defined names of the live (scenario-selected) value of an overridden input are ``live_<name>``.
LIVE_NAME_PREFIX = "live_"

#: Inputs that some named scenario overrides, in Inputs-sheet order: the calculations read their live value.
SCENARIO_INPUTS: tuple[str, ...] = tuple(
    s.name for s in INPUTS if any(s.name in overrides for overrides in SCENARIOS.values())
)

_STRING_RE = re.compile(r'("[^"]*")')
_LIVE_RE = re.compile(r"(?<![\w.])(" + "|".join(SCENARIO_INPUTS) + r")(?![\w.(])") if SCENARIO_INPUTS else None


def live_name(name: str) -> str:
    """Defined name of the live value of an input (the value under the selected scenario).

    >>> live_name("realisation")
    'live_realisation'
    """
    return LIVE_NAME_PREFIX + name


def live_formula(formula: str) -> str:
    """A calculation formula reading the live value of every input a scenario overrides.

    Names inside strings, function names and ``{row}`` references stay as they are.

    >>> live_formula('=IF(delay_mode="extend",contract_value*realisation,0)')
    '=IF(delay_mode="extend",contract_value*live_realisation,0)'
    """
    if _LIVE_RE is None:
        return formula
    parts = _STRING_RE.split(formula)
    return "".join(
        part if part.startswith('"') else _LIVE_RE.sub(lambda m: live_name(m.group(1)), part) for part in parts
    )


# --------------------------------------------------------------------------- calculation specs


@dataclasses.dataclass(frozen=True)
class Figure:
    """One named scalar calculation (a FAST 'constant' of a calculation sheet)."""

    name: str
    label: str
    unit: str
    formula: str
    fmt: str = "number"
    style: str = "formula"


@dataclasses.dataclass(frozen=True)
class CalcRow:
    """One time-axis row: the same formula in every period column.

    ``first`` is the first column's formula when the row looks back
    (``{row@prev}``); ``total`` is ``"sum"`` (the total column sums the row),
    ``"last"`` (the row's last in-contract value) or ``None``.
    """

    name: str
    label: str
    unit: str
    formula: str
    first: str | None = None
    total: str | None = None
    fmt: str = "number"
    style: str = "formula"


@dataclasses.dataclass(frozen=True)
class CalcSheet:
    """A calculation sheet: figures on top, then the time axis and its rows."""

    title: str
    purpose: str
    figures: tuple[Figure, ...] = ()
    rows: tuple[CalcRow, ...] = ()
    time_axis: bool = True


@dataclasses.dataclass(frozen=True)
class Check:
    """One check: a formula that is TRUE when the model is sound."""

    name: str
    label: str
    formula: str


# The ramp revenue of one period, read from the custom function's table.
# DEAL.SCHEDULE returns a dynamic array with a header row and one row per
# fiscal period (period, start, end, revenue, cumulative); the time axis of
# the template starts at the same first period, so period k is table row k + 1
# and revenue is column 4. One INDEX per cell rather than one spilled array:
# the headless engine (``formulas``) evaluates a formula's array result in its
# own cell but does not spill it into neighbours, and Excel 365 treats a
# workbook formula without dynamic-array metadata as a legacy formula
# (implicit intersection), so a scalar per cell is the one style that shows
# the same numbers in Excel, LibreOffice and the headless evaluator.
_SCHEDULE_CALL = (
    "DEAL.SCHEDULE(contract_value,start_date,term_years,profile,frequency,fiscal_year_end,"
    "realisation,delay_quarters,delay_mode,full_at,initial_rate)"
)

_SCHEDULE = CalcSheet(
    title="Schedule",
    purpose=(
        "Revenue by fiscal period: the straight-line view (value ÷ term by actual days) against "
        "the modelled ramp (profile, realisation, delay) from DEAL.SCHEDULE."
    ),
    figures=(
        Figure("period_months", "Months per period", "months",
               '=IF(frequency="month",1,IF(frequency="quarter",3,12))', "integer"),
        Figure("contract_days_total", "Contract days", "days",
               "=EDATE(start_date,ROUND(term_years*12,0))-start_date", "count"),
        # A quarter is 365.25 / 4 days, rounded to whole days half-to-even as the core
        # rounds (core.schedule.delay_days_from_quarters); Excel's ROUND rounds halves
        # away from zero, hence the explicit half case (8 quarters = 730.5 -> 730).
        Figure("delay_days", "Delivery delay", "days",
               "=IF(MOD(delay_quarters*365.25/4,1)=0.5,2*ROUND(delay_quarters*365.25/8,0),"
               "ROUND(delay_quarters*365.25/4,0))", "count"),
        Figure("horizon_days", "Days revenue can fall in", "days",
               '=contract_days_total+IF(delay_mode="extend",delay_days,0)', "count"),
        Figure("contract_last_day", "Last day of revenue", "date", "=start_date+horizon_days-1", "date"),
        Figure("first_period_start", "First period starts", "date",
               "=DATE(YEAR(start_date),MONTH(start_date)-MOD(MOD(MONTH(start_date)-fiscal_year_end-1,12),"
               "period_months),1)", "date"),
        Figure("straight_line_run_rate", "Straight line a year", "US$ bn a year",
               "=contract_value/term_years", "usd_bn"),
        Figure("sched_straight_total", "Straight line, whole term", "US$ bn", "=SUM(sched_straight)", "usd_bn"),
        Figure("sched_ramp_total", "Ramp, whole term", "US$ bn", "=SUM(sched_ramp)", "usd_bn"),
        Figure("sched_gap_total", "Straight line minus ramp, whole term", "US$ bn", "=SUM(sched_gap)", "usd_bn"),
        Figure("periods_in_contract", "Periods holding revenue", "periods", "=SUM(sched_in_contract)", "count"),
    ),
    rows=(
        CalcRow("sched_index", "Period number", "#", "={sched_index@prev}+1", first="=1", fmt="integer"),
        CalcRow("sched_start", "Period start", "date", "=EDATE({sched_start@prev},period_months)",
                first="=first_period_start", fmt="date"),
        CalcRow("sched_end", "Period end", "date", "=EDATE({sched_start},period_months)-1", fmt="date"),
        CalcRow("sched_in_contract", "Holds contract days", "flag",
                "=IF({sched_start}<=contract_last_day,1,0)", fmt="flag"),
        CalcRow(
            "sched_label",
            "Fiscal period",
            "label",
            '=IF({sched_in_contract}=1,IF(frequency="month",YEAR({sched_start})&"-"&'
            'IF(MONTH({sched_start})<10,"0","")&MONTH({sched_start}),'
            '"FY"&(YEAR({sched_start})+IF(MONTH({sched_start})>fiscal_year_end,1,0))&'
            'IF(frequency="quarter","Q"&(INT(MOD(MONTH({sched_start})-fiscal_year_end-1,12)/3)+1),"")),"")',
            fmt="text",
        ),
        CalcRow(
            "sched_straight",
            "Straight-line revenue",
            "US$ bn",
            "=contract_value*(MAX(0,MIN(contract_days_total,{sched_end}+1-start_date))"
            "-MAX(0,MIN(contract_days_total,{sched_start}-start_date)))/contract_days_total",
            total="sum",
            fmt="usd_bn",
        ),
        CalcRow(
            "sched_ramp",
            "Ramp revenue (DEAL.SCHEDULE)",
            "US$ bn",
            "=IF({sched_in_contract}=1,INDEX(" + _SCHEDULE_CALL + ",{sched_index}+1,4),0)",
            total="sum",
            fmt="usd_bn",
        ),
        CalcRow("sched_gap", "Straight line minus ramp", "US$ bn", "={sched_straight}-{sched_ramp}",
                total="sum", fmt="usd_bn"),
        CalcRow("sched_ramp_cumulative", "Ramp revenue to date", "US$ bn",
                "={sched_ramp_cumulative@prev}+{sched_ramp}", first="={sched_ramp}", fmt="usd_bn"),
        CalcRow("sched_share_earned", "Share of value earned to date", "fraction",
                "={sched_ramp_cumulative}/contract_value", fmt="pct"),
        CalcRow(
            "sched_growth_pp",
            "Ramp's contribution to provider growth",
            "pp",
            "=({sched_ramp}-{sched_ramp@prev})/(base_revenue*period_months/12)*100",
            first="={sched_ramp}/(base_revenue*period_months/12)*100",
            fmt="pp",
        ),
    ),
)

_BACKLOG = CalcSheet(
    title="Backlog",
    purpose=(
        "Remaining performance obligation (ASC 606): ending = beginning + bookings − revenue recognised − "
        "unused commitment derecognised (at the period holding the last day). 'full' books the whole value "
        "at signing; 'staged' books one tranche at the start of each period, ahead of its revenue."
    ),
    figures=(
        Figure("backlog_added", "Backlog added at signing", "US$ bn",
               '=IF(booking="full",contract_value,INDEX(bl_bookings,1,1))', "usd_bn"),
        Figure("backlog_after", "Reported backlog with the deal", "US$ bn",
               "=reported_backlog+backlog_added", "usd_bn"),
        Figure("backlog_deal_share", "Deal's share of backlog", "fraction",
               "=backlog_added/backlog_after", "pct"),
        Figure("backlog_unused", "Commitment never recognised", "US$ bn",
               "=contract_value-sched_ramp_total", "usd_bn"),
        Figure("backlog_final", "Backlog left after the last period", "US$ bn",
               "=INDEX(bl_ending,1,COLUMNS(bl_ending))", "usd_bn"),
    ),
    rows=(
        CalcRow("bl_beginning", "Beginning backlog", "US$ bn", "={bl_ending@prev}", first="=0", fmt="usd_bn"),
        CalcRow("bl_recognised", "Revenue recognised", "US$ bn", "={sched_ramp}", total="sum",
                fmt="usd_bn", style="link"),
        CalcRow(
            "bl_derecognised",
            "Unused commitment derecognised",
            "US$ bn",
            "=IF(AND({sched_start}<=contract_last_day,{sched_end}>=contract_last_day),backlog_unused,0)",
            total="sum",
            fmt="usd_bn",
        ),
        CalcRow(
            "bl_bookings",
            "Bookings",
            "US$ bn",
            '=IF(booking="full",IF({sched_index}=1,contract_value,0),{bl_recognised}+{bl_derecognised})',
            total="sum",
            fmt="usd_bn",
        ),
        CalcRow("bl_ending", "Ending backlog", "US$ bn",
                "={bl_beginning}+{bl_bookings}-{bl_recognised}-{bl_derecognised}", fmt="usd_bn"),
    ),
)

_MARGIN = CalcSheet(
    title="Margin",
    purpose=(
        "Segment operating margin with the deal: (base revenue × base margin + deal operating profit) "
        "÷ (base revenue + deal revenue), against the base margin, in basis points. The deal's margin "
        "profit in each fiscal year comes from the model's cost stack (DEAL.TABLE, economics): "
        "depreciation of IT and facility capex, power and other costs, or the override; a year with "
        "depreciation but no revenue yet (a delay) dilutes too. Base revenue is the provider's baseline: "
        "its base year's revenue grown at the base growth, spread evenly over the periods. The largest "
        "dilution is read on periods the contract covers in full (a stub is shown, not counted)."
    ),
    figures=(
        Figure("margin_change_min_bps", "Largest margin dilution, full periods", "bps",
               "=MINIFS(mg_change_bps,mg_full,1)", "bps"),
        Figure("margin_deal_life", "Deal operating margin, life of contract (cost stack)", "fraction",
               '=DEAL.SCENARIO(inputs_table,scenario,"deal_margin_life")', "pct"),
    ),
    rows=(
        CalcRow("mg_deal_revenue", "Deal revenue", "US$ bn", "={sched_ramp}", total="sum", fmt="usd_bn",
                style="link"),
        CalcRow("mg_fiscal_year", "Fiscal year of the period", "year",
                "=YEAR({sched_end})+IF(MONTH({sched_end})>fiscal_year_end,1,0)", fmt="year"),
        CalcRow("mg_fy_revenue", "Deal revenue of the fiscal year (cost stack)", "US$ bn",
                '=DEAL.TABLE(inputs_table,scenario,"economics",{mg_fiscal_year},"revenue",0)', fmt="usd_bn"),
        CalcRow("mg_fy_profit", "Deal operating profit of the fiscal year (cost stack)", "US$ bn",
                '=DEAL.TABLE(inputs_table,scenario,"economics",{mg_fiscal_year},"operating_profit",0)',
                fmt="usd_bn"),
        # The fiscal year's profit shared by revenue (by months before revenue starts).
        CalcRow("mg_deal_profit", "Deal operating profit", "US$ bn",
                "={mg_fy_profit}*IF({mg_fy_revenue}>0,{mg_deal_revenue}/MAX({mg_fy_revenue},1E-300),"
                "period_months/12)", total="sum", fmt="usd_bn"),
        CalcRow("mg_deal_margin", "Deal operating margin", "fraction",
                "=IF({mg_deal_revenue}>0,{mg_deal_profit}/MAX({mg_deal_revenue},1E-300),0)", fmt="pct"),
        CalcRow("mg_full", "Period the contract covers in full (1 = yes)", "flag",
                "=IF(AND({sched_start}>=start_date,{sched_end}<=contract_last_day),1,0)", fmt="flag"),
        # A path over every column of the axis, past the contract: a total would count 40 periods.
        CalcRow("mg_base_revenue", "Provider base revenue (baseline)", "US$ bn",
                "=base_revenue*(1+base_growth)^({mg_fiscal_year}-base_year)*period_months/12",
                fmt="usd_bn"),
        CalcRow("mg_blended", "Blended operating margin", "fraction",
                "=({mg_base_revenue}*base_margin+{mg_deal_profit})/"
                "({mg_base_revenue}+{mg_deal_revenue})", fmt="pct"),
        CalcRow("mg_change_bps", "Change against base margin", "bps",
                "=({mg_blended}-base_margin)*10000", fmt="bps"),
    ),
)

_CAPACITY = CalcSheet(
    title="Capacity",
    purpose=(
        "Unit economics of the hardware: what one NVL72-class rack costs, draws and burns, and what the "
        "provider's capex buys. Vendor specs and industry estimates as sourced on the Inputs sheet."
    ),
    figures=(
        Figure("cap_it_mw_per_rack", "IT load per rack", "MW", "=kw_per_rack/1000", "twh"),
        Figure("cap_facility_mw_per_rack", "Facility load per rack (× PUE)", "MW",
               "=cap_it_mw_per_rack*pue", "twh"),
        Figure("cap_capex_per_rack_musd", "All-in capex per rack", "US$ m",
               "=rack_price_musd+facility_musd_per_mw*cap_facility_mw_per_rack", "usd"),
        Figure("cap_power_cost_per_rack_musd", "Power cost per rack a year", "US$ m a year",
               "=cap_facility_mw_per_rack*8760*power_usd_per_mwh/1000000", "usd"),
        Figure("cap_racks_per_usd_bn", "Racks per US$ bn of all-in capex", "racks",
               "=1000/cap_capex_per_rack_musd", "count"),
        Figure("cap_gpus_per_usd_bn", "GPUs per US$ bn of all-in capex", "GPUs",
               "=cap_racks_per_usd_bn*gpus_per_rack", "count"),
        Figure("cap_mw_per_usd_bn", "Facility MW per US$ bn of all-in capex", "MW",
               "=cap_racks_per_usd_bn*cap_facility_mw_per_rack", "mw"),
        Figure("cap_twh_per_gw", "Energy of 1 GW for a year", "TWh a year", "=1000*8760/1000000", "twh"),
        Figure("cap_share_us_per_gw", "1 GW's share of US electricity use", "fraction",
               "=cap_twh_per_gw/us_consumption_twh", "pct"),
        Figure("cap_capex_2026_gw", "Facility GW that the 2026 capex would buy", "GW",
               "=capex_2026*cap_mw_per_usd_bn/1000", "twh"),
    ),
    time_axis=False,
)

_ECONOMICS = CalcSheet(
    title="Economics",
    purpose=(
        "The deal's after-tax operating profit at each fiscal year's margin from the cost stack (Margin "
        "sheet), discounted at mid-period from the signing date. Capex and depreciation sit inside that "
        "margin in this view; the cash flows with capex are in DEAL.TABLE(inputs_table,,\"economics\")."
    ),
    figures=(
        Figure("econ_pv_profit", "PV of after-tax operating profit", "US$ bn", "=SUM(ec_pv)", "usd_bn"),
        Figure("econ_profit_total", "After-tax operating profit, whole term", "US$ bn",
               "=SUM(ec_after_tax)", "usd_bn"),
    ),
    rows=(
        CalcRow("ec_revenue", "Deal revenue", "US$ bn", "={sched_ramp}", total="sum", fmt="usd_bn",
                style="link"),
        CalcRow("ec_profit", "Operating profit", "US$ bn", "={mg_deal_profit}", total="sum",
                fmt="usd_bn", style="link"),
        CalcRow("ec_after_tax", "After-tax operating profit", "US$ bn", "={ec_profit}*(1-tax_rate)",
                total="sum", fmt="usd_bn"),
        CalcRow("ec_years", "Years from signing (mid-period)", "years",
                "=MAX(0,(({sched_start}+{sched_end})/2-signing_date)/365.25)", fmt="ratio"),
        CalcRow("ec_discount", "Discount factor", "factor", "=1/(1+discount_rate)^{ec_years}", fmt="ratio"),
        CalcRow("ec_pv", "Present value", "US$ bn", "={ec_after_tax}*{ec_discount}", total="sum",
                fmt="usd_bn"),
    ),
)

_COUNTERPARTY = CalcSheet(
    title="Counterparty",
    purpose=(
        "The customer's revenue path (geometric from today's revenue to its target, then the growth "
        "after the target year) against this deal's spend: how much of the customer's revenue the deal takes."
    ),
    figures=(
        Figure("cp_growth_multiple", "Required revenue multiple", "x",
               "=customer_revenue_target/customer_revenue_start", "ratio"),
        Figure("cp_required_cagr", "Required revenue growth a year", "fraction",
               "=cp_growth_multiple^(1/(customer_target_year-customer_revenue_start_year))-1", "pct"),
        Figure("cp_peak_share", "Peak share of customer revenue", "fraction", "=MAX(cp_share)", "pct"),
    ),
    rows=(
        CalcRow("cp_year", "Calendar year of period end", "year", "=YEAR({sched_end})", fmt="year"),
        CalcRow(
            "cp_customer_revenue",
            "Customer revenue",
            "US$ bn",
            "=IF({cp_year}<=customer_target_year,"
            "customer_revenue_start*(1+cp_required_cagr)^({cp_year}-customer_revenue_start_year),"
            "customer_revenue_target*(1+customer_growth_after)^({cp_year}-customer_target_year))"
            "*period_months/12",
            fmt="usd_bn",  # a path over every column of the axis, past the contract: no total
        ),
        CalcRow("cp_deal_spend", "Spend on this deal", "US$ bn", "={sched_ramp}", total="sum",
                fmt="usd_bn", style="link"),
        CalcRow("cp_share", "Deal spend ÷ customer revenue", "fraction",
                "={cp_deal_spend}/{cp_customer_revenue}", fmt="pct"),
    ),
)

_VALUATION = CalcSheet(
    title="Valuation",
    purpose=(
        "Event study of the announcement: the price after the move, the value it added, the abnormal "
        "return against the market, and the market value against the threshold and a sector shock."
    ),
    figures=(
        Figure("val_price_after", "Price after the announcement", "US$ per share",
               "=prior_close*(1+move_pct)", "usd"),
        Figure("val_price_change", "Price change", "US$ per share", "=val_price_after-prior_close", "usd"),
        Figure("val_value_added", "Market value added", "US$ bn",
               "=val_price_change*shares_outstanding", "usd_bn"),
        Figure("val_abnormal_return", "Abnormal return", "fraction", "=move_pct-market_move_pct", "pct"),
        Figure("val_abnormal_value", "Abnormal value added", "US$ bn",
               "=val_abnormal_return*prior_close*shares_outstanding", "usd_bn"),
        Figure("val_added_per_contract", "Value added ÷ contract value", "x",
               "=val_value_added/contract_value", "ratio"),
        Figure("val_market_value", "Market value after the announcement", "US$ bn",
               "=val_price_after*shares_outstanding", "usd_bn"),
        # core.model: from the signing year to MARKET_VALUE_YEAR (or the signing year if later),
        # starting after the cloud shock when the scenario applies it (the bear case).
        Figure("val_market_value_target_year", f"Market value in the threshold year ({MARKET_VALUE_YEAR})",
               "US$ bn",
               "=val_market_value*(1+cloud_shock*apply_cloud_shock)*(1+market_value_growth)"
               f"^(MAX({MARKET_VALUE_YEAR},YEAR(signing_date))-YEAR(signing_date))", "usd_bn"),
        # A threshold of 0 is none (another provider than the article's Amazon): no test, a blank.
        Figure("val_above_threshold", "At or above the market-value threshold", "flag",
               '=IF(market_value_target>0,IF(val_market_value_target_year>=market_value_target,1,0),"")',
               "flag"),
        Figure("val_after_shock", "Market value after a sector shock", "US$ bn",
               "=val_market_value*(1+cloud_shock)", "usd_bn"),
    ),
    time_axis=False,
)

def _live_sheet(sheet: CalcSheet) -> CalcSheet:
    """The sheet with every formula reading live values (:func:`live_formula`)."""
    return dataclasses.replace(
        sheet,
        figures=tuple(dataclasses.replace(f, formula=live_formula(f.formula)) for f in sheet.figures),
        rows=tuple(
            dataclasses.replace(
                r, formula=live_formula(r.formula), first=None if r.first is None else live_formula(r.first)
            )
            for r in sheet.rows
        ),
    )


#: Calculation sheets, in workbook order, driven by the live (scenario-selected) inputs.
CALC_SHEETS: tuple[CalcSheet, ...] = tuple(
    _live_sheet(sheet)
    for sheet in (_SCHEDULE, _BACKLOG, _MARGIN, _CAPACITY, _ECONOMICS, _COUNTERPARTY, _VALUATION)
)

#: Every sheet in workbook order (Scenarios sits after the calculations).
SHEET_ORDER: tuple[str, ...] = (
    COVER_SHEET,
    INPUT_SHEET,
    *(s.title for s in CALC_SHEETS),
    BENCHMARKS_SHEET,
    SCENARIO_SHEET,
    OUTPUT_SHEET,
    CLAIMS_SHEET,
    WATCH_SHEET,
    CHECK_SHEET,
    DEALS_SHEET,
    EXPOSURE_SHEET,
    COMPANIES_SHEET,
)


# --------------------------------------------------------------------------- benchmarks sheet

#: Columns of the Benchmarks sheet after its row label: (column of the model's benchmarks table,
#: header, format hint).
BENCHMARK_SHEET_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("period", "Period", "text"),
    ("gross_margin", "Gross margin", "pct"),
    ("ebitda_margin", "EBITDA margin", "pct"),
    ("operating_margin", "Operating margin", "pct"),
    ("low", "Reported low", "pct"),
    ("high", "Reported high", "pct"),
    ("reading", "Where the deal sits (its life margin of the same measure)", "text"),
    ("source", "Source", "text"),
)
#: Rows for the deal's fiscal years, from the one holding the start date ("n/a" after the contract).
BENCHMARK_DEAL_YEARS = 12


@dataclasses.dataclass(frozen=True)
class BenchmarkRow:
    """One row of the Benchmarks sheet.

    ``label`` is text, or a formula giving the row's key (a deal's fiscal year); ``name`` is the
    label cell's defined name, which the row's ``DEAL.TABLE`` calls take as their key; ``cells``
    maps a column of ``BENCHMARK_SHEET_COLUMNS`` to a formula or to a value written as it is (a
    reported figure: public evidence, the same for every deal). Columns not in ``cells`` stay empty.
    """

    label: str
    name: str | None
    cells: dict[str, Any]


def benchmark_formula(key: str, column: str, *, if_missing: bool = False) -> str:
    """A cell of the Benchmarks sheet: ``column`` of the benchmarks table's row ``key`` (a defined name or a
    quoted text), one call; with ``if_missing`` "n/a" for a row the table does not have.

    >>> benchmark_formula('"life"', "gross_margin")
    '=DEAL.TABLE(inputs_table,scenario,"benchmarks","life","gross_margin")'
    >>> benchmark_formula("bench_year_1", "period", if_missing=True)
    '=DEAL.TABLE(inputs_table,scenario,"benchmarks",bench_year_1,"period","n/a")'
    """
    extra = ',"n/a"' if if_missing else ""
    return f'=DEAL.TABLE(inputs_table,scenario,"benchmarks",{key},"{column}"{extra})'


def benchmark_rows() -> list[BenchmarkRow]:
    """The Benchmarks sheet's rows: the deal's fiscal years, its life, the provider's own margin, then
    every reported GPU-rental margin (its figures written as they are, the reading from the model).

    >>> rows = benchmark_rows()
    >>> rows[0].label, rows[0].name
    ('="FY"&(YEAR(start_date)+IF(MONTH(start_date)>fiscal_year_end,1,0)+0)', 'bench_year_1')
    >>> rows[BENCHMARK_DEAL_YEARS].cells["gross_margin"]
    '=DEAL.TABLE(inputs_table,scenario,"benchmarks","life","gross_margin")'
    """
    first = "YEAR(start_date)+IF(MONTH(start_date)>fiscal_year_end,1,0)"
    deal = ("period", "gross_margin", "ebitda_margin", "operating_margin")
    rows = []
    for k in range(BENCHMARK_DEAL_YEARS):
        name = f"bench_year_{k + 1}"
        cells: dict[str, Any] = {c: benchmark_formula(name, c, if_missing=True) for c in deal}
        rows.append(BenchmarkRow(live_formula(f'="FY"&({first}+{k})'), name, {**cells, "source": DEAL_SOURCE}))
    rows.append(
        BenchmarkRow(
            "Deal, life of contract", None, {**{c: benchmark_formula('"life"', c) for c in deal}, "source": DEAL_SOURCE}
        )
    )
    own = ("period", "operating_margin", "source")
    rows.append(BenchmarkRow("Provider's own operating margin", None, {c: benchmark_formula('"provider"', c) for c in own}))
    for i, reported in enumerate(reported_margin_rows(), start=1):
        name = f"bench_reported_{i}"
        cells = {k: v for k, v in reported.items() if k not in ("row", "measure")}
        rows.append(BenchmarkRow(str(reported["row"]), name, {**cells, "reading": benchmark_formula(name, "reading")}))
    return rows


# --------------------------------------------------------------------------- claims and watch sheets

#: Columns of the Claims sheet: (column of DEAL.CLAIMS, header, format hint).
CLAIM_SHEET_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("claim", "Claim", "text"),
    ("article", "The article", "text"),
    ("model", "Model", "number"),
    ("unit", "Unit", "text"),
    ("input", "Input that decides it", "text"),
    ("needed", "Value that makes it true", "number"),
    ("evidence", "Evidence", "text"),
    ("verdict", "Verdict", "text"),
)
#: Rows of the Claims sheet: the article's nine claims (a deal of other companies fills fewer).
CLAIM_SHEET_ROWS = 9
#: Columns of the Watch sheet: (column of DEAL.WATCH, header, format hint).
WATCH_SHEET_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("figure", "Figure", "text"),
    ("period", "Period", "text"),
    ("model", "Model", "number"),
    ("reported", "Reported", "number"),
    ("variance", "Variance", "number"),
    ("unit", "Unit", "text"),
    ("reported_on", "Reported on", "date"),
    ("source", "Source", "text"),
    ("confidence", "Confidence", "text"),
    ("cause", "Main cause", "text"),
)
#: Rows of the Watch sheet: room for every figure reported so far (the rows a deal has not are blank).
WATCH_SHEET_ROWS = 20


def loop_formula(function: str, row: int, column: str) -> str:
    """A cell of the Claims or Watch sheet: ``column`` of row ``row`` (0-based) of ``DEAL.<function>`` for the
    Inputs sheet's deal, one call; blank where the table has no such row (a figure with no value comes back
    as empty text).

    >>> loop_formula("CLAIMS", 0, "needed")
    '=IFERROR(INDEX(DEAL.CLAIMS(deal_name),2,6),"")'
    """
    columns = CLAIM_COLUMNS if function == "CLAIMS" else WATCH_COLUMNS
    return f'=IFERROR(INDEX(DEAL.{function}(deal_name),{row + 2},{columns.index(column) + 1}),"")'


# --------------------------------------------------------------------------- inputs


def _num(value: float) -> str:
    return repr(float(value)) if value != int(value) else str(int(value))


def input_check_formula(spec: InputSpec) -> str:
    """The Inputs sheet's per-row check: TRUE when the value meets the input's rule.

    >>> input_check_formula(next(s for s in INPUTS if s.name == "realisation"))
    '=IFERROR(AND(ISNUMBER(realisation),realisation>0,realisation<=1),FALSE)'
    >>> input_check_formula(next(s for s in INPUTS if s.name == "fleet_gpus"))
    '=IFERROR(OR(ISBLANK(fleet_gpus),AND(ISNUMBER(fleet_gpus),fleet_gpus>0)),FALSE)'
    """
    n = spec.name
    if spec.kind == "choice":
        return "=IFERROR(OR(" + ",".join(f'{n}="{c}"' for c in spec.choices) + "),FALSE)"
    if spec.kind == "text":
        return f"=IFERROR(LEN(TRIM({n}))>0,FALSE)"
    if spec.kind == "date":
        dated = f"AND(ISNUMBER({n}),{n}>=1)"
        return f"=IFERROR(OR(ISBLANK({n}),{dated}),FALSE)" if spec.optional else f"=IFERROR({dated},FALSE)"
    parts = [f"ISNUMBER({n})"]
    if spec.kind == "integer":
        parts.append(f"{n}=INT({n})")
    if spec.minimum is not None:
        parts.append(f"{n}{'>' if spec.strict_min else '>='}{_num(spec.minimum)}")
    if spec.maximum is not None:
        parts.append(f"{n}<={_num(spec.maximum)}")
    if spec.optional:  # blank: the model derives the figure
        return f"=IFERROR(OR(ISBLANK({n}),AND(" + ",".join(parts) + ")),FALSE)"
    return "=IFERROR(AND(" + ",".join(parts) + "),FALSE)"


def scenario_rows() -> list[tuple[str, dict[str, Any]]]:
    """Inputs that any named scenario overrides, with each scenario's value (absent: the input's)."""
    return [(n, {sc: o[n] for sc, o in SCENARIOS.items() if n in o}) for n in SCENARIO_INPUTS]


# --------------------------------------------------------------------------- outputs and checks


def output_defined_name(name: str) -> str:
    """Defined name of a key figure on the Outputs sheet."""
    return OUTPUT_NAME_PREFIX + name


def output_formula(name: str) -> str:
    """Formula of a key figure: the core model's figure by name, from the Inputs table, under the
    scenario selected on the Inputs sheet (as the calculation sheets' live values).

    >>> output_formula("npv")
    '=DEAL.SCENARIO(inputs_table,scenario,"npv")'
    """
    return f'=DEAL.SCENARIO(inputs_table,scenario,"{name}")'


#: Tolerance of the numeric checks, US$ bn (1e-9 of the contract value, at least 1e-9).
CHECK_TOLERANCE = Figure(
    "check_tolerance", "Tolerance of the numeric checks", "US$ bn", "=1E-9*MAX(1,ABS(contract_value))"
)

CHECKS: tuple[Check, ...] = (
    Check("chk_inputs", "Every input meets its rule (Inputs sheet, column 'OK')", "=AND(inputs_ok)"),
    Check("chk_time_axis", "The time axis covers the whole contract (add columns or use a longer period)",
          "=MAX(sched_end)>=contract_last_day"),
    Check("chk_straight_total", "Straight line sums to the contract value",
          "=ABS(sched_straight_total-contract_value)<=check_tolerance"),
    Check(
        "chk_ramp_total",
        "Ramp sums to value × realisation (at most that when a delay forfeits the tail)",
        '=IF(delay_mode="forfeit",sched_ramp_total<=contract_value*realisation+check_tolerance,'
        "ABS(sched_ramp_total-contract_value*realisation)<=check_tolerance)",
    ),
    Check("chk_ramp_positive", "No period has negative revenue", "=MIN(sched_ramp)>=-check_tolerance"),
    Check("chk_backlog_runoff", "Backlog runs off to zero by the end of the contract",
          "=ABS(backlog_final)<=check_tolerance"),
    Check(
        "chk_margin_bounds",
        "Blended margin stays between the base margin and the deal's margins",
        "=AND(MIN(mg_blended)>=MIN(base_margin,MIN(mg_deal_margin))-1E-12,"
        "MAX(mg_blended)<=MAX(base_margin,MAX(mg_deal_margin))+1E-12)",
    ),
    Check(
        "chk_core_margin",
        "Core margin change in fiscal year 2 (Outputs) equals the Margin sheet (yearly periods)",
        '=IF(frequency="year",ABS(out_margin_bps_year2-INDEX(mg_change_bps,1,2))<=check_tolerance,TRUE)',
    ),
    Check(
        "chk_core_straight",
        "Core straight line a year (Outputs) equals value ÷ term on the Schedule sheet",
        "=ABS(out_straight_line_annual-straight_line_run_rate)<=check_tolerance",
    ),
    Check(
        "chk_core_years",
        "Core ramp and straight line of fiscal years 1 and 2 equal the Schedule sheet (yearly periods)",
        '=IF(frequency="year",AND(ABS(out_ramp_year1-INDEX(sched_ramp,1,1))<=check_tolerance,'
        "ABS(out_straight_year1-INDEX(sched_straight,1,1))<=check_tolerance,"
        "ABS(out_ramp_year2-INDEX(sched_ramp,1,2))<=check_tolerance,"
        "ABS(out_straight_year2-INDEX(sched_straight,1,2))<=check_tolerance),TRUE)",
    ),
    Check(
        "chk_core_expected",
        "Core expected revenue equals the Schedule sheet's ramp total",
        "=ABS(out_expected_revenue_total-sched_ramp_total)<=check_tolerance",
    ),
    Check("chk_exposure_inputs", "Every exposure input meets its rule (Exposure sheet, column 'OK')",
          "=AND(exposure_inputs_ok)"),
)
# The checks test the model as it runs: under the selected scenario (live inputs).
CHECKS = tuple(dataclasses.replace(c, formula=live_formula(c.formula)) for c in CHECKS)

_NAME_RE = re.compile(r"(?<![\w.\"])([A-Za-z_][A-Za-z0-9_]*)(?![\w.(\"])")


def formula_names(formula: str) -> set[str]:
    """Bare names a formula refers to (defined names; functions and strings excluded).

    >>> sorted(formula_names('=IF(frequency="month",1,period_months)'))
    ['frequency', 'period_months']
    """
    text = re.sub(r'"[^"]*"', '""', formula)
    text = re.sub(r"\{[^}]*\}", "0", text)
    return {m for m in _NAME_RE.findall(text) if m.upper() not in {"TRUE", "FALSE"} and not m[0].isdigit()}


# --------------------------------------------------------------------------- cover, highlights, charts

#: Cover sheet text, one line each, with its style role.
COVER_LINES: tuple[tuple[str, str], ...] = (
    ("How to use", "section"),
    ("1. Change assumptions on the Inputs sheet only (blue cells); each has a unit, a rule and a source.", "label"),
    ("2. Calculation sheets (Schedule … Valuation) run on one time axis, one formula per row.", "label"),
    ("3. The scenario input (base/bull/bear) drives the calculations through the Scenarios sheet's live values.",
     "label"),
    ("4. Key figures and charts are on Outputs; every check rolls into the master check above.", "label"),
    ("5. DEAL.* cells need the DealDesk add-in (xlwings); without it they show #NAME?.", "label"),
    ("6. Headless: `dealdesk evaluate FILE` computes every formula without Excel.", "label"),
    ("Colour code (FAST Standard)", "section"),
    ("Input (typed value)", "input"),
    ("Calculation on this sheet", "formula"),
    ("Link from another sheet", "link"),
    ("Money in US$ billions; rates and margins as fractions (shown as %).", "note"),
)

#: Figures of the calculation sheets shown under the core's key figures on the Outputs sheet.
OUTPUT_HIGHLIGHTS: tuple[str, ...] = (
    "sched_ramp_total",
    "backlog_added",
    "backlog_deal_share",
    "margin_change_min_bps",
    "econ_pv_profit",
    "cap_gpus_per_usd_bn",
    "cp_required_cagr",
    "cp_peak_share",
    "val_value_added",
    "val_market_value",
    "val_above_threshold",
)


@dataclasses.dataclass(frozen=True)
class ChartSpec:
    """A native chart on the Outputs sheet: time-axis rows over the first ``periods`` periods."""

    kind: str  # "line" or "bar"
    title: str
    unit: str
    series: tuple[tuple[str, str], ...]  # (row name, legend label)
    anchor_row: int
    periods: int = 12


CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec(
        "line",
        "Straight line vs ramp (US$ bn per period)",
        "US$ bn",
        (("sched_straight", "Straight line"), ("sched_ramp", "Ramp")),
        anchor_row=LAYOUT.table_header_row,
    ),
    ChartSpec(
        "bar",
        "Operating margin change with the deal (bps)",
        "bps",
        (("mg_change_bps", "Margin change"),),
        anchor_row=LAYOUT.table_header_row + 18,
    ),
)


# --------------------------------------------------------------------------- exposure sheet

#: Inputs of the Exposure sheet, typed there (blue); they drive only its DEAL.EXPOSURE* cells.
EXPOSURE_INPUTS: tuple[InputSpec, ...] = (
    InputSpec("exposure_as_of_year", "First year analysed", "year", DEFAULT_AS_OF_YEAR, "integer",
              "Analyst choice: commitments of earlier years count as paid", "Exposure",
              minimum=1900, maximum=2200),
    InputSpec("exposure_rule", "Shortfall rule", "choice", "pro_rata", "choice",
              "How a customer's shortfall is spread: pro rata, earliest contract first, or the order below",
              "Exposure", choices=SHORTFALL_RULES),
    InputSpec("exposure_priority", "Paid first (rule priority only)", "provider or deal", None, "text",
              "Analyst choice, e.g. Oracle; leave blank with the other rules", "Exposure"),
    InputSpec("exposure_draws", "Monte Carlo draws", "draws", 10_000, "integer",
              "More draws, smaller sampling error", "Exposure", minimum=1, maximum=MAX_DRAWS),
    InputSpec("exposure_seed", "Random seed", "seed", 0, "integer",
              "The same seed gives the same numbers", "Exposure", minimum=0),
)
#: The priority input is needed only when the rule is priority.
EXPOSURE_CHECKS: dict[str, str] = {
    **{spec.name: input_check_formula(spec) for spec in EXPOSURE_INPUTS},
    "exposure_priority": '=OR(exposure_rule<>"priority",LEN(TRIM(exposure_priority))>0)',
}


@functools.cache
def _exposure_axes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    backlog = exposure_table()
    providers = tuple(backlog["provider"])
    customers = tuple(c for c in backlog.columns if c not in ("provider", "total"))
    return providers, customers


def __getattr__(name: str) -> Any:
    # EXPOSURE_PROVIDERS and EXPOSURE_CUSTOMERS: the rows and columns of the provider × customer
    # matrix (the deal library's, fixed when the template is built). Computing them schedules every
    # library contract (seconds), so they are computed on first use, not whenever the spec is imported.
    if name == "EXPOSURE_PROVIDERS":
        return _exposure_axes()[0]
    if name == "EXPOSURE_CUSTOMERS":
        return _exposure_axes()[1]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

#: Simulated figures shown per provider: (column of DEAL.EXPOSURE_RISK, header, format hint).
EXPOSURE_RISK_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("ai_backlog", "AI backlog (US$ bn)", "usd_bn"),
    ("mean_at_risk", "Mean revenue at risk", "usd_bn"),
    ("p95_at_risk", "p95 revenue at risk", "usd_bn"),
    ("p_loss_above_threshold", "P(loss > 10% of backlog)", "pct"),
    ("top_customer", "Main customer", "text"),
)
_EXPOSURE_CALL = "DEAL.EXPOSURE(exposure_as_of_year)"
_EXPOSURE_RISK_CALL = (
    "DEAL.EXPOSURE_RISK(exposure_rule,exposure_priority,exposure_draws,exposure_seed,exposure_as_of_year)"
)


def exposure_matrix_formula(provider: int, column: int) -> str:
    """A cell of the provider × customer matrix: row ``provider``, column ``column`` (0-based; the last is the total).

    >>> exposure_matrix_formula(0, 0)
    '=INDEX(DEAL.EXPOSURE(exposure_as_of_year),2,2)'
    """
    return f"=INDEX({_EXPOSURE_CALL},{provider + 2},{column + 2})"


def exposure_risk_formula(provider: int, figure: str) -> str:
    """A simulated figure of provider ``provider`` (0-based) by column name of DEAL.EXPOSURE_RISK.

    >>> exposure_risk_formula(2, "mean_at_risk")  # doctest: +ELLIPSIS
    '=INDEX(DEAL.EXPOSURE_RISK(exposure_rule,...,exposure_as_of_year),4,3)'
    """
    return f"=INDEX({_EXPOSURE_RISK_CALL},{provider + 2},{RISK_COLUMNS.index(figure) + 1})"
