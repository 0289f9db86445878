"""Every range reader of addin.converters with repeated rows, blank rows and wrong shapes.

Excel sends a range as a list of rows; a blank cell is None (or blank text). Serial dates used
below: 45964 is 2025-11-03 (the AWS–OpenAI signing, =DATE(2025,11,3)), 46022 is 2025-12-31 (58
days later) and 46203 is 2026-06-30 (181 days after 2025-12-31).
"""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd
import pytest

from addin import converters as cv
from core.validation import DealDeskInputError

NOV3, DEC31, JUN30 = dt.date(2025, 11, 3), dt.date(2025, 12, 31), dt.date(2026, 6, 30)


# ----------------------------------------------------------------------------- shapes


def test_rows_and_scalar_read_every_shape():
    assert cv.rows(np.array([[1, 2], [3, 4]])) == [[1, 2], [3, 4]]
    assert cv.rows((1, 2)) == [[1, 2]]
    assert cv.scalar("x", np.array([[7]])) == 7
    for bad, shape in (([[1], [2]], "2 x 1"), ([[1, 2], [3, 4]], "2 x 2"), ([], "1 x 0")):
        with pytest.raises(
            DealDeskInputError, match=rf"^x must be a single cell, got a range of {shape} cells$"
        ):
            cv.scalar("x", bad)
    with pytest.raises(DealDeskInputError, match=r"^x refers to a cell showing the Excel error #N/A; fix"):
        cv.scalar("x", [[" #n/a "]])


def test_the_range_size_limit_counts_cells_at_its_edge(monkeypatch):
    monkeypatch.setenv("DEALDESK_MAX_RANGE_CELLS", "6")
    assert cv.check_range_size("w", [[1, 2, 3], [4, 5, 6]]) == [[1, 2, 3], [4, 5, 6]]
    with pytest.raises(DealDeskInputError, match=r"^w holds 7 cells; the limit is 6 cells per range"):
        cv.check_range_size("w", [[1, 2, 3], [4, 5, 6], [7]])
    with pytest.raises(DealDeskInputError, match=r"^w holds 8 cells"):
        cv.check_range_size("w", np.zeros((2, 4)))
    # A flat list (one row) counts one cell per value.
    assert cv.check_range_size("w", [1, 2, 3, 4, 5, 6]) == [1, 2, 3, 4, 5, 6]
    with pytest.raises(DealDeskInputError, match=r"^w holds 7 cells"):
        cv.check_range_size("w", [1] * 7)


# ----------------------------------------------------------------------------- vector


def test_vector_reads_a_row_or_column_trims_trailing_blanks_and_refuses_inner_blanks():
    assert cv.vector("w", [[1], [2], [None], [""]]) == [1.0, 2.0]
    assert cv.vector("w", [1, 2, 2]) == [1.0, 2.0, 2.0]  # repeated values are values, not repeats
    assert cv.vector("w", [[None], [None]], default="d") == "d"
    with pytest.raises(
        DealDeskInputError, match=r"^w has a blank cell at position 2; fill it \(0 is allowed\)$"
    ):
        cv.vector("w", [[1], [None], [3]])
    with pytest.raises(
        DealDeskInputError, match=r"^w must be a single row or column, got a range of 3 x 2 cells$"
    ):
        cv.vector("w", [[1, 2], [3, 4], [5, 6]])
    with pytest.raises(DealDeskInputError, match=r"^w \(cell 3\) must be a number, got the text 'x'$"):
        cv.vector("w", [[1, 2, "x"]])


# ----------------------------------------------------------------------------- capacity levels


def test_capacity_levels_by_slice_or_by_date():
    assert cv.capacity_levels("c", [[1], [2], [4], [None]]) == [1.0, 2.0, 4.0]
    assert cv.capacity_levels("c", [[45964, 1], [None, None], [46022, 3]]) == {NOV3: 1.0, DEC31: 3.0}
    # A 1 x 2 range is one row of two levels, not one dated step.
    assert cv.capacity_levels("c", [[45964, 1]]) == [45964.0, 1.0]
    with pytest.raises(DealDeskInputError, match=r"^c lists the date 2025-11-03 twice \(row 3\)$"):
        cv.capacity_levels("c", [[45964, 1], [46022, 3], ["2025-11-03", 4]])
    with pytest.raises(
        DealDeskInputError, match=r"^c must be a single row or column, got a range of 2 x 3 cells$"
    ):
        cv.capacity_levels("c", [[45964, 1, 2], [46022, 3, 4]])
    assert cv.capacity_levels("c", None) is None


# ----------------------------------------------------------------------------- dated amounts


