"""Counterparty strain: can the customer's revenue carry all of its compute commitments?

The customer's revenue follows a geometric path from a start value in a start
year to a target in a target year (the reference case: OpenAI from ~$3.5B to
~$50B by 2027, about 14x; the article's framing). Its commitments are the sum of
the revenue schedules of all its contracts (a portfolio of deals, each
scheduled with :func:`core.schedule.contract_schedule`, annual, on one fiscal
calendar). By fiscal year:

* coverage ratio = revenue ÷ commitments (1.0 = revenue just equals the year's
  contracted spend);
* funding gap = commitments − revenue (money; positive = spend that revenue
  does not cover);
* required growth = commitments ÷ revenue − 1: how much higher revenue would
  have to be than the path for it to cover that year's commitments (0.25 = 25%
  higher; negative when revenue already covers them).

So ``coverage_ratio × commitments = revenue`` and
``revenue × (1 + required_growth) = commitments`` hold row by row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from core.baseline import customer_revenue_path, required_cagr
from core.contracts import customer_contracts, scheduled_revenue
from core.validation import DealDeskInputError, table_rows

__all__ = [
    "COVERAGE_COLUMNS",
    "required_cagr",
    "customer_revenue_path",
    "commitment_schedule",
    "coverage",
    "counterparty_coverage",
]

#: Columns of a coverage table.
COVERAGE_COLUMNS = ["year", "revenue", "commitments", "coverage_ratio", "funding_gap", "required_growth"]


def _portfolio_rows(portfolio: Any) -> list[Mapping[str, Any]]:
    rows = table_rows(
        "portfolio", portfolio, "a table (DataFrame or list of rows) with deal, value, start, term_years"
    )
    if not rows:
        raise DealDeskInputError("portfolio must hold at least one deal, got none")
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            raise DealDeskInputError(
                f"portfolio row {number} must be a mapping of column -> value, got {row!r}"
            )
        missing = [c for c in ("value", "start", "term_years") if c not in row]
        if missing:
            raise DealDeskInputError(
                f"portfolio row {number} must have value, start and term_years; missing {', '.join(missing)}"
            )
    return rows


def commitment_schedule(
    portfolio: Any,
    *,
    profile: str = "straight",
    fiscal_year_end: int = 12,
    **profile_params: Any,
) -> pd.DataFrame:
    """Annual spend of a customer's commitments: each deal's schedule, summed by fiscal year.

    Parameters
    ----------
    portfolio : DataFrame or list of mappings
        One row per deal with ``value`` (money), ``start`` (date) and
        ``term_years``; ``deal`` (a name) is optional. A row with its own
        schedule terms (``core.contracts.TERM_COLUMNS``: profile, ramp,
        realisation, delay) is scheduled by them, as
        :func:`core.contracts.library_contracts` builds the library's.
    profile : str, keyword-only
        Revenue shape of the rows without their own terms (``core.conventions.PROFILES``),
        with its ``profile_params``; default the straight line.
    fiscal_year_end : int, keyword-only
        Month in which the customer's fiscal year ends (default 12).

    Returns
    -------
    pandas.DataFrame
        ``year`` (int), one column per deal (its spend that year, money) and
        ``commitments`` (their sum); one row per year from the first start to
        the last end.

    Examples
    --------
    Two straight-line deals of $10B over 2 years from 1 January, a year apart:
    $5B, then $5B + $5B, then $5B (2025-2027 have 365 days each).

    >>> deals = [{"deal": "A", "value": 10, "start": "2025-01-01", "term_years": 2},
    ...          {"deal": "B", "value": 10, "start": "2026-01-01", "term_years": 2}]
    >>> commitment_schedule(deals)["commitments"].round(9).tolist()
    [5.0, 10.0, 5.0]
    """
    rows = _portfolio_rows(portfolio)
    columns: dict[str, pd.Series] = {}
    for number, row in enumerate(rows, start=1):
        name = str(row.get("deal") or f"deal {number}")
        if name in columns:
            raise DealDeskInputError(f"portfolio deal names must be unique, got {name!r} twice")
        own_terms = row.get("profile") is not None and not (isinstance(row.get("profile"), float))
        shaped = dict(row) if own_terms else {**row, "profile": profile, **profile_params}
        columns[name] = scheduled_revenue({**shaped, "deal": name}, fiscal_year_end=fiscal_year_end)
    wide = pd.DataFrame(columns)
    wide = wide.reindex(np.arange(wide.index.min(), wide.index.max() + 1)).fillna(0.0)
    wide["commitments"] = wide.sum(axis=1)
    wide.index.name = "year"
    return wide.reset_index()


def coverage(revenue_path: pd.Series, commitments: Any) -> pd.DataFrame:
    """Revenue against commitments by year: coverage ratio, funding gap, required growth.

    Parameters
    ----------
    revenue_path : pandas.Series
        Customer revenue (money) indexed by year, e.g. from
        :func:`customer_revenue_path`; must hold every commitment year; > 0.
    commitments : pandas.Series or DataFrame
        Spend (same money unit) indexed by year, or the table of
        :func:`commitment_schedule` (its ``year`` and ``commitments`` columns).
        Years with no commitments are left out of the result, and so are years
        whose spend is too small to divide revenue by (the ratio overflows).

    Returns
    -------
    pandas.DataFrame
        Columns ``COVERAGE_COLUMNS``: ``year``, ``revenue``, ``commitments``,
        ``coverage_ratio`` (revenue ÷ commitments), ``funding_gap``
        (commitments − revenue, money) and ``required_growth``
        (commitments ÷ revenue − 1, a fraction).

    Raises
    ------
    DealDeskInputError
        Revenue missing for a commitment year, non-positive revenue, negative
        commitments, or no commitments at all.

    Examples
    --------
    $50B of revenue against $100B of spend covers half of it; revenue would
    have to double (required growth 1.0) to cover it:

    >>> revenue = pd.Series([50.0], index=[2027])
    >>> coverage(revenue, pd.Series([100.0], index=[2027])).iloc[0].tolist()
    [2027.0, 50.0, 100.0, 0.5, 50.0, 1.0]
    """
    spend = _commitment_series(commitments)
    if not isinstance(revenue_path, pd.Series):
        raise DealDeskInputError(
            f"revenue_path must be a pandas Series of revenue indexed by year, got {type(revenue_path).__name__}"
        )
    revenue = pd.Series(
        pd.to_numeric(revenue_path, errors="coerce").to_numpy(dtype=float),
        index=_year_index("revenue_path", revenue_path.index),
    )
    spend = spend[spend > 0]
    if spend.empty:
        raise DealDeskInputError("commitments must be positive in at least one year, got none")
    missing = [int(y) for y in spend.index if y not in revenue.index]
    if missing:
        raise DealDeskInputError(
            f"revenue_path must cover every commitment year ({spend.index.min()}..{spend.index.max()}); "
            f"missing {', '.join(str(y) for y in missing)}"
        )
    rev = revenue.loc[spend.index].to_numpy(dtype=float)
    if not np.all(np.isfinite(rev)) or np.any(rev <= 0):
        raise DealDeskInputError(
            f"revenue_path must be positive numbers in every commitment year, got {rev.tolist()!r}"
        )
    spent = spend.to_numpy(dtype=float)
    with np.errstate(all="ignore"):
        ratio, growth = rev / spent, spent / rev - 1.0
    # A spend too small to divide revenue by (a contract realised at a subnormal share) is no spend.
    kept = ~np.isinf(ratio) | ~np.isfinite(growth)
    if not kept.all():
        spend, rev, spent, ratio, growth = spend[kept], rev[kept], spent[kept], ratio[kept], growth[kept]
        if spend.empty:
            raise DealDeskInputError("commitments must be positive in at least one year, got none")
    if not (np.all(np.isfinite(ratio)) and np.all(np.isfinite(growth))):
        raise DealDeskInputError(
            "revenue_path and commitments are too extreme: a coverage ratio or required growth overflows"
        )
    return pd.DataFrame(
        {
            "year": spend.index.to_numpy(dtype=np.int64),
            "revenue": rev,
            "commitments": spent,
            "coverage_ratio": ratio,
            "funding_gap": spent - rev,
            "required_growth": growth,
        },
        columns=COVERAGE_COLUMNS,
    )


def _year_index(name: str, index: pd.Index) -> pd.Index:
    try:
        years = np.asarray(index, dtype=float)
    except (TypeError, ValueError):
        raise DealDeskInputError(f"{name} must be indexed by whole years, got {list(index)[:5]!r}") from None
    if years.size and (not np.all(np.isfinite(years)) or np.any(years != np.round(years))):
        raise DealDeskInputError(f"{name} must be indexed by whole years, got {list(index)[:5]!r}")
    if pd.Index(years).has_duplicates:
        raise DealDeskInputError(f"{name} must have each year once, got duplicates in {list(index)[:5]!r}")
    return pd.Index(years.astype(np.int64), name="year")


def _commitment_series(commitments: Any) -> pd.Series:
    if isinstance(commitments, pd.DataFrame):
        if not {"year", "commitments"} <= set(commitments.columns):
            raise DealDeskInputError(
                "commitments must be a Series indexed by year or a table with year and commitments columns, "
                f"got columns {list(commitments.columns)!r}"
            )
        commitments = pd.Series(commitments["commitments"].to_numpy(), index=commitments["year"].to_numpy())
    if not isinstance(commitments, pd.Series):
        raise DealDeskInputError(
            f"commitments must be a pandas Series indexed by year, got {type(commitments).__name__}"
        )
    values = pd.to_numeric(commitments, errors="coerce").to_numpy(dtype=float)
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise DealDeskInputError(f"commitments must be finite numbers >= 0, got {values.tolist()[:8]!r}")
    return pd.Series(values, index=_year_index("commitments", commitments.index)).sort_index()


def counterparty_coverage(
    start_revenue: float,
    target_revenue: float,
    *,
    start_year: int,
    target_year: int,
    customer: str = "OpenAI",
    portfolio: Any = None,
    growth_after: float = 0.0,
    profile: str = "straight",
    fiscal_year_end: int = 12,
    **profile_params: Any,
) -> pd.DataFrame:
    """The whole counterparty view in one call: revenue path, commitments of a portfolio, coverage.

    Parameters
    ----------
    start_revenue, target_revenue, start_year, target_year, growth_after
        The revenue path (see :func:`customer_revenue_path`).
    customer : str, keyword-only
        Customer whose deals form the portfolio when ``portfolio`` is not given.
    portfolio : DataFrame or list of mappings, keyword-only
        Deals (``value``, ``start``, ``term_years``, optionally their schedule terms); default
        the library contracts of ``customer`` as their reports schedule them
        (:func:`core.contracts.library_contracts`).
    profile, fiscal_year_end, **profile_params
        Schedule shape of every deal (see :func:`commitment_schedule`).

    Returns
    -------
    pandas.DataFrame
        The :func:`coverage` table over every commitment year.

    Examples
    --------
    OpenAI's disclosed commitments (AWS and its expansion, Microsoft, Oracle, CoreWeave), each on its own schedule,
    against the article's $3.5B (2025) growing to $50B (2027), flat after: short of cover in 2028.

    >>> t = counterparty_coverage(3.5, 50, start_year=2025, target_year=2027).set_index("year")
    >>> round(float(t.loc[2028, "commitments"]), 2), round(float(t.loc[2028, "coverage_ratio"]), 3)
    (132.57, 0.377)
    """
    deals = portfolio
    if deals is None:
        deals = customer_contracts(customer)
    spend = commitment_schedule(deals, profile=profile, fiscal_year_end=fiscal_year_end, **profile_params)
    years = spend.loc[spend["commitments"] > 0, "year"].tolist()
    revenue = customer_revenue_path(
        start_revenue,
        target_revenue,
        start_year=start_year,
        target_year=target_year,
        years=years,
        growth_after=growth_after,
    )
    try:
        return coverage(revenue, spend)
    except DealDeskInputError as error:
        # Name the arguments of this function, not those of the inner call.
        raise DealDeskInputError(
            f"start_revenue and target_revenue against the commitments: {error}"
        ) from None
