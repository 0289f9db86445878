"""Excel values in, Python values out, and back: the one place that converts.

Every custom function in :mod:`addin.functions` passes each argument through
one of these converters before it calls the core, and passes the core's
result through :func:`table` or :func:`cell_out` on the way back. No function
reshapes a range or parses a date inline.

What Excel sends, and what the converters make of it (all runtimes):

* **Blanks** — an omitted argument, an empty cell or ``""`` — become the
  converter's ``default``; ``default=None`` means "let the core use its own
  default" (see :func:`present`). A required argument left blank is an error
  that names it.
* **1 x 1 ranges** arrive as ``[[x]]`` or ``[x]`` in some runtimes and as ``x``
  in others; scalar converters accept all three. A larger range where one
  cell is expected is an error.
* **Excel errors** in a referenced cell (``#N/A``, ``#DIV/0!``...) arrive as
  their text (the functions ask xlwings for ``err_to_str=True``) and are
  refused with a message that names the argument.
* **Numbers** must be real numbers: ``TRUE``/``FALSE``, text (even ``"38"``),
  dates and NaN/infinity are refused, naming the argument.
* **Dates**: Excel on Office.js (xlwings Server and Lite) sends dates as
  serial numbers, classic xlwings sends ``datetime`` objects, and users may
  type ISO text (``"2025-11-03"``). Serial numbers follow Excel's 1900 date
  system *including its leap-year bug*: serial 1 is 1900-01-01, serial 60 is
  the fictitious 1900-02-29 (refused), serial 61 is 1900-03-01, and from
  there on serial = days since 1899-12-30 (45964 is 2025-11-03). A time of
  day (the fraction of a serial) is dropped.
* **Weights and capacity ranges** may be a row or a column; trailing blank
  cells are ignored (select a longer range than you fill), blank cells in
  between are an error.
* **Name/value ranges** (the template's Inputs table) are two columns; blank
  rows are skipped, names must be unique.

Results go out as plain Python values that xlwings writes in every runtime:
a DataFrame becomes a header row plus one row per record; dates leave as
``datetime.date`` (xlwings turns them into date-formatted serials on
Office.js and into COM dates in classic Excel); NaN or infinity is never
shown as a number but as Excel's ``#NUM!`` error (an error value on
Office.js, the text ``#NUM!`` in classic Excel); ``None`` is a blank cell.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from core.assumptions import INPUTS, Assumptions
from core.schedule import delay_days_from_quarters
from core.validation import DealDeskInputError, as_date, check_choice, check_draws, limit

__all__ = [
    "EXCEL_ERRORS",
    "MAX_RANGE_CELLS",
    "any_cell",
    "PROFILE_OPTIONS",
    "REQUIRED",
    "SCHEDULE_OPTIONS",
    "SERIAL_DATE_MIN",
    "capacity_levels",
    "cell_out",
    "check_range_size",
    "choice",
    "date",
    "date_or_fraction",
    "date_to_excel_serial",
    "dated_amounts",
    "draws",
    "excel_serial_to_date",
    "is_blank",
    "name_value_table",
    "name_values",
    "number",
    "optional_numbers",
    "present",
    "profile_params",
    "rows",
    "scalar",
    "schedule_options",
    "table",
    "table_or_cell",
    "text",
    "vector",
]


class _Required:
    """Marker for an argument that has no default."""

    def __repr__(self) -> str:
        return "REQUIRED"


#: Default of a required argument: a blank raises instead of defaulting.
REQUIRED: Any = _Required()

#: Texts of Excel's error values as xlwings passes them with ``err_to_str=True``.
EXCEL_ERRORS = frozenset(
    {
        "#N/A",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#NULL!",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#UNKNOWN!",
        "#BUSY!",
        "#GETTING_DATA",
        "#PYTHON!",
    }
)

#: Numbers from this serial on are Excel dates (serial 1000 is 1902-09-26) where an
#: argument takes a date or a fraction of the contract term; smaller numbers are fractions.
SERIAL_DATE_MIN = 1000

_EPOCH = dt.date(1899, 12, 30)  # serial 0 from 1900-03-01 on (serial 61)
_SERIAL_MAX = 2_958_465  # 9999-12-31, Excel's last date
#: The days a Python ``datetime.date`` can hold (a timestamp column outside them goes cell by cell).
_FIRST_DAY, _LAST_DAY = np.datetime64("0001-01-01", "D"), np.datetime64("9999-12-31", "D")
_DATE_HINT = "an Excel date, a date serial number such as 45964, or ISO text such as '2025-11-03'"


# --------------------------------------------------------------------------- dates


def excel_serial_to_date(serial: float) -> dt.date:
    """Calendar date of an Excel serial number (1900 date system, leap-year bug kept).

    >>> excel_serial_to_date(45964)  # the AWS–OpenAI signing date
    datetime.date(2025, 11, 3)
    >>> excel_serial_to_date(1), excel_serial_to_date(59), excel_serial_to_date(61)
    (datetime.date(1900, 1, 1), datetime.date(1900, 2, 28), datetime.date(1900, 3, 1))
    >>> excel_serial_to_date(45964.75)  # the time of day is dropped
    datetime.date(2025, 11, 3)
    """
    day = math.floor(serial)
    if not 1 <= day <= _SERIAL_MAX or day == 60:
        raise ValueError(f"not an Excel date serial: {serial!r}")
    if day < 60:  # Excel counts a 1900-02-29 that never was: before it, dates shift by one
        return _EPOCH + dt.timedelta(days=day + 1)
    return _EPOCH + dt.timedelta(days=day)


def date_to_excel_serial(day: dt.date) -> int:
    """Excel serial number of a calendar date (inverse of :func:`excel_serial_to_date`).

    >>> date_to_excel_serial(dt.date(2025, 11, 3)), date_to_excel_serial(dt.date(1900, 3, 1))
    (45964, 61)
    """
    serial = (day - _EPOCH).days
    return serial - 1 if serial < 61 else serial


# --------------------------------------------------------------------------- cells


def is_blank(value: Any) -> bool:
    """True for what Excel sends for an empty cell or an omitted argument.

    >>> is_blank(None), is_blank(""), is_blank("  "), is_blank([[None]]), is_blank(0)
    (True, True, True, True, False)
    """
    if isinstance(value, (list, tuple)):
        return all(is_blank(v) for v in value)
    return value is None or (isinstance(value, str) and not value.strip())


def _describe(value: Any) -> str:
    """How a bad cell value reads in an error message (Excel's spelling)."""
    if isinstance(value, (bool, np.bool_)):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {text!r}"
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return f"the date {value:%Y-%m-%d}"
    if isinstance(value, float) and math.isnan(value):
        return "NaN (not a number)"
    return repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."


#: Most cells one range argument may hold (override: environment variable DEALDESK_MAX_RANGE_CELLS).
#: Forty years of daily prices fit; a whole-column reference (1,048,576 cells) does not.
MAX_RANGE_CELLS = 10_000


def check_range_size(name: str, value: Any) -> Any:
    """Refuse a range of more than ``MAX_RANGE_CELLS`` cells (a whole-column reference, say); returns it.

    >>> check_range_size("weights", [[1.0]] * 10_001)
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: weights holds 10,001 cells; the limit is 10,000 cells per range (MAX_RANGE_CELLS; raise it with the environment variable DEALDESK_MAX_RANGE_CELLS)
    """
    if isinstance(value, (list, tuple, np.ndarray)):
        maximum = limit("MAX_RANGE_CELLS", MAX_RANGE_CELLS)
        if isinstance(value, np.ndarray):
            count = int(np.size(value))
        else:
            count = sum(len(r) if isinstance(r, (list, tuple)) else 1 for r in value)
        if count > maximum:
            raise DealDeskInputError(
                f"{name} holds {count:,} cells; the limit is {maximum:,} cells per range (MAX_RANGE_CELLS; "
                "raise it with the environment variable DEALDESK_MAX_RANGE_CELLS)"
            )
    return value


def _shape(value: Any) -> tuple[int, int]:
    grid = rows(value)
    return len(grid), max((len(r) for r in grid), default=0)


def rows(value: Any) -> list[list[Any]]:
    """Any range value as a list of rows (a scalar is one cell, a flat list one row).

    >>> rows(5), rows([1, 2]), rows([[1], [2]])
    ([[5]], [[1, 2]], [[1], [2]])
    """
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(r, (list, tuple)) for r in value):
            return [list(r) for r in value]
        return [list(value)]
    return [[value]]


