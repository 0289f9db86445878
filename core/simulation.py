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
  spawn_key=(k, block))``, where ``k`` is the CRC-32 of the input's name.
  The same seed gives the same numbers whatever the chunk size, and an
  input's draws do not change when other inputs are added to the simulation
  or to the model.
* A draw outside an input's rule is clipped to its bounds (a normal
  realisation above 1 becomes 1).
* Inputs that change the model's time structure stay fixed: term, dates,
  fiscal calendar, profile, delay mode, booking, useful lives and capex
  lead; so do the optional inputs (a disclosed fleet, a margin override).
* The IRR and payback year are not simulated (no closed-form vector
  solution, and no value at all for some draws; use the NPV). The coverage
  ratio of a target year in which the customer has no commitments does not
  exist (``None`` in ``run_model``): it is left out of a default run and
  refused when asked for.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import threading
import zlib
from collections.abc import Collection, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from core.assumptions import INPUTS, Assumptions, as_assumptions
from core.blocks import block_generator, map_tasks, worker_count
from core.capacity import capex_lead_shares
from core.contracts import booking_day
from core.conventions import (
    BPS_PER_UNIT,
    DAYS_PER_YEAR,
    HOURS_PER_YEAR,
    KW_PER_MW,
    MUSD_PER_BN,
    MWH_PER_TWH,
    USD_PER_BN,
)
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
from core.evidence import EVIDENCE_TABLES, central, value_range
from core.model import (
    MARKET_VALUE_YEAR,
    OUTPUTS,
    NoValueError,
    customer_portfolio,
    fiscal_year_of,
    output_names,
    profile_params,
    run_model,
)
from core.schedule import (
    contract_days,
    contract_schedule,
    delay_days_from_quarters,
    fiscal_periods,
    fiscal_year_end_date,
    profile_cdf,
)
from core.validation import DealDeskInputError, check_number

