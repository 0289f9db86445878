"""The provider's economics of a compute contract: yearly cash flows -> NPV, IRR, payback year.

Conventions (stated once):

* Years are fiscal years (``fiscal_year_end`` as in the schedule), labelled
  by the calendar year in which they end.
* Capex follows the contract's build: capacity in service tracks the
  highest revenue run-rate reached so far, and its capex is spent
  ``lead_years`` ahead (:func:`core.capacity.capex_timing`), but never
  before ``first_capex_year`` (the model passes the signing date's fiscal
  year: nothing is built for a contract before it is signed, so capex the
  lead would place earlier is spent in the signing year). Revenue follows
  the realised schedule (utilisation, delivery delay). When delivery is
  delayed, ``committed_capex_share`` of the capex (facility, GPUs already
  delivered) still lands on the original timetable and the rest waits for
  the delayed capacity: a delay hurts margin and NPV, not only timing (the
  article's supply risk).
* Depreciation: IT capex (``capex``) over ``useful_life_years`` (plus
  ``life_extension_years`` when the deal runs its servers longer) and facility
  capex over ``facility_life_years``, each straight-line from the year it
  enters service (full-year convention; Amazon: 5 years for servers from
  2025, FY2024 10-K).
* Refresh: capex whose life ends before the contract's last revenue year is
  bought again in the year after its last year of depreciation, at the same
  price (the same share of the capex), spent ``lead_years`` ahead like the
  first, and depreciated over the same life; a replacement whose life also
  ends in time is replaced in turn. So the deal's last years carry the cost of
  the servers that serve them (a 7-year contract on 5-year servers buys its
  servers twice) instead of running on fully depreciated ones.
* The deal's P&L ends with its last revenue year. Capex not yet depreciated
  by then (a facility outlives a 7-year contract) is its residual value: the
  provider keeps the assets for other customers, so their net book value is
  carried out of the deal as a cash inflow in that year, with no profit or tax.
* Power and other opex are fractions of revenue (they scale with usage).
  With ``margin_override`` m the operating profit is m × revenue and other
  opex is whatever makes it so (costs = revenue × (1 − m)).
* Operating profit = revenue − depreciation − power − other opex; the deal's
  margin in a year is operating profit ÷ revenue.
* Tax = tax_rate × operating profit, negative in a loss year: the provider's
  other profits absorb the loss (group relief).
* Cash flow = revenue − power − other opex − tax − capex + residual value.
  NPV discounts each fiscal year's cash flow from the year's last day to one
  valuation date (the signing date in the model) by actual days ÷ 365.25, so
  the valuation date does not move with the capex lead; flows before it are
  compounded forward. The IRR is the rate at which that same NPV is zero
  (:func:`irr_at`): one day-count for both.

Money is in the caller's unit (the template uses US$ billions).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

from core.capacity import capex_lead_shares, capex_timing
from core.conventions import DAYS_PER_YEAR
from core.schedule import contract_end, contract_schedule, fiscal_year_end_date
from core.validation import DealDeskInputError, as_date, check_fraction, check_number

__all__ = [
    "annual_run_rate",
    "deal_cash_flows",
    "deal_economics",
    "deal_returns",
    "depreciation_weights",
    "economics_summary",
    "irr",
    "irr_at",
    "lifetime_margin",
    "npv",
    "npv_at",
    "payback_year",
    "refreshed_in_service",
]

CASH_FLOW_COLUMNS = [
    "year",
    "revenue",
    "capex",
    "refresh_capex",
    "depreciation",
    "power_cost",
    "other_opex",
    "operating_profit",
    "deal_margin",
    "tax",
    "residual_value",
    "cash_flow",
    "cumulative_cash_flow",
]


def _yearly(schedule: pd.DataFrame) -> pd.Series:
    """Schedule revenue indexed by fiscal year (``FY2026`` -> 2026)."""
    years = schedule["period"].str.slice(2).astype(int).to_numpy()
    return pd.Series(schedule["revenue"].to_numpy(dtype=float), index=years)


def annual_run_rate(
    schedule: pd.DataFrame, start: Any, term_years: float, *, delay_days: int = 0
) -> pd.Series:
    """Annualised revenue of each fiscal year: revenue × 365.25 ÷ contract days in the year.

    Parameters
    ----------
    schedule : pandas.DataFrame
        A yearly :func:`core.schedule.contract_schedule` of the contract (money).
    start, term_years
        The contract, as in :func:`core.schedule.contract_schedule`; partial first
        and last years count only their contract days.
    delay_days : int, keyword-only
        Days the contract's end moves out (a delay in ``extend`` mode): the last
        contract day is that many days after the term's.

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
    last = contract_end(first, term_years) + dt.timedelta(days=int(delay_days))
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


