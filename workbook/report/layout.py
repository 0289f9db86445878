"""Laying out a report sheet: titles, headers, tables of values with their formats, print set-up.

Every function here only places values the core computed; labels, units and
formats come from :mod:`workbook.report.labels` and :mod:`workbook.styles`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from workbook.report.labels import header, label_of
from workbook.spec import REPORT_LAYOUT as _L
from workbook.styles import LINE_POINTS, NUMBER_FORMATS, fit_row_height, text_lines
from workbook.xlsxio import set_value, writable_text

__all__ = [
    "BODY",
    "BOLD",
    "FAIL",
    "FAIL_FILL",
    "GROUP_FILL",
    "GROUP_FONT",
    "NOTE",
    "PASS",
    "PASS_FILL",
    "RULE",
    "WRAP",
    "Page",
    "Placed",
    "coordinate",
    "fit_columns",
    "fit_row_height",
    "fmt_of",
    "freeze",
    "header_row",
    "note",
    "plain",
    "print_setup",
    "title",
    "write_across",
    "write_frame",
    "write_pairs",
    "wrap_subtitle",
]

NAVY = "1F3864"
TITLE = Font(name="Calibri", size=16, bold=True, color=NAVY)
SUBTITLE = Font(name="Calibri", size=10, italic=True, color="595959")
NOTE = Font(name="Calibri", size=9, italic=True, color="595959")
HEADER_FONT = Font(name="Calibri", size=10, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor=NAVY)
GROUP_FONT = Font(name="Calibri", size=11, bold=True, color=NAVY)
GROUP_FILL = PatternFill("solid", fgColor="D9E1F2")
BODY = Font(name="Calibri", size=10)
BOLD = Font(name="Calibri", size=10, bold=True)
PASS = Font(name="Calibri", size=10, bold=True, color="006100")
FAIL = Font(name="Calibri", size=10, bold=True, color="9C0006")
PASS_FILL = PatternFill("solid", fgColor="C6EFCE")
FAIL_FILL = PatternFill("solid", fgColor="FFC7CE")
RULE = Border(bottom=Side(style="thin", color="BFBFBF"))
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Page:
    """What every page of a report says about itself: the date of its data, where the inputs came from.

    ``as_of`` is the data date: every figure on the pages was public on it. ``valued_at`` is the
    valuation date of a view built from every figure of the libraries (no as-of date asked): the
    deal's signing, while its figures run to ``as_of``, the newest of them. ``name`` (what the pages
    are about, e.g. ``AWS–OpenAI, base scenario``) makes the footer's short line; the full
    :attr:`line` is under every title.
    """

    as_of: dt.date
    source: str
    name: str = ""
    valued_at: dt.date | None = None

    @property
    def dated(self) -> str:
        """``As of 2025-12-31``, or ``Valued at 2025-11-03; figures to 2026-07-01``.

        >>> Page(dt.date(2026, 7, 1), "", valued_at=dt.date(2025, 11, 3)).dated
        'Valued at 2025-11-03; figures to 2026-07-01'
        """
        if self.valued_at is None:
            return f"As of {self.as_of.isoformat()}"
        return f"Valued at {self.valued_at.isoformat()}; figures to {self.as_of.isoformat()}"

    @property
    def line(self) -> str:
        """``As of 2025-12-31 · <source>`` (shown under every title)."""
        return f"{self.dated} · {self.source}"

    @property
    def footer(self) -> str:
        """``As of 2025-12-31 · <name>``: short enough for a footer beside the page number.

        >>> Page(dt.date(2025, 12, 31), "a long line", "AWS–OpenAI, base scenario").footer
        'As of 2025-12-31 · AWS–OpenAI, base scenario'
        """
        return f"{self.dated} · {self.name}" if self.name else self.line


def plain(value: Any) -> Any:
    """A cell-ready Python value: numpy/pandas scalars unwrapped, NaN and NaT as empty.

    >>> plain(np.float64(1.5)), plain(float("nan"))
    (1.5, None)
    """
    if value is None:
        return None
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        if pd.isna(value):
            return None
        stamp = pd.Timestamp(value)
        return stamp.date() if stamp == stamp.normalize() else stamp.to_pydatetime()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (list, tuple, dict, set)):
        return str(value)
    return value


def fmt_of(name: str, values: Sequence[Any] = ()) -> str | None:
    """The number format of a column (by its name in the label table), or None for text.

    >>> fmt_of("change_bps") == NUMBER_FORMATS["bps"]
    True
    """
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, (dt.date, dt.datetime)) for v in present):
        return NUMBER_FORMATS["date"]
    if present and not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return None
    hint = label_of(name, column=True).fmt
    if hint in ("text", "choice"):
        hint = "number"
    return NUMBER_FORMATS.get(hint, NUMBER_FORMATS["number"])


def coordinate(row: int, column: int) -> str:
    """The A1 name of a cell given by numbers (without creating the cell)."""
    return f"{get_column_letter(column)}{row}"


def fit_columns(ws: Worksheet, widths: Mapping[int, float]) -> None:
    """Set column widths (characters) by column number."""
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width


def note(ws: Worksheet, row: int, text: str, last_col: int, *, width: float | None = None) -> None:
    """A note in small grey italics across columns 1..``last_col``, wrapped, its row as tall as it needs.

    ``width`` is the merged columns' width in characters (default: the sheet's widths).
    """
    if last_col > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
    cell = set_value(ws, row, 1, text)
    cell.font, cell.alignment = NOTE, Alignment(wrap_text=True, vertical="top")
    if width is None:
        width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, last_col + 1))
    lines = text_lines(text, width)
    ws.row_dimensions[row].height = LINE_POINTS * lines + 2


def freeze(ws: Worksheet, *, frozen_cols: int = _L.frozen_cols) -> None:
    """Keep the title, the header of the sheet's first table and its label columns in view."""
    ws.freeze_panes = coordinate(_L.first_row, frozen_cols + 1)


