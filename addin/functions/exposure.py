"""DEAL functions of exposure: COUNTERPARTY, EXPOSURE and EXPOSURE_RISK.

Whether customers can pay what they committed (core.counterparty) and what providers are owed,
with the Monte Carlo of the shortfall (core.exposure).
"""

import xlwings as xw

from addin import converters as cv
from addin.errors import excel_errors
from addin.functions._args import CATEGORY, CELL, DOCS_WHOLE, RANGE, default_of, quoted
from core.counterparty import counterparty_coverage
from core.exposure import SHORTFALL_RULES, exposure_risk, exposure_table


@xw.func(name="COUNTERPARTY", category=CATEGORY)
@xw.arg(
    "start_revenue",
    doc="Customer revenue in start_year, money (OpenAI: 13.1 for $13.1B in 2025), > 0.",
    **CELL,
)
@xw.arg(
    "target_revenue",
    doc="Customer revenue targeted in target_year, same money unit (OpenAI: 280 in 2030), > 0.",
    **CELL,
)
@xw.arg("start_year", doc="Year of start_revenue, a whole year such as 2025.", **CELL)
@xw.arg("target_year", doc="Year of target_revenue, after start_year (OpenAI: 2030).", **CELL)
@xw.arg("customer", doc="Customer whose library deals are its commitments. Blank: OpenAI.", **CELL)
@xw.arg(
    "growth_after",
    doc="Analyst assumption: customer revenue growth a year after target_year, a fraction > -1. Blank: 0 (flat).",
    **CELL,
)
@xw.arg("fiscal_year_end", doc="Month (1-12) in which the customer's fiscal year ends. Blank: 12.", **CELL)
@excel_errors
def deal_counterparty(
    start_revenue,
    target_revenue,
    start_year,
    target_year,
    customer=None,
    growth_after=None,
    fiscal_year_end=None,
):
    """Customer revenue (geometric path) against the yearly spend of all its commitments, each contract on its own report's schedule: year, revenue, commitments, coverage_ratio, funding_gap and required_growth.

    Example (OpenAI's path: $13.1B in 2025 to $280B in 2030): =DEAL.COUNTERPARTY(13.1, 280, 2025, 2030).
    """
    return cv.table(
        counterparty_coverage(
            cv.number("start_revenue", start_revenue),
            cv.number("target_revenue", target_revenue),
            start_year=cv.number("start_year", start_year),
            target_year=cv.number("target_year", target_year),
            **cv.present(
                customer=cv.text("customer", customer, default=None),
                growth_after=cv.number("growth_after", growth_after, default=None),
                fiscal_year_end=cv.number("fiscal_year_end", fiscal_year_end, default=None),
            ),
        )
    )


@xw.func(name="EXPOSURE", category=CATEGORY)
@xw.arg(
    "as_of_year",
    doc="First year counted: backlog is what each customer still owes from this year on. "
    f"Blank: {default_of(exposure_table, 'as_of_year')}.",
    **CELL,
)
@xw.arg(
    "customers",
    doc="Customers whose library contracts to include (OpenAI, Microsoft, Meta, Anthropic), a row or column. "
    "Blank: all.",
    **RANGE,
)
@excel_errors
def deal_exposure(as_of_year=None, customers=None):
    """AI backlog by provider and customer: what each customer still owes each provider (US$ billions), with a total per provider.

    Example: =DEAL.EXPOSURE(2026) shows Oracle owed 300 by OpenAI and Microsoft (Azure) about 241 by OpenAI.
    """
    return cv.table(
        exposure_table(
            **cv.present(
                customers=cv.names("customers", customers, default=None),
                as_of_year=cv.number("as_of_year", as_of_year, default=None),
            )
        )
    )


@xw.func(name="EXPOSURE_RISK", category=CATEGORY)
@xw.arg(
    "rule",
    doc=f"How a customer's shortfall is spread over its contracts: {quoted(SHORTFALL_RULES)}. "
    "Blank: pro_rata.",
    **CELL,
)
@xw.arg(
    "priority",
    doc="With rule priority: providers or deals in the order they are paid, a row or column. "
    "Leave blank with the other rules.",
    **RANGE,
)
@xw.arg("draws", doc=DOCS_WHOLE["draws"], **CELL)
@xw.arg(
    "seed", doc="Random seed, a whole number >= 0; the same seed gives the same numbers. Blank: 0.", **CELL
)
@xw.arg(
    "as_of_year",
    doc="First year analysed; commitments of earlier years count as paid. "
    f"Blank: {default_of(exposure_risk, 'as_of_year')}.",
    **CELL,
)
@xw.arg(
    "customers", doc="Customers whose library contracts to include, a row or column. Blank: all.", **RANGE
)
@xw.arg(
    "threshold",
    doc="Loss as a share of the provider's AI backlog for the probability column (0.1 for 10%). Blank: 0.1.",
    **CELL,
)
@xw.arg("correlation", doc="Correlation of customers' revenue growth shocks, -1 to 1. Blank: 0.", **CELL)
@excel_errors
def deal_exposure_risk(
    rule=None,
    priority=None,
    draws=None,
    seed=None,
    as_of_year=None,
    customers=None,
    threshold=None,
    correlation=None,
):
    """Monte Carlo of customers' revenue paths: each provider's AI backlog, revenue at risk (mean, p50, p95, p99), P(loss above threshold) and main customer.

    Example: =DEAL.EXPOSURE_RISK("seniority", , 10000, 1) shows Oracle's and Microsoft's revenue at risk.
    """
    return cv.table(
        exposure_risk(
            **cv.present(
                customers=cv.names("customers", customers, default=None),
                rule=cv.text("rule", rule, default=None),
                priority=cv.names("priority", priority, default=None),
                as_of_year=cv.number("as_of_year", as_of_year, default=None),
                draws=cv.draws("draws", draws, default=None),
                seed=cv.number("seed", seed, default=None),
                threshold=cv.number("threshold", threshold, default=None),
                correlation=cv.number("correlation", correlation, default=None),
            )
        )
    )
