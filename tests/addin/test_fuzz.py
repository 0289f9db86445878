"""Excel-shaped junk into every DEAL function: a valid table or a message naming an argument, never a crash.

Each call goes through xlwings' Office.js protocol (``custom_functions_call``)
with arguments drawn per parameter from a mix of plausible values (so calls
reach deep into the core) and junk a spreadsheet can send: blanks, text in
number cells, Excel error values (as text and as Office.js error objects),
booleans, NaN/infinity, huge and negative numbers, dates as text and as
serials, wrong range shapes, 1 x 1 against 2-D ranges and large ranges.

Malformed requests are mixed in too: an empty range ``[[]]``, an Office.js
value without ``type``/``basicValue``, a nested list in a cell, a bare dict or
text instead of a range, and one argument more than the function takes.

A call passes when it either returns a table (header row of names, then rows
whose numbers are all finite and no ``#NUM!`` error) or raises the add-in's
``DealDeskExcelError`` whose message starts with the function's Excel name
and then an argument of that function — never an unexpected exception —
and answers within ``MAX_SECONDS`` of processor time (a generous "not a
hang" bound; the slowest plausible call takes a fraction of it; processor
time, so that other work on a busy machine does not count).
Functions added to ``addin.functions`` later are fuzzed automatically.

Examples are derandomized (the same on every run); for a deeper random search:

    DEALDESK_FUZZ_RANDOM=1 DEALDESK_FUZZ_EXAMPLES=300 python -m pytest tests/addin/test_fuzz.py
"""

from __future__ import annotations

import inspect
import json
import math
import os
import re
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.errors import DealDeskExcelError
from core.conventions import DELAY_MODES, FREQUENCIES, PROFILES
from tests.addin.officejs import call, deal_functions

FUNCTIONS = deal_functions()

# Plausible values by argument name: the AWS–OpenAI case and its variants (the brief).
PLAUSIBLE: dict[str, list[Any]] = {
    "value": [38, 0, 1e6, 22.4],
    "start": [45964, "2025-11-03", 46023],
    "term_years": [7, 2.5, 1, 5],
    "profile": list(PROFILES),
    "frequency": list(FREQUENCIES),
    "fiscal_year_end": [12, 6, 5],
    "realisation": [0.95, 1, 0.9],
    "delay_quarters": [0, 1, 2, 4 / 3],
    "delay_mode": list(DELAY_MODES),
    "full_at": [46387, 0.3, 2, "2026-12-31"],
    "initial_rate": [0, 0.2],
    "midpoint": [0.5, 46387],
    "steepness": [10, 1],
    "power": [1, 2],
    "weights": [[[1], [2], [3], [4], [4], [4], [4]], [[1, 1, 1, 1, 1]]],
    "capacity": [[[1], [2], [4]], [[45964, 1], [46387, 3]]],
    "base_revenue": [107.6, 128.7],
}
GENERIC = [1, 0.5, 38, 45964, "2025-11-03", "base"]

ERROR_TEXTS = ["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!"]
junk_scalars = st.one_of(
    st.none(),
    st.just(""),
    st.booleans(),
    st.sampled_from(ERROR_TEXTS),
    st.sampled_from(["soon", "38", "1/1/2025", "2025-13-45", "  ", "straight line", "Q3"]),
    st.text(max_size=12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e12, max_value=1e12),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.integers(min_value=-2, max_value=2_958_470),  # around Excel's date serials
    st.sampled_from([0, 60, 1, 2_958_465, 1e308, -1e308, 5e-324]),
)
error_objects = st.sampled_from(ERROR_TEXTS).map(
    lambda text: {"type": "Error", "basicValue": text, "errorType": "Value"}
)
cells = st.one_of(junk_scalars, error_objects)
# Requests xlwings itself cannot convert (checked by addin.errors.check_request).
malformed = st.sampled_from(
    [[[]], [], {"foo": 1}, [[{"foo": 1}]], [[{"type": "Double"}]], [[[1]]], "38", [[1], []], [None]]
)
#: Longest a call may take, seconds (the issue's bound; DEALDESK_FUZZ_MAX_SECONDS to change it).
MAX_SECONDS = float(os.environ.get("DEALDESK_FUZZ_MAX_SECONDS", "2"))


def grids(elements: st.SearchStrategy[Any]) -> st.SearchStrategy[list[list[Any]]]:
    """Rectangular ranges of 1-8 rows x 1-3 columns, or a long column."""
    small = st.integers(1, 8).flatmap(
        lambda h: st.integers(1, 3).flatmap(
            lambda w: st.lists(st.lists(elements, min_size=w, max_size=w), min_size=h, max_size=h)
        )
    )
    long = st.lists(st.lists(elements, min_size=1, max_size=1), min_size=60, max_size=120)
    return st.one_of(small, small, long)


