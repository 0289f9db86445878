"""Every rule of the company library (core.companies), one bad row each, on a library of three rows.

Each rule is checked at its edge (the last good value and the first bad one) and its refusal is
the one-line message naming the company, the field, the column and the rule.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from core.companies import COMPANY_COLUMNS, company_library, load_companies
from core.validation import DealDeskInputError

#: A small valid library: a fiscal year-end (undated), a backlog with its release date, a revenue
#: with its reported date left to the rule.
ROWS = [
    ("Acme", "fiscal_year_end", "5", "month", "–", "", "", "", "Acme 10-K", "high", "", ""),
    (
        "Acme",
        "backlog",
        "138",
        "US$ bn",
        "May-25",
        "2025-05-31",
        "2025-06-11",
        "",
        "Acme release",
        "high",
        "",
        "",
    ),
    (
        "Acme",
        "revenue",
        "57.4",
        "US$ bn",
        "FY2025",
        "2025-05-31",
        "",
        "",
        "Acme 10-K",
        "medium",
        "derived",
        "x",
    ),
]


def _library(*changes: tuple[int, str, str]) -> pd.DataFrame:
    table = pd.DataFrame(ROWS, columns=list(COMPANY_COLUMNS))
    for row, column, value in changes:
        table.loc[row, column] = value
    return table


def _refused(message: str, *changes: tuple[int, str, str]) -> None:
    with pytest.raises(DealDeskInputError, match=message):
        load_companies(_library(*changes))


def test_the_small_library_loads_with_its_types():
    table = load_companies(_library())
    assert table["value"].tolist() == [5.0, 138.0, 57.4]
    assert table["as_of"].tolist() == [None, dt.date(2025, 5, 31), dt.date(2025, 5, 31)]
    # backlog: its own date; revenue: blank, so the fiscal year's end + 60 days (2025-07-30).
    assert table["reported"].tolist() == [None, dt.date(2025, 6, 11), dt.date(2025, 7, 30)]


def test_missing_columns_are_listed_and_a_library_without_reported_dates_follows_the_rule():
    with pytest.raises(
        DealDeskInputError, match=r"company library must have the columns .*; missing unit, note$"
    ):
        load_companies(_library().drop(columns=["unit", "note"]))
    old = load_companies(_library().drop(columns=["reported"]))
    # Without the column, the backlog's date is the rule's too: quarter-end + 40 days.
    assert old["reported"].tolist() == [None, dt.date(2025, 7, 10), dt.date(2025, 7, 30)]


def test_an_empty_library_and_a_blank_company_are_refused():
    with pytest.raises(
        DealDeskInputError, match=r"^company library must hold at least one figure, got none$"
    ):
        load_companies(_library().iloc[:0])
    _refused(r"^company library: company must be a non-empty name, got '' on row 2$", (1, "company", "  "))


def test_cells_are_read_without_their_surrounding_spaces():
    table = load_companies(_library((1, "company", " Acme "), (1, "value", " 138 "), (1, "unit", "US$ bn ")))
    assert table.loc[1, ["company", "value", "unit"]].tolist() == ["Acme", 138.0, "US$ bn"]


def test_field_and_unit():
    _refused(
        r"^company 'Acme', field 'ebitda': field must be one of fiscal_year_end, revenue, .*got 'ebitda'$",
        (1, "field", "ebitda"),
    )
    _refused(
        r"^company 'Acme', field 'backlog': unit must be 'US\$ bn' for this field, got 'month'$",
        (1, "unit", "month"),
    )
    _refused(
        r"^company 'Acme', field 'fiscal_year_end': unit must be 'month' for this field, got 'months'$",
        (0, "unit", "months"),
    )


def test_confidence_and_flags():
    _refused(
        r"^company 'Acme', field 'backlog': confidence must be one of 'high', 'medium', 'low', "
        r"'not found', got 'High'$",
        (1, "confidence", "High"),
    )
    _refused(
        r"^company 'Acme', field 'revenue': flags must be blank or a '; '-separated list of "
        r"conflict, unconfirmed, derived, got 'derived; rumour'$",
        (2, "flags", "derived; rumour"),
    )
    table = load_companies(_library((2, "flags", "conflict; unconfirmed;derived")))
    assert table.loc[2, "flags"] == "conflict; unconfirmed;derived"


@pytest.mark.parametrize(
    ("row", "good", "bad", "rule"),
    [
        (0, ["1", "12"], ["0", "13", "6.5", "nan"], r"a whole number in \[1, 12\]"),
        (1, ["0", "1e6"], ["-0.001", "inf", "nan"], r"a number in \[0, inf\]"),
    ],
)
def test_values_at_and_beyond_their_fields_range(row, good, bad, rule):
    field = ROWS[row][1]
    for value in good:
        assert load_companies(_library((row, "value", value)))["value"][row] == float(value)
    for value in bad:
        _refused(
            rf"^company 'Acme', field '{field}': value must be {rule}, got '{value}'$", (row, "value", value)
        )


def test_a_margin_is_a_fraction_between_minus_one_and_one():
    margin = (1, "field", "operating_margin"), (1, "unit", "fraction")
    for value in ("-1", "1"):
        load_companies(_library(*margin, (1, "value", value)))
    for value in ("-1.01", "1.01", "37"):
        _refused(rf"value must be a number in \[-1, 1\], got '{value}'$", *margin, (1, "value", value))


def test_a_value_is_a_number_unless_not_found_and_blank_when_not_found():
    _refused(
        r"^company 'Acme', field 'backlog': value must be a number \(blank only when confidence is "
        r"'not found'\), got '\$138B'$",
        (1, "value", "$138B"),
    )
    _refused(
        r"value must be a number \(blank only when confidence is 'not found'\), got ''$", (1, "value", "")
    )
    _refused(
        r"^company 'Acme', field 'backlog': value must be blank when confidence is 'not found', got '138'$",
        (1, "confidence", "not found"),
    )
    # Not found: blank value (NaN), no date, no source needed, never public.
    table = load_companies(
        _library(
            (1, "confidence", "not found"),
            (1, "value", ""),
            (1, "as_of", ""),
            (1, "reported", ""),
            (1, "source", ""),
        )
    )
    assert (
        pd.isna(table.loc[1, "value"]) and table.loc[1, "as_of"] is None and table.loc[1, "reported"] is None
    )


def test_as_of_is_required_except_for_the_year_end_and_must_be_iso():
    _refused(
        r"^company 'Acme', field 'backlog': as_of must be the ISO date the figure describes, such as "
        r"2025-05-31, got ''$",
        (1, "as_of", ""),
    )
    _refused(
        r"^company 'Acme', field 'backlog': as_of must be an ISO date such as 2025-05-31 or blank, "
        r"got '31/05/2025'$",
        (1, "as_of", "31/05/2025"),
    )
    dated = load_companies(_library((0, "as_of", "2025-05-31"), (0, "reported", "2025-06-20")))
    assert dated["as_of"][0] == dt.date(2025, 5, 31)


def test_reported_is_iso_and_a_forward_looking_figure_must_give_it():
    _refused(
        r"^company 'Acme', field 'backlog': reported must be an ISO date such as 2025-06-11 or blank, "
        r"got 'June 2025'$",
        (1, "reported", "June 2025"),
    )
    target = (1, "field", "revenue_target"), (1, "reported", "")
    _refused(
        r"^company 'Acme', field 'revenue_target': reported must be the day the figure was published \(its "
        r"source's date; a forward-looking figure or a run-rate has no reporting lag\), got ''$",
        *target,
    )
    table = load_companies(_library((1, "field", "revenue_target"), (1, "reported", "2025-01-02")))
    assert table["reported"][1] == dt.date(2025, 1, 2)


@pytest.mark.parametrize(
    ("field", "unit", "days"),
    [
        ("revenue", "US$ bn", 60),
        ("quarter_revenue", "US$ bn", 40),
        ("backlog", "US$ bn", 40),
        ("capex", "US$ bn", 60),
        ("quarter_capex", "US$ bn", 40),
        ("close", "US$ per share", 0),
        ("funding_raised", "US$ bn", 0),
        ("private_valuation", "US$ bn", 0),
        ("shares", "bn shares", 0),
        ("announcement_move", "fraction", 0),
        ("server_life_years", "years", 0),
        ("operating_margin", "fraction", 60),
        ("segment_operating_margin", "fraction", 60),
        ("quarter_operating_margin", "fraction", 40),
        ("interim_operating_margin", "fraction", 40),
        ("quarter_adjusted_operating_margin", "fraction", 40),
    ],
)
def test_a_blank_reported_date_is_as_of_plus_the_fields_lag(field, unit, days):
    # as_of 2025-05-31: + 60 days = 2025-07-30, + 40 = 2025-07-10, + 0 = the day itself.
    expected = {60: dt.date(2025, 7, 30), 40: dt.date(2025, 7, 10), 0: dt.date(2025, 5, 31)}[days]
    changes = (1, "field", field), (1, "unit", unit), (1, "reported", ""), (1, "value", "0.5")
    table = load_companies(_library(*changes).iloc[:2])
    assert table["reported"][1] == expected


def test_a_figure_needs_a_source_unless_not_found():
    for blank in ("", "–"):
        _refused(
            rf"^company 'Acme', field 'backlog': source must be the outlet and date the figure comes from, "
            rf"got '{blank}'$",
            (1, "source", blank),
        )


def test_a_repeat_is_the_same_company_any_case_field_as_of_deals_and_public_day():
    repeat = pd.concat(
        [_library(), _library().iloc[[1]].assign(company="ACME", value="139")], ignore_index=True
    )
    with pytest.raises(
        DealDeskInputError,
        match=r"^company 'ACME', field 'backlog': the row must be unique \(company, field, as_of, reported, deals\), "
        r"got 'a repeat'$",
    ):
        load_companies(repeat)
    # A blank reported date that the rule makes the same day as a stated one is a repeat too.
    same_day = _library().iloc[[2]].assign(reported="2025-07-30")
    with pytest.raises(DealDeskInputError, match=r"field 'revenue': the row must be unique"):
        load_companies(pd.concat([_library(), same_day], ignore_index=True))
    # Another day, other deals or another date: not repeats.
    for column, value in (("reported", "2025-07-31"), ("deals", "Acme–X"), ("as_of", "2024-05-31")):
        load_companies(
            pd.concat([_library(), _library().iloc[[2]].assign(**{column: value})], ignore_index=True)
        )


def test_a_view_as_of_a_day_sees_what_was_reported_on_or_before_it():
    acme = company_library(_library()).get("acme")
    assert [f.value for f in acme.values("revenue", as_of=dt.date(2025, 7, 29))] == []
    assert [f.value for f in acme.values("revenue", as_of=dt.date(2025, 7, 30))] == [57.4]
    # latest(before=...) is strictly before the figure's own date.
    assert acme.latest("backlog", before=dt.date(2025, 5, 31)) is None
    assert acme.latest("backlog", before=dt.date(2025, 6, 1)).value == 138.0


def test_figures_are_ordered_by_the_date_they_describe_then_the_day_they_were_public():
    # Two backlogs published the same day, listed newest first: May-25 (138) comes before Aug-25 (455),
    # and the latest is Aug-25's. A restated May-25 figure published later (listed before the first
    # one) sorts after it.
    def row(value, period, as_of, reported, source):
        return ("Acme", "backlog", value, "US$ bn", period, as_of, reported, "", source, "high", "", "")

    rows = [
        row("455", "Aug-25", "2025-08-31", "2025-09-09", "release"),
        row("139", "May-25", "2025-05-31", "2025-10-01", "restated"),
        row("138", "May-25", "2025-05-31", "2025-09-09", "release"),
    ]
    acme = company_library(pd.DataFrame(rows, columns=list(COMPANY_COLUMNS))).get("Acme")
    assert [f.value for f in acme.values("backlog")] == [138.0, 139.0, 455.0]
    assert acme.latest("backlog").value == 455.0
    assert [f.value for f in acme.values("backlog", as_of=dt.date(2025, 9, 30))] == [138.0, 455.0]
