"""Deal library: every contract of the public-facts table, carried without invention."""

from __future__ import annotations

import datetime as dt
from importlib import resources

import pandas as pd
import pytest

from core.assumptions import Assumptions
from core.deals import (
    DEAL_COLUMNS,
    PORTFOLIO_COLUMNS,
    deal_assumptions,
    deal_note,
    deal_terms,
    default_portfolio,
    load_deals,
)
from core.schedule import contract_end
from core.validation import DealDeskInputError

# The "AI compute contracts" table of the project's public facts, in order.
FACTS_DEALS = [
    "AWS–OpenAI",
    "Microsoft–OpenAI",
    "Oracle–OpenAI",
    "CoreWeave–OpenAI",
    "Microsoft–Nebius",
    "Microsoft–IREN",
    "Microsoft–Nscale",
    "Meta–CoreWeave",
    "Meta–Google Cloud",
    "Google–Anthropic",
    "Anthropic–Microsoft–Nvidia",
    "Nvidia–OpenAI",
    "AMD–OpenAI",
    "Broadcom–OpenAI",
]


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
        ("CoreWeave–OpenAI", 22.4, None),  # $11.9B + $4B + $6.5B
        ("Microsoft–Nebius", 17.4, 19.4),  # $17.4B, up to $19.4B
        ("Microsoft–IREN", 9.7, None),  # ~$9.7B
        ("Microsoft–Nscale", 14.0, 24.0),  # up to $14B (Reuters) or $24B (CNBC/FT)
        ("Meta–CoreWeave", 14.2, None),  # up to $14.2B
        ("Meta–Google Cloud", 10.0, None),  # > $10B
        ("Anthropic–Microsoft–Nvidia", 30.0, None),  # $30B of Azure compute
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


def test_coreweave_total_is_the_sum_of_its_three_contracts(deals):
    # FACTS: $11.9B + $4B + $6.5B = $22.4B.
    assert deals.loc["CoreWeave–OpenAI", "value_usd_bn"] == pytest.approx(11.9 + 4 + 6.5)
    assert "11.9" in deals.loc["CoreWeave–OpenAI", "value_note"]


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
        "CoreWeave–OpenAI",
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


def _library() -> pd.DataFrame:
    """The shipped CSV as raw text, to break one cell at a time."""
    with resources.files("core").joinpath("data", "deals.csv").open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)


def test_a_path_to_an_analysts_own_library_loads(tmp_path):
    path = tmp_path / "mine.csv"
    _library().iloc[:2].to_csv(path, index=False)
    assert load_deals(path)["deal"].tolist() == ["AWS–OpenAI", "Microsoft–OpenAI"]


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


# --------------------------------------------------------------------------- portfolios


def test_openai_portfolio_holds_its_disclosed_purchase_commitments():
    p = default_portfolio("OpenAI")
    assert list(p.columns) == list(PORTFOLIO_COLUMNS)
    # AWS $38B + Microsoft $250B + Oracle $300B + CoreWeave $22.4B = $610.4B.
    assert p["deal"].tolist() == ["AWS–OpenAI", "Microsoft–OpenAI", "Oracle–OpenAI", "CoreWeave–OpenAI"]
    assert p["value"].sum() == pytest.approx(610.4)


def test_openai_portfolio_leaves_out_the_investment_and_the_undisclosed():
    names = set(default_portfolio("OpenAI")["deal"])
    # Nvidia: non-binding investment; AMD and Broadcom: value not disclosed.
    assert names.isdisjoint({"Nvidia–OpenAI", "AMD–OpenAI", "Broadcom–OpenAI"})


def test_filled_starts_and_terms_are_flagged_as_assumptions():
    p = default_portfolio("OpenAI").set_index("deal")
    assert not p.loc["AWS–OpenAI", ["start_assumed", "term_assumed"]].any()
    assert p.loc["AWS–OpenAI", "assumption"] == ""
    ms = p.loc["Microsoft–OpenAI"]
    assert ms["start"] == dt.date(2025, 10, 28) and ms["term_years"] == 5.0
    assert ms["start_assumed"] and ms["term_assumed"]
    assert "term assumed 5 years (not disclosed)" in ms["assumption"]
    oracle = p.loc["Oracle–OpenAI"]
    assert (
        oracle["start"] == dt.date(2027, 1, 1) and not oracle["start_assumed"] and not oracle["term_assumed"]
    )


