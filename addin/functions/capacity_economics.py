"""DEAL functions of capacity and economics: CAPACITY, ECONOMICS and NPV_IRR.

The power and racks behind the revenue (core.capacity) and the deal's cash flows and returns (core.economics).
"""

import xlwings as xw

from addin import converters as cv
from addin.errors import excel_errors
from addin.functions._args import (
    CASH_FLOW_ARGS,
    CATEGORY,
    CELL,
    CONTRACT_ARGS,
    COST_STACK_ARGS,
    DOCS_MODEL,
    ECONOMICS_OPTIONS,
    profile_doc,
    shared_args,
)
from core.capacity import FACILITY_MUSD_PER_MW, POWER_USD_PER_MWH, PUE, capacity_from_revenue
from core.economics import deal_cash_flows, deal_returns


@xw.func(name="CAPACITY", category=CATEGORY)
@xw.arg(
    "annual_revenue_usd_bn", doc="Revenue a year in US$ billions (AWS–OpenAI straight line: 38/7).", **CELL
)
@xw.arg(
    "usd_per_gpu_hour",
    doc="Price per GPU-hour in US$, > 0 (no public figure: an analyst assumption).",
    **CELL,
)
@xw.arg("utilisation", doc="Share of GPU-hours billed, a fraction in (0, 1]. Blank: 1.", **CELL)
@xw.arg("gpus_per_rack", doc="GPUs per rack (GB200 NVL72: 72, vendor specs). Blank: 72.", **CELL)
@xw.arg("kw_per_rack", doc="Power per rack in kW (GB200 NVL72 ~120, vendor specs). Blank: 120.", **CELL)
@xw.arg(
    "pue",
    doc=f"Power usage effectiveness, 1-3 (evidence: Uptime Institute, new large sites). Blank: {PUE:g}.",
    **CELL,
)
@xw.arg(
    "facility_musd_per_mw",
    doc="Facility build cost, US$ millions per MW of IT load (evidence: median of Cushman & Wakefield and "
    f"Bernstein). Blank: {FACILITY_MUSD_PER_MW:g}.",
    **CELL,
)
@xw.arg("load_factor", doc="Average draw as a fraction of the facility's MW, in [0, 1]. Blank: 1.", **CELL)
@xw.arg(
    "power_usd_per_mwh",
    doc=f"Power price, US$ per MWh (EIA US industrial 2023). Blank: {POWER_USD_PER_MWH:g}.",
    **CELL,
)
@xw.arg("us_consumption_twh", doc="US electricity use, TWh a year (EIA 2024: 4,097). Blank: 4097.", **CELL)
@excel_errors
def deal_capacity(
    annual_revenue_usd_bn,
    usd_per_gpu_hour,
    utilisation=None,
    gpus_per_rack=None,
    kw_per_rack=None,
    pue=None,
    facility_musd_per_mw=None,
    load_factor=None,
    power_usd_per_mwh=None,
    us_consumption_twh=None,
):
    """Physical footprint of a revenue run-rate: GPUs, racks, IT and facility MW, facility capex (US$ bn), energy (MWh a year), share of US power and power bill, as name/value/unit rows.

    Example: =DEAL.CAPACITY(38/7, 3, 0.9) gives about 229,500 GPUs and 459 MW.
    """
    return cv.table(
        capacity_from_revenue(
            cv.number("annual_revenue_usd_bn", annual_revenue_usd_bn),
            usd_per_gpu_hour=cv.number("usd_per_gpu_hour", usd_per_gpu_hour),
            **cv.present(
                utilisation=cv.number("utilisation", utilisation, default=None),
                gpus_per_rack=cv.number("gpus_per_rack", gpus_per_rack, default=None),
                kw_per_rack=cv.number("kw_per_rack", kw_per_rack, default=None),
                pue=cv.number("pue", pue, default=None),
                facility_musd_per_mw=cv.number("facility_musd_per_mw", facility_musd_per_mw, default=None),
                load_factor=cv.number("load_factor", load_factor, default=None),
                power_usd_per_mwh=cv.number("power_usd_per_mwh", power_usd_per_mwh, default=None),
                us_consumption_twh=cv.number("us_consumption_twh", us_consumption_twh, default=None),
            ),
        )
    )


@xw.func(name="ECONOMICS", category=CATEGORY)
@shared_args(*CONTRACT_ARGS, *ECONOMICS_OPTIONS, profile=profile_doc(deal_cash_flows))
@shared_args("capex", *CASH_FLOW_ARGS, docs=DOCS_MODEL)
@shared_args(*COST_STACK_ARGS, docs=DOCS_MODEL)
@excel_errors
def deal_economics(
    value,
    start,
    term_years,
    capex,
    lead_years=None,
    useful_life_years=None,
    tax_rate=None,
    power_cost_share=None,
    other_opex_share=None,
    profile=None,
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
    facility_capex=None,
    facility_life_years=None,
    committed_capex_share=None,
    margin_override=None,
):
    """The provider's yearly cash flows from a contract: revenue, capex (ahead of revenue), depreciation, opex, operating profit, deal margin, tax, residual value and cash flow (money in the unit of value).

    Example: =DEAL.ECONOMICS(38, DATE(2025,11,3), 7, 20) spends 20 in 2024 and 20 again in 2029 (5-year servers bought again for the contract's last years) and returns 4.74 in total.
    """
    return cv.table(
        deal_cash_flows(
            cv.number("value", value),
            cv.date("start", start),
            cv.number("term_years", term_years),
            capex=cv.number("capex", capex),
            **cv.optional_numbers(locals(), CASH_FLOW_ARGS + COST_STACK_ARGS),
            **cv.schedule_options(locals()),
        )
    )


@xw.func(name="NPV_IRR", category=CATEGORY)
@shared_args(*CONTRACT_ARGS, *ECONOMICS_OPTIONS, profile=profile_doc(deal_cash_flows))
@shared_args("capex", "discount_rate", *CASH_FLOW_ARGS, docs=DOCS_MODEL)
@shared_args(*COST_STACK_ARGS, docs=DOCS_MODEL)
@excel_errors
def deal_npv_irr(
    value,
    start,
    term_years,
    capex,
    discount_rate,
    lead_years=None,
    useful_life_years=None,
    tax_rate=None,
    power_cost_share=None,
    other_opex_share=None,
    profile=None,
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
    facility_capex=None,
    facility_life_years=None,
    committed_capex_share=None,
    margin_override=None,
):
    """The provider's returns on a contract: npv at the start date (money), irr (fraction; blank if none), payback_year (blank if never), total_cash_flow, discount_rate and lifetime_margin, as name/value rows.

    Example: =DEAL.NPV_IRR(38, DATE(2025,11,3), 7, 20, 0.09) gives an NPV of -4.56 and an IRR of 0.040, paying back in 2032 (the servers are bought again in 2029).
    """
    return cv.name_value_table(
        deal_returns(
            cv.number("value", value),
            cv.date("start", start),
            cv.number("term_years", term_years),
            capex=cv.number("capex", capex),
            discount_rate=cv.number("discount_rate", discount_rate),
            **cv.optional_numbers(locals(), CASH_FLOW_ARGS + COST_STACK_ARGS),
            **cv.schedule_options(locals()),
        )
    )
