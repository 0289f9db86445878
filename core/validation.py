"""Shared input checks for the core.

Every public core function validates on entry with these helpers, so that a
bad value always raises :class:`DealDeskInputError` (a ``ValueError``) whose
message names the argument, the rule and the bad value.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "MAX_DRAWS",
    "DealDeskInputError",
    "as_date",
    "blanks_as_none",
    "check_choice",
    "check_date_range",
    "check_draws",
    "check_finite",
    "check_fraction",
    "check_number",
    "check_numbers",
    "check_quantity",
    "check_term_years",
    "check_weights",
    "check_text",
    "check_year",
    "check_name",
    "did_you_mean",
    "limit",
    "name_key",
    "require_columns",
    "table_rows",
]

# Smallest positive normal float; smaller non-zero numbers (subnormals) count as 0.
_SMALLEST_NORMAL = sys.float_info.min
# A full ISO calendar date, nothing before or after (``fromisoformat`` alone also takes
# ``20251103`` and week dates such as ``2025-W45-1``).
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Characters no workbook can hold: C0 controls but tab, line feed and carriage return,
# and lone UTF-16 surrogates (a JSON file may spell them as ``\ud800``).
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class DealDeskInputError(ValueError):
    """A model input broke a rule; the message names the argument and the rule."""


def _fmt(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_number(
    name: str,
    value: Any,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    strict_min: bool = False,
    integer: bool = False,
) -> float:
    """Return ``value`` as a finite float, or raise naming ``name`` and the rule.

    >>> check_number("term_years", 7, minimum=0, strict_min=True)
    7.0
    >>> check_number("term_years", 0, minimum=0, strict_min=True)
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: term_years must be a number > 0, got 0

    A subnormal number (below 2.2e-308 in size) counts as 0:

    >>> check_number("price", 1e-320)
    0.0
    >>> check_number("price", 1e-320, minimum=0, strict_min=True)
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: price must be a number > 0, got 1e-320
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise DealDeskInputError(f"{name} must be a number, got {_fmt(value)}")
    number = float(value)
    if not math.isfinite(number):
        raise DealDeskInputError(f"{name} must be a finite number, got {_fmt(value)}")
    if abs(number) < _SMALLEST_NORMAL:
        # A subnormal number (1e-320, say) has lost its precision and overflows when divided
        # by: it counts as 0, so a rule "> 0" refuses it and nothing divides by it.
        number = 0.0
    if integer and number != int(number):
        raise DealDeskInputError(f"{name} must be a whole number, got {_fmt(value)}")
    too_low = minimum is not None and (number <= minimum if strict_min else number < minimum)
    too_high = maximum is not None and number > maximum
    if too_low or too_high:
        bounds = [] if minimum is None else [f"{'>' if strict_min else '>='} {minimum:g}"]
        bounds += [] if maximum is None else [f"<= {maximum:g}"]
        raise DealDeskInputError(f"{name} must be a number {' and '.join(bounds)}, got {_fmt(value)}")
    return number


def check_fraction(name: str, value: Any, *, allow_zero: bool = True) -> float:
    """Return a fraction in [0, 1] (or (0, 1]); percents such as 35 are refused.

    >>> check_fraction("realisation", 0.95)
    0.95
    >>> check_fraction("realisation", 95)
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: realisation must be a fraction between 0 and 1 (0.95 for 95%), got 95
    """
    number = check_number(name, value)
    low_ok = number >= 0 if allow_zero else number > 0
    if not low_ok or number > 1:
        low = "0" if allow_zero else "above 0"
        raise DealDeskInputError(
            f"{name} must be a fraction between {low} and 1 (0.95 for 95%), got {_fmt(value)}"
        )
    return number


