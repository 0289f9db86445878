"""Excel-value conversion: dates, blanks, numbers, ranges and results out."""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xlwings.utils import xlserial_to_datetime

from addin import converters as cv
from core.validation import DealDeskInputError, as_date

# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, dt.date(1900, 1, 1)),  # Excel's first date
        (59, dt.date(1900, 2, 28)),
        (61, dt.date(1900, 3, 1)),  # after Excel's fictitious 1900-02-29 (serial 60)
        (45658, dt.date(2025, 1, 1)),
        (45964, dt.date(2025, 11, 3)),  # =DATE(2025,11,3): the AWS–OpenAI signing
        (48520, dt.date(2032, 11, 2)),  # last contract day: 45964 + 2557 - 1
        (2_958_465, dt.date(9999, 12, 31)),  # Excel's last date
    ],
)
def test_excel_serials(serial, expected):
    assert cv.excel_serial_to_date(serial) == expected
    assert cv.date_to_excel_serial(expected) == serial


@pytest.mark.parametrize("serial", [0, 60, -1, 2_958_466])
def test_serials_that_are_no_date_are_refused(serial):
    with pytest.raises(DealDeskInputError, match=r"start must be a date serial number from 1 to 2958465"):
        cv.date("start", serial)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=61, max_value=2_958_465), st.floats(min_value=0, max_value=0.999))
def test_serials_agree_with_xlwings_from_1900_03_01_on(serial, time_of_day):
    # xlwings' own converter (used by Office.js) counts from 1899-12-30, which is right
    # from serial 61 on; the time of day is dropped.
    assert cv.date("d", serial + time_of_day) == xlserial_to_datetime(serial).date()


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_date_round_trip(day):
    assert cv.excel_serial_to_date(cv.date_to_excel_serial(day)) == day


@pytest.mark.parametrize(
    "value",
    [
        45964,
        45964.0,
        np.float64(45964.5),
        "2025-11-03",
        " 2025-11-03 ",
        dt.date(2025, 11, 3),
        dt.datetime(2025, 11, 3, 18, 30),
        pd.Timestamp("2025-11-03"),
        [[45964]],
        ["2025-11-03"],
    ],
)
def test_every_date_spelling(value):
    assert cv.date("start", value) == dt.date(2025, 11, 3)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("soon", "the text 'soon'"),
        ("11/3/2025", "the text '11/3/2025'"),
        (True, "TRUE"),
        (pd.NaT, "an empty date"),
    ],
)
def test_bad_dates_name_the_argument(value, shown):
    with pytest.raises(DealDeskInputError, match=rf"^start must be a date.*got {shown}"):
        cv.date("start", value)


DATE_TEXTS = [
    "2025-11-03",
    " 2025-11-03 ",
    "2025-11-03 garbage",  # the add-in cut this to "2025-11-03" and answered a table
    "2025-11-03T09:00",  # a time of day: text, so core's rule refuses it (a serial's fraction is dropped)
    "2025-11-03 09:00:00",
    "20251103",
    "2025-W45-1",
    "2025-02-29",
    "2025-11-3",
]


@pytest.mark.parametrize("text", DATE_TEXTS)
def test_date_text_follows_cores_one_rule(text):
    # One rule: the add-in accepts exactly the text core.validation.as_date accepts, and gives the same date.
    try:
        expected = as_date("start", text)
    except DealDeskInputError:
        with pytest.raises(
            DealDeskInputError, match=rf"^start must be a date .*got the text {re.escape(repr(text))}$"
        ):
            cv.date("start", text)
    else:
        assert cv.date("start", text) == expected == dt.date(2025, 11, 3)


def test_date_or_fraction_splits_at_the_serial_floor():
    assert cv.date_or_fraction("full_at", 0.5) == 0.5
    assert cv.date_or_fraction("full_at", cv.SERIAL_DATE_MIN - 1) == cv.SERIAL_DATE_MIN - 1
    assert cv.date_or_fraction("full_at", cv.SERIAL_DATE_MIN) == dt.date(1902, 9, 26)
    assert cv.date_or_fraction("full_at", None) is None
    assert cv.date_or_fraction("full_at", "2026-12-31") == dt.date(2026, 12, 31)


