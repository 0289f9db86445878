"""The analyst's loop as a reader sees it: the article's claims checked, and the watch list.

Two report pages, **Claims** (after the Summary) and **Watch list** (before the
Assumptions), and the text rows ``dealdesk claims`` and ``dealdesk watch`` print:
one rule for how a claim's or a watched figure's numbers are shown (labels and
units a reader knows, the reports' number formats), used by both. Every number
comes from :func:`core.claims.claims` and :func:`core.watch.watch_list`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from core.claims import claims
from core.model import ModelResult
from core.validation import DealDeskInputError
from core.watch import watch_list
from workbook.report.labels import label_of
from workbook.report.layout import (
    BODY,
    BOLD,
    GROUP_FONT,
    NOTE,
    RULE,
    WRAP,
    Page,
    fit_columns,
    header_row,
    plain,
    print_setup,
    title,
)
from workbook.spec import REPORT_LAYOUT as _L
from workbook.styles import NUMBER_FORMATS, format_text
from workbook.xlsxio import set_value

__all__ = [
    "CLAIMS_TITLE",
    "CLAIM_HEADERS",
    "WATCH_HEADERS",
    "WATCH_TITLE",
    "claim_rows",
    "claims_sheet",
    "needed_text",
    "unit_hint",
    "unit_shown",
    "watch_rows",
    "watch_sheet",
]

#: The pages' sheet titles (Claims right after the Summary, Watch list before the Assumptions).
CLAIMS_TITLE = "Claims"
WATCH_TITLE = "Watch list"

#: Column headings of the claims table (page and command line).
CLAIM_HEADERS = ("Claim", "The article", "Model", "Unit", "What would make it true", "Evidence", "Verdict")
#: Column headings of the watch list (page and command line).
WATCH_HEADERS = (
    "Figure",
    "Period",
    "Model",
    "Reported",
    "Variance",
    "Unit",
    "Reported on",
    "Source (confidence)",
    "Main cause",
)


def unit_hint(unit: str) -> str:
    """The number format hint of a claim's or watched figure's unit.

    >>> unit_hint("US$ bn in 2027"), unit_hint("fraction"), unit_hint("bps"), unit_hint("quarters")
    ('usd_bn', 'pct', 'bps', 'number')
    """
    if unit.startswith("US$ bn"):
        return "usd_bn"
    return {"fraction": "pct", "bps": "bps"}.get(unit, "number")


def unit_shown(unit: str) -> str:
    """A unit as a reader reads it (a fraction is shown as a percent).

    >>> unit_shown("fraction"), unit_shown("US$ bn")
    ('%', 'US$ bn')
    """
    return "%" if unit == "fraction" else unit


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def needed_text(input_name: str, needed: Any) -> str:
    """What would make a claim true, in words: the input's label, value and unit.

    >>> needed_text("price_per_gpu_hour", 2.2858)
    'Price per GPU-hour of 2.29 US$ per GPU-hour'
    >>> needed_text("market_value_growth", 0.0422)
    'Market value growth of 4.2% a year'
    >>> needed_text("realisation", None)
    'no value of Realisation (utilisation) in its range reaches it'
    >>> needed_text("", None)
    'no single input decides it'
    """
    if not input_name:
        return "no single input decides it"
    found = label_of(input_name)
    if _blank(needed):
        return f"no value of {found.label} in its range reaches it"
    unit = found.unit
    if found.fmt == "pct":  # the percent sign says it: "4.2% a year", not "4.2% fraction a year"
        unit = unit.removeprefix("fraction").removeprefix("%").strip()
    return f"{found.label} of {format_text(float(needed), found.fmt)} {unit}".rstrip()


def claim_rows(table: pd.DataFrame) -> list[tuple[str, ...]]:
    """The claims table (``core.claims.CLAIM_COLUMNS``) as text rows under :data:`CLAIM_HEADERS`."""
    rows: list[tuple[str, ...]] = []
    for r in table.to_dict("records"):
        model = None if _blank(r["model"]) else float(r["model"])
        rows.append(
            (
                str(r["claim"]),
                str(r["article"]),
                format_text(model, unit_hint(r["unit"])),
                unit_shown(str(r["unit"])),
                needed_text(str(r["input"]), r["needed"]),
                str(r["evidence"]),
                str(r["verdict"]),
            )
        )
    return rows


def _source(record: Mapping[str, Any]) -> str:
    return f"{record['source']} ({record['confidence']})"


def watch_rows(table: pd.DataFrame) -> list[tuple[str, ...]]:
    """The watch list (``core.watch.WATCH_COLUMNS``) as text rows under :data:`WATCH_HEADERS`."""
    rows: list[tuple[str, ...]] = []
    for r in table.to_dict("records"):
        hint = unit_hint(str(r["unit"]))
        numbers = [None if _blank(r[c]) else float(r[c]) for c in ("model", "reported", "variance")]
        rows.append(
            (
                str(r["figure"]),
                str(r["period"]),
                *(format_text(v, hint) for v in numbers),
                unit_shown(str(r["unit"])),
                r["reported_on"].isoformat()
                if isinstance(r["reported_on"], dt.date)
                else str(r["reported_on"]),
                _source(r),
                str(r["cause"]),
            )
        )
    return rows


# --------------------------------------------------------------------------- pages

_CLAIM_WIDTHS = {1: 30, 2: 18, 3: 11, 4: 16, 5: 30, 6: 46, 7: 56}
_WATCH_WIDTHS = {1: 24, 2: 10, 3: 10, 4: 10, 5: 10, 6: 9, 7: 11, 8: 34, 9: 64}
#: Points of row height a wrapped line takes (10-point Calibri).
_LINE = 13.0


def _row(
    ws: Worksheet, row: int, values: Sequence[Any], formats: Sequence[str | None], widths: dict[int, int]
) -> None:
    """One table row: numbers right-aligned in their format, text wrapped; the row as tall as its text."""
    lines = 1
    for col, (value, fmt) in enumerate(zip(values, formats, strict=True), start=1):
        shown = plain(value)
        cell = set_value(ws, row, col, shown, number_format=fmt)
        cell.font, cell.border = BODY, RULE
        if isinstance(shown, str):
            cell.alignment = WRAP
            lines = max(lines, math.ceil(len(shown) * 1.1 / widths[col]))
        else:
            cell.alignment = Alignment(horizontal="right", vertical="top")
    ws.row_dimensions[row].height = _LINE * lines + 2


def _lead(ws: Worksheet, row: int, text: str, last_col: int, *, font: Any = NOTE) -> None:
    """A line of text across the page, wrapped."""
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
    cell = set_value(ws, row, 1, text)
    cell.font, cell.alignment = font, WRAP
    ws.row_dimensions[row].height = _LINE * max(1, math.ceil(len(text) / 180)) + 2


def claims_sheet(
    ws: Worksheet, result: ModelResult, page: Page, *, as_of: dt.date | None = None
) -> pd.DataFrame:
    """Lay out the Claims page of ``result``: each claim of the article beside the model; returns the table.

    Claims about a company the deal does not involve are left out (:func:`core.claims.claims`).
    """
    a = result.assumptions
    table = claims(a, as_of=as_of)
    title(
        ws,
        f"Claims: {a.deal_name}",
        page,
        "the AWS–OpenAI article's claims (2025-11-03), each beside the model's figure, what would make it true "
        "and the public evidence",
    )
    last = len(CLAIM_HEADERS)
    row = _L.header_row
    set_value(ws, row - 1, 1, "The article's claims checked against the model").font = GROUP_FONT
    header_row(ws, row, list(CLAIM_HEADERS))
    ws.row_dimensions[row].height = 28
    for record, shown in zip(table.to_dict("records"), claim_rows(table), strict=True):
        row += 1
        hint = unit_hint(str(record["unit"]))
        model = None if _blank(record["model"]) else float(record["model"])
        values = [shown[0], shown[1], model, shown[3], shown[4], shown[5], shown[6]]
        formats = [None, None, NUMBER_FORMATS[hint], None, None, None, None]
        _row(ws, row, values, formats, _CLAIM_WIDTHS)
        ws.cell(row=row, column=1).font = BOLD
    _lead(
        ws,
        row + 2,
        "What would make it true: the value of one input at which the model gives the claim (the solver, all "
        "other inputs as in this run); none where no single input decides the claim or no value in the "
        "input's allowed range reaches it. Claims about a company this deal does not involve are left out.",
        last,
    )
    fit_columns(ws, _CLAIM_WIDTHS)
    ws.freeze_panes = ws.cell(row=_L.first_row, column=1)
    print_setup(ws, page, title_row=_L.header_row)
    return table


def watch_sheet(
    ws: Worksheet, result: ModelResult, page: Page, *, as_of: dt.date | None = None
) -> pd.DataFrame | None:
    """Lay out the Watch list page: the signing-day model against each figure reported since; returns the
    table, or None when the deal is not one of the library's (the page then says so)."""
    a = result.assumptions
    title(
        ws,
        f"Watch list: {a.deal_name}",
        page,
        "the model as it stood on the signing day beside each figure reported after it"
        + (f", up to {as_of.isoformat()}" if as_of else ""),
    )
    last = len(WATCH_HEADERS)
    try:
        table = watch_list(a.deal_name, as_of=as_of)
    except DealDeskInputError:
        _lead(
            ws,
            _L.header_row,
            f"{a.deal_name} is not a deal of the library, so no reported figures are tracked against it; "
            "run the report of a library deal (dealdesk deals lists them) for its watch list.",
            last,
            font=BODY,
        )
        fit_columns(ws, _WATCH_WIDTHS)
        print_setup(ws, page)
        return None
    row = _L.header_row
    set_value(ws, row - 1, 1, "Model against reported").font = GROUP_FONT
    header_row(ws, row, list(WATCH_HEADERS))
    ws.row_dimensions[row].height = 28
    for record, shown in zip(table.to_dict("records"), watch_rows(table), strict=True):
        row += 1
        fmt = NUMBER_FORMATS[unit_hint(str(record["unit"]))]
        numbers = [None if _blank(record[c]) else float(record[c]) for c in ("model", "reported", "variance")]
        values = [shown[0], shown[1], *numbers, shown[5], record["reported_on"], shown[7], shown[8]]
        formats = [None, None, fmt, fmt, fmt, None, NUMBER_FORMATS["date"], None, None]
        _row(ws, row, values, formats, _WATCH_WIDTHS)
        ws.cell(row=row, column=1).font = BOLD
    if table.empty:
        row += 1
        _lead(
            ws,
            row,
            "Nothing about this deal's companies was reported after its signing day by then.",
            last,
            font=BODY,
        )
    _lead(
        ws,
        row + 2,
        "Model: the model built on what was public on the signing day (the provider's baseline and backlog "
        "then, this deal only; the customer's revenue path from its years then, never a run-rate or a quarter). "
        "Variance = reported − model. A quarter is set against its days' share of the year; a customer's "
        "run-rate (annualised, not recognised revenue) against the path's annualised rate on its day. A blank "
        "model figure: the model holds no such figure; a blank reported figure: the report gives no number (a "
        "delay, a contract's words).",
        last,
    )
    fit_columns(ws, _WATCH_WIDTHS)
    ws.freeze_panes = ws.cell(row=_L.first_row, column=1)
    print_setup(ws, page, title_row=_L.header_row)
    return table