def test_default_term_is_an_explicit_parameter():
    p = default_portfolio("OpenAI", default_term_years=8).set_index("deal")
    assert p.loc["Microsoft–OpenAI", "term_years"] == 8.0
    assert p.loc["AWS–OpenAI", "term_years"] == 7.0  # a stated term is never overridden


def test_statuses_and_kinds_filter_the_portfolio():
    no_unconfirmed = default_portfolio("openai", exclude_statuses=("non-binding", "unconfirmed"))
    assert "Oracle–OpenAI" not in set(no_unconfirmed["deal"])
    investments = default_portfolio("OpenAI", kinds=("investment",), exclude_statuses=())
    assert investments["deal"].tolist() == ["Nvidia–OpenAI"]


def test_a_stated_end_gives_the_term_in_whole_months():
    # Meta–CoreWeave: no start, announced 2025-09-30, "to Dec 2031": 2025-09-30 .. 2031-12-31
    # is 2284 days ≈ 75.04 months -> 75 months = 6.25 years.
    p = default_portfolio("Meta").set_index("deal")
    assert p.loc["Meta–CoreWeave", "term_years"] == 6.25
    assert "stated end 2031-12-31" in p.loc["Meta–CoreWeave", "assumption"]


def test_portfolio_errors_name_the_argument():
    with pytest.raises(
        DealDeskInputError,
        match="customer must be one of 'Anthropic', 'Meta', 'Microsoft', 'OpenAI'; got 'xAI'",
    ):
        default_portfolio("xAI")
    with pytest.raises(DealDeskInputError, match="default_term_years must be a number > 0"):
        default_portfolio("OpenAI", default_term_years=0)
    with pytest.raises(DealDeskInputError, match="default_term_years must be a whole number of months"):
        default_portfolio("OpenAI", default_term_years=5.01)
    with pytest.raises(DealDeskInputError, match="exclude_statuses must hold only"):
        default_portfolio("OpenAI", exclude_statuses=("maybe",))
    with pytest.raises(
        DealDeskInputError, match="kinds must hold only 'cloud compute', 'chips', 'investment'"
    ):
        default_portfolio("OpenAI", kinds="cloud")


def test_undisclosed_numbers_are_missing_not_nan_and_dates_are_dates():
    # Nullable floats: an undisclosed value is <NA> (a blank cell in Excel), never NaN (#NUM!).
    library = load_deals()
    assert str(library["value_usd_bn"].dtype) == "Float64"
    assert library["value_usd_bn"].isna().sum() == 3
    assert library["value_usd_bn"].sum() == pytest.approx(
        38 + 250 + 300 + 22.4 + 17.4 + 9.7 + 14 + 14.2 + 10 + 30 + 100
    )
    assert all(isinstance(d, dt.date) for d in library["announced"])


# --------------------------------------------------------------------------- one deal as model inputs

# The reference deal's ramp: signed 2025-11-03, all capacity by 2026-12-31 (FACTS) = 423 days.
_REFERENCE_RAMP_DAYS = (dt.date(2026, 12, 31) - dt.date(2025, 11, 3)).days


def test_reference_deal_is_the_default_inputs():
    assert _REFERENCE_RAMP_DAYS == 423
    terms = deal_terms("AWS–OpenAI")
    assert terms.assumptions == Assumptions()
    assert terms.note == "deal library, status announced"  # nothing assumed beyond the library


def test_library_terms_replace_the_deal_inputs_and_keep_the_rest():
    oracle = deal_assumptions("Oracle–OpenAI")
    # Library: ~$300B over ~5 years from 2027 (WSJ, unconfirmed), start entered as 2027-01-01.
    assert (oracle.deal_name, oracle.provider, oracle.customer) == ("Oracle–OpenAI", "Oracle", "OpenAI")
    assert (oracle.contract_value, oracle.term_years, oracle.start_date) == (300.0, 5.0, dt.date(2027, 1, 1))
    assert (oracle.full_at - oracle.start_date).days == _REFERENCE_RAMP_DAYS
    # Provider figures stay the reference defaults (AWS's), as the note says.
    reference = Assumptions()
    assert (oracle.base_revenue, oracle.base_margin, oracle.deal_margin_override) == (
        reference.base_revenue,
        reference.base_margin,
        reference.deal_margin_override,
    )
    assert "provider, customer and market figures are those of AWS–OpenAI" in deal_note("Oracle–OpenAI")


