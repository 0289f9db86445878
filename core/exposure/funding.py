"""Customers' revenue and funding paths: what each customer can pay for its compute, year by year.

Each customer pays its commitments from a **funding path**: its revenue path
plus the funding it has raised. Both come from the company library with their
sources (:func:`default_funding`: the customer's one revenue path of
:mod:`core.baseline`, the same in every surface, and its funding rounds); the
customer terms that are not public are **analyst assumptions** and say so
(:func:`default_customer_terms`).

Conventions, stated once:

* Revenue between stated years is geometric (constant growth from one stated
  year to the next); before the first stated year it equals the first; after
  the last it grows at the customer's ``growth_after`` (default 0: flat).
* In year t the customer can pay ``revenue_share × revenue_t`` plus a cash
  pool: funding stated for year t joins the pool at the start of the year
  (``opening_cash`` is the pool on 1 January of ``as_of_year``), the pool
  covers what revenue does not, and unused cash carries forward (no
  interest). Revenue beyond the year's commitments does not carry forward;
  funding stated for years before ``as_of_year`` counts as spent on them
  (give ``opening_cash`` for what is left). (The arithmetic is
  :func:`core.exposure.shortfall.lost_revenue`.)

Money is in US$ billions, years are calendar years.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from core.baseline import customer_path
from core.companies import company_library
from core.contracts import library_contracts
from core.validation import DealDeskInputError, check_choice, check_number, check_year, require_columns

__all__ = [
    "CUSTOMER_TERM_COLUMNS",
    "FUNDING_COLUMNS",
    "default_customer_terms",
    "default_funding",
    "funding_paths",
]

#: Columns of a funding table: one stated figure per row.
FUNDING_COLUMNS = ("customer", "year", "item", "value", "basis", "source", "confidence")
#: Columns of the customer terms table.
CUSTOMER_TERM_COLUMNS = ("customer", "revenue_share", "opening_cash", "growth_after", "volatility", "note")

#: Yearly log-growth volatility of a customer's revenue: analyst assumptions (no public distribution
#: exists): 30% for an AI lab, 10% for a diversified company.
_VOLATILITY = {"OpenAI": 0.30, "Anthropic": 0.30}
_DIVERSIFIED_VOLATILITY = 0.10
_TERMS_NOTE = (
    "analyst assumptions: all revenue may pay for compute (revenue_share 1, the counterparty coverage ratio's "
    "convention); no opening cash beyond stated funding (not in the gathered facts); growth after the target "
    "year as the customer's revenue path says; yearly log-growth volatility {vol:.0%} (no public distribution "
    "exists)"
)


def _customers(as_of: Any) -> list[str]:
    return list(dict.fromkeys(library_contracts(as_of)["customer"]))


@functools.lru_cache(maxsize=8)
def default_funding(as_of: dt.date | None = None) -> pd.DataFrame:
    """Each library customer's revenue path and the funding it raised, as public on ``as_of`` (default: all).

    The revenue rows are the two points of the customer's one revenue path
    (:func:`core.baseline.customer_path`: its newest reported year and its
    newest stated projection), so exposure, the model's counterparty section and
    the template read the same path; the funding rows are the company library's
    ``funding_raised``. Columns ``FUNDING_COLUMNS``. Read once per date; do not
    modify the table returned.

    >>> f = default_funding()
    >>> f[f["customer"] == "OpenAI"][["year", "item", "value"]].values.tolist()
    [[2025, 'revenue', 13.1], [2030, 'revenue', 280.0], [2026, 'funding', 122.0]]
    """
    library = company_library()
    rows = []
    for name in _customers(as_of):
        path = customer_path(name, as_of=as_of)
        start, target = path.sources["customer_revenue_start"], path.sources["customer_revenue_target"]
        rows.append((name, path.start_year, "revenue", path.start, "reported", start, _confidence(start)))
        rows.append(
            (name, path.target_year, "revenue", path.target, "projection", target, _confidence(target))
        )
        found = library.find(name)
        for figure in found.values("funding_raised", as_of=as_of) if found is not None else []:
            year = figure.as_of.year if figure.as_of else 0
            rows.append(
                (name, year, "funding", figure.value, figure.period, figure.describe(), figure.confidence)
            )
    return pd.DataFrame(rows, columns=list(FUNDING_COLUMNS))


def _confidence(source: str) -> str:
    for level in ("high", "medium", "low"):
        if f"confidence {level}" in source:
            return level
    return "analyst"


@functools.lru_cache(maxsize=8)
def default_customer_terms(as_of: dt.date | None = None) -> pd.DataFrame:
    """Customer terms that are not public, for every library customer: analyst assumptions, said so in
    ``note`` (columns ``CUSTOMER_TERM_COLUMNS``); ``growth_after`` is the revenue path's own.

    >>> default_customer_terms().set_index("customer").loc["OpenAI", ["revenue_share", "volatility"]].tolist()
    [1.0, 0.3]
    """
    rows = []
    for name in _customers(as_of):
        vol = _VOLATILITY.get(name, _DIVERSIFIED_VOLATILITY)
        growth = customer_path(name, as_of=as_of).growth_after
        rows.append((name, 1.0, 0.0, growth, vol, _TERMS_NOTE.format(vol=vol)))
    return pd.DataFrame(rows, columns=list(CUSTOMER_TERM_COLUMNS))


def _funding_table(funding: Any) -> pd.DataFrame:
    table = default_funding() if funding is None else pd.DataFrame(funding)
    require_columns("funding", table, ("customer", "year", "item", "value"))
    for _, row in table.iterrows():
        check_choice("funding item", row["item"], ("revenue", "funding"))
        check_year("funding year", row["year"])
        minimum, strict = (0.0, True) if row["item"] == "revenue" else (0.0, False)
        check_number(
            f"funding value ({row['customer']} {row['item']} {row['year']})",
            row["value"],
            minimum=minimum,
            strict_min=strict,
        )
    return table


def _terms_table(terms: Any) -> pd.DataFrame:
    table = default_customer_terms() if terms is None else pd.DataFrame(terms)
    require_columns("customer terms", table, CUSTOMER_TERM_COLUMNS[:-1])
    for _, row in table.iterrows():
        who = row["customer"]
        check_number(f"revenue_share ({who})", row["revenue_share"], minimum=0, maximum=1)
        check_number(f"opening_cash ({who})", row["opening_cash"], minimum=0)
        check_number(f"growth_after ({who})", row["growth_after"], minimum=-1, strict_min=True, maximum=10)
        check_number(f"volatility ({who})", row["volatility"], minimum=0, maximum=5)
    return table


def funding_paths(
    customers: Iterable[str], years: Iterable[int], *, funding: Any = None, terms: Any = None
) -> dict[str, pd.DataFrame]:
    """Customers' revenue and funding by year, on the conventions of this module.

    Parameters
    ----------
    customers : iterable of str
        Customer names (each needs at least one stated revenue year).
    years : iterable of int
        Calendar years wanted.
    funding : DataFrame, optional, keyword-only
        Stated figures, columns ``FUNDING_COLUMNS`` (``item`` "revenue" or
        "funding"; US$ bn); default :func:`default_funding`.
    terms : DataFrame, optional, keyword-only
        Customer terms, columns ``CUSTOMER_TERM_COLUMNS``; default
        :func:`default_customer_terms` (analyst assumptions). A customer without a
        row gets revenue_share 1, no opening cash, flat revenue, volatility 0.

    Returns
    -------
    dict
        ``"revenue"`` and ``"funding"``: DataFrames indexed by year, one
        column per customer (US$ bn); ``"terms"``: the terms, one row per customer.

    Examples
    --------
    OpenAI from $13.1B (2025) to $280B (2030) grows ×(280/13.1)^(1/5) a year, then holds:

    >>> p = funding_paths(["OpenAI"], range(2026, 2032))
    >>> p["revenue"]["OpenAI"].round(2).tolist()
    [24.17, 44.59, 82.26, 151.77, 280.0, 280.0]
    >>> p["funding"]["OpenAI"].tolist()
    [122.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    """
    table = _funding_table(funding)
    term_table = _terms_table(terms)
    wanted = np.array([check_year("years", y) for y in years], dtype=np.int64)
    names = list(customers)
    key = table["customer"].astype(str).str.strip().str.lower()
    term_key = term_table["customer"].astype(str).str.strip().str.lower()
    revenue, raised, rows = {}, {}, []
    for name in names:
        mine = table[key == name.strip().lower()]
        stated = mine[mine["item"] == "revenue"].groupby("year")["value"].sum().sort_index()
        if stated.empty:
            known = ", ".join(dict.fromkeys(table.loc[table["item"] == "revenue", "customer"]))
            raise DealDeskInputError(
                f"customer {name!r} must have a stated revenue path in funding (customers with one: {known})"
            )
        t = term_table[term_key == name.strip().lower()]
        term = (
            {c: float(t.iloc[0][c]) for c in CUSTOMER_TERM_COLUMNS[1:-1]}
            if not t.empty
            else {"revenue_share": 1.0, "opening_cash": 0.0, "growth_after": 0.0, "volatility": 0.0}
        )
        sy, sv = stated.index.to_numpy(dtype=float), np.log(stated.to_numpy(dtype=float))
        path = np.exp(np.interp(wanted.astype(float), sy, sv))
        after = wanted > sy[-1]
        path[after] = stated.iloc[-1] * (1.0 + term["growth_after"]) ** (wanted[after] - sy[-1])
        revenue[name] = path
        cash = mine[mine["item"] == "funding"].groupby("year")["value"].sum()
        raised[name] = cash.reindex(wanted, fill_value=0.0).to_numpy(dtype=float)
        rows.append({"customer": name, **term})
    index = pd.Index(wanted, name="year")
    return {
        "revenue": pd.DataFrame(revenue, index=index),
        "funding": pd.DataFrame(raised, index=index),
        "terms": pd.DataFrame(rows).set_index("customer"),
    }


def __getattr__(name: str) -> Any:
    """``DEFAULT_FUNDING`` and ``DEFAULT_CUSTOMER_TERMS``: the latest data's tables, read on first use."""
    if name == "DEFAULT_FUNDING":
        return default_funding()
    if name == "DEFAULT_CUSTOMER_TERMS":
        return default_customer_terms()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
