"""The shortfall rules: which of a customer's contracts lose what when it cannot pay them all.

The **shortfall** of year t is the customer's commitments − what it can pay
(its funding path, :mod:`core.exposure.funding`; never below 0). What is not
paid is lost to the provider (revenue of that year and backlog for good);
later years' contracts carry on. The rule that spreads a shortfall over the
customer's contracts is selectable (``SHORTFALL_RULES``):

- ``pro_rata``: every contract loses the same share of its year's amount;
- ``seniority``: contracts are paid in order of start date, earliest
  first (ties in portfolio order), so the latest contract loses first;
- ``priority``: an analyst's order of providers (or deals); contracts not
  named follow in seniority order.

Everything that does not vary between Monte Carlo draws is fixed once in a
:class:`ShortfallPlan` (:func:`shortfall_plan`); one function,
:func:`lost_revenue`, computes the losses for the stated revenue paths and for
every draw. Money is in US$ billions.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from core.exposure.funding import funding_paths
from core.exposure.portfolio import DEFAULT_AS_OF_YEAR, backlog_by_deal, commitments_by_year, portfolio_rows
from core.validation import DealDeskInputError, as_date, check_choice, check_name, check_year, name_key

__all__ = [
    "EXPOSURE_COLUMNS",
    "SHORTFALL_RULES",
    "ShortfallPlan",
    "lost_revenue",
    "shortfall_losses",
    "shortfall_plan",
    "shortfall_rule",
]

#: Rules that spread a customer's shortfall over its contracts.
SHORTFALL_RULES = ("pro_rata", "seniority", "priority")
#: Columns of :func:`shortfall_losses`.
EXPOSURE_COLUMNS = ("deal", "provider", "customer", "year", "committed", "paid", "lost")


@dataclasses.dataclass(frozen=True)
class ShortfallPlan:
    """Everything about an exposure run that does not vary between draws (picklable).

    Built by :func:`shortfall_plan`; ``volatility`` is the customer terms' (the Monte
    Carlo may override it).
    """

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
    volatility: np.ndarray  # customers: σ of yearly log revenue growth
    pairs: tuple[tuple[int, int], ...]  # (provider, customer) with a contract
    pair_deals: tuple[np.ndarray, ...]  # deal indices of each pair
    provider_deals: tuple[np.ndarray, ...]
    deal_backlog: np.ndarray  # deals: backlog (RPO) at the end of the year before as_of_year
    backlog: np.ndarray  # providers: their deals' backlog


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


def shortfall_plan(
    portfolio: Any,
    *,
    customers: Any = None,
    funding: Any,
    terms: Any,
    rule: str,
    priority: Sequence[str] | None,
    as_of_year: int,
) -> ShortfallPlan:
    """The fixed structure of a run: contracts by year from ``as_of_year``, payment order, funding paths.

    ``portfolio`` and ``customers`` as in :func:`core.exposure.portfolio.portfolio_rows`;
    ``funding`` and ``terms`` as in :func:`core.exposure.funding.funding_paths`; ``rule``
    and ``priority`` as :func:`shortfall_rule` returns them.
    """
    rows = portfolio_rows(portfolio, customers)
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
    deal_backlog = backlog_by_deal(rows, year).to_numpy(dtype=float)
    pairs = list(dict.fromkeys(zip(deal_provider.tolist(), deal_customer.tolist(), strict=True)))
    return ShortfallPlan(
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
        volatility=paths["terms"]["volatility"].to_numpy(dtype=float).copy(),
        pairs=tuple(pairs),
        pair_deals=tuple(np.flatnonzero((deal_provider == p) & (deal_customer == c)) for p, c in pairs),
        provider_deals=tuple(np.flatnonzero(deal_provider == p) for p in range(len(providers))),
        deal_backlog=deal_backlog,
        backlog=np.array([deal_backlog[deal_provider == p].sum() for p in range(len(providers))]),
    )


def lost_revenue(plan: ShortfallPlan, revenue: np.ndarray) -> np.ndarray:
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


def shortfall_rule(rule: Any, priority: Any) -> tuple[str, Sequence[str] | None]:
    """``rule`` checked against ``SHORTFALL_RULES`` and ``priority`` as a list (None unless the rule is
    ``priority``).

    >>> shortfall_rule("priority", "Oracle")
    ('priority', ['Oracle'])
    >>> shortfall_rule("pro_rata", ["Oracle"])
    Traceback (most recent call last):
    core.validation.DealDeskInputError: priority must be left out unless rule is 'priority', got rule 'pro_rata'
    """
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
        Contracts (see :func:`~core.exposure.portfolio.commitments_by_year`); default
        :func:`~core.exposure.portfolio.exposure_portfolio`.
    rule : {"pro_rata", "seniority", "priority"}, keyword-only
        How a customer's shortfall is spread over its contracts (module notes).
    priority : list of str, keyword-only
        With ``rule="priority"``: providers or deals, paid first to last.
    funding, terms : DataFrame, keyword-only
        Stated revenue and funding, and customer terms (see
        :func:`~core.exposure.funding.funding_paths`).
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
    name, order = shortfall_rule(rule, priority)
    plan = shortfall_plan(
        portfolio, funding=funding, terms=terms, rule=name, priority=order, as_of_year=as_of_year
    )
    lost = lost_revenue(plan, plan.revenue[None])[0]
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
