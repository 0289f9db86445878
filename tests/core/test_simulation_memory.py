"""The engine's memory rules: constants stored once, only the asked outputs kept, maps and plan computed once."""

from __future__ import annotations

import numpy as np
import pytest

from core.assumptions import Assumptions
from core.simulation import (
    DEFAULT_DISTRIBUTIONS,
    SIMULATED_OUTPUTS,
    _apply_map,
    _max_delay_days,
    _plan,
    simulate,
    uniform,
)


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
    assert row["mean"] == pytest.approx(38 / 7, rel=1e-12) and row["stdev"] < 1e-12
    assert r.probability("straight_line_annual", above=5.0) == 1.0


def test_only_the_asked_outputs_are_kept():
    r = simulate(draws=3_000, seed=4, outputs=["npv", "gap_year2"])
    assert list(r.values) == ["npv", "gap_year2"]
    full = simulate(draws=3_000, seed=4)
    assert set(full.values) <= set(SIMULATED_OUTPUTS)
    np.testing.assert_array_equal(r.values["npv"], full.values["npv"])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_map_applied_by_diagonals_equals_the_matrix_product(seed):
    rng = np.random.default_rng(seed)
    weights = np.zeros((6, 11))
    for i in range(6):  # a band (lags 1 and 2, five years of depreciation) plus stray weights
        weights[i, i + 1 : i + 3] += rng.uniform(0.1, 1.0, 2)
        weights[i, i + 4 : i + 9] += 0.2
    weights[2, 10] = 0.7
    weights[0, 5] = 0.0  # a hole inside a diagonal
    x = rng.normal(size=(6, 50))
    np.testing.assert_allclose(_apply_map(x, weights), weights.T @ x, rtol=1e-13, atol=1e-13)


def test_the_plan_is_computed_once_per_set_of_inputs_and_longest_delay():
    a = Assumptions()
    delay = _max_delay_days(a, DEFAULT_DISTRIBUTIONS)
    assert _plan(a, delay) is _plan(Assumptions(), delay)
    assert _plan(a, delay) is not _plan(a, delay + 91)
    assert _plan(a.replace(contract_value=40.0), delay) is not _plan(a, delay)
