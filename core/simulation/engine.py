"""The numpy engine: the whole model for a block of draws, as array formulas (the reference engine)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import numpy as np

from core.conventions import (
    BPS_PER_UNIT,
    DAYS_PER_YEAR,
    HOURS_PER_YEAR,
    KW_PER_MW,
    MUSD_PER_BN,
    MWH_PER_TWH,
    USD_PER_BN,
)
from core.model import (
    output_names,
)
from core.simulation.arrays import (
    _as_draws,
    _down,
    _in_service_shares,
    _lead_spend,
    _ramp,
    _refreshed,
    _running_total,
    _straight_line,
    _Work,
)
from core.simulation.plan import _Plan

#: Draws evaluated at once inside a chunk: the period × draw working arrays (reused) stay in the
#: CPU's cache, and Python's per-operation cost is spread over enough draws (measured best).
_EVAL_DRAWS = 8_192

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


def _evaluate(
    plan: _Plan,
    v: Mapping[str, np.ndarray],
    n: int,
    work: _Work | None = None,
    outputs: Collection[str] | None = None,
    into: Mapping[str, np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """The model for ``n`` draws; ``v`` maps each simulated input to its draws (others fixed).

    Layout: a per-draw quantity is a vector of ``n`` (a fixed input stays a float);
    a quantity by period is an array of periods × draws, so each period is one
    contiguous row and per-draw vectors broadcast along it. Arrays by period live
    in ``work`` when given (reused call after call, so a result may be a view of
    one: copy what you keep before the next call), else in fresh arrays. With
    ``outputs`` given, sections none of them needs may be skipped (their outputs
    are then missing from the result). With ``into`` given (output name -> an array of
    ``n``), those outputs are written there and the rest returned as computed (an array, or
    one number when it is the same for every draw).
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

    curve = plan.curve
    row = d.astype(np.intp)  # each draw's delay in whole days: its column of the curve's tables
    if n and int(row.max()) > plan.max_delay_days:
        raise ValueError(
            f"a delay of {int(row.max())} days is beyond the plan's longest, {plan.max_delay_days}"
        )

    def cum(name: str, points: slice, delayed: bool = True) -> np.ndarray:
        """Cumulative share at the curve's ``points`` (:class:`_Curve`): points × draws.

        The points' contract times depend on the delay alone, so they are read from the
        curve's tables (one gather a row) instead of worked out draw by draw."""
        if not delayed:
            if curve.f_plan is not None:
                return _as_draws(curve.f_plan[points, None], n)
            if curve.m_plan is None:
                return _as_draws(curve.x_plan[points, None], n)
            m = curve.m_plan[points, None]
            assert ramp is not None  # a linear ramp (x_f > 0) has its coefficients
            slope, inv_norm = ramp
            f = m * slope
            f += r
            f *= m
            if curve.tail_plan is not None:
                f += curve.tail_plan[points, None]
            f *= inv_norm
            return _as_draws(f, n)
        k = len(range(*points.indices(curve.x.shape[0])))

        def gather(table: np.ndarray, tag: str) -> np.ndarray:
            # The rows were checked against the tables' width above: numpy's clip mode skips
            # checking each index again (the same values; a third less time a gather).
            return np.take(table[points], row, axis=1, out=buf(tag, k, n), mode="clip")

        if curve.f is not None:
            return gather(curve.f, name)
        if curve.m is None:  # x_f <= 0: the straight line
            return gather(curve.x, name)
        m = gather(curve.m, "m")
        assert ramp is not None  # a linear ramp (x_f > 0) has its coefficients
        slope, inv_norm = ramp
        f = np.multiply(m, slope, out=buf(name, k, n))
        f += r
        f *= m
        if curve.tail is not None:
            f += gather(curve.tail, "tail")
        f *= inv_norm
        return f

    def to(name: str) -> np.ndarray | None:
        """Where output ``name`` is written: its row of ``into`` when kept there (no copy after), else new."""
        return None if into is None else into.get(name)

    def filled(name: str, value: float) -> np.ndarray:
        """Output ``name``'s array (as :func:`to`), every draw set to ``value`` first."""
        target = to(name)
        if target is None:
            return np.full(n, value)
        target.fill(value)
        return target

    def kept(name: str, x: np.ndarray) -> np.ndarray:
        """A copy of ``x`` (a view of a working array) as output ``name``."""
        target = to(name)
        if target is None:
            return x.copy()
        np.copyto(target, x)
        return target

    out: dict[str, Any] = {}
    # Schedule by quarter; a fiscal year's revenue is the cumulative schedule at its
    # first and last quarter boundary.
    Fy = cum("Fy", curve.year_edges)
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
    y1 = kept("ramp_year1", yearly[0])
    y2 = kept("ramp_year2", yearly[1]) if grid > 1 else filled("ramp_year2", 0.0)
    # What is delivered by the end: all of it, except a forfeited tail.
    f_end = cum("f_end", slice(curve.end, curve.end + 1))[0].copy()
    f_end[(horizon - d) >= shape] = 1.0  # the whole schedule delivered: exactly 1, as in run_model
    out["straight_line_annual"] = V / a.term_years
    out["expected_revenue_total"] = np.multiply(V * u, f_end, out=to("expected_revenue_total"))
    out["unused_commitment"] = np.subtract(V, V * u * f_end, out=to("unused_commitment"))
    out["forfeited_value"] = np.subtract(V, V * f_end, out=to("forfeited_value"))
    out["straight_year1"], out["straight_year2"] = s1, s2
    out["ramp_year1"], out["ramp_year2"] = y1, y2
    two_s, two_r = s1 + s2, y1 + y2
    out["overstatement_2y"] = np.subtract(two_s, two_r, out=to("overstatement_2y"))
    out["overstatement_2y_pct"] = np.divide(
        two_s - two_r, two_r, out=filled("overstatement_2y_pct", 1.0), where=two_r > 0
    )
    # Growth contributions in the first full fiscal year (table row j2, grid year j2 − pad) from the year
    # before, over the baseline in the year before; a year outside the grid earns nothing (as run_model).
    j2, k2 = plan.year2_index, plan.year2_index - plan.pad
    s_full = V * plan.straight_frac[k2] if k2 < plan.straight_frac.size else 0.0
    s_before = V * plan.straight_frac[k2 - 1] if k2 > 0 else 0.0
    y_full = rev_t[j2] if j2 < rows_t else 0.0
    y_before = rev_t[j2 - 1] if j2 > 0 else 0.0
    base_before = base * (1.0 + growth) ** plan.base_before_full
    out["growth_pp_straight_year2"] = np.multiply(
        (s_full - s_before) / base_before, 100, out=to("growth_pp_straight_year2")
    )
    out["growth_pp_ramp_year2"] = np.multiply(
        (y_full - y_before) / base_before, 100, out=to("growth_pp_ramp_year2")
    )
    out["growth_pp_gap_year2"] = np.subtract(
        out["growth_pp_straight_year2"], out["growth_pp_ramp_year2"], out=to("growth_pp_gap_year2")
    )
    out["gap_year2"] = np.subtract(s2, y2, out=to("gap_year2"))

    # Backlog.
    rep = g["reported_backlog"]
    if a.booking == "full":
        added = V
    else:
        added = V * cum("anniversary", slice(-1, None), delayed=False)[0]
    out["backlog_added"] = added
    out["backlog_after_deal"] = np.add(rep, added, out=to("backlog_after_deal"))
    out["backlog_increase_pct"] = np.divide(
        added, rep, out=filled("backlog_increase_pct", 1.0), where=np.asarray(rep) > 0
    )
    out["backlog_deal_share"] = np.divide(
        added, rep + added, out=filled("backlog_deal_share", 1.0), where=np.asarray(rep) > 0
    )
    t = plan.rpo_t
    points = cum("rpo", curve.rpo)
    recognised = V * u * points[0]
    unused = np.maximum(V - V * u * f_end, 0.0)
    derecognised = np.where(t >= horizon, unused, 0.0)
    backlog = added - recognised - derecognised
    backlog = np.where(np.abs(backlog) <= 1e-9 * np.maximum(1.0, np.abs(V)), 0.0, backlog)
    out["current_rpo"] = np.minimum(V * (points[1] - points[0]), backlog, out=to("current_rpo"))

    worked_out: list[np.ndarray] = []  # the delayed run-rate once delayed_rate has worked it out

    def delayed_rate() -> np.ndarray:
        """The delayed schedule's contractual run-rate by grid year: revenue over its own contract
        days (the contract runs d days longer in extend mode). Computed once (compress mode needs it
        for the peak, then the economics)."""
        if worked_out:
            return worked_out[0]
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
            # A year with none of a draw's contract days runs at 0: divided by 1 there, then
            # multiplied by the mask (numpy's division with where= and its putmask branch per
            # element, which mispredicts when the delays mix); a late rate is never negative (the
            # curve never falls), so the zeros are +0, as put.
            some_days = live_days > 0
            live_days += ~some_days
            late[whole:] /= live_days
            late[whole:] *= some_days
        worked_out.append(late)
        return late

    # Capacity: the fleet sells the peak run-rate at the price per GPU-hour (or is disclosed); a
    # compress delay squeezes the schedule, and the fleet must deliver its higher peak.
    Fp = cum("Fplan", slice(0, -1), delayed=False)
    rate = np.subtract(Fp[1:], Fp[:-1], out=buf("rate", Fp.shape[0] - 1, n))
    rate *= V
    rate *= plan.plan_annualise[:, None]
    plan_peak = peak = rate.max(axis=0)
    if a.delay_mode == "compress":
        peak = np.maximum(plan_peak, delayed_rate().max(axis=0))
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
        sold = g["price_per_gpu_hour"] * HOURS_PER_YEAR * g["billable_share"]
        gpus = np.divide(peak * USD_PER_BN, sold, out=to("gpus"))
    racks = np.divide(gpus, gpr, out=to("racks"))
    it_mw = racks * kw / KW_PER_MW
    grid_mw = np.multiply(it_mw, pue, out=to("facility_mw"))
    energy = grid_mw * HOURS_PER_YEAR
    it_capex = np.divide(racks * g["rack_price_musd"], MUSD_PER_BN, out=to("it_capex"))
    facility = np.divide(it_mw * g["facility_musd_per_mw"], MUSD_PER_BN, out=to("facility_capex"))
    capex = np.add(it_capex, facility, out=to("deal_capex"))
    power_cost = np.divide(energy * g["power_usd_per_mwh"], USD_PER_BN, out=to("power_cost"))
    out.update(
        peak_run_rate=peak,
        gpus=gpus,
        racks=racks,
        facility_mw=grid_mw,
        it_capex=it_capex,
        facility_capex=facility,
        deal_capex=capex,
        energy_twh=np.divide(energy, MWH_PER_TWH, out=to("energy_twh")),
        us_power_share=np.divide(energy, g["us_consumption_twh"] * MWH_PER_TWH, out=to("us_power_share")),
        power_cost=power_cost,
    )
    cap26 = g["capex_2026"]
    out["deal_capex_share_2026"] = np.divide(
        capex, cap26, out=filled("deal_capex_share_2026", 0.0), where=np.asarray(cap26) > 0
    )

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
            _lead_spend(plan, used, cost=cost, out=capex_t, work=buf("dep_" + tag, rows_t, n))
            running = _running_total(used, out=buf("cum_" + tag, rows_t + 1, n))
            _straight_line(used, running, life, cost=cost, out=dep_t, work=buf("dep_" + tag, rows_t, n))
            dep_total += running[-1] * (cost * life[3])
        tmp = buf("tmp", rows_t, n)
        np.multiply(capex_t, ~live, out=tmp)
        late_capex = _down(tmp)  # spent after the end: counted in the last year
        dep_t *= live
        residual = dep_total - _down(dep_t)  # not depreciated by the end: comes back
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
        out["npv"] = _down(np.multiply(cash_t, discount, out=tmp), out=to("npv"))
        out["total_cash_flow"] = _down(cash_t, out=to("total_cash_flow"))
        out["deal_margin_life"] = np.divide(_down(profit_t), _down(rev_t), out=to("deal_margin_life"))

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
        out["margin_bps_peak"] = np.multiply(tmp.min(axis=0) - bm, BPS_PER_UNIT, out=to("margin_bps_peak"))
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
    edges = cum("target", curve.target)
    commitments = np.add(
        plan.other_commitments, V * u * (edges[1] - edges[0]), out=to("commitments_target_year")
    )
    revenue_target = cs * (1.0 + out["customer_required_cagr"]) ** years
    out["commitments_target_year"] = commitments
    # No commitments in the target year (a plan property): no coverage ratio; ``_defined`` drops it.
    out["coverage_target_year"] = np.divide(
        revenue_target, np.where(commitments > 0, commitments, np.inf), out=to("coverage_target_year")
    )
    out["funding_gap_target_year"] = np.subtract(
        commitments, revenue_target, out=to("funding_gap_target_year")
    )

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
    at_target = np.multiply(
        start_value, (1.0 + g["market_value_growth"]) ** plan.mv_span, out=to("market_value_target_year")
    )
    out["market_value_target_year"] = at_target
    out["market_value_passes"] = np.asarray(at_target >= g["market_value_target"], dtype=float)
    out["market_value_required_growth"] = (
        (g["market_value_target"] / start_value) ** (1.0 / plan.mv_span) - 1.0 if plan.mv_span > 0 else 0.0
    )
    out["cloud_shock_value"] = after * g["cloud_shock"]
    if into is not None:
        for name, target in into.items():
            x = out.pop(name)
            if x is not target:  # an output not computed in its row
                target[...] = x
        return out  # the rest as computed (the caller keeps the rows; no arrays made of the rest)
    return {
        name: x
        if isinstance(x, np.ndarray) and x.shape == (n,) and x.dtype == np.float64
        else np.broadcast_to(np.asarray(x, dtype=float), (n,))
        for name, x in out.items()
    }
