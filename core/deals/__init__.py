"""The deal library: headline terms of public AI compute contracts, and customer portfolios.

The code lives in :mod:`core.deals.terms` for now; every public name is importable from here.
"""

from __future__ import annotations

from core.deals.terms import (
    CUSTOMER_INPUTS,
    DEAL_COLUMNS,
    DEAL_KINDS,
    DEAL_STATUSES,
    PORTFOLIO_COLUMNS,
    PROVIDER_INPUTS,
    UNDISCLOSED_REVENUE,
    VALUE_BASES,
    DealTerms,
    deal_assumptions,
    deal_library_table,
    deal_note,
    deal_terms,
    default_portfolio,
    load_deals,
    modelling_refusal,
    unmodelled_deals,
)

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
    "modelling_refusal",
    "unmodelled_deals",
    "deal_library_table",
    "PROVIDER_INPUTS",
    "CUSTOMER_INPUTS",
    "UNDISCLOSED_REVENUE",
]
