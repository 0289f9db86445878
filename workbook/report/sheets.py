"""The detail sheets of a report: key figures, the model's tables, the margin bridge, the Monte Carlo,
the assumptions and the checks.

Each function lays out one sheet from figures the core computed; labels, units and
formats come from :mod:`workbook.report.labels` and :mod:`workbook.styles`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.assumptions import INPUTS, Assumptions
from core.model import OUTPUTS, ModelResult
from workbook.report import charts as ch
from workbook.report.checks import TOLERANCE, failed_count
from workbook.report.frames import bridge_frame, histogram, waterfall_frame
from workbook.report.labels import FISCAL_YEAR_TABLES, label_of, sheet_title
from workbook.report.layout import (
    BODY,
    BOLD,
    FAIL,
    FAIL_FILL,
    GROUP_FILL,
    GROUP_FONT,
    PASS,
    PASS_FILL,
    RULE,
    WRAP,
    Page,
    Placed,
    fit_columns,
    fit_row_height,
    freeze,
    header_row,
    note,
    plain,
    print_setup,
    title,
    write_across,
    write_frame,
    write_pairs,
)
from workbook.report.loop import CLAIMS_TITLE, WATCH_TITLE
from workbook.report.risk import FIGURE_STATS, MonteCarlo, distribution_text, summary_rows
from workbook.report.summary import outsized_caveat, write_caveat
from workbook.spec import REPORT_LAYOUT as _L
from workbook.styles import NUMBER_FORMATS
from workbook.xlsxio import set_value

__all__ = [
    "ACROSS_MAX",
    "Bridge",
    "assumptions_sheet",
    "bridge_sheet",
    "checks_sheet",
    "key_figures_sheet",
    "monte_carlo_sheet",
    "table_sheet",
]

#: Tables with at most this many periods are laid out with the periods across the columns.
ACROSS_MAX = 16
#: Sheet names the model's tables may not take.
RESERVED = {
    "Summary",
    "Key figures",
    "Charts",
    "Sensitivity",
    "Tornado",
    "Scenarios",
    "Assumptions",
    "Checks",
    "Margin bridge",
    "Monte Carlo",
    "Benchmarks",
    CLAIMS_TITLE,
    WATCH_TITLE,
}


def key_figures_sheet(ws: Worksheet, result: ModelResult, page: Page) -> None:
    """Every key figure of ``core.model.OUTPUTS``, grouped by topic: label, value, unit, meaning."""
    title(ws, f"Key figures: {result.assumptions.deal_name}", page)
    widths = {1: 44, 2: 14, 3: 16, 4: 76}
    fit_columns(ws, widths)
    caveat = outsized_caveat(result)
    if caveat:
        write_caveat(ws, _L.header_row - 1, caveat, 4)
    header_row(ws, _L.header_row, ["Key figure", "Value", "Unit", "What it means"])
    row = _L.header_row
    first: dict[str, int] = {}
    for k, spec in enumerate(OUTPUTS):
        first.setdefault(spec.group, k)
    group = None
    for spec in sorted(OUTPUTS, key=lambda s: first[s.group]):
        if spec.name not in result.outputs:
            continue
        if spec.group != group:
            group = spec.group
            row += 1
            for col in range(1, 5):
                ws.cell(row=row, column=col).fill = GROUP_FILL
            set_value(ws, row, 1, group).font = GROUP_FONT
        row += 1
        found = label_of(spec.name)
        value = plain(result.outputs[spec.name])
        label = set_value(ws, row, 1, found.label)
        label.font, label.alignment = BODY, Alignment(vertical="top")
        cell = set_value(
            ws, row, 2, "n/a" if value is None else value, number_format=NUMBER_FORMATS[found.fmt]
        )
        cell.font, cell.alignment = BOLD, Alignment(horizontal="right", vertical="top")
        unit = set_value(ws, row, 3, found.unit)
        unit.font, unit.alignment = BODY, Alignment(vertical="top")
        meaning = spec.description if value is not None else f"No value: {spec.missing}."
        text = set_value(ws, row, 4, meaning)
        text.font, text.alignment = BODY, WRAP
        fit_row_height(ws, row, {4: widths[4]})
        for col in range(1, 5):
            ws.cell(row=row, column=col).border = RULE
    freeze(ws, frozen_cols=0)
    print_setup(ws, page, title_row=_L.header_row, landscape=False)


def _fiscal_years(frame: pd.DataFrame) -> pd.DataFrame:
    """A table of the provider's fiscal years with its years labelled as the periods are (FY2026)."""
    return frame.assign(year=["FY" + str(int(y)) for y in frame["year"]])