def scalar(name: str, value: Any) -> Any:
    """The one cell of a 1 x 1 range (or a plain value); refuses Excel errors and larger ranges.

    >>> scalar("value", [[38]]), scalar("value", [38]), scalar("value", 38)
    (38, 38, 38)
    >>> scalar("value", [[1, 2]])
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: value must be a single cell, got a range of 1 x 2 cells
    """
    if isinstance(value, (list, tuple, np.ndarray)):
        height, width = _shape(check_range_size(name, value))
        if height * width != 1:
            raise DealDeskInputError(f"{name} must be a single cell, got a range of {height} x {width} cells")
        value = rows(value)[0][0]
    if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
        raise DealDeskInputError(
            f"{name} refers to a cell showing the Excel error {value.strip().upper()}; "
            "fix that cell or leave the argument blank"
        )
    return value


def any_cell(name: str, value: Any, *, default: Any = REQUIRED) -> Any:
    """One cell of any type (a number, text or date, as Excel sends it); blank gives ``default``.

    >>> any_cell("key", [[2026]]), any_cell("key", "FY2026"), any_cell("key", None, default=None)
    (2026, 'FY2026', None)
    """
    blank, value = _blank_or_missing(name, value, default)
    return value if blank else scalar(name, value)


def _blank_or_missing(name: str, value: Any, default: Any) -> tuple[bool, Any]:
    check_range_size(name, value)
    if is_blank(value):
        if default is REQUIRED:
            raise DealDeskInputError(f"{name} is required; the cell or argument is blank")
        return True, default
    return False, value


