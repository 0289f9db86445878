"""Revenue schedule of a compute contract: value, start date and term -> revenue by period.

Conventions (stated once, used everywhere):

* A contract of ``term_years`` starting on ``start`` covers the days from
  ``start`` to the day before the same calendar date ``term_years`` later:
  2025-11-03 + 7 years covers 2025-11-03 .. 2032-11-02, N = 2557 days.
* A profile is a cumulative share F(x) of contract value over contract time
  x in [0, 1] (x = elapsed contract days / N). A period covering contract
  days a..b-1 earns value × (F(b/N) − F(a/N)); partial first and last
  periods are therefore exact, and the straight line (F(x) = x) is
  proportional to actual days.
* A delivery delay of d days puts nothing before day d. ``extend`` keeps the
  shape's length and ends the term d days later (full value kept);
  ``compress`` keeps the end date and squeezes the shape into N − d days
  (full value kept); ``forfeit`` keeps the end date and the shape's length,
  losing the share 1 − F((N − d)/N).
* Realisation u (utilisation) scales expected revenue: total = value × u.
* Profile parameters that are dates (``full_at``, a date ``midpoint``) are
  placed on the undelayed contract; a delay moves them with the shape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from core.conventions import DAYS_PER_YEAR, DELAY_MODES, FREQUENCIES, PROFILES
from core.validation import (
    DealDeskInputError,
    as_date,
    check_choice,
    check_fraction,
    check_number,
    check_term_years,
    check_weights,
)

__all__ = [
    "PROFILE_PARAMETERS",
    "contract_days",
    "contract_end",
    "fiscal_year_of",
    "check_delay",
    "contract_schedule",
    "delay_days_from_quarters",
    "fiscal_periods",
    "fiscal_year_end_date",
    "profile_cdf",
    "profile_weights",
    "straightline_gap",
    "near_term_overstatement",
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

SCHEDULE_COLUMNS = ["period", "start", "end", "revenue", "cumulative"]


# --------------------------------------------------------------------------- contract time


def contract_end(start: Any, term_years: float) -> dt.date:
    """Last day of a contract: the day before the same calendar date ``term_years`` later.

    ``term_years`` may be fractional when it is a whole number of months.

    >>> contract_end("2025-11-03", 7)
    datetime.date(2032, 11, 2)
    """
    start_date = _contract_start(start)
    return add_months(start_date, _term_months(term_years)) - dt.timedelta(days=1)


def contract_days(start: Any, term_years: float) -> int:
    """Number of days a contract covers.

    >>> contract_days("2025-11-03", 7)
    2557
    """
    start_date = _contract_start(start)
    return (contract_end(start_date, term_years) - start_date).days + 1


#: Contracts must start inside this window (far-off dates are typing errors, and the
#: model's calendar must hold the whole term plus any delay).
EARLIEST_START, LATEST_START = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


def _contract_start(start: Any) -> dt.date:
    start_date = as_date("start", start)
    if not EARLIEST_START <= start_date <= LATEST_START:
        raise DealDeskInputError(
            f"start must be a date between {EARLIEST_START.isoformat()} and {LATEST_START.isoformat()}, "
            f"got {start_date.isoformat()}"
        )
    return start_date


def add_months(day: dt.date, months: int) -> dt.date:
    """The same calendar date ``months`` later, clipped to the month's last day.

    >>> add_months(dt.date(2028, 2, 29), 12)
    datetime.date(2029, 2, 28)
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, _month_end(year, month + 1).day))


def _term_months(term_years: Any) -> int:
    return int(round(check_term_years("term_years", term_years) * 12))


def delay_days_from_quarters(delay_quarters: float) -> int:
    """Days of a delivery delay given in quarters (the spreadsheet inputs take quarters).

    One rule everywhere, including Monte Carlo draws of fractional quarters: a
    quarter is ``DAYS_PER_YEAR / 4`` = 91.3125 days, rounded to whole days.

    A two-quarter slip of the AWS–OpenAI start moves it from 2025-11-03 by 183 days,
    to 2026-05-05:

    >>> delay_days_from_quarters(2)
    183
    """
    quarters = check_number("delay_quarters", delay_quarters, minimum=0, maximum=100)
    return int(round(quarters * DAYS_PER_YEAR / 4))


