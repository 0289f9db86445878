"""Hostile calls through the Office.js path: one DEAL message naming the argument, never a crash or a hang.

Each case once ended in "unexpected error", a ``#NUM!`` table, a traceback
inside xlwings (so the server answered only "An error occurred.") or minutes
of work on a huge range.
"""

from __future__ import annotations

import math
import time

import pytest

from addin.converters import MAX_RANGE_CELLS
from addin.errors import DealDeskExcelError
from tests.addin.officejs import call

SCHEDULE = ("deal_schedule", [[38]], [[45964]], [[7]])
# Generous "not a hang" bound of the issue, in processor seconds (other work on a busy
# machine does not count): a refused huge range answers at once.
BOUND_S = 2.0


def _refused(pattern: str, *args: object) -> str:
    with pytest.raises(DealDeskExcelError, match=pattern) as info:
        call(*args)
    message = str(info.value)
    assert "unexpected error" not in message and "\n" not in message
    return message


def _table(*args: object) -> list[list[object]]:
    table = call(*args)
    for row in table[1:]:
        for value in row:
            number = value.get("basicValue") if isinstance(value, dict) else value
            assert not (isinstance(number, float) and not math.isfinite(number)), row
            assert value != "#NUM!"
    return table


# --------------------------------------------------------------------------- 6. the add-in's rules


@pytest.mark.parametrize("term", [1e-9, 1 / 24, 0.04])
def test_a_term_shorter_than_a_month_is_no_whole_number_of_months(term: float) -> None:
    _refused(r"^DEAL\.SCHEDULE: term_years must be a whole number of months", *SCHEDULE[:3], [[term]])


def test_one_month_is_the_shortest_term() -> None:
    table = _table(*SCHEDULE[:3], [[1 / 12]])
    assert sum(row[3] for row in table[1:]) == pytest.approx(38.0)


def test_event_study_of_subnormal_numbers() -> None:
    _refused(
        r"^DEAL\.EVENT_STUDY: price must be a number > 0, got 1e-320$",
        "deal_event_study",
        [[1e-320]],
        [[1e-320]],
        [[1e-320]],
        [[1e308]],
    )


def test_event_study_whose_move_leaves_no_prior_close() -> None:
    # 1e-300 / (1 + 1e308) is 0 in floating point: nothing to divide by.
    _refused(
        r"^DEAL\.EVENT_STUDY: price and move give a prior close of 0\.0; it must be > 0",
        "deal_event_study",
        [[1e-300]],
        [[1e9]],
        [[38]],
        [[1e308]],
    )


def test_rpo_at_excels_last_date() -> None:
    _refused(
        r"^DEAL\.RPO: as_of must be a date between 1900-01-01 and 2199-12-31, got 9999-12-31$",
        "deal_rpo",
        [[38]],
        [[45964]],
        [[7]],
        [[2958465]],
    )


def test_rpo_at_the_last_accepted_date() -> None:
    # 2199-12-31 is serial 109573: long after the contract, nothing remains.
    table = _table("deal_rpo", [[38]], [[45964]], [[7]], [[109573]])
    assert dict((row[0], row[1]) for row in table[1:])["total"] == 0


def test_custom_weights_of_1e308_are_proportions() -> None:
    weights = [[1e308]] * 7
    table = _table(*SCHEDULE, [["custom"]], *[None] * 10, weights)
    revenue = [row[3] for row in table[1:]]
    assert sum(revenue) == pytest.approx(38.0)
    # Equal weights are the straight line: the same as weights of 1.
    ones = _table(*SCHEDULE, [["custom"]], *[None] * 10, [[1]] * 7)
    assert revenue == pytest.approx([row[3] for row in ones[1:]])


def test_a_subnormal_base_revenue_counts_as_zero_and_is_refused() -> None:
    _refused(
        r"^DEAL\.OUTPUTS: inputs: base_revenue must be a number > 0, got 1e-310$",
        "deal_outputs",
        [["base_revenue", 1e-310]],
    )


def _outcome(*args: object) -> tuple[str, object]:
    try:
        return "table", _table(*args)
    except DealDeskExcelError as error:
        assert "unexpected error" not in str(error)
        return "message", str(error)


def test_a_subnormal_realisation_counts_as_zero() -> None:
    # Realisation 1e-310 once gave an infinite overstatement; now it answers as 0 does
    # (a table without NaN or infinity, or the message the model gives for 0).
    assert _outcome("deal_outputs", [["realisation", 1e-310]]) == _outcome(
        "deal_outputs", [["realisation", 0]]
    )


