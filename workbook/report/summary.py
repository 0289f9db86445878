"""Page one of a report: the deal in one page, as an equity analyst would send it.

What was signed; the deal's impact on the provider by fiscal year (years
across the columns); the headline figures including backlog; the key risks
from the Monte Carlo; and two charts (straight line vs ramp, the spread of
the deal NPV over the draws). Every number is a core figure; the page only
selects and places them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.margin import OUTSIZED_DEAL_RATIO, outsized_deal, peak_deal_ratio
from core.model import ModelResult
from workbook.report.charts import place_chart
from workbook.report.labels import label_of
from workbook.report.layout import (
    BODY,
    BOLD,
    FAIL,
    FAIL_FILL,
    GROUP_FILL,
    GROUP_FONT,
    NOTE,
    PASS,
    PASS_FILL,
    RULE,
    Page,
    fit_columns,
    header_row,
    plain,
    print_setup,
    title,
)
from workbook.styles import LINE_POINTS, NUMBER_FORMATS, format_text, listed_in_words, text_lines
from workbook.xlsxio import set_value

__all__ = [
    "HEADLINE",
    "YEAR_ROWS",
    "SummaryCharts",
    "fiscal_year_table",
    "outsized_caveat",
    "stub_note",
    "summary_sheet",
    "write_caveat",
]

#: Rows of the fiscal-year table: (model table, column). Rows whose table or column
#: the run does not have are left out; any economics column named ``eps...`` is added.
YEAR_ROWS: tuple[tuple[str, str], ...] = (
    ("gap", "straight"),
    ("gap", "ramp"),
    ("gap", "gap"),
    ("gap", "growth_pp_ramp"),
    ("gap", "growth_pp_gap"),
    ("margin", "deal_share"),
    ("margin", "blended_margin"),
    ("margin", "change_bps"),
    ("economics", "operating_profit"),
    ("economics", "cash_flow"),
    ("backlog", "ending"),
)

#: Headline key figures of page one, in order (names of ``core.model.OUTPUTS``; absent ones are skipped).
HEADLINE: tuple[str, ...] = (
    "expected_revenue_total",
    "forfeited_value",
    "overstatement_2y",
    "overstatement_2y_pct",
    "margin_bps_year2",
    "margin_bps_peak",
    "deal_margin_life",
    "npv",
    "irr",
    "payback_year",
    "backlog_added",
    "backlog_after_deal",
    "backlog_increase_pct",
    "backlog_deal_share",
    "current_rpo",
    "value_added_to_contract",
)


#: Characters of a risk question that fit one line of the first column.
_QUESTION_CHARS = 46


@dataclass(frozen=True)
class SummaryCharts:
    """The two charts of page one, already built, with their sources."""

    ramp: Any | None
    ramp_source: str
    risk: Any | None = None
    risk_source: str = ""


def _by_fiscal_year(result: ModelResult, key: str, column: str) -> pd.Series | None:
    """A table column indexed by fiscal year label (``FY2026``); quarterly tables give their last period."""
    table = result.tables.get(key)
    if table is None or column not in table.columns:
        return None
    if "period" in table.columns:
        labels = table["period"].astype(str).str.slice(0, 6)
    elif "year" in table.columns:
        labels = "FY" + table["year"].astype(int).astype(str)
    else:
        return None
    series = pd.Series(table[column].to_numpy(), index=labels.to_numpy())
    return series.groupby(level=0, sort=False).last()


def fiscal_year_table(result: ModelResult) -> pd.DataFrame:
    """The deal's impact by fiscal year: one row per figure (label, unit), the fiscal years across.

    The years are those of the straight line vs ramp table (the deal's revenue years).
    """
    gap = result.tables["gap"]
    years = [str(p) for p in gap["period"]]
    rows: list[tuple[str, str, str, list[Any]]] = []
    wanted = list(YEAR_ROWS)
    economics = result.tables.get("economics")
    if economics is not None:
        wanted += [("economics", c) for c in economics.columns if str(c).lower().startswith("eps")]
    for key, column in wanted:
        series = _by_fiscal_year(result, key, column)
        if series is None:
            continue
        found = label_of(column, column=True)
        rows.append((found.label, found.unit, found.fmt, [plain(series.get(y)) for y in years]))
    return pd.DataFrame(
        [(lbl, unit, fmt, *values) for lbl, unit, fmt, values in rows],
        columns=["figure", "unit", "fmt", *years],
    )


def outsized_caveat(result: ModelResult) -> str | None:
    """The caveat a page shows when the deal outgrows its provider (:func:`core.margin.outsized_deal`), else None.

    The rule: in some fiscal year the deal earns more than the provider's revenue
    without it that year (its baseline: the base year's revenue grown at the base
    growth). Its margin change in bps and growth contribution in pp are then right
    but describe the deal, not the provider as it was.
    """
    margin = result.tables.get("margin")
    if margin is None or not {"base_revenue", "deal_revenue"} <= set(margin.columns):
        return None
    deal, base = margin["deal_revenue"].to_numpy(float), margin["base_revenue"].to_numpy(float)
    if not outsized_deal(deal, base):
        return None
    a = result.assumptions
    ratio = peak_deal_ratio(deal, base)
    times = "many times" if ratio == float("inf") else f"{ratio:,.1f}×"
    return (
        f"Caveat: in its peak year the deal earns {times} {a.provider}'s revenue without it that year "
        f"(US$ {a.base_revenue:,.3g} bn in FY{a.base_year}, growing {a.base_growth:.1%} a year; sources on "
        "the Assumptions sheet), so margin changes in bps and growth in pp describe "
        f"the deal, not {a.provider} as it was (shown when a year's deal revenue exceeds "
        f"{OUTSIZED_DEAL_RATIO:g}× the base revenue)."
    )


def stub_note(result: ModelResult) -> str | None:
    """The line under page one's table naming the stub years (the contract covers them in part), else None.

    Their deal margin carries a whole year's costs on a part year's revenue (or the reverse), so the
    near-term peak is read on full fiscal years (``margin_bps_peak``).
    """
    margin = result.tables.get("margin")
    if margin is None or not {"period", "contract_days", "full_year"} <= set(margin.columns):
        return None
    stubs = margin[~margin["full_year"].astype(bool)]
    if stubs.empty:
        return None
    named = [
        f"{period} ({int(days)} days)"
        for period, days in zip(stubs["period"], stubs["contract_days"], strict=True)
    ]
    years = listed_in_words(named)
    verb = "is a stub year" if len(named) == 1 else "are stub years"
    return (
        f"{years} {verb}: the contract covers them in part; the peak margin dilution is read on full years."
    )


def write_caveat(ws: Worksheet, row: int, text: str, last_col: int) -> None:
    """The caveat in dark red on light red across columns 1..``last_col``, wrapped in a row as tall as it
    needs at the columns' widths (set them first)."""
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
    cell = set_value(ws, row, 1, text)
    cell.font, cell.fill = FAIL, FAIL_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, last_col + 1))
    ws.row_dimensions[row].height = LINE_POINTS * text_lines(text, width * 0.9) + 4  # bold: wider letters


