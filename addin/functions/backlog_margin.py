"""DEAL functions of backlog and margin: BACKLOG, RPO, BACKLOG_EFFECT, MARGIN_BRIDGE and MARGIN_BY_PERIOD.

The contract in the provider's backlog (core.backlog) and its effect on the segment margin (core.margin).
"""

import xlwings as xw

from addin import converters as cv
from addin.errors import excel_errors
from addin.functions._args import (
    CATEGORY,
    CELL,
    CONTRACT_ARGS,
    DOCS_MODEL,
    RANGE,
    profile_doc,
    quoted,
    shared_args,
)
from core.backlog import backlog_effect, backlog_rollforward, current_rpo
from core.conventions import FREQUENCIES
from core.margin import margin_bridge, margin_by_period


@xw.func(name="BACKLOG", category=CATEGORY)
@shared_args(
    *CONTRACT_ARGS,
    *cv.SCHEDULE_OPTIONS,
    profile=profile_doc(backlog_rollforward),
    frequency=f'Period length: {quoted(FREQUENCIES)}. Blank: "quarter".',
)
@shared_args("booking", "tranches", "derecognition", docs=DOCS_MODEL)
@excel_errors
def deal_backlog(
    value,
    start,
    term_years,
    booking=None,
    tranches=None,
    profile=None,
    frequency=None,
    fiscal_year_end=None,
    realisation=None,
    delay_quarters=None,
    delay_mode=None,
    derecognition=None,
    full_at=None,
    initial_rate=None,
    midpoint=None,
    steepness=None,
    power=None,
    weights=None,
    capacity=None,
):
    """Backlog (RPO) roll-forward by period: beginning, bookings, recognised revenue, derecognised unused commitment and ending backlog (money in the unit of value).

    Example (AWS–OpenAI booked in full): =DEAL.BACKLOG(38, DATE(2025,11,3), 7) books 38 in FY2025Q4
    and ends that quarter at 38 × (1 − 59/2557) = 37.12.
    """
    return cv.table(
        backlog_rollforward(
            cv.number("value", value),
            cv.date("start", start),
            cv.number("term_years", term_years),
            **cv.present(
                booking=cv.text("booking", booking, default=None),
                tranches=cv.dated_amounts("tranches", tranches),
                derecognition=cv.text("derecognition", derecognition, default=None),
            ),
            **cv.schedule_options(locals()),
        )
    )


@xw.func(name="RPO", category=CATEGORY)
@shared_args(
    *CONTRACT_ARGS,
    "profile",
    "realisation",
    "delay_quarters",
    "delay_mode",
    *cv.PROFILE_OPTIONS,
    profile=profile_doc(current_rpo),
)
@shared_args("as_of", "booking", "tranches", "derecognition", docs=DOCS_MODEL)
@excel_errors
def deal_rpo(
    value,
    start,
    term_years,
    as_of,
    booking=None,
    tranches=None,
    profile=None,
    realisation=None,
    delay_quarters=None,
    delay_mode=None,
    derecognition=None,
    full_at=None,
    initial_rate=None,
    midpoint=None,
    steepness=None,
    power=None,
    weights=None,
    capacity=None,
):
    """Remaining performance obligation at a date: current (contractual revenue due in the next 12 months), noncurrent and total, as name/value rows.

    Example: =DEAL.RPO(38, DATE(2025,11,3), 7, DATE(2025,12,31)) gives current 38 × 365/2557 = 5.42
    of a total 37.12.
    """
    return cv.name_value_table(
        current_rpo(
            cv.number("value", value),
            cv.date("start", start),
            cv.number("term_years", term_years),
            as_of=cv.date("as_of", as_of),
            **cv.present(
                booking=cv.text("booking", booking, default=None),
                tranches=cv.dated_amounts("tranches", tranches),
                derecognition=cv.text("derecognition", derecognition, default=None),
            ),
            **cv.schedule_options(locals()),
        )
    )


@xw.func(name="BACKLOG_EFFECT", category=CATEGORY)
@xw.arg(
    "reported_backlog", doc="Backlog reported before the contract, money, > 0 (AWS Q3 2025: 200).", **CELL
)
@xw.arg("added_backlog", doc="Backlog the contract adds, same money unit (AWS–OpenAI: 38).", **CELL)
@excel_errors
def deal_backlog_effect(reported_backlog, added_backlog):
    """Effect of a contract on reported backlog: new_backlog, increase, increase_fraction (0.19 = +19%) and share_of_new (the contract's share of the new backlog), as name/value rows.

    Example: =DEAL.BACKLOG_EFFECT(200, 38) gives 238 and an increase of 0.19.
    """
    return cv.name_value_table(
        backlog_effect(
            cv.number("reported_backlog", reported_backlog), cv.number("added_backlog", added_backlog)
        )
    )


@xw.func(name="MARGIN_BRIDGE", category=CATEGORY)
@xw.arg("base_revenue", doc=DOCS_MODEL["base_revenue"], **CELL)
@xw.arg("base_margin", doc=DOCS_MODEL["base_margin"], **CELL)
@xw.arg("deal_revenue", doc=DOCS_MODEL["deal_revenue"], **CELL)
@xw.arg("deal_margin", doc=DOCS_MODEL["deal_margin"], **CELL)
@excel_errors
def deal_margin_bridge(base_revenue, base_margin, deal_revenue, deal_margin):
    """Margin bridge of a lower-margin deal: base margin, the deal's mix effect and the blended margin, each as a fraction (value) and in basis points (bps).

    Example (the article's AWS case): =DEAL.MARGIN_BRIDGE(130, 0.35, 5.4, 0.15) shows a mix effect of −79.8 bps.
    """
    return cv.table(
        margin_bridge(
            cv.number("base_revenue", base_revenue),
            cv.number("base_margin", base_margin),
            cv.number("deal_revenue", deal_revenue),
            cv.number("deal_margin", deal_margin),
        )
    )


@xw.func(name="MARGIN_BY_PERIOD", category=CATEGORY)
@xw.arg(
    "deal_revenue",
    doc="The deal's revenue by period: a row or column of numbers (the revenue column of DEAL.SCHEDULE).",
    **RANGE,
)
@xw.arg(
    "base_revenue",
    doc="Segment revenue without the deal: one cell for every period, or a row or column with one per period.",
    **RANGE,
)
@xw.arg("base_margin", doc=DOCS_MODEL["base_margin"], **CELL)
@xw.arg("deal_margin", doc=DOCS_MODEL["deal_margin"], **CELL)
@excel_errors
def deal_margin_by_period(deal_revenue, base_revenue, base_margin, deal_margin):
    """Blended segment margin and its change in basis points, period by period (periods numbered 1, 2, ... in the order given).

    Example: =DEAL.MARGIN_BY_PERIOD(D2:D9, 107.6, 0.37, 0.15) beside a DEAL.SCHEDULE spill.
    """
    return cv.table(
        margin_by_period(
            cv.vector("deal_revenue", deal_revenue, default=cv.REQUIRED),
            cv.vector("base_revenue", base_revenue, default=cv.REQUIRED),
            base_margin=cv.number("base_margin", base_margin),
            deal_margin=cv.number("deal_margin", deal_margin),
        )
    )