def check_choice(name: str, value: Any, choices: Iterable[str]) -> str:
    """Return ``value`` lower-cased if it is one of ``choices``.

    >>> check_choice("frequency", "Quarter", ("month", "quarter", "year"))
    'quarter'
    >>> check_choice("frequency", "weekly", ("month", "quarter", "year"))
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: frequency must be one of 'month', 'quarter', 'year'; got 'weekly'
    """
    options = tuple(choices)
    listed = ", ".join(repr(c) for c in options)
    if not isinstance(value, str) or value.strip().lower() not in options:
        raise DealDeskInputError(f"{name} must be one of {listed}; got {_fmt(value)}")
    return value.strip().lower()


def table_rows(name: str, value: Any, what: str) -> list[Any]:
    """The rows of a table given as a DataFrame (its records) or any list of rows; anything else
    (a string, a mapping, a number) is refused as "``name`` must be ``what``".

    >>> table_rows("portfolio", [{"deal": "A"}], "a table")
    [{'deal': 'A'}]
    >>> table_rows("portfolio", "A", "a table")
    Traceback (most recent call last):
    core.validation.DealDeskInputError: portfolio must be a table, got 'A'
    """
    if isinstance(value, pd.DataFrame):
        return value.to_dict("records")
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes, Mapping)):
        return list(value)
    raise DealDeskInputError(f"{name} must be {what}, got {value!r}")