def argument(name: str) -> st.SearchStrategy[Any]:
    plausible = PLAUSIBLE.get(name, GENERIC)
    as_cell = st.sampled_from(plausible).map(lambda v: v if isinstance(v, list) else [[v]])
    return st.one_of(
        as_cell,
        as_cell,
        as_cell,
        st.none(),  # omitted
        cells.map(lambda v: [[v]]),  # one junk cell
        grids(st.one_of(cells, st.sampled_from([v for v in plausible if not isinstance(v, list)] or [1])))
        if name
        else st.none(),
        malformed,
    )


def plausible(name: str) -> st.SearchStrategy[Any]:
    """A sensible value for ``name`` as Excel sends it, or the argument left out."""
    values = PLAUSIBLE.get(name, GENERIC)
    return st.one_of(st.sampled_from(values).map(lambda v: v if isinstance(v, list) else [[v]]), st.none())


def arguments(function: Any) -> st.SearchStrategy[list[Any]]:
    """Either every argument random, or all sensible but one (which reaches deep into the core)."""
    names = list(inspect.signature(function).parameters)
    required = sum(
        p.default is inspect.Parameter.empty for p in inspect.signature(function).parameters.values()
    )
    if not names:
        return st.just([])
    everything = st.tuples(*(argument(n) for n in names)).map(list)
    sensible = st.tuples(*(plausible(n) for n in names)).map(list)
    one_bad = st.integers(0, len(names) - 1).flatmap(
        lambda k: st.tuples(sensible, argument(names[k])).map(lambda t: t[0][:k] + [t[1]] + t[0][k + 1 :])
    )
    # Excel always passes the required arguments; optional ones may be left off the end.
    # A malformed request may carry one argument too many.
    return st.tuples(
        st.one_of(everything, one_bad, one_bad),
        st.integers(required, len(names)),
        st.sampled_from([False] * 9 + [True]),
    ).map(lambda t: t[0][: t[1]] + ([[[1]]] if t[2] else []))


def _is_error_cell(value: Any) -> bool:
    return (isinstance(value, dict) and value.get("type") == "Error") or value == "#NUM!"


def _check_table(table: Any) -> None:
    assert isinstance(table, list) and table, table
    # xlwings Server answers with JSON that refuses NaN/infinity; Lite hands the same values to JS.
    json.dumps(table, allow_nan=False)
    header = table[0]
    assert all(isinstance(name, str) and name for name in header), header
    for row in table[1:]:
        assert len(row) == len(header)
        for value in row:
            assert not _is_error_cell(value), (header, row)
            number = value.get("basicValue") if isinstance(value, dict) else value
            if isinstance(number, float):
                assert math.isfinite(number), (header, row)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_junk_gives_a_table_or_a_message_naming_an_argument(name):
    function = FUNCTIONS[name]
    label = "DEAL." + name.removeprefix("deal_").upper()
    parameters = list(inspect.signature(function).parameters)
    names_an_argument = re.compile(
        rf"^{re.escape(label)}: (.*\b({'|'.join(parameters)})\b|takes at most {len(parameters)} arguments)"
    )

    # No state leaks from one call into the next: a sensible call answers the same
    # before and after the junk.
    reference_args = [PLAUSIBLE.get(n, GENERIC)[0] for n in parameters]
    reference_args = [v if isinstance(v, list) else [[v]] for v in reference_args]
    before = _outcome(name, reference_args)

    @settings(
        max_examples=int(os.environ.get("DEALDESK_FUZZ_EXAMPLES", "30")),
        deadline=None,
        database=None,
        # Fixed examples by default, so a run is repeatable; set DEALDESK_FUZZ_RANDOM=1
        # (and DEALDESK_FUZZ_EXAMPLES=300) for a deeper random search before a release.
        derandomize=os.environ.get("DEALDESK_FUZZ_RANDOM") != "1",
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(args=arguments(function))
    def run(args):
        started = time.process_time()
        try:
            result = call(name, *args)
        except DealDeskExcelError as error:
            message = str(error)
            assert "unexpected error" not in message, message
            assert names_an_argument.search(message), message
        else:
            _check_table(result)
        elapsed = time.process_time() - started
        assert elapsed < MAX_SECONDS, f"{label} took {elapsed:.2f} s"

    run()
    assert _outcome(name, reference_args) == before


def _outcome(name: str, args: list[Any]) -> Any:
    try:
        return ("table", call(name, *args))
    except DealDeskExcelError as error:
        return ("error", str(error))


def test_a_very_large_range_gets_a_message_not_a_hang():
    # 100,000 weights: over the cells-per-range limit, refused before any conversion.
    column = [[1.0]] * 100_000
    started = time.process_time()
    with pytest.raises(
        DealDeskExcelError, match=r"^DEAL\.SCHEDULE: weights holds 100,000 cells; the limit is 10,000"
    ):
        call("deal_schedule", [[38]], [[45964]], [[7]], [["custom"]], *[None] * 10, column)
    assert time.process_time() - started < MAX_SECONDS
