"""Revenue profiles: the cumulative share F(x) of contract value over contract time for each shape,
and the share of value each contract year earns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from core.conventions import PROFILES
from core.schedule.contract_time import _contract_start, _term_months, contract_days
from core.validation import (
    DealDeskInputError,
    as_date,
    check_choice,
    check_fraction,
    check_number,
    check_weights,
)

__all__ = [
    "PROFILE_PARAMETERS",
    "profile_cdf",
    "profile_weights",
]

Cdf = Callable[[np.ndarray], np.ndarray]

#: Parameters each profile accepts (all optional except where the profile needs them).
PROFILE_PARAMETERS: dict[str, tuple[str, ...]] = {
    "straight": (),
    "linear": ("full_at", "initial_rate"),
    "scurve": ("midpoint", "steepness"),
    "front": ("power",),
    "back": ("power",),
    "custom": ("weights",),
    "capacity": ("capacity",),
}


def _date_or_fraction(
    name: str, value: Any, start: dt.date, total_days: int, *, minimum: float = 0.0, maximum: float = 1.0
) -> float:
    """A point of contract time: a date, or a fraction of the term (0 = start, 1 = end)."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return check_number(name, value, minimum=minimum, maximum=maximum)
    x = (as_date(name, value) - start).days / total_days
    if not minimum <= x <= maximum:
        first = start + dt.timedelta(days=int(np.ceil(minimum * total_days)))
        last = start + dt.timedelta(days=int(np.floor(maximum * total_days)))
        raise DealDeskInputError(
            f"{name} must be a date between {first.isoformat()} and {last.isoformat()} for this contract, "
            f"got {as_date(name, value).isoformat()}"
        )
    return x


def _step_cdf(knots: np.ndarray, levels: np.ndarray, name: str) -> Cdf:
    """F for a density that is ``levels[k]`` on [knots[k], knots[k+1]) (last segment to 1)."""
    edges = np.append(np.clip(knots, 0.0, 1.0), 1.0)
    mass = levels * np.diff(edges)
    if mass.sum() <= 0:
        raise DealDeskInputError(f"{name} must put a positive level inside the contract term")
    cumulative = np.concatenate([[0.0], np.cumsum(mass)]) / mass.sum()
    return lambda x: np.interp(x, edges, cumulative)


