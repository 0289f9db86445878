"""The compiled kernel (numba) equals the numpy engine draw by draw, whatever the threads and chunks.

The numpy engine is the reference (it equals ``run_model`` draw by draw in
test_simulation.py); the kernel must give the same draws to 1e-12 relative
(absolute below 1) over every revenue profile, delay mode, distribution kind,
output subset and chunking. The first run on a machine compiles the kernel
(numba's disk cache keeps it); the draw counts stay small.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from core.assumptions import Assumptions
from core.simulation import SIMULATED_OUTPUTS, simulate
from core.simulation.run import KERNEL_MIN_DRAWS, _engine
from core.validation import DealDeskInputError
from tests.core.test_simulation import EVERY_PROFILE_CONFIGS, WIDE

numba = pytest.importorskip("numba", reason="the compiled kernel needs numba (pip install .[fast])")

KERNEL_CONFIGS = EVERY_PROFILE_CONFIGS


def _assert_close(got: dict[str, np.ndarray], want: dict[str, np.ndarray], label: str) -> None:
    assert set(got) == set(want), label
    for name, x in want.items():
        y = got[name]
        worst = float(np.max(np.abs(y - x) / np.maximum(np.abs(x), 1.0))) if x.size else 0.0
        assert worst <= 1e-12, f"{label}: {name} differs by {worst:.1e} (relative)"


@pytest.mark.parametrize("config", list(KERNEL_CONFIGS))
def test_the_kernel_equals_the_numpy_engine_draw_by_draw(config: str) -> None:
    # Nearly every input drawn (WIDE: every distribution kind), and the default risks.
    a = Assumptions().replace(**KERNEL_CONFIGS[config])
    for label, dists in (("wide", WIDE), ("default", None)):
        want = simulate(a, dists, draws=700, seed=11, engine="numpy").values
        got = simulate(a, dists, draws=700, seed=11, engine="numba", chunk_size=256).values
        _assert_close(got, want, f"{config}/{label}")


def test_the_kernel_writes_each_output_subset_as_the_engine_does() -> None:
    # Alone, each output is the engine's (an economics output alone, a schedule output alone that
    # skips the economics, a constant one); and a mixed subset keeps only what it asks for.
    a = Assumptions()
    full = simulate(a, WIDE, draws=300, seed=4, engine="numpy").values
    for name in SIMULATED_OUTPUTS:
        alone = simulate(a, WIDE, draws=300, seed=4, outputs=[name], engine="numba").values
        _assert_close(alone, {name: full[name]}, f"{name} alone")
    mixed = ["gap_year2", "npv", "market_value_passes", "straight_line_annual"]
    got = simulate(a, {"realisation": WIDE["realisation"]}, draws=300, seed=4, outputs=mixed, engine="numba")
    want = simulate(a, {"realisation": WIDE["realisation"]}, draws=300, seed=4, outputs=mixed, engine="numpy")
    assert list(got.values) == mixed
    _assert_close(got.values, want.values, "mixed")
    assert got.values["straight_line_annual"].strides == (0,)  # no draw moves it: stored once


def test_draw_counts_that_do_not_fill_a_group_of_lanes_or_a_block_give_the_engines_draws() -> None:
    # The kernel computes _LANES draws side by side, in parallel blocks of _BLOCK: a last group
    # or block left partly empty must neither change nor drop a draw. The first draw of a run
    # goes to the kernel alone, so a run of n draws calls it on 1 then n - 1 draws: the counts
    # below give the kernel 1, lanes - 1, lanes, lanes + 1, 3 lanes + 5 and block + 1 draws, with
    # the economics computed (every output asked for).
    from core.simulation.kernel_loop import _BLOCK, _LANES

    a = Assumptions()
    for draws in (1, 2, _LANES, _LANES + 1, _LANES + 2, 3 * _LANES + 6, _BLOCK + 2):
        want = simulate(a, WIDE, draws=draws, seed=5, engine="numpy").values
        got = simulate(a, WIDE, draws=draws, seed=5, engine="numba").values
        _assert_close(got, want, f"{draws} draws")
    # Chunks that split groups: 3 lanes + 5 draws in chunks of lanes - 1.
    want = simulate(a, WIDE, draws=3 * _LANES + 5, seed=6, engine="numpy").values
    got = simulate(a, WIDE, draws=3 * _LANES + 5, seed=6, engine="numba", chunk_size=_LANES - 1).values
    _assert_close(got, want, "chunks of lanes - 1")


def test_kernel_results_do_not_depend_on_threads_or_chunks() -> None:
    before = numba.get_num_threads()
    try:
        runs = []
        for threads, chunk in ((1, 65_536), (2, 1_000), (2, 3_001), (1, 777)):
            numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
            r = simulate(None, WIDE, draws=5_000, seed=9, chunk_size=chunk, workers=threads, engine="numba")
            runs.append(r.values)
    finally:
        numba.set_num_threads(before)
    for other in runs[1:]:
        for name, x in runs[0].items():
            np.testing.assert_array_equal(other[name], x, err_msg=name)


def test_chunks_one_after_another_give_what_the_worker_threads_give(monkeypatch: pytest.MonkeyPatch) -> None:
    # Under numba's workqueue layer (no two kernels at once) the chunks run one after another on
    # numba's threads; the draws are those of the chunks run on the worker threads, bit for bit.
    threaded = simulate(None, WIDE, draws=4_000, seed=2, chunk_size=900, workers=2, engine="numba").values
    monkeypatch.setattr(numba, "threading_layer", lambda: "workqueue")
    serial = simulate(None, WIDE, draws=4_000, seed=2, chunk_size=900, workers=2, engine="numba").values
    for name, x in threaded.items():
        np.testing.assert_array_equal(serial[name], x, err_msg=name)


def test_the_kernel_keeps_the_input_draws_as_the_engine_does() -> None:
    got = simulate(None, WIDE, draws=200, seed=3, keep_inputs=True, chunk_size=64, engine="numba")
    want = simulate(None, WIDE, draws=200, seed=3, keep_inputs=True, engine="numpy")
    for name, x in want.inputs.items():
        np.testing.assert_array_equal(got.inputs[name], x, err_msg=name)


def test_auto_uses_the_kernel_from_the_threshold_and_the_numpy_engine_below_it() -> None:
    assert _engine("auto", KERNEL_MIN_DRAWS - 1) == "numpy"
    assert _engine("auto", KERNEL_MIN_DRAWS) == "numba"
    assert _engine("numba", 1) == "numba" and _engine("numpy", 10**8) == "numpy"
    with pytest.raises(DealDeskInputError, match=r"^engine must be one of 'auto', 'numpy', 'numba'"):
        simulate(draws=10, engine="gpu")


def test_without_numba_core_imports_and_asking_for_the_kernel_is_one_line() -> None:
    # numba refused at import (as in Pyodide): core imports, auto runs on numpy even for a large
    # run, and engine="numba" is refused in one line that says what to install.
    code = (
        "import sys; sys.modules['numba'] = None\n"
        "import core.model, core.simulation\n"
        "from core.simulation import simulate\n"
        "from core.simulation.run import _engine\n"
        "assert _engine('auto', 10**8) == 'numpy'\n"
        "assert 'core.simulation.kernel' not in sys.modules\n"
        "try:\n"
        "    simulate(draws=10, engine='numba')\n"
        "except Exception as error:\n"
        "    print(type(error).__name__, error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
    )
    assert done.stdout.strip() == (
        "DealDeskInputError engine 'numba' needs numba, which is not installed; "
        "install dealdesk[fast] or use engine 'numpy'"
    )


@pytest.mark.parametrize(
    ("params", "clipped"),
    [
        ((0.80, 0.95, 1.30), True),  # above 1 for a third of draws: realisation's bound clips them at 1
        ((0.5, 0.5, 0.9), False),  # mode at the left end: every uniform takes the right branch but 0
        ((0.5, 0.9, 0.9), False),  # mode at the right end: ratio 1, every uniform the left branch
        ((0.01, 0.7, 0.71), False),
    ],
)
def test_triangular_draws_from_their_uniforms_are_numpys_bit_for_bit(params: tuple, clipped: bool) -> None:
    # The kernel draws a triangular input as numpy's uniforms and applies numpy's formula to them
    # (numpy/random/src/distributions/distributions.c, random_triangular); the draws must be
    # Generator.triangular's to the last bit, then np.clip's to realisation's bounds (0, 1].
    from core.blocks import block_generator
    from core.distributions import triangular
    from core.simulation.kernel import TriangularRows

    want = np.clip(block_generator(3, 1, 2).triangular(*params, 20_000), np.nextafter(0.0, 1.0), 1.0)
    rows = np.vstack([block_generator(3, 0, 2).random(20_000), block_generator(3, 1, 2).random(20_000)])
    rows_of = TriangularRows(
        {"contract_value": triangular(5, 6, 7), "realisation": triangular(*params)},
        ["contract_value", "realisation"],
    )
    assert rows_of.names == {"contract_value", "realisation"}
    rows_of.apply(rows)
    np.testing.assert_array_equal(rows[0], block_generator(3, 0, 2).triangular(5, 6, 7, 20_000))
    np.testing.assert_array_equal(rows[1], want)
    assert bool((want == 1.0).any()) is clipped


def test_a_triangular_of_zero_width_and_other_kinds_are_drawn_as_they_are() -> None:
    from core.distributions import normal, triangular
    from core.simulation.kernel import TriangularRows

    rows_of = TriangularRows(
        {"pue": triangular(1.2, 1.2, 1.2), "base_revenue": normal(100, 5)}, ["base_revenue", "pue"]
    )
    assert rows_of.names == frozenset()
    rows = np.ones((2, 3))
    rows_of.apply(rows)
    np.testing.assert_array_equal(rows, np.ones((2, 3)))
