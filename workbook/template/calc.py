"""The calculation sheets: figures, then one formula per row on the one time axis (FAST).

:func:`calc_rows_positions` places every time-axis row first, so any sheet's formula can refer
to a row of another.
"""

from __future__ import annotations

from typing import Any

from openpyxl.utils import get_column_letter

from workbook import spec as S
from workbook.template.book import Book, absolute_ref, reference_periods, sheet_header, table_header


def calc_rows_positions(book: Book) -> dict[str, int]:
    """First time-axis row of each calculation sheet; registers every row's position."""
    L = S.LAYOUT
    starts: dict[str, int] = {}
    for sheet in S.CALC_SHEETS:
        row = L.figures_row + 1 + len(sheet.figures) + 1  # header, figures, one blank row
        if sheet.time_axis:
            header = row
            row = header + 3  # axis header, period label link, blank
            starts[sheet.title] = row
            for calc in sheet.rows:
                book.rows[calc.name] = (sheet.title, row)
                row += 1
    return starts


def calc_sheet(book: Book, ws: Any, sheet: S.CalcSheet, first_row: int | None) -> None:
    L = S.LAYOUT
    sheet_header(book, ws, sheet.title, sheet.purpose)
    table_header(book, ws, L.figures_row, ["Figure", "Unit", "Value"])
    row = L.figures_row
    for fig in sheet.figures:
        row += 1
        book.put(ws, row, L.label_col, fig.label, "label")
        book.put(ws, row, L.unit_col, fig.unit, "unit")
        book.put(ws, row, L.value_col, fig.formula, fig.style, fig.fmt)
        book.define(fig.name, absolute_ref(ws.title, row, L.value_col))
    ws.column_dimensions[get_column_letter(L.label_col)].width = 44
    ws.column_dimensions[get_column_letter(L.unit_col)].width = 14
    ws.column_dimensions[get_column_letter(L.value_col)].width = 16  # a total of thousands: 6,012.07
    if not sheet.time_axis or first_row is None:
        return
    last_col = L.first_period_col + L.periods - 1
    header = first_row - 3
    table_header(book, ws, header, ["Time axis", "Unit", "Total"])
    for col in range(L.first_period_col, last_col + 1):
        book.put(ws, header, col, col - L.first_period_col + 1, "header")
        if sheet.title != S.CALC_SHEETS[0].title:
            book.put(ws, header + 1, col, book.formula("={sched_label}", ws.title, col), "link", "text")
        ws.column_dimensions[get_column_letter(col)].width = 11
    book.put(ws, header + 1, L.label_col, "Fiscal period", "label")
    for calc in sheet.rows:
        row = book.rows[calc.name][1]
        book.put(ws, row, L.label_col, calc.label, "label")
        book.put(ws, row, L.unit_col, calc.unit, "unit")
        for col in range(L.first_period_col, last_col + 1):
            text = calc.first if (col == L.first_period_col and calc.first) else calc.formula
            book.put(ws, row, col, book.formula(text, ws.title, col), calc.style, calc.fmt)
        if calc.total == "sum":
            book.put(ws, row, L.value_col, f"=SUM({calc.name})", "formula", calc.fmt)
        book.define(calc.name, absolute_ref(ws.title, row, L.first_period_col, last_col))
    ws.freeze_panes = ws.cell(row=header + 2, column=L.first_period_col)
    # Print the label columns and the periods of the reference deal (not all 40 columns on one page).
    last_printed = get_column_letter(L.first_period_col + reference_periods() - 1)
    ws.print_area = f"{ws.cell(row=L.title_row, column=L.label_col).coordinate}:{last_printed}{ws.max_row}"
    ws.print_title_cols = f"A:{get_column_letter(L.first_period_col - 1)}"
