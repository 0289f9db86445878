"""Edge rules of the shared checks: full ISO dates, terms of a month, subnormal numbers, limits."""

from __future__ import annotations

import datetime as dt
import re
import sys

import pytest

from core.validation import (
    MAX_DRAWS,
    DealDeskInputError,
    as_date,
    check_choice,
    check_date_range,
    check_draws,
    check_number,
    check_term_years,
    check_text,
    check_weights,
    limit,
)

DATE_RULE = r"^start must be a date \(a date object or an ISO string such as '2025-11-03'\), got "


@pytest.mark.parametrize("text", ["2025-11-03", " 2025-11-03 ", "2025-11-03\n"])
def test_a_full_iso_date_is_accepted(text: str) -> None:
    assert as_date("start", text) == dt.date(2025, 11, 3)


@pytest.mark.parametrize(
    "text",
    [
        "2025-11-03 garbage",
        "20251103",
        "2025-W45-1",
        "2025-11-03T00:00",
        "2025-11-3",
        "2025-13-01",
        "+2025-11-03",
    ],
)
def test_anything_but_a_full_iso_date_is_refused(text: str) -> None:
    with pytest.raises(DealDeskInputError, match=DATE_RULE):
        as_date("start", text)


def test_one_month_is_the_shortest_term() -> None:
    assert check_term_years("term_years", 1 / 12) == pytest.approx(1 / 12)
    for short in (1e-9, 1 / 24, 1 / 12 - 1e-3):
        with pytest.raises(DealDeskInputError, match=r"^term_years must be a whole number of months"):
            check_term_years("term_years", short)


@pytest.mark.parametrize("tiny", [5e-324, -5e-324, 1e-310, sys.float_info.min / 2])
def test_a_subnormal_number_counts_as_zero(tiny: float) -> None:
    assert check_number("x", tiny) == 0.0
    with pytest.raises(DealDeskInputError, match=rf"^x must be a number > 0, got {tiny!r}$"):
        check_number("x", tiny, minimum=0, strict_min=True)


def test_the_smallest_normal_number_is_kept() -> None:
    assert check_number("x", sys.float_info.min) == sys.float_info.min


def test_huge_weights_are_proportions() -> None:
    # 7 x 1e308 overflows a sum; only the proportions matter.
    assert check_weights("weights", [1e308, 1e308, 5e307]).tolist() == [1.0, 1.0, 0.5]
    assert check_weights("weights", [1, 2, 1]).tolist() == [1.0, 2.0, 1.0]


def test_dates_out_of_range() -> None:
    first, last = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
    assert check_date_range("as_of", last, first, last) == last
    assert check_date_range("as_of", first, first, last) == first
    with pytest.raises(
        DealDeskInputError, match=r"^as_of must be a date between 1900-01-01 and 2199-12-31, got 2200-01-01$"
    ):
        check_date_range("as_of", dt.date(2200, 1, 1), first, last)


@pytest.mark.parametrize("text", ["AWS–OpenAI", "tab\there", "two\nlines", "cr\rlf"])
def test_text_a_workbook_can_hold(text: str) -> None:
    assert check_text("deal_name", text) == text


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("\ud800", "U+D800 at position 1"),
        ("ab\udfff", "U+DFFF at position 3"),
        ("a\x00", "U+0000"),
        ("\x1f", "U+001F"),
    ],
)
def test_text_no_workbook_can_hold(text: str, found: str) -> None:
    with pytest.raises(
        DealDeskInputError,
        match=rf"^deal_name must be text without control characters .*got {re.escape(found)}",
    ):
        check_text("deal_name", text)


def test_draws_limit_and_its_override(monkeypatch: pytest.MonkeyPatch) -> None:
    assert check_draws("draws", MAX_DRAWS) == MAX_DRAWS
    with pytest.raises(DealDeskInputError, match=r"^draws must be at most 2,000,000 \(MAX_DRAWS"):
        check_draws("draws", MAX_DRAWS + 1)
    with pytest.raises(DealDeskInputError, match=r"^draws must be a number >= 1"):
        check_draws("draws", 0)
    monkeypatch.setenv("DEALDESK_MAX_DRAWS", "10_000_000")
    assert check_draws("draws", MAX_DRAWS + 1) == MAX_DRAWS + 1


@pytest.mark.parametrize(
    ("raw", "expected"), [("5", 5), ("1,000", 1000), ("0", 7), ("-3", 7), ("lots", 7), ("", 7)]
)
def test_limit_override_takes_whole_numbers_only(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: int
) -> None:
    monkeypatch.setenv("DEALDESK_MAX_THINGS", raw)
    assert limit("MAX_THINGS", 7) == expected


def test_a_long_bad_value_is_shown_whole_up_to_sixty_characters():
    # The message quotes the bad value's repr; up to 60 characters it is shown whole, a longer
    # one is cut to its first 57 and "...".
    whole = "x" * 58  # repr: 58 + 2 quotes = 60 characters
    with pytest.raises(DealDeskInputError, match=rf"^frequency must be one of 'month'; got '{whole}'$"):
        check_choice("frequency", whole, ("month",))
    cut = "x" * 59  # repr: 61 characters
    with pytest.raises(
        DealDeskInputError, match=rf"^frequency must be one of 'month'; got '{'x' * 56}\.\.\.$"
    ):
        check_choice("frequency", cut, ("month",))
