"""Monte Carlo risk engine: distributions over inputs -> the whole model, vectorised over draws.

``simulate(a, distributions, draws=..., seed=...)`` draws the named inputs
(distributions from :mod:`core.distributions`, re-exported here),
runs the model for every draw at once with numpy (chunked, so memory stays
bounded) and returns a :class:`SimulationResult`: the draws of each output
(for histograms), summaries (mean, standard deviation, percentiles) and
probabilities of thresholds.

The vectorised model is the same composition as :func:`core.model.run_model`
(schedule by quarter with delay and realisation, backlog, margin, capacity,
economics, counterparty, valuation), written as array formulas. Every output
in ``SIMULATED_OUTPUTS`` equals ``run_model`` on the same inputs (the tests
prove it draw by draw), and :func:`simulate_reference` is the same model as
a plain-Python loop over draws.

Conventions, stated once:

* Randomness: draw ``i`` of input ``k`` comes from block ``i // BLOCK_DRAWS``
  of a numpy ``Generator`` seeded with ``SeedSequence(seed,
  spawn_key=(k, block))``, where ``k`` is the input's position in
  ``core.assumptions.INPUTS``. The same seed gives the same numbers whatever
  the chunk size, and an input's draws do not change when other inputs are
  added to the simulation.
* A draw outside an input's rule is clipped to its bounds (a normal
  realisation above 1 becomes 1).
* Inputs that change the model's time structure stay fixed: term, dates,
  fiscal calendar, profile, delay mode, booking, useful life and capex lead.
* The IRR and payback year are not simulated (no closed-form vector
  solution, and no value at all for some draws; use the NPV). The coverage
  ratio of a target year in which the customer has no commitments does not
  exist (``None`` in ``run_model``): it is left out of a default run and
  refused when asked for.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import os
import sys
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd

from core.assumptions import INPUTS, Assumptions, as_assumptions
from core.capacity import capex_lead_shares
from core.conventions import BPS_PER_UNIT, DAYS_PER_YEAR, HOURS_PER_YEAR
from core.counterparty import commitment_schedule
from core.distributions import (
    DISTRIBUTION_KINDS,
    Distribution,
    as_distribution,
    discrete,
    distribution,
    lognormal,
    normal,
    pert,
    triangular,
    uniform,
)
from core.economics import depreciation_weights
from core.model import (
    MARKET_VALUE_YEAR,
    NoValueError,
    customer_portfolio,
    output_names,
    profile_params,
)
from core.schedule import (
    contract_days,
    contract_schedule,
    delay_days_from_quarters,
    fiscal_periods,
    profile_cdf,
)
from core.validation import DealDeskInputError, check_number

__all__ = [
    "BLOCK_DRAWS",
    "DEFAULT_DISTRIBUTIONS",
    "DISTRIBUTION_KINDS",
    "Distribution",
    "RISK_QUESTIONS",
    "SIMULATED_OUTPUTS",
    "SIMULATION_INPUTS",
    "SimulationResult",
    "discrete",
    "distribution",
    "evaluate",
    "lognormal",
    "normal",
    "pert",
    "risk_questions",
    "sample_inputs",
    "simulate",
    "simulate_reference",
    "simulation_summary",
    "triangular",
    "uniform",
]

#: Draws per random block: the unit in which random numbers are generated.
BLOCK_DRAWS = 65_536
#: Draws evaluated at once inside a chunk: small enough for the period × draw arrays to stay in cache.
_EVAL_DRAWS = 8_192


_FIXED = {
    "term_years",
    "fiscal_year_end",
    "customer_revenue_start_year",
    "customer_target_year",
    "useful_life_years",
    "capex_lead_years",
}

#: Inputs a distribution may be put on: the numeric model inputs that do not change the
#: model's time structure.
SIMULATION_INPUTS: tuple[str, ...] = tuple(
    s.name for s in INPUTS if s.kind in ("number", "fraction") and s.name not in _FIXED
)

_SEED_KEY = {s.name: i for i, s in enumerate(INPUTS)}

#: Outputs the vectorised engine computes (names as in ``core.model.OUTPUTS``).
SIMULATED_OUTPUTS: tuple[str, ...] = tuple(n for n in output_names() if n not in ("irr", "payback_year"))


# --------------------------------------------------------------------------- input distributions


def _check_distributions(distributions: Mapping[str, Any]) -> dict[str, Distribution]:
    if not isinstance(distributions, Mapping):
        raise DealDeskInputError("distributions must map input names to distributions")
    out: dict[str, Distribution] = {}
    for key, value in distributions.items():
        name = str(key).strip()
        if name not in SIMULATION_INPUTS:
            raise DealDeskInputError(
                f"cannot simulate {name!r}; inputs that may vary: {', '.join(SIMULATION_INPUTS)}"
            )
        out[name] = as_distribution(name, value)
    return out


#: Analyst assumptions for the brief's risk questions (no public distributions exist):
#: utilisation discount 5–10% (brief), Nvidia delivery slips of 0–3 quarters, deal
#: margin between Oracle's 14% today and its 30–40% life-of-contract guide, an
#: uncertain initial run-rate, and market-value growth around 5% a year.
DEFAULT_DISTRIBUTIONS: dict[str, Distribution] = {
    "realisation": uniform(0.90, 0.95),
    "delay_quarters": discrete([0.0, 1.0, 2.0, 3.0], [0.5, 0.25, 0.15, 0.10]),
    "deal_margin": triangular(0.05, 0.15, 0.35),
    "initial_rate": uniform(0.0, 0.3),
    "base_revenue": normal(128.7, 5.0),
    "market_value_growth": normal(0.05, 0.15),
}


def _bounds(name: str) -> tuple[float, float]:
    spec = next(s for s in INPUTS if s.name == name)
    low = -math.inf if spec.minimum is None else float(spec.minimum)
    if spec.strict_min:
        low = float(np.nextafter(low, math.inf))
    high = math.inf if spec.maximum is None else float(spec.maximum)
    return low, high


def _block(seed: int, name: str, block: int, dist: Distribution) -> np.ndarray:
    rng = np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(_SEED_KEY[name], block)))
    )
    low, high = _bounds(name)
    return np.clip(dist.sample(rng, BLOCK_DRAWS), low, high)


class _Sampler:
    """Draws ``[first, last)`` of each input, generated by fixed blocks (chunk-size independent)."""

    def __init__(self, seed: int, dists: Mapping[str, Distribution]):
        self.seed, self.dists = seed, dists
        self.cache: dict[str, tuple[int, np.ndarray]] = {}

    def draws(self, name: str, first: int, last: int) -> np.ndarray:
        parts = []
        for block in range(first // BLOCK_DRAWS, (last - 1) // BLOCK_DRAWS + 1):
            cached = self.cache.get(name)
            if cached is None or cached[0] != block:
                cached = (block, _block(self.seed, name, block, self.dists[name]))
                self.cache[name] = cached
            lo = max(first - block * BLOCK_DRAWS, 0)
            hi = min(last - block * BLOCK_DRAWS, BLOCK_DRAWS)
            parts.append(cached[1][lo:hi])
        return parts[0] if len(parts) == 1 else np.concatenate(parts)


def sample_inputs(
    distributions: Mapping[str, Any], *, draws: int, seed: int = 0, first: int = 0
) -> dict[str, np.ndarray]:
    """Draws ``first .. first + draws − 1`` of each input (clipped to its bounds).

    >>> x = sample_inputs({"realisation": uniform(0.9, 0.95)}, draws=3, seed=1)["realisation"]
    >>> bool(((0.9 <= x) & (x <= 0.95)).all()), x.shape
    (True, (3,))
    """
    dists = _check_distributions(distributions)
    n = int(check_number("draws", draws, minimum=1, integer=True))
    sampler = _Sampler(int(check_number("seed", seed, minimum=0, integer=True)), dists)
    return {name: sampler.draws(name, first, first + n) for name in dists}


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
    straight_frac: np.ndarray  # straight-line share of each grid fiscal year
    plan_edges: np.ndarray  # undelayed fiscal-year boundaries (contract days)
    plan_annualise: np.ndarray  # days in year ÷ contract days in year, plan years
    anniversary1: float  # contract days to the first anniversary
    rpo_t: float  # days elapsed at the end of the first quarter
    rpo_12: float  # days from then to twelve months later
    capex_map: np.ndarray  # plan years -> table years, spend by lead
    dep_map: np.ndarray  # plan years -> table years, depreciation
    table_rev_index: np.ndarray  # table-year index of each grid fiscal year
    n_table: int
    own_commit_share: float  # own straight-line spend in the target year per unit of value
    other_commitments: float
    mv_span: int


def _plan(a: Assumptions, max_delay_days: int) -> _Plan:
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

    # Economics table: from the first spending year to the last depreciation or revenue year.
    lead, life = a.capex_lead_years, a.useful_life_years
    shares, pad = capex_lead_shares(lead), int(math.ceil(lead))
    dep_w = depreciation_weights(life)
    first_table = int(s_years[0]) - pad
    last_table = max(int(years[-1]), int(s_years[-1]) + dep_w.size - 1, int(s_years[-1]))
    n_table = last_table - first_table + 1
    n_plan = s_years.size
    capex_map = np.zeros((n_plan, n_table))
    dep_map = np.zeros((n_plan, n_table))
    for i in range(n_plan):
        j = i + pad  # table index of plan year i
        for years_ahead, share in shares:
            capex_map[i, j - years_ahead] += share
        dep_map[i, j : j + dep_w.size] += dep_w
    table_rev_index = years - first_table

    first_q_end = quarters["end"].iloc[0]
    rpo_t = (first_q_end - a.start_date).days + 1
    year_later = (pd.Timestamp(first_q_end) + pd.DateOffset(months=12)).date()

    # Counterparty: the customer's commitments in its target year; this deal's part scales with value.
    portfolio = customer_portfolio(a)
    spend = commitment_schedule(portfolio, fiscal_year_end=a.fiscal_year_end)
    row = spend[spend["year"] == a.customer_target_year]
    own_col = spend.columns[1]
    own = float(row[own_col].iloc[0]) / a.contract_value if not row.empty else 0.0
    others = float(row["commitments"].iloc[0]) - own * a.contract_value if not row.empty else 0.0

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
        straight_frac=straight_frac,
        plan_edges=plan_edges,
        plan_annualise=annualise,
        anniversary1=float(min(contract_days(a.start_date, 1.0), total))
        if a.term_years > 1
        else float(total),
        rpo_t=float(rpo_t),
        rpo_12=float((year_later - first_q_end).days),
        capex_map=capex_map,
        dep_map=dep_map,
        table_rev_index=table_rev_index,
        n_table=n_table,
        own_commit_share=own,
        other_commitments=others,
        mv_span=max(MARKET_VALUE_YEAR, a.start_date.year) - a.start_date.year,
    )


# --------------------------------------------------------------------------- vectorised model


def _cdf(plan: _Plan, x: np.ndarray, r: Any) -> np.ndarray:
    """Cumulative share at contract time ``x`` in [0, 1] (points × draws); ``r`` the initial rate per draw.

    For the linear profile F × norm = ramp(min(x, x_f)) + max(x − x_f, 0), with
    ramp(x) = r x + (1 − r) x² / (2 x_f): the same function as
    ``core.schedule.profile_cdf`` (the tests prove it), without a branch. ``x``
    may be overwritten.
    """
    if plan.linear_xf is None:
        return plan.cdf(x)
    xf = plan.linear_xf
    if xf <= 0:
        return x
    if xf >= 1:
        ramp = x * (r + (1 - r) / (2 * xf) * x)
        return ramp / (r + (1 - r) / (2 * xf))
    m = np.minimum(x, xf)
    np.subtract(x, xf, out=x)
    np.maximum(x, 0.0, out=x)
    m *= r + (1 - r) / (2 * xf) * m
    m += x
    m /= xf * (1 + r) / 2 + (1 - xf)
    return m


def _clip01(x: np.ndarray) -> np.ndarray:
    np.maximum(x, 0.0, out=x)
    return np.minimum(x, 1.0, out=x)


def _evaluate(plan: _Plan, v: Mapping[str, np.ndarray], n: int) -> dict[str, np.ndarray]:
    """The model for ``n`` draws; ``v`` maps each simulated input to its draws (others fixed).

    Layout: a per-draw quantity is a vector of ``n`` (a fixed input stays a float);
    a quantity by period is an array of periods × draws, so each period is one
    contiguous row and per-draw vectors broadcast along it.
    """
    a = plan.a
    g: dict[str, Any] = {name: v.get(name, value) for name, value in plan.fixed.items()}
    V, u, r = g["contract_value"], g["realisation"], g["initial_rate"]
    base, bm, dm = g["base_revenue"], g["base_margin"], g["deal_margin"]
    total = float(plan.total)
    # The rule of core.schedule.delay_days_from_quarters, over all draws at once.
    d = np.round(np.asarray(g["delay_quarters"], dtype=float) * DAYS_PER_YEAR / 4)
    shape = total - d if a.delay_mode == "compress" else total
    horizon = total + d if a.delay_mode == "extend" else total

    def cum(t: np.ndarray, delayed: bool = True) -> np.ndarray:
        """Cumulative share at contract days ``t`` (a column of points): points × draws."""
        x = np.empty((t.shape[0], n))
        if not delayed:
            x[...] = t / total
            return _cdf(plan, _clip01(x), r)
        np.minimum(t, horizon, out=x)
        x -= d
        x /= shape
        return _cdf(plan, _clip01(x), r)

    out: dict[str, Any] = {}
    # Schedule by quarter; a fiscal year's revenue is the cumulative schedule at its
    # first and last quarter boundary.
    F = cum(plan.q_edges[:, None])
    year_edges = np.append(plan.year_of_quarter, plan.q_edges.size - 1)
    Fy = F[year_edges]
    yearly = (V * u) * (Fy[1:] - Fy[:-1])
    s1, s2 = V * plan.straight_frac[0], V * plan.straight_frac[1]
    out["straight_line_annual"] = V / a.term_years
    out["expected_revenue_total"] = V * u
    out["unused_commitment"] = V * (1.0 - u)
    out["straight_year1"], out["straight_year2"] = s1, s2
    out["ramp_year1"], out["ramp_year2"] = yearly[0], yearly[1]
    two_s, two_r = s1 + s2, yearly[0] + yearly[1]
    out["overstatement_2y"] = two_s - two_r
    out["overstatement_2y_pct"] = np.divide(two_s - two_r, two_r, out=np.ones(n), where=two_r > 0)
    out["growth_pp_straight_year2"] = (s2 - s1) / base * 100
    out["growth_pp_ramp_year2"] = (yearly[1] - yearly[0]) / base * 100
    out["growth_pp_gap_year2"] = out["growth_pp_straight_year2"] - out["growth_pp_ramp_year2"]
    out["gap_year2"] = s2 - yearly[1]

    # Margin: mix effect by fiscal year against a flat base revenue.
    share = yearly / (base + yearly)
    change = (bm + share * (dm - bm) - bm) * BPS_PER_UNIT
    peak_at = np.abs(change).argmax(axis=0)
    out["margin_bps_year2"] = change[1]
    out["margin_bps_peak"] = change[peak_at, np.arange(n)]
    out["blended_margin_year2"] = bm + share[1] * (dm - bm)

    # Backlog.
    rep = g["reported_backlog"]
    added = V if a.booking == "full" else V * cum(np.array([[plan.anniversary1]]), delayed=False)[0]
    out["backlog_added"] = added
    out["backlog_after_deal"] = rep + added
    out["backlog_increase_pct"] = np.divide(added, rep, out=np.ones(n), where=np.asarray(rep) > 0)
    out["backlog_deal_share"] = np.divide(added, rep + added, out=np.ones(n), where=np.asarray(rep) > 0)
    t = plan.rpo_t
    points = cum(np.array([[t], [t + plan.rpo_12]]))
    f_end = _cdf(plan, _clip01(np.broadcast_to((horizon - d) / shape, (1, n)).copy()), r)[0]
    recognised = V * u * points[0]
    unused = np.maximum(V - V * u * f_end, 0.0)
    derecognised = np.where(t >= horizon, unused, 0.0)
    backlog = added - recognised - derecognised
    backlog = np.where(np.abs(backlog) <= 1e-9 * np.maximum(1.0, np.abs(V)), 0.0, backlog)
    out["current_rpo"] = np.minimum(V * (points[1] - points[0]), backlog)

    # Capacity sized so that depreciation and power at the peak run-rate leave the deal margin.
    rate = V * np.diff(cum(plan.plan_edges[:, None], delayed=False), axis=0)
    rate *= plan.plan_annualise[:, None]
    peak = rate.max(axis=0)
    gpr, kw, pue = g["gpus_per_rack"], g["kw_per_rack"], g["pue"]
    it_mw_gpu = (1.0 / gpr) * kw / 1e3
    capex_gpu = (1.0 / gpr) * g["rack_price_musd"] / 1e3 + it_mw_gpu * g["facility_musd_per_mw"] / 1e3
    power_gpu = it_mw_gpu * pue * HOURS_PER_YEAR * g["power_usd_per_mwh"] / 1e9
    gpus = np.maximum(peak * (1.0 - dm), 0.0) / (capex_gpu / a.useful_life_years + power_gpu)
    racks = gpus / gpr
    it_mw = racks * kw / 1e3
    grid_mw = it_mw * pue
    energy = grid_mw * HOURS_PER_YEAR
    it_capex = racks * g["rack_price_musd"] / 1e3
    facility = it_mw * g["facility_musd_per_mw"] / 1e3
    capex = it_capex + facility
    power_cost = energy * g["power_usd_per_mwh"] / 1e9
    out.update(
        peak_run_rate=peak,
        gpus=gpus,
        racks=racks,
        facility_mw=grid_mw,
        it_capex=it_capex,
        facility_capex=facility,
        deal_capex=capex,
        energy_twh=energy / 1e6,
        us_power_share=energy / (g["us_consumption_twh"] * 1e6),
        power_cost=power_cost,
    )
    cap26 = g["capex_2026"]
    out["deal_capex_share_2026"] = np.divide(capex, cap26, out=np.zeros(n), where=np.asarray(cap26) > 0)

    # Economics: capex in service follows the highest run-rate so far, spent ahead by the lead.
    added_rate = np.maximum.accumulate(rate, axis=0)
    added_rate[1:] -= added_rate[:-1].copy()
    in_service = added_rate
    in_service *= capex / added_rate.sum(axis=0)
    capex_t = _apply_map(in_service, plan.capex_map)
    dep_t = _apply_map(in_service, plan.dep_map)
    power_share = np.minimum(np.divide(power_cost, peak, out=np.zeros(n), where=peak > 0), 1.0)
    tax_rate, factor = g["tax_rate"], 1.0 / (1.0 + g["discount_rate"])
    rev_of = dict(zip(plan.table_rev_index.tolist(), range(len(plan.table_rev_index)), strict=True))
    npv = np.zeros(n)
    cash_total = np.zeros(n)
    for j in range(plan.n_table - 1, -1, -1):  # Horner: cf0 + f (cf1 + f (cf2 + ...))
        revenue = yearly[rev_of[j]] if j in rev_of else 0.0
        net = revenue - power_share * revenue
        cash = net - tax_rate * (net - dep_t[j]) - capex_t[j]
        npv *= factor
        npv += cash
        cash_total += cash
    out["npv"] = npv
    out["total_cash_flow"] = cash_total

    # Counterparty in the target year.
    cs, ct = g["customer_revenue_start"], g["customer_revenue_target"]
    years = a.customer_target_year - a.customer_revenue_start_year
    out["customer_required_cagr"] = (ct / cs) ** (1.0 / years) - 1.0
    out["customer_revenue_multiple"] = ct / cs
    commitments = plan.other_commitments + V * plan.own_commit_share
    revenue_target = cs * (1.0 + out["customer_required_cagr"]) ** years
    out["commitments_target_year"] = commitments
    # No commitments in the target year (a plan property): no coverage ratio; ``_defined`` drops it.
    out["coverage_target_year"] = revenue_target / np.where(commitments > 0, commitments, np.inf)
    out["funding_gap_target_year"] = commitments - revenue_target

    # Valuation.
    prior, shares = g["prior_close"], g["shares_outstanding"]
    price = prior * (1.0 + g["move_pct"])
    after = price * shares
    out["price_after"] = price
    out["value_added"] = (price - prior) * shares
    out["value_added_to_contract"] = out["value_added"] / V
    out["abnormal_return"] = (price / prior - 1.0) - (0.0 + 1.0 * g["market_move_pct"])
    out["market_value_after"] = after
    at_target = after * (1.0 + g["market_value_growth"]) ** plan.mv_span
    out["market_value_target_year"] = at_target
    out["market_value_passes"] = np.asarray(at_target >= g["market_value_target"], dtype=float)
    out["market_value_required_growth"] = (
        (g["market_value_target"] / after) ** (1.0 / plan.mv_span) - 1.0 if plan.mv_span > 0 else 0.0
    )
    out["cloud_shock_value"] = after * g["cloud_shock"]
    return {name: np.broadcast_to(np.asarray(x, dtype=float), (n,)) for name, x in out.items()}


def _apply_map(x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``weights.T @ x`` for a sparse banded map of plan years to table years, row by row."""
    out = np.zeros((weights.shape[1], x.shape[1]))
    for i, j in zip(*np.nonzero(weights), strict=True):
        out[j] += x[i] * weights[i, j]
    return out