def table_sheet(wb: Workbook, key: str, frame: pd.DataFrame, a: Assumptions, page: Page) -> Placed:
    """One table of the model run on its own sheet: name/value pairs, periods across, or rows down."""
    name = re.sub(r"[\[\]:*?/\\]", " ", sheet_title(key))[:31]
    if name in RESERVED or name in wb.sheetnames:
        name = f"{name} ({key})"[:31]
    ws = wb.create_sheet(name)
    title(ws, f"{name}: {a.deal_name}", page)
    if key in FISCAL_YEAR_TABLES and "year" in frame.columns:
        frame = _fiscal_years(frame)
    if "full_year" in frame.columns:  # a year the contract covers in part is a stub, said in words
        frame = frame.assign(full_year=["full year" if full else "stub" for full in frame["full_year"]])
    across = next((k for k in ("period", "year") if k in frame.columns), None)
    if list(frame.columns) == ["name", "value"]:
        placed = write_pairs(ws, frame)
    elif across is not None and len(frame) <= ACROSS_MAX:
        placed = write_across(ws, frame, across)  # fiscal years across, as an analyst's model shows them
    else:
        placed = write_frame(ws, frame)
    print_setup(ws, page, title_row=_L.header_row)
    return placed


@dataclasses.dataclass(frozen=True)
class Bridge:
    """Where the margin bridge's chart data sit, and what the chart needs to colour and title it."""

    placed: Placed
    period: str
    change: float


#: Sheet column of the bridge chart's own table (hidden: the page shows the bridge and its chart).
_BRIDGE_DATA_COL = 8


def bridge_sheet(ws: Worksheet, result: ModelResult, page: Page) -> Bridge | None:
    """The margin bridge of the first full fiscal year: levels in %, the deal's effect in bps, and its chart."""
    bridge = bridge_frame(result)
    if bridge is None:
        return None
    a = result.assumptions
    period = str(bridge["period"].iloc[0])
    title(
        ws,
        f"Margin bridge: {a.deal_name}",
        page,
        f"the deal's mix effect in the first full fiscal year, {period}",
    )
    placed = write_frame(ws, bridge, frozen=False)
    fit_columns(ws, {1: 12, 2: 22, 3: 14, 4: 22})
    caveat = outsized_caveat(result)
    if caveat:
        write_caveat(ws, _L.header_row - 1, caveat, 4)
    # The chart's own table, in hidden columns to the right (the chart plots hidden cells).
    data = waterfall_frame(bridge)
    at = _L.header_row
    header_row(ws, at, ["Step", "Change from the base margin (bps)"], first_column=_BRIDGE_DATA_COL)
    for i, (label, value) in enumerate(
        zip(data["chart_label"], data["chart_bps"], strict=True), start=at + 1
    ):
        set_value(ws, i, _BRIDGE_DATA_COL, label)
        set_value(ws, i, _BRIDGE_DATA_COL + 1, plain(value), number_format=NUMBER_FORMATS["bps"])
    for col in (_BRIDGE_DATA_COL, _BRIDGE_DATA_COL + 1):
        ws.column_dimensions[get_column_letter(col)].hidden = True
    chart_data = Placed(
        ws,
        at,
        at + 1,
        at + len(data),
        {"chart_label": _BRIDGE_DATA_COL, "chart_bps": _BRIDGE_DATA_COL + 1},
    )
    change = float(data["chart_bps"].iloc[1])
    ws.row_dimensions[_L.header_row].height = 30
    freeze(ws)
    chart = ch.bridge_chart(chart_data, period=period, change=change)
    ch.place_chart(ws, chart, placed.last_row + 3, 1, "DealDesk model, margin bridge; sheet Margin bridge")
    print_setup(ws, page, one_page=True)  # the bridge and its chart on one page
    return Bridge(chart_data, period, change)


def checks_sheet(ws: Worksheet, checks: pd.DataFrame, page: Page) -> None:
    """Every identity of the run with the figures compared, PASS or FAIL."""
    failed = failed_count(checks)
    title(
        ws,
        "Checks",
        page,
        f"PASS when actual equals expected within a relative {TOLERANCE:g}"
        + (f"; {failed} FAIL" if failed else ""),
    )
    placed = write_frame(ws, checks)
    col = placed.columns["result"]
    for r in range(placed.first_row, placed.last_row + 1):
        cell = ws.cell(row=r, column=col)
        cell.font, cell.fill = (PASS, PASS_FILL) if cell.value == "PASS" else (FAIL, FAIL_FILL)
    fit_columns(ws, {1: 56})
    print_setup(ws, page, title_row=_L.header_row)