#: Characters of the page line a footer holds: room for "Page 12 of 22" beside it on a portrait page.
FOOTER_CHARS = 110


def _footer_text(text: str) -> str:
    """The page line for a footer: cut to :data:`FOOTER_CHARS` with an ellipsis, ``&`` escaped.

    >>> _footer_text("a & b"), len(_footer_text("x" * 200)), _footer_text("x" * 200)[-1]
    ('a && b', 110, '…')
    """
    if len(text) > FOOTER_CHARS:
        text = text[: FOOTER_CHARS - 1] + "…"
    return writable_text(text).replace("&", "&&")


def print_setup(
    ws: Worksheet, page: Page, *, title_row: int | None = None, landscape: bool = True, one_page: bool = False
) -> None:
    """A4, fit to the page width (``one_page``: the whole sheet on one page); the page's short line in the footer.

    ``title_row`` (a table's header row) is printed on every page.
    """
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if title_row is not None:
        ws.print_title_rows = _L.print_title_rows(title_row)
    ws.oddHeader.left.text = "DealDesk"
    ws.oddHeader.right.text = "&A"
    ws.oddFooter.left.text = _footer_text(page.footer)
    ws.oddFooter.left.size = 8
    ws.oddFooter.right.text = "Page &P of &N"
    ws.oddFooter.right.size = 8


def title(ws: Worksheet, text: str, page: Page, subtitle: str = "") -> None:
    """The sheet's title, then the page line (as-of date and inputs source) and an optional subtitle."""
    set_value(ws, _L.title_row, 1, text).font = TITLE
    line = page.line + (f" · {subtitle}" if subtitle else "")
    set_value(ws, _L.subtitle_row, 1, line).font = SUBTITLE