# --------------------------------------------------------------------------- blanks and numbers


@pytest.mark.parametrize("blank", [None, "", "   ", [[None]], [[""]], [None]])
def test_blanks_take_the_default(blank):
    assert cv.number("realisation", blank, default=1.0) == 1.0
    assert cv.text("profile", blank, default="straight") == "straight"
    assert cv.date("start", blank, default=None) is None
    assert cv.vector("weights", blank) is None


@pytest.mark.parametrize("blank", [None, "", [[None]]])
def test_required_blanks_are_named(blank):
    with pytest.raises(DealDeskInputError, match=r"^value is required"):
        cv.number("value", blank)
    with pytest.raises(DealDeskInputError, match=r"^start is required"):
        cv.date("start", blank)


@pytest.mark.parametrize("value", [38, 38.0, np.int64(38), np.float32(38), [[38]], [38], ((38,),)])
def test_numbers_and_one_cell_ranges(value):
    result = cv.number("value", value)
    assert result == 38.0 and type(result) is float


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, r"^value must be a number, got TRUE$"),
        (np.bool_(False), r"^value must be a number, got FALSE$"),
        ("38", r"^value must be a number, got the text '38'$"),
        (dt.date(2025, 11, 3), r"^value must be a number, got the date 2025-11-03$"),
        (float("nan"), r"^value must be a finite number, got NaN"),
        (float("inf"), r"^value must be a finite number, got inf"),
        ([[1, 2]], r"^value must be a single cell, got a range of 1 x 2 cells$"),
        ([[1], [2], [3]], r"^value must be a single cell, got a range of 3 x 1 cells$"),
        ("#DIV/0!", r"^value refers to a cell showing the Excel error #DIV/0!"),
        ([["#N/A"]], r"^value refers to a cell showing the Excel error #N/A"),
    ],
)
def test_numbers_refuse_what_is_not_a_number(value, message):
    with pytest.raises(DealDeskInputError, match=message):
        cv.number("value", value)


def test_choices_are_checked_by_the_core_rule():
    assert cv.choice("delay_mode", [["Extend "]], ("extend", "compress", "forfeit")) == "extend"
    assert cv.choice("delay_mode", "", ("extend",), default="extend") == "extend"
    with pytest.raises(
        DealDeskInputError, match=r"^delay_mode must be one of 'extend', 'compress'; got 'later'"
    ):
        cv.choice("delay_mode", "later", ("extend", "compress"))


# --------------------------------------------------------------------------- ranges


@pytest.mark.parametrize(
    "value",
    [[[1], [2], [3]], [[1, 2, 3]], [1, 2, 3], [[1], [2], [3], [None], [""]], np.array([[1.0, 2.0, 3.0]])],
)
def test_vectors_from_rows_or_columns(value):
    assert cv.vector("weights", value) == [1.0, 2.0, 3.0]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([[1, 2], [3, 4]], r"^weights must be a single row or column, got a range of 2 x 2 cells$"),
        ([[1], [None], [3]], r"^weights has a blank cell at position 2; fill it"),
        ([[1], ["x"]], r"^weights \(cell 2\) must be a number, got the text 'x'$"),
        ([[1], [True]], r"^weights \(cell 2\) must be a number, got TRUE$"),
        ([[1], ["#REF!"]], r"^weights \(cell 2\) refers to a cell showing the Excel error #REF!"),
    ],
)
def test_bad_vectors_name_the_cell(value, message):
    with pytest.raises(DealDeskInputError, match=message):
        cv.vector("weights", value)