def number(name: str, value: Any, *, default: Any = REQUIRED) -> Any:
    """A finite number from one cell; blank gives ``default``.

    Booleans, text (even ``"38"``), dates and NaN/infinity are refused,
    naming the argument; range rules (> 0, fractions...) are the core's.

    >>> number("value", [[38]]), number("realisation", None, default=1.0)
    (38.0, 1.0)
    >>> number("value", "38")
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: value must be a number, got the text '38'
    >>> number("value", True)
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: value must be a number, got TRUE
    """
    blank, value = _blank_or_missing(name, value, default)
    if blank:
        return value
    value = scalar(name, value)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise DealDeskInputError(f"{name} must be a number, got {_describe(value)}")
    result = float(value)
    if not math.isfinite(result):
        raise DealDeskInputError(f"{name} must be a finite number, got {_describe(result)}")
    return result


def draws(name: str, value: Any, *, default: Any = REQUIRED) -> Any:
    """A number of Monte Carlo draws from one cell, at most ``core.validation.MAX_DRAWS``; blank gives ``default``.

    >>> draws("draws", [[1000]]), draws("draws", None, default=10_000)
    (1000, 10000)
    """
    blank, value = _blank_or_missing(name, value, default)
    return value if blank else check_draws(name, number(name, value))


def text(name: str, value: Any, *, default: Any = REQUIRED) -> Any:
    """Text from one cell, stripped; blank gives ``default``.

    >>> text("deal_name", " AWS–OpenAI "), text("profile", "", default=None)
    ('AWS–OpenAI', None)
    >>> text("deal_name", 5)
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: deal_name must be text, got 5
    """
    blank, value = _blank_or_missing(name, value, default)
    if blank:
        return value
    value = scalar(name, value)
    if not isinstance(value, str):
        raise DealDeskInputError(f"{name} must be text, got {_describe(value)}")
    return value.strip()