# --------------------------------------------------------------------------- results


@dataclasses.dataclass
class SimulationResult:
    """Draws of the simulated outputs, with summaries.

    ``values`` maps each requested output to its draws (a float array, one
    value per draw, in draw order); ``inputs`` maps each simulated input to its
    draws when they were kept.
    """

    values: dict[str, np.ndarray]
    inputs: dict[str, np.ndarray]
    draws: int
    seed: int

    def probability(self, name: str, *, below: float | None = None, above: float | None = None) -> float:
        """Share of draws with ``name`` strictly below ``below`` or strictly above ``above``."""
        if (below is None) == (above is None):
            raise DealDeskInputError("give exactly one of below or above")
        x = self._get(name)
        return float(np.mean(x < below) if below is not None else np.mean(x > above))

    def _get(self, name: str) -> np.ndarray:
        if name not in self.values:
            raise DealDeskInputError(f"output must be one of {', '.join(self.values)}; got {name!r}")
        return self.values[name]

    def summary(self, percentiles: Iterable[float] = (5, 25, 50, 75, 95)) -> pd.DataFrame:
        """One row per output: mean, stdev, standard error of the mean, min, percentiles, max."""
        pcts = [float(p) for p in percentiles]
        rows = []
        for name, x in self.values.items():
            q = np.percentile(x, pcts) if pcts else []
            sd = float(x.std(ddof=1)) if x.size > 1 else 0.0
            rows.append(
                [
                    name,
                    float(x.mean()),
                    sd,
                    sd / math.sqrt(x.size),
                    float(x.min()),
                    *map(float, q),
                    float(x.max()),
                ]
            )
        cols = ["output", "mean", "stdev", "se_mean", "min", *[f"p{p:g}" for p in pcts], "max"]
        return pd.DataFrame(rows, columns=cols)

    def to_frame(self) -> pd.DataFrame:
        """The draws as a DataFrame (inputs then outputs), one row per draw."""
        return pd.DataFrame({**self.inputs, **self.values})


