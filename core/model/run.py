""":func:`run_model` and the blocks it is built from, one per stage of the model.

Schedule, capacity, economics, margin, benchmarks, backlog, counterparty and valuation: each
block reads the assumptions and the figures of the blocks before it, and fills in its key
figures and its table. The helpers other modules share (the contract's last day and days by
year, staged tranches, the peak run-rate, the fleet, the customer's portfolio) live beside them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from core.assumptions import Assumptions, as_assumptions
from core.backlog import backlog_effect, backlog_rollforward, current_rpo
from core.baseline import base_revenue_path
from core.benchmarks import benchmark_table, part_years
from core.capacity import (
    annual_energy_mwh,
    facility_capex_usd_bn,
    facility_power_mw,
    fleet_gpus,
    it_power_mw,
    power_cost_usd_bn,
    racks_for_gpus,
    us_power_share,
)
from core.contracts import booking_day, contract_row, library_contracts, profile_params
from core.conventions import MUSD_PER_BN, MWH_PER_TWH
from core.counterparty import counterparty_coverage, required_cagr
from core.economics import annual_run_rate, deal_cash_flows, economics_summary
from core.margin import margin_by_period
from core.model.outputs import ModelResult, output_names
from core.schedule import (
    contract_end,
    contract_schedule,
    first_full_fiscal_year,
    fiscal_year_end_date,
    fiscal_year_of,
    fiscal_year_start_date,
    near_term_overstatement,
    profile_weights,
    straightline_gap,
)
from core.valuation import event_study, market_value_path, threshold_test


def _schedule_kwargs(a: Assumptions) -> dict[str, Any]:
    return {
        "profile": a.profile,
        "fiscal_year_end": a.fiscal_year_end,
        "realisation": a.realisation,
        "delay_days": a.delay_days,
        "delay_mode": a.delay_mode,
        **profile_params(a),
    }


#: Key figures as the blocks below fill them in (None: no value exists).
_Outputs = dict[str, float | None]


def _known(out: _Outputs, name: str) -> float:
    """A figure an earlier block always fills in (capacity, schedule): never None."""
    value = out[name]
    assert value is not None, name
    return value


def _schedule_block(a: Assumptions, out: _Outputs, tables: dict[str, pd.DataFrame]) -> None:
    kwargs = _schedule_kwargs(a)
    schedule = contract_schedule(
        a.contract_value, a.start_date, a.term_years, frequency=a.frequency, **kwargs
    )
    plain = straightline_gap(a.contract_value, a.start_date, a.term_years, frequency="year", **kwargs)
    prior_years = plain["period"].str.slice(2).astype(int).to_numpy() - 1
    gap = straightline_gap(
        a.contract_value, a.start_date, a.term_years, frequency="year", **kwargs,
        base_revenue=base_revenue_path(a.base_revenue, a.base_growth, a.base_year, prior_years),
    )
    tables["schedule"] = schedule
    tables["gap"] = gap
    out["straight_line_annual"] = a.contract_value / a.term_years
    # One total everywhere: what the schedule recognises (a forfeited tail is lost here too).
    expected = float(schedule["revenue"].sum())
    delivered = contract_schedule(
        a.contract_value, a.start_date, a.term_years, frequency="year",
        **{**kwargs, "realisation": 1.0},
    )
    out["expected_revenue_total"] = expected
    out["unused_commitment"] = a.contract_value - expected
    out["forfeited_value"] = a.contract_value - float(delivered["revenue"].sum())
    first_two = gap.iloc[:2]
    for i, (_, row) in enumerate(first_two.iterrows(), start=1):
        out[f"straight_year{i}"] = float(row["straight"])
        out[f"ramp_year{i}"] = float(row["ramp"])
    over = near_term_overstatement(gap, periods=2)
    out["overstatement_2y"] = float(over["gap"] or 0.0)
    # A ramp that earns nothing in two years (a long delay) has no finite
    # overstatement ratio; report the whole straight line as overstated (1 = 100%
    # of itself) rather than NaN.
    out["overstatement_2y_pct"] = float(over["gap_pct"]) if over["gap_pct"] is not None else 1.0
    if len(gap) > 1:
        out["gap_year2"] = float(gap.iloc[1]["gap"])
    else:  # a contract inside its first fiscal year earns nothing in year 2
        out["straight_year2"] = out["ramp_year2"] = out["gap_year2"] = 0.0
    # Growth contributions are read in the first full fiscal year (the margin figures' year,
    # core.schedule.first_full_fiscal_year): that year's row of the gap table, whose growth is the
    # change from the year before over the provider's base revenue in the year before.
    full = first_full_fiscal_year(a.start_date, a.fiscal_year_end)
    by_period = gap.set_index("period")
    if f"FY{full}" in by_period.index:
        row = by_period.loc[f"FY{full}"]
        straight_pp, ramp_pp = float(row["growth_pp_straight"]), float(row["growth_pp_ramp"])
        out["growth_pp_gap_year2"] = float(row["growth_pp_gap"])
    else:
        # The contract ends inside its start's fiscal year (the year before its first full one, the
        # table's only year): it earns nothing in the first full year, so each contribution is minus
        # the year before's revenue over that year's base.
        before = by_period.loc[f"FY{full - 1}"]
        base_before = float(base_revenue_path(a.base_revenue, a.base_growth, a.base_year, full - 1))
        straight_pp = -float(before["straight"]) / base_before * 100
        ramp_pp = -float(before["ramp"]) / base_before * 100
        out["growth_pp_gap_year2"] = straight_pp - ramp_pp
    out["growth_pp_straight_year2"], out["growth_pp_ramp_year2"] = straight_pp, ramp_pp


def contract_last_day(a: Assumptions) -> dt.date:
    """The last day revenue can fall: the term's last day, moved out by an ``extend`` delay.

    >>> contract_last_day(Assumptions()).isoformat(), contract_last_day(Assumptions(delay_quarters=1)).isoformat()
    ('2032-11-02', '2033-02-01')
    """
    return contract_end(a.start_date, a.term_years) + dt.timedelta(
        days=a.delay_days if a.delay_mode == "extend" else 0
    )


def contract_days_by_year(a: Assumptions, years: Any) -> np.ndarray:
    """Days of each fiscal year in ``years`` that the contract covers, from its start to
    :func:`contract_last_day`: a year covered in part (:func:`core.benchmarks.part_years`) is a stub
    (the signing year of a contract signed mid-year, and its last year).

    >>> contract_days_by_year(Assumptions(), [2025, 2026, 2032]).tolist()  # to 2032-11-02 (2032 is leap)
    [59, 365, 307]
    """
    last = contract_last_day(a)
    out = []
    for year in np.asarray(years, dtype=int):
        end = fiscal_year_end_date(int(year), a.fiscal_year_end)
        first = fiscal_year_start_date(int(year), a.fiscal_year_end)
        out.append(max((min(end, last) - max(first, a.start_date)).days + 1, 0))
    return np.array(out, dtype=int)


def _margin_block(a: Assumptions, out: _Outputs, tables: dict[str, pd.DataFrame]) -> None:
    # The deal's revenue and operating profit by fiscal year (the economics block's cost
    # stack: one deal margin for every section) against the provider's baseline without the
    # deal (core.baseline: its base year's revenue grown at the base growth, at the base
    # margin). Years with depreciation but no revenue yet (a delayed delivery) are kept: they
    # dilute the margin too. Near-term figures are read on full fiscal years: a stub year (the
    # signing year of a mid-year contract, its last year) is shown as such and left out of the peak.
    econ = tables["economics"]
    rows = econ[(econ["revenue"] > 0) | (econ["depreciation"] > 0)]
    years = rows["year"].to_numpy(dtype=int)
    periods = pd.Series(rows["revenue"].to_numpy(), index=[f"FY{int(y)}" for y in years])
    margin = margin_by_period(
        periods,
        base_revenue_path(a.base_revenue, a.base_growth, a.base_year, years),
        base_margin=a.base_margin,
        deal_profit=rows["operating_profit"].to_numpy(),
    )
    partial = part_years([int(y) for y in years], a.start_date, contract_last_day(a), a.fiscal_year_end)
    margin.insert(1, "contract_days", contract_days_by_year(a, years))
    margin.insert(2, "full_year", [int(y) not in partial for y in years])
    tables["margin"] = margin
    change = margin["change_bps"].to_numpy(dtype=float)
    full = margin["full_year"].to_numpy(dtype=bool)
    second = f"FY{first_full_fiscal_year(a.start_date, a.fiscal_year_end)}"
    by_period = margin.set_index("period")
    out["margin_bps_year2"] = float(by_period["change_bps"].get(second, 0.0))
    out["margin_bps_peak"] = float(change[full].min() if full.any() else change.min())
    out["blended_margin_year2"] = float(by_period["blended_margin"].get(second, a.base_margin))
    out["deal_margin_year2"] = float(by_period["deal_margin"].get(second, 0.0))


def _benchmarks_block(a: Assumptions, tables: dict[str, pd.DataFrame]) -> None:
    # The deal's gross, EBITDA and operating margins from the cost stack beside reported GPU-rental
    # margins; the fiscal years the contract covers in part are marked (its first and last).
    econ = tables["economics"]
    years = [int(y) for y in econ.loc[econ["revenue"] > 0, "year"]]
    partial = part_years(years, a.start_date, contract_last_day(a), a.fiscal_year_end)
    tables["benchmarks"] = benchmark_table(
        econ, provider=a.provider, base_margin=a.base_margin, partial=frozenset(partial)
    )


def staged_tranches(a: Assumptions) -> list[tuple[Any, float]]:
    """Tranches of a staged booking: each contract year's contractual share, booked on its first day.

    The inputs hold no tranche dates, so a staged booking books every contract
    year's share of the value (the undelayed profile) on the anniversary that
    opens it: backlog builds up ahead of the revenue it covers.

    >>> t = staged_tranches(Assumptions(booking="staged"))
    >>> len(t), round(sum(v for _, v in t), 9)
    (7, 38.0)
    """
    weights = profile_weights(a.start_date, a.term_years, profile=a.profile, **profile_params(a))
    return [(row.start, a.contract_value * row.share) for row in weights.itertuples()]


def _backlog_block(a: Assumptions, out: _Outputs, tables: dict[str, pd.DataFrame]) -> None:
    kwargs = _schedule_kwargs(a)
    del kwargs["fiscal_year_end"]
    tranches = staged_tranches(a) if a.booking == "staged" else None
    booked_on = booking_day(a) if a.booking == "full" else None
    roll = backlog_rollforward(
        a.contract_value,
        a.start_date,
        a.term_years,
        booking=a.booking,
        tranches=tranches,
        frequency="quarter",
        fiscal_year_end=a.fiscal_year_end,
        booked_on=booked_on,
        **kwargs,
    )
    tables["backlog"] = roll
    first = roll.iloc[0]
    added = float(first["bookings"])
    effect = backlog_effect(a.reported_backlog, added) if a.reported_backlog > 0 else None
    out["backlog_added"] = added
    out["backlog_after_deal"] = a.reported_backlog + added
    # No reported backlog: the deal is all of it (an increase without a finite ratio is shown as 1).
    # No reported backlog (0: not disclosed): no ratio, rather than a misleading 100%.
    out["backlog_increase_pct"] = effect["increase_fraction"] if effect else None
    out["backlog_deal_share"] = effect["share_of_new"] if effect else None
    rpo = current_rpo(
        a.contract_value, a.start_date, a.term_years, as_of=first["end"], booking=a.booking,
        tranches=tranches, booked_on=booked_on, **kwargs,
    )
    out["current_rpo"] = float(rpo["current"])


#: The article's threshold year for the market-value test ("above $3 trillion by 2027").
MARKET_VALUE_YEAR = 2027


def _peaks(a: Assumptions) -> tuple[float, float]:
    """The undelayed plan's peak contractual run-rate and the delivered schedule's (see :func:`peak_run_rate`)."""
    shape = {"profile": a.profile, "frequency": "year", "fiscal_year_end": a.fiscal_year_end, **profile_params(a)}
    plan = contract_schedule(a.contract_value, a.start_date, a.term_years, **shape)
    peak = float(annual_run_rate(plan, a.start_date, a.term_years).max())
    if a.delay_mode == "compress" and a.delay_days > 0:
        squeezed = contract_schedule(
            a.contract_value, a.start_date, a.term_years, delay_days=a.delay_days, delay_mode="compress", **shape
        )
        return peak, max(peak, float(annual_run_rate(squeezed, a.start_date, a.term_years).max()))
    return peak, peak


def peak_run_rate(a: Assumptions) -> float:
    """Highest annualised contractual revenue (u = 1) in any fiscal year, money a year: the run-rate
    the fleet is sized to.

    A fiscal year's run-rate is its revenue × 365.25 ÷ contract days in it (the
    economics module's rule for placing capex), so partial first and last
    years are annualised. The undelayed plan sets it, except that a
    ``compress`` delay squeezes the same value into fewer days: the fleet must
    then deliver the compressed schedule's higher peak (more GPUs and their
    capex; a disclosed fleet grows in the same ratio), so a delay never makes
    the provider better off by selling the same fleet more hours than it has.
    ``extend`` and ``forfeit`` keep the plan's shape, and its peak.

    >>> round(peak_run_rate(Assumptions()), 3)
    5.918
    >>> squeezed = Assumptions(delay_quarters=4, delay_mode="compress")
    >>> round(peak_run_rate(squeezed) / peak_run_rate(Assumptions()), 4) > 1
    True
    """
    return _peaks(a)[1]


def deal_capacity(a: Assumptions) -> dict[str, float]:
    """The deal's fleet and footprint, sized from what is sold (never from the margin).

    GPUs sell the peak run-rate at the price per GPU-hour, every billable hour
    of the year (:func:`core.capacity.fleet_gpus`), unless the deal discloses
    its fleet (``fleet_gpus``) or IT load (``fleet_it_mw``). Racks, MW, capex,
    energy and the power bill follow from the GPUs. Costs and lives never
    change the count: they change what the fleet costs.

    >>> c = deal_capacity(Assumptions())
    >>> round(c["gpus"]), round(c["peak_run_rate"] * 1e9 / (Assumptions().price_per_gpu_hour * 8760))
    (238697, 238697)
    """
    plan_rate, rate = _peaks(a)
    gpus = fleet_gpus(
        rate, usd_per_gpu_hour=a.price_per_gpu_hour, billable_share=a.billable_share,
        disclosed_gpus=a.fleet_gpus, disclosed_it_mw=a.fleet_it_mw,
        gpus_per_rack=a.gpus_per_rack, kw_per_rack=a.kw_per_rack,
    )
    if (a.fleet_gpus is not None or a.fleet_it_mw is not None) and plan_rate > 0:
        gpus *= rate / plan_rate  # a disclosed fleet is the plan's: a compressed delivery needs more
    racks = racks_for_gpus(gpus, gpus_per_rack=a.gpus_per_rack)
    it_mw = it_power_mw(racks, kw_per_rack=a.kw_per_rack)
    grid_mw = facility_power_mw(it_mw, pue=a.pue)
    energy = annual_energy_mwh(grid_mw)
    it_capex = racks * a.rack_price_musd / MUSD_PER_BN
    facility = facility_capex_usd_bn(it_mw, facility_musd_per_mw=a.facility_musd_per_mw)
    return {
        "peak_run_rate": rate,
        "gpus": gpus,
        "racks": racks,
        "it_mw": it_mw,
        "facility_mw": grid_mw,
        "it_capex": it_capex,
        "facility_capex": facility,
        "deal_capex": it_capex + facility,
        "energy_mwh": energy,
        "energy_twh": energy / MWH_PER_TWH,
        "us_power_share": us_power_share(energy, us_consumption_twh=a.us_consumption_twh),
        "power_cost": power_cost_usd_bn(energy, power_usd_per_mwh=a.power_usd_per_mwh),
    }


def _capacity_block(a: Assumptions, out: _Outputs, tables: dict[str, pd.DataFrame]) -> None:
    cap = deal_capacity(a)
    tables["capacity"] = pd.DataFrame({"name": list(cap), "value": list(cap.values())})
    for key in ("peak_run_rate", "gpus", "racks", "facility_mw", "it_capex", "facility_capex", "deal_capex",
                "energy_twh", "us_power_share", "power_cost"):
        out[key] = float(cap[key])
    out["deal_capex_share_2026"] = cap["deal_capex"] / a.capex_2026 if a.capex_2026 > 0 else None


def _economics_block(a: Assumptions, out: _Outputs, tables: dict[str, pd.DataFrame]) -> None:
    # The one cost stack: IT and facility capex from the fleet, depreciated over their
    # own lives; power scales with revenue at the fleet's bill ÷ peak run-rate; other
    # opex a share of revenue; or the analyst's margin override. NPV at the signing date.
    kwargs = _schedule_kwargs(a)
    power_cost, peak = (_known(out, k) for k in ("power_cost", "peak_run_rate"))
    power_share = power_cost / peak if peak > 0 else 0.0
    table = deal_cash_flows(
        a.contract_value, a.start_date, a.term_years,
        capex=_known(out, "it_capex"), facility_capex=_known(out, "facility_capex"),
        lead_years=a.capex_lead_years, useful_life_years=a.useful_life_years,
        life_extension_years=a.server_life_extension_years, facility_life_years=a.facility_life_years, committed_capex_share=a.committed_capex_share,
        power_cost_share=min(power_share, 1.0), other_opex_share=a.other_opex_share,
        margin_override=a.deal_margin_override, tax_rate=a.tax_rate,
        first_capex_year=fiscal_year_of(a.signing_date, a.fiscal_year_end), **kwargs,
    )
    summary = economics_summary(
        table, discount_rate=a.discount_rate, valuation_date=a.signing_date, fiscal_year_end=a.fiscal_year_end
    )
    tables["economics"] = table
    out["npv"] = float(summary["npv"])
    out["irr"] = None if summary["irr"] is None else float(summary["irr"])
    out["payback_year"] = None if summary["payback_year"] is None else float(summary["payback_year"])
    out["total_cash_flow"] = float(summary["total_cash_flow"])
    out["deal_margin_life"] = float(summary["lifetime_margin"])


def customer_portfolio(a: Assumptions) -> pd.DataFrame:
    """The customer's commitments: this deal as modelled, and the customer's other library contracts.

    Every contract is scheduled as its own report schedules it
    (:func:`core.contracts.library_contracts`: ramp, realisation, delay and
    booking); this deal's row comes from ``a``. A library contract is replaced
    by this one when it has the same name, or the same provider and start (the
    same contract under another name); a customer absent from the library has
    this deal alone.

    >>> p = customer_portfolio(Assumptions(contract_value=40.0))
    >>> float(p.loc[p["deal"] == "AWS–OpenAI", "value"].iloc[0])
    40.0
    """
    own = contract_row(a)
    library = library_contracts()
    mine = library[library["customer"].str.lower() == a.customer.strip().lower()]
    same = (mine["deal"] == a.deal_name) | (
        (mine["provider"] == a.provider) & (mine["start"] == a.start_date)
    )
    others = mine[~same]
    return pd.concat([pd.DataFrame([own]), others], ignore_index=True) if not others.empty else pd.DataFrame([own])


def _counterparty_block(a: Assumptions, out: _Outputs, tables: dict[str, pd.DataFrame]) -> None:
    table = counterparty_coverage(
        a.customer_revenue_start, a.customer_revenue_target,
        start_year=a.customer_revenue_start_year, target_year=a.customer_target_year,
        growth_after=a.customer_growth_after,
        # The customer's own (calendar) years, whatever the provider's fiscal year-end.
        portfolio=customer_portfolio(a), fiscal_year_end=12,
    )
    tables["counterparty"] = table
    out["customer_required_cagr"] = required_cagr(
        a.customer_revenue_start, a.customer_revenue_target,
        years=a.customer_target_year - a.customer_revenue_start_year,
    )
    out["customer_revenue_multiple"] = a.customer_revenue_target / a.customer_revenue_start
    row = table[table["year"] == a.customer_target_year]
    if row.empty:  # no commitment spend in the target year
        out["commitments_target_year"] = 0.0
        out["coverage_target_year"] = None
        out["funding_gap_target_year"] = -a.customer_revenue_target
    else:
        out["commitments_target_year"] = float(row["commitments"].iloc[0])
        out["coverage_target_year"] = float(row["coverage_ratio"].iloc[0])
        out["funding_gap_target_year"] = float(row["funding_gap"].iloc[0])


def _valuation_block(a: Assumptions, out: _Outputs, tables: dict[str, pd.DataFrame]) -> None:
    # The prior close and the move are inputs; the price after the news follows.
    price = a.prior_close * (1.0 + a.move_pct)
    event = event_study(
        price, shares=a.shares_outstanding, contract_value=a.contract_value, prior_price=a.prior_close,
        market_return=a.market_move_pct, money_unit=1.0,
    )
    # The market-value path starts at the signing date's value after the news, less the
    # cloud sector shock when the scenario applies it (the article's bear case).
    year = max(MARKET_VALUE_YEAR, a.signing_date.year)
    start_value = event["market_value_after"] * (1.0 + a.cloud_shock * a.apply_cloud_shock)
    if a.market_value_target > 0:
        test = threshold_test(
            start_value, a.market_value_target, growth=a.market_value_growth,
            start_year=a.signing_date.year, target_year=year,
        )
        at_target, threshold = test["value_at_target"], test["threshold"]
        passes: float | None = 1.0 if test["passes"] else 0.0
        required = test["required_growth"] if test["required_growth"] is not None else 0.0
    else:  # no threshold set: the market value still grows, the test does not apply
        path = market_value_path(
            start_value, growth=a.market_value_growth, start_year=a.signing_date.year, years=[year]
        )
        at_target, threshold, passes, required = float(path.iloc[0]), None, None, None
    tables["valuation"] = pd.DataFrame(
        {"name": list(event) + ["value_at_target", "threshold", "required_growth"],
         "value": list(event.values()) + [at_target, threshold, required]}
    )
    out["price_after"] = price
    out["value_added"] = event["value_added"]
    out["value_added_to_contract"] = event["value_added_to_contract"]
    out["abnormal_return"] = event["abnormal_return"]
    out["market_value_after"] = event["market_value_after"]
    out["market_value_target_year"] = at_target
    out["market_value_passes"] = passes
    out["market_value_required_growth"] = required
    out["cloud_shock_value"] = event["market_value_after"] * a.cloud_shock


def _value(value: float | None) -> float | None:
    return None if value is None else float(value)


def run_model(a: Assumptions | None = None) -> ModelResult:
    """Run the whole model on one set of assumptions.

    Parameters
    ----------
    a : Assumptions, optional
        The inputs; defaults reproduce the AWS–OpenAI base case.

    Returns
    -------
    ModelResult
        ``outputs`` (every ``OUTPUTS`` name -> float, or None when no value
        exists, e.g. a deal that never pays back) and ``tables``.

    Examples
    --------
    The $38B, 7-year deal read as a straight line is about $5.43B a year:

    >>> r = run_model()
    >>> round(r.outputs["straight_line_annual"], 2)
    5.43
    """
    a = as_assumptions("a", a)
    outputs: _Outputs = {}
    tables: dict[str, pd.DataFrame] = {}
    _schedule_block(a, outputs, tables)
    _capacity_block(a, outputs, tables)
    _economics_block(a, outputs, tables)
    _margin_block(a, outputs, tables)
    _benchmarks_block(a, tables)
    _backlog_block(a, outputs, tables)
    _counterparty_block(a, outputs, tables)
    _valuation_block(a, outputs, tables)
    ordered = {name: _value(outputs[name]) for name in output_names()}
    return ModelResult(assumptions=a, outputs=ordered, tables=tables)
