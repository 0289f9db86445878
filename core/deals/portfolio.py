"""A customer's commitments from the deal library, ready for a commitment schedule.

Building a portfolio for counterparty analysis needs a start and a term for
every contract. Where the library has none, :func:`default_portfolio` fills the
gap with explicit analyst assumptions (start on the announcement date; a term
of ``default_term_years``) and flags every filled value, never silently.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from core.conventions import DAYS_PER_YEAR
from core.deals.library import DEAL_KINDS, DEAL_STATUSES, load_deals
from core.validation import DealDeskInputError, check_name, check_term_years, name_key

__all__ = [
    "PORTFOLIO_COLUMNS",
    "default_portfolio",
]

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
    OpenAI's disclosed purchase commitments: AWS, Microsoft, Oracle and CoreWeave's three
    ($38B + $250B + $300B + $11.9B + $4B + $6.5B):

    >>> p = default_portfolio("OpenAI")
    >>> p["deal"].tolist(), round(float(p["value"].sum()), 6)
    (['AWS–OpenAI', 'AWS–OpenAI expansion', 'Microsoft–OpenAI', 'Oracle–OpenAI', 'CoreWeave–OpenAI (Mar-25)', 'CoreWeave–OpenAI (May-25)', 'CoreWeave–OpenAI (Sep-25)'], 672.4)
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
    wanted = name_key(check_name("customer", customer))
    matches = library["customer"].map(name_key) == wanted
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