def _outputs(outputs: Any) -> tuple[str, ...]:
    if outputs is None:
        return SIMULATED_OUTPUTS
    names = (outputs,) if isinstance(outputs, str) else tuple(outputs)
    for name in names:
        if name not in SIMULATED_OUTPUTS:
            raise DealDeskInputError(f"output must be one of {', '.join(SIMULATED_OUTPUTS)}; got {name!r}")
    return names


def _defined(plan: _Plan, names: tuple[str, ...], *, asked: bool) -> tuple[str, ...]:
    """``names`` without the outputs that have no value for this plan (refused when ``asked`` for)."""
    if plan.other_commitments > 0 or plan.own_commit_share > 0 or "coverage_target_year" not in names:
        return names
    if asked:
        raise NoValueError(
            "coverage_target_year: the customer has no commitment spend in the target year "
            f"{plan.a.customer_target_year}, so no draw has a coverage ratio"
        )
    return tuple(n for n in names if n != "coverage_target_year")


def _prepare(
    a: Any, distributions: Any, draws: Any, seed: Any
) -> tuple[Assumptions, dict[str, Distribution], int, int]:
    a = as_assumptions("a", a)
    profile_params(a)  # refuses profiles the model cannot run
    dists = _check_distributions(DEFAULT_DISTRIBUTIONS if distributions is None else distributions)
    n = int(check_number("draws", draws, minimum=1, maximum=100_000_000, integer=True))
    s = int(check_number("seed", seed, minimum=0, maximum=2**63 - 1, integer=True))
    return a, dists, n, s


