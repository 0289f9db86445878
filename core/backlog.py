"""Backlog (remaining performance obligation, ASC 606) of a compute contract.

Conventions (stated once):

* Contractual backlog is not haircut for utilisation: the whole commitment
  enters backlog when it is booked. Revenue recognised each period is the
  realised schedule of :func:`core.schedule.contract_schedule` (value × u,
  after any delay).
* The commitment that will never become revenue (value × (1 − u), plus a
  tail lost to a ``forfeit`` delay) leaves backlog on its own
  ``derecognised`` line. ``derecognition="end"`` (default) removes it in the
  period holding the contract's last day: the customer may use its
  commitment until the term ends, so the unused part lapses only then.
  ``derecognition="prorata"`` removes it alongside the revenue, in
  proportion to each period's recognised revenue (the provider revises its
  expectation as the contract is consumed).
* Bookings: ``booking="full"`` books the whole value on ``booked_on`` (the
  signing date in the model: a non-cancellable commitment enters RPO when it
  is signed, even when its revenue starts years later; default the start
  date); ``booking="staged"`` books tranches on their dates (a list of
  ``(date, amount)`` pairs summing to the value, or a list of dates sharing
  it equally). Tranches must book ahead of the revenue they cover.
* Every period: ending = beginning + bookings − recognised − derecognised.
* Current RPO at a date = the contractual (u = 1) revenue scheduled in the
  12 months after that date, capped at the backlog; the rest is noncurrent.

Money is in the caller's unit (the template uses US$ billions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from core.conventions import BOOKING_MODES, DAYS_PER_YEAR
from core.schedule import (
    EARLIEST_START,
    LATEST_START,
    check_delay,
    contract_days,
    contract_schedule,
    fiscal_periods,
    profile_cdf,
)
from core.validation import (
    DealDeskInputError,
    as_date,
    check_choice,
    check_date_range,
    check_fraction,
    check_number,
)

__all__ = [
    "DERECOGNITION_MODES",
    "backlog_effect",
    "backlog_rollforward",
    "current_rpo",
    "remaining_life_years",
]

#: When the unused commitment leaves backlog: at contract end, or pro rata with revenue.
DERECOGNITION_MODES = ("end", "prorata")

ROLLFORWARD_COLUMNS = [
    "period",
    "start",
    "end",
    "beginning",
    "bookings",
    "recognised",
    "derecognised",
    "ending",
]


def _tolerance(amount: float) -> float:
    return 1e-9 * max(1.0, abs(amount))


def _horizon_days(start: dt.date, term_years: float, delay_days: int, delay_mode: str) -> int:
    """Days from the start to the last day revenue can fall (the term, extended by an ``extend`` delay)."""
    total = contract_days(start, term_years)
    return total + delay_days if delay_mode == "extend" else total


def _tranches(
    booking: str, tranches: Any, amount: float, start: dt.date, last_day: dt.date, booked_on: dt.date
) -> list[tuple[dt.date, float]]:
    """Bookings as sorted ``(date, amount)`` pairs, validated."""
    if booking == "full":
        if tranches is not None:
            raise DealDeskInputError(
                "tranches is only used with booking='staged'; remove it or set booking='staged'"
            )
        return [(booked_on, amount)]
    if tranches is None or isinstance(tranches, (str, bytes)) or len(tranches) == 0:
        raise DealDeskInputError(
            "booking='staged' needs tranches: a list of (date, amount) pairs or a list of dates (equal shares)"
        )
    items = list(tranches.items()) if isinstance(tranches, Mapping) else list(tranches)
    pairs: list[tuple[dt.date, float]] = []
    for item in items:
        if isinstance(item, Sequence) and not isinstance(item, str) and len(item) == 2:
            pairs.append(
                (as_date("tranches date", item[0]), check_number("tranches amount", item[1], minimum=0))
            )
        else:
            pairs.append((as_date("tranches date", item), amount / len(items)))
    total = sum(a for _, a in pairs)
    if abs(total - amount) > 1e-6 * max(1.0, amount):
        raise DealDeskInputError(f"tranches amounts must add up to value {amount:g}, got {total:g}")
    for day, _ in pairs:
        if not start <= day <= last_day:
            raise DealDeskInputError(
                f"tranches dates must fall within the contract, {start.isoformat()} to {last_day.isoformat()}; "
                f"got {day.isoformat()}"
            )
    return sorted(pairs)


def _options(
    value: Any,
    start: Any,
    term_years: float,
    booking: str,
    tranches: Any,
    delay_days: Any,
    delay_mode: str,
    derecognition: str,
    booked_on: Any = None,
) -> tuple[float, dt.date, list[tuple[dt.date, float]], int, str]:
    amount = check_number("value", value, minimum=0)
    start_date = as_date("start", start)
    mode = check_choice("booking", booking, BOOKING_MODES)
    check_choice("derecognition", derecognition, DERECOGNITION_MODES)
    delay, dmode = check_delay(delay_days, delay_mode, total_days=contract_days(start_date, term_years))
    last_day = start_date + dt.timedelta(days=_horizon_days(start_date, term_years, delay, dmode) - 1)
    booked = start_date if booked_on is None else as_date("booked_on", booked_on)
    if booked > start_date:
        raise DealDeskInputError(
            f"booked_on must be on or before the contract's start {start_date.isoformat()} (a contract is "
            f"booked when it is signed), got {booked.isoformat()}"
        )
    if booked != start_date and mode != "full":
        raise DealDeskInputError(
            "booked_on is only used with booking='full'; staged tranches carry their dates"
        )
    return amount, start_date, _tranches(mode, tranches, amount, start_date, last_day, booked), delay, dmode


def backlog_rollforward(
    value: float,
    start: Any,
    term_years: float,
    *,
    booking: str = "full",
    tranches: Any = None,
    profile: str = "straight",
    frequency: str = "quarter",
    fiscal_year_end: int = 12,
    realisation: float = 1.0,
    delay_days: int = 0,
    delay_mode: str = "extend",
    derecognition: str = "end",
    booked_on: Any = None,
    **profile_params: Any,
) -> pd.DataFrame:
    """Backlog (RPO) roll-forward of one contract by fiscal period.

    Parameters
    ----------
    value : float
        Contract value booked into backlog, money (>= 0); not haircut.
    start : date or ISO string
        First day of the contract (and the booking date when ``booking="full"``).
    term_years : float
        Term in years (> 0, a whole number of months).
    booking : {"full", "staged"}, keyword-only
        Whole value at signing, or ``tranches``.
    tranches : list, optional
        With ``booking="staged"``: ``(date, amount)`` pairs summing to ``value``,
        or dates that share it equally; dates within the contract.
    profile, frequency, fiscal_year_end, realisation, delay_days, delay_mode, **profile_params
        As in :func:`core.schedule.contract_schedule`; they shape the revenue recognised.
    derecognition : {"end", "prorata"}
        When the unused commitment (value − revenue) leaves backlog.
    booked_on : date or ISO string, optional, keyword-only
        With ``booking="full"``: the day the value enters backlog (the signing
        date), on or before ``start``; default ``start``. The roll-forward then
        begins with the period holding it.

    Returns
    -------
    pandas.DataFrame
        ``period``, ``start``, ``end``, ``beginning``, ``bookings``, ``recognised``,
        ``derecognised``, ``ending`` (money); ending = beginning + bookings −
        recognised − derecognised, and the last ending is 0.

    Raises
    ------
    DealDeskInputError
        A bad argument, or tranches that book less than the revenue already recognised.

    Examples
    --------
    AWS–OpenAI booked in full: Amazon's Q4 2025 backlog gains $38B less the first 59 days of revenue.

    >>> r = backlog_rollforward(38, "2025-11-03", 7)
    >>> r.loc[0, "period"], round(float(r.loc[0, "ending"]), 4), round(38 - 38 * 59 / 2557, 4)
    ('FY2025Q4', 37.1232, 37.1232)

    Oracle–OpenAI, signed 2025-09-10 and earning from 2027: the ~$300B sits in backlog from the
    quarter of signing (Oracle's FY2026Q2), five quarters before any revenue:

    >>> o = backlog_rollforward(300, "2027-01-01", 5, fiscal_year_end=5, booked_on="2025-09-10")
    >>> o.loc[0, "period"], float(o.loc[0, "bookings"]), o.loc[4, "period"], float(o.loc[4, "recognised"])
    ('FY2026Q2', 300.0, 'FY2027Q2', 0.0)
    """
    amount, start_date, pairs, delay, dmode = _options(
        value, start, term_years, booking, tranches, delay_days, delay_mode, derecognition, booked_on
    )
    rule = check_choice("derecognition", derecognition, DERECOGNITION_MODES)
    schedule = contract_schedule(
        amount,
        start_date,
        term_years,
        profile=profile,
        frequency=frequency,
        fiscal_year_end=fiscal_year_end,
        realisation=realisation,
        delay_days=delay,
        delay_mode=dmode,
        **profile_params,
    )
    recognised = schedule["revenue"].to_numpy(dtype=float)
    earned = float(recognised.sum())
    unused = max(amount - earned, 0.0)
    shape = np.zeros_like(recognised)
    if rule == "prorata":
        # Shares of the revenue come from the u = 1 schedule: realised revenue is u times it,
        # and a zero (or subnormal, counted as zero) u would leave no realised shares at all.
        shape = contract_schedule(
            amount,
            start_date,
            term_years,
            profile=profile,
            frequency=frequency,
            fiscal_year_end=fiscal_year_end,
            realisation=1.0,
            delay_days=delay,
            delay_mode=dmode,
            **profile_params,
        )["revenue"].to_numpy(dtype=float)
    first_booking = min(day for day, _ in pairs)
    if first_booking < start_date:  # booked at signing, ahead of the first revenue: periods with none
        before = fiscal_periods(
            first_booking,
            start_date - dt.timedelta(days=1),
            frequency=frequency,
            fiscal_year_end=fiscal_year_end,
        )
        before = before[before["period"] != schedule["period"].iloc[0]]
        schedule = pd.concat([before.assign(revenue=0.0), schedule], ignore_index=True)
        pad = np.zeros(len(before))
        recognised = np.concatenate([pad, recognised])
        shape = np.concatenate([pad, shape])
    if shape.sum() > 0:
        derecognised = unused * shape / shape.sum()
    else:
        derecognised = np.zeros_like(recognised)
        derecognised[-1] = unused
    starts = schedule["start"].to_numpy(dtype="datetime64[D]")
    ends = schedule["end"].to_numpy(dtype="datetime64[D]")
    bookings = np.zeros_like(recognised)
    for day, booked in pairs:
        d = np.datetime64(day, "D")
        bookings[np.flatnonzero((starts <= d) & (d <= ends))[0]] += booked

    ending = np.cumsum(bookings - recognised - derecognised)
    bad = np.flatnonzero(ending < -_tolerance(amount))
    if bad.size:
        raise DealDeskInputError(
            f"tranches book less than the revenue recognised by {schedule['period'].iloc[bad[0]]}: "
            "move tranches earlier or use booking='full'"
        )
    ending = np.where(np.abs(ending) <= _tolerance(amount), 0.0, ending)
    beginning = np.concatenate([[0.0], ending[:-1]])
    table = schedule[["period", "start", "end"]].assign(
        beginning=beginning,
        bookings=bookings,
        recognised=recognised,
        derecognised=derecognised,
        ending=ending,
    )
    return table[ROLLFORWARD_COLUMNS].reset_index(drop=True)


def _cumulative(
    amount: float,
    start: dt.date,
    term_years: float,
    realisation: float,
    delay: int,
    delay_mode: str,
    profile: str,
    profile_params: dict[str, Any],
) -> Callable[[Any], Any]:
    """Revenue earned in contract days 0 .. t − 1, the same rule as ``contract_schedule``.

    A scalar ``t`` gives a float, an array of days an array.
    """
    cdf = profile_cdf(profile, start, term_years, **profile_params)
    total = contract_days(start, term_years)
    shape_days = total - delay if delay_mode == "compress" else total
    horizon = _horizon_days(start, term_years, delay, delay_mode)

    def earned(t: Any) -> Any:
        t_in = np.clip(np.asarray(t, dtype=float), 0, horizon)
        x = np.clip((t_in - delay) / shape_days, 0.0, 1.0)
        out = amount * realisation * cdf(x)
        return float(out) if np.ndim(out) == 0 else out

    return earned


def current_rpo(
    value: float,
    start: Any,
    term_years: float,
    *,
    as_of: Any,
    booking: str = "full",
    tranches: Any = None,
    profile: str = "straight",
    realisation: float = 1.0,
    delay_days: int = 0,
    delay_mode: str = "extend",
    derecognition: str = "end",
    booked_on: Any = None,
    **profile_params: Any,
) -> dict[str, float]:
    """Current and noncurrent RPO of one contract at the end of the day ``as_of``.

    Parameters
    ----------
    value, start, term_years, booking, tranches, profile, realisation, delay_days, delay_mode, derecognition, booked_on
        As in :func:`backlog_rollforward`.
    as_of : date or ISO string, keyword-only
        Measurement date (a reporting date such as a quarter end).

    Returns
    -------
    dict
        ``total`` backlog at ``as_of`` (booked − recognised − derecognised, money),
        ``current`` (contractual revenue scheduled in the 12 months after
        ``as_of``, at most ``total``) and ``noncurrent`` (``total − current``).

    Examples
    --------
    At the end of Amazon's Q4 2025, a straight-line AWS–OpenAI contract holds 365 of its
    2557 days in the next 12 months:

    >>> r = current_rpo(38, "2025-11-03", 7, as_of="2025-12-31")
    >>> round(r["current"], 4), round(38 * 365 / 2557, 4), round(r["total"], 4)
    (5.4243, 5.4243, 37.1232)
    """
    amount, start_date, pairs, delay, dmode = _options(
        value, start, term_years, booking, tranches, delay_days, delay_mode, derecognition, booked_on
    )
    rule = check_choice("derecognition", derecognition, DERECOGNITION_MODES)
    u = check_fraction("realisation", realisation)
    day = check_date_range("as_of", as_date("as_of", as_of), EARLIEST_START, LATEST_START)
    params = {k: v for k, v in profile_params.items() if v is not None}
    realised = _cumulative(amount, start_date, term_years, u, delay, dmode, profile, params)
    contractual = _cumulative(amount, start_date, term_years, 1.0, delay, dmode, profile, params)
    horizon = _horizon_days(start_date, term_years, delay, dmode)

    t = (day - start_date).days + 1  # days elapsed by the end of as_of
    booked = sum(a for d, a in pairs if d <= day)
    recognised = realised(t)
    earned = realised(horizon)
    unused = max(amount - earned, 0.0)
    if rule == "prorata" and earned > 0:
        # The u = 1 share of the revenue (see backlog_rollforward): exact for any u > 0.
        derecognised = unused * min(contractual(t) / contractual(horizon), 1.0)
    else:
        derecognised = unused if t >= horizon else 0.0
    total = booked - recognised - derecognised
    total = 0.0 if abs(total) <= _tolerance(amount) else total
    if total < 0:
        raise DealDeskInputError(
            f"tranches book less than the revenue recognised by {day.isoformat()}: "
            "move tranches earlier or use booking='full'"
        )
    year_later = (pd.Timestamp(day) + pd.DateOffset(months=12)).date()
    next_12 = contractual(t + (year_later - day).days) - contractual(t)
    current = min(next_12, total)
    return {"current": current, "noncurrent": total - current, "total": total}


def remaining_life_years(
    value: float,
    start: Any,
    term_years: float,
    *,
    as_of: Any,
    profile: str = "straight",
    delay_days: int = 0,
    delay_mode: str = "extend",
    **profile_params: Any,
) -> float | None:
    """Weighted-average remaining life of a contract's backlog at the end of ``as_of``, in years.

    Each day's contractual (u = 1) revenue still to come is weighted by the
    time from ``as_of`` to the middle of that day (365.25 days a year): the
    measure Amazon reports with AWS's backlog (4.1 years at Q1 2025, FACTS).

    Returns
    -------
    float or None
        Years (>= 0); ``None`` when no revenue is left to recognise.

    Examples
    --------
    A straight-line contract is recognised evenly: at the end of 2025 the AWS–OpenAI
    contract has 2498 days left, on average half of them away (1249 days):

    >>> round(remaining_life_years(38, "2025-11-03", 7, as_of="2025-12-31"), 4), round(1249 / 365.25, 4)
    (3.4196, 3.4196)
    """
    amount = check_number("value", value, minimum=0)
    start_date = as_date("start", start)
    delay, dmode = check_delay(delay_days, delay_mode, total_days=contract_days(start_date, term_years))
    params = {k: v for k, v in profile_params.items() if v is not None}
    # The shape alone (value 1): the life does not depend on the amount.
    earned = _cumulative(1.0, start_date, term_years, 1.0, delay, dmode, profile, params)
    t0 = (
        check_date_range("as_of", as_date("as_of", as_of), EARLIEST_START, LATEST_START) - start_date
    ).days + 1
    horizon = _horizon_days(start_date, term_years, delay, dmode)
    days = np.arange(max(t0, 0), horizon + 1)
    daily = np.diff(earned(days))
    if amount == 0 or days.size < 2 or daily.sum() <= 1e-15:
        return None
    years = (days[:-1] - t0 + 0.5) / DAYS_PER_YEAR
    return float((daily * years).sum() / daily.sum())


def backlog_effect(reported_backlog: float, added_backlog: float) -> dict[str, float]:
    """Effect of a new contract on a provider's reported backlog.

    Parameters
    ----------
    reported_backlog : float
        Backlog reported before the contract, money (> 0).
    added_backlog : float
        Backlog the contract adds, same money unit (may be negative for a cancellation).

    Returns
    -------
    dict
        ``new_backlog`` (money), ``increase`` (money), ``increase_fraction``
        (increase ÷ reported, a fraction: 0.19 is +19%) and ``share_of_new``
        (added ÷ new backlog, a fraction: the contract's concentration).

    Examples
    --------
    AWS reported $200B of backlog at Q3 2025, before October's deals; OpenAI's $38B adds 19%:

    >>> e = backlog_effect(200, 38)
    >>> e["new_backlog"], e["increase"], round(e["increase_fraction"], 4), round(e["share_of_new"], 4)
    (238.0, 38.0, 0.19, 0.1597)
    """
    reported = check_number("reported_backlog", reported_backlog, minimum=0, strict_min=True)
    added = check_number("added_backlog", added_backlog)
    new = reported + added
    if new <= 0:
        raise DealDeskInputError(
            f"added_backlog must leave a positive backlog (more than -{reported:g}), got {added_backlog!r}"
        )
    return {
        "new_backlog": new,
        "increase": added,
        "increase_fraction": added / reported,
        "share_of_new": added / new,
    }
