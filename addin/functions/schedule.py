"""DEAL functions of the revenue schedule: SCHEDULE, STRAIGHTLINE_GAP and PROFILE_WEIGHTS.

How a contract's value turns into revenue period by period (core.schedule).
"""

import xlwings as xw

from addin import converters as cv
from addin.errors import excel_errors
from addin.functions._args import CATEGORY, CELL, CONTRACT_ARGS, profile_doc, shared_args
from core.schedule import contract_schedule, profile_weights, straightline_gap


@xw.func(name="SCHEDULE", category=CATEGORY)
@shared_args(*CONTRACT_ARGS, *cv.SCHEDULE_OPTIONS, profile=profile_doc(contract_schedule))
@excel_errors
def deal_schedule(
    value,
    start,
    term_years,
    profile=None,
    frequency=None,
    fiscal_year_end=None,
    realisation=None,
    delay_quarters=None,
    delay_mode=None,
    full_at=None,
    initial_rate=None,
    midpoint=None,
    steepness=None,
    power=None,
    weights=None,
    capacity=None,
):
    """Revenue of a compute contract by fiscal period: a table with period, start, end, revenue and cumulative revenue (money in the unit of value).

    Example (AWS–OpenAI, straight line): =DEAL.SCHEDULE(38, DATE(2025,11,3), 7) books
    38 × 59/2557 = 0.877 in FY2025 and 38 in total.
    """
    return cv.table(
        contract_schedule(
            cv.number("value", value),
            cv.date("start", start),
            cv.number("term_years", term_years),
            **cv.schedule_options(locals()),
        )
    )


@xw.func(name="STRAIGHTLINE_GAP", category=CATEGORY)
@shared_args(
    *CONTRACT_ARGS,
    *cv.SCHEDULE_OPTIONS,
    profile=profile_doc(straightline_gap) + " linear needs full_at.",
)
@xw.arg(
    "base_revenue",
    doc="Provider's annual revenue before the deal, same money unit (AWS 2024: 107.6). "
    "Adds growth contributions in percentage points. Blank: none.",
    **CELL,
)
@excel_errors
def deal_straightline_gap(
    value,
    start,
    term_years,
    profile=None,
    frequency=None,
    fiscal_year_end=None,
    realisation=None,
    delay_quarters=None,
    delay_mode=None,
    full_at=None,
    initial_rate=None,
    midpoint=None,
    steepness=None,
    power=None,
    weights=None,
    capacity=None,
    base_revenue=None,
):
    """Straight-line view of a contract (value ÷ term by days) against the modelled ramp, by period: straight, ramp and gap = straight − ramp (positive where the straight line overstates).

    Example (AWS–OpenAI, full run-rate at end-2026):
    =DEAL.STRAIGHTLINE_GAP(38, DATE(2025,11,3), 7, "linear", , , , , , DATE(2026,12,31)).
    """
    return cv.table(
        straightline_gap(
            cv.number("value", value),
            cv.date("start", start),
            cv.number("term_years", term_years),
            **cv.present(base_revenue=cv.number("base_revenue", base_revenue, default=None)),
            **cv.schedule_options(locals()),
        )
    )


@xw.func(name="PROFILE_WEIGHTS", category=CATEGORY)
@shared_args("start", "term_years", "profile", *cv.PROFILE_OPTIONS, profile=profile_doc(profile_weights))
@excel_errors
def deal_profile_weights(
    start,
    term_years,
    profile=None,
    full_at=None,
    initial_rate=None,
    midpoint=None,
    steepness=None,
    power=None,
    weights=None,
    capacity=None,
):
    """Share of contract value earned in each contract year under a revenue profile: a table with contract_year, start, end and share (fractions summing to 1).

    Example: =DEAL.PROFILE_WEIGHTS(DATE(2025,11,3), 7) gives each contract year its days ÷ 2557.
    """
    return cv.table(
        profile_weights(
            cv.date("start", start),
            cv.number("term_years", term_years),
            **cv.schedule_options(locals()),
        )
    )
