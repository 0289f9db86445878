"""The compiled kernel's loop (numba): the whole model in one pass over a group of draws, parallel over blocks.

Imported only by :mod:`core.simulation.kernel` (so only when numba is installed); the
arithmetic is the numpy engine's (:mod:`core.simulation.engine`), operation for operation in
the same order for each draw. The draws of a group are lanes: a draw's quantity is one lane of
a row, a period's quantity a row of a ``period × lanes`` array, and the innermost loops run
over the lanes (contiguous, branch-free: a draw's own branches are selects), so the compiler
emits vector code; what is the same for the whole run (delay mode, curve kind, fixed rates)
is decided outside those loops. The economics section is :mod:`core.simulation.kernel_economics`.
Input and output positions are module constants: numba freezes them into the machine code.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numba import prange

from core.conventions import (
    DAYS_PER_YEAR,
    HOURS_PER_YEAR,
    KW_PER_MW,
    MUSD_PER_BN,
    MWH_PER_TWH,
    USD_PER_BN,
)
from core.simulation.engine import SIMULATED_OUTPUTS
from core.simulation.inputs import SIMULATION_INPUTS
from core.simulation.kernel_economics import ECON_LANE_ROWS, _economics

#: Draws a parallel block computes with one set of working arrays.
_BLOCK = 512
#: Draws computed side by side (lanes); their working rows stay in the first-level cache.
_LANES = 128
#: Rows of one value a lane in a block's working array ``w``.
_ROWS = 30

#: The input columns the kernel reads, by name (their order in ``SIMULATION_INPUTS``).
_I = {name: k for k, name in enumerate(SIMULATION_INPUTS)}
_OUT = {name: k for k, name in enumerate(SIMULATED_OUTPUTS)}

# Input and output positions as module constants: numba freezes them into the machine code.
I_V, I_U, I_R = _I["contract_value"], _I["realisation"], _I["initial_rate"]
I_BASE, I_BM, I_BG = _I["base_revenue"], _I["base_margin"], _I["base_growth"]
I_DQ, I_REP = _I["delay_quarters"], _I["reported_backlog"]
I_GPR, I_KW, I_PUE = _I["gpus_per_rack"], _I["kw_per_rack"], _I["pue"]
I_PRICE, I_BILL = _I["price_per_gpu_hour"], _I["billable_share"]
I_RACK, I_FAC, I_PW = _I["rack_price_musd"], _I["facility_musd_per_mw"], _I["power_usd_per_mwh"]
I_US, I_CAP26, I_COMMIT = _I["us_consumption_twh"], _I["capex_2026"], _I["committed_capex_share"]
I_OTHER, I_TAX, I_RATE = _I["other_opex_share"], _I["tax_rate"], _I["discount_rate"]
I_CS, I_CT = _I["customer_revenue_start"], _I["customer_revenue_target"]
I_PRIOR, I_SHARES, I_MOVE = _I["prior_close"], _I["shares_outstanding"], _I["move_pct"]
I_MM, I_SHOCK = _I["market_move_pct"], _I["cloud_shock"]
I_MVG, I_MVT = _I["market_value_growth"], _I["market_value_target"]

# fmt: off
O_SLA, O_ERT, O_UNUSED = _OUT["straight_line_annual"], _OUT["expected_revenue_total"], _OUT["unused_commitment"]
O_FORF, O_SY1, O_RY1 = _OUT["forfeited_value"], _OUT["straight_year1"], _OUT["ramp_year1"]
O_SY2, O_RY2, O_OVER = _OUT["straight_year2"], _OUT["ramp_year2"], _OUT["overstatement_2y"]
O_OVERP, O_GPS, O_GPR = _OUT["overstatement_2y_pct"], _OUT["growth_pp_straight_year2"], _OUT["growth_pp_ramp_year2"]
O_GPG, O_DML, O_DMY2 = _OUT["growth_pp_gap_year2"], _OUT["deal_margin_life"], _OUT["deal_margin_year2"]
O_MBY2, O_MBP, O_BLY2 = _OUT["margin_bps_year2"], _OUT["margin_bps_peak"], _OUT["blended_margin_year2"]
O_BADD, O_BAFT, O_BINC = _OUT["backlog_added"], _OUT["backlog_after_deal"], _OUT["backlog_increase_pct"]
O_BSHR, O_RPO, O_GAP2 = _OUT["backlog_deal_share"], _OUT["current_rpo"], _OUT["gap_year2"]
O_PEAK, O_GPUS, O_RACKS = _OUT["peak_run_rate"], _OUT["gpus"], _OUT["racks"]
O_FMW, O_ITC, O_FACC = _OUT["facility_mw"], _OUT["it_capex"], _OUT["facility_capex"]
O_CAPEX, O_CAP26, O_TWH = _OUT["deal_capex"], _OUT["deal_capex_share_2026"], _OUT["energy_twh"]
O_USP, O_PCOST, O_NPV = _OUT["us_power_share"], _OUT["power_cost"], _OUT["npv"]
O_TCF, O_CAGR, O_MULT = _OUT["total_cash_flow"], _OUT["customer_required_cagr"], _OUT["customer_revenue_multiple"]
O_COMMIT, O_COVER, O_FGAP = _OUT["commitments_target_year"], _OUT["coverage_target_year"], _OUT["funding_gap_target_year"]
O_PRICE, O_VADD, O_VTC = _OUT["price_after"], _OUT["value_added"], _OUT["value_added_to_contract"]
O_ABN, O_MVA, O_MVT = _OUT["abnormal_return"], _OUT["market_value_after"], _OUT["market_value_target_year"]
O_PASS, O_REQ, O_SHOCKV = _OUT["market_value_passes"], _OUT["market_value_required_growth"], _OUT["cloud_shock_value"]
# fmt: on

#: Profile kinds of the kernel's revenue curve.
_CURVE_TABLE, _CURVE_STRAIGHT, _CURVE_RAMP_ALL, _CURVE_RAMP = 0, 1, 2, 3
#: Delay modes.
_EXTEND, _COMPRESS, _FORFEIT = 0, 1, 2
#: Fleet: sized from the price, a disclosed GPU count, or disclosed IT megawatts.
_FLEET_PRICE, _FLEET_GPUS, _FLEET_MW = 0, 1, 2


@numba.njit(cache=True, inline="always", error_model="numpy")
def _ramp_f(m, tail, has_tail, slope, r, inv_norm):  # noqa: ANN001, ANN202
    """The linear profile's cumulative share from ``min(x, x_f)`` and ``max(x − x_f, 0)`` (the engine's order)."""
    f = m * slope
    f += r
    f *= m
    if has_tail:
        f += tail
    return f * inv_norm


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _curve(kind, f, x, mx, tail, points, dd, has_tail, slope, r, inv_norm, out, m):  # noqa: ANN001, ANN202, PLR0913
    """The revenue curve at delayed points ``points`` for each lane's delay ``dd[c]``: row ``p`` of ``out``
    is point ``points[p]`` (:class:`_Curve`'s tables)."""
    for p in range(points.size):
        k = points[p]
        if kind == _CURVE_TABLE:
            for c in range(m):
                out[p, c] = f[k, dd[c]]
        elif kind == _CURVE_STRAIGHT:
            for c in range(m):
                out[p, c] = x[k, dd[c]]
        elif has_tail:
            for c in range(m):
                out[p, c] = _ramp_f(mx[k, dd[c]], tail[k, dd[c]], True, slope[c], r[c], inv_norm[c])
        else:
            for c in range(m):
                out[p, c] = _ramp_f(mx[k, dd[c]], 0.0, False, slope[c], r[c], inv_norm[c])


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _curve_plan(kind, f, x, mx, tail, has_tail, slope, r, inv_norm, out, m):  # noqa: ANN001, ANN202, PLR0913
    """The revenue curve at the undelayed points (the plan's fiscal-year edges, then the anniversary): row ``k``
    of ``out`` is point ``k``."""
    for k in range(out.shape[0]):
        if kind == _CURVE_TABLE:
            for c in range(m):
                out[k, c] = f[k]
        elif kind == _CURVE_STRAIGHT:
            for c in range(m):
                out[k, c] = x[k]
        elif has_tail:
            for c in range(m):
                out[k, c] = _ramp_f(mx[k], tail[k], True, slope[c], r[c], inv_norm[c])
        else:
            for c in range(m):
                out[k, c] = _ramp_f(mx[k], 0.0, False, slope[c], r[c], inv_norm[c])


@numba.njit(cache=True, inline="always", error_model="numpy")
def _put(store, slot, output, at, values, m):  # noqa: ANN001, ANN202
    """An asked output's values for ``m`` lanes into its row of ``store`` from column ``at`` (``slot < 0``: not kept)."""
    row = slot[output]
    if row >= 0:
        for c in range(m):
            store[row, at + c] = values[c]


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _triangular_rows(rows, which, terms, bounds):  # noqa: ANN001, ANN202
    """Rows ``which`` of ``rows`` (uniforms) become their triangular draws, clipped, in place.

    ``terms[k]`` is :meth:`core.distributions.Distribution.triangular_terms` of row ``which[k]``
    and ``bounds[k]`` its input's ``(low, high)``: numpy's own operations, in its order, so the
    draws are ``Generator.triangular``'s, then ``np.clip``'s.
    """
    for k in range(which.size):
        row = rows[which[k]]
        left, right, ratio, leftprod, rightprod = (
            terms[k, 0],
            terms[k, 1],
            terms[k, 2],
            terms[k, 3],
            terms[k, 4],
        )
        low, high = bounds[k, 0], bounds[k, 1]
        for i in range(row.size):
            u = row[i]
            x = left + math.sqrt(u * leftprod) if u <= ratio else right - math.sqrt((1.0 - u) * rightprod)
            row[i] = min(max(x, low), high)


# fmt: off
@numba.njit(cache=True, parallel=True, nogil=True, error_model="numpy")
def _kernel(  # noqa: PLR0913
    fixed, varied, column, delay_row, store, slot, first, ints, floats,
    curve_x, curve_m, curve_tail, curve_f, delivered_all, plan_x, plan_m, plan_tail, plan_f,
    straight_frac, plan_annualise, year_bounds, year_starts, table_rev_index, discount_years, discount,
    base_table, base_growth, table_lo, table_hi, lead_ahead, lead_weight, lives,
):  # noqa: ANN001, ANN202
    """The model for draws ``first .. first + n − 1`` into ``store`` (the layout: ``run_kernel``).

    Parallel over blocks of ``_BLOCK`` draws; each block is one call of :func:`_block`.
    """
    n = delay_row.size
    nblocks = (n + _BLOCK - 1) // _BLOCK
    for b in prange(nblocks):
        _block(
            b * _BLOCK, min((b + 1) * _BLOCK, n),
            fixed, varied, column, delay_row, store, slot, first, ints, floats,
            curve_x, curve_m, curve_tail, curve_f, delivered_all, plan_x, plan_m, plan_tail, plan_f,
            straight_frac, plan_annualise, year_bounds, year_starts, table_rev_index, discount_years, discount,
            base_table, base_growth, table_lo, table_hi, lead_ahead, lead_weight, lives,
        )


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _block(  # noqa: C901, PLR0912, PLR0913, PLR0915
    lo, hi, fixed, varied, column, delay_row, store, slot, first, ints, floats,
    curve_x, curve_m, curve_tail, curve_f, delivered_all, plan_x, plan_m, plan_tail, plan_f,
    straight_frac, plan_annualise, year_bounds, year_starts, table_rev_index, discount_years, discount,
    base_table, base_growth, table_lo, table_hi, lead_ahead, lead_weight, lives,
):  # noqa: ANN001, ANN202
    """The model for draws ``lo .. hi − 1``, ``_LANES`` draws (lanes) at a time.

    The block's working arrays are allocated once here: a period's quantity is a row of a
    ``period × lanes`` array, a draw's value a lane of a row of ``w``; the innermost loops run
    over the lanes. Each output is written straight into its row of ``store``.
    """
    (mode, booking_full, fleet, _, curve_kind, pad, n_table, _, year2, mv_span,
     cust_years, apply_shock, _, growth_fixed, econ, ny, npl, end, rpo0, tgt0, mv_exp_zero,
     customer_fixed) = (ints[0], ints[1], ints[2], ints[3], ints[4], ints[5], ints[6], ints[7], ints[8],
                        ints[9], ints[10], ints[11], ints[12], ints[13], ints[14], ints[15], ints[16],
                        ints[17], ints[18], ints[19], ints[20], ints[21])
    (total, term, xf, fleet_value, _, rpo_t, other_commit, base_before_full, before_growth, cagr_fixed,
     revenue_target_fixed) = (floats[0], floats[1], floats[2], floats[3], floats[4], floats[5], floats[6],
                              floats[7], floats[8], floats[9], floats[10])
    grid = ny - 1
    lanes = _LANES
    has_tail = curve_kind == _CURVE_RAMP
    # The inputs by lane: a fixed input's row is filled once, a varied one's copied group by group.
    x = np.empty((fixed.size, lanes))
    for k in range(fixed.size):
        if column[k] < 0:
            for c in range(lanes):
                x[k, c] = fixed[k]
    V, u, r, base, bm, bg = x[I_V], x[I_U], x[I_R], x[I_BASE], x[I_BM], x[I_BG]
    # Row views made once a block (each view costs an atomic reference count).
    rep, gpr, kw, price, bill = x[I_REP], x[I_GPR], x[I_KW], x[I_PRICE], x[I_BILL]
    pue, rack, fac, pw, us, cap26 = x[I_PUE], x[I_RACK], x[I_FAC], x[I_PW], x[I_US], x[I_CAP26]
    commit, other, tax, disc_rate = x[I_COMMIT], x[I_OTHER], x[I_TAX], x[I_RATE]
    cs, ct, prior, shares, move = x[I_CS], x[I_CT], x[I_PRIOR], x[I_SHARES], x[I_MOVE]
    mm, shock, target, mvg = x[I_MM], x[I_SHOCK], x[I_MVT], x[I_MVG]
    w = np.empty((_ROWS, lanes))
    (slope, inv_norm, horizon, vu, s1, s2, y1, y2, t, t2, added, plan_peak, peak, grown,
     late_peak, gpus, racks, it_mw, grid_mw, energy, it_capex, facility, capex, power_cost, cagr,
     revenue_target, commitments, price_after, after, start_value) = (
        w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9], w[10], w[11], w[12], w[13], w[14],
        w[15], w[16], w[17], w[18], w[19], w[20], w[21], w[22], w[23], w[24], w[25], w[26], w[27], w[28],
        w[29])
    dd = np.empty(lanes, dtype=np.int64)
    # The curve's delayed points: the fiscal-year edges, the end, the RPO points, the target year.
    points = np.empty(ny + 5, dtype=np.int64)
    for k in range(ny):
        points[k] = k
    points[ny], points[ny + 1], points[ny + 2], points[ny + 3], points[ny + 4] = end, rpo0, rpo0 + 1, tgt0 + 1, tgt0
    fy = np.empty((ny + 5, lanes))  # by lane, the curve at ``points``
    f_end, p0, p1, in_target1, in_target0 = fy[ny], fy[ny + 1], fy[ny + 2], fy[ny + 3], fy[ny + 4]
    step = np.empty((grid, lanes))
    late = np.zeros((grid, lanes))
    rate = np.empty((max(npl, 1), lanes))
    fp = np.empty((npl + 2, lanes))  # by lane, the curve at the plan's edges, then the anniversary
    rev_t = np.empty((n_table, lanes))
    # The economics section's working arrays (kernel_economics._economics).
    planned = np.empty((grid, lanes))
    delayed = np.empty((grid, lanes))
    first_use = np.empty((n_table, lanes))
    used = np.empty((n_table, lanes))
    run = np.empty((n_table + 1, lanes))
    capex_t = np.empty((n_table, lanes))
    dep_t = np.empty((n_table, lanes))
    we = np.empty((ECON_LANE_ROWS, lanes))
    last_grid = np.empty(lanes, dtype=np.int64)
    last = np.empty(lanes, dtype=np.int64)
    flags = np.empty((2, lanes), dtype=np.bool_)
    econ_rows = np.array([slot[O_NPV], slot[O_TCF], slot[O_DML], slot[O_MBP], slot[O_MBY2], slot[O_BLY2],
                          slot[O_DMY2]])
    for g in range(lo, hi, lanes):
        m = min(lanes, hi - g)
        at = first + g  # the group's first column in store
        for k in range(fixed.size):
            ck = column[k]
            if ck >= 0:
                for c in range(m):
                    x[k, c] = varied[ck, g + c]
        for c in range(m):
            dd[c] = delay_row[g + c]
        if mode == _EXTEND:
            for c in range(m):
                horizon[c] = total + float(dd[c])
        else:
            for c in range(m):
                horizon[c] = total + 0.0 * float(dd[c])
        if curve_kind == _CURVE_RAMP_ALL:
            for c in range(m):
                slope[c] = (1 - r[c]) / (2 * xf)
                inv_norm[c] = 1.0 / (r[c] + slope[c])
        elif curve_kind == _CURVE_RAMP:
            for c in range(m):
                slope[c] = (1 - r[c]) / (2 * xf)
                inv_norm[c] = 1.0 / (xf * (1 + r[c]) / 2 + (1 - xf))
        else:
            for c in range(m):
                slope[c] = 0.0
                inv_norm[c] = 1.0

        # The revenue curve at the fiscal-year edges, the end, the RPO points and the target year.
        _curve(curve_kind, curve_f, curve_x, curve_m, curve_tail, points, dd, has_tail, slope, r, inv_norm, fy, m)
        _curve_plan(curve_kind, plan_f, plan_x, plan_m, plan_tail, has_tail, slope, r, inv_norm, fp, m)
        for c in range(m):
            vu[c] = V[c] * u[c]
        for k in range(grid):
            for c in range(m):
                step[k, c] = fy[k + 1, c] - fy[k, c]
        for k in range(n_table):
            for c in range(m):
                rev_t[k, c] = 0.0
        for k in range(grid):
            for c in range(m):
                rev_t[pad + k, c] = step[k, c] * vu[c]
        for c in range(m):
            s1[c] = V[c] * straight_frac[0]
        if straight_frac.size > 1:
            for c in range(m):
                s2[c] = V[c] * straight_frac[1]
        else:
            for c in range(m):
                s2[c] = 0.0
        for c in range(m):
            y1[c] = rev_t[pad, c]
            y2[c] = rev_t[pad + 1, c] if grid > 1 else 0.0
        for c in range(m):
            at_end = f_end[c]
            f_end[c] = 1.0 if delivered_all[dd[c]] else at_end
        for c in range(m):
            t[c] = V[c] / term
        _put(store, slot, O_SLA, at, t, m)
        for c in range(m):
            t[c] = vu[c] * f_end[c]
        _put(store, slot, O_ERT, at, t, m)
        for c in range(m):
            t[c] = V[c] - vu[c] * f_end[c]
        _put(store, slot, O_UNUSED, at, t, m)
        for c in range(m):
            t[c] = V[c] - V[c] * f_end[c]
        _put(store, slot, O_FORF, at, t, m)
        _put(store, slot, O_SY1, at, s1, m)
        _put(store, slot, O_SY2, at, s2, m)
        _put(store, slot, O_RY1, at, y1, m)
        _put(store, slot, O_RY2, at, y2, m)
        for c in range(m):
            two_s = s1[c] + s2[c]
            two_r = y1[c] + y2[c]
            t[c] = two_s - two_r
            t2[c] = (two_s - two_r) / two_r if two_r > 0 else 1.0
        _put(store, slot, O_OVER, at, t, m)
        _put(store, slot, O_OVERP, at, t2, m)
        # Growth in the first full fiscal year (table row year2) from the year before (the engine's).
        if growth_fixed:
            for c in range(m):
                t2[c] = base[c] * before_growth
        else:
            for c in range(m):
                t2[c] = base[c] * (1.0 + bg[c]) ** base_before_full
        k2 = year2 - pad
        for c in range(m):
            s_full = V[c] * straight_frac[k2] if k2 < straight_frac.size else 0.0
            s_before = V[c] * straight_frac[k2 - 1] if k2 > 0 else 0.0
            t[c] = (s_full - s_before) / t2[c] * 100
        _put(store, slot, O_GPS, at, t, m)
        for c in range(m):
            y_full = rev_t[year2, c] if year2 < n_table else 0.0
            y_before = rev_t[year2 - 1, c] if year2 > 0 else 0.0
            t2[c] = (y_full - y_before) / t2[c] * 100
        _put(store, slot, O_GPR, at, t2, m)
        for c in range(m):
            t[c] = t[c] - t2[c]
        _put(store, slot, O_GPG, at, t, m)
        for c in range(m):
            t[c] = s2[c] - y2[c]
        _put(store, slot, O_GAP2, at, t, m)

        # Backlog.
        if booking_full:
            for c in range(m):
                added[c] = V[c]
        else:
            for c in range(m):
                added[c] = V[c] * fp[npl + 1, c]
        _put(store, slot, O_BADD, at, added, m)
        for c in range(m):
            t[c] = rep[c] + added[c]
        _put(store, slot, O_BAFT, at, t, m)
        for c in range(m):
            added_c, rep_c = added[c], rep[c]
            t[c] = added_c / rep_c if rep_c > 0 else 1.0
        _put(store, slot, O_BINC, at, t, m)
        for c in range(m):
            added_c, rep_c = added[c], rep[c]
            t[c] = added_c / (rep_c + added_c) if rep_c > 0 else 1.0
        _put(store, slot, O_BSHR, at, t, m)
        for c in range(m):
            recognised = vu[c] * p0[c]
            unused = max(V[c] - vu[c] * f_end[c], 0.0)
            derecognised = unused if rpo_t >= horizon[c] else 0.0
            left = added[c] - recognised - derecognised
            left = 0.0 if abs(left) <= 1e-9 * max(1.0, abs(V[c])) else left
            t[c] = min(V[c] * (p1[c] - p0[c]), left)
        _put(store, slot, O_RPO, at, t, m)

        # Capacity: the plan's run-rate by fiscal year; a compressed delivery's squeezed peak.
        for c in range(m):
            plan_peak[c] = -math.inf
        for k in range(npl):
            annualise = plan_annualise[k]
            for c in range(m):
                rate[k, c] = (fp[k + 1, c] - fp[k, c]) * V[c] * annualise
                plan_peak[c] = max(plan_peak[c], rate[k, c])
        if mode == _COMPRESS or econ:
            # The delayed schedule's contractual run-rate by grid year over its own contract days.
            for k in range(grid):
                b0, b1 = year_bounds[k], year_bounds[k + 1]
                for c in range(m):
                    live_days = max(min(b1, horizon[c]) - b0, 0.0)
                    run_rate = step[k, c] * (V[c] * DAYS_PER_YEAR) / live_days
                    late[k, c] = run_rate if live_days > 0 else 0.0
        for c in range(m):
            peak[c] = plan_peak[c]
            grown[c] = 1.0
        if mode == _COMPRESS:
            for c in range(m):
                late_peak[c] = late[0, c]
            for k in range(1, grid):
                for c in range(m):
                    late_peak[c] = max(late_peak[c], late[k, c])
            for c in range(m):
                peak[c] = max(plan_peak[c], late_peak[c])
                grown[c] = peak[c] / plan_peak[c]
                grown[c] = grown[c] if plan_peak[c] > 0 else 1.0
        if fleet == _FLEET_GPUS:
            for c in range(m):
                gpus[c] = fleet_value * grown[c]
        elif fleet == _FLEET_MW:
            for c in range(m):
                gpus[c] = fleet_value * KW_PER_MW / (kw[c] / gpr[c]) * grown[c]
        else:
            for c in range(m):
                gpus[c] = peak[c] * USD_PER_BN / (price[c] * HOURS_PER_YEAR * bill[c])
        for c in range(m):
            racks[c] = gpus[c] / gpr[c]
            it_mw[c] = racks[c] * kw[c] / KW_PER_MW
            grid_mw[c] = it_mw[c] * pue[c]
            energy[c] = grid_mw[c] * HOURS_PER_YEAR
        for c in range(m):
            it_capex[c] = racks[c] * rack[c] / MUSD_PER_BN
            facility[c] = it_mw[c] * fac[c] / MUSD_PER_BN
            capex[c] = it_capex[c] + facility[c]
            power_cost[c] = energy[c] * pw[c] / USD_PER_BN
        _put(store, slot, O_PEAK, at, peak, m)
        _put(store, slot, O_GPUS, at, gpus, m)
        _put(store, slot, O_RACKS, at, racks, m)
        _put(store, slot, O_FMW, at, grid_mw, m)
        _put(store, slot, O_ITC, at, it_capex, m)
        _put(store, slot, O_FACC, at, facility, m)
        _put(store, slot, O_CAPEX, at, capex, m)
        for c in range(m):
            t[c] = energy[c] / MWH_PER_TWH
            t2[c] = energy[c] / (us[c] * MWH_PER_TWH)
        _put(store, slot, O_TWH, at, t, m)
        _put(store, slot, O_USP, at, t2, m)
        _put(store, slot, O_PCOST, at, power_cost, m)
        for c in range(m):
            capex_c, cap26_c = capex[c], cap26[c]
            t[c] = capex_c / cap26_c if cap26_c > 0 else 0.0
        _put(store, slot, O_CAP26, at, t, m)

        if econ:  # economics and margin (the engine's economics section)
            _economics(
                m, ints, floats, store, slot, at, econ_rows,
                rate, late, rev_t, horizon, it_capex, facility, power_cost, peak, base, bm,
                commit, other, tax, disc_rate, bg,
                year_starts, table_rev_index, discount_years, discount, base_table, base_growth, table_lo, table_hi,
                lead_ahead, lead_weight, lives,
                planned, delayed, first_use, used, run, capex_t, dep_t, we, last_grid, last, flags,
            )

        # Counterparty in the target year.
        years = float(cust_years)
        if customer_fixed:  # the same for every draw: worked out once a run
            for c in range(m):
                cagr[c] = cagr_fixed
                revenue_target[c] = revenue_target_fixed
        else:
            for c in range(m):
                cagr[c] = (ct[c] / cs[c]) ** (1.0 / years) - 1.0
                revenue_target[c] = cs[c] * (1.0 + cagr[c]) ** years
        _put(store, slot, O_CAGR, at, cagr, m)
        for c in range(m):
            t[c] = ct[c] / cs[c]
        _put(store, slot, O_MULT, at, t, m)
        for c in range(m):
            commitments[c] = other_commit + vu[c] * (in_target1[c] - in_target0[c])
        _put(store, slot, O_COMMIT, at, commitments, m)
        for c in range(m):
            target_c, commitments_c = revenue_target[c], commitments[c]
            t[c] = target_c / commitments_c if commitments_c > 0 else 0.0
            t2[c] = commitments[c] - revenue_target[c]
        _put(store, slot, O_COVER, at, t, m)
        _put(store, slot, O_FGAP, at, t2, m)

        # Valuation.
        for c in range(m):
            price_after[c] = prior[c] * (1.0 + move[c])
            after[c] = price_after[c] * shares[c]
            t[c] = (price_after[c] - prior[c]) * shares[c]
            t2[c] = t[c] / V[c]
        _put(store, slot, O_PRICE, at, price_after, m)
        _put(store, slot, O_VADD, at, t, m)
        _put(store, slot, O_VTC, at, t2, m)
        for c in range(m):
            t[c] = (price_after[c] / prior[c] - 1.0) - (0.0 + 1.0 * mm[c])
            start_value[c] = after[c] * (1.0 + shock[c] * apply_shock)
        _put(store, slot, O_ABN, at, t, m)
        _put(store, slot, O_MVA, at, after, m)
        if slot[O_MVT] >= 0 or slot[O_PASS] >= 0:
            for c in range(m):
                t[c] = start_value[c] * (1.0 + mvg[c]) ** float(mv_span)
                t2[c] = 1.0 if t[c] >= target[c] else 0.0
            _put(store, slot, O_MVT, at, t, m)
            _put(store, slot, O_PASS, at, t2, m)
        if slot[O_REQ] >= 0:
            for c in range(m):
                t[c] = (target[c] / start_value[c]) ** (1.0 / mv_span) - 1.0 if mv_exp_zero == 0 else 0.0
            _put(store, slot, O_REQ, at, t, m)
        for c in range(m):
            t[c] = after[c] * shock[c]
        _put(store, slot, O_SHOCKV, at, t, m)
# fmt: on
