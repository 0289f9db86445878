"""Revenue of a contract by fiscal period: its profile laid on the periods, with realisation and a
delivery delay."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from core.schedule.contract_time import _contract_start, check_delay, contract_days
from core.schedule.fiscal import fiscal_periods
from core.schedule.profiles import profile_cdf
from core.validation import check_fraction, check_number

__all__ = [
    "SCHEDULE_COLUMNS",
    "contract_schedule",
]

SCHEDULE_COLUMNS = ["period", "start", "end", "revenue", "cumulative"]


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