def header_row(ws: Worksheet, row: int, labels: Sequence[str], *, first_column: int = 1) -> None:
    """A dark header row of text labels."""
    for col, text in enumerate(labels, start=first_column):
        cell = set_value(ws, row, col, text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class Placed:
    """Where a DataFrame landed on a sheet (for chart references).

    Down the rows (``across`` False): ``columns`` maps each column name to its
    sheet column, values in rows ``first_row``..``last_row``. Across (``across``
    True): ``columns`` maps each name to its sheet *row*, the periods run from
    sheet column ``first_col`` to ``last_col``, their labels in ``header_row``.
    """

    ws: Worksheet
    header_row: int
    first_row: int
    last_row: int
    columns: dict[str, int]
    across: bool = False
    first_col: int = 0
    last_col: int = 0


def write_frame(
    ws: Worksheet,
    frame: pd.DataFrame,
    *,
    header_row_at: int = _L.header_row,
    formats: Mapping[str, str] | None = None,
    frozen: bool = True,
) -> Placed:
    """Write a table with human headers (label and unit) and each column's number format.

    ``formats`` maps a column name to a format hint that overrides the label table's.
    """
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()
    names = [str(c) for c in frame.columns]
    heads = [header(n) for n in names]
    header_row(ws, header_row_at, heads)
    columns: dict[str, int] = {}
    widths: dict[int, float] = {}
    for j, name in enumerate(names, start=1):
        values = [plain(v) for v in frame.iloc[:, j - 1].tolist()]
        fmt = fmt_of(name, values)
        if formats and name in formats and fmt is not None:
            fmt = NUMBER_FORMATS[formats[name]]
        for i, value in enumerate(values, start=header_row_at + 1):
            cell = set_value(ws, i, j, value, number_format=fmt)
            cell.font = BODY
        columns[name] = j
        longest = max([len(heads[j - 1]) * 0.6] + [len(str(v)) for v in values[:200] if v is not None])
        widths[j] = float(min(max(longest + 3, 12), 48))
    fit_columns(ws, widths)
    if frozen:
        cols = _L.frozen_cols if len(names) > _L.frozen_cols else 0
        ws.freeze_panes = ws.cell(row=header_row_at + 1, column=cols + 1)
    ws.row_dimensions[header_row_at].height = 30
    return Placed(ws, header_row_at, header_row_at + 1, header_row_at + max(len(frame), 1), columns)


def write_across(
    ws: Worksheet, frame: pd.DataFrame, key: str, *, header_row_at: int = _L.header_row
) -> Placed:
    """A table with its periods across the columns: one row per figure (label, unit), one column per period.

    ``key`` is the column holding the periods (``period`` labels or ``year`` numbers).
    """
    names = [str(c) for c in frame.columns if str(c) != key]
    periods = [plain(v) for v in frame[key].tolist()]
    first_col = 3
    header_row(ws, header_row_at, ["Figure", "Unit"])
    for j, period in enumerate(periods, start=first_col):
        fmt = NUMBER_FORMATS["year"] if isinstance(period, (int, float)) else None
        cell = set_value(ws, header_row_at, j, period, number_format=fmt)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    rows: dict[str, int] = {}
    for i, name in enumerate(names, start=header_row_at + 1):
        found = label_of(name, column=True)
        values = [plain(v) for v in frame[name].tolist()]
        fmt = fmt_of(name, values)
        set_value(ws, i, 1, found.label).font = BODY
        set_value(ws, i, 2, found.unit).font = BODY
        for j, value in enumerate(values, start=first_col):
            set_value(ws, i, j, value, number_format=fmt).font = BODY
        for col in range(1, first_col + len(periods)):
            ws.cell(row=i, column=col).border = RULE
        rows[name] = i
    fit_columns(ws, {1: 36, 2: 10, **{j: 11.5 for j in range(first_col, first_col + len(periods))}})
    ws.freeze_panes = ws.cell(row=header_row_at + 1, column=first_col)
    last_row = header_row_at + max(len(names), 1)
    last_col = first_col + max(len(periods), 1) - 1
    return Placed(ws, header_row_at, header_row_at + 1, last_row, rows, True, first_col, last_col)


def write_pairs(ws: Worksheet, frame: pd.DataFrame, *, header_row_at: int = _L.header_row) -> Placed:
    """A ``name``/``value`` table as Figure | Value | Unit, each value in its own format."""
    header_row(ws, header_row_at, ["Figure", "Value", "Unit"])
    row = header_row_at
    for row, (name, value) in enumerate(
        zip(frame["name"], frame["value"], strict=True), start=header_row_at + 1
    ):
        found = label_of(name)
        shown = plain(value)
        set_value(ws, row, 1, found.label).font = BODY
        if shown is None:  # no value for these inputs (no threshold set): said, not left blank
            cell = set_value(ws, row, 2, "n/a")
            cell.font, cell.alignment = BODY, Alignment(horizontal="right")
        else:
            set_value(ws, row, 2, shown, number_format=fmt_of(str(name), [shown])).font = BODY
        set_value(ws, row, 3, found.unit).font = BODY
    fit_columns(ws, {1: 44, 2: 16, 3: 16})
    ws.freeze_panes = ws.cell(row=header_row_at + 1, column=1)
    return Placed(ws, header_row_at, header_row_at + 1, row, {"name": 1, "value": 2})


def wrap_subtitle(ws: Worksheet, row: int = _L.subtitle_row) -> None:
    """Wrap a long subtitle (in column 1 of ``row``) over the sheet's used columns instead of letting it run on.

    Text running past the last column widens what is printed, and fitting the page to
    that width shrinks every table and chart (a library deal's source line names its
    analyst defaults). Call after the sheet is laid out.
    """
    cell = ws.cell(row=row, column=1)
    text = cell.value
    last = max(ws.max_column, 1)
    if ws.print_area:  # only the printed columns hold it (a template sheet prints its contract's periods)
        from openpyxl.utils.cell import range_boundaries

        last = min(last, range_boundaries(str(ws.print_area).split(",")[0].split("!")[-1])[2])
    widths = [ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, last + 1)]
    room = sum(widths)  # about one character of 10 pt text per unit of column width
    if not isinstance(text, str) or len(text) <= room or last < 2:
        return
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[row].height = 13.5 * math.ceil(len(text) / room)