def _section(ws: Worksheet, row: int, text: str, last_col: int) -> None:
    for col in range(1, last_col + 1):
        ws.cell(row=row, column=col).fill = GROUP_FILL
    set_value(ws, row, 1, text).font = GROUP_FONT


def summary_sheet(
    ws: Worksheet,
    result: ModelResult,
    checks: pd.DataFrame,
    page: Page,
    charts: SummaryCharts,
    *,
    risk: pd.DataFrame | None = None,
    risk_note: str = "",
) -> None:
    """Lay out page one on ``ws`` (A4 landscape, one printed page)."""
    a = result.assumptions
    table = fiscal_year_table(result)
    years = [c for c in table.columns if c not in ("figure", "unit", "fmt")]
    last = 2 + len(years)
    title(ws, f"{a.deal_name}: what was signed and what it does to {a.provider}", page)
    # A year column is as wide as its longest figure (a small provider's growth runs to 1,000s of pp).
    longest = [
        max([0, *(len(format_text(v, fmt)) for fmt, v in zip(table["fmt"], table[y], strict=True))])
        for y in years
    ]
    fit_columns(ws, {1: 40, 2: 9, **{j: max(10.5, n + 2.0) for j, n in enumerate(longest, start=3)}})

    row = 4
    _section(ws, row, "What was signed", last)
    failed = int((checks["result"] != "PASS").sum())
    details: Sequence[tuple[str, Any, str | None]] = (
        ("Provider", a.provider, None),
        ("Customer", a.customer, None),
        ("Contract value (US$ bn)", a.contract_value, NUMBER_FORMATS["usd_bn"]),
        ("Signed", getattr(a, "signing_date", None) or a.start_date, NUMBER_FORMATS["date"]),
        ("Revenue starts", a.start_date, NUMBER_FORMATS["date"]),
        ("Term (years)", a.term_years, NUMBER_FORMATS["number"]),
        ("Revenue profile", label_of(a.profile).label if a.profile else "", None),
        ("Scenario", a.scenario, None),
    )
    for label, value, fmt in details:
        row += 1
        set_value(ws, row, 1, label).font = BOLD
        cell = set_value(ws, row, 3, value, number_format=fmt)
        cell.font, cell.alignment = BODY, Alignment(horizontal="left")
    row += 1
    set_value(ws, row, 1, "Model checks").font = BOLD
    flag = (
        f"All {len(checks)} checks pass"
        if failed == 0
        else f"{failed} of {len(checks)} checks FAIL: see Checks"
    )
    ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=min(last, 5))
    cell = set_value(ws, row, 3, flag)
    cell.font, cell.fill = (PASS, PASS_FILL) if failed == 0 else (FAIL, FAIL_FILL)

    row += 2
    _section(ws, row, f"Impact on {a.provider} by fiscal year", last)
    row += 1
    header_row(ws, row, ["Figure", "Unit", *years])
    for record in table.itertuples(index=False):
        row += 1
        label, unit, fmt, *values = record
        set_value(ws, row, 1, label).font = BODY
        set_value(ws, row, 2, unit).font = BODY
        for j, value in enumerate(values, start=3):
            set_value(ws, row, j, value, number_format=NUMBER_FORMATS[fmt]).font = BODY
        for col in range(1, last + 1):
            ws.cell(row=row, column=col).border = RULE
    stubs = stub_note(result)
    if stubs:
        row += 1
        set_value(ws, row, 1, stubs).font = NOTE
    caveat = outsized_caveat(result)
    if caveat:
        row += 1
        write_caveat(ws, row, caveat, last)

    row += 2
    _section(ws, row, "Headline figures", last)
    for name in HEADLINE:
        if name not in result.outputs:
            continue
        row += 1
        found = label_of(name)
        value = plain(result.outputs[name])
        set_value(ws, row, 1, found.label).font = BODY
        set_value(ws, row, 2, found.unit).font = BODY
        cell = set_value(
            ws, row, 3, "n/a" if value is None else value, number_format=NUMBER_FORMATS[found.fmt]
        )
        cell.font, cell.alignment = BOLD, Alignment(horizontal="right")

    if risk is not None:
        row += 2
        _section(ws, row, "Key risks (Monte Carlo)", last)
        for q in risk.itertuples():
            row += 1
            question = set_value(ws, row, 1, str(q.question))
            question.font, question.alignment = BODY, Alignment(wrap_text=True, vertical="top")
            if len(str(q.question)) > _QUESTION_CHARS:
                ws.row_dimensions[row].height = 26
            set_value(ws, row, 2, "%").font = BODY
            probability = plain(q.probability)
            if probability is None:  # no value for these inputs: the test does not apply
                cell = set_value(ws, row, 3, "not applicable")
                cell.font, cell.alignment = BODY, Alignment(horizontal="right", vertical="top")
            else:
                cell = set_value(ws, row, 3, probability, number_format=NUMBER_FORMATS["pct"])
                cell.font, cell.alignment = BOLD, Alignment(vertical="top")
            ws.cell(row=row, column=2).alignment = Alignment(vertical="top")
        row += 1
        set_value(ws, row, 1, risk_note).font = NOTE

    chart_col = last + 2
    if charts.ramp is not None:
        place_chart(ws, charts.ramp, 4, chart_col, charts.ramp_source)
    if charts.risk is not None:
        place_chart(ws, charts.risk, 23, chart_col, charts.risk_source)
    print_setup(ws, page, landscape=True, one_page=True)