@pytest.mark.parametrize("name", ["realisation", "base_revenue"])
def test_smallest_normal_inputs_show_no_nan_or_infinity(name: str) -> None:
    _table("deal_outputs", [[name, 2.3e-308]])


@pytest.mark.parametrize(
    ("args", "pattern"),
    [
        (([[]],), r"^DEAL\.SCHEDULE: value is not a range of cells"),
        (
            ([[{"foo": 1}]], [[45964]], [[7]]),
            r"^DEAL\.SCHEDULE: value \(row 1, column 1\) is a value without type",
        ),
        (({"foo": 1}, [[45964]], [[7]]), r"^DEAL\.SCHEDULE: value is not a range of cells \(got dict"),
        (([[38]], [[]], [[7]]), r"^DEAL\.SCHEDULE: start is not a range of cells"),
        (
            ([[38]], [[45964]], [[7]], *[None] * 13, [[1]]),
            r"^DEAL\.SCHEDULE: takes at most 16 arguments, got 17$",
        ),
        (
            ([[38]], [[45964]], [[[1]]]),
            r"^DEAL\.SCHEDULE: term_years \(row 1, column 1\) is not a cell value",
        ),
    ],
)
def test_malformed_requests_get_a_deal_message(args: tuple, pattern: str) -> None:
    _refused(pattern, "deal_schedule", *args)


# --------------------------------------------------------------------------- 4. large ranges


def test_a_million_cell_argument_is_refused_at_once() -> None:
    column = [[1.0]] * 1_000_000
    started = time.process_time()
    message = _refused(
        r"^DEAL\.SCHEDULE: weights holds 1,000,000 cells; the limit is 10,000 cells per range \(MAX_RANGE_CELLS",
        *SCHEDULE,
        [["custom"]],
        *[None] * 10,
        column,
    )
    assert time.process_time() - started < BOUND_S
    assert "DEALDESK_MAX_RANGE_CELLS" in message


@pytest.mark.parametrize(
    "args",
    [
        ("deal_hedge_ratio", [[0.01]] * 1_000_000, [[0.02]]),
        ("deal_margin_by_period", [[1.0]] * 1_000_000, [[1.0]], [[0.3]], [[0.1]]),
        ("deal_pair_pnl", [[1]], [[1]], [[0.1]] * 1_000_000),
        ("deal_sotp", [["a", 1.0]] * 500_001),
    ],
)
def test_huge_ranges_of_the_slow_functions(args: tuple) -> None:
    started = time.process_time()
    _refused(r"holds 1,000,00[02] cells; the limit is 10,000 cells per range", *args)
    assert time.process_time() - started < BOUND_S


def test_range_limit_boundary_and_override(monkeypatch: pytest.MonkeyPatch) -> None:
    at_limit = [[1.0]] * MAX_RANGE_CELLS
    # At the limit the range is read (and then refused for its count, by the function's own rule).
    _refused(r"^DEAL\.SCHEDULE: weights must have 7 values", *SCHEDULE, [["custom"]], *[None] * 10, at_limit)
    _refused(r"weights holds 10,001 cells", *SCHEDULE, [["custom"]], *[None] * 10, [*at_limit, [1.0]])
    monkeypatch.setenv("DEALDESK_MAX_RANGE_CELLS", "6")
    _refused(r"weights holds 7 cells; the limit is 6 cells", *SCHEDULE, [["custom"]], *[None] * 10, [[1]] * 7)


def test_tornado_given_repeated_names() -> None:
    inputs = [["contract_value", 38]]
    _refused(
        r"^DEAL\.TORNADO: input_names names 'realisation' twice \(cell 2\)$",
        "deal_tornado",
        inputs,
        [["npv"]],
        [["realisation"], ["realisation"]],
    )
    started = time.process_time()
    _refused(
        r"input_names holds 1,000,000 cells", "deal_tornado", inputs, [["npv"]], [["realisation"]] * 1_000_000
    )
    assert time.process_time() - started < BOUND_S


def test_simulate_draw_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    started = time.process_time()
    _refused(
        r"^DEAL\.SIMULATE: draws must be at most 2,000,000 \(MAX_DRAWS.*DEALDESK_MAX_DRAWS\), got 100,000,000$",
        "deal_simulate",
        [["contract_value", 38]],
        None,
        [[1e8]],
    )
    assert time.process_time() - started < BOUND_S
    monkeypatch.setenv("DEALDESK_MAX_DRAWS", "20")
    _refused(r"draws must be at most 20 ", "deal_simulate", [["contract_value", 38]], None, [[21]])
    assert call("deal_simulate", [["contract_value", 38]], None, [[20]], None, [["npv"]])
