"""Input rules shared by every core function: each rule at its boundary, and the message it gives."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from core.validation import (
    DealDeskInputError,
    as_date,
    check_choice,
    check_finite,
    check_fraction,
    check_number,
    check_numbers,
    check_quantity,
    check_term_years,
    check_weights,
    check_year,
)

# --------------------------------------------------------------------------- check_number


def test_an_inclusive_minimum_accepts_the_bound_and_a_strict_one_refuses_it():
    assert check_number("x", 0, minimum=0) == 0.0
    with pytest.raises(DealDeskInputError, match=r"^x must be a number > 0, got 0$"):
        check_number("x", 0, minimum=0, strict_min=True)
    assert check_number("x", 1e-300, minimum=0, strict_min=True) == 1e-300
    with pytest.raises(DealDeskInputError, match=r"^x must be a number >= 0, got -1e-300$"):
        check_number("x", -1e-300, minimum=0)


def test_the_maximum_is_inclusive_and_both_bounds_are_named():
    assert check_number("ratio", 5, minimum=1, maximum=5) == 5.0
    with pytest.raises(DealDeskInputError, match=r"^ratio must be a number >= 1 and <= 5, got 5.000001$"):
        check_number("ratio", 5.000001, minimum=1, maximum=5)
    with pytest.raises(DealDeskInputError, match=r"^ratio must be a number <= 5, got 6$"):
        check_number("ratio", 6, maximum=5)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, r"^x must be a number, got True$"),
        ("7", r"^x must be a number, got '7'$"),
        (None, r"^x must be a number, got None$"),
        (math.nan, r"^x must be a finite number, got nan$"),
        (math.inf, r"^x must be a finite number, got inf$"),
    ],
)
def test_non_numbers_are_refused_with_the_value(value, message):
    with pytest.raises(DealDeskInputError, match=message):
        check_number("x", value)


def test_whole_numbers_and_numpy_scalars():
    assert check_number("n", np.int64(3), integer=True) == 3.0
    assert check_number("n", np.float32(2.5)) == 2.5
    with pytest.raises(DealDeskInputError, match=r"^n must be a whole number, got 2.5$"):
        check_number("n", 2.5, integer=True)


def test_a_long_value_is_cut_to_60_characters_in_the_message():
    # repr of "a" * 100 is 102 characters: the message shows its first 57 and "...".
    with pytest.raises(DealDeskInputError) as info:
        check_number("x", "a" * 100)
    assert str(info.value) == "x must be a number, got '" + "a" * 56 + "..."


# --------------------------------------------------------------------------- fractions, choices, dates


def test_fraction_bounds_0_and_1_are_inclusive_unless_zero_is_excluded():
    assert check_fraction("u", 0) == 0.0
    assert check_fraction("u", 1) == 1.0
    with pytest.raises(
        DealDeskInputError, match=r"^u must be a fraction between 0 and 1 \(0.95 for 95%\), got 1.0001$"
    ):
        check_fraction("u", 1.0001)
    with pytest.raises(DealDeskInputError, match=r"^u must be a fraction between above 0 and 1"):
        check_fraction("u", 0, allow_zero=False)
    assert check_fraction("u", 1e-9, allow_zero=False) == 1e-9


def test_choices_ignore_case_and_spaces_and_list_the_options():
    assert check_choice("mode", "  EXTEND ", ("extend", "compress")) == "extend"
    with pytest.raises(DealDeskInputError, match=r"^mode must be one of 'extend', 'compress'; got 3$"):
        check_choice("mode", 3, ("extend", "compress"))


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2025, 11, 3),
        dt.datetime(2025, 11, 3, 18, 30),
        pd.Timestamp("2025-11-03 23:59"),
        np.datetime64("2025-11-03"),
        "2025-11-03",
        " 2025-11-03 ",  # surrounding spaces are trimmed; date text is otherwise exactly YYYY-MM-DD
    ],
)
def test_dates_in_every_accepted_form_are_the_same_day(value):
    assert as_date("start", value) == dt.date(2025, 11, 3)


def test_missing_and_impossible_dates_are_refused():
    with pytest.raises(DealDeskInputError, match=r"^start must be a date, got NaT$"):
        as_date("start", pd.NaT)
    with pytest.raises(DealDeskInputError, match=r"^start must be a date, got NaT$"):
        as_date("start", np.datetime64("NaT"))
    with pytest.raises(DealDeskInputError, match=r"start must be a date .*got '2025-02-30'"):
        as_date("start", "2025-02-30")
    with pytest.raises(DealDeskInputError, match=r"start must be a date .*got 45964"):
        as_date("start", 45964)


# --------------------------------------------------------------------------- quantities, terms, weights


def test_quantities_keep_their_shape_and_refuse_negatives():
    assert check_quantity("gpus", 0) == 0.0
    s = check_quantity("gpus", pd.Series([1, 2], index=["a", "b"]))
    assert s.dtype == float and s.index.tolist() == ["a", "b"]
    with pytest.raises(
        DealDeskInputError, match=r"^gpus must hold finite numbers >= 0, got \[.*1.0\)?, .*nan\)?\]$"
    ):
        check_quantity("gpus", [1, math.nan])


def test_terms_are_whole_months_up_to_100_years():
    # 1/12 of a year is one month; 100 years is the maximum; 7.1 years is 85.2 months.
    assert check_term_years("t", 1 / 12) == pytest.approx(1 / 12)
    assert check_term_years("t", 100) == 100.0
    with pytest.raises(DealDeskInputError, match=r"^t must be a number > 0 and <= 100, got 100.5$"):
        check_term_years("t", 100.5)
    with pytest.raises(DealDeskInputError, match=r"^t must be a whole number of months"):
        check_term_years("t", 7.1)


def test_weights_need_a_positive_sum_and_the_right_length():
    assert check_weights("w", [0, 1]).tolist() == [0.0, 1.0]
    with pytest.raises(DealDeskInputError, match=r"^w must be a list of numbers, got '1,2'$"):
        check_weights("w", "1,2")
    with pytest.raises(DealDeskInputError, match=r"^w must be a non-empty list of numbers, got \[\]$"):
        check_weights("w", [])
    with pytest.raises(DealDeskInputError, match=r"^w must be non-negative numbers with a positive sum"):
        check_weights("w", [1, -0.5])
    with pytest.raises(DealDeskInputError, match=r"^w must have 3 values \(one per contract year\), got 2$"):
        check_weights("w", [1, 1], length=3)


# --------------------------------------------------------------------------- check_numbers, finite, year


def test_check_numbers_bounds_are_strict_above_and_inclusive_at_least():
    checked, restore = check_numbers(
        {"price": 1.0, "move": 0.0}, above={"price": 0.0}, at_least={"move": 0.0}
    )
    assert checked == {"price": 1.0, "move": 0.0}
    assert restore(2.5) == 2.5 and isinstance(restore(2.5), float)
    with pytest.raises(DealDeskInputError, match=r"^price must be a number > 0, got 0$"):
        check_numbers({"price": 0}, above={"price": 0.0})
    with pytest.raises(DealDeskInputError, match=r"^move must be numbers >= 0, got \[0.0, -0.1\]$"):
        check_numbers({"move": [0.0, -0.1]}, at_least={"move": 0.0})


def test_check_numbers_restores_the_pandas_index():
    idx = pd.Index(["AMZN", "MSFT"])
    checked, restore = check_numbers({"price": pd.Series([10.0, 20.0], index=idx), "move": 0.1})
    out = restore(checked["price"] * (1 + checked["move"]))
    assert out.index.equals(idx)
    assert out.tolist() == pytest.approx([11.0, 22.0])
    with pytest.raises(
        DealDeskInputError, match=r"^move must have the same index as the other pandas inputs$"
    ):
        check_numbers({"price": pd.Series([1.0], index=["a"]), "move": pd.Series([1.0], index=["b"])})
    with pytest.raises(DealDeskInputError, match=r"^price must be finite numbers, got \[1.0, inf\]$"):
        check_numbers({"price": [1.0, math.inf]})


def test_check_finite_names_the_inputs_behind_an_overflow():
    check_finite("a and b", [1e308, -1e308])
    with pytest.raises(DealDeskInputError, match=r"^a and b are too extreme"):
        check_finite("a and b", [math.nan])


def test_years_run_from_1900_to_2200_inclusive():
    assert check_year("y", 1900) == 1900 and check_year("y", 2200) == 2200
    with pytest.raises(DealDeskInputError, match=r"^y must be a number >= 1900 and <= 2200, got 1899$"):
        check_year("y", 1899)
    with pytest.raises(DealDeskInputError, match=r"^y must be a whole number, got 2025.5$"):
        check_year("y", 2025.5)