def choice(name: str, value: Any, choices: Any, *, default: Any = REQUIRED) -> Any:
    """One of ``choices`` (case-insensitive, returned lower-case); blank gives ``default``.

    >>> choice("frequency", "Quarter", ("month", "quarter", "year"))
    'quarter'
    >>> choice("frequency", 4, ("month", "quarter", "year"))
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: frequency must be one of 'month', 'quarter', 'year'; got 4
    """
    blank, value = _blank_or_missing(name, value, default)
    if blank:
        return value
    return check_choice(name, scalar(name, value), choices)


def date(name: str, value: Any, *, default: Any = REQUIRED) -> Any:
    """A calendar date from an Excel date, a serial number or ISO text; blank gives ``default``.

    >>> date("start", 45964), date("start", "2025-11-03"), date("start", dt.datetime(2025, 11, 3, 9))
    (datetime.date(2025, 11, 3), datetime.date(2025, 11, 3), datetime.date(2025, 11, 3))
    >>> date("start", "soon")
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: start must be a date (an Excel date, a date serial number such as 45964, or ISO text such as '2025-11-03'), got the text 'soon'

    Text follows core's rule (:func:`core.validation.as_date`): the whole ISO date, nothing after it.

    >>> date("start", "2025-11-03 garbage")
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: start must be a date (an Excel date, a date serial number such as 45964, or ISO text such as '2025-11-03'), got the text '2025-11-03 garbage'
    """
    blank, value = _blank_or_missing(name, value, default)
    if blank:
        return value
    value = scalar(name, value)
    if value is pd.NaT:
        raise DealDeskInputError(f"{name} must be a date ({_DATE_HINT}), got an empty date")
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_)):
        try:
            return excel_serial_to_date(float(value))
        except (ValueError, OverflowError):
            raise DealDeskInputError(
                f"{name} must be a date serial number from 1 to {_SERIAL_MAX} (not 60, Excel's "
                f"1900-02-29 that never was), got {_describe(value)}"
            ) from None
    if isinstance(value, str):
        try:
            return as_date(name, value)  # core's one rule for date text: the whole ISO date, nothing more
        except DealDeskInputError:
            pass
    raise DealDeskInputError(f"{name} must be a date ({_DATE_HINT}), got {_describe(value)}")


def date_or_fraction(name: str, value: Any, *, default: Any = None) -> Any:
    """A point in contract time: a date, or a number below ``SERIAL_DATE_MIN`` kept as a fraction of the term.

    >>> date_or_fraction("full_at", 46022), date_or_fraction("full_at", 0.25)
    (datetime.date(2025, 12, 31), 0.25)
    """
    blank, value = _blank_or_missing(name, value, default)
    if blank:
        return value
    value = scalar(name, value)
    is_number = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )
    if is_number and abs(float(value)) < SERIAL_DATE_MIN:
        return number(name, value)
    return date(name, value)


# --------------------------------------------------------------------------- ranges


def _trim(cells: list[Any]) -> list[Any]:
    end = len(cells)
    while end and is_blank(cells[end - 1]):
        end -= 1
    return cells[:end]


def _line(name: str, value: Any) -> list[Any]:
    """The cells of a one-row or one-column range in reading order; refuses a block of both."""
    height, width = _shape(value)
    if height > 1 and width > 1:
        raise DealDeskInputError(
            f"{name} must be a single row or column, got a range of {height} x {width} cells"
        )
    return [c for r in rows(value) for c in r]


def vector(name: str, value: Any, *, default: Any = None) -> Any:
    """Numbers of a one-row or one-column range as a flat list; blank gives ``default``.

    >>> vector("weights", [[1], [2], [1], [None]]), vector("weights", [[1, 2, 1]]), vector("weights", 3)
    ([1.0, 2.0, 1.0], [1.0, 2.0, 1.0], [3.0])
    >>> vector("weights", [[1, 2], [3, 4]])
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: weights must be a single row or column, got a range of 2 x 2 cells
    """
    blank, value = _blank_or_missing(name, value, default)
    if blank:
        return value
    cells = _trim(_line(name, value))
    out = []
    for position, cell in enumerate(cells, start=1):
        if is_blank(cell):
            raise DealDeskInputError(
                f"{name} has a blank cell at position {position}; fill it (0 is allowed)"
            )
        out.append(number(f"{name} (cell {position})", cell))
    return out


