"""core.watch and core.claims: the model as of signing against what was reported, the article's claims."""

from __future__ import annotations

import datetime as dt

import pytest

from core.assumptions import Assumptions
from core.claims import CLAIM_COLUMNS, claims, deal_claims
from core.deals import deal_assumptions
from core.watch import WATCH_COLUMNS, watch_list
from tests.core.exposure.cases import on_ramp


@pytest.fixture(scope="module")
def watch():
    return watch_list()


def test_the_watch_list_sets_the_signing_day_model_beside_what_was_reported(watch):
    assert tuple(watch.columns) == WATCH_COLUMNS
    rows = watch.set_index(["figure", "period"])
    # AWS backlog at Q4 2025: $200B before the deal (Q3 2025) + the deal's $38B less its 59 days of ramp
    # revenue at 92.5% = the model; Amazon reported $244B (2026-02-05).
    q4 = rows.loc[("Provider backlog", "Q4 2025")]
    model = 200 + 38 * (1 - 0.925 * on_ramp(59, 2557))
    assert q4["model"] == pytest.approx(model) and q4["reported"] == 244.0
    assert q4["variance"] == pytest.approx(244.0 - model)
    assert q4["reported_on"] == dt.date(2026, 2, 5)
    # The 2026 capex guide against the article's ~$120B: $200B (2026-02-05).
    capex = rows.loc[("Provider 2026 capex guide", "FY2026")]
    assert (capex["model"], capex["reported"], capex["variance"]) == (120.0, 200.0, 80.0)
    # OpenAI's 2025 revenue: the signing-day path ($3.7B in 2024 to $50B in 2027) gives 3.7 × (50/3.7)^(1/3).
    openai = rows.loc[("Customer revenue", "2025")]
    assert openai["model"] == pytest.approx(3.7 * (50 / 3.7) ** (1 / 3)) and openai["reported"] == 13.1
    # AWS FY2025 revenue: the signing-day base ($107.6B for FY2024, no earlier year to grow from: flat) plus
    # the deal's 59 days of FY2025 revenue; reported $128.7B.
    revenue = rows.loc[("Provider revenue", "FY2025")]
    assert revenue["model"] == pytest.approx(107.6 + 38 * 0.925 * on_ramp(59, 2557))
    assert revenue["reported"] == 128.7


def test_as_of_shows_only_what_was_reported_by_then(watch):
    assert watch_list(as_of="2025-12-31").empty  # nothing about AWS or OpenAI reported in Nov–Dec 2025
    early = watch_list(as_of="2026-02-05")
    # The delay evidence (2026-01-08), OpenAI's CFO blog with its run-rates (2026-01-18), AWS's Q4 (2026-02-05).
    assert set(early["reported_on"]) <= {dt.date(2026, 1, 8), dt.date(2026, 1, 18), dt.date(2026, 2, 5)}
    assert ("Provider backlog", "Q1 2026") not in set(zip(early["figure"], early["period"], strict=True))
    # Every row of the full list was reported after the signing day.
    assert (watch["reported_on"] > dt.date(2025, 11, 3)).all()


def test_the_claims_table_answers_each_of_the_articles_claims():
    c = claims()
    assert tuple(c.columns) == CLAIM_COLUMNS
    assert len(c) == 9  # the article's nine claims, all about this deal's companies
    rows = c.set_index("claim")
    margin = rows.loc["Margin compression of 50–100 bps near term"]
    from core.model import run_model

    # The price the solver names gives −50 bps in run_model.
    at = run_model(Assumptions(price_per_gpu_hour=margin["needed"])).outputs["margin_bps_year2"]
    assert at == pytest.approx(-50, abs=1e-5)
    # The market value claim: the growth needed a year from $2,762B after the news to $3,000B in 2027.
    mv = rows.loc["Amazon's market value could pass $3T by 2027"]
    assert mv["needed"] == pytest.approx((3000 / (244.22 * 1.058 * 10.690216011)) ** 0.5 - 1)


def test_claims_about_amazon_and_openai_apply_only_to_their_deals():
    nebius = claims(deal_assumptions("Microsoft–Nebius"))
    names = set(nebius["claim"])
    assert "Amazon rose 5.8% on the announcement" not in names
    assert "OpenAI grows from ~$3.5B to ~$50B by 2027 (14×)" not in names
    assert "Margin compression of 50–100 bps near term" in names


