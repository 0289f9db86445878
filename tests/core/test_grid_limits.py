"""How big a sensitivity grid or tornado may be: ``MAX_GRID_CELLS`` and ``MAX_MODEL_RUNS``, checked first.

One ``DEAL.SENSITIVITY`` call of two 1,000-value ranges once made a
1,000,000-cell grid (2.4 GB, 10 s); with the IRR, whose every cell is a full
model run, a 30 x 30 grid took 170 s. The limits are checked before the grid
is built, so a refused grid costs nothing. The boundaries are tested with
small limits set through the documented environment variables.
"""

from __future__ import annotations

import pytest

from core.scenarios import MAX_GRID_CELLS, MAX_MODEL_RUNS, sensitivity, tornado
from core.validation import DealDeskInputError


def _values(count: int, first: float, step: float) -> list[float]:
    return [first + k * step for k in range(count)]


def test_the_limits_are_a_100_by_100_grid_and_200_runs():
    assert (MAX_GRID_CELLS, MAX_MODEL_RUNS) == (100 * 100, 200)


def test_a_vectorised_grid_at_the_cell_limit_is_computed_and_one_more_row_is_not(monkeypatch):
    monkeypatch.setenv("DEALDESK_MAX_GRID_CELLS", "6")
    rows, cols = _values(2, 2.0, 0.5), _values(3, 0.8, 0.1)
    grid = sensitivity(None, "npv", "price_per_gpu_hour", rows, "realisation", cols)
    assert grid.shape == (2, 3)
    with pytest.raises(
        DealDeskInputError,
        match=r"^row_values x col_values make 9 cells; the limit is 6 cells \(MAX_GRID_CELLS, "
        r"about 0 MB of memory; raise it with the environment variable DEALDESK_MAX_GRID_CELLS\)$",
    ):
        sensitivity(None, "npv", "price_per_gpu_hour", _values(3, 2.0, 0.5), "realisation", cols)


def test_a_refused_grid_is_refused_before_any_value_is_read():
    # 10,000 x 10,000 values would be 100,000,000 cells: refused at once, the values never checked.
    many = list(range(10_000))
    with pytest.raises(DealDeskInputError, match=r"make 100,000,000 cells; the limit is 10,000 cells"):
        sensitivity(None, "npv", "price_per_gpu_hour", many, "realisation", many)


def test_a_grid_of_full_model_runs_has_the_run_limit(monkeypatch):
    monkeypatch.setenv("DEALDESK_MAX_MODEL_RUNS", "2")
    rows, cols = _values(2, 2.0, 0.5), [0.9]
    assert sensitivity(None, "irr", "price_per_gpu_hour", rows, "realisation", cols).shape == (2, 1)
    with pytest.raises(
        DealDeskInputError,
        match=r"^row_values x col_values make 3 cells, each a full model run \(irr is not vectorised\); "
        r"the limit is 2 runs \(MAX_MODEL_RUNS; raise it with the environment variable "
        r"DEALDESK_MAX_MODEL_RUNS\)$",
    ):
        sensitivity(None, "irr", "price_per_gpu_hour", _values(3, 2.0, 0.5), "realisation", cols)


def test_an_input_outside_the_vectorised_engine_counts_as_runs_too(monkeypatch):
    monkeypatch.setenv("DEALDESK_MAX_MODEL_RUNS", "2")
    with pytest.raises(DealDeskInputError, match=r"\(term_years is not vectorised\); the limit is 2 runs"):
        sensitivity(None, "npv", "term_years", [6, 7, 8], "realisation", [0.9])


def test_a_tornado_counts_two_runs_per_input_and_the_base(monkeypatch):
    monkeypatch.setenv("DEALDESK_MAX_MODEL_RUNS", "5")
    names = ["price_per_gpu_hour", "tax_rate"]
    assert len(tornado(None, "irr", names)) == 2  # 2 x 2 + 1 = 5 runs
    with pytest.raises(DealDeskInputError, match=r"make 7 cells, each a full model run .* limit is 5 runs"):
        tornado(None, "irr", [*names, "realisation"])


def test_a_tornado_over_every_input_fits_the_default_limit():
    from core.assumptions import INPUTS

    assert 2 * len(INPUTS) + 1 <= MAX_MODEL_RUNS