def test_capacity_levels_or_dated_steps():
    assert cv.capacity_levels("capacity", [[1], [2]]) == [1.0, 2.0]
    assert cv.capacity_levels("capacity", [[45964, 1], ["2026-12-31", 3], [None, None]]) == {
        dt.date(2025, 11, 3): 1.0,
        dt.date(2026, 12, 31): 3.0,
    }
    with pytest.raises(DealDeskInputError, match=r"^capacity lists the date 2025-11-03 twice \(row 2\)"):
        cv.capacity_levels("capacity", [[45964, 1], [45964, 2]])
    with pytest.raises(DealDeskInputError, match=r"^capacity \(row 1, date\) must be a date"):
        cv.capacity_levels("capacity", [["soon", 1], [45964, 2]])


def test_name_value_ranges():
    inputs = cv.name_values(
        "inputs",
        [
            ["contract_value", 38],
            [" term_years ", 7],
            [None, None],
            ["deal_name", "AWS–OpenAI"],
            ["note", ""],
        ],
    )
    assert inputs == {"contract_value": 38, "term_years": 7, "deal_name": "AWS–OpenAI", "note": None}
    with pytest.raises(
        DealDeskInputError, match=r"^inputs must be a two-column range \(name, value\), got a range of 1 x 3"
    ):
        cv.name_values("inputs", [["a", 1, 2]])
    with pytest.raises(DealDeskInputError, match=r"^inputs row 2 must start with a name \(text\), got 5"):
        cv.name_values("inputs", [["a", 1], [5, 2]])
    with pytest.raises(
        DealDeskInputError, match=r"^inputs 'a' refers to a cell showing the Excel error #N/A"
    ):
        cv.name_values("inputs", [["a", "#N/A"]])


def test_profile_params_leave_blanks_out():
    params = cv.profile_params(
        full_at=[[46387]], midpoint=None, power=[[""]], weights=[[1, 2]], capacity=None
    )
    assert params == {"full_at": dt.date(2026, 12, 31), "weights": [1.0, 2.0]}


def test_schedule_options_are_the_core_keywords_without_blanks():
    # Two quarters of delay = round(2 x 365.25 / 4) = 183 days (core.schedule.delay_days_from_quarters);
    # names that are no schedule option (value, booking) are not read.
    options = cv.schedule_options(
        {
            "value": 38,
            "booking": "#N/A",
            "profile": [["linear"]],
            "frequency": "",
            "delay_quarters": [[2]],
            "full_at": 46387,
            "weights": None,
        }
    )
    assert options == {"delay_days": 183, "profile": "linear", "full_at": dt.date(2026, 12, 31)}
    assert cv.schedule_options({}) == {}
    assert cv.schedule_options({"delay_quarters": 0}) == {"delay_days": 0}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"delay_quarters": "two"}, r"^delay_quarters must be a number, got the text 'two'"),
        ({"delay_quarters": -1}, r"^delay_quarters must be a number >= 0 and <= 100, got -1"),
        ({"fiscal_year_end": "#N/A"}, r"^fiscal_year_end refers to a cell showing the Excel error #N/A"),
        ({"profile": 5}, r"^profile must be text, got 5"),
        ({"steepness": True}, r"^steepness must be a number, got TRUE"),
    ],
)
def test_schedule_options_name_the_bad_argument(arguments, message):
    with pytest.raises(DealDeskInputError, match=message):
        cv.schedule_options(arguments)


# --------------------------------------------------------------------------- results out


def test_table_has_a_header_row_and_excel_friendly_values():
    frame = pd.DataFrame(
        {
            "period": ["FY2025", "FY2026"],
            "start": [dt.date(2025, 1, 1), dt.date(2026, 1, 1)],
            "stamp": [pd.Timestamp("2025-11-03"), pd.Timestamp("2025-11-03 12:00")],
            "revenue": np.array([0.5, np.nan]),
            "growth": [np.inf, -np.inf],
            "count": np.array([1, 2], dtype=np.int64),
            "note": [None, "x"],
        }
    )
    table = cv.table(frame)
    assert table[0] == ["period", "start", "stamp", "revenue", "growth", "count", "note"]
    assert table[1] == ["FY2025", dt.date(2025, 1, 1), dt.date(2025, 11, 3), 0.5, "#NUM!", 1, None]
    assert table[2] == ["FY2026", dt.date(2026, 1, 1), dt.datetime(2025, 11, 3, 12), "#NUM!", "#NUM!", 2, "x"]
    assert all(type(v) in (str, float, int, dt.date, dt.datetime, type(None)) for row in table for v in row)


