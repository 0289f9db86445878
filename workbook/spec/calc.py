"""The calculation sheets: Schedule, Backlog, Margin, Capacity, Economics, Counterparty, Valuation.

Each is a ``CalcSheet`` on the one time axis, one formula per row (FAST), written with names and
turned to live values; ``SHEET_ORDER`` gives every sheet of the workbook in order.
"""

from __future__ import annotations

import dataclasses

from core.model import MARKET_VALUE_YEAR
from workbook.spec.inputs import live_formula
from workbook.spec.layout import (
    BENCHMARKS_SHEET,
    CHECK_SHEET,
    CLAIMS_SHEET,
    COMPANIES_SHEET,
    COVER_SHEET,
    DEALS_SHEET,
    EXPOSURE_SHEET,
    INPUT_SHEET,
    OUTPUT_SHEET,
    SCENARIO_SHEET,
    WATCH_SHEET,
)


@dataclasses.dataclass(frozen=True)
class Figure:
    """One named scalar calculation (a FAST 'constant' of a calculation sheet)."""

    name: str
    label: str
    unit: str
    formula: str
    fmt: str = "number"
    style: str = "formula"


@dataclasses.dataclass(frozen=True)
class CalcRow:
    """One time-axis row: the same formula in every period column.

    ``first`` is the first column's formula when the row looks back
    (``{row@prev}``); ``total`` is ``"sum"`` (the total column sums the row),
    ``"last"`` (the row's last in-contract value) or ``None``.
    """

    name: str
    label: str
    unit: str
    formula: str
    first: str | None = None
    total: str | None = None
    fmt: str = "number"
    style: str = "formula"


@dataclasses.dataclass(frozen=True)
class CalcSheet:
    """A calculation sheet: figures on top, then the time axis and its rows."""

    title: str
    purpose: str
    figures: tuple[Figure, ...] = ()
    rows: tuple[CalcRow, ...] = ()
    time_axis: bool = True


@dataclasses.dataclass(frozen=True)
class Check:
    """One check: a formula that is TRUE when the model is sound."""

    name: str
    label: str
    formula: str


# The ramp revenue of one period, read from the custom function's table.
# DEAL.SCHEDULE returns a dynamic array with a header row and one row per
# fiscal period (period, start, end, revenue, cumulative); the time axis of
# the template starts at the same first period, so period k is table row k + 1
# and revenue is column 4. One INDEX per cell rather than one spilled array:
# the headless engine (``formulas``) evaluates a formula's array result in its
# own cell but does not spill it into neighbours, and Excel 365 treats a
# workbook formula without dynamic-array metadata as a legacy formula
# (implicit intersection), so a scalar per cell is the one style that shows
# the same numbers in Excel, LibreOffice and the headless evaluator.
_SCHEDULE_CALL = (
    "DEAL.SCHEDULE(contract_value,start_date,term_years,profile,frequency,fiscal_year_end,"
    "realisation,delay_quarters,delay_mode,full_at,initial_rate)"
)

