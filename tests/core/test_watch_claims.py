"""core.watch and core.claims: the model as of signing against what was reported, the article's claims."""

from __future__ import annotations

import datetime as dt

import pytest

from core.assumptions import Assumptions
from core.claims import CLAIM_COLUMNS, claims
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
    assert set(early["reported_on"]) <= {dt.date(2026, 1, 8), dt.date(2026, 2, 5)}
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