def test_the_note_states_each_assumption():
    note = deal_note("Microsoft–OpenAI")
    # FACTS: "term not disclosed", no start stated: announcement date and 5 years are assumed.
    assert note.startswith("deal library, status announced; start assumed at announcement (2025-10-28)")
    assert "term assumed 5 years (not disclosed)" in note
    assert (
        f"full run-rate {_REFERENCE_RAMP_DAYS} days after start as in the reference deal AWS–OpenAI" in note
    )
    a = deal_assumptions("Microsoft–OpenAI")
    assert (a.start_date, a.term_years) == (dt.date(2025, 10, 28), 5.0)


def test_a_stated_end_sets_the_term():
    # Meta–CoreWeave runs to 2031-12-31 from its announcement (2025-09-30): 75 whole months.
    a = deal_assumptions("Meta–CoreWeave")
    assert a.term_years == pytest.approx(75 / 12)
    assert "term 6.25 years: start to stated end 2031-12-31" in deal_note("Meta–CoreWeave")


def test_a_non_compute_deal_says_how_it_is_modelled():
    note = deal_note("Nvidia–OpenAI")
    assert "status non-binding" in note
    assert "library kind 'investment', modelled as a compute purchase of the same value" in note
    assert deal_assumptions("Nvidia–OpenAI").contract_value == 100.0  # up to $100B (FACTS)


def test_the_name_is_matched_ignoring_case_accents_and_dash():
    assert deal_assumptions("microsoft-nebius") == deal_assumptions("Microsoft–Nebius")
    assert deal_assumptions("  META — google cloud ") == deal_assumptions("Meta–Google Cloud")


def test_a_base_carries_its_other_inputs_and_ramp():
    base = Assumptions().replace(deal_margin_override=0.1, full_at=dt.date(2026, 11, 2))  # a 364-day ramp
    a = deal_assumptions("Microsoft–IREN", base=base)
    assert a.deal_margin_override == 0.1
    assert (a.full_at - a.start_date).days == 364
    assert "full run-rate 364 days after start" in deal_note("Microsoft–IREN", base=base)


def test_unknown_deal_lists_the_deals_that_can_be_modelled():
    with pytest.raises(
        DealDeskInputError, match=r"deal must be a deal of the library .*'AWS–OpenAI'.*got 'Nope'"
    ):
        deal_assumptions("Nope")
    with pytest.raises(DealDeskInputError, match=r"got 38"):
        deal_assumptions(38)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["Google–Anthropic", "AMD–OpenAI", "Broadcom–OpenAI"])
def test_an_undisclosed_value_is_refused_saying_so(name):
    with pytest.raises(
        DealDeskInputError, match=rf"deal '{name}' has no disclosed value .*cannot be modelled"
    ):
        deal_assumptions(name)


def test_a_bad_base_is_refused():
    with pytest.raises(DealDeskInputError, match="base must be an Assumptions, got dict"):
        deal_assumptions("AWS–OpenAI", base={})  # type: ignore[arg-type]


def test_an_analysts_library_is_used():
    library = load_deals()
    library.loc[library["deal"] == "Microsoft–IREN", "value_usd_bn"] = 12.0
    assert deal_assumptions("Microsoft–IREN", deals=library).contract_value == 12.0


@pytest.mark.parametrize("name", load_deals().loc[lambda d: d["value_usd_bn"].notna(), "deal"].tolist())
def test_every_deal_with_a_value_gives_valid_inputs(name):
    a = deal_assumptions(name)
    row = load_deals().set_index("deal").loc[name]
    assert a.contract_value == float(row["value_usd_bn"])
    assert a.start_date <= a.full_at
    assert Assumptions.from_pairs(a.to_pairs()) == a  # every value passes the inputs' rules


def test_each_caller_gets_its_own_copy_of_the_shipped_library():
    # The shipped CSV is parsed once; changing one caller's frame must not reach the next.
    first = load_deals()
    first.loc[0, "value_usd_bn"] = 999.0
    assert load_deals().loc[0, "value_usd_bn"] == 38.0