__all__ = [
    "BLOCK_DRAWS",
    "DEFAULT_DISTRIBUTIONS",
    "default_distributions",
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
#: Draws evaluated at once inside a chunk: the period × draw working arrays (reused) stay in the
#: CPU's cache, and Python's per-operation cost is spread over enough draws (measured best).
_EVAL_DRAWS = 8_192


_FIXED = {
    "term_years",
    "fiscal_year_end",
    "server_life_extension_years",
    "customer_revenue_start_year",
    "customer_target_year",
    "useful_life_years",
    "facility_life_years",
    "capex_lead_years",
}

#: Inputs a distribution may be put on: the numeric model inputs that do not change the
#: model's time structure.
SIMULATION_INPUTS: tuple[str, ...] = tuple(
    s.name for s in INPUTS if s.kind in ("number", "fraction") and s.name not in _FIXED and not s.optional
)

_SEED_KEY = {s.name: zlib.crc32(s.name.encode("utf-8")) for s in INPUTS}

#: Outputs of the economics table and the margin by year (the engine's costliest section).
_ECONOMICS_OUTPUTS = frozenset(
    {
        "npv",
        "total_cash_flow",
        "deal_margin_life",
        "margin_bps_peak",
        "margin_bps_year2",
        "blended_margin_year2",
        "deal_margin_year2",
    }
)

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


#: Inputs whose public evidence table sets their default range (``core.evidence``), and, for a
#: table whose evidence is one point (no spread), the analyst's band around the input instead.
_EVIDENCE_RANGES: tuple[str, ...] = tuple(
    name for name, table in EVIDENCE_TABLES.items() if table.input is not None and table.monte_carlo
)
_NO_SPREAD_BAND = {"other_opex_share": 0.05}


def default_distributions(a: Assumptions | None = None) -> dict[str, Distribution]:
    """The default risks of a run, centred on the inputs ``a``: the public evidence's ranges and analyst bands.

    Each default's most likely value (its mode, and for the symmetric ones its
    median and mean) is the base input, so the simulation asks "how wrong could
    the base case be", not "what if it were different".

    * **From the evidence tables** (:mod:`core.evidence`): the price per
      GPU-hour, IT capex per rack, facility cost per MW, power price and PUE
      are triangular from the table's lowest to its highest comparable point,
      with the input as the mode. The range is taken relative to the table's
      central value and laid around the input (an input at the central value
      gets exactly the table's range; a deal with its own value keeps the
      evidence's relative spread). Other operating costs: the evidence is one
      point (no spread), so the analyst's ±5 points.
    * **Analyst assumptions** (no public distributions): utilisation around
      the base (±2.5 points at one standard deviation: the article's 5–10%
      discount band), Nvidia delivery slips of 0–3 quarters beyond the base
      delay (most likely none), an initial run-rate that may be up to 0.3
      higher than the base, base revenue ±4% and market-value growth ±15
      points a year.

    >>> d = default_distributions()
    >>> d["price_per_gpu_hour"].params  # Nscale's whole relationship 2.63, the base 2.83, IREN 2.91
    (2.63, 2.83, 2.91)
    >>> d["delay_quarters"].params[0], d["delay_quarters"].probabilities[0]
    (0.0, 0.5)
    """
    a = as_assumptions("a", a)
    out = {
        "realisation": normal(a.realisation, 0.025),
        "delay_quarters": discrete(
            [a.delay_quarters + k for k in (0.0, 1.0, 2.0, 3.0)], [0.5, 0.25, 0.15, 0.10]
        ),
        "initial_rate": triangular(a.initial_rate, a.initial_rate, min(a.initial_rate + 0.3, 1.0)),
        "base_revenue": normal(a.base_revenue, 0.04 * a.base_revenue),
        "market_value_growth": normal(a.market_value_growth, 0.15),
    }
    for name in _EVIDENCE_RANGES:
        x = float(getattr(a, name))
        low, high = value_range(name)
        if low == high:
            band = _NO_SPREAD_BAND[name]
            out[name] = triangular(max(x - band, 0.0), x, min(x + band, 1.0))
            continue
        mid = central(name)
        out[name] = triangular(min(x * low / mid, x), x, max(x * high / mid, x))
    return out


#: The default distributions of the reference case (see :func:`default_distributions`).
DEFAULT_DISTRIBUTIONS: dict[str, Distribution] = default_distributions()


def _bounds(name: str) -> tuple[float, float]:
    spec = next(s for s in INPUTS if s.name == name)
    low = -math.inf if spec.minimum is None else float(spec.minimum)
    if spec.strict_min:
        low = float(np.nextafter(low, math.inf))
    high = math.inf if spec.maximum is None else float(spec.maximum)
    return low, high


def _block(seed: int, name: str, block: int, dist: Distribution, size: int = BLOCK_DRAWS) -> np.ndarray:
    """The first ``size`` draws of a block: numpy generates draws one after another from the
    stream, so a shorter call gives the start of a longer one (the tests check every kind)."""
    rng = block_generator(seed, _SEED_KEY[name], block)
    low, high = _bounds(name)
    return np.clip(dist.sample(rng, size), low, high)


class _Sampler:
    """Draws ``[first, last)`` of each input, generated by fixed blocks (chunk-size independent)."""

    def __init__(self, seed: int, dists: Mapping[str, Distribution]):
        self.seed, self.dists = seed, dists
        self.cache: dict[str, tuple[int, np.ndarray]] = {}

    def draws(self, name: str, first: int, last: int) -> np.ndarray:
        parts = []
        for block in range(first // BLOCK_DRAWS, (last - 1) // BLOCK_DRAWS + 1):
            lo = max(first - block * BLOCK_DRAWS, 0)
            hi = min(last - block * BLOCK_DRAWS, BLOCK_DRAWS)
            cached = self.cache.get(name)
            if cached is None or cached[0] != block or cached[1].size < hi:
                cached = (block, _block(self.seed, name, block, self.dists[name], hi))
                self.cache[name] = cached
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
    year2_index: int  # table index of fiscal year 2 (the one after signing's)
    discount_years: np.ndarray  # years from the signing date to each table year's end
    base_year1: float  # fiscal year 1 − the base year (growth contributions divide by year 1's base)
    base_table: np.ndarray  # each table year − the base year (the baseline's exponent)
    table_lo: np.ndarray  # contract day each table year starts on (negative: before the start)
    table_hi: np.ndarray  # contract day after each table year ends
    first_capex_row: int  # table row of the signing year: no capex before it
    target_edges: np.ndarray  # contract days of the customer's target year (calendar), first and after last
    own_in_target: bool  # the deal can earn in the customer's target year (for some delay drawn)
    other_commitments: float  # the customer's other contracts' spend in its target year
    mv_span: int


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
        year2_index=fiscal_year_of(a.start_date, a.fiscal_year_end) + 1 - first_table,
        discount_years=discount_years,
        base_year1=float(fiscal_year_of(a.start_date, a.fiscal_year_end) - a.base_year),
        base_table=(table_years - a.base_year).astype(float),
        table_lo=np.array(lo_days, dtype=float),
        table_hi=np.array(hi_days, dtype=float),
        first_capex_row=max(fiscal_year_of(a.signing_date, a.fiscal_year_end) - first_table, 0),
        target_edges=target_edges,
        own_in_target=bool(target_edges[1] > 0 and target_edges[0] < horizon),
        other_commitments=others,
        mv_span=max(MARKET_VALUE_YEAR, a.signing_date.year) - a.signing_date.year,
    )


# --------------------------------------------------------------------------- vectorised model


def _cdf(plan: _Plan, x: np.ndarray, r: Any) -> np.ndarray:
    """Cumulative share at contract time ``x`` in [0, 1] (points × draws); ``r`` the initial rate per draw.

    For the linear profile F × norm = ramp(min(x, x_f)) + max(x − x_f, 0), with
    ramp(x) = r x + (1 − r) x² / (2 x_f): the same function as
    ``core.schedule.profile_cdf`` (the tests prove it), without a branch. ``x``
    may be a column of points shared by every draw, and may be overwritten.
    """
    return _cdf_with(plan, x, r, _ramp(plan, r))


def _ramp(plan: _Plan, r: Any) -> tuple[Any, Any] | None:
    """The linear profile's per-draw coefficients ``((1 − r) ÷ 2x_f, 1 ÷ norm)``, computed once a run."""
    xf = plan.linear_xf
    if xf is None or xf <= 0:
        return None
    if xf >= 1:
        slope = (1 - r) / (2 * xf)
        return slope, 1.0 / (r + slope)
    return (1 - r) / (2 * xf), 1.0 / (xf * (1 + r) / 2 + (1 - xf))


def _cdf_with(
    plan: _Plan,
    x: np.ndarray,
    r: Any,
    ramp: tuple[Any, Any] | None,
    out: np.ndarray | None = None,
    scratch: np.ndarray | None = None,
) -> np.ndarray:
    """:func:`_cdf` with the ramp's coefficients given (see :func:`_ramp`), into ``out`` when given
    (``scratch``: a working array of ``x``'s shape)."""
    if plan.linear_xf is None:
        return plan.cdf(x)
    xf = plan.linear_xf
    if ramp is None:  # x_f <= 0: straight line
        if out is not None and out.shape == x.shape:
            np.copyto(out, x)  # ``x`` may be a working array the next call reuses
            return out
        return x
    slope, inv_norm = ramp
    if xf >= 1:
        m, tail = x, None
    else:
        m = np.minimum(x, xf, out=scratch if scratch is not None and scratch.shape == x.shape else None)
        tail = np.subtract(x, xf, out=x if x.ndim == 2 and x.shape[1] > 1 else None)
        np.maximum(tail, 0.0, out=tail)
    if out is None or np.broadcast_shapes(m.shape, np.shape(slope)) != out.shape:
        f = m * slope
    else:
        f = np.multiply(m, slope, out=out)
    f += r
    f *= m
    if tail is not None:
        f += tail
    f *= inv_norm
    return f


class _Work:
    """Reusable working arrays (rows × draws) for one thread: numpy's fresh buffers of this size
    each cost page faults; reusing them keeps the arithmetic in place."""

    def __init__(self) -> None:
        self.arrays: dict[tuple[str, int, int], np.ndarray] = {}

    def __call__(self, name: str, rows: int, n: int) -> np.ndarray:
        key = (name, rows, n)
        array = self.arrays.get(key)
        if array is None:
            array = self.arrays[key] = np.empty((rows, n))
        return array


def _as_draws(x: np.ndarray, n: int) -> np.ndarray:
    """``x`` (points × 1, or points × draws) as points × ``n`` draws."""
    return x if x.shape[1] == n else np.broadcast_to(x, (x.shape[0], n))


def _clip01(x: np.ndarray) -> np.ndarray:
    np.maximum(x, 0.0, out=x)
    return np.minimum(x, 1.0, out=x)


def _in_service_shares(rate: np.ndarray, out: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Share of capacity entering service in each year (years × draws), and which draws add any.

    Capacity follows the highest run-rate so far (``core.capacity.capex_timing``'s rule,
    rounding noise below 1e-9 of the peak ignored). Running maxima and differences go
    row by row (one contiguous operation a year; numpy's accumulate along the first
    axis is an order of magnitude slower). Written into ``out`` when given.
    """
    added = np.empty_like(rate) if out is None else out
    added[0] = rate[0]
    for i in range(1, rate.shape[0]):
        np.maximum(added[i - 1], rate[i], out=added[i])
    peak = added[-1].copy()
    for i in range(rate.shape[0] - 1, 0, -1):
        added[i] -= added[i - 1]
    np.putmask(added, added < 1e-9 * peak, 0.0)
    total = added.sum(axis=0)
    some = total > 0
    np.divide(added, total, out=added, where=some)
    if not some.all():
        added[:, ~some] = 0.0
    return added, some


def _running_total(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``x``'s running total down the rows, after a row of zeros ((rows + 1) × draws), row by row."""
    out = np.empty((x.shape[0] + 1, x.shape[1])) if out is None else out
    out[0] = 0.0
    for i in range(x.shape[0]):
        np.add(out[i], x[i], out=out[i + 1])
    return out


def _evaluate(
    plan: _Plan,
    v: Mapping[str, np.ndarray],
    n: int,
    work: _Work | None = None,
    outputs: Collection[str] | None = None,
) -> dict[str, np.ndarray]:
    """The model for ``n`` draws; ``v`` maps each simulated input to its draws (others fixed).

    Layout: a per-draw quantity is a vector of ``n`` (a fixed input stays a float);
    a quantity by period is an array of periods × draws, so each period is one
    contiguous row and per-draw vectors broadcast along it. Arrays by period live
    in ``work`` when given (reused call after call, so a result may be a view of
    one: copy what you keep before the next call), else in fresh arrays. With
    ``outputs`` given, sections none of them needs may be skipped (their outputs
    are then missing from the result).
    """
    a = plan.a
    buf = _Work() if work is None else work
    g: dict[str, Any] = {name: v.get(name, value) for name, value in plan.fixed.items()}
    V, u, r = g["contract_value"], g["realisation"], g["initial_rate"]
    base, bm, growth = g["base_revenue"], g["base_margin"], g["base_growth"]
    total = float(plan.total)
    # The rule of core.schedule.delay_days_from_quarters, over all draws at once.
    d = np.round(np.asarray(g["delay_quarters"], dtype=float) * DAYS_PER_YEAR / 4) * np.ones(n)
    shape = total - d if a.delay_mode == "compress" else total
    horizon = total + d if a.delay_mode == "extend" else total + 0 * d
    ramp = _ramp(plan, r)

    def cum(name: str, t: np.ndarray, delayed: bool = True) -> np.ndarray:
        """Cumulative share at contract days ``t`` (a column of points): points × draws."""
        if not delayed:
            x = _clip01(t / total)
        else:
            x = np.minimum(t, horizon, out=buf("x", t.shape[0], n))
            x -= d
            x /= shape
            _clip01(x)
        f = _cdf_with(plan, x, r, ramp, out=buf(name, t.shape[0], n), scratch=buf("m", t.shape[0], n))
        return _as_draws(f, n)

    out: dict[str, Any] = {}
    # Schedule by quarter; a fiscal year's revenue is the cumulative schedule at its
    # first and last quarter boundary.
    year_edges = np.append(plan.year_of_quarter, plan.q_edges.size - 1)
    Fy = cum("Fy", plan.q_edges[year_edges][:, None])
    grid = Fy.shape[0] - 1
    step = np.subtract(Fy[1:], Fy[:-1], out=buf("step", grid, n))  # contractual share by grid year
    # Revenue by grid year, written straight into the economics table's rows (grid year i is
    # table year pad + i; the years before and after hold none).
    rows_t = plan.n_table
    rev_t = buf("rev_t", rows_t, n)
    rev_t[: plan.pad] = 0.0
    rev_t[plan.pad + grid :] = 0.0
    yearly = np.multiply(step, V * u, out=rev_t[plan.pad : plan.pad + grid])
    # A contract inside its first fiscal year has no year 2: zero revenue there (as run_model).
    s1 = V * plan.straight_frac[0]
    s2 = V * plan.straight_frac[1] if plan.straight_frac.size > 1 else 0.0
    y1 = yearly[0].copy()
    y2 = yearly[1].copy() if grid > 1 else np.zeros(n)
    # What is delivered by the end: all of it, except a forfeited tail.
    f_end = cum("f_end", np.array([[math.inf]]))[0].copy()
    f_end[(horizon - d) >= shape] = 1.0  # the whole schedule delivered: exactly 1, as in run_model
    out["straight_line_annual"] = V / a.term_years
    out["expected_revenue_total"] = V * u * f_end
    out["unused_commitment"] = V - V * u * f_end
    out["forfeited_value"] = V - V * f_end
    out["straight_year1"], out["straight_year2"] = s1, s2
    out["ramp_year1"], out["ramp_year2"] = y1, y2
    two_s, two_r = s1 + s2, y1 + y2
    out["overstatement_2y"] = two_s - two_r
    out["overstatement_2y_pct"] = np.divide(two_s - two_r, two_r, out=np.ones(n), where=two_r > 0)
    base1 = base * (1.0 + growth) ** plan.base_year1  # the baseline in fiscal year 1
    out["growth_pp_straight_year2"] = (s2 - s1) / base1 * 100
    out["growth_pp_ramp_year2"] = (y2 - y1) / base1 * 100
    out["growth_pp_gap_year2"] = out["growth_pp_straight_year2"] - out["growth_pp_ramp_year2"]
    out["gap_year2"] = s2 - y2

    # Backlog.
    rep = g["reported_backlog"]
    if a.booking == "full":
        added = V
    else:
        added = V * cum("anniversary", np.array([[plan.anniversary1]]), delayed=False)[0]
    out["backlog_added"] = added
    out["backlog_after_deal"] = rep + added
    out["backlog_increase_pct"] = np.divide(added, rep, out=np.ones(n), where=np.asarray(rep) > 0)
    out["backlog_deal_share"] = np.divide(added, rep + added, out=np.ones(n), where=np.asarray(rep) > 0)
    t = plan.rpo_t
    points = cum("rpo", np.array([[t], [t + plan.rpo_12]]))
    recognised = V * u * points[0]
    unused = np.maximum(V - V * u * f_end, 0.0)
    derecognised = np.where(t >= horizon, unused, 0.0)
    backlog = added - recognised - derecognised
    backlog = np.where(np.abs(backlog) <= 1e-9 * np.maximum(1.0, np.abs(V)), 0.0, backlog)
    out["current_rpo"] = np.minimum(V * (points[1] - points[0]), backlog)

    def delayed_rate() -> np.ndarray:
        """The delayed schedule's contractual run-rate by grid year: revenue over its own contract
        days (the contract runs d days longer in extend mode). Computed once."""
        if "late_rate" in out:
            return out.pop("late_rate")
        late = buf("late_rate", grid, n)
        np.multiply(step, V * DAYS_PER_YEAR, out=late)
        # Years that end before every draw's contract does have all their days (the same for every
        # draw); the others have the days up to each draw's end.
        lo, hi = plan.year_bounds[:-1], plan.year_bounds[1:]
        full_rows = (hi <= np.min(horizon)) & (hi > lo)  # a leading run of rows
        whole = grid if full_rows.all() else int(np.argmin(full_rows))
        late[:whole] /= (hi - lo)[:whole, None]
        if whole < grid:
            live_days = np.minimum(hi[whole:, None], horizon, out=buf("live_days", grid - whole, n))
            live_days -= lo[whole:, None]
            np.maximum(live_days, 0.0, out=live_days)
            np.divide(late[whole:], live_days, out=late[whole:], where=live_days > 0)
            late[whole:][live_days <= 0] = 0.0
        return late

    # Capacity: the fleet sells the peak run-rate at the price per GPU-hour (or is disclosed); a
    # compress delay squeezes the schedule, and the fleet must deliver its higher peak.
    Fp = cum("Fplan", plan.plan_edges[:, None], delayed=False)
    rate = np.subtract(Fp[1:], Fp[:-1], out=buf("rate", Fp.shape[0] - 1, n))
    rate *= V
    rate *= plan.plan_annualise[:, None]
    plan_peak = peak = rate.max(axis=0)
    if a.delay_mode == "compress":
        late_rate = delayed_rate()
        peak = np.maximum(plan_peak, late_rate.max(axis=0))
        out["late_rate"] = late_rate  # kept for the economics below (taken out of the outputs there)
    gpr, kw, pue = g["gpus_per_rack"], g["kw_per_rack"], g["pue"]
    # A disclosed fleet is the plan's: a compressed delivery needs more, in the ratio of the peaks.
    grown = (
        np.divide(peak, plan_peak, out=np.ones(n), where=plan_peak > 0) if a.delay_mode == "compress" else 1.0
    )
    if a.fleet_gpus is not None:
        gpus = np.full(n, float(a.fleet_gpus)) * grown
    elif a.fleet_it_mw is not None:
        gpus = np.full(n, float(a.fleet_it_mw) * KW_PER_MW / (kw / gpr)) * grown
    else:
        gpus = peak * USD_PER_BN / (g["price_per_gpu_hour"] * HOURS_PER_YEAR * g["billable_share"])
    racks = gpus / gpr
    it_mw = racks * kw / KW_PER_MW
    grid_mw = it_mw * pue
    energy = grid_mw * HOURS_PER_YEAR
    it_capex = racks * g["rack_price_musd"] / MUSD_PER_BN
    facility = it_mw * g["facility_musd_per_mw"] / MUSD_PER_BN
    capex = it_capex + facility
    power_cost = energy * g["power_usd_per_mwh"] / USD_PER_BN
    out.update(
        peak_run_rate=peak,
        gpus=gpus,
        racks=racks,
        facility_mw=grid_mw,
        it_capex=it_capex,
        facility_capex=facility,
        deal_capex=capex,
        energy_twh=energy / MWH_PER_TWH,
        us_power_share=energy / (g["us_consumption_twh"] * MWH_PER_TWH),
        power_cost=power_cost,
    )
    cap26 = g["capex_2026"]
    out["deal_capex_share_2026"] = np.divide(capex, cap26, out=np.zeros(n), where=np.asarray(cap26) > 0)

    # Economics and margin (skipped when none of their outputs is asked for).
    if outputs is None or not _ECONOMICS_OUTPUTS.isdisjoint(outputs):
        # Economics: capacity in service follows the highest run-rate so far; the committed
        # share on the undelayed plan, the rest on the delayed one; spent ahead by the lead.
        planned = buf("planned", grid, n)
        planned[rate.shape[0] :] = 0.0
        _in_service_shares(rate, out=planned[: rate.shape[0]])
        delayed, some = _in_service_shares(delayed_rate(), out=buf("delayed", grid, n))
        if not some.all():  # nothing delivered: the plan's timing (as the core)
            delayed[:, ~some] = planned[:, ~some]
        c = g["committed_capex_share"]
        share = np.multiply(planned, c, out=buf("share", grid, n))
        delayed *= 1.0 - c
        share += delayed
        # The table ends with the realised schedule's last fiscal year (per draw, with the delay).
        last_grid = np.searchsorted(plan.year_starts, horizon - 1, side="right") - 1
        last = plan.table_rev_index[last_grid]
        rows = np.arange(rows_t)[:, None]
        live = rows <= last
        at_last = rows == last
        # Per unit of capex, by table year: capacity in service (grid year i is table year pad + i),
        # bought again when its life ends before the last year (refresh), spent ahead by the lead,
        # straight-line depreciation from the year in service; scaled by each draw's IT and
        # facility capex.
        first_use = buf("first_use", rows_t, n)
        first_use[: plan.pad] = 0.0
        first_use[plan.pad :] = share
        capex_t = buf("capex_t", rows_t, n)
        capex_t[...] = 0.0
        dep_t = buf("dep_t", rows_t, n)
        dep_t[...] = 0.0
        dep_total = np.zeros(n)  # everything that will ever be depreciated
        for life, cost, tag in ((plan.life_it, it_capex, "it"), (plan.life_facility, facility, "fac")):
            used = _refreshed(first_use, life[4], live, out=buf("used_" + tag, rows_t, n))
            _lead_spend(plan, used, cost=cost, out=capex_t)
            running = _running_total(used, out=buf("cum_" + tag, rows_t + 1, n))
            _straight_line(used, running, life, cost=cost, out=dep_t, work=buf("dep_" + tag, rows_t, n))
            dep_total += running[-1] * (cost * life[3])
        tmp = buf("tmp", rows_t, n)
        np.multiply(capex_t, ~live, out=tmp)
        late_capex = tmp.sum(axis=0)  # spent after the end: counted in the last year
        dep_t *= live
        residual = dep_total - dep_t.sum(axis=0)  # not depreciated by the end: comes back
        power_share = np.minimum(np.divide(power_cost, peak, out=np.zeros(n), where=peak > 0), 1.0)
        # Operating profit: revenue less depreciation, power (a share of revenue at the peak run-rate)
        # and other costs (a share of revenue), or revenue at the margin override.
        profit_t = buf("profit_t", rows_t, n)
        if a.deal_margin_override is None:
            np.multiply(rev_t, 1.0 - power_share - g["other_opex_share"], out=profit_t)
            profit_t -= dep_t
        else:
            np.multiply(rev_t, a.deal_margin_override, out=profit_t)
        # Cash: profit after tax plus depreciation less capex; in the last year the capex spent after
        # the end is paid and the book value not depreciated comes back; nothing after the last year.
        cash_t = np.multiply(profit_t, 1.0 - g["tax_rate"], out=buf("cash_t", rows_t, n))
        cash_t += dep_t
        cash_t -= capex_t
        cash_t += np.multiply(at_last, residual - late_capex, out=tmp)
        cash_t *= live
        discount = (1.0 + g["discount_rate"]) ** -plan.discount_years[:, None]
        out["npv"] = np.multiply(cash_t, discount, out=tmp).sum(axis=0)
        out["total_cash_flow"] = cash_t.sum(axis=0)
        out["deal_margin_life"] = profit_t.sum(axis=0) / rev_t.sum(axis=0)

        # Margin: the deal's operating profit and revenue added to the provider's baseline (its base
        # year's revenue grown at the base growth), by fiscal year. The blended margin is kept as a
        # ratio and turned into a change in bps once the year is chosen (the same rounding either
        # way: the change is increasing in the ratio). The peak is read on full fiscal years.
        base_t = np.multiply(
            base,
            (1.0 + np.asarray(growth, dtype=float)) ** plan.base_table[:, None],
            out=buf("base_t", rows_t, n),
        )
        blended = np.multiply(base_t, bm, out=buf("blended", rows_t, n))
        blended += profit_t
        base_t += rev_t
        blended /= base_t
        shown = live & ((rev_t > 0) | (dep_t > 0))  # the margin table's years
        full = shown & (plan.table_lo[:, None] >= 0) & (plan.table_hi[:, None] <= horizon)
        use = np.where(full.any(axis=0), full, shown)
        tmp[...] = np.inf
        np.copyto(tmp, blended, where=use)
        out["margin_bps_peak"] = (tmp.min(axis=0) - bm) * BPS_PER_UNIT
        j2 = plan.year2_index
        if 0 <= j2 < plan.n_table:
            in_table = shown[j2]
            change2 = (blended[j2] - bm) * BPS_PER_UNIT
            out["margin_bps_year2"] = np.where(in_table, change2, 0.0)
            out["blended_margin_year2"] = np.where(in_table, bm + change2 / BPS_PER_UNIT, bm)
            out["deal_margin_year2"] = np.divide(
                profit_t[j2], rev_t[j2], out=np.zeros(n), where=in_table & (rev_t[j2] > 0)
            )
        else:
            out["margin_bps_year2"], out["blended_margin_year2"], out["deal_margin_year2"] = 0.0, bm, 0.0

    # Counterparty in the target year.
    cs, ct = g["customer_revenue_start"], g["customer_revenue_target"]
    years = a.customer_target_year - a.customer_revenue_start_year
    out["customer_required_cagr"] = (ct / cs) ** (1.0 / years) - 1.0
    out["customer_revenue_multiple"] = ct / cs
    edges = cum("target", plan.target_edges[:, None])
    commitments = plan.other_commitments + V * u * (edges[1] - edges[0])
    revenue_target = cs * (1.0 + out["customer_required_cagr"]) ** years
    out["commitments_target_year"] = commitments
    # No commitments in the target year (a plan property): no coverage ratio; ``_defined`` drops it.
    out["coverage_target_year"] = revenue_target / np.where(commitments > 0, commitments, np.inf)
    out["funding_gap_target_year"] = commitments - revenue_target

    # Valuation: the market-value path starts after the news, less the cloud shock when applied.
    prior, shares = g["prior_close"], g["shares_outstanding"]
    price = prior * (1.0 + g["move_pct"])
    after = price * shares
    out["price_after"] = price
    out["value_added"] = (price - prior) * shares
    out["value_added_to_contract"] = out["value_added"] / V
    out["abnormal_return"] = (price / prior - 1.0) - (0.0 + 1.0 * g["market_move_pct"])
    out["market_value_after"] = after
    start_value = after * (1.0 + g["cloud_shock"] * a.apply_cloud_shock)
    at_target = start_value * (1.0 + g["market_value_growth"]) ** plan.mv_span
    out["market_value_target_year"] = at_target
    out["market_value_passes"] = np.asarray(at_target >= g["market_value_target"], dtype=float)
    out["market_value_required_growth"] = (
        (g["market_value_target"] / start_value) ** (1.0 / plan.mv_span) - 1.0 if plan.mv_span > 0 else 0.0
    )
    out["cloud_shock_value"] = after * g["cloud_shock"]
    return {
        name: x
        if isinstance(x, np.ndarray) and x.shape == (n,) and x.dtype == np.float64
        else np.broadcast_to(np.asarray(x, dtype=float), (n,))
        for name, x in out.items()
    }


def _refreshed(first_use: np.ndarray, span: int, live: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Capacity in service by table year with its replacements (``core.economics.refreshed_in_service``).

    Capacity entering service in table year ``k`` is depreciated in the ``span``
    years from ``k``; it is bought again in year ``k + span`` when that year is
    live (not after the draw's last revenue year), and that replacement in turn.
    Row by row, so a replacement is itself replaced.
    """
    np.copyto(out, first_use)
    for k in range(span, out.shape[0]):
        out[k] += out[k - span] * live[k]
    return out


def _lead_spend(plan: _Plan, used: np.ndarray, *, cost: Any, out: np.ndarray) -> np.ndarray:
    """Add to ``out`` the capex by table year for ``used`` (capacity entering service by table year) × ``cost``.

    Capacity entering service in table year ``k`` is paid for ``ahead`` years
    earlier in the shares of :func:`core.capacity.capex_lead_shares`, never before
    the signing year (table row ``plan.first_capex_row``: what would land earlier is
    spent in it).
    """
    rows = used.shape[0]
    for ahead, weight in plan.lead_shares:
        out[: rows - ahead] += used[ahead:] * (weight * cost)
    k = plan.first_capex_row  # never before the signing year: what would land earlier is spent in it
    if k > 0:
        out[k] += out[:k].sum(axis=0)
        out[:k] = 0.0
    return out


def _straight_line(
    used: np.ndarray, cum: np.ndarray, life: _Life, *, cost: Any, out: np.ndarray, work: np.ndarray
) -> np.ndarray:
    """Add to ``out`` the depreciation by table year of ``used`` × ``cost`` (full-year convention,
    :func:`core.economics.depreciation_weights`).

    Capacity entering service in year ``k`` is depreciated ``1 ÷ life`` in that
    year and each of the next ``full − 1``, then ``part ÷ life`` once. With
    ``cum`` the running total of ``used`` (a zero row first), the whole years
    in year ``j`` are ``cum[j + 1] − cum[j + 1 − full]``: two operations a year
    whatever the life. Years after the table (a life running past the contract)
    are left out: they are the residual.
    """
    full, per_year, last_part, _, _ = life
    rows = used.shape[0]
    head = min(full, rows)
    work[:head] = cum[1 : head + 1]  # cum[0] is 0
    if rows > full:
        np.subtract(cum[full + 1 : rows + 1], cum[1 : rows + 1 - full], out=work[full:])
    work *= per_year * cost
    if last_part and rows > full:
        work[full:] += used[: rows - full] * (last_part * cost)
    out += work
    return out


# --------------------------------------------------------------------------- results


@dataclasses.dataclass
class SimulationResult:
    """Draws of the simulated outputs, with summaries.

    ``values`` maps each requested output to its draws (a float array, one
    value per draw, in draw order; for an output that no simulated input
    moves, a read-only view of its one value); ``inputs`` maps each simulated
    input to its draws when they were kept.
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
            if x.size and x.strides == (0,):  # stored once: every draw is this value, exactly
                value = float(x[0])
                rows.append([name, value, 0.0, 0.0, value, *[value] * len(pcts), value])
                continue
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


#: Outputs with no value when an input is 0 in the plan (0: not disclosed), as in run_model.
_UNDEFINED_AT_ZERO = {
    "backlog_increase_pct": "reported_backlog",
    "backlog_deal_share": "reported_backlog",
    "deal_capex_share_2026": "capex_2026",
    "market_value_passes": "market_value_target",
    "market_value_required_growth": "market_value_target",
}


_MISSING = {spec.name: spec.missing for spec in OUTPUTS}


def _defined(plan: _Plan, names: tuple[str, ...], *, asked: bool) -> tuple[str, ...]:
    """``names`` without the outputs that have no value for this plan (refused when ``asked`` for)."""
    for name, source in _UNDEFINED_AT_ZERO.items():
        if name in names and getattr(plan.a, source) == 0:
            if asked:
                raise NoValueError(f"{name}: {source} is 0, so no draw has this figure ({_MISSING[name]})")
            names = tuple(n for n in names if n != name)
    if plan.other_commitments > 0 or plan.own_in_target or "coverage_target_year" not in names:
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
    dists = _check_distributions(default_distributions(a) if distributions is None else distributions)
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
        Outputs to keep (``SIMULATED_OUTPUTS`` by default). Memory is 8 bytes a
        draw for each kept output that varies (exact percentiles need every
        draw); ask only for the outputs you need in very large runs.
    chunk_size : int, keyword-only
        Draws drawn at once per thread (the working memory besides the kept
        outputs: a few MB per thread); results do not depend on it.
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
    threads = worker_count(workers)
    plan = _plan(a, _max_delay_days(a, dists))
    names = _defined(plan, names, asked=outputs is not None)
    # An output that no simulated input moves is one number, not one per draw: a two-draw
    # probe finds them (the engine returns a stride-0 view for them), and the result holds
    # a read-only view of that number. Only the other asked outputs get an array of draws.
    probe = _evaluate(plan, sample_inputs(dists, draws=2, seed=s), 2, outputs=names)
    constant = {name: float(probe[name][0]) for name in names if probe[name].strides == (0,)}
    values = {name: np.empty(n) for name in names if name not in constant}
    inputs = {name: np.empty(n) for name in dists} if keep_inputs else {}

    local = threading.local()  # each thread's working arrays, reused chunk after chunk

    def run(first: int) -> None:
        work = getattr(local, "work", None)
        if work is None:
            work = local.work = _Work()
        last = min(first + chunk, n)
        sampler = _Sampler(s, dists)  # one per chunk: its block cache is not shared between threads
        v = {name: sampler.draws(name, first, last) for name in dists}
        for lo in range(first, last, _EVAL_DRAWS):
            hi = min(lo + _EVAL_DRAWS, last)
            result = _evaluate(
                plan, {k: x[lo - first : hi - first] for k, x in v.items()}, hi - lo, work, outputs=names
            )
            for name, kept in values.items():
                kept[lo:hi] = result[name]
        for name in inputs:
            inputs[name][first:last] = v[name]

    map_tasks(run, range(0, n, chunk), workers=threads)
    every = {
        name: values[name] if name in values else np.broadcast_to(constant[name], (n,)) for name in names
    }
    return SimulationResult(values=every, inputs=inputs, draws=n, seed=s)


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
                f"{name} values must each be {next(s for s in INPUTS if s.name == name).rule}, got {x.ravel()[:5].tolist()}"
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
    result = _evaluate(plan, arrays, n, outputs=names)
    return {name: result[name] for name in names}


#: The article's three risk questions: (label, output, "below"/"above", threshold). None is
#: true by construction: a ramp always earns less than the straight line in year 2, so the
#: first asks by how much (more than one point of segment growth); the second takes the low
#: end of the article's 50–100 bps margin hit.
RISK_QUESTIONS: tuple[tuple[str, str, str, float], ...] = (
    (
        "P(straight line overstates year-2 segment growth by more than 1 point)",
        "growth_pp_gap_year2",
        "above",
        1.0,
    ),
    ("P(margin dilution beyond 50 bps in any year)", "margin_bps_peak", "below", -50.0),
    ("P(market value above the threshold by 2027)", "market_value_passes", "above", 0.5),
)


def risk_questions(result: SimulationResult) -> pd.DataFrame:
    """The article's risk questions answered from a simulation, with the standard error.

    A question whose figure has no value for these inputs (no market-value threshold set)
    has no probability: ``None`` (shown as n/a).

    >>> t = risk_questions(simulate(draws=1_000, seed=1))
    >>> bool(t["probability"].between(0, 1).all())
    True
    """
    rows: list[tuple[str, str, str, float, float | None, float | None]] = []
    for label, name, side, threshold in RISK_QUESTIONS:
        if name not in result.values:  # the figure has no value here (no market-value threshold)
            rows.append((label, name, side, threshold, None, None))
            continue
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


def simulate_reference(
    a: Assumptions | None = None,
    distributions: Mapping[str, Any] | None = None,
    *,
    draws: int = 100,
    seed: int = 0,
    outputs: Iterable[str] | str | None = None,
    first: int = 0,
) -> SimulationResult:
    """The same Monte Carlo as :func:`simulate`, one :func:`core.model.run_model` per draw.

    The model's own definition, draw by draw: the reference the vectorised
    engine must equal. ``first`` starts at a later draw (so a sample of a large
    run can be checked).

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
        o = run_model(a.replace(**{k: float(x[i]) for k, x in drawn.items()})).outputs
        for name in names:
            value = o[name]
            values[name].append(math.nan if value is None else float(value))
    return SimulationResult(
        values={k: np.asarray(x, dtype=float) for k, x in values.items()}, inputs=drawn, draws=n, seed=s
    )
