"""Company library: each provider's and customer's public figures, carried without invention."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from core.companies import (
    COMPANY_COLUMNS,
    FIELDS,
    company,
    company_figures,
    company_library,
    company_name,
    load_companies,
)
from core.deals import load_deals
from core.validation import DealDeskInputError


@pytest.fixture(scope="module")
def companies() -> pd.DataFrame:
    return load_companies()


def _value(companies: pd.DataFrame, name: str, field: str, as_of: str) -> float:
    rows = companies[
        (companies["company"] == name)
        & (companies["field"] == field)
        & (companies["as_of"] == dt.date.fromisoformat(as_of))
    ]
    assert len(rows) == 1, (name, field, as_of)
    return float(rows["value"].iloc[0])


def test_every_provider_and_customer_of_the_deal_library_is_in_it():
    deals = load_deals()
    compute = deals[deals["kind"] == "cloud compute"]
    library = company_library()
    for name in set(compute["provider"]) | set(compute["customer"]):
        assert library.find(name) is not None, name
    assert library.names == [
        "Amazon",
        "Microsoft",
        "Oracle",
        "Alphabet",
        "CoreWeave",
        "Nebius",
        "IREN",
        "Nscale",
        "OpenAI",
        "Anthropic",
        "Meta",
    ]


# Figures from COMPANY_FACTS.md and FACTS.md, written here as the documents give them.
@pytest.mark.parametrize(
    ("name", "field", "as_of", "value"),
    [
        ("Amazon", "segment_revenue", "2024-12-31", 107.6),  # AWS 2024 (FACTS)
        ("Amazon", "segment_operating_margin", "2024-12-31", 0.370),  # AWS 2024 37.0%
        ("Amazon", "backlog", "2025-09-30", 200.0),  # excluding October deals
        ("Amazon", "close", "2025-10-31", 244.22),
        ("Microsoft", "segment_revenue", "2025-06-30", 106.265),  # Intelligent Cloud FY25
        ("Microsoft", "segment_operating_margin", "2025-06-30", round(44.589 / 106.265, 3)),
        ("Microsoft", "backlog", "2025-09-30", 392.0),  # commercial RPO Sep-25
        ("Microsoft", "close", "2025-10-27", 531.52),
        ("Oracle", "revenue", "2025-05-31", 57.4),
        ("Oracle", "operating_margin", "2025-05-31", 0.31),
        ("Oracle", "backlog", "2025-05-31", 138.0),
        ("Oracle", "backlog", "2025-08-31", 455.0),
        ("Alphabet", "segment_operating_margin", "2024-12-31", round(6.112 / 43.229, 3)),
        ("CoreWeave", "backlog", "2025-06-30", 30.1),
        ("Nebius", "close", "2025-09-08", 64.0),
        ("IREN", "close", "2025-10-31", 60.75),
        ("OpenAI", "revenue", "2024-12-31", 3.7),  # not the article's $3.5B
        ("Meta", "revenue", "2024-12-31", 164.50),
    ],
)
def test_figures_match_the_company_facts(companies, name, field, as_of, value):
    assert _value(companies, name, field, as_of) == pytest.approx(value)


@pytest.mark.parametrize(
    ("name", "month"), [("Amazon", 12), ("Microsoft", 6), ("Oracle", 5), ("IREN", 6), ("Nebius", 12)]
)
def test_fiscal_year_ends(name, month):
    assert company_figures(name, "fiscal_year_end") == month


def test_conflict_unconfirmed_and_derived_words_are_kept(companies):
    flagged = companies.set_index(["company", "field", "as_of"])["flags"]
    assert "conflict" in flagged.loc[("Nebius", "revenue", dt.date(2024, 12, 31))]
    assert "derived" in flagged.loc[("Nebius", "revenue", dt.date(2024, 12, 31))]
    assert "conflict" in flagged.loc[("IREN", "announcement_move", dt.date(2025, 11, 3))]
    assert "conflict" in flagged.loc[("Alphabet", "backlog", dt.date(2025, 12, 31))]
    assert "unconfirmed" in flagged.loc[("Microsoft", "capex_2026", dt.date(2026, 6, 30))]
    # Every derived figure shows its arithmetic or the figures it comes from in the note.
    derived = companies[companies["flags"].str.contains("derived")]
    assert (derived["note"] != "").all()


def test_figures_not_found_are_blank_and_say_so(companies):
    missing = companies[companies["confidence"] == "not found"]
    assert missing["value"].isna().all()
    assert (missing["note"] != "").all()
    assert {("Nscale", "revenue"), ("Nebius", "backlog"), ("IREN", "server_life_years")} <= set(
        zip(missing["company"], missing["field"], strict=True)
    )
    assert companies.loc[companies["confidence"] != "not found", "value"].notna().all()


def test_every_figure_names_its_source_and_unit(companies):
    found = companies[companies["confidence"] != "not found"]
    assert (found["source"] != "").all() and (found["source"] != "–").all()
    assert (companies["unit"] == companies["field"].map(lambda f: FIELDS[f][0])).all()
    dated = found[found["field"] != "fiscal_year_end"]
    assert all(isinstance(d, dt.date) for d in dated["as_of"])


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Amazon (AWS)", "Amazon"),
        ("AWS", "Amazon"),
        ("  amazon ", "Amazon"),
        ("Microsoft (Azure)", "Microsoft"),
        ("Google Cloud", "Alphabet"),
        ("Google", "Alphabet"),
        ("iren", "IREN"),
        ("Meta Platforms", "Meta"),
    ],
)
def test_names_are_matched_loosely(written, name):
    assert company_name(written) == name


def test_an_unknown_company_lists_the_library():
    with pytest.raises(
        DealDeskInputError, match=r"^company must be one of 'Amazon', .*'Meta'; got 'Nvidia'$"
    ):
        company("Nvidia")
    with pytest.raises(DealDeskInputError, match=r"^company must be a company name such as 'Oracle', got 3$"):
        company(3)


def test_latest_looks_before_a_date_and_skips_backlogs_that_hold_the_deal():
    oracle = company("Oracle")
    assert oracle.latest("backlog").value == 638.0  # May-26
    assert oracle.latest("backlog", before=dt.date(2025, 9, 10)).value == 455.0  # Aug-25, holds the deal
    assert oracle.latest("backlog", before=dt.date(2025, 9, 10), excluding="Oracle–OpenAI").value == 138.0
    assert oracle.latest("backlog", before=dt.date(2025, 5, 31)) is None  # strictly before
    assert company("CoreWeave").for_deal("announcement_move", "Meta–CoreWeave").value == 0.12
    assert company("CoreWeave").for_deal("close", "Meta–CoreWeave") is None  # not found
    assert company("Nscale").missing("revenue").confidence == "not found"


def test_company_figures_table_and_one_value():
    table = company_figures("Microsoft (Azure)")
    assert table.columns.tolist() == list(COMPANY_COLUMNS[1:])
    assert len(table) == (load_companies()["company"] == "Microsoft").sum()
    assert company_figures("Oracle", "backlog") == 638.0  # the newest
    # Nscale is private: no revenue figure, said in words rather than NaN (an Excel cell's #NUM!).
    with pytest.raises(DealDeskInputError, match=r"^Nscale has no revenue figure in the company library"):
        company_figures("Nscale", "revenue")
    with pytest.raises(DealDeskInputError, match=r"^OpenAI has no backlog figure"):
        company_figures("OpenAI", "backlog")
    with pytest.raises(DealDeskInputError, match=r"^field must be one of fiscal_year_end, .*; got 'ebitda'$"):
        company_figures("Oracle", "ebitda")
    # A field that is not text at all (a number typed in the cell) gets the same one line, not a crash.
    with pytest.raises(DealDeskInputError, match=r"^field must be one of fiscal_year_end, .*; got 5$"):
        company_figures("Oracle", 5)


def _library_with(**changes: str) -> pd.DataFrame:
    raw = load_companies().astype(object)
    raw["as_of"] = raw["as_of"].map(lambda d: d.isoformat() if d else "")
    raw["value"] = raw["value"].map(lambda v: "" if pd.isna(v) else repr(float(v)))
    row = raw.index[(raw["company"] == "Oracle") & (raw["field"] == "backlog")][0]
    for column, value in changes.items():
        raw.loc[row, column] = value
    return raw


def test_a_valid_copy_loads():
    assert len(load_companies(_library_with())) == len(load_companies())


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("field", "ebitda", r"field must be one of fiscal_year_end, .*got 'ebitda'"),
        ("unit", "US$ m", r"unit must be 'US\$ bn' for this field, got 'US\$ m'"),
        (
            "value",
            "lots",
            r"value must be a number \(blank only when confidence is 'not found'\), got 'lots'",
        ),
        ("value", "-1", r"value must be a number in \[0, inf\], got '-1'"),
        ("value", "", r"value must be a number \(blank only when confidence is 'not found'\), got ''"),
        ("as_of", "May 2025", r"as_of must be an ISO date such as 2025-05-31 or blank, got 'May 2025'"),
        ("as_of", "", r"as_of must be the ISO date the figure describes, such as 2025-05-31, got ''"),
        (
            "confidence",
            "certain",
            r"confidence must be one of 'high', 'medium', 'low', 'not found', got 'certain'",
        ),
        (
            "flags",
            "rumour",
            r"flags must be blank or a '; '-separated list of conflict, unconfirmed, derived, got 'rumour'",
        ),
        ("source", "", r"source must be the outlet and date the figure comes from, got ''"),
        ("confidence", "not found", r"value must be blank when confidence is 'not found', got '138.0'"),
    ],
)
def test_bad_rows_are_refused_naming_company_field_column_and_rule(column, value, message):
    field = value if column == "field" else "backlog"
    with pytest.raises(DealDeskInputError, match=rf"^company 'Oracle', field '{field}': {message}$"):
        load_companies(_library_with(**{column: value}))


def test_boundaries_of_a_fraction_and_a_month():
    raw = _library_with()
    margin = raw.index[(raw["company"] == "Oracle") & (raw["field"] == "operating_margin")][0]
    for ok in ("-1", "1"):
        raw.loc[margin, "value"] = ok
        load_companies(raw)
    raw.loc[margin, "value"] = "1.01"
    with pytest.raises(DealDeskInputError, match=r"value must be a number in \[-1, 1\], got '1.01'"):
        load_companies(raw)
    raw = _library_with()
    month = raw.index[(raw["company"] == "Oracle") & (raw["field"] == "fiscal_year_end")][0]
    for bad in ("0", "13", "5.5"):
        raw.loc[month, "value"] = bad
        with pytest.raises(
            DealDeskInputError, match=rf"value must be a whole number in \[1, 12\], got '{bad}'"
        ):
            load_companies(raw)


def test_repeats_missing_columns_and_empty_libraries_are_refused():
    raw = _library_with()
    with pytest.raises(DealDeskInputError, match=r"field 'fiscal_year_end': the row must be unique"):
        load_companies(pd.concat([raw, raw.iloc[:1]], ignore_index=True))
    with pytest.raises(DealDeskInputError, match=r"missing confidence, flags"):
        load_companies(raw.drop(columns=["confidence", "flags"]))
    with pytest.raises(DealDeskInputError, match=r"at least one figure, got none"):
        load_companies(raw.iloc[:0])
    with pytest.raises(DealDeskInputError, match=r"path must be an existing company library CSV file"):
        load_companies("no-such-file.csv")


def test_each_caller_gets_its_own_copy():
    first = load_companies()
    first.loc[0, "value"] = 999.0
    assert load_companies().loc[0, "value"] == 12.0


#: Each field's range as the library documents it (low, high; None: no upper bound).
FIELD_RANGES = {
    "fiscal_year_end": (1, 12),
    "revenue": (0, None),
    "operating_margin": (-1, 1),
    "segment_revenue": (0, None),
    "segment_operating_margin": (-1, 1),
    "quarter_revenue": (0, None),
    "quarter_operating_margin": (-1, 1),
    "interim_operating_margin": (-1, 1),
    "backlog": (0, None),
    "capex": (0, None),
    "capex_2026": (0, None),
    "deal_capex": (0, None),
    "server_life_years": (0, 30),
    "shares": (0, None),
    "close": (0, None),
    "ipo_price": (0, None),
    "announcement_move": (-1, 10),
    "private_valuation": (0, None),
    "revenue_target": (0, None),
    "quarter_capex": (0, None),
    "funding_raised": (0, None),
    "quarter_revenue_target": (0, None),
    "run_rate_revenue": (0, None),
    "quarter_adjusted_operating_margin": (-10, 1),
}


def test_every_field_range_is_written_here():
    assert set(FIELD_RANGES) == set(FIELDS)


@pytest.mark.parametrize("field", sorted(FIELD_RANGES))
def test_each_field_accepts_its_bounds_and_refuses_beyond(field):
    low, high = FIELD_RANGES[field]
    raw = _library_with()
    rows = raw.index[(raw["field"] == field) & (raw["confidence"] != "not found")]
    if not len(rows):
        pytest.skip(f"no {field} figure in the library to alter")
    row = rows[0]
    shown = f"\\[{low}, {'inf' if high is None else high}\\]"
    kind = "whole number" if field == "fiscal_year_end" else "number"
    beyond = [str(low - 1) if field == "fiscal_year_end" else f"{low - 0.001}"]
    if high is not None:
        beyond.append(str(high + 1) if field == "fiscal_year_end" else f"{high + 0.001}")
    for ok in [str(low)] + ([] if high is None else [str(high)]):
        raw.loc[row, "value"] = ok
        load_companies(raw)
    for bad in beyond:
        raw.loc[row, "value"] = bad
        with pytest.raises(DealDeskInputError, match=rf"value must be a {kind} in {shown}, got '{bad}'$"):
            load_companies(raw)


# ------------------------------------------------------------------ when a figure became public


def _reported_of(raw: pd.DataFrame, field: str, as_of: str, reported: str = "") -> dt.date | None:
    row = raw.index[(raw["field"] == field) & (raw["confidence"] != "not found")][0]
    raw.loc[row, ["as_of", "reported"]] = [as_of, reported]
    table = load_companies(raw)
    return table.loc[row, "reported"]


@pytest.mark.parametrize(
    ("field", "as_of", "expected"),
    [
        # SEC deadlines for large filers: a 10-K 60 days after the fiscal year, a 10-Q 40 after the quarter.
        ("segment_revenue", "2024-12-31", "2025-03-01"),  # 31 + 28 + 1 = 60 days
        ("revenue", "2025-06-30", "2025-08-29"),  # 31 + 29 = 60 days
        ("backlog", "2025-09-30", "2025-11-09"),  # 31 + 9 = 40 days
        ("quarter_operating_margin", "2025-12-31", "2026-02-09"),  # 31 + 9 = 40 days
        # Market figures are public on their trading day.
        ("close", "2025-10-31", "2025-10-31"),
        ("announcement_move", "2025-11-03", "2025-11-03"),
    ],
)
def test_a_blank_reported_date_follows_the_one_rule(field, as_of, expected):
    assert _reported_of(_library_with(), field, as_of) == dt.date.fromisoformat(expected)


def test_a_stated_reported_date_wins_over_the_rule():
    assert _reported_of(_library_with(), "backlog", "2025-03-31", "2025-05-01") == dt.date(2025, 5, 1)


@pytest.mark.parametrize("field", ["capex_2026", "revenue_target", "deal_capex"])
def test_a_forward_looking_figure_must_say_when_it_was_published(field):
    raw = _library_with()
    row = raw.index[(raw["field"] == field) & (raw["confidence"] != "not found")][0]
    raw.loc[row, "reported"] = ""
    with pytest.raises(
        DealDeskInputError, match=rf"field '{field}': reported must be the day the figure was published"
    ):
        load_companies(raw)


def test_a_bad_reported_date_is_refused():
    raw = _library_with()
    raw.loc[raw.index[1], "reported"] = "Feb 2026"
    with pytest.raises(
        DealDeskInputError, match=r"reported must be an ISO date such as 2025-06-11 or blank, got 'Feb 2026'"
    ):
        load_companies(raw)


def test_as_of_sees_a_figure_from_its_reported_day_not_before():
    aws = company("Amazon")
    # AWS FY2025 revenue $128.7B: Amazon release 2026-02-05.
    assert [f.value for f in aws.values("segment_revenue", as_of=dt.date(2026, 2, 4))] == [107.6]
    assert [f.value for f in aws.values("segment_revenue", as_of=dt.date(2026, 2, 5))] == [107.6, 128.7]
    # AWS backlog: $244B at Q4-25 (reported 2026-02-05), $364B at Q1-26 (call 2026-04-29).
    assert aws.latest("backlog", as_of=dt.date(2026, 4, 28)).value == 244.0
    assert aws.latest("backlog", as_of=dt.date(2026, 4, 29)).value == 364.0


def test_two_projections_of_one_year_published_on_different_days_are_both_kept():
    # OpenAI 2030: $174B (The Information via AInvest/Battelle, Apr 2025, read as 2025-04-30), ~$200B (The
    # Information, 2025-09-09) and >$280B (CNBC, 2026-02-20).
    targets = company("OpenAI").values("revenue_target")
    in_2030 = [(f.value, f.reported.isoformat()) for f in targets if f.as_of == dt.date(2030, 12, 31)]
    assert in_2030 == [(174.0, "2025-04-30"), (200.0, "2025-09-09"), (280.0, "2026-02-20")]