def _max_delay_days(a: Assumptions, dists: Mapping[str, Distribution]) -> int:
    if "delay_quarters" not in dists:
        return a.delay_days
    low, high = _bounds("delay_quarters")
    # Draws are clipped to the rule, so the longest delay is the distribution's upper
    # end clipped the same way (an upper end below zero means no delay, not a negative one).
    return delay_days_from_quarters(min(max(dists["delay_quarters"].upper, low), high))


def _default_workers() -> int:
    """CPUs to use by default: at most 4, and 1 where threads cannot start (Pyodide)."""
    if sys.platform == "emscripten":
        return 1
    return min(os.cpu_count() or 1, 4)


def simulate(
    a: Assumptions | None = None,
    distributions: Mapping[str, Any] | None = None,
    *,
    draws: int = 10_000,
    seed: int = 0,
    outputs: Iterable[str] | str | None = None,
    chunk_size: int = BLOCK_DRAWS,
    keep_inputs: bool = False,
    workers: int | None = None,
) -> SimulationResult:
    """Monte Carlo over the whole model, vectorised over draws.

    Parameters
    ----------
    a : Assumptions, optional
        Values of the inputs that do not vary (defaults: the AWS–OpenAI base case).
    distributions : mapping, optional
        Input name (one of ``SIMULATION_INPUTS``) -> :class:`Distribution`
        (or ``(kind, params...)``); default ``DEFAULT_DISTRIBUTIONS``.
    draws : int, keyword-only
        Number of draws (1 .. 10^8).
    seed : int, keyword-only
        Seed (>= 0); the same seed gives the same draws whatever ``chunk_size``.
    outputs : names, keyword-only
        Outputs to keep (``SIMULATED_OUTPUTS`` by default).
    chunk_size : int, keyword-only
        Draws evaluated at once; bounds memory (about 6 kB a draw).
    keep_inputs : bool, keyword-only
        Keep the input draws too.
    workers : int, keyword-only
        Threads evaluating chunks in parallel (numpy releases the GIL); default
        the number of CPUs, at most 4, and 1 under Pyodide (xlwings Lite), which
        has no threads. Results do not depend on it.

    Returns
    -------
    SimulationResult

    Examples
    --------
    How likely is AWS's FY2026 revenue from the deal to fall short of the straight line?

    >>> r = simulate(draws=2_000, seed=7, outputs=["gap_year2"])
    >>> r.probability("gap_year2", above=0.0)
    1.0
    """
    a, dists, n, s = _prepare(a, distributions, draws, seed)
    names = _outputs(outputs)
    chunk = int(check_number("chunk_size", chunk_size, minimum=1, integer=True))
    threads = (
        _default_workers()
        if workers is None
        else int(check_number("workers", workers, minimum=1, maximum=64, integer=True))
    )
    plan = _plan(a, _max_delay_days(a, dists))
    names = _defined(plan, names, asked=outputs is not None)
    values = {name: np.empty(n) for name in names}
    inputs = {name: np.empty(n) for name in dists} if keep_inputs else {}

    def run(first: int) -> None:
        last = min(first + chunk, n)
        sampler = _Sampler(s, dists)  # one per chunk: its block cache is not shared between threads
        v = {name: sampler.draws(name, first, last) for name in dists}
        for lo in range(first, last, _EVAL_DRAWS):
            hi = min(lo + _EVAL_DRAWS, last)
            result = _evaluate(plan, {k: x[lo - first : hi - first] for k, x in v.items()}, hi - lo)
            for name in names:
                values[name][lo:hi] = result[name]
        for name in inputs:
            inputs[name][first:last] = v[name]

    starts = range(0, n, chunk)
    if threads == 1 or len(starts) == 1:
        for first in starts:
            run(first)
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(run, starts))
    return SimulationResult(values=values, inputs=inputs, draws=n, seed=s)


