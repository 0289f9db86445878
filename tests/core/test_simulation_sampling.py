"""Written into given arrays, bit for bit: input draws (every kind) and the engine's outputs (every profile)."""

from __future__ import annotations

import numpy as np
import pytest

from core.assumptions import Assumptions
from core.blocks import block_generator
from core.simulation import SIMULATED_OUTPUTS, sample_inputs
from core.simulation.arrays import _Work
from core.simulation.engine import _evaluate
from core.simulation.inputs import _SEED_KEY, _bounds, _max_delay_days
from core.simulation.plan import _plan
from core.simulation.sampling import BLOCK_DRAWS, _block, _Sampler
from tests.core.test_simulation import EVERY_PROFILE_CONFIGS, WIDE

KINDS = {dist.kind for dist in WIDE.values()}


def test_wide_covers_every_distribution_kind():
    assert KINDS == {"uniform", "triangular", "normal", "lognormal", "pert", "discrete"}


@pytest.mark.parametrize("name", sorted(WIDE))
def test_draws_into_an_array_equal_the_blocks_joined(name):
    # Draws across a block boundary, written into a given array, are the two blocks' draws
    # joined: the same numbers as one block at a time (the old path), nothing shifted.
    dist = WIDE[name]
    first, last = BLOCK_DRAWS - 1_000, BLOCK_DRAWS + 500
    want = np.concatenate([_block(5, name, 0, dist)[first:], _block(5, name, 1, dist, 500)])
    out = np.full(last - first, np.nan)
    got = _Sampler(5, {name: dist}).draws(name, first, last, out=out)
    assert got is out
    np.testing.assert_array_equal(out, want)
    np.testing.assert_array_equal(_Sampler(5, {name: dist}).draws(name, first, last), want)
    inside = _Sampler(5, {name: dist}).draws(name, 10, 20, out=np.empty(10))
    np.testing.assert_array_equal(inside, _block(5, name, 0, dist)[10:20])


@pytest.mark.parametrize("name", sorted(WIDE))
def test_a_block_is_clipped_to_the_inputs_rule_in_place(name):
    # Clipping where the draws lie gives what clipping into a new array gave.
    dist = WIDE[name]
    low, high = _bounds(name)
    raw = dist.sample(block_generator(3, _SEED_KEY[name], 2), 4_000)
    np.testing.assert_array_equal(_block(3, name, 2, dist, 4_000), np.clip(raw, low, high))


@pytest.mark.parametrize("config", list(EVERY_PROFILE_CONFIGS))
def test_outputs_written_in_their_rows_equal_the_outputs_returned(config):
    # The engine writes a kept output straight into its row (no copy after); every row holds
    # exactly what the engine returns without rows, bit for bit, and nothing is left unwritten.
    a = Assumptions().replace(**EVERY_PROFILE_CONFIGS[config])
    plan = _plan(a, _max_delay_days(a, WIDE))
    n = 300
    v = sample_inputs(WIDE, draws=n, seed=8)
    want = _evaluate(plan, v, n, outputs=SIMULATED_OUTPUTS)
    varying = [name for name in SIMULATED_OUTPUTS if want[name].strides != (0,)]
    rows = np.full((len(varying), n), np.nan)
    into = {name: rows[k] for k, name in enumerate(varying)}
    rest = _evaluate(plan, v, n, _Work(), SIMULATED_OUTPUTS, into)
    assert set(rest) == set(SIMULATED_OUTPUTS) - set(varying)
    for name in varying:
        np.testing.assert_array_equal(into[name], want[name], err_msg=f"{config}: {name}")
