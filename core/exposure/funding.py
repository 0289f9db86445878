"""Customers' revenue and funding paths: what each customer can pay for its compute, year by year.

Each customer pays its commitments from a **funding path**: its revenue path
plus the funding it has raised. Both are inputs with their sources
(``DEFAULT_FUNDING``, from public reporting); the customer terms that are not
public are **analyst assumptions** and say so (``DEFAULT_CUSTOMER_TERMS``).

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

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from core.validation import DealDeskInputError, check_choice, check_number, check_year, require_columns

__all__ = [
    "CUSTOMER_TERM_COLUMNS",
    "DEFAULT_CUSTOMER_TERMS",
    "DEFAULT_FUNDING",
    "FUNDING_COLUMNS",
    "funding_paths",
]

#: Columns of a funding table: one stated figure per row.
FUNDING_COLUMNS = ("customer", "year", "item", "value", "basis", "source", "confidence")
#: Columns of the customer terms table.
CUSTOMER_TERM_COLUMNS = ("customer", "revenue_share", "opening_cash", "growth_after", "volatility", "note")

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


def _funding_table(funding: Any) -> pd.DataFrame:
    table = DEFAULT_FUNDING if funding is None else pd.DataFrame(funding)
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
    table = DEFAULT_CUSTOMER_TERMS if terms is None else pd.DataFrame(terms)
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
