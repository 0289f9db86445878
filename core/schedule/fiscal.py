"""Fiscal years and periods: the year that holds a day, a year's first and last days, a contract's
first full year, and the months, quarters or years that cover a span of days."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from core.conventions import FREQUENCIES
from core.validation import as_date, check_choice, check_number

__all__ = [
    "first_full_fiscal_year",
    "fiscal_periods",
    "fiscal_year_end_date",
    "fiscal_year_of",
    "fiscal_year_start_date",
]


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