def _placed(run_rate: pd.Series, capex: float, lead_years: float) -> pd.DataFrame:
    return capex_timing(run_rate, capex, lead_years=lead_years).set_index("year")


def refreshed_in_service(in_service: pd.Series, useful_life_years: float, last_year: int) -> pd.Series:
    """Capex entering service by year with its replacements: each year's capex is bought again when its life ends.

    Capex entering service in year y is depreciated in the ``n`` years from y
    (``n`` = the length of :func:`depreciation_weights`, the life rounded up);
    if year y + n is not after ``last_year`` it is bought again then, and so on.

    Parameters
    ----------
    in_service : pandas.Series
        Capex entering service by year (index: consecutive integer years), money.
    useful_life_years : float
        Depreciation life, years (> 0).
    last_year : int
        The contract's last revenue year: nothing is replaced after it.

    Returns
    -------
    pandas.Series
        Capex entering service by year, replacements included, from the first year to
        ``last_year`` (or the last year of ``in_service`` if later).

    Examples
    --------
    $10 entering service in 2026 on a 5-year life, contract to 2032: bought again in 2031.

    >>> refreshed_in_service(pd.Series([10.0], index=[2026]), 5, 2032).to_dict()
    {2026: 10.0, 2027: 0.0, 2028: 0.0, 2029: 0.0, 2030: 0.0, 2031: 10.0, 2032: 0.0}
    """
    span = depreciation_weights(useful_life_years).size
    first = int(in_service.index[0])
    years = np.arange(first, max(int(last_year), int(in_service.index[-1])) + 1)
    out = in_service.reindex(years, fill_value=0.0).to_numpy(dtype=float).copy()
    for i in range(years.size):  # ascending: a replacement is itself replaced when its life ends in time
        if out[i] and years[i] + span <= last_year:
            out[i + span] += out[i]
    return pd.Series(out, index=years)


def _lead_spend(in_service: pd.Series, lead_years: float) -> pd.Series:
    """Capex spent by year for capex entering service by year, ``lead_years`` ahead (:func:`core.capacity.capex_lead_shares`)."""
    pad = int(math.ceil(lead_years))
    first = int(in_service.index[0]) - pad
    years = np.arange(first, int(in_service.index[-1]) + 1)
    spent = np.zeros(years.size)
    for ahead, share in capex_lead_shares(lead_years):
        spent[pad - ahead : pad - ahead + in_service.size] += share * in_service.to_numpy(dtype=float)
    return pd.Series(spent, index=years)