def evaluate(
    a: Assumptions | None, values: Mapping[str, Any], *, outputs: Iterable[str] | str | None = None
) -> dict[str, np.ndarray]:
    """The vectorised model at given input values, row by row (no randomness).

    Parameters
    ----------
    a : Assumptions
        Values of the inputs not in ``values``.
    values : mapping
        Input name (one of ``SIMULATION_INPUTS``) -> a 1-D array of values, all
        the same length; values outside an input's rule are refused.
    outputs : names, keyword-only
        Outputs to return (``SIMULATED_OUTPUTS`` by default).

    Returns
    -------
    dict
        Output name -> array, one value per row.

    Examples
    --------
    FY2026 deal revenue at 90%, 92.5% and 95% realisation scales with it:

    >>> r = evaluate(None, {"realisation": [0.9, 0.925, 0.95]}, outputs="ramp_year2")["ramp_year2"]
    >>> bool(np.allclose(r / [0.9, 0.925, 0.95], r[0] / 0.9))
    True
    """
    a = as_assumptions("a", a)
    names = _outputs(outputs)
    arrays: dict[str, np.ndarray] = {}
    for key, column in values.items():
        name = str(key)
        if name not in SIMULATION_INPUTS:
            raise DealDeskInputError(
                f"cannot vary {name!r}; inputs that may vary: {', '.join(SIMULATION_INPUTS)}"
            )
        x = np.atleast_1d(np.asarray(column, dtype=float))
        low, high = _bounds(name)
        if x.ndim != 1 or not np.all(np.isfinite(x)) or np.any(x < low) or np.any(x > high):
            raise DealDeskInputError(
                f"{name} values must be finite and within [{low:g}, {high:g}], got {x.ravel()[:5].tolist()}"
            )
        arrays[name] = x
    sizes = {x.size for x in arrays.values()}
    if len(sizes) > 1:
        raise DealDeskInputError(f"values must all have the same length, got {sorted(sizes)}")
    n = sizes.pop() if sizes else 1
    delay = a.delay_days
    if "delay_quarters" in arrays:
        delay = delay_days_from_quarters(float(arrays["delay_quarters"].max()))
    plan = _plan(a, delay)
    names = _defined(plan, names, asked=outputs is not None)
    result = _evaluate(plan, arrays, n)
    return {name: result[name] for name in names}


