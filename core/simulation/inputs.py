"""What may vary in a simulation: the inputs a distribution may be put on, their rules and the default risks."""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping
from typing import Any

import numpy as np

from core.assumptions import INPUTS, Assumptions, as_assumptions
from core.distributions import (
    Distribution,
    as_distribution,
    discrete,
    normal,
    triangular,
)
from core.evidence import EVIDENCE_TABLES, central, value_range
from core.schedule import (
    delay_days_from_quarters,
)
from core.validation import DealDeskInputError

_FIXED = {
    "term_years",
    "fiscal_year_end",
    "server_life_extension_years",
    "customer_revenue_start_year",
    "customer_target_year",
    "useful_life_years",
    "facility_life_years",
    "capex_lead_years",
}

#: Inputs a distribution may be put on: the numeric model inputs that do not change the
#: model's time structure.
SIMULATION_INPUTS: tuple[str, ...] = tuple(
    s.name for s in INPUTS if s.kind in ("number", "fraction") and s.name not in _FIXED and not s.optional
)

_SEED_KEY = {s.name: zlib.crc32(s.name.encode("utf-8")) for s in INPUTS}

# --------------------------------------------------------------------------- input distributions


def _check_distributions(distributions: Mapping[str, Any]) -> dict[str, Distribution]:
    if not isinstance(distributions, Mapping):
        raise DealDeskInputError("distributions must map input names to distributions")
    out: dict[str, Distribution] = {}
    for key, value in distributions.items():
        name = str(key).strip()
        if name not in SIMULATION_INPUTS:
            raise DealDeskInputError(
                f"cannot simulate {name!r}; inputs that may vary: {', '.join(SIMULATION_INPUTS)}"
            )
        out[name] = as_distribution(name, value)
    return out


#: Inputs whose public evidence table sets their default range (``core.evidence``), and, for a
#: table whose evidence is one point (no spread), the analyst's band around the input instead.
_EVIDENCE_RANGES: tuple[str, ...] = tuple(
    name for name, table in EVIDENCE_TABLES.items() if table.input is not None and table.monte_carlo
)
_NO_SPREAD_BAND = {"other_opex_share": 0.05}


def default_distributions(a: Assumptions | None = None) -> dict[str, Distribution]:
    """The default risks of a run, centred on the inputs ``a``: the public evidence's ranges and analyst bands.

    Each default's most likely value (its mode, and for the symmetric ones its
    median and mean) is the base input, so the simulation asks "how wrong could
    the base case be", not "what if it were different".

    * **From the evidence tables** (:mod:`core.evidence`): the price per
      GPU-hour, IT capex per rack, facility cost per MW, power price and PUE
      are triangular from the table's lowest to its highest comparable point,
      with the input as the mode. The range is taken relative to the table's
      central value and laid around the input (an input at the central value
      gets exactly the table's range; a deal with its own value keeps the
      evidence's relative spread). Other operating costs: the evidence is one
      point (no spread), so the analyst's ±5 points.
    * **Analyst assumptions** (no public distributions): utilisation around
      the base (±2.5 points at one standard deviation: the article's 5–10%
      discount band), Nvidia delivery slips of 0–3 quarters beyond the base
      delay (most likely none), an initial run-rate that may be up to 0.3
      higher than the base, base revenue ±4% and market-value growth ±15
      points a year.

    >>> d = default_distributions()
    >>> d["price_per_gpu_hour"].params  # Nscale's whole relationship 2.63, the base 2.83, IREN 2.91
    (2.63, 2.83, 2.91)
    >>> d["delay_quarters"].params[0], d["delay_quarters"].probabilities[0]
    (0.0, 0.5)
    """
    a = as_assumptions("a", a)
    out = {
        "realisation": normal(a.realisation, 0.025),
        "delay_quarters": discrete(
            [a.delay_quarters + k for k in (0.0, 1.0, 2.0, 3.0)], [0.5, 0.25, 0.15, 0.10]
        ),
        "initial_rate": triangular(a.initial_rate, a.initial_rate, min(a.initial_rate + 0.3, 1.0)),
        "base_revenue": normal(a.base_revenue, 0.04 * a.base_revenue),
        "market_value_growth": normal(a.market_value_growth, 0.15),
    }
    for name in _EVIDENCE_RANGES:
        x = float(getattr(a, name))
        low, high = value_range(name)
        if low == high:
            band = _NO_SPREAD_BAND[name]
            out[name] = triangular(max(x - band, 0.0), x, min(x + band, 1.0))
            continue
        mid = central(name)
        out[name] = triangular(min(x * low / mid, x), x, max(x * high / mid, x))
    return out


#: The default distributions of the reference case (see :func:`default_distributions`).
DEFAULT_DISTRIBUTIONS: dict[str, Distribution] = default_distributions()


def _bounds(name: str) -> tuple[float, float]:
    spec = next(s for s in INPUTS if s.name == name)
    low = -math.inf if spec.minimum is None else float(spec.minimum)
    if spec.strict_min:
        low = float(np.nextafter(low, math.inf))
    high = math.inf if spec.maximum is None else float(spec.maximum)
    return low, high


def _max_delay_days(a: Assumptions, dists: Mapping[str, Distribution]) -> int:
    """The longest delay in days a run draws, refused where the model refuses it (see
    :func:`check_longest_delay`)."""
    if "delay_quarters" not in dists:
        return a.delay_days
    low, high = _bounds("delay_quarters")
    # Draws are clipped to the rule, so the longest delay is the distribution's upper
    # end clipped the same way (an upper end below zero means no delay, not a negative one).
    longest = min(max(dists["delay_quarters"].upper, low), high)
    check_longest_delay(a, longest, "the delay_quarters distribution can draw")
    return delay_days_from_quarters(longest)


def check_longest_delay(a: Assumptions, quarters: float, what: str) -> None:
    """Refuse a run whose longest delay the model refuses for ``a`` (one line naming ``what``).

    The rule is the inputs' own (:class:`core.assumptions.Assumptions` checks it): with the delay
    mode compress or forfeit a delay must be shorter than the term, so a draw's model has a
    schedule to squeeze or keep.
    """
    if quarters <= a.delay_quarters:
        return
    try:
        a.replace(delay_quarters=quarters)
    except DealDeskInputError as error:
        raise DealDeskInputError(f"{what} {quarters:g} quarters: {error}") from None