def deal_cash_flows(
    value: float,
    start: Any,
    term_years: float,
    *,
    capex: float,
    facility_capex: float = 0.0,
    lead_years: float = 1.0,
    useful_life_years: float = 5.0,
    life_extension_years: float = 0.0,
    facility_life_years: float = 15.0,
    committed_capex_share: float = 1.0,
    power_cost_share: float = 0.0,
    other_opex_share: float = 0.0,
    margin_override: float | None = None,
    tax_rate: float = 0.21,
    profile: str = "straight",
    fiscal_year_end: int = 12,
    realisation: float = 1.0,
    delay_days: int = 0,
    delay_mode: str = "extend",
    first_capex_year: int | None = None,
    **profile_params: Any,
) -> pd.DataFrame:
    """Yearly cash flows and operating profit of a contract for the provider.

    Parameters
    ----------
    value, start, term_years
        The contract, as in :func:`core.schedule.contract_schedule` (value > 0, money).
    capex : float, keyword-only
        IT capital (servers, GPUs, network) spent on the contract's capacity,
        money (>= 0), depreciated over ``useful_life_years``.
    facility_capex : float, keyword-only
        Building and power/cooling plant, money (>= 0), depreciated over
        ``facility_life_years``.
    lead_years : float
        Years capex is spent ahead of the revenue it serves (0–10; analyst assumption).
    useful_life_years, facility_life_years : float
        Depreciation lives, years (> 0, <= 50). Amazon: 5 years for servers from
        2025 (FY2024 10-K); 15 years for the facility is an analyst assumption.
        Capex whose life ends before the contract's last revenue year is bought
        again (:func:`refreshed_in_service`).
    life_extension_years : float
        Years the deal runs its servers beyond ``useful_life_years`` (>= 0): the IT
        capex is depreciated over the sum (and refreshed only if that still ends
        before the contract does).
    committed_capex_share : float
        Share of capex spent and placed in service on the undelayed timetable
        when delivery is delayed (fraction; 1 = all capex lands as planned).
    power_cost_share, other_opex_share : float
        Power and other operating costs as fractions of revenue.
    margin_override : float or None
        An operating margin (fraction, -1..1) to impose instead of the cost stack.
    tax_rate : float
        Tax on operating profit, a fraction (0.21: US federal statutory rate).
    profile, fiscal_year_end, realisation, delay_days, delay_mode, **profile_params
        Shape of the revenue, as in :func:`core.schedule.contract_schedule`.
    first_capex_year : int, optional
        No capex is spent before this fiscal year (the signing year in the model): what the
        lead would place earlier is spent in it. Default: no such floor.

    Returns
    -------
    pandas.DataFrame
        One row per fiscal year from the first capex to the last revenue year:
        ``year``, ``revenue``, ``capex`` (refresh included), ``refresh_capex``
        (the part of capex that replaces capex at the end of its life),
        ``depreciation``, ``power_cost``,
        ``other_opex``, ``operating_profit``, ``deal_margin`` (operating
        profit ÷ revenue; NaN-free: 0 where there is no revenue), ``tax``,
        ``residual_value``, ``cash_flow`` and ``cumulative_cash_flow`` (money;
        costs and capex positive numbers).

    Examples
    --------
    AWS–OpenAI on a straight line (all capacity in service in FY2025) with $20B of IT
    capex a year ahead on 5-year servers: depreciated 2025–2029, bought again for 2030
    (spent in 2029), of which 3 of 5 years (12) fall in the contract (to FY2032) and 8 come
    back as residual value. Total cash flow is revenue less tax on (revenue less
    depreciation) less capex plus the residual:

    >>> t = deal_cash_flows(38, "2025-11-03", 7, capex=20)
    >>> int(t["year"].iloc[0]), float(t["refresh_capex"].sum()), round(float(t["depreciation"].sum()), 6)
    (2024, 20.0, 32.0)
    >>> round(float(t["cash_flow"].sum()), 6), round(38 - 0.21 * (38 - 32) - 40 + 8, 6)
    (4.74, 4.74)
    """
    amount = check_number("value", value, minimum=0, strict_min=True)
    start_date = as_date("start", start)
    spend_it = check_number("capex", capex, minimum=0)
    spend_facility = check_number("facility_capex", facility_capex, minimum=0)
    life = check_number("useful_life_years", useful_life_years, minimum=0, strict_min=True, maximum=50)
    life += check_number("life_extension_years", life_extension_years, minimum=0, maximum=50)
    facility_life = check_number(
        "facility_life_years", facility_life_years, minimum=0, strict_min=True, maximum=50
    )
    committed = check_fraction("committed_capex_share", committed_capex_share)
    power = check_fraction("power_cost_share", power_cost_share)
    other = check_fraction("other_opex_share", other_opex_share)
    override = (
        None
        if margin_override is None
        else check_number("margin_override", margin_override, minimum=-1, maximum=1)
    )
    tax = check_fraction("tax_rate", tax_rate)
    shape = dict(profile=profile, frequency="year", fiscal_year_end=fiscal_year_end, **profile_params)
    plan = contract_schedule(amount, start_date, term_years, **shape)
    delayed = contract_schedule(
        amount, start_date, term_years, delay_days=delay_days, delay_mode=delay_mode, **shape
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
    planned_rate = annual_run_rate(plan, start_date, term_years)
    # The delayed schedule's own years: in extend mode its contract runs delay_days longer.
    extra = int(delay_days) if delay_mode == "extend" else 0
    delayed_rate = annual_run_rate(delayed, start_date, term_years, delay_days=extra)
    if not delayed_rate.gt(0).any():  # a forfeit delay as long as the term: nothing is delivered
        delayed_rate = planned_rate
    placed = []  # (in service by year, life) for each asset class and timetable
    for total, asset_life in ((spend_it, life), (spend_facility, facility_life)):
        for rate, weight in ((planned_rate, committed), (delayed_rate, 1.0 - committed)):
            if weight > 0 and total > 0:
                timing = _placed(rate, total * weight, lead_years)
                placed.append((timing["capex_in_service"].loc[int(rate.index[0]) :], asset_life))
    last_revenue = (
        int(revenue.index[np.flatnonzero(revenue.to_numpy() > 0)[-1]])
        if (revenue > 0).any()
        else int(revenue.index.max())
    )
    last = max(last_revenue, int(revenue.index.max()))
    first = min(
        [int(s.index[0]) - int(math.ceil(lead_years)) for s, _ in placed] + [int(revenue.index.min())]
    )
    if first_capex_year is not None:  # nothing is spent before it (revenue may still start earlier)
        first = max(first, min(first_capex_year, int(revenue.index.min())))
    years = np.arange(first, last + 1)
    table = pd.DataFrame({"year": years})
    table["revenue"] = revenue.reindex(years, fill_value=0.0).to_numpy()
    capex_by_year = np.zeros(years.size)
    refresh_by_year = np.zeros(years.size)
    depreciation = np.zeros(years.size)
    late_capex = 0.0  # capex spent after the last revenue year (none unless the plan outruns revenue)
    undepreciated = 0.0
    for in_service, asset_life in placed:
        # Capex whose life ends before the contract does is bought again (refresh).
        refreshed = refreshed_in_service(in_service, asset_life, last)
        spent = _not_before(_lead_spend(refreshed, lead_years), first_capex_year)
        refresh = _not_before(
            _lead_spend(refreshed - in_service.reindex(refreshed.index, fill_value=0.0), lead_years),
            first_capex_year,
        )
        dep = _depreciation(refreshed, asset_life)
        capex_by_year += spent.reindex(years, fill_value=0.0).to_numpy()
        refresh_by_year += refresh.reindex(years, fill_value=0.0).to_numpy()
        late_capex += float(spent[spent.index > years[-1]].sum())
        depreciation += dep.reindex(years, fill_value=0.0).to_numpy()
        undepreciated += float(dep[dep.index > years[-1]].sum())
    capex_by_year[-1] += late_capex
    table["capex"] = capex_by_year
    table["refresh_capex"] = refresh_by_year
    table["depreciation"] = depreciation
    table["power_cost"] = power * table["revenue"]
    if override is None:
        table["other_opex"] = other * table["revenue"]
    else:
        table["other_opex"] = (
            table["revenue"] * (1.0 - override) - table["depreciation"] - table["power_cost"]
        )
    table["operating_profit"] = (
        table["revenue"] - table["depreciation"] - table["power_cost"] - table["other_opex"]
    )
    rev = table["revenue"].to_numpy()
    table["deal_margin"] = np.divide(
        table["operating_profit"].to_numpy(), rev, out=np.zeros_like(rev), where=rev > 0
    )
    table["tax"] = tax * table["operating_profit"]
    residual = np.zeros(years.size)
    residual[-1] = undepreciated
    table["residual_value"] = residual
    table["cash_flow"] = (
        table["revenue"]
        - table["power_cost"]
        - table["other_opex"]
        - table["tax"]
        - table["capex"]
        + table["residual_value"]
    )
    table["cumulative_cash_flow"] = table["cash_flow"].cumsum()
    return table[CASH_FLOW_COLUMNS].reset_index(drop=True)


def _not_before(spent: pd.Series, year: int | None) -> pd.Series:
    """Spending by year with what falls before ``year`` spent in ``year`` instead (None: unchanged).

    >>> _not_before(pd.Series([1.0, 2.0, 3.0], index=[2024, 2025, 2026]), 2025).tolist()
    [3.0, 3.0]
    """
    if year is None or spent.empty or int(spent.index.min()) >= year:
        return spent
    early = float(spent[spent.index < year].sum())
    kept = spent[spent.index >= year].copy()
    kept.loc[year] = kept.get(year, 0.0) + early
    return kept.sort_index()


def lifetime_margin(table: pd.DataFrame) -> float:
    """The deal's operating margin over its life: Σ operating profit ÷ Σ revenue, a fraction.

    $20B of IT capex bought twice over 7 years, 32 of it depreciated in the contract:

    >>> t = deal_cash_flows(38, "2025-11-03", 7, capex=20)
    >>> round(lifetime_margin(t), 6), round((38 - 32) / 38, 6)
    (0.157895, 0.157895)
    """
    revenue = float(table["revenue"].sum())
    if not revenue > 0:  # NaN too
        raise DealDeskInputError(
            f"table must hold revenue for a lifetime margin (operating profit ÷ revenue), got total revenue {revenue:g}"
        )
    return float(table["operating_profit"].sum()) / revenue


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


def irr_at(table: pd.DataFrame, *, fiscal_year_end: int = 12) -> float | None:
    """The rate at which :func:`npv_at` of a cash-flow table is zero (flows dated at fiscal year-ends),
    or ``None`` when there is none: the same day-count as the NPV (actual days ÷ 365.25).

    The valuation date does not move the root (it scales every flow alike), so none is needed.
    Found by bisection between −99% and 1,000% a year, to 1e-12.

    Examples
    --------
    −100 at the end of 2025 and +110 at the end of 2026 (365 days later): 110 × (1 + r)^(−365/365.25)
    = 100, so r = 1.1^(365.25/365) − 1, a hair above 10%:

    >>> t = pd.DataFrame({"year": [2025, 2026], "cash_flow": [-100.0, 110.0]})
    >>> round(irr_at(t), 10), round(1.1 ** (365.25 / 365) - 1, 10)
    (0.1000718114, 0.1000718114)
    """
    flows = table["cash_flow"].to_numpy(dtype=float)
    big = np.flatnonzero(np.abs(flows) > 1e-12 * np.abs(flows).max(initial=0.0))
    if big.size < 2 or not (np.any(flows[big] < 0) and np.any(flows[big] > 0)):
        return None
    ends = [fiscal_year_end_date(int(y), fiscal_year_end) for y in table["year"]]
    tau = np.array([(end - ends[0]).days for end in ends], dtype=float) / DAYS_PER_YEAR

    def value(rate: float) -> float:
        return float(np.sum(flows * (1.0 + rate) ** -tau))

    low, high = -0.99, 10.0
    f_low, f_high = value(low), value(high)
    if not (np.isfinite(f_low) and np.isfinite(f_high)) or f_low * f_high > 0:
        return None
    for _ in range(200):
        mid = (low + high) / 2
        f_mid = value(mid)
        if f_mid == 0 or high - low < 1e-12:
            break
        if (f_mid < 0) == (f_low < 0):
            low, f_low = mid, f_mid
        else:
            high = mid
    return (low + high) / 2


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


def npv_at(rate: float, table: pd.DataFrame, valuation_date: Any, *, fiscal_year_end: int = 12) -> float:
    """NPV of a yearly cash-flow table at one date: each year's flow dated at its fiscal year's last day.

    npv = Σ cash_flow_y × (1 + rate) ^ −(days from ``valuation_date`` to the end of year y ÷ 365.25)

    Flows dated before the valuation date (capex spent ahead) are compounded forward,
    so the valuation date does not move with the capex lead.

    Examples
    --------
    −100 at the end of 2025 and +110 at the end of 2026, valued on 2025-12-31 at 10%:
    the second flow is 365 days away, so the NPV is 110 × 1.1 ^ −(365 / 365.25) − 100:

    >>> t = pd.DataFrame({"year": [2025, 2026], "cash_flow": [-100.0, 110.0]})
    >>> round(npv_at(0.10, t, "2025-12-31"), 6), round(110 * 1.1 ** (-365 / 365.25) - 100, 6)
    (0.006524, 0.006524)
    """
    r = check_number("rate", rate, minimum=-1, strict_min=True)
    day = as_date("valuation_date", valuation_date)
    ends = [fiscal_year_end_date(int(y), fiscal_year_end) for y in table["year"]]
    tau = np.array([(end - day).days for end in ends], dtype=float) / DAYS_PER_YEAR
    flows = table["cash_flow"].to_numpy(dtype=float)
    return float(np.sum(flows * (1.0 + r) ** -tau))


def economics_summary(
    table: pd.DataFrame,
    *,
    discount_rate: float,
    valuation_date: Any = None,
    fiscal_year_end: int = 12,
) -> dict[str, Any]:
    """NPV (money), IRR (fraction or ``None``), payback year and lifetime margin of a cash-flow table.

    With ``valuation_date`` the NPV is :func:`npv_at` that date (fiscal years ending in
    ``fiscal_year_end``) and the IRR :func:`irr_at`, on the same day-count; without it, both
    take the flows one year apart, the first undiscounted (numpy-financial's convention).

    >>> s = economics_summary(deal_cash_flows(38, "2025-11-03", 7, capex=20), discount_rate=0.09)
    >>> s["payback_year"], round(s["irr"], 3)
    (2032, 0.04)
    """
    rate = check_fraction("discount_rate", discount_rate)
    flows = table["cash_flow"].to_numpy(dtype=float)
    value = (
        npv(rate, flows)
        if valuation_date is None
        else npv_at(rate, table, valuation_date, fiscal_year_end=fiscal_year_end)
    )
    return {
        "npv": value,
        "irr": irr(flows) if valuation_date is None else irr_at(table, fiscal_year_end=fiscal_year_end),
        "payback_year": payback_year(table),
        "total_cash_flow": float(flows.sum()),
        "discount_rate": rate,
        "lifetime_margin": lifetime_margin(table),
    }


def deal_economics(
    value: float, start: Any, term_years: float, *, capex: float, discount_rate: float, **options: Any
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Cash-flow table and its summary (``npv``, ``irr``, ``payback_year``) in one call.

    ``options`` are the keyword options of :func:`deal_cash_flows`;
    ``discount_rate`` is a fraction (no public figure: an analyst assumption).
    The NPV is valued at the contract's start (:func:`npv_at`).

    Examples
    --------
    $20B of servers bought twice for a $38B contract does not earn 9%:

    >>> table, summary = deal_economics(38, "2025-11-03", 7, capex=20, discount_rate=0.09)
    >>> summary["npv"] < 0, len(table)
    (True, 9)
    """
    table = deal_cash_flows(value, start, term_years, capex=capex, **options)
    summary = economics_summary(
        table,
        discount_rate=discount_rate,
        valuation_date=start,
        fiscal_year_end=options.get("fiscal_year_end", 12),
    )
    return table, summary


def deal_returns(
    value: float, start: Any, term_years: float, *, capex: float, discount_rate: float, **options: Any
) -> dict[str, Any]:
    """The summary of :func:`deal_economics` alone: ``npv``, ``irr``, ``payback_year``, ``total_cash_flow``.

    Examples
    --------
    Valued at the start (2025-11-03): the 2024 capex is compounded forward ten months.

    >>> r = deal_returns(38, "2025-11-03", 7, capex=20, discount_rate=0.09)
    >>> r["payback_year"], round(r["npv"], 3)
    (2032, -4.563)
    """
    return deal_economics(value, start, term_years, capex=capex, discount_rate=discount_rate, **options)[1]
