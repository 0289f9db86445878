"""Contracts by provider and customer: the portfolio, each contract's revenue by calendar year, the backlog.

The portfolio is a set of compute contracts (the deal library's, see
:func:`exposure_portfolio`, or any subset with an analyst's own rows added),
each scheduled as its own report schedules it (:mod:`core.contracts`: ramp,
realisation, delay, booking at signing) on one calendar (calendar years). A
library contract's revenue here is its report's revenue, year for year.

Analysis years run from ``as_of_year`` (default ``DEFAULT_AS_OF_YEAR``, 2026)
to the last year any contract earns; what was scheduled before ``as_of_year``
counts as paid. What a customer is expected to pay in a year is the
contract's realised revenue (:func:`commitments_by_year`). A provider's **AI
backlog** is its contracts' remaining performance obligation at the end of
the year before ``as_of_year`` (:func:`backlog_by_deal`): booked, less revenue
recognised, the commitment not used still in it until it lapses, as in the
deal's own backlog roll-forward.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from core.contracts import (
    CONTRACT_COLUMNS,
    TERM_COLUMNS,
    library_contracts,
    remaining_backlog,
    scheduled_revenue,
)
from core.validation import (
    DealDeskInputError,
    as_date,
    check_name,
    check_number,
    check_year,
    name_key,
    require_columns,
    table_rows,
)

__all__ = [
    "DEFAULT_AS_OF_YEAR",
    "backlog_by_deal",
    "backlog_shares",
    "commitments_by_year",
    "exposure_portfolio",
    "exposure_table",
    "portfolio_rows",
]

#: First analysis year: commitments before it count as paid.
DEFAULT_AS_OF_YEAR = 2026


def exposure_portfolio(
    customers: Iterable[str] | str | None = None,
    *,
    deals: Any = None,
    extra: Any = None,
    as_of: Any = None,
) -> pd.DataFrame:
    """Compute contracts of one or more customers, from the deal library plus an analyst's own rows.

    Parameters
    ----------
    customers : str or iterable of str, optional
        Customers to keep (as in the library's ``customer`` column); default
        every customer with a cloud compute contract of disclosed value.
    deals : path, DataFrame or None, keyword-only
        The library (see :func:`core.deals.load_deals`); default the shipped one.
    extra : DataFrame or list of mappings, keyword-only
        Analyst rows added to the portfolio: ``deal``, ``provider``,
        ``customer``, ``value`` (US$ bn), ``start`` (date), ``term_years``,
        and optionally their schedule terms (``core.contracts.TERM_COLUMNS``;
        without them, a straight line fully realised).
    as_of : date, keyword-only
        Build the library's contracts from the figures public on this day (default: all).

    Returns
    -------
    pandas.DataFrame
        Columns ``core.contracts.CONTRACT_COLUMNS``; analyst rows say
        "analyst row" in ``assumption``.

    Raises
    ------
    DealDeskInputError
        An unknown customer, a repeated deal name or a bad analyst row.

    Examples
    --------
    >>> p = exposure_portfolio()
    >>> sorted(set(p["customer"]))
    ['Anthropic', 'Meta', 'Microsoft', 'OpenAI']
    >>> exposure_portfolio("OpenAI")["provider"].tolist()
    ['Amazon (AWS)', 'Amazon (AWS)', 'Microsoft (Azure)', 'Oracle', 'CoreWeave', 'CoreWeave', 'CoreWeave']
    """
    library = library_contracts(None if as_of is None else as_date("as_of", as_of), deals=deals)
    known = list(dict.fromkeys(library["customer"]))
    if customers is None:
        names = known
    else:
        names = [customers] if isinstance(customers, str) else list(customers)
        keyed = {name_key(k): k for k in known}
        for name in names:
            if not isinstance(name, str) or name_key(check_name("customers", name)) not in keyed:
                raise DealDeskInputError(
                    f"customers must be customers with a compute contract in the library "
                    f"({', '.join(known)}); got {name!r}"
                )
        names = [keyed[name_key(n)] for n in names]
    frames = [library[library["customer"] == name] for name in names]
    if extra is not None:
        frames.append(_extra_rows(extra))
    if not frames:
        raise DealDeskInputError(f"customers must name at least one customer, got {customers!r}")
    table = pd.concat(frames, ignore_index=True)
    twice = table["deal"][table["deal"].duplicated()]
    if not twice.empty:
        raise DealDeskInputError(f"portfolio deal names must be unique, got {twice.iloc[0]!r} twice")
    return table


def _extra_rows(extra: Any) -> pd.DataFrame:
    rows = table_rows("extra", extra, "a table of analyst rows (DataFrame or list of mappings)")
    out = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            raise DealDeskInputError(f"extra row {number} must be a mapping of column -> value, got {row!r}")
        missing = [
            c for c in ("deal", "provider", "customer", "value", "start", "term_years") if c not in row
        ]
        if missing:
            raise DealDeskInputError(
                f"extra row {number} must have deal, provider, customer, value, start, term_years; missing {', '.join(missing)}"
            )
        for column in ("deal", "provider", "customer"):
            if not isinstance(row[column], str) or not row[column].strip():
                raise DealDeskInputError(
                    f"extra row {number}: {column} must be a non-empty name, got {row[column]!r}"
                )
        out.append(
            {
                "deal": row["deal"].strip(),
                "provider": row["provider"].strip(),
                "customer": row["customer"].strip(),
                "value": check_number(f"extra row {number}: value", row["value"], minimum=0, strict_min=True),
                "start": as_date(f"extra row {number}: start", row["start"]),
                "term_years": check_number(
                    f"extra row {number}: term_years", row["term_years"], minimum=0, strict_min=True
                ),
                "start_assumed": False,
                "term_assumed": False,
                "status": str(row.get("status", "analyst")),
                "assumption": "analyst row",
                **{name: row[name] for name in TERM_COLUMNS if name in row},
            }
        )
    return pd.DataFrame(out, columns=list(CONTRACT_COLUMNS))


def portfolio_rows(portfolio: Any, customers: Any = None) -> pd.DataFrame:
    """The contracts every exposure function works on: ``portfolio`` checked, or the library's.

    ``portfolio`` (a DataFrame or list of mappings) must have ``deal``, ``provider``,
    ``customer``, ``value``, ``start`` and ``term_years`` and unique deal names; without
    it, :func:`exposure_portfolio` of ``customers`` (give one or the other, not both).

    >>> portfolio_rows([{"deal": "A", "provider": "P", "customer": "C", "value": 5}])
    Traceback (most recent call last):
    core.validation.DealDeskInputError: portfolio must have deal, provider, customer, value, start, term_years; missing start, term_years
    """
    if customers is not None and portfolio is not None:
        raise DealDeskInputError("give customers (library contracts) or a portfolio, not both")
    if portfolio is None:
        return exposure_portfolio(customers)
    if isinstance(portfolio, pd.DataFrame):
        rows = portfolio
    else:
        rows = pd.DataFrame(list(portfolio)) if isinstance(portfolio, Iterable) else None
    if rows is None or rows.empty:
        raise DealDeskInputError(f"portfolio must be a table with at least one contract, got {portfolio!r}")
    require_columns("portfolio", rows, ("deal", "provider", "customer", "value", "start", "term_years"))
    twice = rows["deal"][rows["deal"].duplicated()]
    if not twice.empty:
        raise DealDeskInputError(f"portfolio deal names must be unique, got {twice.iloc[0]!r} twice")
    return rows.reset_index(drop=True)


def commitments_by_year(
    portfolio: Any = None, *, profile: str = "straight", **profile_params: Any
) -> pd.DataFrame:
    """Each contract's revenue by calendar year (US$ bn): one row per deal, one column per year.

    Parameters
    ----------
    portfolio : DataFrame or list of mappings, optional
        Contracts with ``deal``, ``provider``, ``customer``, ``value``,
        ``start``, ``term_years``, each on its own schedule terms where it has
        them (``core.contracts.TERM_COLUMNS``); default :func:`exposure_portfolio`.
    profile : str, keyword-only
        Revenue shape of the contracts without terms of their own
        (``core.conventions.PROFILES``), with its ``profile_params``; default the
        straight line.

    Returns
    -------
    pandas.DataFrame
        Index ``deal``; columns the calendar years from the first start to
        the last end (int), 0 where a contract does not earn: the revenue the
        customer is expected to pay (realisation applied).

    Examples
    --------
    An analyst's straight-line row of $10B over 2 years from 2026-01-01 (730 days): 365 in each year.

    >>> row = {"deal": "A", "provider": "P", "customer": "C", "value": 10, "start": "2026-01-01", "term_years": 2}
    >>> commitments_by_year([row]).loc["A"].round(9).tolist()
    [5.0, 5.0]
    """
    rows = portfolio_rows(portfolio)
    series = {}
    for _, row in rows.iterrows():
        record = {k: v for k, v in row.items() if not _blank(v)}
        if "profile" not in record:  # no terms of its own: the shape given here
            record.update(profile=profile, **profile_params)
        series[row["deal"]] = scheduled_revenue(record, fiscal_year_end=12)
    wide = pd.DataFrame(series).T
    wide = wide.reindex(columns=np.arange(wide.columns.min(), wide.columns.max() + 1)).fillna(0.0)
    wide.index.name = "deal"
    return wide


def backlog_by_deal(portfolio: Any, as_of_year: int = DEFAULT_AS_OF_YEAR) -> pd.Series:
    """What each contract still owes from ``as_of_year`` on (US$ bn, by deal): its backlog (RPO) at the
    end of the year before, as its own roll-forward has it (:func:`core.contracts.remaining_backlog`:
    booked at signing, less revenue recognised by then; the commitment not used stays in until it
    lapses), or its whole value when it is signed later.

    >>> b = backlog_by_deal(exposure_portfolio("OpenAI"))
    >>> round(float(b["AWS–OpenAI"]), 2), float(b["Oracle–OpenAI"])
    (37.94, 300.0)
    """
    rows = portfolio_rows(portfolio)
    year = check_year("as_of_year", as_of_year)
    end = dt.date(year - 1, 12, 31)
    values = []
    for _, row in rows.iterrows():
        record = {k: v for k, v in row.items() if not _blank(v)}
        booked = as_date("booked_on", record.get("booked_on", record["start"]))
        record["booked_on"] = min(booked, end)  # signed later: counted as if in backlog already
        values.append(remaining_backlog(record, end))
    return pd.Series(values, index=pd.Index(rows["deal"], name="deal"), name="backlog", dtype=float)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def exposure_table(
    portfolio: Any = None,
    *,
    customers: Iterable[str] | str | None = None,
    as_of_year: int = DEFAULT_AS_OF_YEAR,
    profile: str = "straight",
    **profile_params: Any,
) -> pd.DataFrame:
    """Provider × customer AI backlog: each customer's remaining contracts with each provider at the
    end of the year before ``as_of_year`` (:func:`backlog_by_deal`).

    Parameters
    ----------
    portfolio : DataFrame or list of mappings, optional
        Contracts (see :func:`commitments_by_year`); default :func:`exposure_portfolio`.
    customers : str or list of str, keyword-only
        Without ``portfolio``: the library's contracts of these customers (default all).
    as_of_year : int, keyword-only
        First year analysed: the backlog is taken at the end of the year before.
    profile : str, keyword-only
        Revenue shape of contracts without schedule terms of their own, with ``profile_params``.

    Returns
    -------
    pandas.DataFrame
        ``provider``, then one column per customer (US$ bn) and ``total``.

    Examples
    --------
    Oracle's reported ~$300B from OpenAI was booked at signing (2025-09) and starts earning in 2027,
    so all of it is backlog at the end of 2025:

    >>> t = exposure_table().set_index("provider")
    >>> round(float(t.loc["Oracle", "OpenAI"]), 6)
    300.0
    """
    # A sheet asks for many cells of one table: the library's table once per set of arguments
    # (customers named by a list are not cached: the refusal of a bad one quotes the list as given).
    if portfolio is None and (customers is None or isinstance(customers, str)):
        key = (customers, as_of_year, profile, tuple(sorted(profile_params.items())))
        try:
            hash(key)
        except TypeError:
            pass
        else:
            return _cached_library_table(*key).copy()
    return _exposure_table(portfolio, customers, as_of_year, profile, profile_params)


def _exposure_table(
    portfolio: Any, customers: Any, as_of_year: Any, profile: str, profile_params: Mapping[str, Any]
) -> pd.DataFrame:
    rows = portfolio_rows(portfolio, customers)
    year = check_year("as_of_year", as_of_year)
    if "profile" not in rows.columns:
        rows = rows.assign(profile=profile, **profile_params)
    backlog = backlog_by_deal(rows, year)
    keyed = rows.set_index("deal")
    table = pd.DataFrame(
        {
            "provider": keyed["provider"],
            "customer": keyed["customer"],
            "backlog": backlog.reindex(keyed.index),
        }
    ).pivot_table(
        index="provider", columns="customer", values="backlog", aggfunc="sum", fill_value=0.0, sort=False
    )
    table = table.reindex(
        index=list(dict.fromkeys(rows["provider"])), columns=list(dict.fromkeys(rows["customer"]))
    )
    table = table.fillna(0.0).astype(float)
    table.columns.name = None
    table["total"] = table.sum(axis=1)
    table.index.name = "provider"
    return table.reset_index()


@functools.lru_cache(maxsize=8)
def _cached_library_table(customers: Any, as_of_year: Any, profile: str, params: tuple) -> pd.DataFrame:
    return _exposure_table(None, customers, as_of_year, profile, dict(params))


def backlog_shares(
    customer: str = "OpenAI", portfolio: Any = None, *, as_of_year: int = DEFAULT_AS_OF_YEAR
) -> pd.DataFrame:
    """Each provider's share of one customer's backlog, and that backlog by year (its revenue at risk).

    Returns
    -------
    pandas.DataFrame
        Index ``provider``; ``backlog`` (US$ bn, :func:`backlog_by_deal`),
        ``share`` (of the customer's total backlog, fraction), then one column
        per year from ``as_of_year``: the revenue the customer is expected to pay the provider.

    Examples
    --------
    >>> s = backlog_shares("OpenAI")
    >>> round(float(s["share"].sum()), 12)
    1.0
    """
    rows = portfolio_rows(portfolio)
    year = check_year("as_of_year", as_of_year)
    mine = rows[rows["customer"].str.lower() == str(customer).strip().lower()]
    if mine.empty:
        raise DealDeskInputError(
            f"customer must be a customer of the portfolio ({', '.join(dict.fromkeys(rows['customer']))}), got {customer!r}"
        )
    wide = commitments_by_year(mine)
    wide = wide.loc[:, wide.columns >= year]
    providers = mine.set_index("deal")["provider"]
    by_provider = wide.groupby(providers, sort=False).sum()
    by_provider.index.name = "provider"
    out = pd.DataFrame({"backlog": backlog_by_deal(mine, year).groupby(providers, sort=False).sum()})
    out["share"] = out["backlog"] / out["backlog"].sum()
    return pd.concat([out, by_provider], axis=1)
