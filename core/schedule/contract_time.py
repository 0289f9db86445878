"""Contract time: a contract's last day and its days, the window a start must fall in, months
added to a date, and a delivery delay in whole days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.conventions import DAYS_PER_YEAR, DELAY_MODES
from core.schedule.fiscal import _month_end
from core.validation import DealDeskInputError, as_date, check_choice, check_number, check_term_years

__all__ = [
    "EARLIEST_START",
    "LATEST_START",
    "add_months",
    "check_delay",
    "contract_days",
    "contract_end",
    "delay_days_from_quarters",
]


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
