"""core.solve: the input value that makes a key figure hit a target, bracketed and refined."""

from __future__ import annotations

import pytest

from core.assumptions import Assumptions, scenario_assumptions
from core.model import run_model
from core.solve import solve, solve_range
from core.validation import DealDeskInputError


def test_the_price_at_which_aws_loses_50_bps_gives_50_bps_in_run_model():
    s = solve(None, "margin_bps_year2", -50, "price_per_gpu_hour")
    # The answer is checked on run_model itself, not on the engine that bracketed it.
    again = run_model(Assumptions(price_per_gpu_hour=s.value)).outputs["margin_bps_year2"]
    assert again == pytest.approx(-50, abs=1e-5) and s.achieved == pytest.approx(again, abs=1e-12)
    # A cheaper hour means more GPUs for the same revenue, more capex and depreciation: more dilution.
    assert s.value < Assumptions().price_per_gpu_hour
    assert (s.output, s.target, s.input) == ("margin_bps_year2", -50.0, "price_per_gpu_hour")
    assert (s.low, s.high) == (0.01, 1000.0)  # the input's own rule


def test_a_linear_output_is_solved_exactly_by_hand():
    # The market value after the news grows at g to 2027 (two years from the 2025 signing):
    # 244.22 × 1.058 × 10.690216011 × (1 + g)² = 3000  ⇒  g = (3000 / 2762.19)^(1/2) − 1.
    after = 244.22 * 1.058 * 10.690216011
    s = solve(None, "market_value_target_year", 3000, "market_value_growth")
    assert s.value == pytest.approx((3000 / after) ** 0.5 - 1, abs=1e-9)


def test_an_input_the_engine_does_not_vary_is_solved_by_the_model():
    # The margin override is not a Monte Carlo input; its solution is the override at which the first
    # full year's mix effect is −50 bps: rev ÷ (base + rev) × (m − 0.354) × 10,000 = −50.
    s = solve(None, "margin_bps_year2", -50, "deal_margin_override")
    o = run_model(Assumptions(deal_margin_override=s.value)).outputs
    assert o["margin_bps_year2"] == pytest.approx(-50, abs=1e-6)
    base = 128.7 * (128.7 / 107.6)
    rev = o["ramp_year2"]
    assert s.value == pytest.approx(0.354 - 50 / 10_000 * (base + rev) / rev, abs=1e-8)


def test_a_scenario_is_applied_before_solving():
    s = solve(None, "npv", 0, "price_per_gpu_hour", scenario="bear")
    bear = scenario_assumptions(None, "bear")
    assert run_model(bear.replace(price_per_gpu_hour=s.value)).outputs["npv"] == pytest.approx(0, abs=1e-7)
    assert s.base_output == pytest.approx(run_model(bear).outputs["npv"])
    # The bear case needs a dearer GPU-hour than the base case to break even.
    assert s.value > solve(None, "npv", 0, "price_per_gpu_hour").value


def test_no_value_in_range_is_refused_naming_the_range_and_both_ends():
    # Even paid in full (realisation 1) the reference deal's NPV is below zero, and it only falls as
    # less is paid: no realisation makes it zero. Both ends are named with their NPVs.
    full = run_model(Assumptions(realisation=1.0)).outputs["npv"]
    assert full < 0
    with pytest.raises(DealDeskInputError) as err:
        solve(None, "npv", 0, "realisation")
    nothing = run_model(Assumptions(realisation=1e-9)).outputs["npv"]
    assert str(err.value) == (
        "no value of realisation in its range [1e-09, 1] gives npv = 0: "
        f"npv is {nothing:,.6g}, {full:,.6g} at the two ends"
    )


def test_unknown_outputs_inputs_and_targets_are_refused():
    with pytest.raises(
        DealDeskInputError, match=r"^output must be one of straight_line_annual, .*got 'nope'$"
    ):
        solve(None, "nope", 1, "realisation")
    with pytest.raises(DealDeskInputError, match=r"^input must be a numeric input \(.*\); got 'profile'$"):
        solve(None, "npv", 1, "profile")
    with pytest.raises(DealDeskInputError, match=r"^target must be a number"):
        solve(None, "npv", "soon", "realisation")


def test_the_search_range_follows_the_inputs_rule():
    a = Assumptions()
    assert solve_range(a, "realisation")[1] == 1.0 and solve_range(a, "realisation")[0] > 0  # strict > 0
    # No upper bound: up to 100 times the current value ($38B -> $3,800B).
    assert solve_range(a, "contract_value")[1] == pytest.approx(3800.0)


def test_a_target_the_model_reaches_exactly_at_the_end_of_the_range_is_found_there():
    # Paid in full (realisation 1, the top of its range) the NPV is the model's value there; asking for
    # exactly that NPV must give realisation 1, not "no value in range" (the engine's grid equals the
    # model only to 1e-12, so it may see no change of sign at the end).
    full = run_model(Assumptions(realisation=1.0)).outputs["npv"]
    s = solve(None, "npv", full, "realisation")
    assert (s.value, s.achieved) == (1.0, full)


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    import core.solve

    calls: list[int] = []
    run = core.solve.model_outputs

    def counted(a: Assumptions) -> dict:
        calls.append(1)
        return run(a)

    monkeypatch.setattr(core.solve, "model_outputs", counted)
    return calls


def test_an_input_the_engine_does_not_vary_never_asks_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    # The margin override is not a Monte Carlo input: run_model one at a time, the engine not called.
    import core.solve

    def no_engine(*args: object, **kwargs: object) -> None:
        raise AssertionError("the engine was asked")

    monkeypatch.setattr(core.solve, "evaluate", no_engine)
    calls = _counting(monkeypatch)
    s = solve(None, "margin_bps_year2", -50, "deal_margin_override")
    assert s.achieved == pytest.approx(-50, abs=1e-6)
    # The first-year mix effect is linear in the override, so regula falsi lands on the root in one
    # step: the two ends of the range (the override has no current value), the bracket's two ends
    # again, one step, the base case and the answer: 7 runs of the model.
    assert len(calls) <= 7


def test_a_nonlinear_output_is_refined_to_the_models_own_value(monkeypatch: pytest.MonkeyPatch) -> None:
    # The IRR is not linear in the margin override: the Illinois rule still gets it to 1e-12 of the
    # target in a few steps (two ends, two again, the base case, the answer and 5 steps: 11 runs).
    calls = _counting(monkeypatch)
    s = solve(None, "irr", 0.08, "deal_margin_override")
    assert run_model(Assumptions(deal_margin_override=s.value)).outputs["irr"] == pytest.approx(
        0.08, abs=1e-12
    )
    assert len(calls) <= 11
