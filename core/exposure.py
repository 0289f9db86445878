"""Portfolio exposure: if a customer cannot pay for all its compute, which provider loses how much, and when?

The portfolio is a set of compute contracts (the deal library's, see
:func:`exposure_portfolio`, or any subset with an analyst's own rows added),
each a yearly revenue schedule on one calendar (calendar years, from
:func:`core.schedule.contract_schedule`). Each customer pays its commitments
from a **funding path**: its revenue path plus the funding it has raised. Both
are inputs with their sources (``DEFAULT_FUNDING``, from public reporting);
the customer terms that are not public are **analyst assumptions** and say so
(``DEFAULT_CUSTOMER_TERMS``).

Conventions, stated once:

* Analysis years run from ``as_of_year`` (default 2026) to the last year any
  contract earns; what was scheduled before ``as_of_year`` counts as paid. A
  provider's **AI backlog** is what the portfolio still owes it from
  ``as_of_year`` on (US$ bn).
* Revenue between stated years is geometric (constant growth from one stated
  year to the next); before the first stated year it equals the first; after
  the last it grows at the customer's ``growth_after`` (default 0: flat).
* In year t the customer can pay ``revenue_share × revenue_t`` plus a cash
  pool: funding stated for year t joins the pool at the start of the year
  (``opening_cash`` is the pool on 1 January of ``as_of_year``), the pool
  covers what revenue does not, and unused cash carries forward (no
  interest). Revenue beyond the year's commitments does not carry forward;
  funding stated for years before ``as_of_year`` counts as spent on them
  (give ``opening_cash`` for what is left).
* The **shortfall** of year t is commitments − what the customer can pay
  (never below 0). What is not paid is lost to the provider (revenue of that
  year and backlog for good); later years' contracts carry on. The rule that
  spreads a shortfall over the customer's contracts is selectable
  (``SHORTFALL_RULES``):

  - ``pro_rata``: every contract loses the same share of its year's amount;
  - ``seniority``: contracts are paid in order of start date, earliest
    first (ties in portfolio order), so the latest contract loses first;
  - ``priority``: an analyst's order of providers (or deals); contracts not
    named follow in seniority order.

* Effect on a provider (:func:`provider_effect`): its segment revenue path is
  ``base_revenue × (1 + growth)^(t − base_year)`` and includes the contracted
  revenue; a loss ``L_t`` lowers revenue by ``L_t`` and operating profit by
  ``L_t × (1 − avoidable_cost_share)`` (capacity is built and depreciates
  whether or not the customer pays; power and other operating costs that scale
  with revenue are avoided, as in the cost stack).
* Monte Carlo (:func:`simulate_exposure`): each customer's revenue path is
  multiplied by ``exp(σ × (z_1 + … + z_t))``, a lognormal random walk with
  median on the stated path; ``z`` are standard normals, correlated between
  customers through the Cholesky factor of ``correlation`` (a Gaussian copula).
  Draw ``i`` comes from block ``i // BLOCK_DRAWS`` of a generator seeded with
  ``SeedSequence(seed, spawn_key=(block,))``, and each block is evaluated and
  summed alone, so results are bit for bit the same whatever the chunk size,
  threads, or executor (a Dask cluster included).

Money is in US$ billions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd

from core.assumptions import Assumptions
from core.deals import PORTFOLIO_COLUMNS, default_portfolio, load_deals
from core.schedule import contract_schedule, fiscal_year_end_date
from core.validation import MAX_DRAWS as _MAX_DRAWS
from core.validation import (
    DealDeskInputError,
    as_date,
    check_choice,
    check_draws,
    check_name,
    check_number,
    check_year,
    name_key,
    table_rows,
)

__all__ = [
    "BLOCK_DRAWS",
    "CUSTOMER_TERM_COLUMNS",
    "DEFAULT_AS_OF_YEAR",
    "DEFAULT_CUSTOMER_TERMS",
    "DEFAULT_FUNDING",
    "DEFAULT_PROVIDER_FIGURES",
    "EXPOSURE_COLUMNS",
    "FUNDING_COLUMNS",
    "MAX_DRAWS",
    "PROVIDER_COLUMNS",
    "RISK_COLUMNS",
    "SHORTFALL_RULES",
    "ExposureResult",
    "avoidable_cost_share",
    "backlog_shares",
    "commitments_by_year",
    "exposure_portfolio",
    "exposure_risk",
    "exposure_summary",
    "exposure_table",
    "funding_paths",
    "outsized_providers",
    "provider_effect",
    "shortfall_losses",
    "simulate_exposure",
]

#: Rules that spread a customer's shortfall over its contracts.
SHORTFALL_RULES = ("pro_rata", "seniority", "priority")
#: First analysis year: commitments before it count as paid.
DEFAULT_AS_OF_YEAR = 2026
#: Draws per random block: the unit in which random numbers are drawn and summed.
BLOCK_DRAWS = 4_096
#: Most draws one run may ask for: the one limit of every Monte Carlo,
#: ``core.validation.MAX_DRAWS`` (raise it with the environment variable DEALDESK_MAX_DRAWS).
MAX_DRAWS = _MAX_DRAWS

#: Columns of a funding table: one stated figure per row.
FUNDING_COLUMNS = ("customer", "year", "item", "value", "basis", "source", "confidence")
#: Columns of the customer terms table.
CUSTOMER_TERM_COLUMNS = ("customer", "revenue_share", "opening_cash", "growth_after", "volatility", "note")
#: Columns of the provider figures table.
PROVIDER_COLUMNS = ("provider", "base_revenue", "base_margin", "base_year", "growth", "source")
#: Columns of :func:`exposure_risk` (the summary at the default percentiles 50, 95, 99).
RISK_COLUMNS = (
    "provider",
    "ai_backlog",
    "mean_at_risk",
    "p50_at_risk",
    "p95_at_risk",
    "p99_at_risk",
    "mean_share_of_backlog",
    "p_loss_above_threshold",
    "top_customer",
)
#: Columns of :func:`shortfall_losses`.
EXPOSURE_COLUMNS = ("deal", "provider", "customer", "year", "committed", "paid", "lost")

_F = FUNDING_COLUMNS
#: Customers' revenue (calendar years, US$ bn) and funding raised, from public reporting
#: (period, source and confidence as reported; "unconfirmed" kept).
DEFAULT_FUNDING = pd.DataFrame(
    [
        (
            "OpenAI",
            2024,
            "revenue",
            3.7,
            "reported",
            "The Information/FT via Coincentral 2025-09-30",
            "medium",
        ),
        (
            "OpenAI",
            2025,
            "revenue",
            13.1,
            "reported (FT leak), unconfirmed",
            "FT via PromptGenius 2026-06-18",
            "low",
        ),
        ("OpenAI", 2026, "revenue", 30.0, "projection, unconfirmed", "altcoinbeat", "low"),
        ("OpenAI", 2027, "revenue", 62.0, "projection, unconfirmed", "altcoinbeat", "low"),
        (
            "OpenAI",
            2030,
            "revenue",
            200.0,
            "projection (Sept 2025)",
            "The Information via TechSpot 2025-09-09",
            "medium",
        ),
        (
            "OpenAI",
            2026,
            "funding",
            122.0,
            "closed 2026-03-31 ($852B post-money)",
            "MangoPeople; LearnAIForge",
            "medium",
        ),
        (
            "Anthropic",
            2025,
            "revenue",
            4.7,
            "projection (Nov 2025)",
            "The Information via The Decoder 2025-11-09",
            "medium",
        ),
        (
            "Anthropic",
            2026,
            "revenue",
            15.2,
            "projection (Nov 2025)",
            "The Information via The Decoder 2025-11-09",
            "medium",
        ),
        (
            "Anthropic",
            2027,
            "revenue",
            38.9,
            "projection (Nov 2025)",
            "The Information via The Decoder 2025-11-09",
            "medium",
        ),
        (
            "Anthropic",
            2028,
            "revenue",
            70.0,
            "projection (Nov 2025)",
            "The Information via The Decoder 2025-11-09",
            "medium",
        ),
        (
            "Anthropic",
            2026,
            "funding",
            30.0,
            "Series G at $380B post, 2026-02-12",
            "as reported (GIC, Coatue)",
            "medium",
        ),
        (
            "Microsoft",
            2025,
            "revenue",
            281.7,
            "reported for the fiscal year to June 2025, used for calendar 2025 (analyst assumption)",
            "Microsoft FY25 release 2025-07-30",
            "high",
        ),
        ("Meta", 2025, "revenue", 200.97, "reported", "Meta release 2026-01-28", "high"),
    ],
    columns=list(_F),
)

_LAB = (
    "analyst assumptions: all revenue may pay for compute (revenue_share 1, the counterparty coverage "
    "ratio's convention); no cash on 2026-01-01 beyond stated funding (not in the gathered facts); "
    "revenue flat after the last stated year; yearly log-growth volatility 30% (no public "
    "distribution exists)"
)
_HYPERSCALER = (
    "analyst assumptions: all revenue may pay for compute; no opening cash; revenue flat after the last "
    "reported year; yearly log-growth volatility 10% (a diversified company; no public distribution exists)"
)
#: Customer terms not in public reporting: all analyst assumptions, said so in ``note``.
DEFAULT_CUSTOMER_TERMS = pd.DataFrame(
    [
        ("OpenAI", 1.0, 0.0, 0.0, 0.30, _LAB),
        ("Anthropic", 1.0, 0.0, 0.0, 0.30, _LAB),
        ("Microsoft", 1.0, 0.0, 0.0, 0.10, _HYPERSCALER),
        ("Meta", 1.0, 0.0, 0.0, 0.10, _HYPERSCALER),
    ],
    columns=list(CUSTOMER_TERM_COLUMNS),
)


def _aws_figures() -> pd.DataFrame:
    a = Assumptions()
    return pd.DataFrame(
        [
            (
                "Amazon (AWS)",
                a.base_revenue,
                a.base_margin,
                a.signing_date.year - 1,  # the model's base: the last full year before signing
                0.20,
                "AWS revenue and operating margin of the model's base year (model defaults); growth "
                "+20% as in 2025 (Amazon release 2026-02-05), held flat forward: analyst assumption",
            )
        ],
        columns=list(PROVIDER_COLUMNS),
    )


def _last_full_fiscal_year(day: dt.date, fiscal_year_end: int) -> int:
    """The last fiscal year (labelled by the calendar year it ends in) that ended before ``day``.

    A deal signed on a fiscal year's last day falls inside that year, so the year before
    is the last full one. Oracle's year ends in May:

    >>> _last_full_fiscal_year(dt.date(2025, 9, 10), 5), _last_full_fiscal_year(dt.date(2025, 5, 31), 5)
    (2025, 2024)
    """
    year_end = fiscal_year_end_date(day.year, fiscal_year_end)
    return day.year if day > year_end else day.year - 1


def _library_figures() -> pd.DataFrame:
    """AWS's figures, then each other provider's from its first modelled compute deal in the library.

    A deal's inputs (:func:`core.deals.deal_terms`) carry its provider's own segment (or
    company) revenue and operating margin of the last full fiscal year before the deal.
    Growth from that year is held flat (an analyst assumption: no forecast is public), as the
    model's margin section holds the base. A provider whose revenue is not public (Nscale's
    US$1M placeholder) gets no row: its effects stay blank.
    """
    from core.deals import deal_assumptions, unmodelled_deals

    rows = [tuple(r) for r in _aws_figures().itertuples(index=False)]
    seen = {rows[0][0]}
    library = load_deals()
    skipped = set(unmodelled_deals()["deal"]) if len(unmodelled_deals()) else set()
    for deal, provider in zip(library["deal"], library["provider"], strict=True):
        if provider in seen or deal in skipped:
            continue
        seen.add(provider)
        a = deal_assumptions(deal)
        if a.base_revenue <= 0.001:  # not public: no figures rather than a placeholder's
            continue
        base_year = _last_full_fiscal_year(a.signing_date, a.fiscal_year_end)
        rows.append(
            (
                provider,
                a.base_revenue,
                a.base_margin,
                base_year,
                0.0,
                f"{provider} revenue and operating margin of its last full fiscal year before {deal} "
                "(company library, via core.deals.deal_terms); held flat forward: analyst assumption",
            )
        )
    return pd.DataFrame(rows, columns=list(PROVIDER_COLUMNS))


#: Providers' segment figures (US$ bn, fraction): AWS's from the model defaults, the other
#: library providers' from the company library (see :func:`_library_figures`).
DEFAULT_PROVIDER_FIGURES = _library_figures()


# --------------------------------------------------------------------------- portfolio


def exposure_portfolio(
    customers: Iterable[str] | str | None = None,
    *,
    deals: Any = None,
    extra: Any = None,
    default_term_years: float = 5.0,
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
        ``customer``, ``value`` (US$ bn), ``start`` (date), ``term_years``.
    default_term_years : float, keyword-only
        Analyst assumption: term of library contracts whose term was not
        disclosed (see :func:`core.deals.default_portfolio`).

    Returns
    -------
    pandas.DataFrame
        Columns ``core.deals.PORTFOLIO_COLUMNS``; analyst rows say
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
    ['Amazon (AWS)', 'Microsoft (Azure)', 'Oracle', 'CoreWeave']
    """
    library = load_deals(deals)
    usable = library[(library["kind"] == "cloud compute") & library["value_usd_bn"].notna()]
    known = list(dict.fromkeys(usable["customer"]))
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
    frames = [
        default_portfolio(
            name, deals=library, kinds=("cloud compute",), default_term_years=default_term_years
        )
        for name in names
    ]
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
            }
        )
    return pd.DataFrame(out, columns=list(PORTFOLIO_COLUMNS))