def test_the_watch_lists_quarters_and_years_by_hand(watch):
    # The signing-day model of AWS–OpenAI: AWS's FY2024 $107.6B, flat (no earlier year to grow from), at
    # a 37.0% margin; the deal's 92.5% of $38B over 2557 days on its 423-day ramp from 2025-11-03.
    from core.model import run_model

    rows = watch.set_index(["figure", "period"])
    deal_q4 = 38 * 0.925 * on_ramp(59, 2557)  # Nov 3 .. Dec 31 2025: 59 days
    deal_q1 = 38 * 0.925 * (on_ramp(149, 2557) - on_ramp(59, 2557))  # .. Mar 31 2026: 59 + 90 days
    # A quarter's base is the year's × its days ÷ the year's: Q4 2025 holds 92 of 365, Q1 2026 90 of 365.
    base_q4, base_q1 = 107.6 * 92 / 365, 107.6 * 90 / 365
    q4 = rows.loc[("Provider quarter revenue", "Q4 2025")]
    assert q4["model"] == pytest.approx(base_q4 + deal_q4) and q4["reported"] == 35.58
    assert q4["variance"] == pytest.approx(35.58 - base_q4 - deal_q4)
    assert q4["unit"] == "US$ bn" and q4["reported_on"] == dt.date(2026, 2, 5)
    q1 = rows.loc[("Provider quarter revenue", "Q1 2026")]
    assert q1["model"] == pytest.approx(base_q1 + deal_q1) and q1["reported"] == 37.6
    # A quarter's deal profit is its year's × the quarter's share of the year's deal revenue (all of
    # FY2025's deal revenue is in Q4); the margin blends it with the base at 37%.
    a = deal_assumptions("AWS–OpenAI", as_of="2025-11-03")
    econ = run_model(a).tables["economics"].set_index("year")
    profit_q4 = float(econ.loc[2025, "operating_profit"])
    profit_q1 = float(econ.loc[2026, "operating_profit"]) * deal_q1 / float(econ.loc[2026, "revenue"])
    m4 = rows.loc[("Provider quarter operating margin", "Q4 2025")]
    assert m4["model"] == pytest.approx((base_q4 * 0.37 + profit_q4) / (base_q4 + deal_q4))
    assert (m4["reported"], m4["unit"]) == (0.35, "fraction")
    m1 = rows.loc[("Provider quarter operating margin", "Q1 2026")]
    assert m1["model"] == pytest.approx((base_q1 * 0.37 + profit_q1) / (base_q1 + deal_q1))
    # The year: FY2025's base plus its deal profit over its revenue, −19.0 bps from 37%.
    year = rows.loc[("Provider operating margin", "FY2025")]
    blended = (107.6 * 0.37 + profit_q4) / (107.6 + deal_q4)
    assert year["model"] == pytest.approx(blended) and year["reported"] == 0.354
    assert year["cause"].endswith(f"the deal moves it {(blended - 0.37) * 1e4:+,.1f} bps in the model")
    assert rows.loc[("Provider revenue", "FY2025"), "cause"].endswith("the deal's FY2025 revenue $0.0617B")
    # Q1 2026 backlog: $200B before the deal plus what is left of it at 2026-03-31.
    backlog = rows.loc[("Provider backlog", "Q1 2026")]
    assert backlog["model"] == pytest.approx(200 + 38 * (1 - 0.925 * on_ramp(149, 2557)))
    assert backlog["reported"] == 364.0
    # Amazon's quarter capex has no model figure; the customer's 2026 target on the signing-day path
    # is 3.7 × (50 ÷ 3.7)^(2/3); 2027 and after, $50B (held).
    capex = rows.loc[("Provider quarter capex", "Q1 2026")]
    assert capex["model"] is None and capex["reported"] == 43.2 and capex["variance"] is None
    assert rows.loc[("Customer revenue target", "2026"), "model"] == pytest.approx(
        3.7 * (50 / 3.7) ** (2 / 3)
    )
    assert rows.loc[("Customer revenue target", "2030"), "model"] == pytest.approx(50.0)
    # The expansion (2026-02-27): the model knows only this deal's $38B; with the expansion's $62B the
    # contracts sum to $100B.
    contracts = rows.loc[("Contracts with the customer", "2026-02-27")]
    assert (contracts["model"], contracts["reported"], contracts["variance"]) == (38.0, 100.0, 62.0)
    delay = rows.loc[("Delivery delay", "2026")]
    assert (delay["model"], delay["reported"], delay["unit"]) == (0.0, None, "quarters")


