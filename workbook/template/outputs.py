"""The Outputs sheet (key figures by name and the charts) and the Checks sheet (the master flag)."""

from __future__ import annotations

from typing import Any

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.series import SeriesLabel
from openpyxl.utils import get_column_letter

from core.model import OUTPUTS
from workbook import spec as S
from workbook.styles import SERIES_COLOURS
from workbook.template.book import (
    Book,
    absolute_ref,
    check_format,
    column_range,
    reference_periods,
    sheet_header,
    table_header,
)


def outputs_sheet(book: Book, ws: Any) -> None:
    L = S.LAYOUT
    sheet_header(
        book,
        ws,
        "Outputs",
        "Key figures of the core model by name under the scenario chosen on the Inputs sheet "
        "(DEAL.SCENARIO over the Inputs table), then figures of the calculation sheets.",
    )
    titles = {
        "label": "Figure",
        "unit": "Unit",
        "value": "Value",
        "name": "Name",
        "description": "Description",
    }
    table_header(book, ws, L.table_header_row, [titles[c] for c in L.outputs_cols])
    col = L.output_col
    row = L.table_header_row
    for out in OUTPUTS:
        row += 1
        book.put(ws, row, col("label"), out.label, "label")
        book.put(ws, row, col("unit"), out.unit, "unit")
        book.put(ws, row, col("value"), S.output_formula(out.name), "formula", out.fmt)
        book.put(ws, row, col("name"), out.name, "unit")
        book.put(ws, row, col("description"), out.description, "note")
        book.define(S.output_defined_name(out.name), absolute_ref(ws.title, row, col("value")))
    row += 2
    book.put(ws, row, col("label"), "From the calculation sheets", "section")
    figures = {f.name: (sheet.title, f) for sheet in S.CALC_SHEETS for f in sheet.figures}
    for name in S.OUTPUT_HIGHLIGHTS:
        row += 1
        sheet_title, fig = figures[name]
        book.put(ws, row, col("label"), fig.label, "label")
        book.put(ws, row, col("unit"), fig.unit, "unit")
        book.put(ws, row, col("value"), f"={name}", "link", fig.fmt)
        book.put(ws, row, col("name"), name, "unit")
        book.put(ws, row, col("description"), f"{sheet_title} sheet", "note")
    widths = {"label": 44, "unit": 16, "value": 14, "name": 28, "description": 60}
    for key, width in widths.items():
        ws.column_dimensions[get_column_letter(col(key))].width = width
    _charts(book, ws)


def _charts(book: Book, ws: Any) -> None:
    L = S.LAYOUT
    first = L.first_period_col
    kinds = {"line": LineChart, "bar": BarChart}
    sched_sheet, label_row = book.rows["sched_label"]
    for spec in S.CHARTS:
        # The reference deal's periods only: no run of empty periods down to zero.
        last = first + min(spec.periods, L.periods, reference_periods()) - 1
        chart = kinds[spec.kind]()
        chart.title = spec.title
        chart.y_axis.title = spec.unit
        for row_name, label in spec.series:
            sheet, row = book.rows[row_name]
            data = Reference(book.wb[sheet], min_col=first, max_col=last, min_row=row)
            chart.add_data(data, from_rows=True, titles_from_data=False)
            chart.series[-1].tx = SeriesLabel(v=label)
            colour = SERIES_COLOURS[(len(chart.series) - 1) % len(SERIES_COLOURS)]
            chart.series[-1].graphicalProperties.line.solidFill = colour
            if spec.kind == "line":
                chart.series[-1].smooth = False  # straight segments: a smoothed line overshoots
                chart.series[-1].graphicalProperties.line.width = 28575
            else:
                chart.series[-1].graphicalProperties.solidFill = colour
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.x_axis.tickLblPos = "low"
        chart.set_categories(Reference(book.wb[sched_sheet], min_col=first, max_col=last, min_row=label_row))
        chart.height, chart.width = 8, 18
        ws.add_chart(chart, ws.cell(row=spec.anchor_row, column=L.chart_anchor_col).coordinate)


def checks_sheet(book: Book, ws: Any) -> None:
    L = S.LAYOUT
    sheet_header(
        book, ws, "Checks", "Every check of the model; the master check is TRUE only when all are TRUE."
    )
    book.put(ws, L.master_row, L.label_col, "Master check", "section")
    table_header(book, ws, L.table_header_row, ["Check", "Name", "Result"])
    row = L.table_header_row + 1
    tol = S.CHECK_TOLERANCE
    book.put(ws, row, 1, tol.label, "label")
    book.put(ws, row, 2, tol.name, "unit")
    book.put(ws, row, 3, tol.formula, "formula", tol.fmt)
    book.define(tol.name, absolute_ref(ws.title, row, 3))
    first = row + 1
    for check in S.CHECKS:
        row += 1
        book.put(ws, row, 1, check.label, "label")
        book.put(ws, row, 2, check.name, "unit")
        body = check.formula[1:] if check.formula.startswith("=") else check.formula
        cell = book.put(ws, row, 3, f"=IFERROR({body},FALSE)", "check")
        check_format(ws, cell.coordinate)
        book.define(check.name, absolute_ref(ws.title, row, 3))
    book.define("checks_all", column_range(ws.title, 3, first, row))
    master = book.put(ws, L.master_row, L.value_col, "=AND(checks_all)", "check")
    check_format(ws, master.coordinate)
    book.define("master_check", absolute_ref(ws.title, L.master_row, L.value_col))
    ws.column_dimensions[get_column_letter(1)].width = 80
    ws.column_dimensions[get_column_letter(2)].width = 22
    ws.column_dimensions[get_column_letter(3)].width = 12