def test_dated_amounts_as_pairs_or_dates_alone():
    assert cv.dated_amounts("t", [[45964, 19], [None, None], [46203, 19]]) == [(NOV3, 19.0), (JUN30, 19.0)]
    assert cv.dated_amounts("t", [[45964], [" "], ["2026-06-30"]]) == [NOV3, JUN30]
    assert cv.dated_amounts("t", [[45964, 46203]]) == [NOV3, JUN30]  # one row: dates alone
    assert cv.dated_amounts("t", [[None]], default=()) == ()
    with pytest.raises(
        DealDeskInputError,
        match=r"^t must be one row or column of dates, or two columns "
        r"\(date, amount\); got a range of 2 x 3 cells$",
    ):
        cv.dated_amounts("t", [[45964, 19, 1], [46203, 19, 1]])
    with pytest.raises(DealDeskInputError, match=r"^t has a blank cell at position 2$"):
        cv.dated_amounts("t", [[45964, None, 46203]])
    with pytest.raises(
        DealDeskInputError, match=r"^t \(row 2, amount\) must be a number, got the text 'lots'$"
    ):
        cv.dated_amounts("t", [[45964, 19], [46203, "lots"]])


# ----------------------------------------------------------------------------- name/value pairs


def test_name_values_skips_blank_rows_keeps_blank_values_and_refuses_repeats():
    got = cv.name_values("in", [["a", 1], [None, None], [" b ", None], ["c", "  "]])
    assert got == {"a": 1, "b": None, "c": None}
    with pytest.raises(DealDeskInputError, match=r"^in names 'a' twice \(row 3\)$"):
        cv.name_values("in", [["a", 1], [None, None], [" a", 2]])
    with pytest.raises(
        DealDeskInputError,
        match=r"^in must be a two-column range \(name, value\), got a range "
        r"of 2 x 3 cells$",
    ):
        cv.name_values("in", [["a", 1, 2], ["b", 2, 3]])
    with pytest.raises(DealDeskInputError, match=r"^in row 2 must start with a name \(text\), got 5$"):
        cv.name_values("in", [["a", 1], [5, 2]])
    with pytest.raises(DealDeskInputError, match=r"^in 'a' refers to a cell showing the Excel error #DIV/0!"):
        cv.name_values("in", [["a", "#DIV/0!"]])


def test_assumptions_read_dates_and_name_the_argument():
    a = cv.assumptions("inputs", [["contract_value", 40], [None, None], ["start_date", 46022]])
    assert (a.contract_value, a.start_date) == (40.0, DEC31)
    with pytest.raises(DealDeskInputError, match=r"^inputs: .*no_such_input"):
        cv.assumptions("inputs", [["no_such_input", 1]])


# ----------------------------------------------------------------------------- names


def test_names_skip_blanks_refuse_repeats_and_blocks():
    assert cv.names("o", [["npv"], [None], ["irr"]]) == ["npv", "irr"]
    assert cv.names("o", [["npv", "", "irr"]]) == ["npv", "irr"]
    assert cv.names("o", [[None], [""]], default=["all"]) == ["all"]
    with pytest.raises(DealDeskInputError, match=r"^o names 'npv' twice \(cell 3\)$"):
        cv.names("o", [["npv"], ["irr"], [None], ["npv"]])
    with pytest.raises(
        DealDeskInputError, match=r"^o must be a single row or column, got a range of 2 x 2 cells$"
    ):
        cv.names("o", [["npv", "irr"], ["gpus", "racks"]])


# ----------------------------------------------------------------------------- distributions


def test_distribution_rows_skip_blank_rows_trim_parameters_and_refuse_repeats():
    got = cv.distribution_rows(
        "d",
        [
            ["realisation", "uniform", 0.9, 0.95, None],
            [None] * 5,
            ["price", "discrete", "2, 3", "0.5, 0.5", ""],
        ],
    )
    assert got == {"realisation": ("uniform", 0.9, 0.95), "price": ("discrete", "2, 3", "0.5, 0.5")}
    # Three cells (name, kind, one parameter) are enough.
    assert cv.distribution_rows("d", [["x", "fixed", 5]]) == {"x": ("fixed", 5)}
    # A blank parameter between two given ones stays (as None) for the core to refuse.
    assert cv.distribution_rows("d", [["x", "pert", 1, None, 3]]) == {"x": ("pert", 1, None, 3)}
    with pytest.raises(DealDeskInputError, match=r"^d names 'x' twice \(row 3\)$"):
        cv.distribution_rows("d", [["x", "uniform", 0, 1], [None] * 4, ["x", "uniform", 0, 2]])
    with pytest.raises(DealDeskInputError, match=r"^d row 1 must hold an input name, a kind and parameters$"):
        cv.distribution_rows("d", [["x", "uniform"]])
    # A range of blank rows is a blank argument: required unless a default is given.
    with pytest.raises(DealDeskInputError, match=r"^d is required; the cell or argument is blank$"):
        cv.distribution_rows("d", [[None, None, None], ["", " ", None]])
    assert cv.distribution_rows("d", [[None, None, None]], default={}) == {}
    with pytest.raises(
        DealDeskInputError, match=r"^d row 1 parameter 2 refers to a cell showing the Excel error #REF!"
    ):
        cv.distribution_rows("d", [["x", "uniform", 0, "#REF!"]])


