"""The engine's memory rules: constants stored once, only the asked outputs kept, working arrays and plan reused."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from core.assumptions import Assumptions
from core.schedule import delay_days_from_quarters
from core.simulation import DEFAULT_DISTRIBUTIONS, SIMULATED_OUTPUTS, simulate, uniform
from core.simulation.arrays import _in_service_shares, _lead_spend, _refreshed, _straight_line, _Work
from core.simulation.engine import _evaluate
from core.simulation.inputs import _max_delay_days
from core.simulation.plan import _plan


def test_an_output_no_draw_moves_is_stored_once_and_reads_as_every_draw():
    # Only the realisation varies: the straight line (value / term) is one number for every draw,
    # the expected revenue (value x realisation x delivered share) is not.
    r = simulate(distributions={"realisation": uniform(0.9, 0.95)}, draws=5_000, seed=2)
    fixed, moving = r.values["straight_line_annual"], r.values["expected_revenue_total"]
    assert fixed.shape == (5_000,) and fixed.strides == (0,) and not fixed.flags.writeable
    assert fixed[0] == pytest.approx(38 / 7, rel=1e-12) and bool((fixed == fixed[0]).all())
    assert moving.strides == (8,) and moving.min() < moving.max()
    # the summary and probabilities read a stored-once output as its draws
    row = r.summary([50]).set_index("output").loc["straight_line_annual"]
    # exactly the one value: no rounding from summing a million copies of it
    assert row["mean"] == 38 / 7 and row["stdev"] == 0.0 and row["se_mean"] == 0.0 and row["p50"] == 38 / 7
    assert r.probability("straight_line_annual", above=5.0) == 1.0


def test_only_the_asked_outputs_are_kept():
    r = simulate(draws=3_000, seed=4, outputs=["npv", "gap_year2"])
    assert list(r.values) == ["npv", "gap_year2"]
    full = simulate(draws=3_000, seed=4)
    assert set(full.values) <= set(SIMULATED_OUTPUTS)
    np.testing.assert_array_equal(r.values["npv"], full.values["npv"])


def _plan_like(pad: int, n_table: int, lead_shares=((1, 1.0),)) -> SimpleNamespace:
    return SimpleNamespace(pad=pad, n_table=n_table, lead_shares=lead_shares, first_capex_row=0)


def test_straight_line_depreciation_by_running_totals_matches_hand_arithmetic():
    # Life 2.5 years: 1/2.5 = 0.4 in the year in service and the next, then 0.5/2.5 = 0.2.
    # Capacity enters service 0.5, 0.3, 0.2 in table years 1..3; a second draw puts it all in year 2.
    used = np.array([[0.0, 0.0], [0.5, 0.0], [0.3, 1.0], [0.2, 0.0], [0.0, 0.0]])
    life = (2, 0.4, 0.2, 1.0, 3)
    cum = np.vstack([np.zeros(2), np.cumsum(used, axis=0)])

    def depreciation(life):  # noqa: ANN001, ANN202
        return _straight_line(used, cum, life, cost=1.0, out=np.zeros(used.shape), work=np.empty(used.shape))

    expected = np.array(
        [
            [0.0, 0.0],  # table year 0: before anything is in service
            [0.5 * 0.4, 0.0],
            [0.5 * 0.4 + 0.3 * 0.4, 1.0 * 0.4],
            [0.5 * 0.2 + 0.3 * 0.4 + 0.2 * 0.4, 1.0 * 0.4],
            [0.3 * 0.2 + 0.2 * 0.4, 1.0 * 0.2],  # the last table year; what runs past it is the residual
        ]
    )
    np.testing.assert_allclose(depreciation(life), expected, rtol=0, atol=1e-15)
    # a life shorter than a year: everything in the year in service; a life longer than the table
    np.testing.assert_allclose(depreciation((0, 0.0, 1.0, 1.0, 1)), used, rtol=0, atol=1e-15)
    np.testing.assert_allclose(depreciation((15, 1 / 15, 0.0, 1.0, 15)), cum[1:] / 15, rtol=0, atol=1e-15)
    # scaled by each draw's cost, and added to what is there
    out = np.ones(used.shape)
    _straight_line(used, cum, life, cost=np.array([2.0, 3.0]), out=out, work=np.empty(used.shape))
    np.testing.assert_allclose(out, 1.0 + expected * [2.0, 3.0], rtol=0, atol=1e-15)


def test_capex_is_spent_ahead_by_the_lead_shares():
    # Capacity in service 0.6 and 0.4 in table years 2 and 3 (a second draw: 1.0 in year 3);
    # a lead of 1.5 years: half one year ahead, half two years ahead.
    used = np.array([[0.0, 0.0], [0.0, 0.0], [0.6, 0.0], [0.4, 1.0]])
    plan = _plan_like(2, 4, ((1, 0.5), (2, 0.5)))
    got = _lead_spend(plan, used, cost=1.0, out=np.zeros(used.shape))
    expected = np.array([[0.3, 0.0], [0.3 + 0.2, 0.5], [0.2, 0.5], [0.0, 0.0]])
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-15)
    # With a working array (the engine's: reused by each lead share in turn), the same spending.
    work = np.full(used.shape, np.nan)
    got = _lead_spend(plan, used, cost=1.0, out=np.zeros(used.shape), work=work)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-15)


def test_no_capex_is_spent_before_the_signing_year():
    # The same spending with the signing year at table row 1: row 0's 0.3 is spent in row 1 instead.
    used = np.array([[0.0, 0.0], [0.0, 0.0], [0.6, 0.0], [0.4, 1.0]])
    plan = _plan_like(2, 4, ((1, 0.5), (2, 0.5)))
    plan.first_capex_row = 1
    got = _lead_spend(plan, used, cost=1.0, out=np.zeros(used.shape))
    expected = np.array([[0.0, 0.0], [0.3 + 0.3 + 0.2, 0.5], [0.2, 0.5], [0.0, 0.0]])
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-15)
    plan.first_capex_row = 2  # rows 0 and 1 both move into row 2
    expected = np.array([[0.0, 0.0], [0.0, 0.0], [0.3 + 0.5 + 0.2, 1.0], [0.0, 0.0]])
    np.testing.assert_allclose(
        _lead_spend(plan, used, cost=1.0, out=np.zeros(used.shape)), expected, atol=1e-15
    )


def test_capacity_is_bought_again_when_its_life_ends_in_a_live_year():
    # A 2-year span over 6 table years: 1.0 in service in year 1 is bought again in years 3 and 5
    # while they are live (draw 1: last year 5); draw 2 ends in year 4, so only year 3's purchase.
    first_use = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]])
    live = np.arange(6)[:, None] <= np.array([5, 4])
    got = _refreshed(first_use, 2, live, out=np.empty(first_use.shape))
    expected = np.array([[0, 0], [1, 1], [0, 0], [1, 1], [0, 0], [1, 0]], dtype=float)
    np.testing.assert_array_equal(got, expected)


def test_working_arrays_are_reused_and_results_do_not_depend_on_them():
    work = _Work()
    first = work("rate", 3, 8)
    assert work("rate", 3, 8) is first and work("rate", 4, 8) is not first
    a = Assumptions()
    plan = _plan(a, _max_delay_days(a, DEFAULT_DISTRIBUTIONS))
    draws = {"realisation": np.linspace(0.8, 1.0, 16), "delay_quarters": np.repeat([0.0, 2.0], 8)}
    fresh = _evaluate(plan, draws, 16)
    reused = {k: v.copy() for k, v in _evaluate(plan, draws, 16, work).items()}
    again = _evaluate(plan, draws, 16, work)  # the same working arrays, filled again
    for name, x in fresh.items():
        np.testing.assert_array_equal(reused[name], x, err_msg=name)
        np.testing.assert_array_equal(again[name], x, err_msg=name)


def test_the_plan_is_computed_once_per_set_of_inputs_and_longest_delay():
    a = Assumptions()
    delay = _max_delay_days(a, DEFAULT_DISTRIBUTIONS)
    assert _plan(a, delay) is _plan(Assumptions(), delay)
    assert _plan(a, delay) is not _plan(a, delay + 91)
    assert _plan(a.replace(contract_value=40.0), delay) is not _plan(a, delay)


def test_each_output_asked_alone_is_computed_and_equals_the_full_run():
    # Sections no asked output needs are skipped; every output must still come out when asked
    # for on its own, with the same values as in a run of every output.
    a = Assumptions()
    plan = _plan(a, delay_days_from_quarters(4.0))  # the plan of the longest delay drawn
    draws = {"realisation": np.linspace(0.8, 1.0, 12), "delay_quarters": np.repeat([0.0, 1.0, 4.0], 4)}
    full = _evaluate(plan, draws, 12)
    for name in SIMULATED_OUTPUTS:
        alone = _evaluate(plan, draws, 12, outputs=[name])
        np.testing.assert_array_equal(alone[name], full[name], err_msg=name)
    schedule_only = _evaluate(plan, draws, 12, outputs=["gap_year2"])
    assert "npv" not in schedule_only and "margin_bps_peak" not in schedule_only


def test_nothing_is_forfeited_exactly_when_every_draw_delivers_the_whole_schedule():
    # Extend mode (the reference): a delay moves the schedule and loses nothing, so the forfeited
    # value is 0.0 in run_model; the engine used to leave about ±7e-15 of rounding in it.
    r = simulate(draws=5_000, seed=3, outputs=["forfeited_value", "unused_commitment"])
    assert float(np.abs(r.values["forfeited_value"]).max()) == 0.0
    assert float(r.values["unused_commitment"].min()) >= 0.0


def test_in_service_shares_follow_the_highest_rate_so_far_and_a_draw_with_none_gets_zeros():
    # Three draws (columns), three years (rows) of run-rate:
    #   draw 0: 0, 0, 0        -> nothing ever in service: shares 0, and flagged as having none
    #   draw 1: 1, 3, 2        -> highest so far 1, 3, 3: added 1, 2, 0 of 3 -> 1/3, 2/3, 0
    #   draw 2: 4, 4, 4 + 1e-12 -> added 4, 0, 1e-12: below 1e-9 of the peak, rounding noise -> 1, 0, 0
    rate = np.array([[0.0, 1.0, 4.0], [0.0, 3.0, 4.0], [0.0, 2.0, 4.0 + 1e-12]])
    shares, some = _in_service_shares(rate)
    np.testing.assert_array_equal(some, [False, True, True])
    np.testing.assert_allclose(
        shares, [[0.0, 1 / 3, 1.0], [0.0, 2 / 3, 0.0], [0.0, 0.0, 0.0]], rtol=1e-15, atol=0
    )
    assert not np.isnan(shares).any()