def _portfolio(portfolio: Any, customers: Any = None) -> pd.DataFrame:
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
    missing = [
        c for c in ("deal", "provider", "customer", "value", "start", "term_years") if c not in rows.columns
    ]
    if missing:
        raise DealDeskInputError(
            f"portfolio must have deal, provider, customer, value, start, term_years; missing {', '.join(missing)}"
        )
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
        ``start``, ``term_years``; default :func:`exposure_portfolio`.
    profile : str, keyword-only
        Revenue shape of every contract (``core.conventions.PROFILES``), with
        its ``profile_params``; default the straight line.

    Returns
    -------
    pandas.DataFrame
        Index ``deal``; columns the calendar years from the first start to
        the last end (int), 0 where a contract does not earn.

    Examples
    --------
    AWS–OpenAI, $38B over 2,557 days from 2025-11-03: 59 days in 2025.

    >>> c = commitments_by_year(exposure_portfolio("OpenAI"))
    >>> bool(np.isclose(c.loc["AWS–OpenAI", 2025], 38 * 59 / 2557))
    True
    """
    rows = _portfolio(portfolio)
    series = {}
    for _, row in rows.iterrows():
        try:
            table = contract_schedule(
                row["value"],
                row["start"],
                row["term_years"],
                profile=profile,
                frequency="year",
                fiscal_year_end=12,
                **profile_params,
            )
        except DealDeskInputError as error:
            raise DealDeskInputError(f"portfolio deal {row['deal']!r}: {error}") from None
        years = table["period"].str.slice(2).astype(int).to_numpy()
        series[row["deal"]] = pd.Series(table["revenue"].to_numpy(dtype=float), index=years)
    wide = pd.DataFrame(series).T
    wide = wide.reindex(columns=np.arange(wide.columns.min(), wide.columns.max() + 1)).fillna(0.0)
    wide.index.name = "deal"
    return wide


# --------------------------------------------------------------------------- exposure tables


def exposure_table(
    portfolio: Any = None,
    *,
    customers: Iterable[str] | str | None = None,
    as_of_year: int = DEFAULT_AS_OF_YEAR,
    profile: str = "straight",
    **profile_params: Any,
) -> pd.DataFrame:
    """Provider × customer AI backlog: what each customer still owes each provider from ``as_of_year`` on.

    Parameters
    ----------
    portfolio : DataFrame or list of mappings, optional
        Contracts (see :func:`commitments_by_year`); default :func:`exposure_portfolio`.
    customers : str or list of str, keyword-only
        Without ``portfolio``: the library's contracts of these customers (default all).
    as_of_year : int, keyword-only
        First year counted (commitments of earlier years count as paid).
    profile : str, keyword-only
        Revenue shape of every contract, with ``profile_params``.

    Returns
    -------
    pandas.DataFrame
        ``provider``, then one column per customer (US$ bn) and ``total``.

    Examples
    --------
    Oracle's reported ~$300B from OpenAI starts in 2027, so all of it is backlog:

    >>> t = exposure_table().set_index("provider")
    >>> round(float(t.loc["Oracle", "OpenAI"]), 6)
    300.0
    """
    rows = _portfolio(portfolio, customers)
    year = check_year("as_of_year", as_of_year)
    wide = commitments_by_year(rows, profile=profile, **profile_params)
    backlog = wide.loc[:, wide.columns >= year].sum(axis=1)
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


def backlog_shares(
    customer: str = "OpenAI", portfolio: Any = None, *, as_of_year: int = DEFAULT_AS_OF_YEAR
) -> pd.DataFrame:
    """Each provider's share of one customer's backlog, and that backlog by year (its revenue at risk).

    Returns
    -------
    pandas.DataFrame
        Index ``provider``; ``backlog`` (US$ bn from ``as_of_year`` on),
        ``share`` (of the customer's total backlog, fraction), then one column
        per year: the revenue the customer owes the provider that year.

    Examples
    --------
    >>> s = backlog_shares("OpenAI")
    >>> round(float(s["share"].sum()), 12)
    1.0
    """
    rows = _portfolio(portfolio)
    year = check_year("as_of_year", as_of_year)
    mine = rows[rows["customer"].str.lower() == str(customer).strip().lower()]
    if mine.empty:
        raise DealDeskInputError(
            f"customer must be a customer of the portfolio ({', '.join(dict.fromkeys(rows['customer']))}), got {customer!r}"
        )
    wide = commitments_by_year(mine)
    wide = wide.loc[:, wide.columns >= year]
    by_provider = wide.groupby(mine.set_index("deal")["provider"], sort=False).sum()
    by_provider.index.name = "provider"
    out = pd.DataFrame({"backlog": by_provider.sum(axis=1)})
    out["share"] = out["backlog"] / out["backlog"].sum()
    return pd.concat([out, by_provider], axis=1)


# --------------------------------------------------------------------------- funding paths


def _funding_table(funding: Any) -> pd.DataFrame:
    table = DEFAULT_FUNDING if funding is None else pd.DataFrame(funding)
    missing = [c for c in ("customer", "year", "item", "value") if c not in table.columns]
    if missing:
        raise DealDeskInputError(
            f"funding must have customer, year, item, value; missing {', '.join(missing)}"
        )
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


def _table_with(what: str, value: Any, default: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """``value`` as a table (``default`` when None), refused unless it has every one of ``columns``."""
    table = default if value is None else pd.DataFrame(value)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise DealDeskInputError(f"{what} must have {', '.join(columns)}; missing {', '.join(missing)}")
    return table


def _terms_table(terms: Any) -> pd.DataFrame:
    table = _table_with("customer terms", terms, DEFAULT_CUSTOMER_TERMS, CUSTOMER_TERM_COLUMNS[:-1])
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
        "funding"; US$ bn); default ``DEFAULT_FUNDING``.
    terms : DataFrame, optional, keyword-only
        Customer terms, columns ``CUSTOMER_TERM_COLUMNS``; default
        ``DEFAULT_CUSTOMER_TERMS`` (analyst assumptions). A customer without a
        row gets revenue_share 1, no opening cash, flat revenue, volatility 0.

    Returns
    -------
    dict
        ``"revenue"`` and ``"funding"``: DataFrames indexed by year, one
        column per customer (US$ bn); ``"terms"``: the terms, one row per customer.

    Examples
    --------
    OpenAI from $62B (2027) to $200B (2030) grows ×(200/62)^(1/3) a year:

    >>> p = funding_paths(["OpenAI"], range(2026, 2032))
    >>> p["revenue"]["OpenAI"].round(2).tolist()
    [30.0, 62.0, 91.61, 135.36, 200.0, 200.0]
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


# --------------------------------------------------------------------------- the fixed structure


@dataclasses.dataclass(frozen=True)
class _Plan:
    """Everything about an exposure run that does not vary between draws (picklable)."""

    deals: tuple[str, ...]
    providers: tuple[str, ...]
    customers: tuple[str, ...]
    years: tuple[int, ...]
    rule: str
    committed: np.ndarray  # deals × years
    deal_customer: np.ndarray  # deals: customer index
    deal_provider: np.ndarray  # deals: provider index
    prior: np.ndarray  # deals × years: commitments of the same customer paid before this deal
    customer_committed: np.ndarray  # customers × years
    revenue: np.ndarray  # customers × years, the stated path
    funding: np.ndarray  # customers × years
    revenue_share: np.ndarray  # customers
    opening_cash: np.ndarray  # customers
    volatility: np.ndarray  # customers
    chol: np.ndarray  # customers × customers, lower triangular
    pairs: tuple[tuple[int, int], ...]  # (provider, customer) with a contract
    pair_deals: tuple[np.ndarray, ...]  # deal indices of each pair
    provider_deals: tuple[np.ndarray, ...]
    backlog: np.ndarray  # providers: AI backlog from as_of_year on


def _order(rows: pd.DataFrame, rule: str, priority: Sequence[str] | None) -> list[int]:
    """Payment order of the portfolio's rows (seniority: start date, then portfolio order)."""
    starts = [as_date("start", s) for s in rows["start"]]
    seniority = sorted(range(len(rows)), key=lambda i: (starts[i], i))
    if rule != "priority":
        return seniority
    if priority is None or isinstance(priority, str) or len(list(priority)) == 0:
        raise DealDeskInputError(
            f"priority must list providers or deals in the order they are paid when rule is 'priority', got {priority!r}"
        )
    names = [name_key(check_name("priority", p)) for p in priority]
    providers = [name_key(str(p)) for p in rows["provider"]]
    deals = [name_key(str(d)) for d in rows["deal"]]
    for given, name in zip(priority, names, strict=True):
        if name not in providers and name not in deals:
            known = ", ".join(dict.fromkeys(list(rows["provider"]) + list(rows["deal"])))
            raise DealDeskInputError(
                f"priority must name providers or deals of the portfolio ({known}); got {given!r}"
            )

    def rank(i: int) -> int:
        for position, name in enumerate(names):
            if deals[i] == name or providers[i] == name:
                return position
        return len(names)

    return sorted(seniority, key=lambda i: (rank(i), seniority.index(i)))


def _correlation(correlation: Any, customers: Sequence[str]) -> np.ndarray:
    k = len(customers)
    if isinstance(correlation, (int, float, np.integer, np.floating)) and not isinstance(correlation, bool):
        rho = check_number("correlation", correlation, minimum=-1.0 / max(k - 1, 1), maximum=1.0)
        matrix = np.full((k, k), rho)
        np.fill_diagonal(matrix, 1.0)
    else:
        frame = pd.DataFrame(correlation)
        try:
            matrix = frame.loc[list(customers), list(customers)].to_numpy(dtype=float)
        except (KeyError, ValueError, TypeError):
            raise DealDeskInputError(
                f"correlation must be a number or a matrix labelled by the customers ({', '.join(customers)})"
            ) from None
        if (
            not np.allclose(matrix, matrix.T)
            or not np.allclose(np.diag(matrix), 1.0)
            or np.any(np.abs(matrix) > 1)
        ):
            raise DealDeskInputError(
                "correlation matrix must be symmetric with 1 on the diagonal and entries in [-1, 1]"
            )
    # A perfectly correlated matrix is only semi-definite: nudge the diagonal so Cholesky exists.
    try:
        return np.linalg.cholesky(matrix + np.eye(k) * 1e-12)
    except np.linalg.LinAlgError:
        raise DealDeskInputError(
            "correlation must be a valid correlation matrix (positive semi-definite)"
        ) from None


def _plan(
    portfolio: Any,
    *,
    customers: Any = None,
    funding: Any,
    terms: Any,
    rule: str,
    priority: Sequence[str] | None,
    as_of_year: int,
    correlation: Any = 0.0,
    volatility: Mapping[str, float] | None = None,
) -> _Plan:
    rows = _portfolio(portfolio, customers)
    rule = check_choice("rule", rule, SHORTFALL_RULES)
    year = check_year("as_of_year", as_of_year)
    wide = commitments_by_year(rows)
    last = int(wide.columns.max())
    if last < year:
        raise DealDeskInputError(
            f"as_of_year must be at or before the last year a contract earns ({last}), got {year}"
        )
    years = list(range(year, last + 1))
    committed = wide.reindex(columns=years, fill_value=0.0).loc[list(rows["deal"])].to_numpy(dtype=float)
    customers = list(dict.fromkeys(rows["customer"]))
    providers = list(dict.fromkeys(rows["provider"]))
    deal_customer = np.array([customers.index(c) for c in rows["customer"]])
    deal_provider = np.array([providers.index(p) for p in rows["provider"]])
    order = _order(rows, rule, priority)
    prior = np.zeros_like(committed)
    running = np.zeros((len(customers), len(years)))
    for i in order:
        prior[i] = running[deal_customer[i]]
        running[deal_customer[i]] += committed[i]
    paths = funding_paths(customers, years, funding=funding, terms=terms)
    vol = paths["terms"]["volatility"].to_numpy(dtype=float).copy()
    if volatility is not None:
        for name, value in dict(volatility).items():
            if name not in customers:
                raise DealDeskInputError(
                    f"volatility must be given for customers of the portfolio ({', '.join(customers)}), got {name!r}"
                )
            vol[customers.index(name)] = check_number(f"volatility ({name})", value, minimum=0, maximum=5)
    pairs = list(dict.fromkeys(zip(deal_provider.tolist(), deal_customer.tolist(), strict=True)))
    return _Plan(
        deals=tuple(rows["deal"]),
        providers=tuple(providers),
        customers=tuple(customers),
        years=tuple(years),
        rule=rule,
        committed=committed,
        deal_customer=deal_customer,
        deal_provider=deal_provider,
        prior=prior,
        customer_committed=running,
        revenue=paths["revenue"].to_numpy(dtype=float).T.copy(),
        funding=paths["funding"].to_numpy(dtype=float).T.copy(),
        revenue_share=paths["terms"]["revenue_share"].to_numpy(dtype=float),
        opening_cash=paths["terms"]["opening_cash"].to_numpy(dtype=float),
        volatility=vol,
        chol=_correlation(correlation, customers),
        pairs=tuple(pairs),
        pair_deals=tuple(np.flatnonzero((deal_provider == p) & (deal_customer == c)) for p, c in pairs),
        provider_deals=tuple(np.flatnonzero(deal_provider == p) for p in range(len(providers))),
        backlog=np.array([committed[deal_provider == p].sum() for p in range(len(providers))]),
    )


# --------------------------------------------------------------------------- the arithmetic


def _lost(plan: _Plan, revenue: np.ndarray) -> np.ndarray:
    """Revenue lost per deal and year for revenue paths ``revenue`` (draws × customers × years).

    Returns draws × deals × years (US$ bn). One function for the base case and every draw.
    """
    n, k, y = revenue.shape
    pool = np.broadcast_to(plan.opening_cash, (n, k)).copy()
    shortfall = np.empty((n, k, y))
    for t in range(y):
        pool += plan.funding[:, t]
        own = revenue[:, :, t] * plan.revenue_share
        need = np.maximum(plan.customer_committed[:, t] - own, 0.0)
        cover = np.minimum(pool, need)
        pool -= cover
        shortfall[:, :, t] = need - cover
    short = shortfall[:, plan.deal_customer, :]  # draws × deals × years
    if plan.rule == "pro_rata":
        total = plan.customer_committed[plan.deal_customer]
        share = np.divide(plan.committed, total, out=np.zeros_like(plan.committed), where=total > 0)
        return short * share
    paid_total = plan.customer_committed[plan.deal_customer] - short
    paid = np.clip(paid_total - plan.prior, 0.0, plan.committed)
    return plan.committed - paid


def _shocked(plan: _Plan, z: np.ndarray) -> np.ndarray:
    """Revenue paths for standard normals ``z`` (draws × years × customers), without BLAS."""
    k = len(plan.customers)
    log_factor = np.zeros(z.shape[:2] + (k,))
    for a in range(k):
        for b in range(a + 1):
            if plan.chol[a, b] != 0.0:
                log_factor[:, :, a] += plan.chol[a, b] * z[:, :, b]
    log_factor *= plan.volatility
    np.cumsum(log_factor, axis=1, out=log_factor)
    return plan.revenue[None, :, :] * np.exp(log_factor).transpose(0, 2, 1)


def _block_normals(seed: int, block: int, plan: _Plan) -> np.ndarray:
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block,))))
    return rng.standard_normal((BLOCK_DRAWS, len(plan.years), len(plan.customers)))


