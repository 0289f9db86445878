"""Edges of a simulation run: outputs asked for without the economics, delays the model refuses,
blocks of one draw, arguments that are not what they should be (each a one-line error)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from core.assumptions import Assumptions
from core.distributions import discrete
from core.simulation import evaluate, simulate
from core.simulation.run import kernel_available
from core.validation import DealDeskInputError
from tests.core.test_simulation import WIDE

ENGINES = ["numpy", *(["numba"] if kernel_available() else [])]


@pytest.mark.parametrize("engine", ENGINES)
def test_compress_mode_without_the_economics_outputs_gives_them_as_the_full_run(engine):
    # The compressed schedule's late run-rate is kept for the economics; asking only for outputs
    # outside them must still give those outputs, equal to the full run's draw for draw.
    a = Assumptions(delay_mode="compress")
    full = simulate(a, draws=300, seed=4, engine=engine)
    for name in ("gap_year2", "peak_run_rate", "market_value_passes"):
        alone = simulate(a, draws=300, seed=4, outputs=name, engine=engine).values[name]
        np.testing.assert_array_equal(alone, full.values[name], err_msg=name)
    got = evaluate(a, {"realisation": [0.9]}, outputs="gap_year2")
    assert set(got) == {"gap_year2"}


# A six-month contract from 2028-04-22: 183 contract days (2028-04-22 to 2028-10-21).
SHORT = Assumptions(
    delay_mode="compress", start_date=dt.date(2028, 4, 22), signing_date=dt.date(2028, 4, 22), term_years=0.5
)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_delay_as_long_as_the_term_is_refused_as_the_model_refuses_it(engine):
    # 2 quarters = 2 × 365.25 / 4 = 182.625 → 183 days, the whole term: the model refuses that
    # delay in compress mode, so a run that can draw it is refused in the same words.
    with pytest.raises(DealDeskInputError, match=r"^delay_quarters must be shorter than the term"):
        SHORT.replace(delay_quarters=2.0)
    with pytest.raises(
        DealDeskInputError,
        match=r"^the delay_quarters distribution can draw 2 quarters: delay_quarters must be shorter than the term "
        r"with delay_mode 'compress'",
    ):
        simulate(SHORT, {"delay_quarters": discrete([0.0, 2.0], [0.5, 0.5])}, draws=4, engine=engine)
    with pytest.raises(
        DealDeskInputError, match=r"^delay_quarters values reach 2 quarters: delay_quarters must be"
    ):
        evaluate(SHORT, {"delay_quarters": [0.0, 2.0]})
    # 1.9 quarters = 173.49 → 173 days < 183: accepted, every draw a number.
    r = simulate(SHORT, {"delay_quarters": discrete([0.0, 1.9], [0.5, 0.5])}, draws=64, engine=engine)
    assert np.isfinite(r.values["peak_run_rate"]).all()


def test_a_block_of_one_draw_adds_its_years_as_a_larger_block_does():
    # numpy adds a lone column pairwise and two or more row by row: a draw alone in its last
    # block (8,193 draws: 8,192 and 1) or in a chunk of one must keep its bits.
    names = ["npv", "total_cash_flow", "deal_margin_life", "margin_bps_peak"]
    alone = simulate(None, WIDE, draws=8_193, seed=0, outputs=names, engine="numpy")
    more = simulate(None, WIDE, draws=8_194, seed=0, outputs=names, engine="numpy")
    chunked = simulate(None, WIDE, draws=6, seed=0, outputs=names, engine="numpy", chunk_size=1)
    whole = simulate(None, WIDE, draws=6, seed=0, outputs=names, engine="numpy")
    for name in names:
        assert alone.values[name][8_192] == more.values[name][8_192], name
        np.testing.assert_array_equal(chunked.values[name], whole.values[name], err_msg=name)


def test_arguments_of_the_wrong_kind_are_one_line_errors():
    with pytest.raises(
        DealDeskInputError, match=r"^outputs must be an output name or a list of names, got int 42$"
    ):
        simulate(outputs=42)
    with pytest.raises(DealDeskInputError, match=r"^realisation needs at least one value, each a number > 0"):
        evaluate(None, {"realisation": []})
    with pytest.raises(DealDeskInputError, match=r"^realisation values must be numbers, each a number > 0"):
        evaluate(None, {"realisation": ["a"]})