def check_delay(delay_days: Any, delay_mode: Any, *, total_days: int) -> tuple[int, str]:
    """Validate a delivery delay: whole days 0–36,500 and a mode of ``DELAY_MODES``.

    A ``compress`` delay must leave the shape some days, so it must be shorter
    than the contract's ``total_days``.

    A two-quarter slip of the 2,557-day AWS–OpenAI contract, with the term extended:

    >>> check_delay(183, "Extend", total_days=2557)
    (183, 'extend')
    >>> check_delay(2557, "compress", total_days=2557)
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: the delivery delay must be shorter than the contract in 'compress' mode: the contract runs 2557 days, got a delay of 2557 days (delay_days 2557, delay_quarters 28)
    """
    delay = int(check_number("delay_days", delay_days, minimum=0, maximum=36_500, integer=True))
    mode = check_choice("delay_mode", delay_mode, DELAY_MODES)
    if mode == "compress" and delay >= total_days:
        # Named both ways: spreadsheet callers give the delay in quarters, Python callers in days.
        raise DealDeskInputError(
            f"the delivery delay must be shorter than the contract in 'compress' mode: the contract runs "
            f"{total_days} days, got a delay of {delay} days (delay_days {delay}, "
            f"delay_quarters {delay / (DAYS_PER_YEAR / 4):.4g})"
        )
    return delay, mode


# --------------------------------------------------------------------------- profiles


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


# --------------------------------------------------------------------------- periods


def fiscal_year_of(day: Any, fiscal_year_end: int) -> int:
    """The fiscal year (labelled by the calendar year it ends in) that holds ``day``.

    >>> fiscal_year_of(dt.date(2025, 11, 3), 12), fiscal_year_of(dt.date(2025, 11, 3), 6)
    (2025, 2026)
    """
    return day.year + 1 if day.month > fiscal_year_end else day.year


def first_full_fiscal_year(start: Any, fiscal_year_end: int) -> int:
    """The first fiscal year a contract starting on ``start`` runs from its first day: the start's own
    fiscal year when the start is that year's first day, else the next. The "first full year" of every
    margin figure and growth contribution (a contract that ends before that year earns nothing there).

    >>> first_full_fiscal_year(dt.date(2025, 11, 3), 12), first_full_fiscal_year(dt.date(2027, 1, 1), 12)
    (2026, 2027)
    >>> first_full_fiscal_year(dt.date(2027, 1, 1), 5), first_full_fiscal_year(dt.date(2026, 6, 1), 5)
    (2028, 2027)
    """
    year = fiscal_year_of(start, fiscal_year_end)
    return year if start == fiscal_year_start_date(year, fiscal_year_end) else year + 1


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def fiscal_year_end_date(year: int, fiscal_year_end: int = 12) -> dt.date:
    """Last day of fiscal year ``year`` (labelled by the calendar year in which it ends).

    >>> fiscal_year_end_date(2026, 6).isoformat(), fiscal_year_end_date(2026).isoformat()
    ('2026-06-30', '2026-12-31')
    """
    month = int(check_number("fiscal_year_end", fiscal_year_end, minimum=1, maximum=12, integer=True))
    return _month_end(int(year), month)


def fiscal_year_start_date(year: int, fiscal_year_end: int = 12) -> dt.date:
    """First day of fiscal year ``year``: the day after the previous fiscal year's last.

    >>> fiscal_year_start_date(2026, 6).isoformat(), fiscal_year_start_date(2028, 5).isoformat()
    ('2025-07-01', '2027-06-01')
    """
    return fiscal_year_end_date(year - 1, fiscal_year_end) + dt.timedelta(days=1)


