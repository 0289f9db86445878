"""The provider's economics of a compute contract: yearly cash flows -> NPV, IRR, payback year.

Conventions (stated once):

* Years are fiscal years (``fiscal_year_end`` as in the schedule), labelled
  by the calendar year in which they end.
* Capex follows the contract's *planned* build: capacity in service tracks
  the highest revenue run-rate of the undelayed, fully used schedule, and
  its capex is spent ``lead_years`` ahead (:func:`core.capacity.capex_timing`).
  Revenue follows the realised schedule (utilisation, delivery delay), so a
  delay moves revenue later while capex and depreciation still land
  (the brief's supply risk).
* Depreciation: each year's capex in service is depreciated straight-line
  over ``useful_life_years`` from the year it enters service (full-year
  convention; Amazon: 5 years for servers from 2025, FY2024 10-K).
* Power and other opex are fractions of revenue (they scale with usage).
* Tax = tax_rate × (revenue − depreciation − opex), negative in a loss year:
  the provider's other profits absorb the loss (group relief).
* Cash flow = revenue − opex − tax − capex. NPV discounts each year's cash
  flow to the first year of the table (its flow undiscounted, year-end
  convention thereafter).

Money is in the caller's unit (the template uses US$ billions).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from core.capacity import capex_timing
from core.conventions import DAYS_PER_YEAR
from core.schedule import contract_end, contract_schedule
from core.validation import as_date, check_fraction, check_number

__all__ = [
    "annual_run_rate",
    "deal_cash_flows",
    "deal_economics",
    "deal_returns",
    "depreciation_weights",
    "economics_summary",
    "irr",
    "npv",
    "payback_year",
]

CASH_FLOW_COLUMNS = [
    "year",
    "revenue",
    "capex",
    "depreciation",
    "power_cost",
    "other_opex",
    "operating_profit",
    "tax",
    "cash_flow",
    "cumulative_cash_flow",
]


def _yearly(schedule: pd.DataFrame) -> pd.Series:
    """Schedule revenue indexed by fiscal year (``FY2026`` -> 2026)."""
    years = schedule["period"].str.slice(2).astype(int).to_numpy()
    return pd.Series(schedule["revenue"].to_numpy(dtype=float), index=years)


def annual_run_rate(schedule: pd.DataFrame, start: Any, term_years: float) -> pd.Series:
    """Annualised revenue of each fiscal year: revenue × 365.25 ÷ contract days in the year.

    Parameters
    ----------
    schedule : pandas.DataFrame
        A yearly :func:`core.schedule.contract_schedule` of the contract (money).
    start, term_years
        The contract, as in :func:`core.schedule.contract_schedule`; partial first
        and last years count only their contract days.

    Returns
    -------
    pandas.Series
        Money a year, indexed by fiscal year (``FY2026`` -> 2026).

    Examples
    --------
    AWS–OpenAI on a straight line runs at 38 × 365.25 / 2557 = $5.43B a year in
    every year, the partial ones included:

    >>> plan = contract_schedule(38, "2025-11-03", 7)
    >>> rate = annual_run_rate(plan, "2025-11-03", 7)
    >>> round(float(rate[2025]), 4), round(float(rate[2029]), 4), round(38 * 365.25 / 2557, 4)
    (5.428, 5.428, 5.428)
    """
    first = as_date("start", start)
    last = contract_end(first, term_years)
    starts = pd.to_datetime(schedule["start"])
    ends = pd.to_datetime(schedule["end"])
    live = (
        (ends.clip(upper=pd.Timestamp(last)) - starts.clip(lower=pd.Timestamp(first))).dt.days + 1
    ).to_numpy()
    revenue = schedule["revenue"].to_numpy(dtype=float)
    rate = np.divide(revenue * DAYS_PER_YEAR, live, out=np.zeros_like(revenue), where=live > 0)
    return pd.Series(rate, index=_yearly(schedule).index)


def depreciation_weights(useful_life_years: float) -> np.ndarray:
    """Share of a year's capex depreciated in that year and each later one (full-year convention).

    Straight line over the useful life: 1 ÷ life in each whole year, and the
    fraction of a year left over in the last one.

    Parameters
    ----------
    useful_life_years : float
        Depreciation life, years (> 0).

    Returns
    -------
    numpy.ndarray
        Fractions summing to 1, first the year capex enters service.

    Examples
    --------
    A server fleet on a 4.5-year life (analyst illustration) depreciates 2/9 a year, then 1/9:

    >>> (depreciation_weights(4.5) * 9).round(9).tolist()
    [2.0, 2.0, 2.0, 2.0, 1.0]
    """
    life = check_number("useful_life_years", useful_life_years, minimum=0, strict_min=True)
    full, part = int(math.floor(life)), life - math.floor(life)
    return np.array([1.0] * full + ([part] if part > 1e-12 else [])) / life


def _depreciation(in_service: pd.Series, life: float) -> pd.Series:
    """Straight-line depreciation by year of capex entering service by year (full-year convention)."""
    weights = depreciation_weights(life)
    first = int(in_service.index[0])
    out = np.zeros(len(in_service) + weights.size)
    for i, amount in enumerate(in_service.to_numpy(dtype=float)):
        out[i : i + weights.size] += amount * weights
    return pd.Series(out, index=np.arange(first, first + out.size))


def deal_cash_flows(
    value: float,
    start: Any,
    term_years: float,
    *,
    capex: float,
    lead_years: float = 1.0,
    useful_life_years: float = 5.0,
    power_cost_share: float = 0.0,
    other_opex_share: float = 0.0,
    tax_rate: float = 0.21,
    profile: str = "straight",
    fiscal_year_end: int = 12,
    realisation: float = 1.0,
    delay_days: int = 0,
    delay_mode: str = "extend",
    **profile_params: Any,
) -> pd.DataFrame:
    """Yearly cash flows of a contract for the provider.

    Parameters
    ----------
    value, start, term_years
        The contract, as in :func:`core.schedule.contract_schedule` (value > 0, money).
    capex : float, keyword-only
        Capital spent on the contract's capacity (IT and facility), money (>= 0).
    lead_years : float
        Years capex is spent ahead of the revenue it serves (0–10; analyst assumption).
    useful_life_years : float
        Depreciation life (> 0). Amazon: 5 years for servers from 2025 (FY2024 10-K).
    power_cost_share, other_opex_share : float
        Power and other operating costs as fractions of revenue.
    tax_rate : float
        Tax on operating profit, a fraction (0.21: US federal statutory rate).
    profile, fiscal_year_end, realisation, delay_days, delay_mode, **profile_params
        Shape of the revenue, as in :func:`core.schedule.contract_schedule`.

    Returns
    -------
    pandas.DataFrame
        One row per fiscal year: ``year``, ``revenue``, ``capex``, ``depreciation``,
        ``power_cost``, ``other_opex``, ``operating_profit``, ``tax``, ``cash_flow``
        and ``cumulative_cash_flow`` (money; costs and capex positive numbers).

    Examples
    --------
    AWS–OpenAI on a straight line with $20B of capex a year ahead: total cash flow is
    revenue less tax on revenue less depreciation (all capex depreciated), less capex.

    >>> t = deal_cash_flows(38, "2025-11-03", 7, capex=20)
    >>> int(t["year"].iloc[0]), round(float(t["cash_flow"].sum()), 6), round(38 - 0.21 * (38 - 20) - 20, 6)
    (2024, 14.22, 14.22)
    """
    amount = check_number("value", value, minimum=0, strict_min=True)
    start_date = as_date("start", start)
    spend = check_number("capex", capex, minimum=0)
    life = check_number("useful_life_years", useful_life_years, minimum=0, strict_min=True, maximum=50)
    power = check_fraction("power_cost_share", power_cost_share)
    other = check_fraction("other_opex_share", other_opex_share)
    tax = check_fraction("tax_rate", tax_rate)
    shape = dict(profile=profile, frequency="year", fiscal_year_end=fiscal_year_end, **profile_params)

    plan = contract_schedule(amount, start_date, term_years, **shape)
    timing = capex_timing(
        annual_run_rate(plan, start_date, term_years), spend, lead_years=lead_years
    ).set_index("year")
    depreciation = _depreciation(
        timing["capex_in_service"].loc[plan["period"].str.slice(2).astype(int)], life
    )
    revenue = _yearly(
        contract_schedule(
            amount,
            start_date,
            term_years,
            realisation=realisation,
            delay_days=delay_days,
            delay_mode=delay_mode,
            **shape,
        )
    )

    years = np.arange(
        int(timing.index.min()),
        int(max(revenue.index.max(), depreciation.index.max(), timing.index.max())) + 1,
    )
    table = pd.DataFrame({"year": years})
    table["revenue"] = revenue.reindex(years, fill_value=0.0).to_numpy()
    table["capex"] = timing["capex"].reindex(years, fill_value=0.0).to_numpy()
    table["depreciation"] = depreciation.reindex(years, fill_value=0.0).to_numpy()
    table["power_cost"] = power * table["revenue"]
    table["other_opex"] = other * table["revenue"]
    table["operating_profit"] = (
        table["revenue"] - table["depreciation"] - table["power_cost"] - table["other_opex"]
    )
    table["tax"] = tax * table["operating_profit"]
    table["cash_flow"] = (
        table["revenue"] - table["power_cost"] - table["other_opex"] - table["tax"] - table["capex"]
    )
    table["cumulative_cash_flow"] = table["cash_flow"].cumsum()
    active = np.flatnonzero(table[["revenue", "capex", "depreciation"]].to_numpy().any(axis=1))
    return table[CASH_FLOW_COLUMNS].iloc[: active[-1] + 1].reset_index(drop=True)


def npv(rate: float, cash_flows: Any) -> float:
    """Net present value of yearly cash flows, the first undiscounted (numpy-financial's ``npv``).

    >>> round(npv(0.10, [-100, 60, 60]), 4)
    4.1322
    """
    import numpy_financial as npf

    r = check_number("rate", rate, minimum=-1, strict_min=True)
    flows = np.asarray(cash_flows, dtype=float)
    return float(npf.npv(r, flows))


def irr(cash_flows: Any) -> float | None:
    """Internal rate of return of yearly cash flows, or ``None`` when there is none.

    >>> round(irr([-100, 60, 60]), 6)
    0.130662
    >>> irr([100, 60]) is None
    True
    """
    import numpy_financial as npf

    flows = np.asarray(cash_flows, dtype=float)
    # Zero (or rounding-noise) flows at either end do not move the IRR but upset the root finder.
    big = np.flatnonzero(np.abs(flows) > 1e-12 * np.abs(flows).max(initial=0.0))
    flows = flows[big[0] : big[-1] + 1] if big.size else flows[:0]
    if flows.size < 2 or not (np.any(flows < 0) and np.any(flows > 0)):
        return None
    rate = float(npf.irr(flows))
    return rate if math.isfinite(rate) else None


def payback_year(table: pd.DataFrame) -> int | None:
    """First year from which cumulative cash flow stays at or above zero; ``None`` if it ends negative.

    >>> payback_year(pd.DataFrame({"year": [2025, 2026, 2027], "cash_flow": [-10, 6, 6]}))
    2027
    """
    cumulative = table["cash_flow"].cumsum().to_numpy()
    negative = np.flatnonzero(cumulative < -1e-12 * max(1.0, float(np.abs(cumulative).max(initial=0))))
    if negative.size and negative[-1] == cumulative.size - 1:
        return None
    return int(table["year"].iloc[negative[-1] + 1 if negative.size else 0])


def economics_summary(table: pd.DataFrame, *, discount_rate: float) -> dict[str, Any]:
    """NPV (money), IRR (fraction or ``None``) and payback year of a cash-flow table.

    >>> s = economics_summary(deal_cash_flows(38, "2025-11-03", 7, capex=20), discount_rate=0.09)
    >>> s["payback_year"], round(s["irr"], 3)
    (2029, 0.131)
    """
    rate = check_fraction("discount_rate", discount_rate)
    flows = table["cash_flow"].to_numpy(dtype=float)
    return {
        "npv": npv(rate, flows),
        "irr": irr(flows),
        "payback_year": payback_year(table),
        "total_cash_flow": float(flows.sum()),
        "discount_rate": rate,
    }


def deal_economics(
    value: float, start: Any, term_years: float, *, capex: float, discount_rate: float, **options: Any
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Cash-flow table and its summary (``npv``, ``irr``, ``payback_year``) in one call.

    ``options`` are the keyword options of :func:`deal_cash_flows`;
    ``discount_rate`` is a fraction (no public figure: an analyst assumption).

    Examples
    --------
    >>> table, summary = deal_economics(38, "2025-11-03", 7, capex=20, discount_rate=0.09)
    >>> summary["npv"] > 0, len(table)
    (True, 9)
    """
    table = deal_cash_flows(value, start, term_years, capex=capex, **options)
    return table, economics_summary(table, discount_rate=discount_rate)


def deal_returns(
    value: float, start: Any, term_years: float, *, capex: float, discount_rate: float, **options: Any
) -> dict[str, Any]:
    """The summary of :func:`deal_economics` alone: ``npv``, ``irr``, ``payback_year``, ``total_cash_flow``.

    Examples
    --------
    >>> r = deal_returns(38, "2025-11-03", 7, capex=20, discount_rate=0.09)
    >>> r["payback_year"], round(r["npv"], 3)
    (2029, 3.356)
    """
    return deal_economics(value, start, term_years, capex=capex, discount_rate=discount_rate, **options)[1]
