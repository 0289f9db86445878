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

Where each job lives:

* :mod:`core.schedule.contract_time`: a contract's last day and its days
  (:func:`contract_end`, :func:`contract_days`), the window a start must fall
  in (``EARLIEST_START``, ``LATEST_START``), :func:`add_months`, and a delivery
  delay in days (:func:`delay_days_from_quarters`, :func:`check_delay`).
* :mod:`core.schedule.profiles`: the shapes F(x) (:func:`profile_cdf`,
  ``PROFILE_PARAMETERS``) and each contract year's share (:func:`profile_weights`).
* :mod:`core.schedule.fiscal`: fiscal years and periods (:func:`fiscal_year_of`,
  :func:`fiscal_year_start_date`, :func:`fiscal_year_end_date`,
  :func:`first_full_fiscal_year`, :func:`fiscal_periods`).
* :mod:`core.schedule.revenue`: revenue by fiscal period (:func:`contract_schedule`).
* :mod:`core.schedule.straightline`: the straight line against the ramp and the
  growth it overstates (:func:`straightline_gap`, :func:`near_term_overstatement`).

Every public name is importable from ``core.schedule``.
"""

from __future__ import annotations

from core.schedule.contract_time import (
    EARLIEST_START,
    LATEST_START,
    add_months,
    check_delay,
    contract_days,
    contract_end,
    delay_days_from_quarters,
)
from core.schedule.fiscal import (
    first_full_fiscal_year,
    fiscal_periods,
    fiscal_year_end_date,
    fiscal_year_of,
    fiscal_year_start_date,
)
from core.schedule.profiles import PROFILE_PARAMETERS, profile_cdf, profile_weights
from core.schedule.revenue import contract_schedule
from core.schedule.straightline import near_term_overstatement, straightline_gap

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
