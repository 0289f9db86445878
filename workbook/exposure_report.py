"""The exposure page of a report: provider × customer heat map, revenue at risk, loss by year (stacked chart).

Self-contained so any report can add the page: :func:`add_exposure_sheet`
writes values only (no formula needs recalculation) into an openpyxl workbook,
and :func:`write_exposure_report` saves a workbook holding just this page,
reproducibly (the same inputs give the same bytes). The figures come from
:mod:`core.exposure`; this module only lays them out.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from workbook.report.charts import chart_title
from workbook.report.labels import header
from workbook.spec import REPORT_LAYOUT as R
from workbook.styles import NUMBER_FORMATS, STYLE_NAMES, register_styles
from workbook.xlsxio import save_workbook_reproducibly

__all__ = ["EXPOSURE_SHEET", "add_exposure_sheet", "write_exposure_report"]

#: Title of the report's exposure sheet.
EXPOSURE_SHEET = "Exposure"

_USD = NUMBER_FORMATS["usd_bn"]
_PCT = NUMBER_FORMATS["pct"]
#: Heat map: white for no exposure, deep red for the largest cell.
_HEAT = ColorScaleRule(
    start_type="num", start_value=0, start_color="FFFFFFFF", end_type="max", end_color="FFF8696B"
)


def _put(ws: Any, row: int, col: int, value: Any, role: str = "label", fmt: str | None = None) -> None:
    cell = ws.cell(row=row, column=col, value=value.item() if hasattr(value, "item") else value)
    cell.style = STYLE_NAMES[role]
    if fmt:
        cell.number_format = fmt


#: Columns the page's text spans (the widest table: provider, backlog, four risk figures, two shares, customer).
_PAGE_COLS = 9


def _wrap_across(ws: Any, row: int, columns: int, *, lines: int) -> None:
    """Let the text in column 1 of ``row`` wrap over ``columns`` columns (so it never widens the printed page)."""
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    ws.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[row].height = 13.5 * lines


def _frame(ws: Any, row: int, frame: pd.DataFrame, formats: dict[str, str]) -> int:
    """Write ``frame`` with a header row at ``row``; returns the last row written."""
    for col, name in enumerate(frame.columns, start=1):
        _put(ws, row, col, name if isinstance(name, int) else header(name), "header")
        ws.cell(row=row, column=col).alignment = Alignment(
            horizontal="center", vertical="center", wrap_text=True
        )
    ws.row_dimensions[row].height = 30  # two lines: "Mean loss ÷ AI backlog (%)"
    for r, record in enumerate(frame.itertuples(index=False), start=row + 1):
        for col, (name, value) in enumerate(zip(frame.columns, record, strict=True), start=1):
            _put(ws, r, col, value, "formula" if col > 1 else "label", formats.get(str(name)))
    return row + len(frame)


def add_exposure_sheet(
    wb: Workbook,
    backlog: pd.DataFrame,
    payload: dict[str, Any],
    *,
    effect: pd.DataFrame | None = None,
    caveat: str | None = None,
) -> Any:
    """Add the exposure page to ``wb`` and return its worksheet.

    Parameters
    ----------
    wb : openpyxl.Workbook
    backlog : DataFrame
        :func:`core.exposure.exposure_table`: ``provider``, one column per
        customer and ``total`` (US$ bn).
    payload : dict
        :func:`workbook.exposure_cli.exposure_summary` of a simulation.
    effect : DataFrame, optional, keyword-only
        :func:`core.exposure.provider_effect` of the mean loss: adds each provider's change
        in growth (pp) and margin (bps) by year, for the providers with figures.
    caveat : str, optional, keyword-only
        A line shown under the effects in the caveat colours (small providers, see
        ``workbook.exposure_cli.outsized_text``).
    """
    register_styles(wb)
    ws = wb.create_sheet(EXPOSURE_SHEET)
    years = payload["years"]
    _put(ws, R.title_row, 1, "Exposure: which provider loses how much if customers cannot pay", "title")
    _put(
        ws,
        R.subtitle_row,
        1,
        f"AI backlog still owed from {years[0]} (US$ bn), simulated revenue at risk over "
        f"{years[0]}-{years[-1]}; rule {payload['rule']}; {payload['draws']:,} draws, seed {payload['seed']}. "
        "Customers' funding: sourced revenue paths and stated funding plus analyst assumptions; sources in the DealDesk documentation (Portfolio exposure).",
        "note",
    )
    _wrap_across(ws, R.subtitle_row, _PAGE_COLS, lines=2)

    # Provider × customer matrix, coloured by size.
    top = R.header_row
    _put(ws, top - 1, 1, "AI backlog by provider and customer (US$ bn)", "section")
    last = _frame(ws, top, backlog, {c: _USD for c in backlog.columns})
    customers = [c for c in backlog.columns if c not in ("provider", "total")]
    if customers and last > top:
        first_col, last_col = get_column_letter(2), get_column_letter(1 + len(customers))
        ws.conditional_formatting.add(f"{first_col}{top + 1}:{last_col}{last}", _HEAT)

    # Revenue at risk by provider.
    row = last + 2
    _put(
        ws,
        row,
        1,
        f"Simulated revenue at risk (US$ bn); P(loss > {payload['threshold']:.0%} of AI backlog)",
        "section",
    )
    rows = []
    for name, p in payload["providers"].items():
        risk = p["revenue_at_risk"]
        driver = max(p["drivers"], key=p["drivers"].get) if any(p["drivers"].values()) else ""
        rows.append(
            [
                name,
                p["ai_backlog"],
                risk["mean"],
                risk["p50"],
                risk["p95"],
                risk["p99"],
                p["mean_share_of_backlog"],
                p["p_loss_above_threshold"],
                driver,
            ]
        )
    risk_table = pd.DataFrame(
        rows,
        columns=[
            "provider",
            "ai_backlog",
            "mean",
            "p50",
            "p95",
            "p99",
            "mean_share_of_backlog",
            "p_loss_above_threshold",
            "main_customer",
        ],
    )
    money = {c: _USD for c in ("ai_backlog", "mean", "p50", "p95", "p99")}
    last = _frame(
        ws, row + 1, risk_table, {**money, "mean_share_of_backlog": _PCT, "p_loss_above_threshold": _PCT}
    )
    p_col = get_column_letter(1 + list(risk_table.columns).index("p_loss_above_threshold"))
    ws.conditional_formatting.add(f"{p_col}{row + 2}:{p_col}{last}", _HEAT)

    # Mean loss by year, one series per provider, stacked.
    row = last + R.table_gap - 1
    _put(ws, row, 1, "Mean revenue lost by year (US$ bn)", "section")
    by_year = pd.DataFrame({"year": [str(y) for y in years]})
    for name, p in payload["providers"].items():
        by_year[name] = [p["mean_loss_by_year"][str(y)] for y in years]
    head = row + 1
    last = _frame(ws, head, by_year, {c: _USD for c in by_year.columns if c != "year"})
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    chart.title = chart_title("Mean revenue lost by year, by provider (US$ bn)")
    chart.y_axis.title = "US$ bn"
    chart.add_data(
        Reference(ws, min_col=2, max_col=by_year.shape[1], min_row=head, max_row=last), titles_from_data=True
    )
    chart.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=last))
    chart.height, chart.width = 8, 18
    chart.legend.position = "b"
    anchor_col = by_year.shape[1] + 2
    ws.add_chart(chart, f"{get_column_letter(anchor_col)}{head}")
    _put(ws, head + 17, anchor_col, "Source: DealDesk exposure Monte Carlo (mean loss by year)", "note")

    if effect is not None and effect["margin_change_bps"].notna().any():
        known = effect[effect["margin_change_bps"].notna()]
        row = last + R.table_gap - 1  # beside the chart, which stands right of the years
        for column, what in (
            ("growth_change_pp", "Change in segment revenue growth from the mean loss (pp)"),
            ("margin_change_bps", "Change in segment operating margin from the mean loss (bps)"),
        ):
            wide = known.pivot(index="provider", columns="year", values=column)
            wide = wide.reindex(list(dict.fromkeys(known["provider"]))).reset_index()
            wide.columns = ["provider", *(str(c) for c in wide.columns[1:])]
            _put(ws, row, 1, what, "section")
            fmt = NUMBER_FORMATS["pp" if column.endswith("_pp") else "bps"]
            last = _frame(ws, row + 1, wide, {c: fmt for c in wide.columns if c != "provider"})
            row = last + R.table_gap - 1
        if caveat:
            _put(ws, last + 1, 1, caveat, "note")
            cell = ws.cell(row=last + 1, column=1)
            cell.font = Font(name="Calibri", size=10, bold=True, color="FF9C0006")
            cell.fill = PatternFill("solid", fgColor="FFFFC7CE")
            _wrap_across(ws, last + 1, _PAGE_COLS, lines=3)

    ws.column_dimensions["A"].width = 22
    for col in range(2, max(backlog.shape[1], risk_table.shape[1], by_year.shape[1]) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 14
    ws.freeze_panes = ws.cell(row=top + 1, column=R.frozen_cols + 1)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.left.text = "DealDesk exposure — &A"
    return ws


def write_exposure_report(
    path: str | os.PathLike[str],
    backlog: pd.DataFrame,
    payload: dict[str, Any],
    *,
    effect: pd.DataFrame | None = None,
    caveat: str | None = None,
) -> Path:
    """Save a workbook holding only the exposure page at ``path`` (atomic, reproducible bytes)."""
    wb = Workbook()
    add_exposure_sheet(wb, backlog, payload, effect=effect, caveat=caveat)
    wb.remove(wb.worksheets[0])
    return save_workbook_reproducibly(wb, Path(path))