def fiscal_periods(
    first: Any, last: Any, *, frequency: str = "year", fiscal_year_end: int = 12
) -> pd.DataFrame:
    """Fiscal periods that cover the days ``first`` .. ``last`` (inclusive).

    Fiscal years are labelled by the calendar year in which they end
    (``FY2026`` is July 2025 – June 2026 when the year ends in June),
    quarters ``FY2026Q1``, months ``2025-11``.

    >>> fiscal_periods("2025-11-03", "2026-02-01", frequency="quarter", fiscal_year_end=6)["period"].tolist()
    ['FY2026Q2', 'FY2026Q3']
    """
    freq = check_choice("frequency", frequency, FREQUENCIES)
    fye = int(check_number("fiscal_year_end", fiscal_year_end, minimum=1, maximum=12, integer=True))
    first_day, last_day = as_date("first", first), as_date("last", last)
    span = {"month": 1, "quarter": 3, "year": 12}[freq]
    rows: list[tuple[str, dt.date, dt.date]] = []
    year, month = first_day.year, first_day.month
    while dt.date(year, month, 1) <= last_day:
        if freq == "month":
            label, back = f"{year:04d}-{month:02d}", 0
        else:
            back = ((month - fye - 1) % 12) % span
            fy = fiscal_year_of(dt.date(year, month, 1), fye)
            quarter = ((month - fye - 1) % 12) // 3 + 1
            label = f"FY{fy}Q{quarter}" if freq == "quarter" else f"FY{fy}"
        if not rows or rows[-1][0] != label:
            # A period runs from its first to its last calendar day, even when the
            # range begins or ends inside it.
            first_month = (year * 12 + month - 1) - back
            last_month = first_month + span - 1
            rows.append(
                (
                    label,
                    dt.date(first_month // 12, first_month % 12 + 1, 1),
                    _month_end(last_month // 12, last_month % 12 + 1),
                )
            )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return pd.DataFrame(rows, columns=["period", "start", "end"])


# --------------------------------------------------------------------------- the schedule


def contract_schedule(
    value: float,
    start: Any,
    term_years: float,
    *,
    profile: str = "straight",
    frequency: str = "year",
    fiscal_year_end: int = 12,
    realisation: float = 1.0,
    delay_days: int = 0,
    delay_mode: str = "extend",
    **profile_params: Any,
) -> pd.DataFrame:
    """Revenue of a contract by fiscal period.

    Parameters
    ----------
    value : float
        Headline contract value, money (the template uses US$ billions), >= 0.
    start : date or ISO string
        First day of the contract.
    term_years : float
        Term in years (> 0; a whole number of months).
    profile : str, keyword-only
        Revenue shape, one of ``PROFILES``; its parameters go in ``profile_params``
        (``full_at``, ``initial_rate``, ``midpoint``, ``steepness``, ``power``,
        ``weights``, ``capacity``).
    frequency : {"month", "quarter", "year"}
    fiscal_year_end : int
        Month in which the fiscal year ends (Amazon 12, Microsoft 6, Oracle 5).
    realisation : float
        Expected utilisation u in [0, 1]; revenue sums to value × u.
    delay_days : int
        Delivery delay in days (>= 0) before the shape starts.
    delay_mode : {"extend", "compress", "forfeit"}

    Returns
    -------
    pandas.DataFrame
        Columns ``period``, ``start``, ``end`` (first and last calendar day of the
        fiscal period), ``revenue`` (money) and ``cumulative``; one row per period
        that holds contract days.

    Raises
    ------
    DealDeskInputError
        A bad argument; the message names it and the accepted values.

    Examples
    --------
    The AWS–OpenAI deal on a straight line: 2025 holds 59 of 2557 contract days.

    >>> s = contract_schedule(38, "2025-11-03", 7)
    >>> round(float(s.loc[0, "revenue"]), 6) == round(38 * 59 / 2557, 6), round(float(s["revenue"].sum()), 9)
    (True, 38.0)
    """
    amount = check_number("value", value, minimum=0)
    start_date = _contract_start(start)
    total = contract_days(start_date, term_years)
    u = check_fraction("realisation", realisation)
    delay, mode = check_delay(delay_days, delay_mode, total_days=total)
    cdf = profile_cdf(profile, start_date, term_years, **profile_params)

    shape_days = total - delay if mode == "compress" else total
    horizon = total + delay if mode == "extend" else total
    periods = fiscal_periods(
        start_date,
        start_date + dt.timedelta(days=horizon - 1),
        frequency=frequency,
        fiscal_year_end=fiscal_year_end,
    )
    day0 = np.datetime64(start_date, "D")
    p_start = (periods["start"].to_numpy(dtype="datetime64[D]") - day0).astype(np.int64)
    p_end = (periods["end"].to_numpy(dtype="datetime64[D]") - day0).astype(np.int64) + 1
    a = np.clip(p_start, 0, horizon)
    b = np.clip(p_end, 0, horizon)
    x = lambda t: np.clip((t - delay) / shape_days, 0.0, 1.0)  # noqa: E731
    revenue = amount * u * (cdf(x(b.astype(float))) - cdf(x(a.astype(float))))
    table = periods.assign(revenue=revenue, cumulative=np.cumsum(revenue))
    return table[SCHEDULE_COLUMNS].reset_index(drop=True)


# --------------------------------------------------------------------------- straight line vs ramp


def straightline_gap(
    value: float,
    start: Any,
    term_years: float,
    *,
    profile: str = "linear",
    frequency: str = "year",
    fiscal_year_end: int = 12,
    realisation: float = 1.0,
    delay_days: int = 0,
    delay_mode: str = "extend",
    base_revenue: Any = None,
    **profile_params: Any,
) -> pd.DataFrame:
    """Straight-line view of a contract against the modelled ramp, by period.

    The straight line is the headline view (value / term, by actual days, no
    utilisation discount, no delay); the ramp is ``contract_schedule`` with the
    given profile, realisation and delay.

    Returns
    -------
    pandas.DataFrame
        ``period``, ``start``, ``end``, ``straight``, ``ramp``, ``gap``
        (straight − ramp, money; positive where the straight line overstates).
        With ``base_revenue`` (the provider's revenue without the deal in the
        period before each row, same money unit: one number, or one per row)
        also ``growth_pp_straight``, ``growth_pp_ramp`` and ``growth_pp_gap``:
        the deal's contribution to the provider's growth in percentage points,
        (deal revenue in the period − in the prior period) ÷ base revenue ×
        100. Meaningful with ``frequency="year"``.

    Examples
    --------
    AWS–OpenAI with full run-rate at end-2026: the straight line books more in 2025 and 2026.

    >>> g = straightline_gap(38, "2025-11-03", 7, full_at="2026-12-31")
    >>> bool((g["gap"].iloc[:2] > 0).all()), round(float(g["gap"].sum()), 9)
    (True, 0.0)
    """
    straight = contract_schedule(
        value, start, term_years, frequency=frequency, fiscal_year_end=fiscal_year_end
    )
    ramp = contract_schedule(
        value,
        start,
        term_years,
        profile=profile,
        frequency=frequency,
        fiscal_year_end=fiscal_year_end,
        realisation=realisation,
        delay_days=delay_days,
        delay_mode=delay_mode,
        **profile_params,
    )
    keys = ["period", "start", "end"]
    table = pd.merge(
        straight[keys + ["revenue"]].rename(columns={"revenue": "straight"}),
        ramp[keys + ["revenue"]].rename(columns={"revenue": "ramp"}),
        on=keys,
        how="outer",
    ).sort_values("start", kind="stable")
    table[["straight", "ramp"]] = table[["straight", "ramp"]].fillna(0.0)
    table["gap"] = table["straight"] - table["ramp"]
    if base_revenue is not None:
        if np.ndim(base_revenue) == 0:
            base: Any = check_number("base_revenue", base_revenue, minimum=0, strict_min=True)
        else:
            base = np.asarray(base_revenue, dtype=float)
            if base.shape != (len(table),) or not np.all(np.isfinite(base)) or np.any(base <= 0):
                raise DealDeskInputError(
                    f"base_revenue must be a number > 0 or one per period ({len(table)}), got {base_revenue!r}"
                )
        for col in ("straight", "ramp"):
            table[f"growth_pp_{col}"] = np.diff(table[col].to_numpy(), prepend=0.0) / base * 100
        table["growth_pp_gap"] = table["growth_pp_straight"] - table["growth_pp_ramp"]
    return table.reset_index(drop=True)


def near_term_overstatement(gap_table: pd.DataFrame, *, periods: int = 2) -> dict[str, float | None]:
    """How much the straight line overstates the first ``periods`` rows of a gap table.

    Returns ``straight``, ``ramp``, ``gap`` (money) and ``gap_pct`` (gap ÷ ramp,
    a fraction; ``None`` when the ramp earns nothing in those periods).

    >>> g = straightline_gap(38, "2025-11-03", 7, full_at="2026-12-31")
    >>> o = near_term_overstatement(g, periods=2)
    >>> o["gap"] > 0 and o["gap_pct"] > 0
    True
    """
    n = int(check_number("periods", periods, minimum=1, integer=True))
    head = gap_table.iloc[:n]
    straight, ramp = float(head["straight"].sum()), float(head["ramp"].sum())
    gap = straight - ramp
    return {"straight": straight, "ramp": ramp, "gap": gap, "gap_pct": gap / ramp if ramp > 0 else None}