_SCHEDULE = CalcSheet(
    title="Schedule",
    purpose=(
        "Revenue by fiscal period: the straight-line view (value ÷ term by actual days) against "
        "the modelled ramp (profile, realisation, delay) from DEAL.SCHEDULE."
    ),
    figures=(
        Figure("period_months", "Months per period", "months",
               '=IF(frequency="month",1,IF(frequency="quarter",3,12))', "integer"),
        Figure("contract_days_total", "Contract days", "days",
               "=EDATE(start_date,ROUND(term_years*12,0))-start_date", "count"),
        # A quarter is 365.25 / 4 days, rounded to whole days half-to-even as the core
        # rounds (core.schedule.delay_days_from_quarters); Excel's ROUND rounds halves
        # away from zero, hence the explicit half case (8 quarters = 730.5 -> 730).
        Figure("delay_days", "Delivery delay", "days",
               "=IF(MOD(delay_quarters*365.25/4,1)=0.5,2*ROUND(delay_quarters*365.25/8,0),"
               "ROUND(delay_quarters*365.25/4,0))", "count"),
        Figure("horizon_days", "Days revenue can fall in", "days",
               '=contract_days_total+IF(delay_mode="extend",delay_days,0)', "count"),
        Figure("contract_last_day", "Last day of revenue", "date", "=start_date+horizon_days-1", "date"),
        Figure("first_period_start", "First period starts", "date",
               "=DATE(YEAR(start_date),MONTH(start_date)-MOD(MOD(MONTH(start_date)-fiscal_year_end-1,12),"
               "period_months),1)", "date"),
        Figure("straight_line_run_rate", "Straight line a year", "US$ bn a year",
               "=contract_value/term_years", "usd_bn"),
        Figure("sched_straight_total", "Straight line, whole term", "US$ bn", "=SUM(sched_straight)", "usd_bn"),
        Figure("sched_ramp_total", "Ramp, whole term", "US$ bn", "=SUM(sched_ramp)", "usd_bn"),
        Figure("sched_gap_total", "Straight line minus ramp, whole term", "US$ bn", "=SUM(sched_gap)", "usd_bn"),
        Figure("periods_in_contract", "Periods holding revenue", "periods", "=SUM(sched_in_contract)", "count"),
        # The first fiscal year the contract runs from its first day (core.schedule.first_full_fiscal_year):
        # the start's own when the start is that year's first day, else the next. The growth figures
        # below and the margin figures of the first full year read this year.
        Figure("first_full_year", "First full fiscal year (runs from its first day)", "year",
               "=YEAR(start_date)+IF(MONTH(start_date)>fiscal_year_end,1,0)"
               "+IF(AND(DAY(start_date)=1,MONTH(start_date)=MOD(fiscal_year_end,12)+1),0,1)", "year"),
        Figure("base_before_full", "Provider base revenue, the year before it", "US$ bn",
               "=base_revenue*(1+base_growth)^(first_full_year-1-base_year)", "usd_bn"),
        # Growth contribution = change in deal revenue from the year before to the first full year
        # ÷ the provider's base revenue in the year before × 100 (a year off the axis earns 0).
        Figure("growth_straight_full_pp", "Growth contribution, straight line, first full year", "pp",
               "=(SUMIFS(sched_straight,sched_fiscal_year,first_full_year)"
               "-SUMIFS(sched_straight,sched_fiscal_year,first_full_year-1))/base_before_full*100", "pp"),
        Figure("growth_ramp_full_pp", "Growth contribution, ramp, first full year", "pp",
               "=(SUMIFS(sched_ramp,sched_fiscal_year,first_full_year)"
               "-SUMIFS(sched_ramp,sched_fiscal_year,first_full_year-1))/base_before_full*100", "pp"),
        Figure("growth_gap_full_pp", "Growth overstatement, first full year", "pp",
               "=growth_straight_full_pp-growth_ramp_full_pp", "pp"),
    ),
    rows=(
        CalcRow("sched_index", "Period number", "#", "={sched_index@prev}+1", first="=1", fmt="integer"),
        CalcRow("sched_start", "Period start", "date", "=EDATE({sched_start@prev},period_months)",
                first="=first_period_start", fmt="date"),
        CalcRow("sched_end", "Period end", "date", "=EDATE({sched_start},period_months)-1", fmt="date"),
        CalcRow("sched_in_contract", "Holds contract days", "flag",
                "=IF({sched_start}<=contract_last_day,1,0)", fmt="flag"),
        CalcRow("sched_fiscal_year", "Fiscal year of the period", "year",
                "=YEAR({sched_end})+IF(MONTH({sched_end})>fiscal_year_end,1,0)", fmt="year"),
        CalcRow(
            "sched_label",
            "Fiscal period",
            "label",
            '=IF({sched_in_contract}=1,IF(frequency="month",YEAR({sched_start})&"-"&'
            'IF(MONTH({sched_start})<10,"0","")&MONTH({sched_start}),'
            '"FY"&(YEAR({sched_start})+IF(MONTH({sched_start})>fiscal_year_end,1,0))&'
            'IF(frequency="quarter","Q"&(INT(MOD(MONTH({sched_start})-fiscal_year_end-1,12)/3)+1),"")),"")',
            fmt="text",
        ),
        CalcRow(
            "sched_straight",
            "Straight-line revenue",
            "US$ bn",
            "=contract_value*(MAX(0,MIN(contract_days_total,{sched_end}+1-start_date))"
            "-MAX(0,MIN(contract_days_total,{sched_start}-start_date)))/contract_days_total",
            total="sum",
            fmt="usd_bn",
        ),
        CalcRow(
            "sched_ramp",
            "Ramp revenue (DEAL.SCHEDULE)",
            "US$ bn",
            "=IF({sched_in_contract}=1,INDEX(" + _SCHEDULE_CALL + ",{sched_index}+1,4),0)",
            total="sum",
            fmt="usd_bn",
        ),
        CalcRow("sched_gap", "Straight line minus ramp", "US$ bn", "={sched_straight}-{sched_ramp}",
                total="sum", fmt="usd_bn"),
        CalcRow("sched_ramp_cumulative", "Ramp revenue to date", "US$ bn",
                "={sched_ramp_cumulative@prev}+{sched_ramp}", first="={sched_ramp}", fmt="usd_bn"),
        CalcRow("sched_share_earned", "Share of value earned to date", "fraction",
                "={sched_ramp_cumulative}/contract_value", fmt="pct"),
        # The provider's baseline (the base year's revenue grown at the base growth) in the period before:
        # the previous fiscal year's when the period opens a fiscal year, else this one's.
        CalcRow("sched_base_before", "Provider base revenue in the period before (baseline)", "US$ bn",
                "=base_revenue*(1+base_growth)^({sched_fiscal_year}"
                "-IF(MONTH({sched_start})=MOD(fiscal_year_end,12)+1,1,0)-base_year)*period_months/12",
                fmt="usd_bn"),
        CalcRow(
            "sched_growth_pp",
            "Ramp's contribution to provider growth",
            "pp",
            "=({sched_ramp}-{sched_ramp@prev})/{sched_base_before}*100",
            first="={sched_ramp}/{sched_base_before}*100",
            fmt="pp",
        ),
    ),
)

