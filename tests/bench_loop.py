"""The benchmark's plain-Python baseline: the model one draw at a time, as a careful analyst writes it.

Plain floats and one loop over draws, with what a careful analyst does by hand:

* every fixed input bound to a local once, before the loop (a draw reads only the
  inputs that vary, from lists of floats), and no dictionary look-ups or
  closures inside the loop;
* the revenue curve with ``if`` branches, not ``min(max(...))``; the points
  where it is read move with the delay only, so their contract times are
  worked out once for each delay drawn (a dictionary keyed by the delay);
* the calendar, lead shares, lives and the fiscal-year edges computed once
  (from the engine's plan: the same calendar, not the same arithmetic); the
  discount factors and baseline growth factors once when their rates are
  fixed, and the powers behind outputs no varied input moves (the customer's
  growth, the market value's required growth) once;
* a draw's outputs stored with one list append (a tuple), turned into
  columns after the loop.

:func:`fair_loop` returns every simulated output (the constant ones as one
value repeated), so the benchmark and tests compare it with the engine draw
by draw.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from core.assumptions import Assumptions
from core.conventions import BPS_PER_UNIT, DAYS_PER_YEAR, HOURS_PER_YEAR
from core.simulation import SIMULATED_OUTPUTS, SIMULATION_INPUTS, sample_inputs
from core.simulation.inputs import _max_delay_days
from core.simulation.plan import _plan

#: The outputs the loop computes per draw, in the order of its result tuple.
LOOP_OUTPUTS = (
    "straight_line_annual", "expected_revenue_total", "unused_commitment", "forfeited_value",
    "straight_year1", "ramp_year1", "straight_year2", "ramp_year2", "overstatement_2y", "overstatement_2y_pct",
    "growth_pp_straight_year2", "growth_pp_ramp_year2", "growth_pp_gap_year2", "gap_year2",
    "backlog_added", "backlog_after_deal", "backlog_increase_pct", "backlog_deal_share", "current_rpo",
    "peak_run_rate", "gpus", "racks", "facility_mw", "it_capex", "facility_capex", "deal_capex",
    "energy_twh", "us_power_share", "power_cost", "deal_capex_share_2026",
    "npv", "total_cash_flow", "deal_margin_life", "margin_bps_peak", "margin_bps_year2",
    "blended_margin_year2", "deal_margin_year2",
    "customer_required_cagr", "customer_revenue_multiple", "commitments_target_year",
    "coverage_target_year", "funding_gap_target_year",
    "price_after", "value_added", "value_added_to_contract", "abnormal_return", "market_value_after",
    "market_value_target_year", "market_value_passes", "market_value_required_growth", "cloud_shock_value",
)  # fmt: skip
assert sorted(LOOP_OUTPUTS) == sorted(SIMULATED_OUTPUTS)


def _in_service(rate: list[float], size: int) -> tuple[list[float], bool]:
    """Share of capacity entering service each year (the highest run-rate so far), padded to ``size``."""
    top = max(rate)
    running = 0.0
    added = []
    for value in rate:
        if value > running:
            step = value - running
            running = value
            added.append(0.0 if step < 1e-9 * top else step)
        else:
            added.append(0.0)
    total = sum(added)
    if total > 0:
        shares = [x / total for x in added]
    else:
        shares = [0.0] * len(added)
    return shares + [0.0] * (size - len(shares)), total > 0


def fair_loop(
    a: Assumptions, distributions: dict[str, Any], draws: int, seed: int = 1
) -> dict[str, list[float]]:
    """Every simulated output of ``draws`` draws, one draw at a time in plain floats (the fair baseline).

    The draws come from the engine's sampler (the same numbers), converted to floats once.
    """
    plan = _plan(a, _max_delay_days(a, distributions))
    drawn = sample_inputs(distributions, draws=draws, seed=seed)
    fixed = plan.fixed
    varied = set(drawn)
    columns = {name: drawn[name].tolist() for name in drawn}

    def column(name: str) -> list[float]:
        """An input's draws, or its one value for every draw."""
        return columns[name] if name in columns else [fixed[name]] * draws

    # ---- once: the calendar, the curve's points, lives, fixed inputs and what they fix
    total = float(plan.total)
    term = a.term_years
    mode, booking_full = a.delay_mode, a.booking == "full"
    xf = plan.linear_xf
    linear = xf is not None and xf > 0
    cdf = plan.cdf
    year_edges = [int(k) for k in plan.year_of_quarter] + [plan.q_edges.size - 1]
    delayed_points = [float(plan.q_edges[k]) for k in year_edges]
    delayed_points += [math.inf, plan.rpo_t, plan.rpo_t + plan.rpo_12, *map(float, plan.target_edges)]
    ny = len(year_edges)
    grid = ny - 1
    i_end, i_rpo, i_tgt = ny, ny + 1, ny + 3
    plan_points = [float(e) / total for e in plan.plan_edges] + [plan.anniversary1 / total]
    plan_points = [0.0 if x < 0 else 1.0 if x > 1 else x for x in plan_points]
    npl = len(plan.plan_edges) - 1
    annualise = plan.plan_annualise.tolist()
    bounds = plan.year_bounds.tolist()
    starts = plan.year_starts.tolist()
    rev_index = plan.table_rev_index.tolist()
    pad, n_table, first_row, j2 = plan.pad, plan.n_table, plan.first_capex_row, plan.year2_index
    lead_shares = list(plan.lead_shares)
    lives = (plan.life_it, plan.life_facility)
    sf = plan.straight_frac.tolist()
    table_lo, table_hi = plan.table_lo.tolist(), plan.table_hi.tolist()
    discount_years, base_table = plan.discount_years.tolist(), plan.base_table.tolist()
    base_before_full, mv_span = plan.base_before_full, plan.mv_span
    t_rpo = plan.rpo_t
    other_commit = plan.other_commitments
    override = a.deal_margin_override
    fleet_gpus, fleet_mw = a.fleet_gpus, a.fleet_it_mw
    apply_shock = a.apply_cloud_shock
    cust_years = a.customer_target_year - a.customer_revenue_start_year
    rate_fixed = "discount_rate" not in varied
    discount = [(1.0 + fixed["discount_rate"]) ** -y for y in discount_years] if rate_fixed else []
    growth_fixed = "base_growth" not in varied
    base_growth = [(1.0 + fixed["base_growth"]) ** y for y in base_table] if growth_fixed else []
    before_growth = (1.0 + fixed["base_growth"]) ** base_before_full if growth_fixed else 0.0
    customer_fixed = not varied & {"customer_revenue_start", "customer_revenue_target"}
    if customer_fixed:
        cs0, ct0 = fixed["customer_revenue_start"], fixed["customer_revenue_target"]
        cagr0 = (ct0 / cs0) ** (1.0 / cust_years) - 1.0
        revenue_target0 = cs0 * (1.0 + cagr0) ** cust_years
    required_fixed = not varied & {"prior_close", "shares_outstanding", "move_pct", "cloud_shock"}
    required_fixed = required_fixed and "market_value_target" not in varied
    if required_fixed:
        after0 = fixed["prior_close"] * (1.0 + fixed["move_pct"]) * fixed["shares_outstanding"]
        start0 = after0 * (1.0 + fixed["cloud_shock"] * apply_shock)
        required0 = (fixed["market_value_target"] / start0) ** (1.0 / mv_span) - 1.0 if mv_span > 0 else 0.0
    points_by_delay: dict[float, tuple[list[float], float, float]] = {}

    out: list[tuple[float, ...]] = []
    append = out.append
    for (
        V, u, r, base, bm, bg, dq, rep, gpr, kw, pue, price, bill, rack, fac, pw, us, cap26, committed,
        other_share, tax, rate_d, cs, ct, prior, shares, move, mm, shock, mvg, mvt, _growth_after,
    ) in zip(*[column(name) for name in _LOOP_INPUTS], strict=True):  # fmt: skip
        # The delay in whole days (core.schedule.delay_days_from_quarters) and the curve's points.
        d = float(round(dq * DAYS_PER_YEAR / 4))
        cached = points_by_delay.get(d)
        if cached is None:
            horizon = total + d if mode == "extend" else total
            shape = total - d if mode == "compress" else total
            xs = []
            for t in delayed_points:
                x = ((t if t < horizon else horizon) - d) / shape
                xs.append(0.0 if x < 0 else 1.0 if x > 1 else x)
            cached = points_by_delay[d] = (xs, horizon, shape)
        xs, horizon, shape = cached
        # The revenue curve at every point, with branches (the linear ramp, or the profile's own).
        if linear:
            slope = (1 - r) / (2 * xf)
            if xf >= 1:
                norm = r + slope
                F = [(r + slope * x) * x / norm for x in xs]
                Fp = [(r + slope * x) * x / norm for x in plan_points]
            else:
                norm = xf * (1 + r) / 2 + (1 - xf)
                top = (r + slope * xf) * xf
                F = [((r + slope * x) * x if x < xf else top + (x - xf)) / norm for x in xs]
                Fp = [((r + slope * x) * x if x < xf else top + (x - xf)) / norm for x in plan_points]
        elif xf is not None:  # a ramp complete at the start: the straight line
            F, Fp = xs, plan_points
        else:  # another profile: its own cumulative share (fixed by the delay alone)
            F = cdf(np.array(xs)).tolist()
            Fp = cdf(np.array(plan_points)).tolist()

        vu = V * u
        yearly = [vu * (F[k + 1] - F[k]) for k in range(grid)]
        f_end = 1.0 if horizon - d >= shape else F[i_end]
        s1 = V * sf[0]
        s2 = V * sf[1] if len(sf) > 1 else 0.0
        y1 = yearly[0]
        y2 = yearly[1] if grid > 1 else 0.0
        two_s, two_r = s1 + s2, y1 + y2
        # Growth in the first full fiscal year (table row j2, grid year k2) from the year before,
        # over the baseline in the year before; a year outside the grid earns nothing.
        k2 = j2 - pad
        s_full = V * sf[k2] if k2 < len(sf) else 0.0
        s_before = V * sf[k2 - 1] if k2 > 0 else 0.0
        y_full = yearly[k2] if k2 < grid else 0.0
        y_before = yearly[k2 - 1] if k2 > 0 else 0.0
        base_before = base * before_growth if growth_fixed else base * (1.0 + bg) ** base_before_full
        gp_s = (s_full - s_before) / base_before * 100
        gp_r = (y_full - y_before) / base_before * 100

        added = V if booking_full else V * Fp[npl + 1]
        p0, p1 = F[i_rpo], F[i_rpo + 1]
        unused = V - vu * f_end
        left = added - vu * p0 - (unused if t_rpo >= horizon and unused > 0 else 0.0)
        if -1e-9 * (V if V > 1 else 1.0) <= left <= 1e-9 * (V if V > 1 else 1.0):
            left = 0.0
        rpo_next = V * (p1 - p0)

        # Capacity: the plan's run-rate by fiscal year and the delayed schedule's over its own days.
        rate = [V * (Fp[k + 1] - Fp[k]) * annualise[k] for k in range(npl)]
        late_rate = []
        for k in range(grid):
            end = bounds[k + 1] if bounds[k + 1] < horizon else horizon
            live_days = end - bounds[k]
            late_rate.append(V * (F[k + 1] - F[k]) * DAYS_PER_YEAR / live_days if live_days > 0 else 0.0)
        plan_peak = peak = max(rate)
        grown = 1.0
        if mode == "compress":
            late_peak = max(late_rate)
            if late_peak > peak:
                peak = late_peak
            grown = peak / plan_peak if plan_peak > 0 else 1.0
        if fleet_gpus is not None:
            gpus = float(fleet_gpus) * grown
        elif fleet_mw is not None:
            gpus = float(fleet_mw) * 1e3 / (kw / gpr) * grown
        else:
            gpus = peak * 1e9 / (price * HOURS_PER_YEAR * bill)
        racks = gpus / gpr
        it_mw = racks * kw / 1e3
        grid_mw = it_mw * pue
        energy = grid_mw * HOURS_PER_YEAR
        it_capex = racks * rack / 1e3
        facility = it_mw * fac / 1e3
        capex = it_capex + facility
        power_cost = energy * pw / 1e9

        # Economics: capacity in service, refreshed; capex ahead by the lead; depreciation from
        # running totals; the table ends with the realised schedule's last fiscal year.
        planned, _ = _in_service(rate, grid)
        delayed, some = _in_service(late_rate, grid)
        if not some:
            delayed = planned
        keep = 1.0 - committed
        last_grid = 0
        while last_grid + 1 < grid and starts[last_grid + 1] <= horizon - 1:
            last_grid += 1
        last = rev_index[last_grid]
        first_use = [0.0] * pad + [committed * p + keep * q for p, q in zip(planned, delayed, strict=True)]
        first_use += [0.0] * (n_table - len(first_use))
        capex_t = [0.0] * n_table
        dep_t = [0.0] * n_table
        ever = 0.0
        for (full, per_year, part, weights_sum, span), cost in ((lives[0], it_capex), (lives[1], facility)):
            used = first_use[:]
            for k in range(span, last + 1):
                used[k] += used[k - span]
            for ahead, w in lead_shares:
                wc = w * cost
                for k in range(ahead, n_table):
                    row = k - ahead if k - ahead > first_row else first_row
                    capex_t[row] += used[k] * wc
            running = 0.0
            window = []
            py, pc = per_year * cost, part * cost
            for k in range(n_table):
                running += used[k]
                window.append(running)
                whole = running - window[k - full] if k >= full else running
                unit = whole * py
                if part and k >= full:
                    unit += used[k - full] * pc
                dep_t[k] += unit
            ever += running * cost * weights_sum
        rev_t = [0.0] * n_table
        for k in range(grid):
            rev_t[rev_index[k]] = yearly[k]
        residual = ever - sum(dep_t[: last + 1])
        late_capex = sum(capex_t[last + 1 :])
        power_share = power_cost / peak if peak > 0 else 0.0
        if power_share > 1.0:
            power_share = 1.0
        keep_share = 1.0 - power_share - other_share
        npv = cash_total = profit_total = 0.0
        lowest_full = lowest_shown = math.inf
        mb2, blended2, dm2 = 0.0, bm, 0.0
        growth = 1.0 + bg
        one_plus = 1.0 + rate_d
        for j in range(n_table):
            rev = rev_t[j]
            dep = dep_t[j] if j <= last else 0.0
            profit = rev * override if override is not None else rev * keep_share - dep
            profit_total += profit
            if j <= last:
                cash = profit * (1.0 - tax) + dep - capex_t[j]
                if j == last:
                    cash += residual - late_capex
                npv += cash * (discount[j] if rate_fixed else one_plus ** -discount_years[j])
                cash_total += cash
                if rev > 0 or dep > 0:
                    base_j = base * (base_growth[j] if growth_fixed else growth ** base_table[j])
                    blended = (base_j * bm + profit) / (base_j + rev)
                    if blended < lowest_shown:
                        lowest_shown = blended
                    if table_lo[j] >= 0 and table_hi[j] <= horizon and blended < lowest_full:
                        lowest_full = blended
                    if j == j2:
                        mb2 = (blended - bm) * BPS_PER_UNIT
                        blended2 = bm + mb2 / BPS_PER_UNIT
                        dm2 = profit / rev if rev > 0 else 0.0
        lowest = lowest_full if lowest_full < math.inf else lowest_shown

        # Counterparty and valuation.
        if customer_fixed:
            cagr, revenue_target = cagr0, revenue_target0
        else:
            cagr = (ct / cs) ** (1.0 / cust_years) - 1.0
            revenue_target = cs * (1.0 + cagr) ** cust_years
        commitments = other_commit + vu * (F[i_tgt + 1] - F[i_tgt])
        price_after = prior * (1.0 + move)
        after = price_after * shares
        start_value = after * (1.0 + shock * apply_shock)
        at_target = start_value * (1.0 + mvg) ** mv_span
        value_added = (price_after - prior) * shares
        if required_fixed:
            required = required0
        else:
            required = (mvt / start_value) ** (1.0 / mv_span) - 1.0 if mv_span > 0 else 0.0
        append(
            (
                V / term, vu * f_end, unused, V - V * f_end, s1, y1, s2, y2, two_s - two_r,
                (two_s - two_r) / two_r if two_r > 0 else 1.0, gp_s, gp_r, gp_s - gp_r, s2 - y2,
                added, rep + added, added / rep if rep > 0 else 1.0, added / (rep + added) if rep > 0 else 1.0,
                rpo_next if rpo_next < left else left,
                peak, gpus, racks, grid_mw, it_capex, facility, capex, energy / 1e6, energy / (us * 1e6),
                power_cost, capex / cap26 if cap26 > 0 else 0.0,
                npv, cash_total, profit_total / sum(rev_t), (lowest - bm) * BPS_PER_UNIT, mb2, blended2, dm2,
                cagr, ct / cs, commitments, revenue_target / commitments if commitments > 0 else 0.0,
                commitments - revenue_target,
                price_after, value_added, value_added / V, (price_after / prior - 1.0) - mm, after, at_target,
                1.0 if at_target >= mvt else 0.0, required, after * shock,
            )
        )  # fmt: skip
    columns_out = list(zip(*out, strict=True)) if out else [() for _ in LOOP_OUTPUTS]
    return {name: list(values) for name, values in zip(LOOP_OUTPUTS, columns_out, strict=True)}


#: The inputs in the order the loop unpacks them (every simulation input).
_LOOP_INPUTS = (
    "contract_value", "realisation", "initial_rate", "base_revenue", "base_margin", "base_growth",
    "delay_quarters", "reported_backlog", "gpus_per_rack", "kw_per_rack", "pue", "price_per_gpu_hour",
    "billable_share", "rack_price_musd", "facility_musd_per_mw", "power_usd_per_mwh", "us_consumption_twh",
    "capex_2026", "committed_capex_share", "other_opex_share", "tax_rate", "discount_rate",
    "customer_revenue_start", "customer_revenue_target", "prior_close", "shares_outstanding", "move_pct",
    "market_move_pct", "cloud_shock", "market_value_growth", "market_value_target", "customer_growth_after",
)  # fmt: skip
assert sorted(_LOOP_INPUTS) == sorted(SIMULATION_INPUTS), sorted(set(SIMULATION_INPUTS) ^ set(_LOOP_INPUTS))
