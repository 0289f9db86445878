"""The DEAL functions through xlwings' Office.js protocol (xlwings Server and xlwings Lite).

Metadata and calls go through ``xlwings.server.custom_functions_meta`` and
``custom_functions_call`` — xlwings' own code — with requests shaped like the
add-in's: every argument a 2-D list, blanks ``None``, dates as serial numbers.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import math

import pytest
import xlwings
from xlwings.server import custom_functions_meta

from addin import converters as cv
from addin.errors import DealDeskExcelError
from core.schedule import contract_schedule, profile_weights, straightline_gap
from tests.addin.officejs import MODULE, call, cell, deal_functions, serial

FUNCTIONS = deal_functions()
META = {entry["id"]: entry for entry in custom_functions_meta(MODULE)["functions"]}

# AWS–OpenAI (the brief): $38B, signed 2025-11-03 = Excel serial 45964, 7 years.
# 2025-11-03 + 7 years covers 2557 days, 59 of them in calendar 2025.
START = 45964
END_2026 = 46387  # 2026-12-31: all capacity deployed (the brief)


def test_serials_of_the_reference_dates():
    # Excel: =DATE(2025,11,3) is 45964; =DATE(2026,12,31) is 46387.
    assert cv.excel_serial_to_date(START) == dt.date(2025, 11, 3)
    assert cv.excel_serial_to_date(END_2026) == dt.date(2026, 12, 31)


# --------------------------------------------------------------------------- metadata


def test_metadata_is_json_the_server_can_send():
    meta = json.loads(json.dumps(custom_functions_meta(MODULE), allow_nan=False))
    assert meta["allowErrorForDataTypeAny"] is True  # error values may be returned in cells


def test_every_function_is_in_the_metadata():
    assert set(FUNCTIONS) >= {"deal_schedule", "deal_straightline_gap", "deal_profile_weights"}
    assert set(META) == {name.upper() for name in FUNCTIONS}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_excel_name_is_the_namespaced_python_name(name):
    # DEAL.SCHEDULE on Office.js must be DEAL_SCHEDULE in classic Excel (the Python name).
    assert name.startswith("deal_")
    entry = META[name.upper()]
    assert entry["name"] == "DEAL." + name.removeprefix("deal_").upper()
    assert entry["name"].replace(".", "_") == name.upper()


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_help_text_is_real_and_fits_classic_excel(name):
    description = META[name.upper()]["description"]
    first_paragraph = description.split("\n\n")[0]
    assert not description.startswith("Python function")
    assert len(first_paragraph) > 40
    assert len(first_paragraph) <= 255  # classic Excel's function description limit
    assert "\n    " not in description  # no source indentation in the help


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_parameter_has_a_doc(name):
    function = FUNCTIONS[name]
    signature = inspect.signature(function)
    parameters = META[name.upper()]["parameters"]
    assert [p["name"] for p in parameters] == list(signature.parameters)
    for param in parameters:
        assert not param["description"].startswith("Positional argument"), param["name"]
        assert 15 <= len(param["description"]) <= 255, param["name"]  # classic cuts at 255
        assert "customEnumId" not in param  # no Literal dropdowns: they break classic calls


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_optional_arguments_default_to_blank(name):
    signature = inspect.signature(FUNCTIONS[name])
    for param in META[name.upper()]["parameters"]:
        default = signature.parameters[param["name"]].default
        if param.get("optional"):
            assert default is None, param["name"]
        else:
            assert default is inspect.Parameter.empty, param["name"]


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_argument_passes_excel_errors_as_text(name):
    for arg in FUNCTIONS[name].__xlfunc__["args"]:
        assert arg["options"].get("err_to_str") is True, arg["name"]


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_function_is_wrapped_by_the_error_translator(name):
    assert FUNCTIONS[name].__wrapped__.__name__ == name


def test_shared_args_declares_docs_and_options_below_xw_func():
    @xlwings.func(name="TOY", category="DealDesk")
    @MODULE.shared_args("value", "profile", "weights", profile="Revenue shape of the toy.")
    @MODULE.shared_args("booking", docs=MODULE.DOCS_MODEL)
    def deal_toy(value, booking=None, profile=None, weights=None):
        return value

    xlfunc = deal_toy.__xlfunc__
    assert xlfunc["excel_name"] == "TOY"  # xw.func above the shared xw.arg calls keeps its name
    assert [(a["name"], a["doc"], a["options"]) for a in xlfunc["args"]] == [
        ("value", MODULE.DOCS["value"], {"err_to_str": True, "ndim": 2}),
        ("booking", MODULE.DOCS_MODEL["booking"], {"err_to_str": True, "ndim": 2}),
        ("profile", "Revenue shape of the toy.", {"err_to_str": True, "ndim": 2}),
        ("weights", MODULE.DOCS["weights"], {"err_to_str": True, "ndim": 2}),
    ]


def test_shared_args_refuses_a_doc_for_an_argument_it_does_not_declare():
    with pytest.raises(ValueError, match=r"docs given for arguments not listed: \['profile'\]"):
        MODULE.shared_args("value", profile="Revenue shape.")


# --------------------------------------------------------------------------- DEAL.SCHEDULE


def test_schedule_straight_line_reproduces_the_brief():
    table = call("deal_schedule", cell(38), cell(START), cell(7))
    assert table[0] == ["period", "start", "end", "revenue", "cumulative"]
    # FY2025 holds 59 of the 2557 contract days: 38 × 59 / 2557 = 0.8768...
    assert table[1][0] == "FY2025"
    assert table[1][3] == pytest.approx(38 * 59 / 2557, rel=1e-12)
    # 2032 holds 2032-01-01..2032-11-02 = 307 days (a leap year).
    assert table[-1][0] == "FY2032"
    assert table[-1][3] == pytest.approx(38 * 307 / 2557, rel=1e-12)
    assert table[-1][4] == pytest.approx(38.0, rel=1e-12)
    # Dates leave as date-formatted serials: FY2025 runs 2025-01-01 (45658) .. 2025-12-31 (46022).
    assert table[1][1] == {"type": "FormattedNumber", "basicValue": 45658.0, "numberFormat": "m/d/yyyy"}
    assert serial(table[1][2]) == 46022.0


def test_schedule_with_a_delay_in_quarters():
    # Two quarters are 2 × 91.3125 = 182.625 -> 183 days, so revenue starts 2026-05-05;
    # "extend" keeps the shape's length, so FY2025 earns nothing and FY2026 earns its
    # 241 days from 2026-05-05 (27 in May + 214 from June to December).
    table = call("deal_schedule", cell(38), cell(START), cell(7), None, None, None, None, cell(2))
    rows = {row[0]: row[3] for row in table[1:]}
    assert rows["FY2025"] == 0.0
    assert rows["FY2026"] == pytest.approx(38 * 241 / 2557, rel=1e-12)
    assert table[-1][4] == pytest.approx(38.0, rel=1e-12)
    core = contract_schedule(38, "2025-11-03", 7, delay_days=183)
    assert [r[3] for r in table[1:]] == pytest.approx(core["revenue"].tolist(), rel=1e-12)


def test_schedule_matches_core_with_all_options():
    args = [
        cell(38),
        cell(START),
        cell(7),
        cell("Linear"),
        cell("quarter"),
        cell(6),
        cell(0.95),
        cell(1),
        cell("forfeit"),
        cell(END_2026),
        cell(0.2),
    ]
    table = call("deal_schedule", *args)
    core = contract_schedule(
        38,
        "2025-11-03",
        7,
        profile="linear",
        frequency="quarter",
        fiscal_year_end=6,
        realisation=0.95,
        delay_days=91,
        delay_mode="forfeit",
        full_at=dt.date(2026, 12, 31),
        initial_rate=0.2,
    )  # one quarter = 365.25 / 4 = 91.3125 -> 91 days
    assert [r[0] for r in table[1:]] == core["period"].tolist()
    assert [r[3] for r in table[1:]] == pytest.approx(core["revenue"].tolist(), rel=1e-12)
    assert [cv.excel_serial_to_date(serial(r[1])) for r in table[1:]] == core["start"].tolist()


def test_start_as_text_datetime_or_serial_gives_the_same_table():
    by_serial = call("deal_schedule", cell(38), cell(START), cell(7))
    by_text = call("deal_schedule", cell(38), cell("2025-11-03"), cell(7))
    assert by_serial == by_text


@pytest.mark.parametrize("blank", [None, cell(None), cell("")])
def test_blank_optional_arguments_take_the_core_defaults(blank):
    explicit = call(
        "deal_schedule",
        cell(38),
        cell(START),
        cell(7),
        cell("straight"),
        cell("year"),
        cell(12),
        cell(1),
        cell(0),
        cell("extend"),
    )
    blanks = call("deal_schedule", cell(38), cell(START), cell(7), *[blank] * 13)
    absent = call("deal_schedule", cell(38), cell(START), cell(7))
    assert blanks == explicit == absent


@pytest.mark.parametrize(
    "weights",
    [
        [[1], [2], [3], [4], [4], [4], [4]],  # a column
        [[1, 2, 3, 4, 4, 4, 4]],  # a row
        [[1], [2], [3], [4], [4], [4], [4], [None], [""]],  # a longer selection than filled
    ],
)
def test_custom_weights_from_a_range(weights):
    table = call(
        "deal_schedule",
        cell(38),
        cell(START),
        cell(7),
        cell("custom"),
        *[None] * 10,
        weights,
    )
    core = contract_schedule(38, "2025-11-03", 7, profile="custom", weights=[1, 2, 3, 4, 4, 4, 4])
    assert [r[3] for r in table[1:]] == pytest.approx(core["revenue"].tolist(), rel=1e-12)


def test_capacity_as_dates_and_levels():
    # 1 unit online at signing, 3 from 2026-12-31 (serial 46387).
    capacity = [[START, 1], [END_2026, 3]]
    table = call("deal_schedule", cell(38), cell(START), cell(7), cell("capacity"), *[None] * 11, capacity)
    core = contract_schedule(
        38,
        "2025-11-03",
        7,
        profile="capacity",
        capacity={dt.date(2025, 11, 3): 1.0, dt.date(2026, 12, 31): 3.0},
    )
    assert [r[3] for r in table[1:]] == pytest.approx(core["revenue"].tolist(), rel=1e-12)


def test_old_runtimes_get_plain_serial_dates():
    table = call("deal_schedule", cell(38), cell(START), cell(7), runtime="1.2")
    assert table[1][1] == 45658.0


# --------------------------------------------------------------------------- the other functions


def test_straightline_gap_equals_the_core():
    table = call(
        "deal_straightline_gap",
        cell(38),
        cell(START),
        cell(7),
        cell("linear"),
        *[None] * 5,
        cell(END_2026),
        *[None] * 6,
        cell(107.6),
    )
    core = straightline_gap(38, "2025-11-03", 7, full_at=dt.date(2026, 12, 31), base_revenue=107.6)
    assert table[0] == list(core.columns)
    assert [r[5] for r in table[1:]] == pytest.approx(core["gap"].tolist(), rel=1e-12, abs=1e-12)
    assert table[1][5] > 0  # the straight line overstates FY2025
    assert sum(r[5] for r in table[1:]) == pytest.approx(0.0, abs=1e-9)


def test_profile_weights_equals_the_core():
    table = call("deal_profile_weights", cell(START), cell(7))
    core = profile_weights("2025-11-03", 7)
    assert table[0] == ["contract_year", "start", "end", "share"]
    assert [r[3] for r in table[1:]] == pytest.approx(core["share"].tolist(), rel=1e-12)
    # Contract year 4 (2028-11-03..2029-11-02) holds 365 of 2557 days.
    assert table[4][3] == pytest.approx(365 / 2557, rel=1e-12)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((cell(-1), cell(START), cell(7)), r"^DEAL\.SCHEDULE: value must be a number >= 0, got -1"),
        ((cell(38), cell(START), cell(0)), r"^DEAL\.SCHEDULE: term_years must be a number > 0"),
        (
            (cell(38), cell("soon"), cell(7)),
            r"^DEAL\.SCHEDULE: start must be a date \(an Excel date.*got the text 'soon'",
        ),
        ((cell(True), cell(START), cell(7)), r"^DEAL\.SCHEDULE: value must be a number, got TRUE"),
        ((cell("38"), cell(START), cell(7)), r"value must be a number, got the text '38'"),
        ((cell(None), cell(START), cell(7)), r"value is required"),
        (
            (cell(38), cell(START), cell(7), cell("zigzag")),
            r"profile must be one of 'straight', 'linear', 'scurve'.*got 'zigzag'",
        ),
        (
            (cell(38), cell(START), cell(7), None, cell("weekly")),
            r"frequency must be one of 'month', 'quarter', 'year'",
        ),
        (
            (cell(38), cell(START), cell(7), None, None, None, cell(95)),
            r"realisation must be a fraction between 0 and 1",
        ),
        (
            (cell(38), cell(START), cell(7), None, None, None, None, cell(-1)),
            r"delay_quarters must be a number >= 0 and <= 100, got -1",
        ),
        ((cell(38), cell(START), cell(7), cell("linear")), r"profile 'linear' needs full_at"),
        (
            (cell(38), cell(START), cell(7), None, None, None, None, None, None, cell(END_2026)),
            r"profile 'straight' does not take full_at",
        ),
        (
            (cell(38), cell(START), cell(7), cell("custom"), *[None] * 10, [[0]] * 7),
            r"weights must be non-negative numbers with a positive sum",
        ),
        (
            (cell(38), cell(START), cell(7), cell("custom"), *[None] * 10, [[1, 2], [3, 4]]),
            r"weights must be a single row or column",
        ),
        (
            (cell(38), cell(START), cell(7), cell("custom"), *[None] * 10, [[1], [None], [2]]),
            r"weights has a blank cell at position 2",
        ),
        ((cell(38), cell("#N/A"), cell(7)), r"start refers to a cell showing the Excel error #N/A"),
        ((cell(38), [[START, START]], cell(7)), r"start must be a single cell, got a range of 1 x 2 cells"),
        ((cell(38), cell(60), cell(7)), r"start must be a date serial number from 1 to 2958465 \(not 60"),
    ],
)
def test_bad_input_names_the_argument(args, message):
    with pytest.raises(DealDeskExcelError, match=message) as raised:
        call("deal_schedule", *args)
    # xlwings Server shows str() of an XlwingsError verbatim (other exceptions only as
    # "An error occurred."); xlwings Lite shows str() of any exception.
    assert isinstance(raised.value, xlwings.XlwingsError)
    assert "\n" not in str(raised.value)


def test_excel_error_values_in_cells_are_named_not_taken_as_blanks():
    # Office.js sends an error cell as a typed value; with err_to_str it arrives as "#DIV/0!".
    error_cell = [[{"type": "Error", "basicValue": "#DIV/0!", "errorType": "Div0"}]]
    with pytest.raises(
        DealDeskExcelError, match=r"realisation refers to a cell showing the Excel error #DIV/0!"
    ):
        call("deal_schedule", cell(38), cell(START), cell(7), None, None, None, error_cell)


def test_the_other_functions_name_themselves_in_messages():
    with pytest.raises(DealDeskExcelError, match=r"^DEAL\.PROFILE_WEIGHTS: term_years must be a number > 0"):
        call("deal_profile_weights", cell(START), cell(-7))
    with pytest.raises(
        DealDeskExcelError, match=r"^DEAL\.STRAIGHTLINE_GAP: base_revenue must be a number > 0"
    ):
        call("deal_straightline_gap", cell(38), cell(START), cell(7), cell("straight"), *[None] * 12, cell(0))


def test_results_hold_no_nan_or_infinity():
    table = call("deal_schedule", cell(38), cell(START), cell(7), cell("scurve"), cell("month"))
    numbers = [v for row in table[1:] for v in row if isinstance(v, float)]
    assert numbers and all(math.isfinite(v) for v in numbers)


# --------------------------------------------------------------------------- found by fuzzing
# Each became a message naming the argument.


def test_scurve_midpoint_far_outside_the_term_is_refused():
    # midpoint 9999-12-31 (serial 2958465) on a 2025-11-03 contract (allowed: one term of
    # 2557 days either side, 2018-11-03 .. 2039-11-04); further out the logistic's
    # normaliser would underflow to 0 and every period show #NUM!.
    with pytest.raises(
        DealDeskExcelError, match=r"midpoint must be a date between 2018-11-03 and 2039-11-04"
    ):
        call("deal_schedule", cell(38), cell(START), cell(7), cell("scurve"), *[None] * 7, cell(2_958_465))


def test_start_date_beyond_the_model_calendar_is_refused():
    with pytest.raises(
        DealDeskExcelError, match=r"^DEAL\.SCHEDULE: start must be a date between 1900-01-01 and 2199-12-31"
    ):
        call("deal_schedule", cell(38), cell(2_958_465), cell(7))
