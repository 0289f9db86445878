"""Deal library: every contract of the public-facts table, carried without invention."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from core.deals import (
    DEAL_COLUMNS,
    deal_terms,
    load_deals,
)
from core.schedule import contract_end
from core.validation import DealDeskInputError
from tests.core.deals.cases import CW, FACTS_DEALS, _library, _one_deal


@pytest.fixture(scope="module")
def deals() -> pd.DataFrame:
    return load_deals().set_index("deal")


def test_library_holds_every_row_of_the_facts_table_in_order():
    assert load_deals()["deal"].tolist() == FACTS_DEALS
    assert list(load_deals().columns) == list(DEAL_COLUMNS)


def test_reference_deal_headline_terms(deals):
    # FACTS: AWS–OpenAI (2025-11-03), $38B, 7 years, starts at once.
    aws = deals.loc["AWS–OpenAI"]
    assert aws["value_usd_bn"] == 38.0
    assert aws["term_years"] == 7.0
    assert aws["announced"] == aws["start"] == dt.date(2025, 11, 3)
    assert aws["provider"] == "Amazon (AWS)" and aws["customer"] == "OpenAI"
    assert "hundreds of thousands" in aws["capacity"]


@pytest.mark.parametrize(
    ("name", "value", "high"),
    [
        ("Microsoft–OpenAI", 250.0, None),  # $250B incremental Azure purchases
        ("Oracle–OpenAI", 300.0, None),  # ~$300B (WSJ, unconfirmed)
        ("CoreWeave–OpenAI (Mar-25)", 11.9, None),  # the first of $11.9B + $4B + $6.5B
        ("CoreWeave–OpenAI (May-25)", 4.0, None),
        ("CoreWeave–OpenAI (Sep-25)", 6.5, None),
        ("Microsoft–Nebius", 17.4, 19.4),  # $17.4B, up to $19.4B
        ("Microsoft–IREN", 9.7, None),  # ~$9.7B
        ("Microsoft–Nscale", 14.0, 24.0),  # up to $14B (Reuters) or $24B (CNBC/FT)
        ("Meta–CoreWeave", 14.2, None),  # up to $14.2B
        ("Meta–Google Cloud", 10.0, None),  # > $10B
        ("Anthropic–Microsoft–Nvidia", 30.0, None),  # $30B of Azure compute
        ("Google–Anthropic (May-26)", 200.0, None),  # ~$200B over 2027–2031 (The Information)
        ("Anthropic–AWS", 100.0, None),  # $100B+ over ~10 years (unconfirmed)
        ("Nvidia–OpenAI", 100.0, None),  # up to $100B investment
    ],
)
def test_disclosed_values_match_the_facts(deals, name, value, high):
    row = deals.loc[name]
    assert row["value_usd_bn"] == pytest.approx(value)
    if high is None:
        assert pd.isna(row["value_high_usd_bn"])
    else:
        assert row["value_high_usd_bn"] == pytest.approx(high)


def test_coreweaves_three_contracts_are_dated_by_their_own_months_and_sum_to_the_reported_total(deals):
    # Reuters: $11.9B (March 2025, 5 years) + $4B (May 2025) + $6.5B (2025-09-25) = $22.4B; the first two
    # announced without a day (the first of the month used), the third on the day of the expansion.
    assert sum(deals.loc[name, "value_usd_bn"] for name in CW) == pytest.approx(22.4)
    assert [deals.loc[name, "announced"] for name in CW] == [
        dt.date(2025, 3, 1),
        dt.date(2025, 5, 1),
        dt.date(2025, 9, 25),
    ]
    assert deals.loc[CW[0], "term_years"] == 5.0
    assert pd.isna(deals.loc[CW[1], "term_years"]) and pd.isna(deals.loc[CW[2], "term_years"])
    assert "day not given" in deals.loc[CW[0], "announced_note"]
    assert "22.4" in deals.loc[CW[0], "value_note"]


@pytest.mark.parametrize("name", ["Google–Anthropic", "AMD–OpenAI", "Broadcom–OpenAI"])
def test_undisclosed_values_stay_blank_with_the_reported_words(deals, name):
    row = deals.loc[name]
    assert pd.isna(row["value_usd_bn"])
    assert row["value_basis"] == "not disclosed"
    assert row["value_note"] != ""


def test_tens_of_billions_is_kept_as_words_not_a_number(deals):
    assert "tens of billions" in deals.loc["Google–Anthropic", "value_note"]
    assert "tens of billions" in deals.loc["AMD–OpenAI", "value_note"]
    assert "160M AMD shares" in deals.loc["AMD–OpenAI", "value_note"]


def test_statuses_carry_the_facts_words(deals):
    assert deals.loc["Oracle–OpenAI", "status"] == "unconfirmed"
    assert deals.loc["Microsoft–Nscale", "status"] == "conflict"
    assert "conflict" in deals.loc["Microsoft–Nscale", "value_note"]
    assert deals.loc["Nvidia–OpenAI", "status"] == "non-binding"
    assert deals.loc["Meta–Google Cloud", "status"] == "reported"
    assert deals.loc["Nvidia–OpenAI", "kind"] == "investment"


def test_year_only_starts_are_first_days_with_a_note(deals):
    # "from 2027" -> 2027-01-01; "from 2026" -> 2026-01-01; "2H 2026" -> 2026-07-01.
    assert deals.loc["Oracle–OpenAI", "start"] == dt.date(2027, 1, 1)
    assert "from 2027" in deals.loc["Oracle–OpenAI", "start_note"]
    assert deals.loc["Microsoft–Nscale", "start"] == dt.date(2026, 1, 1)
    for name in ("Nvidia–OpenAI", "AMD–OpenAI", "Broadcom–OpenAI"):
        assert deals.loc[name, "start"] == dt.date(2026, 7, 1)
        assert "2H 2026" in deals.loc[name, "start_note"]


def test_undisclosed_terms_stay_blank(deals):
    for name in (
        "Microsoft–OpenAI",
        "CoreWeave–OpenAI (May-25)",
        "CoreWeave–OpenAI (Sep-25)",
        "Microsoft–Nscale",
        "Google–Anthropic",
        "Anthropic–Microsoft–Nvidia",
        "Nvidia–OpenAI",
        "AMD–OpenAI",
        "Meta–CoreWeave",
    ):
        assert pd.isna(deals.loc[name, "term_years"]), name
    # Terms that were stated: 7, ~5, 5, 5, 6 years.
    assert deals.loc[
        ["AWS–OpenAI", "Oracle–OpenAI", "Microsoft–Nebius", "Microsoft–IREN", "Meta–Google Cloud"],
        "term_years",
    ].tolist() == [7.0, 5.0, 5.0, 5.0, 6.0]


def test_broadcom_term_runs_from_2h_2026_to_end_2029(deals):
    # 2026-07-01 + 3.5 years -> last day 2029-12-31 ("2H 2026 – end 2029").
    row = deals.loc["Broadcom–OpenAI"]
    assert contract_end(row["start"], row["term_years"]) == row["end"] == dt.date(2029, 12, 31)


def test_every_row_names_a_source(deals):
    assert (deals["source"].str.len() > 0).all()


def test_every_openai_value_fits_inside_its_stated_total(deals):
    # FACTS: OpenAI's total commitments about $1.4T; the disclosed deals must sum below it.
    openai = deals[deals["customer"] == "OpenAI"]
    assert openai["value_usd_bn"].sum() < 1400


# --------------------------------------------------------------------------- validation


def test_a_path_to_an_analysts_own_library_loads(tmp_path):
    path = tmp_path / "mine.csv"
    _library().iloc[:2].to_csv(path, index=False)
    assert load_deals(path)["deal"].tolist() == ["AWS–OpenAI", "AWS–OpenAI expansion"]


def test_a_missing_file_is_named():
    with pytest.raises(
        DealDeskInputError, match="path must be an existing deal library CSV file, got 'nowhere.csv'"
    ):
        load_deals("nowhere.csv")


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("status", "rumoured", r"deal 'AWS–OpenAI': status must be one of 'announced'.*got 'rumoured'"),
        ("kind", "loan", r"kind must be one of 'cloud compute', 'chips', 'investment', got 'loan'"),
        ("value_usd_bn", "about 38", r"value_usd_bn must be a number or blank, got 'about 38'"),
        ("value_usd_bn", "-38", r"value_usd_bn must be a number > 0 or blank, got '-38'"),
        (
            "value_usd_bn",
            "",
            r"value_usd_bn must be blank when value_basis is 'not disclosed' \(and only then\)",
        ),
        ("start", "3 Nov 2025", r"start must be an ISO date such as 2025-11-03 or blank, got '3 Nov 2025'"),
        ("end", "2031-12-31", r"end must be the last day of a 7-year term from 2025-11-03 \(2032-11-02\)"),
        ("source", "", r"source must be non-empty"),
        ("value_high_usd_bn", "30", r"value_high_usd_bn must be blank or >= value_usd_bn, got '30'"),
    ],
)
def test_bad_rows_are_refused_naming_deal_column_and_rule(column, value, message):
    frame = _library()
    frame.loc[0, column] = value
    with pytest.raises(DealDeskInputError, match=message):
        load_deals(frame)


def test_a_guessed_value_for_an_undisclosed_deal_is_refused():
    frame = _library()
    row = frame.index[frame["deal"] == "Google–Anthropic"][0]
    frame.loc[row, "value_usd_bn"] = "30"
    with pytest.raises(DealDeskInputError, match="deal 'Google–Anthropic': value_usd_bn must be blank when"):
        load_deals(frame)


def test_duplicate_deals_and_missing_columns_are_refused():
    frame = _library()
    with pytest.raises(DealDeskInputError, match="deal names must be unique, got 'AWS–OpenAI' twice"):
        load_deals(pd.concat([frame, frame.iloc[:1]]))
    with pytest.raises(DealDeskInputError, match="missing status, source"):
        load_deals(frame.drop(columns=["status", "source"]))


def test_undisclosed_numbers_are_missing_not_nan_and_dates_are_dates():
    # Nullable floats: an undisclosed value is <NA> (a blank cell in Excel), never NaN (#NUM!).
    library = load_deals()
    assert str(library["value_usd_bn"].dtype) == "Float64"
    assert library["value_usd_bn"].isna().sum() == 3
    assert library["value_usd_bn"].sum() == pytest.approx(
        38 + 62 + 250 + 300 + 22.4 + 17.4 + 9.7 + 14 + 14.2 + 10 + 200 + 30 + 100 + 100
    )
    assert all(isinstance(d, dt.date) for d in library["announced"])


def test_each_caller_gets_its_own_copy_of_the_shipped_library():
    # The shipped CSV is parsed once; changing one caller's frame must not reach the next.
    first = load_deals()
    first.loc[0, "value_usd_bn"] = 999.0
    assert load_deals().loc[0, "value_usd_bn"] == 38.0


# --------------------------------------------------------------------------- rules at their boundaries


def test_a_deal_value_must_be_above_zero():
    # Rule: value_usd_bn > 0 (or blank); 0 is refused, a tiny positive value loads.
    with pytest.raises(DealDeskInputError, match=r"value_usd_bn must be a number > 0 or blank, got '0'"):
        load_deals(_one_deal(value_usd_bn="0"))
    assert float(load_deals(_one_deal(value_usd_bn="0.001"))["value_usd_bn"].iloc[0]) == 0.001


def test_a_high_value_may_equal_the_value():
    # Rule: value_high_usd_bn is blank or >= value_usd_bn; equal (a range of one value) loads.
    assert float(load_deals(_one_deal(value_high_usd_bn="38"))["value_high_usd_bn"].iloc[0]) == 38.0


def test_an_end_on_the_start_day_is_allowed_and_the_day_before_is_not():
    # Rule: end on or after start (without a stated term, which would fix the end).
    one_day = load_deals(_one_deal(term_years="", end="2025-11-03"))
    assert one_day["end"].iloc[0].isoformat() == "2025-11-03"
    with pytest.raises(
        DealDeskInputError, match=r"end must be on or after start 2025-11-03, got '2025-11-02'"
    ):
        load_deals(_one_deal(term_years="", end="2025-11-02"))


def test_an_undisclosed_value_needs_the_reported_words():
    frame = _library()
    row = frame.index[frame["deal"] == "Google–Anthropic"][0]
    frame.loc[row, "value_note"] = ""
    with pytest.raises(
        DealDeskInputError,
        match=r"deal 'Google–Anthropic': value_note must be the reported words when the value is not disclosed",
    ):
        load_deals(frame)


def test_a_gpu_generation_the_evidence_does_not_know_is_refused():
    table = load_deals().astype(object)
    # A generation the evidence knows but holds no price for (GB200 alone) takes the reference
    # deal's price, an analyst default that says why.
    table.loc[0, "gpu_generation"] = "GB200"
    gb200 = deal_terms("AWS–OpenAI", deals=table)
    assert gb200.assumptions.rack_price_musd == round(3.4e6 / 72 * 72 / 1e6, 2)  # Bernstein's GB200 rack
    assert gb200.sources["price_per_gpu_hour"].startswith(
        "analyst default: no public price per gpu-hour for GB200; the reference deal's GB200/GB300"
    )
    table.loc[0, "gpu_generation"] = "TPU v7"
    with pytest.raises(
        DealDeskInputError,
        match=r"^deal 'AWS–OpenAI': gpu_generation must be blank or generations separated by '/' "
        r"\(Blackwell, GB200, GB300, H100\), got 'TPU v7'$",
    ):
        load_deals(table)
