"""Where the formula engine reads a workbook differently from Excel, put right while DealDesk evaluates.

:mod:`workbook.evaluate` runs the ``formulas`` package; these are the places
where it gave a wrong value and said nothing (its limits and refusals are
:mod:`workbook.engine_limits` and :mod:`workbook.engine_guard`):

* **Sheet names holding an apostrophe** (``it's``): Excel writes such a sheet
  ``'it''s'!A1``. The engine dropped the doubled quote when it named its
  nodes (``'[book]IT'S'!A1``), could not read its own names back, and gave
  ``#REF!`` in every cell reading the sheet, its own formulas included.
  :func:`sheet_quotes` keeps the doubled quote in the node names and finds
  the sheet by its title; :func:`engine_sheet` and :func:`sheet_title` are the
  one rule for spelling a sheet in a node name and reading it back, and
  :func:`cell_node` spells a cell's whole node name with it.
* **RANDBETWEEN** returned a fraction (``bottom + (top − bottom) × RAND()``)
  and, with constant bounds, one number worked out when the workbook was
  compiled and reused by every computation after. :func:`excel_randbetween`
  gives Excel's: a whole number from the smallest integer at or above
  ``bottom`` to the largest at or below ``top`` (``#NUM!`` when there is
  none), drawn again at each computation, as RAND is.
"""

from __future__ import annotations

import collections
import contextlib
import math
import random
from collections.abc import Iterator
from typing import Any

__all__ = ["cell_node", "engine_sheet", "excel_randbetween", "sheet_quotes", "sheet_title"]


def engine_sheet(sheet: str) -> str:
    """A sheet's name as the engine's node names spell it inside their quotes (``'`` doubled).

    >>> engine_sheet("IT'S")
    "IT''S"
    """
    return sheet.replace("'", "''")


def cell_node(book: str, sheet: str, ref: str) -> str:
    """The engine's node name of cell (or range) ``ref`` on ``sheet`` of workbook ``book``.

    >>> cell_node("BOOK.XLSX", "IT'S", "A1")
    "'[BOOK.XLSX]IT''S'!A1"
    """
    return f"'[{book}]{engine_sheet(sheet)}'!{ref}"


def sheet_title(spelt: str) -> str:
    """The sheet's name from its spelling in a node name (the inverse of :func:`engine_sheet`).

    >>> sheet_title("IT''S")
    "IT'S"
    """
    return spelt.replace("''", "'")


def _build_sheet_id(sheet: str = "", directory: str = "", filename: str = "", **_: Any) -> str:
    """The engine's ``_build_sheet_id``, with an apostrophe in the sheet's name doubled inside the quotes.

    ``sheet`` comes either from a formula (``it''s``, doubled) or from a
    worksheet's title (``it's``); both name the same sheet.
    """
    from formulas.tokens.operand import _re_build_id

    sheet = sheet_title(sheet).upper()
    if filename and _re_build_id.match(filename):  # an external link's number: never followed
        return f"[{filename}]{sheet}"
    if filename:
        if directory and not directory.endswith("/"):
            directory += "/"
        return f"'{directory}[{filename}]{engine_sheet(sheet)}'"
    if " " in sheet or "'" in sheet:
        return f"'{engine_sheet(sheet)}'"
    return sheet


@contextlib.contextmanager
def sheet_quotes() -> Iterator[None]:
    """While the engine compiles and computes, sheet names with an apostrophe keep it doubled
    in node names, and a sheet asked for by that spelling is found by its title."""
    import formulas.excel as engine_excel
    from formulas.tokens import operand

    build, find = operand._build_sheet_id, engine_excel._get_name

    def get_name(name: Any, names: Any) -> Any:
        found = find(name, names)
        if found not in names and isinstance(name, str) and "''" in name:
            return find(sheet_title(name), names)
        return found

    operand._build_sheet_id = _build_sheet_id
    engine_excel._get_name = get_name
    try:
        yield
    finally:
        operand._build_sheet_id = build
        engine_excel._get_name = find


def _randbetween(bottom: Any, top: Any) -> Any:
    """Excel's RANDBETWEEN for one pair of bounds (the engine applies it element by element)."""
    from formulas.tokens.operand import Error

    if isinstance(bottom, bool) or isinstance(top, bool):
        return Error.errors["#VALUE!"]
    try:
        low, high = math.ceil(bottom), math.floor(top)
    except (OverflowError, ValueError):  # an infinite or undefined bound
        return Error.errors["#NUM!"]
    if low > high:
        return Error.errors["#NUM!"]
    return float(random.randint(low, high))


def excel_randbetween(registry: Any) -> None:
    """Put Excel's RANDBETWEEN (:func:`_randbetween`) in the engine's ``registry``, volatile as RAND is:
    never worked out while compiling, so every computation draws again."""
    from formulas.functions import COMPILING, wrap_impure_func, wrap_ufunc

    registry["RANDBETWEEN"] = {
        "extra_inputs": collections.OrderedDict([(COMPILING, False)]),
        "function": wrap_impure_func(wrap_ufunc(_randbetween, input_parser=lambda *a: a)),
    }