def _run_block(plan: _Plan, seed: int, block: int, draws: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One block: per-draw loss by (provider, customer) pair, sum of losses by provider × year, counts."""
    first = block * BLOCK_DRAWS
    m = min(BLOCK_DRAWS, draws - first)
    z = _block_normals(seed, block, plan)[:m]
    lost = _lost(plan, _shocked(plan, z))
    pair_loss = np.empty((m, len(plan.pairs)))
    for j, index in enumerate(plan.pair_deals):
        pair_loss[:, j] = lost[:, index, :].sum(axis=(1, 2))
    by_year = np.empty((len(plan.providers), len(plan.years)))
    hit = np.empty((len(plan.providers), len(plan.years)), dtype=np.int64)
    for p, index in enumerate(plan.provider_deals):
        yearly = lost[:, index, :].sum(axis=1)
        by_year[p] = yearly.sum(axis=0)
        hit[p] = (yearly > 1e-12).sum(axis=0)
    return pair_loss, by_year, hit


def _run_chunk(
    plan: _Plan, seed: int, draws: int, blocks: Sequence[int]
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Blocks ``blocks`` one after another (the unit sent to a thread or a worker)."""
    return [_run_block(plan, seed, b, draws) for b in blocks]


# --------------------------------------------------------------------------- base case


def _rule_args(rule: Any, priority: Any) -> tuple[str, Sequence[str] | None]:
    name = check_choice("rule", rule, SHORTFALL_RULES)
    if name != "priority" and priority is not None:
        raise DealDeskInputError(f"priority must be left out unless rule is 'priority', got rule {name!r}")
    if priority is None:
        return name, None
    return name, [priority] if isinstance(priority, str) else list(priority)


def shortfall_losses(
    portfolio: Any = None,
    *,
    rule: str = "pro_rata",
    priority: Sequence[str] | None = None,
    funding: Any = None,
    terms: Any = None,
    as_of_year: int = DEFAULT_AS_OF_YEAR,
) -> pd.DataFrame:
    """Revenue each contract loses, year by year, when its customer's funding path falls short.

    Parameters
    ----------
    portfolio : DataFrame or list of mappings, optional
        Contracts (see :func:`commitments_by_year`); default :func:`exposure_portfolio`.
    rule : {"pro_rata", "seniority", "priority"}, keyword-only
        How a customer's shortfall is spread over its contracts (module notes).
    priority : list of str, keyword-only
        With ``rule="priority"``: providers or deals, paid first to last.
    funding, terms : DataFrame, keyword-only
        Stated revenue and funding, and customer terms (see :func:`funding_paths`).
    as_of_year : int, keyword-only
        First year analysed.

    Returns
    -------
    pandas.DataFrame
        Columns ``EXPOSURE_COLUMNS``: one row per contract and year, money in
        US$ bn; ``paid + lost = committed``.

    Examples
    --------
    A customer with $6B of revenue and no funding owes $10B in 2026, $5B to
    each of two providers; pro rata each loses $2B:

    >>> deals = [{"deal": "A", "provider": "P", "customer": "C", "value": 5, "start": "2026-01-01", "term_years": 1},
    ...          {"deal": "B", "provider": "Q", "customer": "C", "value": 5, "start": "2026-01-01", "term_years": 1}]
    >>> fund = [{"customer": "C", "year": 2026, "item": "revenue", "value": 6.0}]
    >>> shortfall_losses(deals, funding=fund)["lost"].round(9).tolist()
    [2.0, 2.0]
    """
    name, order = _rule_args(rule, priority)
    plan = _plan(portfolio, funding=funding, terms=terms, rule=name, priority=order, as_of_year=as_of_year)
    lost = _lost(plan, plan.revenue[None])[0]
    years = np.array(plan.years)
    d, y = plan.committed.shape
    return pd.DataFrame(
        {
            "deal": np.repeat(plan.deals, y),
            "provider": np.repeat([plan.providers[i] for i in plan.deal_provider], y),
            "customer": np.repeat([plan.customers[i] for i in plan.deal_customer], y),
            "year": np.tile(years, d),
            "committed": plan.committed.ravel(),
            "paid": (plan.committed - lost).ravel(),
            "lost": lost.ravel(),
        },
        columns=list(EXPOSURE_COLUMNS),
    )


def _provider_figures(providers: Any) -> pd.DataFrame:
    table = _table_with("providers", providers, DEFAULT_PROVIDER_FIGURES, PROVIDER_COLUMNS[:-1])
    for _, row in table.iterrows():
        who = row["provider"]
        check_number(f"base_revenue ({who})", row["base_revenue"], minimum=0, strict_min=True)
        check_number(f"base_margin ({who})", row["base_margin"], minimum=-1, maximum=1)
        check_year(f"base_year ({who})", row["base_year"])
        check_number(f"growth ({who})", row["growth"], minimum=-1, strict_min=True, maximum=10)
    return table.set_index("provider")


def avoidable_cost_share(a: Assumptions | None = None) -> float:
    """Share of a lost dollar of deal revenue whose cost the provider also avoids (fraction).

    From the model's cost stack (:func:`core.model.run_model`): power scales
    with revenue at the fleet's power bill ÷ peak run-rate, and other operating
    costs are ``other_opex_share`` of revenue; depreciation of the capacity
    already built does not stop with the revenue. (With a
    ``deal_margin_override`` the cost stack's split of costs is not known, so
    the same share is used.)

    For the AWS–OpenAI defaults: power ~6% of revenue plus other opex 15%.

    >>> round(avoidable_cost_share(), 3)
    0.21
    """
    from core.model import model_output

    base = Assumptions() if a is None else a
    peak = model_output(base, "peak_run_rate")
    power = min(model_output(base, "power_cost") / peak, 1.0) if peak > 0 else 0.0
    return float(min(power + base.other_opex_share, 1.0))


def provider_effect(
    losses: pd.DataFrame,
    providers: Any = None,
    *,
    avoidable_cost_share: float | None = None,
) -> pd.DataFrame:
    """Effect of lost revenue on each provider's segment revenue growth and operating margin.

    Parameters
    ----------
    losses : DataFrame
        Revenue lost by provider and year: columns ``provider``, ``year`` and
        ``lost`` (US$ bn), e.g. :func:`shortfall_losses` or
        :meth:`ExposureResult.by_year`.
    providers : DataFrame, optional
        Segment figures, columns ``PROVIDER_COLUMNS``; default
        ``DEFAULT_PROVIDER_FIGURES`` (AWS and the library's providers with public
        revenue). Providers without figures get blank (NaN) effects.
    avoidable_cost_share : float, keyword-only
        Share of lost revenue whose costs stop too (fraction); default from
        the cost stack (:func:`avoidable_cost_share`).

    Returns
    -------
    pandas.DataFrame
        One row per provider and year: ``lost``, ``revenue`` (plan, US$ bn),
        ``growth`` and ``growth_after_loss`` (fraction), ``growth_change_pp``,
        ``margin_after_loss`` (fraction), ``margin_change_bps``.

    Examples
    --------
    AWS ($128.7B in 2025 at a 34.6% margin, +20% a year) loses $5B in 2027:
    revenue 185.328 → 180.328, margin (185.328 × 0.346 − 5) ÷ 180.328.

    >>> aws = pd.DataFrame({"provider": ["Amazon (AWS)"], "base_revenue": [128.7], "base_margin": [0.346],
    ...                     "base_year": [2025], "growth": [0.20]})
    >>> lost = pd.DataFrame({"provider": ["Amazon (AWS)"] * 2, "year": [2026, 2027], "lost": [0.0, 5.0]})
    >>> e = provider_effect(lost, aws, avoidable_cost_share=0.0)
    >>> round(float(e["revenue"].iloc[1]), 3), round(float(e["margin_change_bps"].iloc[1]), 1)
    (185.328, -181.3)
    """
    figures = _provider_figures(providers)
    v = (
        _avoidable(None)
        if avoidable_cost_share is None
        else check_number("avoidable_cost_share", avoidable_cost_share, minimum=0, maximum=1)
    )
    table = pd.DataFrame(losses)
    missing = [c for c in ("provider", "year", "lost") if c not in table.columns]
    if missing:
        raise DealDeskInputError(f"losses must have provider, year, lost; missing {', '.join(missing)}")
    table = table.groupby(["provider", "year"], sort=False, as_index=False)["lost"].sum()
    out = []
    for provider, group in table.groupby("provider", sort=False):
        group = group.sort_values("year")
        years = group["year"].to_numpy(dtype=int)
        lost = group["lost"].to_numpy(dtype=float)
        if provider in figures.index:
            f = figures.loc[provider]
            r0, m0, y0, g = (
                float(f["base_revenue"]),
                float(f["base_margin"]),
                int(f["base_year"]),
                float(f["growth"]),
            )
            plan = r0 * (1.0 + g) ** (years - y0)
            prev_plan = r0 * (1.0 + g) ** (years - 1 - y0)
            prev_lost = np.concatenate([[0.0], lost[:-1]])
            after = plan - lost
            growth_after = after / (prev_plan - prev_lost) - 1.0
            margin_after = (plan * m0 - lost * (1.0 - v)) / after
            growth = np.full(years.size, g)
            rows = dict(
                revenue=plan,
                growth=growth,
                growth_after_loss=growth_after,
                growth_change_pp=(growth_after - g) * 100.0,
                margin_after_loss=margin_after,
                margin_change_bps=(margin_after - m0) * 1e4,
            )
        else:
            nan = np.full(years.size, np.nan)
            rows = dict(
                revenue=nan,
                growth=nan,
                growth_after_loss=nan,
                growth_change_pp=nan,
                margin_after_loss=nan,
                margin_change_bps=nan,
            )
        out.append(pd.DataFrame({"provider": provider, "year": years, "lost": lost, **rows}))
    return pd.concat(out, ignore_index=True)


def outsized_providers(
    portfolio: Any = None,
    providers: Any = None,
    *,
    as_of_year: int = DEFAULT_AS_OF_YEAR,
) -> pd.DataFrame:
    """Which providers' contracts outgrow the revenue their growth and margin effects are measured on.

    A provider's effects (:func:`provider_effect`) are measured on its revenue
    path ``base_revenue × (1 + growth)^(t − base_year)``. Where the portfolio's
    contracted revenue of the provider in some analysis year is larger than that
    year's path (:func:`core.margin.outsized_deal`, the same rule as the model's
    reports), a loss moves its margin by thousands of bps and its growth by
    thousands of points: right arithmetic, but of the contracts, not of the
    company as it was.

    Parameters
    ----------
    portfolio : DataFrame or list of mappings, optional
        Contracts (see :func:`commitments_by_year`); default :func:`exposure_portfolio`.
    providers : DataFrame, optional
        Segment figures (``PROVIDER_COLUMNS``); default ``DEFAULT_PROVIDER_FIGURES``.
    as_of_year : int, keyword-only
        First analysis year (earlier years count as paid).

    Returns
    -------
    pandas.DataFrame
        One row per provider of the portfolio: ``peak_ratio`` (largest contracted
        revenue of a year ÷ that year's revenue path; NaN without figures) and
        ``outsized`` (bool; False without figures, whose effects stay blank).

    Examples
    --------
    CoreWeave's OpenAI and Meta contracts earn more a year than its $1.92B of
    2024; AWS's $38B over 7 years is a twentieth of its revenue:

    >>> t = outsized_providers().set_index("provider")
    >>> bool(t.loc["CoreWeave", "outsized"]), bool(t.loc["Amazon (AWS)", "outsized"])
    (True, False)
    """
    from core.margin import OUTSIZED_DEAL_RATIO, peak_deal_ratio

    rows = _portfolio(portfolio)
    figures = _provider_figures(providers)
    year = check_year("as_of_year", as_of_year)
    wide = commitments_by_year(rows)
    wide = wide.loc[:, wide.columns >= year]
    by_provider = wide.groupby(rows.set_index("deal")["provider"].reindex(wide.index), sort=False).sum()
    out = []
    for provider in dict.fromkeys(rows["provider"]):
        if provider not in figures.index or provider not in by_provider.index:
            out.append((provider, math.nan, False))
            continue
        f = figures.loc[provider]
        years = by_provider.columns.to_numpy(dtype=int)
        path = float(f["base_revenue"]) * (1.0 + float(f["growth"])) ** (years - int(f["base_year"]))
        ratio = peak_deal_ratio(by_provider.loc[provider].to_numpy(dtype=float), path)
        out.append((provider, ratio, ratio > OUTSIZED_DEAL_RATIO))
    return pd.DataFrame(out, columns=["provider", "peak_ratio", "outsized"])


@functools.lru_cache(maxsize=1)
def _default_avoidable() -> float:
    return avoidable_cost_share()


def _avoidable(a: Assumptions | None) -> float:
    return _default_avoidable() if a is None else avoidable_cost_share(a)


# --------------------------------------------------------------------------- Monte Carlo


@dataclasses.dataclass
class ExposureResult:
    """Simulated exposure: per-draw losses by (provider, customer) and sums by provider and year.

    ``pair_loss`` is draws × pairs (US$ bn over the analysis years);
    ``mean_by_year`` and ``p_loss_by_year`` are providers × years.
    """

    providers: tuple[str, ...]
    customers: tuple[str, ...]
    years: tuple[int, ...]
    pairs: tuple[tuple[int, int], ...]
    backlog: np.ndarray
    pair_backlog: np.ndarray
    pair_loss: np.ndarray
    mean_by_year: np.ndarray
    p_loss_by_year: np.ndarray
    draws: int
    seed: int
    rule: str
    threshold: float

    def provider_loss(self) -> np.ndarray:
        """Per-draw revenue at risk by provider (draws × providers, US$ bn)."""
        out = np.zeros((self.draws, len(self.providers)))
        for j, (p, _) in enumerate(self.pairs):
            out[:, p] += self.pair_loss[:, j]
        return out

    def summary(self, percentiles: Iterable[float] = (50, 95, 99)) -> pd.DataFrame:
        """Per provider: AI backlog, revenue at risk (mean, percentiles), P(loss > threshold), top customer."""
        pcts = [float(p) for p in percentiles]
        loss = self.provider_loss()
        drivers = self.drivers()
        rows = []
        for p, name in enumerate(self.providers):
            x = loss[:, p]
            backlog = float(self.backlog[p])
            q = np.percentile(x, pcts) if pcts else []
            mine = drivers[drivers["provider"] == name].sort_values("mean_loss", ascending=False)
            top = mine["customer"].iloc[0] if not mine.empty and mine["mean_loss"].iloc[0] > 0 else ""
            rows.append(
                [
                    name,
                    backlog,
                    float(x.mean()),
                    *map(float, q),
                    float(x.mean()) / backlog if backlog > 0 else 0.0,
                    float(np.mean(x > self.threshold * backlog)),
                    top,
                ]
            )
        cols = [
            "provider",
            "ai_backlog",
            "mean_at_risk",
            *[f"p{p:g}_at_risk" for p in pcts],
            "mean_share_of_backlog",
            "p_loss_above_threshold",
            "top_customer",
        ]
        return pd.DataFrame(rows, columns=cols)

    def by_year(self) -> pd.DataFrame:
        """Mean revenue lost by provider and year (US$ bn), and the share of draws with a loss."""
        y = len(self.years)
        return pd.DataFrame(
            {
                "provider": np.repeat(self.providers, y),
                "year": np.tile(self.years, len(self.providers)),
                "lost": self.mean_by_year.ravel(),
                "p_loss": self.p_loss_by_year.ravel(),
            }
        )

    def drivers(self, tail: float = 95.0) -> pd.DataFrame:
        """Per provider and customer: backlog, mean loss, its share of the provider's mean loss, and its
        share of the provider's loss in the tail (the draws where the provider loses at least its
        ``tail`` percentile, and more than nothing)."""
        means = self.pair_loss.mean(axis=0) if self.draws else np.zeros(len(self.pairs))
        loss = self.provider_loss()
        totals = np.zeros(len(self.providers))
        for j, (p, _) in enumerate(self.pairs):
            totals[p] += means[j]
        rows = []
        for j, (p, c) in enumerate(self.pairs):
            cut = np.percentile(loss[:, p], tail)
            in_tail = (loss[:, p] >= cut) & (loss[:, p] > 0)
            tail_total = loss[in_tail, p].sum()
            rows.append(
                (
                    self.providers[p],
                    self.customers[c],
                    float(self.pair_backlog[j]),
                    float(means[j]),
                    float(means[j] / totals[p]) if totals[p] > 0 else 0.0,
                    float(self.pair_loss[in_tail, j].sum() / tail_total) if tail_total > 0 else 0.0,
                )
            )
        columns = ["provider", "customer", "backlog", "mean_loss", "share_of_loss", "share_of_tail_loss"]
        return pd.DataFrame(rows, columns=columns)


def _default_workers() -> int:
    if sys.platform == "emscripten":
        return 1
    return min(os.cpu_count() or 1, 4)


def simulate_exposure(
    portfolio: Any = None,
    *,
    customers: Iterable[str] | str | None = None,
    rule: str = "pro_rata",
    priority: Sequence[str] | None = None,
    funding: Any = None,
    terms: Any = None,
    as_of_year: int = DEFAULT_AS_OF_YEAR,
    draws: int = 10_000,
    seed: int = 0,
    volatility: Mapping[str, float] | None = None,
    correlation: Any = 0.0,
    threshold: float = 0.10,
    chunk_size: int = 16 * BLOCK_DRAWS,
    workers: int | None = None,
    executor: Executor | None = None,
) -> ExposureResult:
    """Monte Carlo over customers' revenue paths: each provider's revenue at risk.

    Parameters
    ----------
    portfolio : DataFrame or list of mappings, optional
        Contracts; default :func:`exposure_portfolio` (the library's).
    customers : str or list of str, keyword-only
        Without ``portfolio``: the library's contracts of these customers (default all).
    rule, priority, funding, terms, as_of_year : keyword-only
        As in :func:`shortfall_losses`.
    draws : int, keyword-only
        Number of draws, 1 to ``MAX_DRAWS`` (2,000,000, the limit of every Monte Carlo;
        the environment variable DEALDESK_MAX_DRAWS raises it).
    seed : int, keyword-only
        Seed (>= 0); the same seed gives the same numbers whatever
        ``chunk_size``, ``workers`` or ``executor``.
    volatility : mapping, keyword-only
        Customer -> σ of yearly log revenue growth (fraction), overriding
        ``terms``.
    correlation : float or DataFrame, keyword-only
        Correlation of customers' growth shocks: one number for every pair,
        or a matrix labelled by customer (default 0, independent).
    threshold : float, keyword-only
        Loss as a share of the provider's AI backlog for
        ``p_loss_above_threshold`` (default 0.10).
    chunk_size : int, keyword-only
        Draws per task, rounded up to whole blocks of ``BLOCK_DRAWS``.
    workers : int, keyword-only
        Threads when no ``executor`` is given (default the CPUs, at most 4).
    executor : concurrent.futures.Executor, keyword-only
        Runs the chunks instead (for example a Dask client's
        ``get_executor()``); its ``map`` must return results in order.

    Returns
    -------
    ExposureResult

    Examples
    --------
    >>> r = simulate_exposure(draws=2_000, seed=1)
    >>> s = r.summary().set_index("provider")
    >>> bool(s.loc["Oracle", "mean_at_risk"] >= 0), s.loc["Oracle", "top_customer"]
    (True, 'OpenAI')
    """
    n = check_draws("draws", draws)  # before any work: the limit bounds the time and memory
    name, order = _rule_args(rule, priority)
    plan = _plan(
        portfolio,
        customers=customers,
        funding=funding,
        terms=terms,
        rule=name,
        priority=order,
        as_of_year=as_of_year,
        correlation=correlation,
        volatility=volatility,
    )
    s = int(check_number("seed", seed, minimum=0, maximum=2**63 - 1, integer=True))
    x = check_number("threshold", threshold, minimum=0, maximum=1)
    chunk = int(check_number("chunk_size", chunk_size, minimum=1, integer=True))
    per_task = max(1, math.ceil(chunk / BLOCK_DRAWS))
    blocks = list(range(math.ceil(n / BLOCK_DRAWS)))
    tasks = [blocks[i : i + per_task] for i in range(0, len(blocks), per_task)]
    run = functools.partial(_run_chunk, plan, s, n)
    if executor is not None:
        results = list(executor.map(run, tasks))
    else:
        threads = (
            _default_workers()
            if workers is None
            else int(check_number("workers", workers, minimum=1, maximum=64, integer=True))
        )
        if threads == 1 or len(tasks) == 1:
            results = [run(t) for t in tasks]
        else:
            with ThreadPoolExecutor(max_workers=threads) as pool:
                results = list(pool.map(run, tasks))
    parts = [part for chunk_result in results for part in chunk_result]
    pair_loss = np.concatenate([p[0] for p in parts], axis=0)
    sums = np.stack([p[1] for p in parts]).sum(axis=0)
    hits = np.stack([p[2] for p in parts]).sum(axis=0)
    pair_backlog = np.array([plan.committed[index].sum() for index in plan.pair_deals])
    return ExposureResult(
        providers=plan.providers,
        customers=plan.customers,
        years=plan.years,
        pairs=plan.pairs,
        backlog=plan.backlog,
        pair_backlog=pair_backlog,
        pair_loss=pair_loss,
        mean_by_year=sums / n,
        p_loss_by_year=hits / n,
        draws=n,
        seed=s,
        rule=name,
        threshold=x,
    )


def exposure_risk(
    customers: Iterable[str] | str | None = None,
    *,
    rule: str = "pro_rata",
    priority: Sequence[str] | None = None,
    as_of_year: int = DEFAULT_AS_OF_YEAR,
    draws: int = 10_000,
    seed: int = 0,
    threshold: float = 0.10,
    correlation: float = 0.0,
) -> pd.DataFrame:
    """Simulated revenue at risk of the library's providers, one row per provider (the spreadsheet's table).

    Runs :func:`simulate_exposure` on the library's contracts of ``customers``
    (default all) and returns :meth:`ExposureResult.summary`: ``ai_backlog``,
    ``mean_at_risk``, ``p50_at_risk``, ``p95_at_risk``, ``p99_at_risk`` (US$ bn),
    ``mean_share_of_backlog``, ``p_loss_above_threshold`` and ``top_customer``.

    >>> t = exposure_risk("OpenAI", draws=1_000, seed=3)
    >>> t["provider"].tolist(), tuple(t.columns) == RISK_COLUMNS
    (['Amazon (AWS)', 'Microsoft (Azure)', 'Oracle', 'CoreWeave'], True)
    """
    # A sheet asks for many cells of one table: one simulation per set of arguments.
    key = (
        _hashable(customers),
        rule,
        _hashable(priority),
        as_of_year,
        draws,
        seed,
        threshold,
        correlation,
    )
    try:
        hash(key)
    except TypeError:
        return _risk_table(*key)
    return _cached_risk_table(*key).copy()


def _hashable(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    return tuple(value) if isinstance(value, Iterable) else value


def _risk_table(
    customers: Any,
    rule: Any,
    priority: Any,
    as_of_year: Any,
    draws: Any,
    seed: Any,
    threshold: Any,
    correlation: Any,
) -> pd.DataFrame:
    result = simulate_exposure(
        customers=customers,
        rule=rule,
        priority=priority,
        as_of_year=as_of_year,
        draws=draws,
        seed=seed,
        threshold=threshold,
        correlation=correlation,
    )
    return result.summary()


_cached_risk_table = functools.lru_cache(maxsize=8)(_risk_table)


def exposure_summary(result: ExposureResult) -> dict[str, Any]:
    """A JSON-ready summary: per provider its backlog from each customer and its simulated revenue at risk.

    Keys: ``draws``, ``seed``, ``rule``, ``threshold``, ``years`` and
    ``providers``, a mapping provider -> {``ai_backlog``,
    ``backlog_by_customer`` (customer -> US$ bn), ``revenue_at_risk``
    {``mean``, ``p50``, ``p95``, ``p99``}, ``p_loss_above_threshold``,
    ``mean_share_of_backlog``, ``mean_loss_by_year`` (year -> US$ bn),
    ``drivers`` (customer -> share of the mean loss), ``tail_drivers``
    (customer -> share of the loss in the draws at or above the provider's
    95th percentile)}.

    >>> out = exposure_summary(simulate_exposure(draws=500, seed=2))
    >>> sorted(out["providers"]["Oracle"]["backlog_by_customer"])
    ['OpenAI']
    """
    summary = result.summary().set_index("provider")
    by_year = result.by_year()
    drivers = result.drivers()
    providers: dict[str, Any] = {}
    for name in result.providers:
        row = summary.loc[name]
        mine = drivers[drivers["provider"] == name]
        years = by_year[by_year["provider"] == name]
        providers[name] = {
            "ai_backlog": float(row["ai_backlog"]),
            "backlog_by_customer": {
                c: float(b) for c, b in zip(mine["customer"], mine["backlog"], strict=True)
            },
            "revenue_at_risk": {
                "mean": float(row["mean_at_risk"]),
                "p50": float(row["p50_at_risk"]),
                "p95": float(row["p95_at_risk"]),
                "p99": float(row["p99_at_risk"]),
            },
            "p_loss_above_threshold": float(row["p_loss_above_threshold"]),
            "mean_share_of_backlog": float(row["mean_share_of_backlog"]),
            "mean_loss_by_year": {
                str(y): float(v) for y, v in zip(years["year"], years["lost"], strict=True)
            },
            "drivers": {c: float(s) for c, s in zip(mine["customer"], mine["share_of_loss"], strict=True)},
            "tail_drivers": {
                c: float(s) for c, s in zip(mine["customer"], mine["share_of_tail_loss"], strict=True)
            },
        }
    return {
        "draws": result.draws,
        "seed": result.seed,
        "rule": result.rule,
        "threshold": result.threshold,
        "years": list(result.years),
        "providers": providers,
    }
