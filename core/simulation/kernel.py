"""The optional compiled kernel: the whole per-draw model in one pass, compiled by numba (``pip install .[fast]``).

The numpy engine (:mod:`core.simulation.engine`) is the reference and the only
engine in Pyodide; this module is imported only when a run uses the kernel, so
``core`` imports without numba. The kernel is the engine's arithmetic for each
draw, operation for operation in the same order, and the tests hold it to the
engine draw by draw (1e-12 relative).

* **One pass a group of draws**: the draws of a group are lanes (a period's
  quantity is a row of a small period × lane array, a draw's one lane of it);
  the innermost loops run over the lanes without branches, so the compiler
  emits vector code (:mod:`core.simulation.kernel_loop`). Nothing is written
  to memory by period × draw beyond a group's working arrays.
* **Parallel over draws**: ``simulate`` gives each worker thread whole chunks
  (it draws a chunk's inputs straight into the kernel's input rows and runs
  the kernel on them on that thread); inside a call, ``prange`` over blocks of
  draws, each block allocating its working arrays once, not once a group. A
  draw's values do not depend on the chunk, block, group or thread that
  computes it.
* **Compiled once per machine**: numba's disk cache (``cache=True``) keeps
  the machine code beside this file (or in ``NUMBA_CACHE_DIR``).
* What is the same for every draw stays outside: the revenue curve's points
  by delay (:class:`core.simulation.plan._Curve`), and the discount factors
  and baseline growth factors when their rates are fixed (computed with
  numpy, as the engine does).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np

from core.conventions import (
    DAYS_PER_YEAR,
)
from core.distributions import Distribution
from core.simulation.engine import SIMULATED_OUTPUTS
from core.simulation.inputs import SIMULATION_INPUTS, _bounds
from core.simulation.kernel_loop import (
    _COMPRESS,
    _CURVE_RAMP,
    _CURVE_RAMP_ALL,
    _CURVE_STRAIGHT,
    _CURVE_TABLE,
    _EXTEND,
    _FLEET_GPUS,
    _FLEET_MW,
    _FLEET_PRICE,
    _FORFEIT,
    _OUT,
    _kernel,
    _triangular_rows,
)
from core.simulation.plan import _Plan


def varied_inputs(v: Collection[str]) -> list[str]:
    """The kernel's rows of varied inputs: the names in ``v``, in ``SIMULATION_INPUTS``'s order."""
    return [name for name in SIMULATION_INPUTS if name in v]


class TriangularRows:
    """The triangular inputs among a run's rows, drawn as uniforms and turned into draws here.

    numpy's ``Generator.triangular`` spends most of its time calling its formula draw by draw;
    its uniforms cost a third as much, and the formula compiled over a row costs little more.
    ``names`` are the inputs to draw as uniforms (pass them to the sampler); :meth:`apply`
    turns their rows of ``rows`` into the draws numpy would give, clipped to the inputs' bounds.
    """

    def __init__(self, dists: Mapping[str, Distribution], names: Sequence[str]):
        terms = {name: dists[name].triangular_terms() for name in names}
        chosen = [name for name in names if terms[name] is not None]
        self.names = frozenset(chosen)
        self.which = np.array([names.index(name) for name in chosen], dtype=np.int64)
        self.terms = np.array([terms[name] for name in chosen], dtype=float).reshape(len(chosen), 5)
        self.bounds = np.array([_bounds(name) for name in chosen], dtype=float).reshape(len(chosen), 2)

    def apply(self, rows: np.ndarray) -> None:
        """The triangular rows of ``rows`` (their uniforms) become their draws, in place."""
        if self.which.size:
            _triangular_rows(rows, self.which, self.terms, self.bounds)


def run_kernel(
    plan: _Plan,
    v: Mapping[str, np.ndarray],
    n: int,
    store: np.ndarray,
    kept: Sequence[str],
    first: int,
    *,
    economics: bool = True,
    varied: np.ndarray | None = None,
) -> None:
    """The model for ``n`` draws (``v``: each varied input's draws), written into ``store[:, first:first + n]``.

    ``store`` has one row per name in ``kept``, in that order; outputs not kept are not written.
    ``varied``, when given, already holds ``v``'s draws as rows (``varied_inputs(v)``'s order, a
    C-contiguous array of ``n`` columns); else they are copied into one.
    """
    a = plan.a
    names = varied_inputs(v)
    fixed = np.array([plan.fixed[name] for name in SIMULATION_INPUTS], dtype=float)
    column = np.array([names.index(name) if name in v else -1 for name in SIMULATION_INPUTS], dtype=np.int64)
    if varied is None:
        varied = np.empty((max(len(names), 1), n))
        for k, name in enumerate(names):
            varied[k] = v[name]
    dq = v.get("delay_quarters", plan.fixed["delay_quarters"])
    # The rule of core.schedule.delay_days_from_quarters, as the engine applies it.
    delay_row = (np.round(np.asarray(dq, dtype=float) * DAYS_PER_YEAR / 4) * np.ones(n)).astype(np.int64)
    if n and int(delay_row.max()) > plan.max_delay_days:  # the kernel reads the curve's tables unchecked
        raise ValueError(
            f"a delay of {int(delay_row.max())} days is beyond the plan's longest, {plan.max_delay_days}"
        )
    slot = np.full(len(SIMULATED_OUTPUTS), -1, dtype=np.int64)
    for row, name in enumerate(kept):
        slot[_OUT[name]] = row
    curve = plan.curve
    xf = plan.linear_xf
    if xf is None:
        kind = _CURVE_TABLE
    elif xf <= 0:
        kind = _CURVE_STRAIGHT
    else:
        kind = _CURVE_RAMP_ALL if xf >= 1 else _CURVE_RAMP
    empty2 = np.zeros((1, 1))
    empty1 = np.zeros(1)

    def table2(x: np.ndarray | None) -> np.ndarray:
        return empty2 if x is None else x

    def table1(x: np.ndarray | None) -> np.ndarray:
        return empty1 if x is None else x

    rate_fixed = "discount_rate" not in v
    growth_fixed = "base_growth" not in v
    # Fixed rates: the factors once a run, with numpy, as the engine computes them.
    discount = (
        (1.0 + plan.fixed["discount_rate"]) ** -plan.discount_years if rate_fixed else np.ones(plan.n_table)
    )
    base_growth = (
        (1.0 + plan.fixed["base_growth"]) ** plan.base_table if growth_fixed else np.ones(plan.n_table)
    )
    before_growth = (1.0 + plan.fixed["base_growth"]) ** plan.base_before_full if growth_fixed else 1.0
    # The customer's growth and target-year revenue, as the engine computes them, when neither varies.
    customer_fixed = "customer_revenue_start" not in v and "customer_revenue_target" not in v
    cagr = revenue_target = 0.0
    if customer_fixed:
        cs, ct = plan.fixed["customer_revenue_start"], plan.fixed["customer_revenue_target"]
        years = a.customer_target_year - a.customer_revenue_start_year
        cagr = (ct / cs) ** (1.0 / years) - 1.0
        revenue_target = cs * (1.0 + cagr) ** years
    fleet, fleet_value = _FLEET_PRICE, 0.0
    if a.fleet_gpus is not None:
        fleet, fleet_value = _FLEET_GPUS, float(a.fleet_gpus)
    elif a.fleet_it_mw is not None:
        fleet, fleet_value = _FLEET_MW, float(a.fleet_it_mw)
    ny = curve.year_edges.stop
    npl = plan.plan_edges.size - 1
    ints = np.array(
        [
            {"extend": _EXTEND, "compress": _COMPRESS}.get(a.delay_mode, _FORFEIT),
            a.booking == "full",
            fleet,
            a.deal_margin_override is not None,
            kind,
            plan.pad,
            plan.n_table,
            plan.first_capex_row,
            plan.year2_index,  # may be n_table (a contract inside its start's fiscal year): no row then
            plan.mv_span,
            a.customer_target_year - a.customer_revenue_start_year,
            a.apply_cloud_shock,
            rate_fixed,
            growth_fixed,
            economics,
            ny,
            npl,
            curve.end,
            curve.rpo.start,
            curve.target.start,
            plan.mv_span <= 0,
            customer_fixed,
        ],
        dtype=np.int64,
    )
    floats = np.array(
        [
            float(plan.total),
            float(a.term_years),
            0.0 if xf is None else float(xf),
            fleet_value,
            0.0 if a.deal_margin_override is None else float(a.deal_margin_override),
            float(plan.rpo_t),
            float(plan.other_commitments),
            float(plan.base_before_full),
            float(before_growth),
            cagr,
            revenue_target,
        ]
    )
    lives = np.array([plan.life_it, plan.life_facility], dtype=float)
    _kernel(
        fixed, varied, column, delay_row, store, slot, first, ints, floats,
        curve.x, table2(curve.m), table2(curve.m if curve.tail is None else curve.tail), table2(curve.f),
        curve.delivered_all, curve.x_plan, table1(curve.m_plan),
        table1(curve.m_plan if curve.tail_plan is None else curve.tail_plan), table1(curve.f_plan),
        plan.straight_frac, plan.plan_annualise, plan.year_bounds.astype(float), plan.year_starts.astype(float),
        plan.table_rev_index.astype(np.int64), plan.discount_years, discount, plan.base_table, base_growth,
        plan.table_lo, plan.table_hi, np.array([k for k, _ in plan.lead_shares], dtype=np.int64),
        np.array([w for _, w in plan.lead_shares], dtype=float), lives,
    )  # fmt: skip
