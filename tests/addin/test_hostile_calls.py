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
from tests.addin.officejs import call, deal_functions

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
        r"^DEAL\.OUTPUTS: inputs: base_revenue must be a number >= 0.001, got 1e-310$",
        "deal_outputs",
        [["base_revenue", 1e-310]],
    )


def test_a_base_revenue_below_a_million_dollars_is_refused() -> None:
    # 2.3e-308 is a normal float, but growth in points divides by it (inf): the rule is US$1M.
    _refused(
        r"^DEAL\.OUTPUTS: inputs: base_revenue must be a number >= 0.001, got 2.3e-308$",
        "deal_outputs",
        [["base_revenue", 2.3e-308]],
    )
    table = call("deal_outputs", [["base_revenue", 0.001]])
    values = [row[2] for row in table[1:]]
    assert all(v == "" or math.isfinite(v) for v in values)


def _outcome(*args: object) -> tuple[str, object]:
    try:
        return "table", _table(*args)
    except DealDeskExcelError as error:
        assert "unexpected error" not in str(error)
        return "message", str(error)


def test_a_subnormal_realisation_counts_as_zero() -> None:
    # Realisation 1e-310 once gave an infinite overstatement; now it answers as 0 does: a
    # realisation of 0 earns nothing and has no margin, so both are refused naming the input.
    for value, shown in ((1e-310, "1e-310"), (0, "0")):
        assert _outcome("deal_outputs", [["realisation", value]]) == (
            "message",
            f"DEAL.OUTPUTS: inputs: realisation must be a number > 0 and <= 1, got {shown}",
        )


def test_the_smallest_normal_realisation_shows_no_nan_or_infinity() -> None:
    # (A base revenue that small is refused: see the US$1M rule above.)
    _table("deal_outputs", [["realisation", 2.3e-308]])


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


def test_exposure_risk_shares_the_simulate_draw_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    # DEAL.EXPOSURE_RISK took up to 5,000,000 draws (about 20 s) while DEAL.SIMULATE stopped at
    # 2,000,000: one limit, one help text.
    functions = deal_functions()
    docs = {
        name: next(a["doc"] for a in functions[name].__xlfunc__["args"] if a["name"] == "draws")
        for name in ("deal_simulate", "deal_exposure_risk")
    }
    assert docs["deal_exposure_risk"] == docs["deal_simulate"]
    assert "1 to 2,000,000 (DEALDESK_MAX_DRAWS raises the limit)" in docs["deal_exposure_risk"]
    started = time.process_time()
    for draws in (1e8, 2_000_001):
        _refused(
            r"^DEAL\.EXPOSURE_RISK: draws must be at most 2,000,000 \(MAX_DRAWS.*DEALDESK_MAX_DRAWS\), "
            rf"got {draws:,.0f}$",
            "deal_exposure_risk",
            None,
            None,
            [[draws]],
        )
    assert time.process_time() - started < BOUND_S
    monkeypatch.setenv("DEALDESK_MAX_DRAWS", "20")
    _refused(r"^DEAL\.EXPOSURE_RISK: draws must be at most 20 ", "deal_exposure_risk", None, None, [[21]])
    assert call("deal_exposure_risk", None, None, [[20]])  # at the limit: runs


INPUTS = [["contract_value", 38], ["start_date", 45964], ["term_years", 7]]


def test_table_if_missing_without_a_key_and_the_name_in_any_case() -> None:
    _refused(
        r"^DEAL\.TABLE: if_missing is the value for a key not in the table, so it needs key and column; "
        r"leave it blank for the whole table, got 0$",
        "deal_table",
        INPUTS,
        None,
        [["economics"]],
        None,
        None,
        [[0]],
    )
    _refused(r"; got 'Econmics'; did you mean 'economics'\?$", "deal_table", INPUTS, None, [["Econmics"]])
    lower = call("deal_table", INPUTS, None, [["economics"]], [[2026]], [["revenue"]])
    assert call("deal_table", INPUTS, None, [["ECONOMICS"]], [[2026]], [["revenue"]]) == lower


@pytest.mark.parametrize(
    "rows, pattern",
    [
        ([["realisation", 0]], r"^DEAL\.OUTPUT: inputs: realisation must be a number > 0 and <= 1, got 0$"),
        ([["move_pct", -1]], r"^DEAL\.OUTPUT: inputs: move_pct must be a number > -1 and <= 10, got -1$"),
        (
            [["term_years", 1], ["delay_quarters", 4], ["delay_mode", "forfeit"]],
            r"^DEAL\.OUTPUT: inputs: delay_quarters must be shorter than the term with delay_mode 'forfeit'",
        ),
        (
            [["fleet_gpus", 1000], ["fleet_it_mw", 500]],
            r"^DEAL\.OUTPUT: inputs: fleet_gpus and fleet_it_mw must describe the same fleet: "
            r"500 MW holds 300,000 GPUs",
        ),
    ],
)
def test_model_errors_name_the_input_typed(rows: list[list[object]], pattern: str) -> None:
    # Each once named an internal figure ("total revenue", "price") or ran with one input ignored.
    _refused(pattern, "deal_output", [["contract_value", 38], *rows], [["npv"]])


def test_schedule_compress_delay_names_the_quarters_typed() -> None:
    # =DEAL.SCHEDULE(38, DATE(2025,11,3), 7, , , , , 28, "compress"): 28 quarters = 2,557 days, the whole term.
    _refused(
        r"^DEAL\.SCHEDULE: the delivery delay must be shorter than the contract in 'compress' mode: the contract "
        r"runs 2557 days, got a delay of 2557 days \(delay_days 2557, delay_quarters 28\)$",
        "deal_schedule",
        [[38]],
        [[45964]],
        [[7]],
        None,
        None,
        None,
        None,
        [[28]],
        [["compress"]],
    )


# --------------------------------------------------------------------------- one rule for dates and names


def test_date_text_with_anything_after_the_date_is_refused_as_core_refuses_it() -> None:
    # Before: the add-in cut the text to 10 characters and answered a table; core refused the same text.
    _refused(
        r"^DEAL\.SCHEDULE: start must be a date \(an Excel date, a date serial number such as 45964, "
        r"or ISO text such as '2025-11-03'\), got the text '2025-11-03 garbage'$",
        "deal_schedule",
        [[38]],
        [["2025-11-03 garbage"]],
        [[7]],
    )


@pytest.mark.parametrize(
    ("function", "args", "argument"),
    [
        ("deal_company", ([["Oracle\x00"]],), "company"),
        ("deal_portfolio", ([["OpenAI\x00"]],), "customer"),
        ("deal_exposure", (None, [["OpenAI\x00"]]), "customers"),
    ],
)
def test_a_nul_in_a_name_is_refused_by_every_function(function: str, args: tuple, argument: str) -> None:
    # Before: DEAL.COMPANY("Oracle\x00") returned Oracle while the others refused the same text.
    _refused(
        rf"^DEAL\.[A-Z_]+: {argument} must be a name without control characters; got U\+0000 at",
        function,
        *args,
    )


def test_fullwidth_names_are_the_same_names_for_every_function() -> None:
    # Oracle's fiscal year ends in May.
    assert call("deal_company", [["Ｏｒａｃｌｅ"]], [["fiscal_year_end"]]) == [[5]]
    assert call("deal_portfolio", [["ＯｐｅｎＡＩ"]]) == call("deal_portfolio", [["OpenAI"]])
    assert call("deal_exposure", None, [["ＯｐｅｎＡＩ"]]) == call("deal_exposure", None, [["OpenAI"]])
