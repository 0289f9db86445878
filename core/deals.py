"""The deal library: headline terms of public AI compute contracts, and customer portfolios.

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
* ``status`` carries the reporting's own words: announced, reported,
  unconfirmed, conflict, non-binding. ``kind`` separates cloud compute
  purchases, chip supply and investments.

Building a portfolio for counterparty analysis needs a start and a term for
every contract. Where the library has none, :func:`default_portfolio` fills the
gap with explicit analyst assumptions (start on the announcement date; a term
of ``default_term_years``) and flags every filled value, never silently.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from core.assumptions import Assumptions, as_assumptions
from core.conventions import DAYS_PER_YEAR
from core.schedule import contract_end
from core.validation import DealDeskInputError, check_term_years

__all__ = [
    "DEAL_COLUMNS",
    "DEAL_KINDS",
    "DEAL_STATUSES",
    "VALUE_BASES",
    "PORTFOLIO_COLUMNS",
    "DealTerms",
    "load_deals",
    "default_portfolio",
    "deal_terms",
    "deal_assumptions",
    "deal_note",
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
    "status",
    "source",
)
#: What a contract is: a cloud compute purchase, chip supply, or an investment in the customer.
DEAL_KINDS = ("cloud compute", "chips", "investment")
#: Reporting status, in the words of the reporting.
DEAL_STATUSES = ("announced", "reported", "unconfirmed", "conflict", "non-binding")
#: What ``value_usd_bn`` means.
VALUE_BASES = ("point", "approx", "sum", "range", "up to", "lower bound", "not disclosed")
#: Columns of a portfolio (see :func:`default_portfolio`).
PORTFOLIO_COLUMNS = (
    "deal",
    "provider",
    "customer",
    "value",
    "start",
    "term_years",
    "start_assumed",
    "term_assumed",
    "status",
    "assumption",
)

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
    "status",
    "source",
)
_NUMBERS = ("value_usd_bn", "value_high_usd_bn", "term_years")
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
        ``value_high_usd_bn`` and ``term_years`` are nullable floats
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


def default_portfolio(
    customer: str = "OpenAI",
    *,
    deals: pd.DataFrame | None = None,
    default_term_years: float = 5.0,
    kinds: Iterable[str] = ("cloud compute", "chips"),
    exclude_statuses: Iterable[str] = ("non-binding",),
) -> pd.DataFrame:
    """A customer's commitments from the deal library, ready for a commitment schedule.

    Keeps the customer's deals of the given ``kinds`` that have a disclosed
    value and a status not in ``exclude_statuses``. Each deal needs a start and
    a term; where the library has none, two **analyst assumptions** fill them,
    and the row says so (``start_assumed``, ``term_assumed``, ``assumption``):

    * start: the stated start, else the announcement date;
    * term: the stated term, else start to the stated end, else
      ``default_term_years``.

    Parameters
    ----------
    customer : str
        Customer name as in the library's ``customer`` column (case-insensitive).
    deals : DataFrame, optional, keyword-only
        A library from :func:`load_deals`; default the shipped one.
    default_term_years : float, keyword-only
        Analyst assumption: term in years for deals whose term was not
        disclosed (default 5; a whole number of months, > 0).
    kinds : iterable of str, keyword-only
        Deal kinds to keep (``DEAL_KINDS``). Investments in the customer are
        left out by default: they fund the customer, they are not its spend.
    exclude_statuses : iterable of str, keyword-only
        Statuses to leave out (``DEAL_STATUSES``); non-binding by default.

    Returns
    -------
    pandas.DataFrame
        Columns ``PORTFOLIO_COLUMNS``; ``value`` in US$ billions, ``start`` a
        date, ``term_years`` a float.

    Raises
    ------
    DealDeskInputError
        An unknown customer, kind or status, or a bad ``default_term_years``.

    Examples
    --------
    OpenAI's disclosed purchase commitments: AWS, Microsoft, Oracle and CoreWeave
    ($38B + $250B + $300B + $22.4B):

    >>> p = default_portfolio("OpenAI")
    >>> p["deal"].tolist(), round(float(p["value"].sum()), 6)
    (['AWS–OpenAI', 'Microsoft–OpenAI', 'Oracle–OpenAI', 'CoreWeave–OpenAI'], 610.4)
    >>> p.set_index("deal").loc["Microsoft–OpenAI", "assumption"]
    'start assumed at announcement (2025-10-28); term assumed 5 years (not disclosed)'
    """
    library = load_deals(deals)
    term_default = check_term_years("default_term_years", default_term_years)
    kind_set = _check_members("kinds", kinds, DEAL_KINDS)
    status_set = _check_members("exclude_statuses", exclude_statuses, DEAL_STATUSES)
    if not isinstance(customer, str) or customer.strip() == "":
        raise DealDeskInputError(f"customer must be a customer name such as 'OpenAI', got {customer!r}")
    names = sorted(set(library["customer"]))
    matches = library["customer"].str.lower() == customer.strip().lower()
    if not matches.any():
        raise DealDeskInputError(
            f"customer must be one of {', '.join(repr(n) for n in names)}; got {customer!r}"
        )
    chosen = library[
        matches
        & library["kind"].isin(kind_set)
        & ~library["status"].isin(status_set)
        & library["value_usd_bn"].notna()
    ]
    rows = []
    for _, deal in chosen.iterrows():
        notes = []
        start, start_assumed = deal["start"], False
        if start is None:
            start, start_assumed = deal["announced"], True
            if start is None:
                raise DealDeskInputError(
                    f"deal {deal['deal']!r}: start must be stated or an announcement date given, got neither"
                )
            notes.append(f"start assumed at announcement ({start.isoformat()})")
        term_assumed = bool(pd.isna(deal["term_years"]))
        term = term_default if term_assumed else float(deal["term_years"])
        if term_assumed:
            if deal["end"] is not None and deal["end"] > start:
                # Whole months nearest to start .. stated end (a schedule needs whole months).
                days = (deal["end"] - start).days + 1
                term = max(1, round(days / (DAYS_PER_YEAR / 12))) / 12
                notes.append(
                    f"term {term:.4g} years: start to stated end {deal['end'].isoformat()}, in whole months"
                )
            else:
                notes.append(f"term assumed {term:g} years (not disclosed)")
        rows.append(
            {
                "deal": deal["deal"],
                "provider": deal["provider"],
                "customer": deal["customer"],
                "value": float(deal["value_usd_bn"]),
                "start": start,
                "term_years": term,
                "start_assumed": start_assumed,
                "term_assumed": term_assumed,
                "status": deal["status"],
                "assumption": "; ".join(notes),
            }
        )
    return pd.DataFrame(rows, columns=list(PORTFOLIO_COLUMNS))


def _check_members(name: str, values: Iterable[str], choices: tuple[str, ...]) -> set[str]:
    if isinstance(values, str):
        values = (values,)
    chosen = set()
    for value in values:
        if not isinstance(value, str) or value.strip().lower() not in choices:
            listed = ", ".join(repr(c) for c in choices)
            raise DealDeskInputError(f"{name} must hold only {listed}; got {value!r}")
        chosen.add(value.strip().lower())
    return chosen


# --------------------------------------------------------------------------- one deal as model inputs


class DealTerms(NamedTuple):
    """A library deal as model inputs: the assumptions and a one-line note of what was assumed."""

    assumptions: Assumptions
    note: str


def _name_key(name: str) -> str:
    """Case-, accent- and dash-insensitive form of a deal name ("AWS–OpenAI" and "aws-openai" match)."""
    dashed = re.sub(r"[\u2010-\u2015\u2212]", "-", name)
    ascii_text = unicodedata.normalize("NFKD", dashed).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def deal_terms(name: str, *, deals: Any = None, base: Assumptions | None = None) -> DealTerms:
    """Model inputs for a deal of the library, with a note of every assumption made.

    The library gives the deal's name, provider, customer, value, start and
    term; everything else comes from ``base``. What is assumed, and said in
    the note:

    * **start and term**: as stated; where the library has none, filled as in
      :func:`default_portfolio` (start at the announcement date; term from
      start to the stated end, else 5 years), each flagged as an analyst
      assumption;
    * **ramp-up**: for a deal other than ``base``'s own, full run-rate is
      reached as many days after the start as in ``base`` (423 days in the
      reference deal: 2025-11-03 to 2026-12-31). Analyst assumption: no
      other deal discloses its deployment pace;
    * **provider, customer and market figures** (base revenue and margins,
      backlog, capacity, economics, the customer's revenue path, valuation
      inputs) keep ``base``'s values, by default the reference case's: AWS
      and OpenAI figures, whatever the deal's provider and customer;
    * **kind**: a chip-supply or investment deal is modelled as if it were a
      compute purchase of the same value.

    Parameters
    ----------
    name : str
        A deal of the library; matched ignoring case, accents and the kind of
        dash ("aws-openai" finds "AWS–OpenAI").
    deals : path, DataFrame or None, keyword-only
        The library (see :func:`load_deals`); default the shipped one.
    base : Assumptions, optional, keyword-only
        Inputs the deal's terms are laid on; default ``Assumptions()`` (the
        AWS–OpenAI reference case).

    Returns
    -------
    DealTerms
        ``assumptions`` (money in US$ bn, dates as ``datetime.date``) and
        ``note``, e.g. "deal library, status announced; start assumed at
        announcement (2025-10-28); ...".

    Raises
    ------
    DealDeskInputError
        ``name`` is not a deal of the library (the message lists the deals
        that can be modelled), or the deal's value was not disclosed.

    Examples
    --------
    Oracle's reported ~$300B contract with OpenAI starts in 2027, so its ramp
    ends 423 days later, as the reference deal's does:

    >>> oracle = deal_terms("Oracle–OpenAI")
    >>> oracle.assumptions.contract_value, oracle.assumptions.full_at.isoformat()
    (300.0, '2028-02-28')
    >>> print(oracle.note)  # doctest: +NORMALIZE_WHITESPACE
    deal library, status unconfirmed; analyst assumptions: full run-rate 423 days after start as in the
    reference deal AWS–OpenAI; provider, customer and market figures are those of AWS–OpenAI
    """
    library = load_deals(deals)
    a0 = as_assumptions("base", base)
    lookup = {_name_key(n): n for n in library["deal"]}
    key = lookup.get(_name_key(name)) if isinstance(name, str) else None
    if key is None:
        usable = ", ".join(repr(n) for n in library.loc[library["value_usd_bn"].notna(), "deal"])
        raise DealDeskInputError(
            f"deal must be a deal of the library with a disclosed value ({usable}); got {name!r}"
        )
    row = library.set_index("deal").loc[key]
    if pd.isna(row["value_usd_bn"]):
        raise DealDeskInputError(
            f"deal {key!r} has no disclosed value ({row['value_note']}); it cannot be modelled without one"
        )
    portfolio = default_portfolio(
        row["customer"], deals=library, kinds=DEAL_KINDS, exclude_statuses=()
    ).set_index("deal")
    terms = portfolio.loc[key]
    start = terms["start"]
    notes = [f"deal library, status {row['status']}"] + ([terms["assumption"]] if terms["assumption"] else [])
    if key == a0.deal_name and start == a0.start_date:
        full_at = a0.full_at
    else:
        full_at = start + (a0.full_at - a0.start_date)
        notes.append(
            f"analyst assumptions: full run-rate {(full_at - start).days} days after start as in the "
            f"reference deal {a0.deal_name}; provider, customer and market figures are those of {a0.deal_name}"
        )
    if row["kind"] != "cloud compute":
        notes.append(f"library kind {row['kind']!r}, modelled as a compute purchase of the same value")
    assumptions = a0.replace(
        deal_name=key,
        provider=row["provider"],
        customer=row["customer"],
        contract_value=float(terms["value"]),
        start_date=start,
        term_years=float(terms["term_years"]),
        full_at=full_at,
    )
    return DealTerms(assumptions, "; ".join(notes))


def deal_assumptions(name: str, *, deals: Any = None, base: Assumptions | None = None) -> Assumptions:
    """Model inputs for a deal of the library (:func:`deal_terms` says what is assumed).

    >>> deal_assumptions("aws-openai") == Assumptions()  # the reference deal is the defaults
    True
    >>> deal_assumptions("Microsoft–Nebius").contract_value  # $17.4B, up to $19.4B
    17.4
    """
    return deal_terms(name, deals=deals, base=base).assumptions


def deal_note(name: str, *, deals: Any = None, base: Assumptions | None = None) -> str:
    """One line saying what the inputs of a library deal take from the library and what they assume.

    >>> deal_note("AWS–OpenAI")
    'deal library, status announced'
    """
    return deal_terms(name, deals=deals, base=base).note