def capacity_levels(name: str, value: Any, *, default: Any = None) -> Any:
    """Capacity online: a row/column of levels on equal slices of the term, or two columns (date, level).

    >>> capacity_levels("capacity", [[1, 2, 4]])
    [1.0, 2.0, 4.0]
    >>> capacity_levels("capacity", [[45964, 1], [46022, 3]])
    {datetime.date(2025, 11, 3): 1.0, datetime.date(2025, 12, 31): 3.0}
    """
    blank, value = _blank_or_missing(name, value, default)
    if blank:
        return value
    grid = [r for r in rows(value) if not is_blank(r)]
    height, width = len(grid), max(len(r) for r in grid)
    if height > 1 and width == 2:
        steps: dict[dt.date, float] = {}
        for position, (day, level) in enumerate(grid, start=1):
            key = date(f"{name} (row {position}, date)", day)
            if key in steps:
                raise DealDeskInputError(f"{name} lists the date {key:%Y-%m-%d} twice (row {position})")
            steps[key] = number(f"{name} (row {position}, level)", level)
        return steps
    return vector(name, value, default=default)


def dated_amounts(name: str, value: Any, *, default: Any = None) -> Any:
    """Booking tranches: two columns (date, amount) as pairs, or a row or column of dates alone.

    A range of two columns and two or more rows is (date, amount) rows; any
    single row or column is dates (the core shares the value equally).
    Blank rows are skipped.

    >>> dated_amounts("tranches", [[45964, 19], [46203, 19], [None, None]])
    [(datetime.date(2025, 11, 3), 19.0), (datetime.date(2026, 6, 30), 19.0)]
    >>> dated_amounts("tranches", [[45964], ["2026-06-30"]])
    [datetime.date(2025, 11, 3), datetime.date(2026, 6, 30)]
    """
    blank, value = _blank_or_missing(name, value, default)
    if blank:
        return value
    grid = [r for r in rows(value) if not is_blank(r)]
    height, width = len(grid), max(len(r) for r in grid)
    if height > 1 and width == 2:
        return [
            (date(f"{name} (row {k}, date)", day), number(f"{name} (row {k}, amount)", amount))
            for k, (day, amount) in enumerate(grid, start=1)
        ]
    if height > 1 and width > 1:
        raise DealDeskInputError(
            f"{name} must be one row or column of dates, or two columns (date, amount); "
            f"got a range of {height} x {width} cells"
        )
    cells = _trim([c for r in grid for c in r])
    for position, cell in enumerate(cells, start=1):
        if is_blank(cell):
            raise DealDeskInputError(f"{name} has a blank cell at position {position}")
    return [date(f"{name} (cell {k})", cell) for k, cell in enumerate(cells, start=1)]


def name_values(name: str, value: Any) -> dict[str, Any]:
    """A two-column (name, value) range as a dict; blank rows skipped, values' blanks kept as None.

    >>> name_values("inputs", [["contract_value", 38], ["term_years", 7], [None, None]])
    {'contract_value': 38, 'term_years': 7}
    >>> name_values("inputs", [["term_years", 7], ["term_years", 8]])
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: inputs names 'term_years' twice (row 2)
    """
    grid = rows(check_range_size(name, value))
    if max(len(r) for r in grid) != 2:
        height, width = len(grid), max(len(r) for r in grid)
        raise DealDeskInputError(
            f"{name} must be a two-column range (name, value), got a range of {height} x {width} cells"
        )
    out: dict[str, Any] = {}
    for position, row in enumerate(grid, start=1):
        if is_blank(row):
            continue
        key = scalar(f"{name} row {position} name", row[0])  # an Excel error is no name
        if not isinstance(key, str) or is_blank(key):
            raise DealDeskInputError(
                f"{name} row {position} must start with a name (text), got {_describe(key)}"
            )
        key = key.strip()
        if key in out:
            raise DealDeskInputError(f"{name} names {key!r} twice (row {position})")
        cell = row[1]
        if isinstance(cell, str) and cell.strip().upper() in EXCEL_ERRORS:
            scalar(f"{name} {key!r}", cell)  # raises, naming the input
        out[key] = None if is_blank(cell) else cell
    return out


