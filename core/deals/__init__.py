"""The deal library: headline terms of public AI compute contracts, and customer portfolios.

The library is ``core/data/deals.csv``, one sourced row per announced contract.
Where each job lives:

* :mod:`core.deals.library`: reading the shipped CSV (or an analyst's own)
  and checking every row (:func:`load_deals`); the file's rules are its
  docstring; ``DEAL_COLUMNS``, ``DEAL_KINDS``, ``DEAL_STATUSES``,
  ``VALUE_BASES``.
* :mod:`core.deals.portfolio`: a customer's commitments, ready for a
  commitment schedule, with every filled start or term flagged as an analyst
  assumption (:func:`default_portfolio`, ``PORTFOLIO_COLUMNS``).
* :mod:`core.deals.modelled`: which deals DealDesk can model and why the
  others cannot (:func:`modelling_refusal`, :func:`unmodelled_deals`), and the
  library as a table with its companies (:func:`deal_library_table`).
* :mod:`core.deals.terms`: one deal as model inputs, with the source of each
  (:func:`deal_terms`, :class:`DealTerms`, :func:`deal_assumptions`,
  :func:`deal_note`).
* :mod:`core.deals.figures`: the inputs a deal takes from its provider, its
  customer and the evidence of its GPU generation, fact or analyst default
  (``PROVIDER_INPUTS``, ``CUSTOMER_INPUTS``, ``UNDISCLOSED_REVENUE``).

Every public name is importable from ``core.deals``.
"""

from __future__ import annotations

from core.deals.figures import CUSTOMER_INPUTS, PROVIDER_INPUTS, UNDISCLOSED_REVENUE
from core.deals.library import DEAL_COLUMNS, DEAL_KINDS, DEAL_STATUSES, VALUE_BASES, load_deals
from core.deals.modelled import deal_library_table, modelling_refusal, unmodelled_deals
from core.deals.portfolio import PORTFOLIO_COLUMNS, default_portfolio
from core.deals.terms import DealTerms, deal_assumptions, deal_note, deal_terms

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
