"""The compiled kernel's loop (numba): one draw's whole model in one pass, parallel over blocks of draws.

Imported only by :mod:`core.simulation.kernel` (so only when numba is installed); the
arithmetic is the numpy engine's (:mod:`core.simulation.engine`), operation for operation in
the same order. Input and output positions are module constants: numba freezes them into the
machine code.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numba import prange

from core.conventions import (
    BPS_PER_UNIT,
    DAYS_PER_YEAR,
    HOURS_PER_YEAR,
    KW_PER_MW,
    MUSD_PER_BN,
    MWH_PER_TWH,
    USD_PER_BN,
)
from core.simulation.engine import SIMULATED_OUTPUTS
from core.simulation.inputs import SIMULATION_INPUTS

#: Draws a parallel block computes with one set of working arrays.
_BLOCK = 512

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
def _value(fixed, varied, column, k, i):  # noqa: ANN001, ANN202
    """Input ``k`` of draw ``i``: its draws when it varies (``column[k] >= 0``), else its one value."""
    c = column[k]
    return varied[c, i] if c >= 0 else fixed[k]


@numba.njit(cache=True, inline="always", error_model="numpy")
def _ramp_f(m, tail, has_tail, slope, r, inv_norm):  # noqa: ANN001, ANN202
    """The linear profile's cumulative share from ``min(x, x_f)`` and ``max(x − x_f, 0)`` (the engine's order)."""
    f = m * slope
    f += r
    f *= m
    if has_tail:
        f += tail
    return f * inv_norm


@numba.njit(cache=True, inline="always", error_model="numpy")
def _at(kind, f, x, m, tail, k, dd, has_tail, slope, r, inv_norm):  # noqa: ANN001, ANN202
    """The revenue curve at delayed point ``k`` for a draw delayed ``dd`` days (:class:`_Curve`'s tables)."""
    if kind == _CURVE_TABLE:
        return f[k, dd]
    if kind == _CURVE_STRAIGHT:
        return x[k, dd]
    return _ramp_f(m[k, dd], tail[k, dd], has_tail, slope, r, inv_norm)


@numba.njit(cache=True, inline="always", error_model="numpy")
def _at_plan(kind, f, x, m, tail, k, has_tail, slope, r, inv_norm):  # noqa: ANN001, ANN202
    """The revenue curve at undelayed point ``k`` (the plan's fiscal-year edges, then the anniversary)."""
    if kind == _CURVE_TABLE:
        return f[k]
    if kind == _CURVE_STRAIGHT:
        return x[k]
    return _ramp_f(m[k], tail[k], has_tail, slope, r, inv_norm)


@numba.njit(cache=True, inline="always", error_model="numpy")
def _in_service(rate, count, out):  # noqa: ANN001, ANN202
    """``core.simulation.arrays._in_service_shares`` for one draw: shares in ``out[:count]``; False if none."""
    out[0] = rate[0]
    for k in range(1, count):
        out[k] = max(out[k - 1], rate[k])
    peak = out[count - 1]
    for k in range(count - 1, 0, -1):
        out[k] -= out[k - 1]
    total = 0.0
    for k in range(count):
        if out[k] < 1e-9 * peak:
            out[k] = 0.0
        total = out[k] if k == 0 else total + out[k]
    if total > 0:
        for k in range(count):
            out[k] /= total
        return True
    for k in range(count):
        out[k] = 0.0
    return False


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
def _kernel(  # noqa: C901, PLR0912, PLR0913, PLR0915
    fixed, varied, column, delay_row, store, slot, first, ints, floats,
    curve_x, curve_m, curve_tail, curve_f, delivered_all, plan_x, plan_m, plan_tail, plan_f,
    straight_frac, plan_annualise, year_bounds, year_starts, table_rev_index, discount_years, discount,
    base_table, base_growth, table_lo, table_hi, lead_ahead, lead_weight, lives,
):  # noqa: ANN001, ANN202
    """The model for draws ``first .. first + n − 1`` into ``store`` (the layout: ``run_kernel``)."""
    n = delay_row.size
    kept = store.shape[0]
    (mode, booking_full, fleet, has_override, curve_kind, pad, n_table, first_row, year2, mv_span,
     cust_years, apply_shock, rate_fixed, growth_fixed, econ, ny, npl, end, rpo0, tgt0, mv_exp_zero,
     customer_fixed) = (ints[0], ints[1], ints[2], ints[3], ints[4], ints[5], ints[6], ints[7], ints[8],
                        ints[9], ints[10], ints[11], ints[12], ints[13], ints[14], ints[15], ints[16],
                        ints[17], ints[18], ints[19], ints[20], ints[21])
    (total, term, xf, fleet_value, override, rpo_t, other_commit, base_before_full, before_growth, cagr_fixed,
     revenue_target_fixed) = (floats[0], floats[1], floats[2], floats[3], floats[4], floats[5], floats[6],
                              floats[7], floats[8], floats[9], floats[10])
    grid = ny - 1
    nblocks = (n + _BLOCK - 1) // _BLOCK
    for b in prange(nblocks):
        # Working arrays of this block: allocated once, reused draw after draw.
        fy = np.empty(ny)
        step = np.empty(grid)
        late = np.empty(grid)
        rate = np.empty(npl)
        fp = np.empty(npl + 1)
        planned = np.zeros(grid)
        delayed = np.empty(grid)
        first_use = np.empty(n_table)
        used = np.empty(n_table)
        run = np.empty(n_table + 1)
        capex_t = np.empty(n_table)
        dep_t = np.empty(n_table)
        rev_t = np.empty(n_table)
        profit_t = np.empty(n_table)
        lo, hi = b * _BLOCK, min((b + 1) * _BLOCK, n)
        block = np.empty((hi - lo, kept))
        for i in range(lo, hi):
            col = i - lo
            V = _value(fixed, varied, column, I_V, i)
            u = _value(fixed, varied, column, I_U, i)
            r = _value(fixed, varied, column, I_R, i)
            base = _value(fixed, varied, column, I_BASE, i)
            bm = _value(fixed, varied, column, I_BM, i)
            dd = delay_row[i]
            d = float(dd)
            horizon = total + d if mode == _EXTEND else total + 0.0 * d
            slope = 0.0
            inv_norm = 1.0
            if curve_kind == _CURVE_RAMP_ALL:
                slope = (1 - r) / (2 * xf)
                inv_norm = 1.0 / (r + slope)
            elif curve_kind == _CURVE_RAMP:
                slope = (1 - r) / (2 * xf)
                inv_norm = 1.0 / (xf * (1 + r) / 2 + (1 - xf))
            has_tail = curve_kind == _CURVE_RAMP

            # The revenue curve at the fiscal-year edges, the end, the RPO points and the target year.
            for k in range(ny):
                fy[k] = _at(
                    curve_kind, curve_f, curve_x, curve_m, curve_tail, k, dd, has_tail, slope, r, inv_norm
                )

            vu = V * u
            for k in range(grid):
                step[k] = fy[k + 1] - fy[k]
            rev_t[:] = 0.0
            for k in range(grid):
                rev_t[pad + k] = step[k] * vu
            s1 = V * straight_frac[0]
            s2 = V * straight_frac[1] if straight_frac.size > 1 else 0.0
            y1 = rev_t[pad]
            y2 = rev_t[pad + 1] if grid > 1 else 0.0

            f_end = _at(
                curve_kind, curve_f, curve_x, curve_m, curve_tail, end, dd, has_tail, slope, r, inv_norm
            )
            if delivered_all[dd]:
                f_end = 1.0
            _put(block, slot, O_SLA, col, V / term)
            _put(block, slot, O_ERT, col, vu * f_end)
            _put(block, slot, O_UNUSED, col, V - vu * f_end)
            _put(block, slot, O_FORF, col, V - V * f_end)
            _put(block, slot, O_SY1, col, s1)
            _put(block, slot, O_SY2, col, s2)
            _put(block, slot, O_RY1, col, y1)
            _put(block, slot, O_RY2, col, y2)
            two_s = s1 + s2
            two_r = y1 + y2
            _put(block, slot, O_OVER, col, two_s - two_r)
            _put(block, slot, O_OVERP, col, (two_s - two_r) / two_r if two_r > 0 else 1.0)
            if growth_fixed:
                base_before = base * before_growth
            else:
                base_before = base * (1.0 + _value(fixed, varied, column, I_BG, i)) ** base_before_full
            # Growth in the first full fiscal year (table row year2) from the year before (the engine's).
            k2 = year2 - pad
            s_full = V * straight_frac[k2] if k2 < straight_frac.size else 0.0
            s_before = V * straight_frac[k2 - 1] if k2 > 0 else 0.0
            y_full = rev_t[year2] if year2 < n_table else 0.0
            y_before = rev_t[year2 - 1] if year2 > 0 else 0.0
            gp_s = (s_full - s_before) / base_before * 100
            gp_r = (y_full - y_before) / base_before * 100
            _put(block, slot, O_GPS, col, gp_s)
            _put(block, slot, O_GPR, col, gp_r)
            _put(block, slot, O_GPG, col, gp_s - gp_r)
            _put(block, slot, O_GAP2, col, s2 - y2)

            # Backlog.
            rep = _value(fixed, varied, column, I_REP, i)
            added = (
                V
                if booking_full
                else V
                * _at_plan(
                    curve_kind, plan_f, plan_x, plan_m, plan_tail, npl + 1, has_tail, slope, r, inv_norm
                )
            )
            _put(block, slot, O_BADD, col, added)
            _put(block, slot, O_BAFT, col, rep + added)
            _put(block, slot, O_BINC, col, added / rep if rep > 0 else 1.0)
            _put(block, slot, O_BSHR, col, added / (rep + added) if rep > 0 else 1.0)
            p0 = _at(
                curve_kind, curve_f, curve_x, curve_m, curve_tail, rpo0, dd, has_tail, slope, r, inv_norm
            )
            p1 = _at(
                curve_kind, curve_f, curve_x, curve_m, curve_tail, rpo0 + 1, dd, has_tail, slope, r, inv_norm
            )
            recognised = vu * p0
            unused = max(V - vu * f_end, 0.0)
            derecognised = unused if rpo_t >= horizon else 0.0
            left = added - recognised - derecognised
            if abs(left) <= 1e-9 * max(1.0, abs(V)):
                left = 0.0
            _put(block, slot, O_RPO, col, min(V * (p1 - p0), left))

            # Capacity: the plan's run-rate by fiscal year; a compressed delivery's squeezed peak.
            for k in range(npl + 1):
                fp[k] = _at_plan(
                    curve_kind, plan_f, plan_x, plan_m, plan_tail, k, has_tail, slope, r, inv_norm
                )
            plan_peak = -math.inf
            for k in range(npl):
                rate[k] = (fp[k + 1] - fp[k]) * V * plan_annualise[k]
                plan_peak = max(plan_peak, rate[k])
            if mode == _COMPRESS or econ:
                # The delayed schedule's contractual run-rate by grid year over its own contract days.
                scale = V * DAYS_PER_YEAR
                for k in range(grid):
                    live_days = max(min(year_bounds[k + 1], horizon) - year_bounds[k], 0.0)
                    late[k] = step[k] * scale / live_days if live_days > 0 else 0.0
            peak = plan_peak
            grown = 1.0
            if mode == _COMPRESS:
                late_peak = late[0]
                for k in range(1, grid):
                    late_peak = max(late_peak, late[k])
                peak = max(plan_peak, late_peak)
                grown = peak / plan_peak if plan_peak > 0 else 1.0
            gpr = _value(fixed, varied, column, I_GPR, i)
            kw = _value(fixed, varied, column, I_KW, i)
            if fleet == _FLEET_GPUS:
                gpus = fleet_value * grown
            elif fleet == _FLEET_MW:
                gpus = fleet_value * KW_PER_MW / (kw / gpr) * grown
            else:
                price = _value(fixed, varied, column, I_PRICE, i)
                gpus = peak * USD_PER_BN / (price * HOURS_PER_YEAR * _value(fixed, varied, column, I_BILL, i))
            racks = gpus / gpr
            it_mw = racks * kw / KW_PER_MW
            grid_mw = it_mw * _value(fixed, varied, column, I_PUE, i)
            energy = grid_mw * HOURS_PER_YEAR
            it_capex = racks * _value(fixed, varied, column, I_RACK, i) / MUSD_PER_BN
            facility = it_mw * _value(fixed, varied, column, I_FAC, i) / MUSD_PER_BN
            capex = it_capex + facility
            power_cost = energy * _value(fixed, varied, column, I_PW, i) / USD_PER_BN
            _put(block, slot, O_PEAK, col, peak)
            _put(block, slot, O_GPUS, col, gpus)
            _put(block, slot, O_RACKS, col, racks)
            _put(block, slot, O_FMW, col, grid_mw)
            _put(block, slot, O_ITC, col, it_capex)
            _put(block, slot, O_FACC, col, facility)
            _put(block, slot, O_CAPEX, col, capex)
            _put(block, slot, O_TWH, col, energy / MWH_PER_TWH)
            _put(block, slot, O_USP, col, energy / (_value(fixed, varied, column, I_US, i) * MWH_PER_TWH))
            _put(block, slot, O_PCOST, col, power_cost)
            cap26 = _value(fixed, varied, column, I_CAP26, i)
            _put(block, slot, O_CAP26, col, capex / cap26 if cap26 > 0 else 0.0)

            if econ:
                # Economics and margin (the engine's economics section).
                planned[:] = 0.0
                _in_service(rate, npl, planned)
                if not _in_service(late, grid, delayed):
                    for k in range(grid):
                        delayed[k] = planned[k]
                c = _value(fixed, varied, column, I_COMMIT, i)
                for k in range(pad):
                    first_use[k] = 0.0
                for k in range(grid):
                    first_use[pad + k] = planned[k] * c + delayed[k] * (1.0 - c)
                # The table ends with the realised schedule's last fiscal year.
                last_grid = 0  # the last grid year starting on or before the draw's last contract day
                while last_grid + 1 < year_starts.size and year_starts[last_grid + 1] <= horizon - 1:
                    last_grid += 1
                last = table_rev_index[last_grid]
                capex_t[:] = 0.0
                dep_t[:] = 0.0
                dep_total = 0.0
                for which in range(2):
                    cost = it_capex if which == 0 else facility
                    full = int(lives[which, 0])
                    per_year, part, weights_sum, span = (
                        lives[which, 1],
                        lives[which, 2],
                        lives[which, 3],
                        int(lives[which, 4]),
                    )
                    for k in range(n_table):
                        used[k] = first_use[k]
                    for k in range(span, n_table):
                        if k <= last:
                            used[k] += used[k - span]
                    for s in range(lead_ahead.size):
                        ahead = lead_ahead[s]
                        wc = lead_weight[s] * cost
                        for k in range(n_table - ahead):
                            capex_t[k] += used[k + ahead] * wc
                    if first_row > 0:
                        moved = capex_t[0]
                        for k in range(1, first_row):
                            moved += capex_t[k]
                        capex_t[first_row] += moved
                        for k in range(first_row):
                            capex_t[k] = 0.0
                    run[0] = 0.0
                    for k in range(n_table):
                        run[k + 1] = run[k] + used[k]
                    py = per_year * cost
                    pc = part * cost
                    for k in range(n_table):
                        whole = run[k + 1] if k < full else run[k + 1] - run[k + 1 - full]
                        unit = whole * py
                        if part != 0.0 and k >= full:
                            unit += used[k - full] * pc
                        dep_t[k] += unit
                    dep_total += run[n_table] * (cost * weights_sum)
                late_capex = 0.0
                dep_sum = 0.0
                for k in range(n_table):
                    if k > last:
                        late_capex += capex_t[k]
                        dep_t[k] = 0.0
                    dep_sum += dep_t[k]
                residual = dep_total - dep_sum
                power_share = min(power_cost / peak if peak > 0 else 0.0, 1.0)
                keep = 1.0 - power_share - _value(fixed, varied, column, I_OTHER, i)
                tax_keep = 1.0 - _value(fixed, varied, column, I_TAX, i)
                one_plus = 1.0 + _value(fixed, varied, column, I_RATE, i)
                growth = 1.0 + _value(fixed, varied, column, I_BG, i)
                npv = 0.0
                cash_total = 0.0
                profit_total = 0.0
                rev_total = 0.0
                lowest_full = math.inf
                lowest_shown = math.inf
                any_full = False
                shown2 = False
                blended2 = 0.0
                for j in range(n_table):
                    rev = rev_t[j]
                    profit = rev * override if has_override else rev * keep - dep_t[j]
                    profit_t[j] = profit
                    profit_total += profit
                    rev_total += rev
                    if j <= last:
                        cash = profit * tax_keep + dep_t[j] - capex_t[j]
                        if j == last:
                            cash += residual - late_capex
                        factor = discount[j] if rate_fixed else one_plus ** -discount_years[j]
                        npv += cash * factor
                        cash_total += cash
                        if rev > 0 or dep_t[j] > 0:
                            base_j = base * (base_growth[j] if growth_fixed else growth ** base_table[j])
                            blended = (base_j * bm + profit) / (base_j + rev)
                            lowest_shown = min(lowest_shown, blended)
                            if table_lo[j] >= 0 and table_hi[j] <= horizon:
                                any_full = True
                                lowest_full = min(lowest_full, blended)
                            if j == year2:
                                shown2 = True
                                blended2 = blended
                _put(block, slot, O_NPV, col, npv)
                _put(block, slot, O_TCF, col, cash_total)
                _put(block, slot, O_DML, col, profit_total / rev_total)
                _put(
                    block, slot, O_MBP, col, ((lowest_full if any_full else lowest_shown) - bm) * BPS_PER_UNIT
                )
                if shown2:
                    change2 = (blended2 - bm) * BPS_PER_UNIT
                    _put(block, slot, O_MBY2, col, change2)
                    _put(block, slot, O_BLY2, col, bm + change2 / BPS_PER_UNIT)
                    rev2 = rev_t[year2]
                    _put(block, slot, O_DMY2, col, profit_t[year2] / rev2 if rev2 > 0 else 0.0)
                else:
                    _put(block, slot, O_MBY2, col, 0.0)
                    _put(block, slot, O_BLY2, col, bm)
                    _put(block, slot, O_DMY2, col, 0.0)

            # Counterparty in the target year.
            cs = _value(fixed, varied, column, I_CS, i)
            ct = _value(fixed, varied, column, I_CT, i)
            years = float(cust_years)
            if customer_fixed:  # the same for every draw: worked out once a run
                cagr, revenue_target = cagr_fixed, revenue_target_fixed
            else:
                cagr = (ct / cs) ** (1.0 / years) - 1.0
                revenue_target = cs * (1.0 + cagr) ** years
            _put(block, slot, O_CAGR, col, cagr)
            _put(block, slot, O_MULT, col, ct / cs)
            in_target = _at(
                curve_kind, curve_f, curve_x, curve_m, curve_tail, tgt0 + 1, dd, has_tail, slope, r, inv_norm
            )
            in_target -= _at(
                curve_kind, curve_f, curve_x, curve_m, curve_tail, tgt0, dd, has_tail, slope, r, inv_norm
            )
            commitments = other_commit + vu * in_target
            _put(block, slot, O_COMMIT, col, commitments)
            _put(block, slot, O_COVER, col, revenue_target / commitments if commitments > 0 else 0.0)
            _put(block, slot, O_FGAP, col, commitments - revenue_target)

            # Valuation.
            prior = _value(fixed, varied, column, I_PRIOR, i)
            shares = _value(fixed, varied, column, I_SHARES, i)
            price_after = prior * (1.0 + _value(fixed, varied, column, I_MOVE, i))
            after = price_after * shares
            value_added = (price_after - prior) * shares
            shock = _value(fixed, varied, column, I_SHOCK, i)
            _put(block, slot, O_PRICE, col, price_after)
            _put(block, slot, O_VADD, col, value_added)
            _put(block, slot, O_VTC, col, value_added / V)
            abnormal = (price_after / prior - 1.0) - (0.0 + 1.0 * _value(fixed, varied, column, I_MM, i))
            _put(block, slot, O_ABN, col, abnormal)
            _put(block, slot, O_MVA, col, after)
            start_value = after * (1.0 + shock * apply_shock)
            target = _value(fixed, varied, column, I_MVT, i)
            if slot[O_MVT] >= 0 or slot[O_PASS] >= 0:
                at_target = start_value * (1.0 + _value(fixed, varied, column, I_MVG, i)) ** float(mv_span)
                _put(block, slot, O_MVT, col, at_target)
                _put(block, slot, O_PASS, col, 1.0 if at_target >= target else 0.0)
            if slot[O_REQ] >= 0:
                required = (target / start_value) ** (1.0 / mv_span) - 1.0 if mv_exp_zero == 0 else 0.0
                _put(block, slot, O_REQ, col, required)
            _put(block, slot, O_SHOCKV, col, after * shock)
        for row in range(kept):
            for i in range(lo, hi):
                store[row, first + i] = block[i - lo, row]
# fmt: on


@numba.njit(cache=True, inline="always", error_model="numpy")
def _put(block, slot, output, col, value):  # noqa: ANN001, ANN202
    """Write an asked output's value for the block's draw ``col`` (``slot[output] < 0``: not kept).

    A block's outputs sit draw by draw (one draw's values side by side, so a draw writes a
    cache line or two, not one line per output); the block is copied to the kept rows at its end.
    """
    row = slot[output]
    if row >= 0:
        block[col, row] = value