def assumptions(name: str, value: Any, *, default: Any = REQUIRED) -> Any:
    """The model's inputs from a two-column (name, value) range, as ``core.assumptions.Assumptions``.

    Date inputs may be Excel dates, serial numbers or ISO text; blank values take
    the defaults; unknown names are refused (see ``Assumptions.from_pairs``). A
    blank argument gives ``default``.

    >>> assumptions("inputs", [["contract_value", 40], ["start_date", 45964]]).start_date
    datetime.date(2025, 11, 3)
    >>> assumptions("inputs", None, default=None) is None
    True
    """
    blank, value = _blank_or_missing(name, value, default)
    if blank:
        return value
    kinds = {spec.name: spec.kind for spec in INPUTS}
    pairs = name_values(name, value)
    converted = {
        key: date(f"{name} {key!r}", cell) if kinds.get(key) == "date" and cell is not None else cell
        for key, cell in pairs.items()
    }
    try:
        return Assumptions.from_pairs(converted)
    except DealDeskInputError as error:  # name the spreadsheet argument the bad entry sits in
        raise DealDeskInputError(f"{name}: {error}") from None


def names(name: str, value: Any, *, default: Any = None) -> Any:
    """Text cells of a one-row or one-column range as a flat list (blank cells skipped); blank gives ``default``.

    >>> names("outputs", [["npv"], [None], ["irr"]]), names("outputs", "npv")
    (['npv', 'irr'], ['npv'])
    """
    blank, value = _blank_or_missing(name, value, default)
    if blank:
        return value
    cells = [c for c in _line(name, value) if not is_blank(c)]
    out = [text(f"{name} (cell {position})", c) for position, c in enumerate(cells, start=1)]
    seen: set[str] = set()
    for position, item in enumerate(out, start=1):
        if item in seen:
            raise DealDeskInputError(f"{name} names {item!r} twice (cell {position})")
        seen.add(item)
    return out


def distribution_rows(name: str, value: Any, *, default: Any = REQUIRED) -> Any:
    """Distributions from a range with rows (input, kind, parameter 1, parameter 2, ...).

    Blank rows are skipped; trailing blank parameters are dropped. A discrete
    distribution's values and probabilities may be text such as ``"0, 1, 2"``.
    A blank range gives ``default``.

    >>> distribution_rows("distributions", [["realisation", "uniform", 0.9, 0.95, None], [None] * 5])
    {'realisation': ('uniform', 0.9, 0.95)}
    """
    blank, value = _blank_or_missing(name, value, default)
    if blank:
        return value
    out: dict[str, tuple[Any, ...]] = {}
    for position, row in enumerate(rows(value), start=1):
        if is_blank(row):
            continue
        if len(row) < 3:
            raise DealDeskInputError(f"{name} row {position} must hold an input name, a kind and parameters")
        key = text(f"{name} row {position} input", row[0])
        if key in out:
            raise DealDeskInputError(f"{name} names {key!r} twice (row {position})")
        kind = text(f"{name} row {position} kind", row[1])
        params = _trim(list(row[2:]))
        for k, cell in enumerate(params, start=1):
            if isinstance(cell, str) and cell.strip().upper() in EXCEL_ERRORS:
                scalar(f"{name} row {position} parameter {k}", cell)
        out[key] = (kind, *[None if is_blank(c) else c for c in params])
    if not out:
        raise DealDeskInputError(f"{name} must hold at least one row (input, kind, parameters)")
    return out


# --------------------------------------------------------------------------- keyword arguments


def present(**kwargs: Any) -> dict[str, Any]:
    """Keyword arguments without the blank ones (None), so the core applies its own defaults.

    >>> present(profile="linear", frequency=None)
    {'profile': 'linear'}
    """
    return {k: v for k, v in kwargs.items() if v is not None}