def _input_format(name: str) -> str | None:
    hint = label_of(name).fmt
    return None if hint in ("text", "choice") else NUMBER_FORMATS[hint]


def assumptions_sheet(ws: Worksheet, a: Assumptions, page: Page, sources: Mapping[str, str]) -> None:
    """Every input: the name an inputs file uses, label, unit, value, default, source, topic."""
    title(ws, "Assumptions used", page, "blue = changed from the reference default")
    header_row(
        ws, _L.header_row, ["Name in an inputs file", "Input", "Unit", "Value", "Default", "Source", "Topic"]
    )
    widths = {1: 26, 2: 30, 3: 14, 4: 14, 5: 14, 6: 70, 7: 12}
    fit_columns(ws, widths)
    changed = Font(name="Calibri", size=10, color="0000FF", bold=True)
    top = Alignment(vertical="top")
    for i, spec in enumerate(INPUTS, start=_L.first_row):
        value = getattr(a, spec.name)
        fmt = _input_format(spec.name)
        set_value(ws, i, 1, spec.name).font = BODY
        label = set_value(ws, i, 2, spec.label)
        label.font, label.alignment = BODY, WRAP
        set_value(ws, i, 3, label_of(spec.name).unit).font = BODY
        shown = "blank" if value is None else value
        set_value(ws, i, 4, shown, number_format=fmt).font = changed if value != spec.default else BODY
        default = "blank" if spec.default is None else spec.default
        set_value(ws, i, 5, default, number_format=fmt).font = BODY
        src = set_value(ws, i, 6, sources.get(spec.name, spec.source))
        src.font, src.alignment = BODY, WRAP
        set_value(ws, i, 7, spec.group).font = BODY
        for col in (1, 3, 4, 5, 7):
            ws.cell(row=i, column=col).alignment = top
        fit_row_height(ws, i, {2: widths[2], 6: widths[6]})
        for col in range(1, 8):
            ws.cell(row=i, column=col).border = RULE
    freeze(ws)
    print_setup(ws, page, title_row=_L.header_row)


# --------------------------------------------------------------------------- Monte Carlo

_STAT_HEADS = {
    "mean": "Mean",
    "stdev": "Standard deviation",
    "p5": "5th percentile",
    "p25": "25th percentile",
    "p50": "Median",
    "p75": "75th percentile",
    "p95": "95th percentile",
}


def _lower_first(label: str) -> str:
    """A label inside a sentence: its first letter in lower case unless it starts an acronym.

    >>> _lower_first("Price per GPU-hour"), _lower_first("GPUs per rack")
    ('price per GPU-hour', 'GPUs per rack')
    """
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def _group(ws: Worksheet, row: int, text: str) -> None:
    set_value(ws, row, 1, text).font = GROUP_FONT


