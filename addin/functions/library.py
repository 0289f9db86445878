"""DEAL functions of the libraries: DEALS, PORTFOLIO and COMPANY.

The deal library (core.deals, core.contracts) and the company library (core.companies), as tables.
"""

import xlwings as xw

from addin import converters as cv
from addin.errors import excel_errors
from addin.functions._args import CATEGORY, CELL
from core.companies import FIELDS, company_figures
from core.contracts import customer_contracts
from core.deals import deal_library_table


@xw.func(name="DEALS", category=CATEGORY)
@excel_errors
def deal_deals():
    """The deal library: every public AI compute contract with provider, customer, value (US$ bn, blank if not disclosed), term, start, capacity, status, source and why a deal is not modelled.

    Example: =DEAL.DEALS() lists AWS–OpenAI ($38B, 7 years from 2025-11-03) and 13 other contracts.
    """
    return cv.table(deal_library_table())


@xw.func(name="PORTFOLIO", category=CATEGORY)
@xw.arg(
    "customer",
    doc="Customer whose deals to list, as in the library (OpenAI, Microsoft, Meta, Anthropic). Blank: OpenAI.",
    **CELL,
)
@excel_errors
def deal_portfolio(customer=None):
    """A customer's compute contracts from the deal library, each with the schedule its own report uses (start, term, ramp, realisation, delay, booking); assumed values are flagged and explained.

    Example: =DEAL.PORTFOLIO("OpenAI") lists AWS, Microsoft, Oracle and CoreWeave, $610.4B in all.
    """
    return cv.table(customer_contracts(cv.text("customer", customer, default=None) or "OpenAI"))


@xw.func(name="COMPANY", category=CATEGORY)
@xw.arg(
    "company",
    doc='Company of the library: a provider or customer such as "Oracle", "Amazon (AWS)", '
    '"Microsoft (Azure)", "Google Cloud", "CoreWeave", "OpenAI" or "Meta".',
    **CELL,
)
@xw.arg(
    "field",
    doc="Optional: one figure, e.g. backlog, segment_revenue, fiscal_year_end, close, shares (unit as in "
    "the table). Blank: every figure as a table.",
    **CELL,
)
@excel_errors
def deal_company(company, field=None):
    """A company's public figures: field, value, unit, period, date, deals, source, confidence, flags and note; with field given, its newest value only.

    Example: =DEAL.COMPANY("Oracle", "fiscal_year_end") gives 5; =DEAL.COMPANY("Oracle") lists its RPO history.
    """
    return cv.table_or_cell(
        company_figures(
            cv.text("company", company),
            **cv.present(field=cv.choice("field", field, tuple(FIELDS), default=None)),
        )
    )
