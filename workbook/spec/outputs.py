"""The Outputs, Checks and Cover sheets: key figures by name, the checks, cover text and charts.

Key figures are ``out_<name>``, the core model under the selected scenario; every check rolls
into the master flag; :func:`formula_names` lists the names a formula refers to.
"""

from __future__ import annotations

import dataclasses
import re

from workbook.spec.calc import Check, Figure
from workbook.spec.inputs import live_formula
from workbook.spec.layout import LAYOUT

#: Defined names of the model's key figures on the Outputs sheet are ``out_<name>``.
OUTPUT_NAME_PREFIX = "out_"


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
        "Core margin change, first full fiscal year (Outputs), equals the Margin sheet's (yearly periods)",
        '=IF(frequency="year",ABS(out_margin_bps_year2'
        "-IFERROR(INDEX(mg_change_bps,1,MATCH(first_full_year,mg_fiscal_year,0)),0))<=check_tolerance,TRUE)",
    ),
    Check(
        "chk_core_growth",
        "Core growth contributions in the first full fiscal year (Outputs) equal the Schedule sheet's",
        "=AND(ABS(out_growth_pp_straight_year2-growth_straight_full_pp)<=check_tolerance,"
        "ABS(out_growth_pp_ramp_year2-growth_ramp_full_pp)<=check_tolerance,"
        "ABS(out_growth_pp_gap_year2-growth_gap_full_pp)<=check_tolerance)",
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
