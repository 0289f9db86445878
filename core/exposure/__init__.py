"""Portfolio exposure: if a customer cannot pay for all its compute, which provider loses how much, and when?

The package has one room per job; each room's docstring states its own
conventions:

* :mod:`core.exposure.portfolio`: the compute contracts by provider and
  customer (the deal library's, or any subset with an analyst's own rows),
  each a yearly revenue schedule on calendar years; the AI backlog.
* :mod:`core.exposure.funding`: each customer's funding path (its revenue
  path plus the funding it has raised, from public reporting; the terms that
  are not public are analyst assumptions and say so) and how it pays.
* :mod:`core.exposure.shortfall`: the rules that spread a customer's
  shortfall over its contracts (``SHORTFALL_RULES``) and the losses.
* :mod:`core.exposure.effects`: what the losses do to each provider's
  segment revenue growth and operating margin.
* :mod:`core.exposure.montecarlo`: customers' revenue paths drawn at random
  (correlated, block-seeded) and each provider's revenue at risk.

Conventions, stated once for every room:

* Analysis years run from ``as_of_year`` (default 2026) to the last year any
  contract earns; what was scheduled before ``as_of_year`` counts as paid. A
  provider's **AI backlog** is what the portfolio still owes it from
  ``as_of_year`` on.
* What a customer does not pay is lost to the provider: revenue of that year
  and backlog for good; later years' contracts carry on.

Money is in US$ billions. Every public name is importable from
``core.exposure`` itself.
"""

from __future__ import annotations

from typing import Any

from core.exposure.effects import (
    PROVIDER_COLUMNS,
    avoidable_cost_share,
    default_provider_figures,
    outsized_providers,
    provider_effect,
)
from core.exposure.funding import (
    CUSTOMER_TERM_COLUMNS,
    FUNDING_COLUMNS,
    default_customer_terms,
    default_funding,
    funding_paths,
)
from core.exposure.montecarlo import (
    BLOCK_DRAWS,
    MAX_DRAWS,
    RISK_COLUMNS,
    ExposureResult,
    exposure_risk,
    simulate_exposure,
)
from core.exposure.portfolio import (
    DEFAULT_AS_OF_YEAR,
    backlog_by_deal,
    backlog_shares,
    commitments_by_year,
    exposure_portfolio,
    exposure_table,
)
from core.exposure.shortfall import EXPOSURE_COLUMNS, SHORTFALL_RULES, shortfall_losses

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
    "backlog_by_deal",
    "backlog_shares",
    "commitments_by_year",
    "default_customer_terms",
    "default_funding",
    "default_provider_figures",
    "exposure_portfolio",
    "exposure_risk",
    "exposure_table",
    "funding_paths",
    "outsized_providers",
    "provider_effect",
    "shortfall_losses",
    "simulate_exposure",
]


def __getattr__(name: str) -> Any:
    """``DEFAULT_PROVIDER_FIGURES``, ``DEFAULT_FUNDING`` and ``DEFAULT_CUSTOMER_TERMS``: the latest
    data's tables, read from the libraries on first use (:func:`default_provider_figures`,
    :func:`default_funding`, :func:`default_customer_terms`), not when the package is imported."""
    tables = {
        "DEFAULT_PROVIDER_FIGURES": default_provider_figures,
        "DEFAULT_FUNDING": default_funding,
        "DEFAULT_CUSTOMER_TERMS": default_customer_terms,
    }
    if name in tables:
        return tables[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