def profile_cdf(
    profile: str,
    start: Any,
    term_years: float,
    **profile_params: Any,
) -> Cdf:
    """Cumulative share F(x) of a profile, as a vectorised function of contract time x in [0, 1].

    Parameters
    ----------
    profile : str
        One of ``PROFILES``.
    start, term_years
        The contract (needed for date parameters and contract-year weights).
    **profile_params
        See ``PROFILE_PARAMETERS``; ``None`` values are ignored.

    Examples
    --------
    Half the value of a straight-line contract is earned by mid-term:

    >>> float(profile_cdf("straight", "2025-11-03", 7)(np.array(0.5)))
    0.5
    """
    name = check_choice("profile", profile, PROFILES)
    start_date = _contract_start(start)
    total = contract_days(start_date, term_years)
    params = {k: v for k, v in profile_params.items() if v is not None}
    accepted = PROFILE_PARAMETERS[name]
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        allowed = ", ".join(accepted) if accepted else "no parameters"
        raise DealDeskInputError(
            f"profile {name!r} does not take {', '.join(unknown)}; it accepts: {allowed}"
        )

    if name == "straight":
        return lambda x: np.clip(x, 0.0, 1.0)

    if name == "linear":
        if "full_at" not in params:
            raise DealDeskInputError(
                "profile 'linear' needs full_at: the date (or contract-time fraction) "
                "at which revenue reaches its full run-rate"
            )
        # A ramp may finish after the term (x_f > 1: revenue never reaches full rate) or
        # before the start (x_f <= 0: full rate from day one, the straight line).
        x_f = _date_or_fraction("full_at", params["full_at"], start_date, total, minimum=-10.0, maximum=10.0)
        r = check_fraction("initial_rate", params.get("initial_rate", 0.0))
        if x_f <= 0:
            return lambda x: np.clip(x, 0.0, 1.0)
        if x_f >= 1:
            norm = r + (1 - r) / (2 * x_f)

            def linear_unfinished(x: np.ndarray) -> np.ndarray:
                x = np.clip(x, 0.0, 1.0)
                return (r * x + (1 - r) * x * x / (2 * x_f)) / norm

            return linear_unfinished
        norm = x_f * (1 + r) / 2 + (1 - x_f)

        def linear(x: np.ndarray) -> np.ndarray:
            x = np.clip(x, 0.0, 1.0)
            ramp = r * x + (1 - r) * x * x / (2 * x_f)
            flat = x_f * (1 + r) / 2 + (x - x_f)
            return np.where(x < x_f, ramp, flat) / norm

        return linear

    if name == "scurve":
        # The midpoint may lie up to one term before the start or after the end; further
        # out the logistic is flat to machine precision and its normaliser underflows.
        m = _date_or_fraction(
            "midpoint", params.get("midpoint", 0.5), start_date, total, minimum=-1.0, maximum=2.0
        )
        k = check_number("steepness", params.get("steepness", 10.0), minimum=0.01, maximum=500)
        lo = np.logaddexp(0.0, -k * m)
        hi = np.logaddexp(0.0, k * (1 - m))

        def scurve(x: np.ndarray) -> np.ndarray:
            x = np.clip(x, 0.0, 1.0)
            return (np.logaddexp(0.0, k * (x - m)) - lo) / (hi - lo)

        return scurve

    if name in ("front", "back"):
        p = check_number("power", params.get("power", 1.0), minimum=0, maximum=50)
        if name == "front":
            return lambda x: 1.0 - (1.0 - np.clip(x, 0.0, 1.0)) ** (p + 1)
        return lambda x: np.clip(x, 0.0, 1.0) ** (p + 1)

    if name == "custom":
        if "weights" not in params:
            raise DealDeskInputError("profile 'custom' needs weights: one number per contract year")
        years = int(np.ceil(_term_months(term_years) / 12))
        weights = check_weights("weights", params["weights"], length=years)
        knots = np.array(
            [(contract_days(start_date, k) if k else 0) / total for k in range(years)], dtype=float
        )
        # A weight is its contract year's share of value, so the density is the
        # weight spread over that year's days (years differ by leap days).
        lengths = np.diff(np.append(knots, 1.0))
        return _step_cdf(knots, weights / lengths, "weights")

    # capacity
    if "capacity" not in params:
        raise DealDeskInputError(
            "profile 'capacity' needs capacity: levels on equal slices of the term, "
            "or a mapping of date -> capacity online"
        )
    capacity = params["capacity"]
    if isinstance(capacity, Mapping):
        items = sorted((as_date("capacity date", d), v) for d, v in capacity.items())
        knots = np.array([(d - start_date).days / total for d, _ in items], dtype=float)
        levels = check_weights("capacity", [v for _, v in items])
        # Level online on day 0: the last step dated on or before the start (none: 0).
        before = np.flatnonzero(knots <= 0)
        level0 = levels[before[-1]] if before.size else 0.0
        inside = (knots > 0) & (knots < 1)
        knots = np.concatenate([[0.0], knots[inside]])
        levels = np.concatenate([[level0], levels[inside]])
        return _step_cdf(knots, levels, "capacity")
    levels = check_weights("capacity", capacity)
    knots = np.arange(levels.size, dtype=float) / levels.size
    return _step_cdf(knots, levels, "capacity")


def profile_weights(
    start: Any, term_years: float, *, profile: str = "straight", **profile_params: Any
) -> pd.DataFrame:
    """Share of contract value earned in each contract year under a profile.

    Returns a DataFrame with columns ``contract_year`` (1, 2, ...), ``start``,
    ``end`` and ``share`` (fractions summing to 1).

    Examples
    --------
    A straight-line 7-year contract earns each contract year in proportion to its days
    (2028-11-03..2029-11-02 holds 365 of 2557 days):

    >>> w = profile_weights("2025-11-03", 7)
    >>> round(float(w["share"].sum()), 12), round(float(w["share"].iloc[3] * 2557), 9)
    (1.0, 365.0)
    """
    start_date = _contract_start(start)
    cdf = profile_cdf(profile, start_date, term_years, **profile_params)
    total = contract_days(start_date, term_years)
    years = int(np.ceil(_term_months(term_years) / 12))
    bounds = [0] + [min(contract_days(start_date, k), total) for k in range(1, years)] + [total]
    x = np.asarray(bounds, dtype=float) / total
    shares = np.diff(cdf(x))
    return pd.DataFrame(
        {
            "contract_year": np.arange(1, years + 1),
            "start": [start_date + dt.timedelta(days=b) for b in bounds[:-1]],
            "end": [start_date + dt.timedelta(days=b - 1) for b in bounds[1:]],
            "share": shares,
        }
    )