_BACKLOG = CalcSheet(
    title="Backlog",
    purpose=(
        "Remaining performance obligation (ASC 606): ending = beginning + bookings − revenue recognised − "
        "unused commitment derecognised (at the period holding the last day). 'full' books the whole value "
        "at signing; 'staged' books one tranche at the start of each period, ahead of its revenue."
    ),
    figures=(
        Figure("backlog_added", "Backlog added at signing", "US$ bn",
               '=IF(booking="full",contract_value,INDEX(bl_bookings,1,1))', "usd_bn"),
        Figure("backlog_after", "Reported backlog with the deal", "US$ bn",
               "=reported_backlog+backlog_added", "usd_bn"),
        Figure("backlog_deal_share", "Deal's share of backlog", "fraction",
               "=backlog_added/backlog_after", "pct"),
        Figure("backlog_unused", "Commitment never recognised", "US$ bn",
               "=contract_value-sched_ramp_total", "usd_bn"),
        Figure("backlog_final", "Backlog left after the last period", "US$ bn",
               "=INDEX(bl_ending,1,COLUMNS(bl_ending))", "usd_bn"),
    ),
    rows=(
        CalcRow("bl_beginning", "Beginning backlog", "US$ bn", "={bl_ending@prev}", first="=0", fmt="usd_bn"),
        CalcRow("bl_recognised", "Revenue recognised", "US$ bn", "={sched_ramp}", total="sum",
                fmt="usd_bn", style="link"),
        CalcRow(
            "bl_derecognised",
            "Unused commitment derecognised",
            "US$ bn",
            "=IF(AND({sched_start}<=contract_last_day,{sched_end}>=contract_last_day),backlog_unused,0)",
            total="sum",
            fmt="usd_bn",
        ),
        CalcRow(
            "bl_bookings",
            "Bookings",
            "US$ bn",
            '=IF(booking="full",IF({sched_index}=1,contract_value,0),{bl_recognised}+{bl_derecognised})',
            total="sum",
            fmt="usd_bn",
        ),
        CalcRow("bl_ending", "Ending backlog", "US$ bn",
                "={bl_beginning}+{bl_bookings}-{bl_recognised}-{bl_derecognised}", fmt="usd_bn"),
    ),
)