def _cells_one_by_one(frame: pd.DataFrame) -> list[list[object]]:
    """The table rule cell by cell: a number column's missing value is #NUM!, any other column's is blank."""
    out = [[str(c) for c in frame.columns]]
    for i in range(len(frame)):
        row = []
        for k in range(frame.shape[1]):
            column = frame.iloc[:, k]
            value = column.iloc[i]
            numeric = pd.api.types.is_numeric_dtype(column)
            row.append(None if not numeric and pd.isna(value) else cv.cell_out(value))
        out.append(row)
    return out


def test_table_by_columns_equals_the_cell_by_cell_rule():
    # Every kind of column a core table may hold, with missing values, infinities and times of day.
    frame = pd.DataFrame(
        {
            "float": [0.1, np.nan, np.inf, -0.0],
            "int": np.array([1, -2, 3, 2**40], dtype=np.int64),
            "uint": np.array([1, 2, 3, 4], dtype=np.uint8),
            "bool": [True, False, True, False],
            "text": ["a", None, "c", ""],
            "days": pd.to_datetime(["2025-11-03", None, "2032-11-02", "1900-03-01"]),
            "times": pd.to_datetime(["2025-11-03 12:00", "2025-11-03 00:00", None, "2026-01-01 00:00"]),
            "zoned": pd.to_datetime(["2025-11-03"] * 4).tz_localize("UTC"),
            "dates": [dt.date(2025, 1, 1), None, dt.date(2026, 1, 1), dt.date(2027, 1, 1)],
            "nullable": pd.array([1, None, 3, 4], dtype="Int64"),
            "mixed": [1.5, "x", None, np.float64(np.nan)],
            "span": pd.to_timedelta([1, 2, None, 4], unit="D"),
        }
    )
    assert cv.table(frame) == _cells_one_by_one(frame)
    types = {type(v) for row in cv.table(frame) for v in row}
    assert types <= {str, float, int, bool, dt.date, dt.datetime, type(None)}


@given(
    st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=20),
    st.lists(st.one_of(st.none(), st.text(max_size=3)), min_size=1, max_size=20),
)
def test_table_columns_of_numbers_and_text(numbers, texts):
    n = min(len(numbers), len(texts))
    frame = pd.DataFrame({"x": np.array(numbers[:n], dtype=float), "t": pd.Series(texts[:n], dtype=object)})
    assert cv.table(frame) == _cells_one_by_one(frame)


def test_table_of_an_empty_frame_is_its_header():
    assert cv.table(pd.DataFrame({"period": [], "revenue": []})) == [["period", "revenue"]]


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_no_number_out_is_nan_or_infinite(x):
    out = cv.cell_out(np.float64(x))
    assert out == "#NUM!" if not math.isfinite(x) else out == x


def test_inputs_ranges_name_the_argument():
    with pytest.raises(
        DealDeskInputError, match=r"^inputs row 1 name refers to a cell showing the Excel error #N/A"
    ):
        cv.name_values("inputs", [["#N/A", 1]])
    with pytest.raises(DealDeskInputError, match=r"^inputs: unknown input name 'contract_valu'"):
        cv.assumptions("inputs", [["contract_valu", 38]])
    with pytest.raises(
        DealDeskInputError, match=r"^inputs: realisation must be a number > 0 and <= 1, got 95"
    ):
        cv.assumptions("inputs", [["realisation", 95]])