def optional_numbers(arguments: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """Convert the optional number arguments ``names`` among a function's arguments; blanks are left out.

    ``arguments`` is the function's arguments by name (its ``locals()``), as
    for :func:`schedule_options`; each value goes through :func:`number`.

    >>> optional_numbers({"capex": 20, "tax_rate": 0.21, "lead_years": None}, ("tax_rate", "lead_years"))
    {'tax_rate': 0.21}
    """
    return present(**{name: number(name, arguments.get(name), default=None) for name in names})


def profile_params(
    *,
    full_at: Any = None,
    initial_rate: Any = None,
    midpoint: Any = None,
    steepness: Any = None,
    power: Any = None,
    weights: Any = None,
    capacity: Any = None,
) -> dict[str, Any]:
    """Convert the profile parameters every schedule function takes; blanks are left out.

    Which profile uses which parameter is the core's rule
    (``core.schedule.PROFILE_PARAMETERS``); a parameter the chosen profile
    does not take is reported by the core.

    >>> profile_params(full_at=46022, initial_rate=None, weights=[[1], [2]])
    {'full_at': datetime.date(2025, 12, 31), 'weights': [1.0, 2.0]}
    """
    return present(
        full_at=date_or_fraction("full_at", full_at),
        initial_rate=number("initial_rate", initial_rate, default=None),
        midpoint=date_or_fraction("midpoint", midpoint),
        steepness=number("steepness", steepness, default=None),
        power=number("power", power, default=None),
        weights=vector("weights", weights),
        capacity=capacity_levels("capacity", capacity),
    )


#: The profile parameters, as :func:`profile_params` takes them.
PROFILE_OPTIONS = ("full_at", "initial_rate", "midpoint", "steepness", "power", "weights", "capacity")
#: The contract options a schedule function may take, in the order the functions list them.
SCHEDULE_OPTIONS = (
    "profile",
    "frequency",
    "fiscal_year_end",
    "realisation",
    "delay_quarters",
    "delay_mode",
    *PROFILE_OPTIONS,
)


def schedule_options(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """Convert the contract options among a function's arguments into the core's keyword arguments.

    ``arguments`` is the function's arguments by name (its ``locals()``); only
    the names in :data:`SCHEDULE_OPTIONS` are read, and one a function does not
    take counts as blank. Blanks are left out so the core applies its own
    defaults; ``delay_quarters`` becomes ``delay_days``
    (``core.schedule.delay_days_from_quarters``); the profile parameters go
    through :func:`profile_params`.

    AWS–OpenAI on a linear ramp, full at mid-term, starting two quarters late:

    >>> schedule_options({"value": 38, "profile": "linear", "full_at": 0.5, "delay_quarters": 2})
    {'delay_days': 183, 'profile': 'linear', 'full_at': 0.5}
    """
    delay_quarters = number("delay_quarters", arguments.get("delay_quarters"), default=None)
    return present(
        delay_days=None if delay_quarters is None else delay_days_from_quarters(delay_quarters),
        profile=text("profile", arguments.get("profile"), default=None),
        frequency=text("frequency", arguments.get("frequency"), default=None),
        fiscal_year_end=number("fiscal_year_end", arguments.get("fiscal_year_end"), default=None),
        realisation=number("realisation", arguments.get("realisation"), default=None),
        delay_mode=text("delay_mode", arguments.get("delay_mode"), default=None),
        **profile_params(**{name: arguments.get(name) for name in PROFILE_OPTIONS}),
    )


# --------------------------------------------------------------------------- results out


def cell_out(value: Any) -> Any:
    """One result value as xlwings writes it in every runtime.

    Numbers become plain floats (ints stay ints), NaN and infinity become the
    ``#NUM!`` error, dates stay dates, missing values become blank cells.

    >>> cell_out(np.float64(1.5)), cell_out(float("nan")), cell_out(pd.Timestamp("2025-11-03")), cell_out(None)
    (1.5, '#NUM!', datetime.date(2025, 11, 3), None)
    """
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number_ = float(value)
        return number_ if math.isfinite(number_) else "#NUM!"
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            return None
        stamp = value.tz_localize(None) if value.tzinfo else value
        return stamp.date() if stamp == stamp.normalize() else stamp.to_pydatetime()
    if isinstance(value, (dt.date, dt.datetime, str)):
        return value
    if isinstance(value, Mapping):
        return str(dict(value))
    return str(value)


def table(frame: pd.DataFrame, *, empty_text: bool = False) -> list[list[Any]]:
    """A DataFrame as a dynamic array: a header row, then one row per record (index dropped).

    Missing values are blank cells in text and date columns and ``#NUM!`` in number columns.
    Each column is converted in one pass (see :func:`_column_out`); the cells are
    those :func:`cell_out` gives. With ``empty_text`` (keyword-only) a blank cell is empty text
    instead, for tables whose figures may have no value (a claim no input decides): ``INDEX``
    reads a blank cell of an array as 0, but empty text as empty.

    >>> table(pd.DataFrame({"period": ["FY2025"], "revenue": [0.876808760265937]}))
    [['period', 'revenue'], ['FY2025', 0.876808760265937]]
    >>> table(pd.DataFrame({"model": [1.5, None]}, dtype=object), empty_text=True)
    [['model'], [1.5], ['']]
    """
    header = [str(column) for column in frame.columns]
    columns = [_column_out(column) for _, column in frame.items()]
    if empty_text:
        columns = [["" if cell is None else cell for cell in column] for column in columns]
    return [header, *(list(record) for record in zip(*columns, strict=True))]


def _column_out(column: pd.Series) -> list[Any]:
    """One column's cells as :func:`cell_out` writes them, converted a column at a time.

    Plain numpy floats, integers, booleans and day-precision timestamps go out
    through ``tolist`` (which yields Python floats, ints, bools and dates); any
    other column goes cell by cell. A missing value in a text or date column is
    a blank cell; only a number column's NaN is an error (``#NUM!``). pandas
    stores a missing text as NaN, so this is decided per column.
    """
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "fiub":
        values = column.to_numpy()
        cells = values.tolist()
        if dtype.kind == "f" and not np.isfinite(values).all():
            cells = [cell if math.isfinite(cell) else "#NUM!" for cell in cells]
        return cells
    if isinstance(dtype, np.dtype) and dtype.kind == "M":
        stamps = column.to_numpy()
        days = stamps.astype("datetime64[D]")
        known = days[~np.isnat(days)]
        in_range = not known.size or (known.min() >= _FIRST_DAY and known.max() <= _LAST_DAY)
        if in_range and (np.isnat(stamps) | (days == stamps)).all():  # no time of day; NaT is blank
            return days.tolist()
    if pd.api.types.is_numeric_dtype(dtype):
        return [cell_out(value) for value in column.tolist()]
    values = column.to_numpy(dtype=object)
    missing = pd.isna(values).tolist()
    return [None if blank else cell_out(value) for value, blank in zip(values.tolist(), missing, strict=True)]


def table_or_cell(result: Any) -> Any:
    """A DataFrame as a dynamic array (:func:`table`), anything else as one cell (:func:`cell_out`).

    >>> table_or_cell(pd.DataFrame({"year": [2026]})), table_or_cell(np.float64(0.25))
    ([['year'], [2026]], 0.25)
    """
    return table(result) if isinstance(result, pd.DataFrame) else cell_out(result)


def name_value_table(mapping: Mapping[str, Any]) -> list[list[Any]]:
    """A mapping of named results as a two-column dynamic array: a header row, then (name, value) rows.

    ``None`` (for example "never reached") is a blank cell; NaN is ``#NUM!``.

    >>> name_value_table({"prior_close": np.float64(244.22), "first_year": None, "passes": True})
    [['name', 'value'], ['prior_close', 244.22], ['first_year', None], ['passes', True]]
    """
    return [["name", "value"], *([str(key), cell_out(value)] for key, value in mapping.items())]
