"""The compiled kernel's economics section (numba): in-service shares, capex, depreciation, profit, cash, NPV, margin.

Imported only by :mod:`core.simulation.kernel_loop`. Like the rest of the kernel it works on a
group of draws at once (``m`` lanes): a period's quantity is a row of a ``period × lanes`` array
and the innermost loops run over the lanes, so the compiler emits vector code; a draw's own
branches are selects. Each draw's arithmetic is the numpy engine's (the economics section of
:mod:`core.simulation.engine`), operation for operation in the same order.
"""

from __future__ import annotations

import math

import numba

from core.conventions import BPS_PER_UNIT

#: Rows of the per-lane working array :func:`_economics` needs (``lane_rows`` below).
ECON_LANE_ROWS = 21


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _in_service(rate, count, out, peak, total, m):  # noqa: ANN001, ANN202
    """``core.simulation.arrays._in_service_shares`` lane by lane: shares in ``out[:count]``.

    A lane with nothing in service gets zeros and ``total[c] <= 0`` (or NaN), so the caller's
    fallback is ``not total[c] > 0``.
    """
    for c in range(m):
        out[0, c] = rate[0, c]
    for k in range(1, count):
        for c in range(m):
            out[k, c] = max(out[k - 1, c], rate[k, c])
    for c in range(m):
        peak[c] = out[count - 1, c]
    for k in range(count - 1, 0, -1):
        for c in range(m):
            out[k, c] -= out[k - 1, c]
    for k in range(count):
        for c in range(m):
            share = out[k, c]
            share = 0.0 if share < 1e-9 * peak[c] else share
            out[k, c] = share
            total[c] = share if k == 0 else total[c] + share
    for k in range(count):
        for c in range(m):
            share, whole = out[k, c], total[c]
            out[k, c] = share / whole if whole > 0 else 0.0


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _economics(  # noqa: C901, PLR0912, PLR0913, PLR0915
    m,
    ints,
    floats,
    store,
    slot,
    at,
    out_rows,
    rate,
    late,
    rev_t,
    horizon,
    it_capex,
    facility,
    power_cost,
    peak,
    base,
    bm,
    commit,
    other,
    tax,
    disc_rate,
    bg,
    year_starts,
    table_rev_index,
    discount_years,
    discount,
    base_table,
    base_growth,
    table_lo,
    table_hi,
    lead_ahead,
    lead_weight,
    lives,
    planned,
    delayed,
    first_use,
    used,
    run,
    capex_t,
    dep_t,
    w,
    last_grid,
    last,
    flags,
):  # noqa: ANN001, ANN202
    """The economics outputs of ``m`` draws (lanes) into ``store[:, at:at + m]``.

    ``out_rows`` are the output positions (``O_NPV``, ``O_TCF``, ``O_DML``, ``O_MBP``, ``O_MBY2``,
    ``O_BLY2``, ``O_DMY2``); ``ints``/``floats`` the kernel's run constants; ``rate`` (plan year),
    ``late`` (grid year), ``rev_t`` (table row) the draws' schedules by period × lane; the next
    arrays one value a lane; the plan's tables; then the working arrays (``w``:
    ``ECON_LANE_ROWS`` × lanes; ``last_grid``, ``last``: integers by lane; ``flags``: 2 × lanes
    booleans), allocated by the caller once for many groups.
    """
    pad, n_table, first_row, year2 = ints[5], ints[6], ints[7], ints[8]
    has_override, rate_fixed, growth_fixed, npl = ints[3], ints[12], ints[13], ints[16]
    override = floats[4]
    grid = late.shape[0]
    o_npv, o_tcf, o_dml, o_mbp, o_mby2, o_bly2, o_dmy2 = (
        out_rows[0],
        out_rows[1],
        out_rows[2],
        out_rows[3],
        out_rows[4],
        out_rows[5],
        out_rows[6],
    )
    peak_s, total_p, total_d = w[0], w[1], w[2]
    cost, dep_total, late_capex, dep_sum = w[3], w[4], w[5], w[6]
    npv, cash_total, profit_total, rev_total = w[7], w[8], w[9], w[10]
    lowest_full, lowest_shown, blended2, keep, tax_keep, factor = w[11], w[12], w[13], w[14], w[15], w[16]
    moved, profit, profit2, base_j = w[17], w[18], w[19], w[20]
    any_full, shown2 = flags[0], flags[1]

    # In-service shares of the plan and of the delayed schedule (the plan's when none in service).
    for k in range(npl, grid):
        for c in range(m):
            planned[k, c] = 0.0
    _in_service(rate, npl, planned, peak_s, total_p, m)
    _in_service(late, grid, delayed, peak_s, total_d, m)
    for k in range(grid):
        for c in range(m):
            mine, plan = delayed[k, c], planned[k, c]
            delayed[k, c] = mine if total_d[c] > 0 else plan
    for k in range(pad):
        for c in range(m):
            first_use[k, c] = 0.0
    for k in range(grid):
        for c in range(m):
            first_use[pad + k, c] = planned[k, c] * commit[c] + delayed[k, c] * (1.0 - commit[c])

    # The table ends with the realised schedule's last fiscal year: the last grid year starting on
    # or before the draw's last contract day (the first grid year that does not stops the count).
    for c in range(m):
        last_grid[c] = 0
    for k in range(1, year_starts.size):
        start = year_starts[k]
        for c in range(m):
            last_grid[c] += 1 if (last_grid[c] == k - 1) & (start <= horizon[c] - 1) else 0
    for c in range(m):
        last[c] = table_rev_index[last_grid[c]]

    for k in range(n_table):
        for c in range(m):
            capex_t[k, c] = 0.0
            dep_t[k, c] = 0.0
    for c in range(m):
        dep_total[c] = 0.0
    for which in range(2):
        full = int(lives[which, 0])
        per_year, part, weights_sum, span = (
            lives[which, 1],
            lives[which, 2],
            lives[which, 3],
            int(lives[which, 4]),
        )
        for c in range(m):
            cost[c] = it_capex[c] if which == 0 else facility[c]
        for k in range(n_table):
            for c in range(m):
                used[k, c] = first_use[k, c]
        for k in range(span, n_table):
            for c in range(m):
                now, before = used[k, c], used[k - span, c]
                used[k, c] = now + before if k <= last[c] else now
        for s in range(lead_ahead.size):
            ahead = lead_ahead[s]
            weight = lead_weight[s]
            for k in range(n_table - ahead):
                for c in range(m):
                    capex_t[k, c] += used[k + ahead, c] * (weight * cost[c])
        if first_row > 0:
            for c in range(m):
                moved[c] = capex_t[0, c]
            for k in range(1, first_row):
                for c in range(m):
                    moved[c] += capex_t[k, c]
            for c in range(m):
                capex_t[first_row, c] += moved[c]
            for k in range(first_row):
                for c in range(m):
                    capex_t[k, c] = 0.0
        for c in range(m):
            run[0, c] = 0.0
        for k in range(n_table):
            for c in range(m):
                run[k + 1, c] = run[k, c] + used[k, c]
        for k in range(n_table):
            if k < full:
                for c in range(m):
                    dep_t[k, c] += run[k + 1, c] * (per_year * cost[c])
            elif part != 0.0:
                for c in range(m):
                    unit = (run[k + 1, c] - run[k + 1 - full, c]) * (per_year * cost[c])
                    unit += used[k - full, c] * (part * cost[c])
                    dep_t[k, c] += unit
            else:
                for c in range(m):
                    dep_t[k, c] += (run[k + 1, c] - run[k + 1 - full, c]) * (per_year * cost[c])
        for c in range(m):
            dep_total[c] += run[n_table, c] * (cost[c] * weights_sum)
    for c in range(m):
        late_capex[c] = 0.0
        dep_sum[c] = 0.0
    for k in range(n_table):
        for c in range(m):
            gone = k > last[c]
            sum_late, spent, dep = late_capex[c], capex_t[k, c], dep_t[k, c]
            late_capex[c] = sum_late + spent if gone else sum_late
            dep = 0.0 if gone else dep
            dep_t[k, c] = dep
            dep_sum[c] += dep

    # Profit, cash, NPV and the blended margin, table row by table row.
    for c in range(m):
        cost_c, peak_c = power_cost[c], peak[c]
        power_share = min(cost_c / peak_c if peak_c > 0 else 0.0, 1.0)
        keep[c] = 1.0 - power_share - other[c]
        tax_keep[c] = 1.0 - tax[c]
        npv[c] = 0.0
        cash_total[c] = 0.0
        profit_total[c] = 0.0
        rev_total[c] = 0.0
        lowest_full[c] = math.inf
        lowest_shown[c] = math.inf
        blended2[c] = 0.0
        profit2[c] = 0.0
        any_full[c] = False
        shown2[c] = False
    for j in range(n_table):
        if rate_fixed:
            for c in range(m):
                factor[c] = discount[j]
        else:
            for c in range(m):
                factor[c] = (1.0 + disc_rate[c]) ** -discount_years[j]
        starts_in, hi_j = table_lo[j] >= 0, table_hi[j]
        if has_override:
            for c in range(m):
                profit[c] = rev_t[j, c] * override
        else:
            for c in range(m):
                profit[c] = rev_t[j, c] * keep[c] - dep_t[j, c]
        if j == year2:
            for c in range(m):
                profit2[c] = profit[c]
        for c in range(m):
            profit_total[c] += profit[c]
            rev_total[c] += rev_t[j, c]
        for c in range(m):
            inside = j <= last[c]
            cash = profit[c] * tax_keep[c] + dep_t[j, c] - capex_t[j, c]
            last_cash = (dep_total[c] - dep_sum[c]) - late_capex[c]
            cash = cash + last_cash if j == last[c] else cash
            npv_c, cash_c, factor_c = npv[c], cash_total[c], factor[c]
            npv[c] = npv_c + cash * factor_c if inside else npv_c
            cash_total[c] = cash_c + cash if inside else cash_c
        if growth_fixed:
            for c in range(m):
                base_j[c] = base[c] * base_growth[j]
        else:
            for c in range(m):
                base_j[c] = base[c] * (1.0 + bg[c]) ** base_table[j]
        for c in range(m):
            rev = rev_t[j, c]
            shown = (j <= last[c]) & ((rev > 0) | (dep_t[j, c] > 0))
            blended = (base_j[c] * bm[c] + profit[c]) / (base_j[c] + rev)
            low_s, low_f = lowest_shown[c], lowest_full[c]
            lowest_shown[c] = min(low_s, blended) if shown else low_s
            full_j = shown & starts_in & (hi_j <= horizon[c])
            any_full[c] = any_full[c] | full_j
            lowest_full[c] = min(low_f, blended) if full_j else low_f
            if j == year2:
                shown2[c] = shown
                blended2[c] = blended if shown else 0.0

    if o_npv >= 0:
        for c in range(m):
            store[o_npv, at + c] = npv[c]
    if o_tcf >= 0:
        for c in range(m):
            store[o_tcf, at + c] = cash_total[c]
    if o_dml >= 0:
        for c in range(m):
            store[o_dml, at + c] = profit_total[c] / rev_total[c]
    if o_mbp >= 0:
        for c in range(m):
            low_f, low_s = lowest_full[c], lowest_shown[c]
            store[o_mbp, at + c] = ((low_f if any_full[c] else low_s) - bm[c]) * BPS_PER_UNIT
    for c in range(m):
        blended2[c] = (blended2[c] - bm[c]) * BPS_PER_UNIT  # the change in the margin, in bps
    if o_mby2 >= 0:
        for c in range(m):
            change2 = blended2[c]
            store[o_mby2, at + c] = change2 if shown2[c] else 0.0
    if o_bly2 >= 0:
        for c in range(m):
            change2, bm_c = blended2[c], bm[c]
            store[o_bly2, at + c] = bm_c + change2 / BPS_PER_UNIT if shown2[c] else bm_c
    if o_dmy2 >= 0:
        for c in range(m):
            rev2 = rev_t[year2, c] if year2 < n_table else 0.0
            share2 = profit2[c] / rev2 if rev2 > 0 else 0.0
            store[o_dmy2, at + c] = share2 if shown2[c] else 0.0