@pytest.mark.parametrize(
    ("as_of", "shown", "not_shown"),
    [
        ("2026-01-07", set(), {"Delivery delay"}),
        ("2026-01-08", {"Delivery delay"}, {"Provider backlog"}),
        ("2026-01-17", {"Delivery delay"}, {"Customer run-rate (annualised)"}),
        ("2026-01-18", {"Delivery delay", "Customer run-rate (annualised)"}, {"Provider backlog"}),
        ("2026-02-04", {"Delivery delay", "Customer run-rate (annualised)"}, {"Provider backlog"}),
        ("2026-02-05", {"Delivery delay", "Provider backlog"}, {"Contracts with the customer"}),
        ("2026-02-26", {"Provider backlog"}, {"Contracts with the customer"}),
        ("2026-02-27", {"Provider backlog", "Contracts with the customer"}, set()),
    ],
)
def test_as_of_takes_what_was_reported_on_that_day(as_of, shown, not_shown):
    # The delay evidence is dated 2026-01-08, OpenAI's run-rates (CFO blog) 2026-01-18, AWS's Q4 results
    # 2026-02-05, the expansion 2026-02-27: each is in the list from its own day on, not the day before.
    figures = set(watch_list(as_of=as_of)["figure"])
    assert shown <= figures and not (not_shown & figures)
    if as_of < "2026-02-05":
        assert figures == shown


_GROWTH = "OpenAI grows from ~$3.5B to ~$50B by 2027 (14×)"


def test_each_claim_of_the_reference_deal_by_hand():
    from core.model import model_outputs

    rows = claims().set_index("claim")
    out = model_outputs(Assumptions())
    # $38B over 7 years on a straight line: 5.43 a year.
    line = rows.loc["A straight line overstates near-term growth"]
    assert line["article"] == "$5.4B a year on a straight line"
    assert line["model"] == out["overstatement_2y"]
    # The growth it overstates is read in the first full fiscal year, FY2026: (38 × 365 − 38 × 59) ÷ 2557
    # over AWS's FY2025 $128.7B on the straight line, less the ramp's (tests/core/test_first_full_year.py).
    assert line["verdict"].endswith("1.15 points of growth in its first full fiscal year (FY2026)")
    # The base case's 92.5% realisation is a 7.5% discount.
    use = rows.loc["Analysts apply a 5–10% utilisation discount"]
    assert (use["model"], use["input"]) == (0.925, "realisation")
    assert use["verdict"].startswith("An input, not a result: the base case takes 7.5%;")
    # OpenAI's signing-day path: $13.1B in 2025 to $280B in 2030, so 2027 is 13.1 × (280 ÷ 13.1)^(2/5):
    # 44.6, 89% of the article's $50B, on track (at least 85%).
    growth = rows.loc[_GROWTH]
    in_2027 = 13.1 * (280 / 13.1) ** (2 / 5)
    assert growth["model"] == pytest.approx(in_2027)
    assert growth["verdict"] == "On track: the path gives $44.6B in 2027 (89% of the article's $50B)"
    # OpenAI's compute contracts in the library: AWS 38, its expansion 62, Oracle 300, Microsoft 250,
    # CoreWeave 11.9 + 4 + 6.5.
    assert rows.loc["OpenAI's infrastructure commitments are ~$1.4T", "model"] == pytest.approx(
        38 + 62 + 300 + 250 + 11.9 + 4 + 6.5
    )
    # Amazon's market value after the news: $244.22 × 1.058 × 10.690216011bn shares = $2,762B; a −15%
    # shock takes 15% of it off; the +5.8% move added 244.22 × 0.058 × 10.690216011 = $151B, 4.0× $38B.
    after = 244.22 * 1.058 * 10.690216011
    mv = rows.loc["Amazon's market value could pass $3T by 2027"]
    assert mv["model"] == pytest.approx(after)  # held flat in the base case
    assert mv["verdict"] == "Needs 4.2% a year from the announcement's value; the base case holds it flat"
    shock = rows.loc["The cloud sector could fall 15% overnight"]
    assert shock["model"] == pytest.approx(-0.15 * after)
    assert shock["verdict"].startswith("A -15% shock takes $414B off the provider's market value")
    move = rows.loc["Amazon rose 5.8% on the announcement"]
    added = 244.22 * 0.058 * 10.690216011
    assert move["model"] == pytest.approx(added)
    assert move["verdict"] == f"The market added $151B, {added / 38:.1f}× the contract's value"
    assert f"{added / 38:.1f}" == "4.0"
    # The 2026 capex guide: $200B against the article's ~$120B.
    capex = rows.loc["A 2026 capex near $120B means building ahead of demand"]
    assert capex["model"] == 200.0
    assert capex["verdict"].startswith(
        "Amazon guided ~$200B for 2026, far above $120B; this deal's capex is "
    )


