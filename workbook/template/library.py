"""The sheets filled from the libraries: Benchmarks, Claims, Watch, Deals, Companies and Exposure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter, quote_sheetname

from workbook import spec as S
from workbook.styles import fit_row_height
from workbook.template.book import Book, absolute_ref, column_range, sheet_header, table_header, wrap_table
from workbook.template.inputs import input_table


def benchmarks_sheet(book: Book, ws: Any) -> None:
    L = S.LAYOUT
    sheet_header(
        book,
        ws,
        "Benchmarks",
        'The deal\'s margins beside reported GPU-rental margins (DEAL.TABLE, "benchmarks"): gross = revenue less '
        "depreciation (refresh included) and power; EBITDA = revenue less power and other costs; operating = "
        f"gross less other costs. The first {S.BENCHMARK_DEAL_YEARS} fiscal years of the contract (n/a after it), "
        "its life, the provider's own margin, then the reported margins (public evidence) and where the deal sits.",
    )
    table_header(book, ws, L.table_header_row, ["Row", *(title for _, title, _ in S.BENCHMARK_SHEET_COLUMNS)])
    row = L.table_header_row
    for spec_row in S.benchmark_rows():
        row += 1
        book.put(ws, row, 1, spec_row.label, "formula" if spec_row.label.startswith("=") else "label", "text")
        if spec_row.name is not None:
            book.define(spec_row.name, absolute_ref(ws.title, row, 1))
        for col, (column, _, fmt) in enumerate(S.BENCHMARK_SHEET_COLUMNS, start=2):
            if column not in spec_row.cells:
                continue
            value = spec_row.cells[column]
            role = "formula" if isinstance(value, str) and value.startswith("=") else "label"
            book.put(ws, row, col, value, role, fmt)
    widths = [44, 18, 12, 12, 12, 12, 12, 60, 60]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def _loop_sheet(
    book: Book, ws: Any, function: str, note: str, columns: Any, rows: int, widths: list[int], lines: int
) -> None:
    """The Claims or Watch sheet: one ``DEAL.<function>`` cell per value, rows beyond the deal's left blank.

    The text is known only once the functions run, so each row is as tall as ``lines`` wrapped lines
    (the longest evidence or cause at the column's width), never a row whose text runs into the next.
    """
    L = S.LAYOUT
    sheet_header(book, ws, ws.title, note)
    table_header(book, ws, L.table_header_row, [title for _, title, _ in columns])
    for k in range(rows):
        row = L.table_header_row + 1 + k
        ws.row_dimensions[row].height = 13 * lines
        for col, (column, _, fmt) in enumerate(columns, start=1):
            book.put(ws, row, col, S.loop_formula(function, k, column), "formula", fmt)
            ws.cell(row=row, column=col).alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def claims_sheet(book: Book, ws: Any) -> None:
    _loop_sheet(
        book,
        ws,
        "CLAIMS",
        "The AWS–OpenAI article's claims (2025-11-03) checked for the Inputs sheet's deal (DEAL.CLAIMS, a deal "
        "of the library): the model's figure, the input value that would make each true (the solver), the "
        "public evidence and a verdict. Claims about a company the deal does not involve are left out.",
        S.CLAIM_SHEET_COLUMNS,
        S.CLAIM_SHEET_ROWS,
        [36, 20, 12, 20, 22, 14, 70, 70],
        lines=5,
    )


def watch_sheet(book: Book, ws: Any) -> None:
    _loop_sheet(
        book,
        ws,
        "WATCH",
        "The watch list of the Inputs sheet's deal (DEAL.WATCH, a deal of the library): the model as it stood "
        "on the signing day beside each figure reported since, the variance (reported − model) and its main "
        "cause. A quarter is set against its days' share of the year; a customer's run-rate (annualised, not "
        "recognised revenue) against the revenue path's annualised rate on its day. Money in US$ bn; margins "
        "as fractions.",
        S.WATCH_SHEET_COLUMNS,
        S.WATCH_SHEET_ROWS,
        [30, 12, 12, 12, 12, 12, 12, 50, 12, 90],
        lines=5,
    )


def deals_sheet(book: Book, ws: Any) -> None:
    from core.deals import DEAL_COLUMNS, load_deals

    _library_sheet(
        book,
        ws,
        "Deals",
        "The deal library: headline terms of public AI compute contracts, "
        "with the source of each row (values as reported; blanks not disclosed).",
        DEAL_COLUMNS,
        load_deals(),
    )


def companies_sheet(book: Book, ws: Any) -> None:
    from core.companies import COMPANY_COLUMNS, load_companies

    _library_sheet(
        book,
        ws,
        "Companies",
        "The company library: each provider's and customer's public figures with period, date, source and "
        "confidence (blank value: not found; money in US$ bn, margins as fractions).",
        COMPANY_COLUMNS,
        load_companies(),
    )


#: Widest column of a library sheet (Deals, Companies), characters: longer text wraps.
_LIBRARY_WIDTH = 34
#: Characters of column width one landscape page prints at a readable size.
PAGE_CHARS = 270


def _library_sheet(book: Book, ws: Any, title: str, subtitle: str, columns: Any, table: Any) -> None:
    L = S.LAYOUT
    sheet_header(book, ws, title, subtitle)
    import pandas as pd

    from workbook.report.labels import header, label_of

    table_header(book, ws, L.table_header_row, [header(c) for c in columns])
    for i, record in enumerate(table.to_dict("records"), start=1):
        row = L.table_header_row + i
        for col, key in enumerate(columns, start=1):
            value = record.get(key)
            if (
                value is None
                or value is pd.NA
                or value is pd.NaT
                or (isinstance(value, float) and value != value)
            ):
                continue
            if hasattr(value, "to_pydatetime"):
                value = value.to_pydatetime()
            elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                value = dt.datetime(value.year, value.month, value.day)
            value = value.item() if hasattr(value, "item") else value
            fmt = "date" if isinstance(value, dt.datetime) else None
            if fmt is None and isinstance(value, (int, float)) and not isinstance(value, bool):
                hint = label_of(key, column=True).fmt  # the column's own format (a count with commas)
                fmt = hint if hint not in ("text", "year", "number") else None  # mixed units: as typed
            book.put(ws, row, col, value, "label", fmt)
    # Each column as wide as its text, up to a limit; longer text wraps in a row as tall as it needs.
    widths: dict[int, float] = {}
    for col in range(1, len(columns) + 1):
        texts = [ws.cell(row=r, column=col).value for r in range(L.table_header_row, ws.max_row + 1)]
        shown = [10 if isinstance(v, dt.datetime) else len(str(v)) for v in texts if v is not None]
        widths[col] = float(min(max(max(shown, default=8) + 2, 10), _LIBRARY_WIDTH))
        ws.column_dimensions[get_column_letter(col)].width = widths[col]
    for row in range(L.table_header_row, ws.max_row + 1):
        for col in range(1, len(columns) + 1):
            cell = ws.cell(row=row, column=col)
            cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal=cell.alignment.horizontal)
        fit_row_height(ws, row, widths)


def exposure_sheet(book: Book, ws: Any) -> None:
    """Provider × customer AI backlog (heat map) and simulated revenue at risk, with the sheet's own inputs."""
    L = S.LAYOUT
    sheet_header(
        book,
        ws,
        "Exposure",
        "If customers cannot pay for all their compute, which provider loses how much? Backlog still owed "
        "by each customer (DEAL.EXPOSURE) and simulated revenue at risk (DEAL.EXPOSURE_RISK); the shortfall "
        "rule and the simulation are the blue inputs below.",
    )
    row = input_table(
        book,
        ws,
        S.EXPOSURE_INPUTS,
        lambda spec: spec.default,
        lambda spec: S.EXPOSURE_CHECKS[spec.name],
        source_title="Note",
    )
    book.define("exposure_inputs_ok", column_range(ws.title, L.input_col("ok"), L.inputs_header_row + 1, row))

    heat = ColorScaleRule(
        start_type="num", start_value=0, start_color="FFFFFFFF", end_type="max", end_color="FFF8696B"
    )
    row += 2
    book.put(
        ws,
        row,
        L.label_col,
        "AI backlog by provider and customer (US$ bn still owed from the first year)",
        "section",
    )
    row += 1
    table_header(book, ws, row, ["Provider", *S.EXPOSURE_CUSTOMERS, "Total"])
    headers = [row]
    first = row + 1
    for k, provider in enumerate(S.EXPOSURE_PROVIDERS):
        row += 1
        book.put(ws, row, 1, provider, "label")
        for j in range(len(S.EXPOSURE_CUSTOMERS) + 1):
            book.put(ws, row, 2 + j, S.exposure_matrix_formula(k, j), "formula", "usd_bn")
    last_customer = get_column_letter(1 + len(S.EXPOSURE_CUSTOMERS))
    ws.conditional_formatting.add(f"{get_column_letter(2)}{first}:{last_customer}{row}", heat)
    book.define("exposure_matrix", f"{quote_sheetname(ws.title)}!$B${first}:${last_customer}${row}")

    row += 2
    book.put(
        ws,
        row,
        L.label_col,
        "Simulated revenue at risk by provider (Monte Carlo over customers' revenue)",
        "section",
    )
    row += 1
    table_header(book, ws, row, ["Provider", *(title for _, title, _ in S.EXPOSURE_RISK_FIGURES)])
    headers.append(row)
    first = row + 1
    for k, provider in enumerate(S.EXPOSURE_PROVIDERS):
        row += 1
        book.put(ws, row, 1, provider, "label")
        for j, (figure, _, fmt) in enumerate(S.EXPOSURE_RISK_FIGURES):
            book.put(ws, row, 2 + j, S.exposure_risk_formula(k, figure), "formula", fmt)
    p_col = get_column_letter(2 + [f for f, _, _ in S.EXPOSURE_RISK_FIGURES].index("p_loss_above_threshold"))
    ws.conditional_formatting.add(f"{p_col}{first}:{p_col}{row}", heat)
    widths = {"label": 34, "name": 22, "value": 16, "unit": 16, "rule": 30, "source": 60, "ok": 8}
    wrap_table(
        ws, L.inputs_header_row + 1, L.inputs_header_row + len(S.EXPOSURE_INPUTS), widths, ("rule", "source")
    )
    for header in headers:  # the risk table's headings name figures and units: wrapped, not cut
        for col in range(1, len(widths) + 1):
            ws.cell(row=header, column=col).alignment = Alignment(wrap_text=True, vertical="center")
        fit_row_height(ws, header, {L.input_col(k): w for k, w in widths.items()})