_MARGIN = CalcSheet(
    title="Margin",
    purpose=(
        "Segment operating margin with the deal: (base revenue × base margin + deal operating profit) "
        "÷ (base revenue + deal revenue), against the base margin, in basis points. The deal's margin "
        "profit in each fiscal year comes from the model's cost stack (DEAL.TABLE, economics): "
        "depreciation of IT and facility capex, power and other costs, or the override; a year with "
        "depreciation but no revenue yet (a delay) dilutes too. Base revenue is the provider's baseline: "
        "its base year's revenue grown at the base growth, spread evenly over the periods. The largest "
        "dilution is read on periods the contract covers in full (a stub is shown, not counted)."
    ),
    figures=(
        Figure("margin_change_min_bps", "Largest margin dilution, full periods", "bps",
               "=MINIFS(mg_change_bps,mg_full,1)", "bps"),
        Figure("margin_deal_life", "Deal operating margin, life of contract (cost stack)", "fraction",
               '=DEAL.SCENARIO(inputs_table,scenario,"deal_margin_life")', "pct"),
    ),
    rows=(
        CalcRow("mg_deal_revenue", "Deal revenue", "US$ bn", "={sched_ramp}", total="sum", fmt="usd_bn",
                style="link"),
        CalcRow("mg_fiscal_year", "Fiscal year of the period", "year", "={sched_fiscal_year}", fmt="year",
                style="link"),
        CalcRow("mg_fy_revenue", "Deal revenue of the fiscal year (cost stack)", "US$ bn",
                '=DEAL.TABLE(inputs_table,scenario,"economics",{mg_fiscal_year},"revenue",0)', fmt="usd_bn"),
        CalcRow("mg_fy_profit", "Deal operating profit of the fiscal year (cost stack)", "US$ bn",
                '=DEAL.TABLE(inputs_table,scenario,"economics",{mg_fiscal_year},"operating_profit",0)',
                fmt="usd_bn"),
        # The fiscal year's profit shared by revenue (by months before revenue starts).
        CalcRow("mg_deal_profit", "Deal operating profit", "US$ bn",
                "={mg_fy_profit}*IF({mg_fy_revenue}>0,{mg_deal_revenue}/MAX({mg_fy_revenue},1E-300),"
                "period_months/12)", total="sum", fmt="usd_bn"),
        CalcRow("mg_deal_margin", "Deal operating margin", "fraction",
                "=IF({mg_deal_revenue}>0,{mg_deal_profit}/MAX({mg_deal_revenue},1E-300),0)", fmt="pct"),
        CalcRow("mg_full", "Period the contract covers in full (1 = yes)", "flag",
                "=IF(AND({sched_start}>=start_date,{sched_end}<=contract_last_day),1,0)", fmt="flag"),
        # A path over every column of the axis, past the contract: a total would count 40 periods.
        CalcRow("mg_base_revenue", "Provider base revenue (baseline)", "US$ bn",
                "=base_revenue*(1+base_growth)^({mg_fiscal_year}-base_year)*period_months/12",
                fmt="usd_bn"),
        CalcRow("mg_blended", "Blended operating margin", "fraction",
                "=({mg_base_revenue}*base_margin+{mg_deal_profit})/"
                "({mg_base_revenue}+{mg_deal_revenue})", fmt="pct"),
        CalcRow("mg_change_bps", "Change against base margin", "bps",
                "=({mg_blended}-base_margin)*10000", fmt="bps"),
    ),
)