@pytest.mark.parametrize(("target", "verdict"), [(42.5, "On track"), (42.49, "Behind")])
def test_the_customer_is_on_track_from_85_percent_of_the_articles_50b(target, verdict):
    # From $21.25B in 2026 to the target in 2027: 2027 is the target itself; 85% of $50B is $42.5B.
    a = Assumptions(
        customer_revenue_start=21.25,
        customer_revenue_start_year=2026,
        customer_revenue_target=target,
        customer_target_year=2027,
    )
    row = claims(a).set_index("claim").loc[_GROWTH]
    assert row["model"] == pytest.approx(target)
    assert row["verdict"].startswith(f"{verdict}: the path gives $42.5B in 2027")


def test_a_provider_outside_the_library_gets_only_the_claims_about_any_deal():
    names = claims(Assumptions(provider="Acme Cloud"))["claim"].tolist()
    assert not [n for n in names if n.startswith(("Amazon", "A 2026 capex"))]
    assert "The cloud sector could fall 15% overnight" in names and _GROWTH in names


@pytest.mark.parametrize(("target", "shown"), [(0.0, False), (0.001, True), (3000.0, True)])
def test_the_market_value_claim_needs_a_positive_threshold(target, shown):
    names = claims(Assumptions(market_value_target=target))["claim"].tolist()
    assert ("Amazon's market value could pass $3T by 2027" in names) is shown


def test_a_deal_opening_its_fiscal_year_names_that_year_in_the_straight_line_claim():
    # Google–Anthropic (May-26) opens Alphabet's FY2027 on 2027-01-01: the straight line overstates growth
    # there by 27.51 points (worked by hand in tests/core/test_first_full_year.py), not in FY2028.
    rows = deal_claims("Google–Anthropic (May-26)").set_index("claim")
    verdict = rows.loc["A straight line overstates near-term growth", "verdict"]
    assert verdict.endswith("27.51 points of growth in its first full fiscal year (FY2027)")


@pytest.mark.parametrize(
    ("end", "fiscal_year_end", "expected"),
    [
        # Calendar quarters: Jan–Mar 2026 = 31 + 28 + 31 = 90 days, Apr–Jun = 30 + 31 + 30 = 91 (a quarter
        # ending on the 30th starts on the 1st, not the 31st), Jul–Sep = 92, Oct–Dec = 92; 2026 has 365.
        ("2026-03-31", 12, (2026, 90, 365)),
        ("2026-06-30", 12, (2026, 91, 365)),
        ("2026-09-30", 12, (2026, 92, 365)),
        ("2026-12-31", 12, (2026, 92, 365)),
        # Oracle's fiscal year ends in May: Sep–Nov 2025 = 30 + 31 + 30 = 91 days, Dec–Feb = 31 + 31 + 28 =
        # 90, of FY2026 (Jun 2025 – May 2026, 365 days); Dec 2023 – Feb 2024 = 91 of FY2024's 366.
        ("2025-11-30", 5, (2026, 91, 365)),
        ("2026-02-28", 5, (2026, 90, 365)),
        ("2024-02-29", 5, (2024, 91, 366)),
    ],
)
def test_a_quarter_is_its_days_of_its_fiscal_year(end, fiscal_year_end, expected):
    from core.watch import _quarter_share

    assert _quarter_share(dt.date.fromisoformat(end), fiscal_year_end) == expected