#: The brief's three risk questions: (label, output, "below"/"above", threshold or an input name).
RISK_QUESTIONS: tuple[tuple[str, str, str, float], ...] = (
    ("P(FY2026 deal revenue below the straight line)", "gap_year2", "above", 0.0),
    ("P(margin dilution beyond 100 bps in any year)", "margin_bps_peak", "below", -100.0),
    ("P(market value above the threshold by 2027)", "market_value_passes", "above", 0.5),
)


def risk_questions(result: SimulationResult) -> pd.DataFrame:
    """The brief's risk questions answered from a simulation, with the standard error.

    >>> t = risk_questions(simulate(draws=1_000, seed=1))
    >>> bool(t["probability"].between(0, 1).all())
    True
    """
    rows = []
    for label, name, side, threshold in RISK_QUESTIONS:
        p = result.probability(name, **{side: threshold})
        rows.append((label, name, side, threshold, p, math.sqrt(p * (1 - p) / result.draws)))
    return pd.DataFrame(rows, columns=["question", "output", "side", "threshold", "probability", "se"])


def simulation_summary(
    a: Assumptions | None = None,
    distributions: Mapping[str, Any] | None = None,
    *,
    draws: int = 10_000,
    seed: int = 0,
    outputs: Iterable[str] | str | None = None,
    percentiles: Iterable[float] = (5, 50, 95),
) -> pd.DataFrame:
    """Run :func:`simulate` and return its summary table (one row per output).

    Columns: ``output``, ``mean``, ``stdev``, ``se_mean``, ``min``, the
    percentiles, ``max``, ``p_below_zero`` (share of draws below 0) and
    ``p_positive`` (share above 0).

    >>> t = simulation_summary(draws=1_000, seed=4, outputs=["ramp_year2", "npv"])
    >>> t["output"].tolist(), bool((t["p5"] <= t["p95"]).all())
    (['ramp_year2', 'npv'], True)
    """
    result = simulate(a, distributions, draws=draws, seed=seed, outputs=outputs)
    table = result.summary(percentiles)
    table["p_below_zero"] = [float(np.mean(result.values[n] < 0)) for n in table["output"]]
    table["p_positive"] = [float(np.mean(result.values[n] > 0)) for n in table["output"]]
    return table