_CAPACITY = CalcSheet(
    title="Capacity",
    purpose=(
        "Unit economics of the hardware: what one NVL72-class rack costs, draws and burns, and what the "
        "provider's capex buys. Vendor specs and industry estimates as sourced on the Inputs sheet."
    ),
    figures=(
        Figure("cap_it_mw_per_rack", "IT load per rack", "MW", "=kw_per_rack/1000", "twh"),
        Figure("cap_facility_mw_per_rack", "Facility load per rack (× PUE)", "MW",
               "=cap_it_mw_per_rack*pue", "twh"),
        Figure("cap_capex_per_rack_musd", "All-in capex per rack", "US$ m",
               "=rack_price_musd+facility_musd_per_mw*cap_facility_mw_per_rack", "usd"),
        Figure("cap_power_cost_per_rack_musd", "Power cost per rack a year", "US$ m a year",
               "=cap_facility_mw_per_rack*8760*power_usd_per_mwh/1000000", "usd"),
        Figure("cap_racks_per_usd_bn", "Racks per US$ bn of all-in capex", "racks",
               "=1000/cap_capex_per_rack_musd", "count"),
        Figure("cap_gpus_per_usd_bn", "GPUs per US$ bn of all-in capex", "GPUs",
               "=cap_racks_per_usd_bn*gpus_per_rack", "count"),
        Figure("cap_mw_per_usd_bn", "Facility MW per US$ bn of all-in capex", "MW",
               "=cap_racks_per_usd_bn*cap_facility_mw_per_rack", "mw"),
        Figure("cap_twh_per_gw", "Energy of 1 GW for a year", "TWh a year", "=1000*8760/1000000", "twh"),
        Figure("cap_share_us_per_gw", "1 GW's share of US electricity use", "fraction",
               "=cap_twh_per_gw/us_consumption_twh", "pct"),
        Figure("cap_capex_2026_gw", "Facility GW that the 2026 capex would buy", "GW",
               "=capex_2026*cap_mw_per_usd_bn/1000", "twh"),
    ),
    time_axis=False,
)

_ECONOMICS = CalcSheet(
    title="Economics",
    purpose=(
        "The deal's after-tax operating profit at each fiscal year's margin from the cost stack (Margin "
        "sheet), discounted at mid-period from the signing date. Capex and depreciation sit inside that "
        "margin in this view; the cash flows with capex are in DEAL.TABLE(inputs_table,,\"economics\")."
    ),
    figures=(
        Figure("econ_pv_profit", "PV of after-tax operating profit", "US$ bn", "=SUM(ec_pv)", "usd_bn"),
        Figure("econ_profit_total", "After-tax operating profit, whole term", "US$ bn",
               "=SUM(ec_after_tax)", "usd_bn"),
    ),
    rows=(
        CalcRow("ec_revenue", "Deal revenue", "US$ bn", "={sched_ramp}", total="sum", fmt="usd_bn",
                style="link"),
        CalcRow("ec_profit", "Operating profit", "US$ bn", "={mg_deal_profit}", total="sum",
                fmt="usd_bn", style="link"),
        CalcRow("ec_after_tax", "After-tax operating profit", "US$ bn", "={ec_profit}*(1-tax_rate)",
                total="sum", fmt="usd_bn"),
        CalcRow("ec_years", "Years from signing (mid-period)", "years",
                "=MAX(0,(({sched_start}+{sched_end})/2-signing_date)/365.25)", fmt="ratio"),
        CalcRow("ec_discount", "Discount factor", "factor", "=1/(1+discount_rate)^{ec_years}", fmt="ratio"),
        CalcRow("ec_pv", "Present value", "US$ bn", "={ec_after_tax}*{ec_discount}", total="sum",
                fmt="usd_bn"),
    ),
)

_COUNTERPARTY = CalcSheet(
    title="Counterparty",
    purpose=(
        "The customer's revenue path (geometric from today's revenue to its target, then the growth "
        "after the target year) against this deal's spend: how much of the customer's revenue the deal takes."
    ),
    figures=(
        Figure("cp_growth_multiple", "Required revenue multiple", "x",
               "=customer_revenue_target/customer_revenue_start", "ratio"),
        Figure("cp_required_cagr", "Required revenue growth a year", "fraction",
               "=cp_growth_multiple^(1/(customer_target_year-customer_revenue_start_year))-1", "pct"),
        Figure("cp_peak_share", "Peak share of customer revenue", "fraction", "=MAX(cp_share)", "pct"),
    ),
    rows=(
        CalcRow("cp_year", "Calendar year of period end", "year", "=YEAR({sched_end})", fmt="year"),
        CalcRow(
            "cp_customer_revenue",
            "Customer revenue",
            "US$ bn",
            "=IF({cp_year}<=customer_target_year,"
            "customer_revenue_start*(1+cp_required_cagr)^({cp_year}-customer_revenue_start_year),"
            "customer_revenue_target*(1+customer_growth_after)^({cp_year}-customer_target_year))"
            "*period_months/12",
            fmt="usd_bn",  # a path over every column of the axis, past the contract: no total
        ),
        CalcRow("cp_deal_spend", "Spend on this deal", "US$ bn", "={sched_ramp}", total="sum",
                fmt="usd_bn", style="link"),
        CalcRow("cp_share", "Deal spend ÷ customer revenue", "fraction",
                "={cp_deal_spend}/{cp_customer_revenue}", fmt="pct"),
    ),
)

