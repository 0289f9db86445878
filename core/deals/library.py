"""Loading and checking the deal library, row by row.

The library ships as ``core/data/deals.csv``, one row per announced contract,
carried over from public reporting with the source named on each row. Rules of
the file, checked by :func:`load_deals`:

* ``value_usd_bn`` is the headline value in US$ billions, blank where it was not
  disclosed (``value_basis`` "not disclosed"; the reported words, such as
  "tens of billions", are kept in ``value_note``). A second reported figure or
  an upper bound goes in ``value_high_usd_bn``. ``value_basis`` says what the
  number is: point, approx, sum, range, up to, lower bound, not disclosed.
* ``term_years`` is blank where the term was not disclosed. ``start`` is a date
  where one was stated; a year or half-year only ("from 2027", "2H 2026") is
  entered as its first day (2027-01-01, 2026-07-01) and ``start_note`` says so.
  ``end`` is the stated last day where one was given ("to Dec 2031").
* ``capacity`` keeps the reported words; where they state a GPU count or an IT
  load, ``capacity_gpus`` (GPUs) and ``capacity_it_mw`` (MW) carry the number
  (blank otherwise; a ceiling such as "up to 5 GW" is not a contracted load and
  stays blank, so the fleet follows the price). ``gpu_generation`` is the GPU generation the same source
  names ("GB300", "GB200/GB300", "Blackwell"), blank where none is named; a
  modelled deal takes the evidence for its own generation
  (:mod:`core.evidence`).
* ``status`` carries the reporting's own words: announced, reported,
  unconfirmed, conflict, non-binding. ``kind`` separates cloud compute
  purchases, chip supply and investments.
"""

from __future__ import annotations

import datetime as dt
import functools
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core.evidence import EVIDENCE_TABLES, generations
from core.schedule import contract_end
from core.validation import DealDeskInputError

__all__ = [
    "DEAL_COLUMNS",
    "DEAL_KINDS",
    "DEAL_STATUSES",
    "VALUE_BASES",
    "load_deals",
]

#: Columns of the deal library, in file order.
DEAL_COLUMNS = (
    "deal",
    "provider",
    "customer",
    "kind",
    "announced",
    "announced_note",
    "value_usd_bn",
    "value_high_usd_bn",
    "value_basis",
    "value_note",
    "term_years",
    "term_note",
    "start",
    "start_note",
    "end",
    "capacity",
    "capacity_gpus",
    "capacity_it_mw",
    "gpu_generation",
    "status",
    "source",
)
#: What a contract is: a cloud compute purchase, chip supply, or an investment in the customer.
DEAL_KINDS = ("cloud compute", "chips", "investment")
#: Reporting status, in the words of the reporting.
DEAL_STATUSES = ("announced", "reported", "unconfirmed", "conflict", "non-binding")
#: What ``value_usd_bn`` means.
VALUE_BASES = ("point", "approx", "sum", "range", "up to", "lower bound", "not disclosed")

_TEXT = (
    "deal",
    "provider",
    "customer",
    "kind",
    "announced_note",
    "value_basis",
    "value_note",
    "term_note",
    "start_note",
    "capacity",
    "gpu_generation",
    "status",
    "source",
)
#: Inputs a library deal takes from the evidence of its own GPU generation.
_PRICED_INPUTS = ("price_per_gpu_hour", "rack_price_musd")
#: GPU generations a deal may name: those the price and IT capex evidence tables know.
_KNOWN_GENERATIONS = frozenset(
    r.generation
    for name in _PRICED_INPUTS
    for r in EVIDENCE_TABLES[name].rows
    if r.generation and r.generation != "mixed fleet"
)
_NUMBERS = ("value_usd_bn", "value_high_usd_bn", "term_years", "capacity_gpus", "capacity_it_mw")
_DATES = ("announced", "start", "end")


def _read(source: Any) -> pd.DataFrame:
    if source is None:
        with resources.files("core").joinpath("data", "deals.csv").open("r", encoding="utf-8") as handle:
            return pd.read_csv(handle, dtype=str, keep_default_na=False)
    if isinstance(source, pd.DataFrame):
        return source.astype(object).where(source.notna(), "").astype(str)
    path = Path(source)
    if not path.is_file():
        raise DealDeskInputError(f"path must be an existing deal library CSV file, got {str(source)!r}")
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def _row_error(row: pd.Series, column: str, rule: str, value: Any) -> DealDeskInputError:
    return DealDeskInputError(f"deal {row['deal']!r}: {column} must be {rule}, got {value!r}")


