"""The workbook being built (``Book``) and the pieces every sheet shares.

``Book`` keeps the position of every named row and defined name and writes each cell in its
style, with the DEAL functions named as chosen (:func:`render_formula`); the sheet header, an
input or label table's header, the check format and absolute references are here too.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from importlib import metadata
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName

from core.validation import DealDeskInputError
from workbook import spec as S
from workbook.styles import CHECK_FILLS, STYLE_NAMES, fit_row_height, number_format, register_styles
from workbook.xlsxio import write_text

_OFFICE_JS_CALL = re.compile(r"\bDEAL\.([A-Z][A-Z0-9_]*)\(")
_ROW_REF = re.compile(r"\{([a-z][a-z0-9_]*)(@prev)?\}")


def template_version() -> str:
    """Version of DealDesk that generated the template (the package version)."""
    try:
        return metadata.version("dealdesk")
    except metadata.PackageNotFoundError:  # pragma: no cover - source checkout without install
        return "0.0.0"


def render_formula(formula: str, *, classic: bool = False) -> str:
    """A formula with the DealDesk functions in the chosen naming.

    >>> render_formula('=DEAL.OUTPUT(inputs_table,"ramp_year1")', classic=True)
    '=DEAL_OUTPUT(inputs_table,"ramp_year1")'
    """
    return _OFFICE_JS_CALL.sub(r"DEAL_\1(", formula) if classic else formula


def absolute_ref(sheet: str, row: int, col: int, last_col: int | None = None) -> str:
    letter = get_column_letter(col)
    ref = f"{quote_sheetname(sheet)}!${letter}${row}"
    if last_col is not None:
        ref += f":${get_column_letter(last_col)}${row}"
    return ref


def column_range(sheet: str, col: int, first_row: int, last_row: int) -> str:
    letter = get_column_letter(col)
    return f"{quote_sheetname(sheet)}!${letter}${first_row}:${letter}${last_row}"


class Book:
    """The workbook being built, with the positions of every named row."""

    def __init__(self, classic: bool) -> None:
        self.wb = Workbook()
        self.classic = classic
        self.rows: dict[str, tuple[str, int]] = {}  # time-axis row name -> (sheet, row)
        self.names: dict[str, str] = {}  # defined name -> reference
        register_styles(self.wb)

    def define(self, name: str, reference: str) -> None:
        if name in self.names:
            raise DealDeskInputError(f"template spec defines the name {name!r} twice")
        self.names[name] = reference
        self.wb.defined_names[name] = DefinedName(name, attr_text=reference)

    def formula(self, text: str, sheet: str, col: int) -> str:
        """Translate ``{row}`` / ``{row@prev}`` into references for period column ``col``.

        The function names are rendered by :meth:`put`, which every formula goes through.
        """

        def ref(match: re.Match[str]) -> str:
            name, prev = match.group(1), match.group(2)
            if name not in self.rows:
                raise DealDeskInputError(f"template formula refers to unknown row {{{name}}}: {text}")
            row_sheet, row = self.rows[name]
            target = col - 1 if prev else col
            if target < S.LAYOUT.first_period_col:
                raise DealDeskInputError(f"row formula looks before the first period: {text}")
            cell = f"{get_column_letter(target)}{row}"
            return cell if row_sheet == sheet else f"{quote_sheetname(row_sheet)}!{cell}"

        return _ROW_REF.sub(ref, text)

    def put(self, ws: Any, row: int, col: int, value: Any, role: str, fmt: str | None = None) -> Any:
        cell = ws.cell(row=row, column=col)
        if isinstance(value, str) and value.startswith("=") and role not in ("label", "note", "unit"):
            cell.value = render_formula(value, classic=self.classic)
        else:
            write_text(cell, value)
        cell.style = STYLE_NAMES[role]
        if fmt is None and role == "check":
            fmt = "check"
        if fmt is not None:
            cell.number_format = number_format(fmt)
        return cell


def sheet_header(book: Book, ws: Any, title: str, note: str) -> None:
    L = S.LAYOUT
    book.put(ws, L.title_row, L.label_col, title, "title")
    book.put(ws, L.note_row, L.label_col, note, "note")
    if ws.title != S.CHECK_SHEET:
        book.put(ws, L.master_row, L.label_col, "Master check (every check on the Checks sheet)", "label")
        cell = book.put(ws, L.master_row, L.value_col, "=master_check", "link")
        check_format(ws, cell.coordinate)


def check_format(ws: Any, ref: str) -> None:
    ws[ref].number_format = number_format("check")
    ws.conditional_formatting.add(ref, CellIsRule(operator="equal", formula=["TRUE"], fill=CHECK_FILLS[True]))
    ws.conditional_formatting.add(
        ref, CellIsRule(operator="equal", formula=["FALSE"], fill=CHECK_FILLS[False])
    )


def table_header(book: Book, ws: Any, row: int, titles: Iterable[str]) -> None:
    for col, title in enumerate(titles, start=1):
        book.put(ws, row, col, title, "header")


def wrap_table(ws: Any, first: int, last: int, widths: Mapping[str, float], wrapped: tuple[str, ...]) -> None:
    """Set an input table's column widths and wrap its long text columns, each row as tall as it needs."""
    L = S.LAYOUT
    for key, width in widths.items():
        ws.column_dimensions[get_column_letter(L.input_col(key))].width = width
    columns = {L.input_col(key): widths[key] for key in wrapped}
    for row in range(first, last + 1):
        for key in widths:  # a tall row reads from its top, every cell alike
            col = L.input_col(key)
            cell = ws.cell(row=row, column=col)
            cell.alignment = Alignment(
                wrap_text=col in columns, vertical="top", horizontal=cell.alignment.horizontal
            )
        fit_row_height(ws, row, columns)


@functools.lru_cache(maxsize=1)
def reference_periods() -> int:
    """Fiscal periods of the reference deal's schedule (core defaults): the span charts and print areas show."""
    from core.model import run_model

    return len(run_model().tables["schedule"])