def monte_carlo_sheet(ws: Worksheet, a: Assumptions, mc: MonteCarlo, page: Page) -> Placed | None:
    """The risk questions, the inputs drawn, the figures that vary (with the base case), why a median
    differs from its base case, and the NPV histogram's table; returns where the histogram's table is."""
    title(ws, f"Monte Carlo: {a.deal_name}", page, f"{mc.draws:,} draws, seed {mc.seed}")
    widths = {1: 50, 2: 14, **{c: 13 for c in range(3, 11)}}
    fit_columns(ws, widths)
    last_col = 10

    # The risk questions.
    header_row(ws, _L.header_row, ["Risk question", "Unit", "Probability", "Standard error"])
    row = _L.header_row
    for q in mc.risk.itertuples():
        row += 1
        probability, se = plain(q.probability), plain(q.se)
        question = set_value(ws, row, 1, str(q.question))
        question.font, question.alignment = BODY, WRAP
        fit_row_height(ws, row, {1: widths[1]})
        set_value(ws, row, 2, "%").font = BODY
        if probability is None:
            cell = set_value(ws, row, 3, "not applicable")
            cell.font, cell.alignment = BODY, Alignment(horizontal="right")
            set_value(ws, row, 4, "n/a").font = BODY
            ws.cell(row=row, column=4).alignment = Alignment(horizontal="right")
        else:
            set_value(ws, row, 3, probability, number_format=NUMBER_FORMATS["pct"]).font = BOLD
            set_value(ws, row, 4, se, number_format=NUMBER_FORMATS["pct"]).font = BODY
        for col in (2, 3, 4):  # a wrapped question's figures stand on its first line
            cell = ws.cell(row=row, column=col)
            cell.alignment = Alignment(vertical="top", horizontal=cell.alignment.horizontal)
    if mc.risk["probability"].isna().any():
        row += 1
        note(
            ws,
            row,
            "Not applicable: the question's figure has no value for these inputs (no market-value "
            "threshold is set for this provider; the article's US$3T test is Amazon's).",
            last_col,
        )

    # The inputs drawn.
    row += _L.table_gap
    _group(ws, row - 1, "Inputs drawn (every other input stays at its base case)")
    header_row(ws, row, ["Input", "Unit", "Base case", "Distribution of the draws"])
    ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=last_col)
    for name, dist in mc.distributions.items():
        row += 1
        found = label_of(name)
        set_value(ws, row, 1, found.label).font = BODY
        set_value(ws, row, 2, found.unit).font = BODY
        fmt = NUMBER_FORMATS.get(found.fmt if found.fmt not in ("text", "date") else "number")
        set_value(ws, row, 3, plain(getattr(a, name)), number_format=fmt).font = BODY
        ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=last_col)
        set_value(ws, row, 4, distribution_text(name, dist)).font = BODY

    # The figures that vary.
    rows, constant = summary_rows(mc.summary, mc.base)
    row += _L.table_gap
    _group(ws, row - 1, "Key figures over the draws (a yes/no figure: the share of draws where it holds)")
    header_row(ws, row, ["Key figure", "Unit", "Base case", *(_STAT_HEADS[k] for k in FIGURE_STATS)])
    fit_row_height(ws, row, widths)
    for r in rows:
        row += 1
        set_value(ws, row, 1, r.label).font = BODY
        set_value(ws, row, 2, r.unit).font = BODY
        base_fmt = label_of(r.name).fmt
        set_value(ws, row, 3, plain(r.base), number_format=NUMBER_FORMATS[base_fmt]).font = BODY
        for j, key in enumerate(FIGURE_STATS, start=4):
            value = r.stats[key]
            if value is not None:
                set_value(ws, row, j, value, number_format=NUMBER_FORMATS[r.fmt]).font = BODY
        for col in range(1, last_col + 1):
            ws.cell(row=row, column=col).border = RULE
    if constant:
        row += 1
        names = ", ".join(label_of(n).label for n in constant)
        note(ws, row, f"The same in every draw (no drawn input moves them): {names}.", last_col)

    # Why a median differs from its base case.
    if not mc.medians.empty:
        figures = list(mc.medians.columns)
        row += _L.table_gap
        _group(ws, row - 1, "Why a median differs from its base case")
        note(
            ws,
            row,
            "The base case is each input's most likely value, not the middle of its draws: where a "
            "distribution is one-sided (a delivery delay can only come later, the initial run-rate only "
            "be higher) or a figure bends (the fleet is 1 ÷ the price; the peak dilution is each draw's "
            "worst year), a figure's median sits away from its base case. Each row below draws one input "
            "alone: the row furthest from the base case names the input that moves the median.",
            last_col,
        )
        row += 1
        heads = ["Median of", *(f"{label_of(f).label} ({label_of(f).unit})" for f in figures)]
        header_row(ws, row, heads)
        fit_row_height(ws, row, widths)
        lines = [("Base case (no draws)", {f: mc.base.get(f) for f in figures})]
        lines.append(("All inputs drawn", dict(mc.medians.loc["all"])))
        lines += [
            (f"Only {_lower_first(label_of(n).label)} drawn", dict(mc.medians.loc[n]))
            for n in mc.medians.index
            if n != "all"
        ]
        for label, values in lines:
            row += 1
            set_value(ws, row, 1, label).font = BOLD if label.startswith("Base") else BODY
            for j, f in enumerate(figures, start=2):
                value = plain(values.get(f))
                set_value(ws, row, j, value, number_format=NUMBER_FORMATS[label_of(f).fmt]).font = BODY
            for col in range(1, len(heads) + 1):
                ws.cell(row=row, column=col).border = RULE

    hist_placed = None
    if len(mc.npv):
        hist = histogram(mc.npv)
        row += _L.table_gap
        _group(ws, row - 1, "Deal NPV over the draws (the page-one histogram)")
        hist_placed = write_frame(
            ws, hist, header_row_at=row, formats={"bin_from": "usd_bn", "bin_to": "usd_bn"}, frozen=False
        )
    fit_columns(ws, widths)
    freeze(ws, frozen_cols=1)
    print_setup(ws, page)  # its tables differ: no header repeats on every page
    return hist_placed