def require_columns(name: str, table: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """``table`` itself, refused unless it has every one of ``columns`` (the message lists them all
    and the missing ones).

    >>> require_columns("losses", pd.DataFrame({"provider": ["P"], "year": [2027]}), ("provider", "year", "lost"))
    Traceback (most recent call last):
    core.validation.DealDeskInputError: losses must have provider, year, lost; missing lost
    """
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise DealDeskInputError(f"{name} must have {', '.join(columns)}; missing {', '.join(missing)}")
    return table


def blanks_as_none(table: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """``table`` with the missing values of ``columns`` as None, never NaN (a figure with no value is
    blank on every surface, not an error): the columns hold numbers and None.

    >>> blanks_as_none(pd.DataFrame({"model": [1.5, None]}), ["model"])["model"].tolist()
    [1.5, None]
    """
    for column in columns:
        values = table[column].astype(object)
        table[column] = values.where(values.notna(), None)
    return table


def did_you_mean(value: Any, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the choice closest to a mistyped ``value``, or ``""`` when none is close.

    Case and surrounding spaces are ignored, so only a real typo gets a suggestion.

    >>> did_you_mean("econmics", ("schedule", "economics", "margin"))
    "; did you mean 'economics'?"
    >>> did_you_mean("revenue", ("schedule", "economics", "margin"))
    ''
    """
    if not isinstance(value, str):
        return ""
    close = difflib.get_close_matches(value.strip().lower(), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def as_date(name: str, value: Any) -> dt.date:
    """Return a calendar date from a date, datetime, pandas Timestamp or ISO string.

    >>> as_date("start", "2025-11-03")
    datetime.date(2025, 11, 3)
    >>> as_date("start", "soon")
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: start must be a date (a date object or an ISO string such as '2025-11-03'), got 'soon'

    Text must be the whole date and nothing else (``"20251103"``, week dates and
    trailing words are refused):

    >>> as_date("start", "2025-11-03 garbage")
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: start must be a date (a date object or an ISO string such as '2025-11-03'), got '2025-11-03 garbage'
    """
    if value is pd.NaT or (isinstance(value, np.datetime64) and np.isnat(value)):
        # NaT passes for a datetime; its .date() is NaT, not a date.
        raise DealDeskInputError(f"{name} must be a date, got NaT")
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).date()
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise DealDeskInputError(
        f"{name} must be a date (a date object or an ISO string such as '2025-11-03'), got {_fmt(value)}"
    )


def check_quantity(name: str, value: Any) -> Any:
    """A non-negative quantity: a float from a scalar, a float Series or array otherwise.

    >>> check_quantity("gpus", 72)
    72.0
    >>> check_quantity("gpus", [72, 144]).tolist()
    [72.0, 144.0]
    >>> check_quantity("gpus", [72, -1])
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: gpus must hold finite numbers >= 0, got [np.float64(72.0), np.float64(-1.0)]
    """
    if np.ndim(value) == 0:
        return check_number(name, value, minimum=0)
    array = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(array)) or np.any(array < 0):
        raise DealDeskInputError(f"{name} must hold finite numbers >= 0, got {list(array.ravel()[:5])}")
    return value.astype(float) if isinstance(value, pd.Series) else array


def check_term_years(name: str, value: Any) -> float:
    """Return a contract term in years: > 0, at most 100, and a whole number of months.

    >>> check_term_years("term_years", 2.5)
    2.5
    >>> check_term_years("term_years", 7.1)
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: term_years must be a whole number of months (for example 7 or 2.5), got 7.1

    A term shorter than one month is no whole number of months:

    >>> check_term_years("term_years", 1e-9)
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: term_years must be a whole number of months (for example 7 or 2.5), got 1e-09
    """
    years = check_number(name, value, minimum=0, strict_min=True, maximum=100)
    months = years * 12
    if round(months) < 1 or abs(months - round(months)) > 1e-6:
        raise DealDeskInputError(
            f"{name} must be a whole number of months (for example 7 or 2.5), got {_fmt(value)}"
        )
    return years


def check_weights(name: str, values: Any, *, length: int | None = None) -> np.ndarray:
    """Return non-negative finite weights with a positive sum as a float array.

    >>> check_weights("weights", [1, 2, 1]).tolist()
    [1.0, 2.0, 1.0]
    >>> check_weights("weights", [0, 0])
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: weights must be non-negative numbers with a positive sum, got [0, 0]
    """
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray, pd.Series)):
        raise DealDeskInputError(f"{name} must be a list of numbers, got {_fmt(values)}")
    try:
        array = np.asarray(list(values), dtype=float)
    except (TypeError, ValueError):
        raise DealDeskInputError(f"{name} must be a list of numbers, got {_fmt(values)}") from None
    if array.ndim != 1 or array.size == 0:
        raise DealDeskInputError(f"{name} must be a non-empty list of numbers, got {_fmt(values)}")
    if np.all(np.isfinite(array)) and np.any(array > 0) and not np.isfinite(array.sum()):
        array = array / array.max()  # only the proportions count; huge weights would overflow the sum
    if not np.all(np.isfinite(array)) or np.any(array < 0) or array.sum() <= 0:
        raise DealDeskInputError(
            f"{name} must be non-negative numbers with a positive sum, got {_fmt(values)}"
        )
    if length is not None and array.size != length:
        raise DealDeskInputError(
            f"{name} must have {length} values (one per contract year), got {array.size}"
        )
    return array


def check_numbers(
    named: Mapping[str, Any],
    *,
    above: Mapping[str, float] | None = None,
    at_least: Mapping[str, float] | None = None,
) -> tuple[dict[str, Any], Callable[[Any], Any]]:
    """Check numeric arguments and return them as floats/arrays plus a function that restores
    the caller's type on a result: scalar -> float, array -> ndarray, Series/DataFrame -> same
    index (and columns). All pandas arguments must share one index. ``above`` holds strict
    lower bounds, ``at_least`` inclusive ones, by argument name.

    A price and a move given as a list come back as arrays, and results as an array:

    >>> checked, restore = check_numbers({"price": [258.38], "move": 0.058}, above={"price": 0.0})
    >>> checked["price"].tolist(), checked["move"], restore(checked["price"] * 2).tolist()
    ([258.38], 0.058, [516.76])
    >>> check_numbers({"price": 0}, above={"price": 0.0})
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: price must be a number > 0, got 0
    """
    bounds = {name: (floor, True) for name, floor in (above or {}).items()}
    bounds.update({name: (floor, False) for name, floor in (at_least or {}).items()})

    def bad(name: str, value: Any) -> bool:
        if name not in bounds:
            return False
        floor, strict = bounds[name]
        return bool(np.any(value <= floor) if strict else np.any(value < floor))

    def rule(name: str) -> str:
        floor, strict = bounds[name]
        return f"{'>' if strict else '>='} {floor:g}"

    template: pd.Series | pd.DataFrame | None = None
    is_array = False
    out: dict[str, Any] = {}
    for name, value in named.items():
        if isinstance(value, (pd.Series, pd.DataFrame)):
            if template is not None and not value.index.equals(template.index):
                raise DealDeskInputError(f"{name} must have the same index as the other pandas inputs")
            template = value if template is None or isinstance(value, pd.DataFrame) else template
            array = pd.DataFrame(value).apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
            array = array[:, 0] if isinstance(value, pd.Series) else array
        elif isinstance(value, (list, tuple, np.ndarray)):
            is_array = True
            try:
                array = np.asarray(value, dtype=float)
            except (TypeError, ValueError):
                raise DealDeskInputError(f"{name} must be numbers, got {value!r}") from None
        else:
            out[name] = check_number(name, value)
            if bad(name, out[name]):
                raise DealDeskInputError(f"{name} must be a number {rule(name)}, got {value!r}")
            continue
        if array.size == 0 or not np.all(np.isfinite(array)):
            raise DealDeskInputError(
                f"{name} must be finite numbers, got {np.asarray(array).ravel()[:8].tolist()!r}"
            )
        if bad(name, array):
            raise DealDeskInputError(
                f"{name} must be numbers {rule(name)}, got {np.asarray(array).ravel()[:8].tolist()!r}"
            )
        out[name] = array

    def restore(result: Any) -> Any:
        if template is not None:
            if isinstance(template, pd.DataFrame):
                return pd.DataFrame(
                    np.broadcast_to(result, template.shape).copy(),
                    index=template.index,
                    columns=template.columns,
                )
            return pd.Series(
                np.broadcast_to(result, template.shape).copy(), index=template.index, name=template.name
            )
        if is_array:
            return np.asarray(result, dtype=float)
        return float(result)

    return out, restore


def check_finite(names: str, values: Any) -> None:
    """Refuse results that overflow (inf) or are undefined (NaN), naming the inputs behind them.

    >>> check_finite("price and shares", [1e308 * 10])
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: price and shares are too extreme: the result overflows (not a finite number)
    """
    with np.errstate(all="ignore"):
        array = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(array)):
        raise DealDeskInputError(f"{names} are too extreme: the result overflows (not a finite number)")


def check_year(name: str, value: Any) -> int:
    """Return a calendar year between 1900 and 2200 as an int.

    >>> check_year("target_year", 2027.0)
    2027
    >>> check_year("target_year", 27)
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: target_year must be a number >= 1900 and <= 2200, got 27
    """
    return int(check_number(name, value, minimum=1900, maximum=2200, integer=True))


#: Most Monte Carlo draws one run may ask for: one rule for the whole model's Monte Carlo
#: (DEAL.SIMULATE, ``dealdesk simulate``) and the portfolio exposure's (DEAL.EXPOSURE_RISK,
#: ``dealdesk exposure``, ``core.exposure.simulate_exposure``). A model draw keeps every
#: simulated figure, about 400 bytes (2,000,000 draws hold about 0.8 GB); an exposure draw
#: keeps about 80 bytes but takes several seconds per million draws. Override:
#: the environment variable DEALDESK_MAX_DRAWS.
MAX_DRAWS = 2_000_000


def check_draws(name: str, value: Any) -> int:
    """Return a number of draws: a whole number from 1 to ``MAX_DRAWS`` (or ``DEALDESK_MAX_DRAWS``).

    >>> check_draws("draws", 100_000)
    100000
    >>> check_draws("draws", 100_000_000)
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: draws must be at most 2,000,000 (MAX_DRAWS, up to about 0.8 GB of memory; raise it with the environment variable DEALDESK_MAX_DRAWS), got 100,000,000
    """
    count = int(check_number(name, value, minimum=1, integer=True))
    maximum = limit("MAX_DRAWS", MAX_DRAWS)
    if count > maximum:
        raise DealDeskInputError(
            f"{name} must be at most {maximum:,} (MAX_DRAWS, up to about {maximum * 400 / 1e9:.1f} GB of memory; "
            f"raise it with the environment variable DEALDESK_MAX_DRAWS), got {count:,}"
        )
    return count


def check_date_range(name: str, day: dt.date, first: dt.date, last: dt.date) -> dt.date:
    """Return ``day`` if it lies between ``first`` and ``last`` (inclusive).

    >>> check_date_range("as_of", dt.date(9999, 12, 31), dt.date(1900, 1, 1), dt.date(2199, 12, 31))
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: as_of must be a date between 1900-01-01 and 2199-12-31, got 9999-12-31
    """
    if not first <= day <= last:
        raise DealDeskInputError(
            f"{name} must be a date between {first.isoformat()} and {last.isoformat()}, got {day.isoformat()}"
        )
    return day


def check_text(name: str, value: str) -> str:
    """Return ``value`` if a workbook can hold it: no control characters, no lone surrogates.

    Tab, line feed and carriage return are allowed (cells hold them).

    >>> check_text("deal_name", "AWS–OpenAI")
    'AWS–OpenAI'
    >>> check_text("deal_name", "AWS\\ud800")
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: deal_name must be text without control characters or lone surrogates; got U+D800 at position 4
    """
    found = _UNWRITABLE.search(value)
    if found:
        raise DealDeskInputError(
            f"{name} must be text without control characters or lone surrogates; "
            f"got U+{ord(found.group()):04X} at position {found.start() + 1}"
        )
    return value


def check_name(name: str, value: Any) -> str:
    """A name typed by a user (a company, customer, provider or deal): the one rule every surface uses.

    Text, not blank; surrounding white space dropped; no control or format
    characters inside (NUL, a tab, a zero-width space, a right-to-left mark:
    they hide in a cell and made look-ups disagree); returned NFKC-normalised, so fullwidth ``Ｏｒａｃｌｅ`` is
    ``Oracle`` everywhere. Compare names with :func:`name_key`.

    >>> check_name("company", " Ｏｒａｃｌｅ ")
    'Oracle'
    >>> check_name("company", "Oracle\\x00")
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: company must be a name without control characters; got U+0000 at position 7 of 'Oracle\\x00'
    >>> check_name("customer", 5)
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: customer must be a name as text such as 'OpenAI', got 5
    """
    if not isinstance(value, str) or not value.strip():
        raise DealDeskInputError(f"{name} must be a name as text such as 'OpenAI', got {_fmt(value)}")
    text = value.strip()  # surrounding spaces, tabs and line breaks go; inside a name they do not
    for position, char in enumerate(text, start=1):
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            raise DealDeskInputError(
                f"{name} must be a name without control characters; "
                f"got U+{ord(char):04X} at position {position} of {_fmt(text)}"
            )
    return unicodedata.normalize("NFKC", text).strip()


def name_key(value: str) -> str:
    """The form in which two names are the same name: case, accents, dashes and punctuation ignored.

    "AWS–OpenAI" and "aws-openai" match, as do "Amazon (AWS)" and "amazon aws";
    fullwidth letters are letters (NFKC).

    >>> name_key("AWS–OpenAI"), name_key("Ｏｒａｃｌｅ"), name_key("Nébius")
    ('aws openai', 'oracle', 'nebius')
    """
    dashed = re.sub(r"[\u2010-\u2015\u2212]", "-", unicodedata.normalize("NFKC", value))
    ascii_text = unicodedata.normalize("NFKD", dashed).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).strip()


def limit(name: str, default: int) -> int:
    """A size limit: ``default``, unless the environment variable ``DEALDESK_<NAME>`` sets another.

    Limits protect memory and time against huge inputs; a user with a real need
    (and the memory) raises one, e.g. ``DEALDESK_MAX_DRAWS=10000000``. A value
    that is not a whole number > 0 is ignored.

    >>> limit("MAX_EXAMPLE_CELLS", 100)
    100
    """
    raw = os.environ.get(f"DEALDESK_{name}", "").strip().replace("_", "").replace(",", "")
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    return default