_VALUATION = CalcSheet(
    title="Valuation",
    purpose=(
        "Event study of the announcement: the price after the move, the value it added, the abnormal "
        "return against the market, and the market value against the threshold and a sector shock."
    ),
    figures=(
        Figure("val_price_after", "Price after the announcement", "US$ per share",
               "=prior_close*(1+move_pct)", "usd"),
        Figure("val_price_change", "Price change", "US$ per share", "=val_price_after-prior_close", "usd"),
        Figure("val_value_added", "Market value added", "US$ bn",
               "=val_price_change*shares_outstanding", "usd_bn"),
        Figure("val_abnormal_return", "Abnormal return", "fraction", "=move_pct-market_move_pct", "pct"),
        Figure("val_abnormal_value", "Abnormal value added", "US$ bn",
               "=val_abnormal_return*prior_close*shares_outstanding", "usd_bn"),
        Figure("val_added_per_contract", "Value added ÷ contract value", "x",
               "=val_value_added/contract_value", "ratio"),
        Figure("val_market_value", "Market value after the announcement", "US$ bn",
               "=val_price_after*shares_outstanding", "usd_bn"),
        # core.model: from the signing year to MARKET_VALUE_YEAR (or the signing year if later),
        # starting after the cloud shock when the scenario applies it (the bear case).
        Figure("val_market_value_target_year", f"Market value in the threshold year ({MARKET_VALUE_YEAR})",
               "US$ bn",
               "=val_market_value*(1+cloud_shock*apply_cloud_shock)*(1+market_value_growth)"
               f"^(MAX({MARKET_VALUE_YEAR},YEAR(signing_date))-YEAR(signing_date))", "usd_bn"),
        # A threshold of 0 is none (another provider than the article's Amazon): no test, a blank.
        Figure("val_above_threshold", "At or above the market-value threshold", "flag",
               '=IF(market_value_target>0,IF(val_market_value_target_year>=market_value_target,1,0),"")',
               "flag"),
        Figure("val_after_shock", "Market value after a sector shock", "US$ bn",
               "=val_market_value*(1+cloud_shock)", "usd_bn"),
    ),
    time_axis=False,
)

def _live_sheet(sheet: CalcSheet) -> CalcSheet:
    """The sheet with every formula reading live values (:func:`live_formula`)."""
    return dataclasses.replace(
        sheet,
        figures=tuple(dataclasses.replace(f, formula=live_formula(f.formula)) for f in sheet.figures),
        rows=tuple(
            dataclasses.replace(
                r, formula=live_formula(r.formula), first=None if r.first is None else live_formula(r.first)
            )
            for r in sheet.rows
        ),
    )


#: Calculation sheets, in workbook order, driven by the live (scenario-selected) inputs.
CALC_SHEETS: tuple[CalcSheet, ...] = tuple(
    _live_sheet(sheet)
    for sheet in (_SCHEDULE, _BACKLOG, _MARGIN, _CAPACITY, _ECONOMICS, _COUNTERPARTY, _VALUATION)
)

#: Every sheet in workbook order (Scenarios sits after the calculations).
SHEET_ORDER: tuple[str, ...] = (
    COVER_SHEET,
    INPUT_SHEET,
    *(s.title for s in CALC_SHEETS),
    BENCHMARKS_SHEET,
    SCENARIO_SHEET,
    OUTPUT_SHEET,
    CLAIMS_SHEET,
    WATCH_SHEET,
    CHECK_SHEET,
    DEALS_SHEET,
    EXPOSURE_SHEET,
    COMPANIES_SHEET,
)
