"""The fixed structure of a run: everything about one model run that does not vary between draws."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
from typing import Any

import numpy as np
import pandas as pd

from core.assumptions import Assumptions
from core.capacity import capex_lead_shares
from core.contracts import booking_day
from core.conventions import (
    DAYS_PER_YEAR,
)
from core.counterparty import commitment_schedule
from core.economics import depreciation_weights
from core.model import (
    MARKET_VALUE_YEAR,
    customer_portfolio,
    fiscal_year_of,
    profile_params,
)
from core.schedule import (
    contract_days,
    contract_schedule,
    first_full_fiscal_year,
    fiscal_periods,
    fiscal_year_end_date,
    profile_cdf,
)
from core.simulation.inputs import SIMULATION_INPUTS

# --------------------------------------------------------------------------- the fixed structure


@dataclasses.dataclass
class _Plan:
    """Everything about one model run that does not vary between draws."""

    a: Assumptions
    fixed: dict[str, float]
    total: int
    year1_days: float
    linear_xf: float | None
    cdf: Any
    q_edges: np.ndarray  # quarter boundaries, contract days (clipped at 0)
    year_of_quarter: np.ndarray  # group start indices of fiscal years in the quarter grid
    years: np.ndarray  # fiscal year numbers of the grid
    year_starts: np.ndarray  # first contract day of each grid fiscal year (clipped at 0)
    straight_frac: np.ndarray  # straight-line share of each grid fiscal year
    plan_edges: np.ndarray  # undelayed fiscal-year boundaries (contract days, clipped to the term)
    year_bounds: np.ndarray  # grid fiscal-year boundaries (contract days, the first clipped at 0)
    plan_annualise: np.ndarray  # days in year ÷ contract days in year, plan years
    anniversary1: float  # contract days to the first anniversary
    rpo_t: float  # days elapsed at the end of the first quarter
    rpo_12: float  # days from then to twelve months later
    pad: int  # table years before the grid's first (capex spent ahead)
    lead_shares: tuple[tuple[int, float], ...]  # (years ahead, share) of capex spending
    life_it: _Life  # IT life (the server life and its extension)
    life_facility: _Life  # facility life
    table_rev_index: np.ndarray  # table-year index of each grid fiscal year
    n_table: int
    year2_index: int  # table index of the first full fiscal year (core.schedule.first_full_fiscal_year)
    discount_years: np.ndarray  # years from the signing date to each table year's end
    base_before_full: float  # the year before the first full year − the base year (growth's baseline)
    base_table: np.ndarray  # each table year − the base year (the baseline's exponent)
    table_lo: np.ndarray  # contract day each table year starts on (negative: before the start)
    table_hi: np.ndarray  # contract day after each table year ends
    first_capex_row: int  # table row of the signing year: no capex before it
    target_edges: np.ndarray  # contract days of the customer's target year (calendar), first and after last
    own_in_target: bool  # the deal can earn in the customer's target year (for some delay drawn)
    other_commitments: float  # the customer's other contracts' spend in its target year
    mv_span: int
    max_delay_days: int  # the longest delay of the run (whole days): the curve's last row
    horizon_days: float  # the grid's last contract day + 1 (the longest delay's end in extend mode)
    curve: _Curve = dataclasses.field(init=False, repr=False)  # the revenue curve's points by delay

    def __post_init__(self) -> None:
        self.curve = _curve(self)


@dataclasses.dataclass
class _Curve:
    """Where the revenue curve is read, for every whole-day delay from 0 to the run's longest.

    A draw's delay (whole days) is its row. The contract time of each point
    (clipped to [0, 1]) depends on the delay alone, so it is worked out once a
    run for every delay, not once a draw: the delayed points (``DELAYED``
    order) in ``x``, the undelayed ones (the plan's fiscal-year edges and the
    first anniversary) in ``x_plan``. For the linear profile the ramp's two
    parts of each point (``min(x, x_f)`` and ``max(x − x_f, 0)``) are kept
    too; any other profile does not depend on a draw's inputs, so its
    cumulative share is kept instead (``f``, ``f_plan``).
    """

    x: np.ndarray  # delayed points × delays (a point's row: one value a delay)
    delivered_all: np.ndarray  # by delay: the whole schedule is delivered (no forfeited tail)
    x_plan: np.ndarray  # undelayed points
    m: np.ndarray | None  # linear profile: min(x, x_f), delayed points × delays
    tail: np.ndarray | None  # linear profile with x_f < 1: max(x − x_f, 0)
    m_plan: np.ndarray | None
    tail_plan: np.ndarray | None
    f: np.ndarray | None  # another profile: its cumulative share at x
    f_plan: np.ndarray | None
    year_edges: slice  # the delayed points' groups: fiscal-year edges, the end, RPO, target year
    end: int
    rpo: slice
    target: slice


def _curve(plan: _Plan) -> _Curve:
    """The revenue curve's points for every delay of a run (see :class:`_Curve`); the same arithmetic,
    operation by operation, as the engine applied draw by draw, so the values are unchanged."""
    a, total = plan.a, float(plan.total)
    year_edges = np.append(plan.year_of_quarter, plan.q_edges.size - 1)
    points = np.concatenate(
        [plan.q_edges[year_edges], [math.inf, plan.rpo_t, plan.rpo_t + plan.rpo_12], plan.target_edges]
    )
    ny = year_edges.size
    d = np.arange(plan.max_delay_days + 1, dtype=float)[:, None]
    horizon = total + d if a.delay_mode == "extend" else total + 0 * d
    shape = total - d if a.delay_mode == "compress" else total + 0 * d
    x = np.minimum(points[None, :], horizon)
    x -= d
    x /= shape
    np.clip(x, 0.0, 1.0, out=x)
    x_plan = np.clip(np.append(plan.plan_edges, plan.anniversary1) / total, 0.0, 1.0)
    m = tail = m_plan = tail_plan = f = f_plan = None
    xf = plan.linear_xf
    if xf is None:
        f, f_plan = plan.cdf(x), plan.cdf(x_plan)
    elif xf > 0:
        m, m_plan = np.minimum(x, xf), np.minimum(x_plan, xf)
        if xf < 1:
            tail, tail_plan = np.maximum(x - xf, 0.0), np.maximum(x_plan - xf, 0.0)

    def by_point(table: np.ndarray | None) -> np.ndarray | None:
        return None if table is None else np.ascontiguousarray(table.T)

    return _Curve(
        x=np.ascontiguousarray(x.T),
        delivered_all=((horizon - d) >= shape)[:, 0],
        x_plan=x_plan,
        m=by_point(m),
        tail=by_point(tail),
        m_plan=m_plan,
        tail_plan=tail_plan,
        f=by_point(f),
        f_plan=f_plan,
        year_edges=slice(0, ny),
        end=ny,
        rpo=slice(ny + 1, ny + 3),
        target=slice(ny + 3, ny + 5),
    )


#: A depreciation life as (whole years, their weight, the last part's weight or 0, the weights' sum,
#: the years it spans: capex is bought again that many years after entering service).
_Life = tuple[int, float, float, float, int]


def _life(life: float) -> _Life:
    """A depreciation life as :data:`_Life` (:func:`core.economics.depreciation_weights`)."""
    weights = depreciation_weights(life)
    full = int(math.floor(life))
    part = float(weights[full]) if weights.size > full else 0.0
    return full, float(weights[0]) if full else 0.0, part, float(weights.sum()), int(weights.size)


@functools.lru_cache(maxsize=16)
def _plan(a: Assumptions, max_delay_days: int) -> _Plan:
    """The fixed structure of a run (cached: the same inputs and longest delay give the same plan, unchanged)."""
    fixed = {name: float(getattr(a, name)) for name in SIMULATION_INPUTS}
    params = profile_params(a)
    total = contract_days(a.start_date, a.term_years)
    xf = None
    if a.profile == "linear":
        xf = (a.full_at - a.start_date).days / total
    cdf = profile_cdf(a.profile, a.start_date, a.term_years, **params)
    day0 = np.datetime64(a.start_date, "D")

    horizon = total + (max_delay_days if a.delay_mode == "extend" else 0)
    quarters = fiscal_periods(
        a.start_date,
        a.start_date + dt.timedelta(days=horizon - 1),
        frequency="quarter",
        fiscal_year_end=a.fiscal_year_end,
    )
    q_start = (quarters["start"].to_numpy(dtype="datetime64[D]") - day0).astype(np.int64)
    q_end = (quarters["end"].to_numpy(dtype="datetime64[D]") - day0).astype(np.int64) + 1
    q_edges = np.maximum(np.append(q_start, q_end[-1]), 0).astype(float)
    fy = quarters["period"].str.slice(2, 6).astype(int).to_numpy()
    starts = np.flatnonzero(np.diff(fy, prepend=fy[0] - 1))
    years = fy[starts]

    straight = contract_schedule(
        1.0, a.start_date, a.term_years, frequency="year", fiscal_year_end=a.fiscal_year_end
    )
    s_years = straight["period"].str.slice(2).astype(int).to_numpy()
    straight_frac = np.zeros(years.size)
    straight_frac[np.searchsorted(years, s_years)] = straight["revenue"].to_numpy(dtype=float)

    plan_start = (straight["start"].to_numpy(dtype="datetime64[D]") - day0).astype(np.int64)
    plan_end = (straight["end"].to_numpy(dtype="datetime64[D]") - day0).astype(np.int64) + 1
    plan_edges = np.clip(np.append(plan_start, plan_end[-1]), 0, total).astype(float)
    live = np.minimum(plan_end, total) - np.maximum(plan_start, 0)
    annualise = DAYS_PER_YEAR / live

    # Economics table: from the first spending year to the last year of the realised
    # schedule (the longest delay's); depreciation running past it is the residual.
    lead = a.capex_lead_years
    shares, pad = capex_lead_shares(lead), int(math.ceil(lead))
    first_table = int(years[0]) - pad
    n_table = int(years[-1]) - first_table + 1
    table_rev_index = years - first_table
    ends = [fiscal_year_end_date(first_table + j, a.fiscal_year_end) for j in range(n_table)]
    discount_years = np.array([(end - a.signing_date).days for end in ends], dtype=float) / DAYS_PER_YEAR

    # Current RPO at the end of the quarter the contract is booked in (the signing quarter).
    booked = booking_day(a) if a.booking == "full" else a.start_date
    first_q_end = fiscal_periods(booked, booked, frequency="quarter", fiscal_year_end=a.fiscal_year_end)[
        "end"
    ].iloc[0]
    rpo_t = (first_q_end - a.start_date).days + 1
    year_later = (pd.Timestamp(first_q_end) + pd.DateOffset(months=12)).date()

    # Counterparty, on the customer's calendar years: the other contracts' spend in the target year
    # is fixed; this deal's is its own realised schedule between the target year's edges.
    portfolio = customer_portfolio(a)
    others_rows = portfolio.iloc[1:]
    others = 0.0
    if not others_rows.empty:
        spend = commitment_schedule(others_rows, fiscal_year_end=12)
        row = spend[spend["year"] == a.customer_target_year]
        others = float(row["commitments"].iloc[0]) if not row.empty else 0.0
    target_first = dt.date(a.customer_target_year, 1, 1)
    target_edges = np.array(
        [(target_first - a.start_date).days, (dt.date(a.customer_target_year + 1, 1, 1) - a.start_date).days],
        dtype=float,
    )
    table_years = np.arange(first_table, first_table + n_table)
    full_year = first_full_fiscal_year(a.start_date, a.fiscal_year_end)  # the margin and growth figures' year
    lo_days = [
        (fiscal_year_end_date(int(y) - 1, a.fiscal_year_end) - a.start_date).days + 1 for y in table_years
    ]
    hi_days = [(fiscal_year_end_date(int(y), a.fiscal_year_end) - a.start_date).days + 1 for y in table_years]

    return _Plan(
        a=a,
        fixed=fixed,
        total=total,
        year1_days=float(straight_frac[0]),
        linear_xf=xf,
        cdf=cdf,
        q_edges=q_edges,
        year_of_quarter=starts,
        years=years,
        year_starts=q_edges[starts],
        straight_frac=straight_frac,
        plan_edges=plan_edges,
        year_bounds=q_edges[np.append(starts, q_edges.size - 1)],
        plan_annualise=annualise,
        anniversary1=float(min(contract_days(a.start_date, 1.0), total))
        if a.term_years > 1
        else float(total),
        rpo_t=float(rpo_t),
        rpo_12=float((year_later - first_q_end).days),
        pad=pad,
        lead_shares=tuple(shares),
        life_it=_life(a.useful_life_years + a.server_life_extension_years),
        life_facility=_life(a.facility_life_years),
        table_rev_index=table_rev_index,
        n_table=n_table,
        year2_index=full_year - first_table,
        discount_years=discount_years,
        base_before_full=float(full_year - 1 - a.base_year),
        base_table=(table_years - a.base_year).astype(float),
        table_lo=np.array(lo_days, dtype=float),
        table_hi=np.array(hi_days, dtype=float),
        first_capex_row=max(fiscal_year_of(a.signing_date, a.fiscal_year_end) - first_table, 0),
        target_edges=target_edges,
        own_in_target=bool(target_edges[1] > 0 and target_edges[0] < horizon),
        other_commitments=others,
        mv_span=max(MARKET_VALUE_YEAR, a.signing_date.year) - a.signing_date.year,
        max_delay_days=int(max_delay_days),
        horizon_days=float(horizon),
    )