# ----------------------------------------------------------------------------- results out


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (pd.NaT, None),
        (pd.NA, None),
        (np.int64(3), 3),
        (np.float32(1.5), 1.5),
        (math.inf, "#NUM!"),
        (-math.inf, "#NUM!"),
        (np.bool_(True), True),
        (pd.Timestamp("2025-11-03 12:00"), dt.datetime(2025, 11, 3, 12, 0)),
        (np.datetime64("2025-11-03"), NOV3),
        ({"a": 1}, "{'a': 1}"),
    ],
)
def test_cell_out_writes_each_kind_of_value(value, expected):
    got = cv.cell_out(value)
    assert got == expected and type(got) is type(expected)


def test_a_bad_value_is_quoted_whole_up_to_forty_characters():
    # repr({'k': 'a' * n}) has n + 9 characters: 40 are quoted whole; 41 become 37 and "...".
    forty, long = {"k": "a" * 31}, {"k": "a" * 32}
    with pytest.raises(DealDeskInputError, match=rf"^x must be a number, got {re.escape(repr(forty))}$"):
        cv.number("x", forty)
    with pytest.raises(
        DealDeskInputError, match=rf"^x must be a number, got {re.escape(repr(long)[:37])}\.\.\.$"
    ):
        cv.number("x", long)
    # Text likewise: 40 characters whole, 41 cut to 37 and "...".
    with pytest.raises(DealDeskInputError, match=rf"^x must be a number, got the text '{'b' * 40}'$"):
        cv.number("x", "b" * 40)
    with pytest.raises(DealDeskInputError, match=rf"^x must be a number, got the text '{'b' * 37}\.\.\.'$"):
        cv.number("x", "b" * 41)


def test_tables_out_blank_missing_text_and_dates_and_flag_missing_numbers():
    frame = pd.DataFrame(
        {
            "period": ["FY2025", None],
            "day": pd.to_datetime(["2025-11-03", None]),
            "at": pd.to_datetime(["2025-11-03 06:00", "2025-11-04 00:00"]),
            "revenue": [1.5, math.nan],
            "count": np.array([1, 2], dtype=np.int64),
            "ok": [True, False],
        }
    )
    assert cv.table(frame) == [
        ["period", "day", "at", "revenue", "count", "ok"],
        ["FY2025", NOV3, dt.datetime(2025, 11, 3, 6, 0), 1.5, 1, True],
        [None, None, dt.date(2025, 11, 4), "#NUM!", 2, False],
    ]
    assert cv.table_or_cell(frame.iloc[:0, :1]) == [["period"]]
    # A date column with no date at all is blank cells.
    assert cv.table(pd.DataFrame({"day": pd.to_datetime([None, None])})) == [["day"], [None], [None]]
    assert cv.table_or_cell(math.nan) == "#NUM!"
    assert cv.name_value_table({"a": math.inf, "b": None, "c": "x"}) == [
        ["name", "value"],
        ["a", "#NUM!"],
        ["b", None],
        ["c", "x"],
    ]


def test_keyword_options_leave_blanks_out_and_convert_the_rest():
    assert cv.optional_numbers(
        {"capex": [[20]], "tax_rate": None, "lead": 1}, ("capex", "tax_rate", "x")
    ) == {"capex": 20.0}
    with pytest.raises(DealDeskInputError, match=r"^capex must be a number, got the text '20'$"):
        cv.optional_numbers({"capex": "20"}, ("capex",))
    # One quarter of delay is 365.25 / 4 days, rounded: 91; blank options stay out.
    got = cv.schedule_options(
        {"delay_quarters": 1, "profile": " linear ", "frequency": None, "weights": [[1], [3]]}
    )
    assert got == {"delay_days": 91, "profile": "linear", "weights": [1.0, 3.0]}
    assert cv.schedule_options({}) == {}
    with pytest.raises(
        DealDeskInputError, match=r"^weights must be a single row or column, got a range of 2 x 2"
    ):
        cv.profile_params(weights=[[1, 2], [3, 4]])