# --------------------------------------------------------------------------- reference loop


def _reference_one(plan: _Plan, x: Mapping[str, float]) -> dict[str, float]:
    """The model for one draw in plain Python floats (the engine's reference)."""
    a = plan.a
    g = {**plan.fixed, **x}
    V, u, r = g["contract_value"], g["realisation"], g["initial_rate"]
    base, bm, dm = g["base_revenue"], g["base_margin"], g["deal_margin"]
    total = float(plan.total)
    d = float(delay_days_from_quarters(g["delay_quarters"]))
    shape = total - d if a.delay_mode == "compress" else total
    horizon = total + d if a.delay_mode == "extend" else total

    def F(xx: float) -> float:
        xx = min(max(xx, 0.0), 1.0)
        xf = plan.linear_xf
        if xf is None:
            return float(plan.cdf(np.asarray(xx)))
        if xf <= 0:
            return xx
        ramp = r * xx + (1 - r) * xx * xx / (2 * xf)
        if xf >= 1:
            return ramp / (r + (1 - r) / (2 * xf))
        level = ramp if xx < xf else xf * (1 + r) / 2 + (xx - xf)
        return level / (xf * (1 + r) / 2 + (1 - xf))

    def cum(t: float) -> float:
        return F(min(max((min(t, horizon) - d) / shape, 0.0), 1.0))

    edges = [float(e) for e in plan.q_edges]
    cums = [cum(e) for e in edges]
    quarterly = [V * u * (cums[k + 1] - cums[k]) for k in range(len(edges) - 1)]
    bounds = [int(i) for i in plan.year_of_quarter] + [len(quarterly)]
    yearly = [sum(quarterly[bounds[k] : bounds[k + 1]]) for k in range(len(bounds) - 1)]
    straight = [V * f for f in plan.straight_frac]
    o: dict[str, float] = {}
    o["straight_line_annual"] = V / a.term_years
    o["expected_revenue_total"] = V * u
    o["unused_commitment"] = V * (1.0 - u)
    o["straight_year1"], o["straight_year2"] = straight[0], straight[1]
    o["ramp_year1"], o["ramp_year2"] = yearly[0], yearly[1]
    s2, r2 = straight[0] + straight[1], yearly[0] + yearly[1]
    o["overstatement_2y"] = s2 - r2
    o["overstatement_2y_pct"] = (s2 - r2) / r2 if r2 > 0 else 1.0
    o["growth_pp_straight_year2"] = (straight[1] - straight[0]) / base * 100
    o["growth_pp_ramp_year2"] = (yearly[1] - yearly[0]) / base * 100
    o["growth_pp_gap_year2"] = o["growth_pp_straight_year2"] - o["growth_pp_ramp_year2"]
    o["gap_year2"] = straight[1] - yearly[1]

    changes = [(bm + y / (base + y) * (dm - bm) - bm) * BPS_PER_UNIT for y in yearly]
    peak_i = max(range(len(changes)), key=lambda k: (abs(changes[k]), -k))
    o["margin_bps_year2"] = changes[1]
    o["margin_bps_peak"] = changes[peak_i]
    o["blended_margin_year2"] = bm + yearly[1] / (base + yearly[1]) * (dm - bm)

    rep = g["reported_backlog"]
    added = V if a.booking == "full" else V * F(plan.anniversary1 / total)
    o["backlog_added"] = added
    o["backlog_after_deal"] = rep + added
    o["backlog_increase_pct"] = added / rep if rep > 0 else 1.0
    o["backlog_deal_share"] = added / (rep + added) if rep > 0 else 1.0
    t = plan.rpo_t
    recognised = V * u * cum(t)
    unused = max(V - V * u * cum(horizon), 0.0)
    left = added - recognised - (unused if t >= horizon else 0.0)
    left = 0.0 if abs(left) <= 1e-9 * max(1.0, abs(V)) else left
    o["current_rpo"] = min(V * (cum(t + plan.rpo_12) - cum(t)), left)

    pe = [float(e) for e in plan.plan_edges]
    pc = [F(e / total) for e in pe]
    rate = [V * (pc[k + 1] - pc[k]) * float(plan.plan_annualise[k]) for k in range(len(pe) - 1)]
    peak = max(rate)
    gpr, kw, pue = g["gpus_per_rack"], g["kw_per_rack"], g["pue"]
    it_mw_gpu = (1.0 / gpr) * kw / 1e3
    capex_gpu = (1.0 / gpr) * g["rack_price_musd"] / 1e3 + it_mw_gpu * g["facility_musd_per_mw"] / 1e3
    power_gpu = it_mw_gpu * pue * HOURS_PER_YEAR * g["power_usd_per_mwh"] / 1e9
    gpus = max(peak * (1.0 - dm), 0.0) / (capex_gpu / a.useful_life_years + power_gpu)
    racks = gpus / gpr
    it_mw = racks * kw / 1e3
    energy = it_mw * pue * HOURS_PER_YEAR
    it_capex = racks * g["rack_price_musd"] / 1e3
    facility = it_mw * g["facility_musd_per_mw"] / 1e3
    capex = it_capex + facility
    power_cost = energy * g["power_usd_per_mwh"] / 1e9
    o.update(
        peak_run_rate=peak,
        gpus=gpus,
        racks=racks,
        facility_mw=it_mw * pue,
        it_capex=it_capex,
        facility_capex=facility,
        deal_capex=capex,
        energy_twh=energy / 1e6,
        us_power_share=energy / (g["us_consumption_twh"] * 1e6),
        power_cost=power_cost,
    )
    o["deal_capex_share_2026"] = capex / g["capex_2026"] if g["capex_2026"] > 0 else 0.0

    running, added_rate = 0.0, []
    for value in rate:
        new = max(running, value)
        added_rate.append(new - running)
        running = new
    in_service = [capex * x / sum(added_rate) for x in added_rate]
    n_table = plan.n_table
    capex_t = [
        sum(in_service[i] * plan.capex_map[i, j] for i in range(len(in_service))) for j in range(n_table)
    ]
    dep_t = [sum(in_service[i] * plan.dep_map[i, j] for i in range(len(in_service))) for j in range(n_table)]
    revenue_t = [0.0] * n_table
    for k, j in enumerate(plan.table_rev_index):
        revenue_t[int(j)] = yearly[k]
    share = min(power_cost / peak if peak > 0 else 0.0, 1.0)
    npv = cash_total = 0.0
    for j in range(n_table):
        power = share * revenue_t[j]
        tax = g["tax_rate"] * (revenue_t[j] - dep_t[j] - power)
        cash = revenue_t[j] - power - tax - capex_t[j]
        npv += cash * (1.0 + g["discount_rate"]) ** -j
        cash_total += cash
    o["npv"], o["total_cash_flow"] = npv, cash_total

    cs, ct = g["customer_revenue_start"], g["customer_revenue_target"]
    years = a.customer_target_year - a.customer_revenue_start_year
    cagr = (ct / cs) ** (1.0 / years) - 1.0
    commitments = plan.other_commitments + V * plan.own_commit_share
    revenue_target = cs * (1.0 + cagr) ** years
    o["customer_required_cagr"], o["customer_revenue_multiple"] = cagr, ct / cs
    o["commitments_target_year"] = commitments
    o["coverage_target_year"] = (
        revenue_target / commitments if commitments > 0 else 0.0
    )  # dropped by _defined
    o["funding_gap_target_year"] = commitments - revenue_target

    prior, shares = g["prior_close"], g["shares_outstanding"]
    price = prior * (1.0 + g["move_pct"])
    after = price * shares
    at_target = after * (1.0 + g["market_value_growth"]) ** plan.mv_span
    o["price_after"] = price
    o["value_added"] = (price - prior) * shares
    o["value_added_to_contract"] = o["value_added"] / V
    o["abnormal_return"] = (price / prior - 1.0) - g["market_move_pct"]
    o["market_value_after"] = after
    o["market_value_target_year"] = at_target
    o["market_value_passes"] = 1.0 if at_target >= g["market_value_target"] else 0.0
    o["market_value_required_growth"] = (
        (g["market_value_target"] / after) ** (1.0 / plan.mv_span) - 1.0 if plan.mv_span > 0 else 0.0
    )
    o["cloud_shock_value"] = after * g["cloud_shock"]
    return o


