"""Revenue schedule of a compute contract: value, start date and term -> revenue by period.

The code lives in :mod:`core.schedule.profiles` for now; every public name is importable from here.
"""

from __future__ import annotations

from core.schedule.profiles import (
    EARLIEST_START,
    LATEST_START,
    PROFILE_PARAMETERS,
    add_months,
    check_delay,
    contract_days,
    contract_end,
    contract_schedule,
    delay_days_from_quarters,
    first_full_fiscal_year,
    fiscal_periods,
    fiscal_year_end_date,
    fiscal_year_of,
    fiscal_year_start_date,
    near_term_overstatement,
    profile_cdf,
    profile_weights,
    straightline_gap,
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
    "EARLIEST_START",
    "LATEST_START",
    "add_months",
    "first_full_fiscal_year",
    "fiscal_year_start_date",
]