def load_deals(source: Any = None) -> pd.DataFrame:
    """Load and validate the deal library.

    Parameters
    ----------
    source : path, DataFrame or None
        ``None`` (default) reads the library shipped with the package; a path
        reads an analyst's own CSV with the same columns (``DEAL_COLUMNS``); a
        DataFrame is validated as given.

    Returns
    -------
    pandas.DataFrame
        One row per deal, columns ``DEAL_COLUMNS``. ``value_usd_bn``,
        ``value_high_usd_bn``, ``term_years``, ``capacity_gpus`` and
        ``capacity_it_mw`` are nullable floats
        (``Float64``; ``<NA>`` where not disclosed, which is data, not an
        error, and shows as a blank cell); ``announced``, ``start`` and
        ``end`` are ``datetime.date`` or ``None``; text columns are strings
        ("" where empty).

    Raises
    ------
    DealDeskInputError
        A missing column, duplicate deal, bad number, date or category; the
        message names the deal, the column and the rule.

    Examples
    --------
    The library holds the reference deal with its headline terms:

    >>> deals = load_deals()
    >>> aws = deals.set_index("deal").loc["AWS–OpenAI"]
    >>> float(aws["value_usd_bn"]), float(aws["term_years"]), aws["start"].isoformat()
    (38.0, 7.0, '2025-11-03')
    """
    if source is None:
        # The shipped library is read and validated once; callers get their own copy.
        return _shipped_deals().copy()
    return _validated_library(source)


@functools.lru_cache(maxsize=1)
def _shipped_deals() -> pd.DataFrame:
    return _validated_library(None)


def _validated_library(source: Any) -> pd.DataFrame:
    raw = _read(source)
    missing = [c for c in DEAL_COLUMNS if c not in raw.columns]
    if missing:
        raise DealDeskInputError(
            f"deal library must have the columns {', '.join(DEAL_COLUMNS)}; missing {', '.join(missing)}"
        )
    raw = raw[list(DEAL_COLUMNS)].apply(lambda col: col.str.strip())
    if raw.empty:
        raise DealDeskInputError("deal library must hold at least one deal, got none")
    empty_names = raw["deal"] == ""
    if empty_names.any():
        raise DealDeskInputError(
            f"deal library: deal must be a non-empty name, got '' on row {int(np.flatnonzero(empty_names)[0]) + 1}"
        )
    duplicated = raw["deal"][raw["deal"].duplicated()]
    if not duplicated.empty:
        raise DealDeskInputError(f"deal library: deal names must be unique, got {duplicated.iloc[0]!r} twice")

    records: list[dict[str, Any]] = []
    for _, row in raw.iterrows():
        record: dict[str, Any] = {c: str(row[c]) for c in _TEXT}
        for column in _NUMBERS:
            text = row[column]
            if text == "":
                record[column] = float("nan")
                continue
            try:
                number = float(text)
            except ValueError:
                raise _row_error(row, column, "a number or blank", text) from None
            if not np.isfinite(number) or number <= 0:
                raise _row_error(row, column, "a number > 0 or blank", text)
            record[column] = number
        for column in _DATES:
            text = row[column]
            if text == "":
                record[column] = None
                continue
            try:
                record[column] = dt.date.fromisoformat(text)
            except ValueError:
                raise _row_error(row, column, "an ISO date such as 2025-11-03 or blank", text) from None
        for column, choices in (
            ("kind", DEAL_KINDS),
            ("status", DEAL_STATUSES),
            ("value_basis", VALUE_BASES),
        ):
            if record[column] not in choices:
                listed = ", ".join(repr(c) for c in choices)
                raise _row_error(row, column, f"one of {listed}", record[column])
        for column in ("provider", "customer", "source"):
            if record[column] == "":
                raise _row_error(row, column, "non-empty", "")
        if record["gpu_generation"] and not set(generations(record["gpu_generation"])) <= _KNOWN_GENERATIONS:
            known = ", ".join(sorted(_KNOWN_GENERATIONS | {"Blackwell"}))
            raise _row_error(
                row,
                "gpu_generation",
                f"blank or generations separated by '/' ({known})",
                record["gpu_generation"],
            )
        _check_row(row, record)
        records.append(record)
    table = pd.DataFrame.from_records(records, columns=list(DEAL_COLUMNS))
    return table.astype({column: "Float64" for column in _NUMBERS})


def _check_row(row: pd.Series, record: dict[str, Any]) -> None:
    value, high = record["value_usd_bn"], record["value_high_usd_bn"]
    undisclosed = record["value_basis"] == "not disclosed"
    if undisclosed != np.isnan(value):
        rule = "blank when value_basis is 'not disclosed' (and only then)"
        raise _row_error(row, "value_usd_bn", rule, row["value_usd_bn"])
    if undisclosed and record["value_note"] == "":
        raise _row_error(row, "value_note", "the reported words when the value is not disclosed", "")
    if not np.isnan(high) and (np.isnan(value) or high < value):
        raise _row_error(row, "value_high_usd_bn", "blank or >= value_usd_bn", row["value_high_usd_bn"])
    start, end, term = record["start"], record["end"], record["term_years"]
    if start is not None and end is not None:
        if end < start:
            raise _row_error(row, "end", f"on or after start {start.isoformat()}", row["end"])
        if not np.isnan(term) and contract_end(start, term) != end:
            rule = f"the last day of a {term:g}-year term from {start.isoformat()} ({contract_end(start, term).isoformat()})"
            raise _row_error(row, "end", rule, row["end"])