def simulate_reference(
    a: Assumptions | None = None,
    distributions: Mapping[str, Any] | None = None,
    *,
    draws: int = 100,
    seed: int = 0,
    outputs: Iterable[str] | str | None = None,
    first: int = 0,
) -> SimulationResult:
    """The same Monte Carlo as :func:`simulate`, one draw at a time in plain Python floats.

    Slow by design: it is the reference the vectorised engine must equal draw
    by draw, and the benchmark's per-draw baseline. ``first`` starts at a later
    draw (so a sample of a large run can be checked).

    >>> v = simulate(draws=5, seed=3, outputs="npv").values["npv"]
    >>> w = simulate_reference(draws=5, seed=3, outputs="npv").values["npv"]
    >>> bool(np.allclose(v, w, rtol=1e-12, atol=1e-12))
    True
    """
    a, dists, n, s = _prepare(a, distributions, draws, seed)
    names = _outputs(outputs)
    plan = _plan(a, _max_delay_days(a, dists))
    names = _defined(plan, names, asked=outputs is not None)
    drawn = sample_inputs(dists, draws=n, seed=s, first=first)
    values: dict[str, list[float]] = {name: [] for name in names}
    for i in range(n):
        o = _reference_one(plan, {k: float(x[i]) for k, x in drawn.items()})
        for name in names:
            values[name].append(o[name])
    return SimulationResult(
        values={k: np.asarray(x, dtype=float) for k, x in values.items()}, inputs=drawn, draws=n, seed=s
    )
