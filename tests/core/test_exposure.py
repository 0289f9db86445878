"""Portfolio exposure: backlog by provider and customer, the three shortfall rules, the Monte Carlo."""

from __future__ import annotations

import datetime as dt
import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.exposure import (
    BLOCK_DRAWS,
    backlog_shares,
    commitments_by_year,
    exposure_portfolio,
    exposure_summary,
    exposure_table,
    funding_paths,
    outsized_providers,
    provider_effect,
    shortfall_losses,
    simulate_exposure,
)
from core.validation import DealDeskInputError

# --------------------------------------------------------------------------- base case: OpenAI-linked backlog

# Contract days and days before 2026 (as_of_year), by hand:
# AWS 2025-11-03 + 7 years = 2025-11-03 .. 2032-11-02: 59 + 365 + 365 + 366 + 365 + 365 + 365 + 307 = 2557 days,
#   59 of them in 2025 (Nov 3..30 = 28, Dec 31).
# Microsoft 2025-10-28 + 5 years (assumed) = .. 2030-10-27: 1826 days (2028 is a leap year), 65 in 2025.
# Oracle from 2027-01-01: all of its $300B is backlog at 2026.
# CoreWeave 2025-03-01 + 5 years (assumed) = .. 2030-02-28: 1826 days, 306 in 2025.
AWS = 38 * (2557 - 59) / 2557
MSFT = 250 * (1826 - 65) / 1826
ORCL = 300.0
CRWV = 22.4 * (1826 - 306) / 1826


def test_aws_share_of_openai_backlog_matches_day_count():
    shares = backlog_shares("OpenAI")
    total = AWS + MSFT + ORCL + CRWV
    assert shares.loc["Amazon (AWS)", "backlog"] == pytest.approx(AWS, rel=1e-12)
    assert shares.loc["Amazon (AWS)", "share"] == pytest.approx(AWS / total, rel=1e-12)
    assert shares.loc["Oracle", "share"] == pytest.approx(300 / total, rel=1e-12)
    assert shares["share"].sum() == pytest.approx(1.0)


def test_aws_revenue_at_risk_by_year_is_what_openai_owes_it():
    shares = backlog_shares("OpenAI")
    # 2026: a full 365-day year of 2557; 2032: Jan 1 .. Nov 2 of a leap year = 307 days; nothing in 2033.
    assert shares.loc["Amazon (AWS)", 2026] == pytest.approx(38 * 365 / 2557, rel=1e-12)
    assert shares.loc["Amazon (AWS)", 2028] == pytest.approx(38 * 366 / 2557, rel=1e-12)
    assert shares.loc["Amazon (AWS)", 2032] == pytest.approx(38 * 307 / 2557, rel=1e-12)
    assert 2033 not in shares.columns
    # Oracle earns nothing from OpenAI in 2026: its contract starts in 2027.
    assert shares.loc["Oracle", 2026] == 0.0


def test_exposure_table_is_provider_by_customer_backlog():
    t = exposure_table().set_index("provider")
    assert t.loc["Amazon (AWS)", "OpenAI"] == pytest.approx(AWS, rel=1e-12)
    assert t.loc["Amazon (AWS)", "Meta"] == 0.0
    # Microsoft sells to Anthropic ($30B, 5 years assumed from 2025-11-18 to 2030-11-17: 1826 days, 44 in 2025).
    assert t.loc["Microsoft (Azure)", "Anthropic"] == pytest.approx(30 * (1826 - 44) / 1826, rel=1e-12)
    assert t.loc["Microsoft (Azure)", "total"] == pytest.approx(MSFT + 30 * (1826 - 44) / 1826, rel=1e-12)
    # An as-of year after every contract leaves no backlog.
    assert exposure_table(as_of_year=2040)["total"].sum() == 0.0


def test_analyst_rows_join_the_library_portfolio():
    extra = [
        {
            "deal": "My–OpenAI",
            "provider": "Amazon (AWS)",
            "customer": "OpenAI",
            "value": 10,
            "start": "2026-01-01",
            "term_years": 2,
        }
    ]
    p = exposure_portfolio("OpenAI", extra=extra)
    assert p["deal"].tolist()[-1] == "My–OpenAI"
    assert p["assumption"].tolist()[-1] == "analyst row"
    t = exposure_table(p).set_index("provider")
    assert t.loc["Amazon (AWS)", "OpenAI"] == pytest.approx(AWS + 10, rel=1e-12)
    with pytest.raises(
        DealDeskInputError, match=r"portfolio deal names must be unique, got 'AWS–OpenAI' twice"
    ):
        exposure_portfolio("OpenAI", extra=[{**extra[0], "deal": "AWS–OpenAI"}])
    with pytest.raises(DealDeskInputError, match=r"extra row 1 must have .* missing term_years"):
        exposure_portfolio("OpenAI", extra=[{k: v for k, v in extra[0].items() if k != "term_years"}])
    for bad in ("an extra deal", {"deal": "x"}):  # a string, or one row without its list
        with pytest.raises(
            DealDeskInputError, match=r"^extra must be a table of analyst rows \(DataFrame or list"
        ):
            exposure_portfolio("OpenAI", extra=bad)


def test_funding_path_interpolates_geometrically_between_stated_years():
    p = funding_paths(["OpenAI"], [2026, 2028, 2031])
    g = (200 / 62) ** (1 / 3)
    assert p["revenue"]["OpenAI"].tolist() == pytest.approx([30.0, 62 * g, 200.0], rel=1e-12)
    with pytest.raises(DealDeskInputError, match=r"customer 'Nobody' must have a stated revenue path"):
        funding_paths(["Nobody"], [2026])


# --------------------------------------------------------------------------- the three rules, by hand

# Customer C in 2026 owes A $6B (provider P, starts 2026-01-01), B $4B (provider Q: $8B over
# 2025-2026, starts 2025-01-01, so it is the senior contract) and D $2B (provider R, starts
# 2026-01-01, after A in the table). Commitments 12; it can pay revenue 5 + funding 2 + opening
# cash 1 = 8, a shortfall of 4.
HAND = [
    {"deal": "A", "provider": "P", "customer": "C", "value": 6, "start": "2026-01-01", "term_years": 1},
    {"deal": "B", "provider": "Q", "customer": "C", "value": 8, "start": "2025-01-01", "term_years": 2},
    {"deal": "D", "provider": "R", "customer": "C", "value": 2, "start": "2026-01-01", "term_years": 1},
]
FUND = [
    {"customer": "C", "year": 2026, "item": "revenue", "value": 5.0},
    {"customer": "C", "year": 2026, "item": "funding", "value": 2.0},
]
TERMS = [{"customer": "C", "revenue_share": 1.0, "opening_cash": 1.0, "growth_after": 0.0, "volatility": 0.0}]


def _lost(**kw):
    t = shortfall_losses(HAND, funding=FUND, terms=TERMS, **kw)
    t = t[t["year"] == 2026].set_index("deal")
    assert (t["paid"] + t["lost"]).tolist() == pytest.approx(t["committed"].tolist())
    return t["lost"].to_dict()


def test_pro_rata_spreads_the_shortfall_by_share_of_commitments():
    lost = _lost(rule="pro_rata")
    assert lost == pytest.approx({"A": 6 * 4 / 12, "B": 4 * 4 / 12, "D": 2 * 4 / 12})


def test_seniority_pays_the_earliest_contract_first():
    # Pay 8: B (2025) 4 in full, then A 4 of its 6, then D nothing (ties in table order).
    assert _lost(rule="seniority") == pytest.approx({"A": 2.0, "B": 0.0, "D": 2.0})


def test_priority_pays_in_the_analysts_order():
    # R first (2), then P (6): 8 used up; Q (not named) last, loses its 4.
    assert _lost(rule="priority", priority=["R", "P"]) == pytest.approx({"A": 0.0, "B": 4.0, "D": 0.0})
    # A deal name works as well as a provider name, and one name may be given alone.
    assert _lost(rule="priority", priority="B") == pytest.approx({"A": 2.0, "B": 0.0, "D": 2.0})


def test_no_shortfall_when_funding_exactly_covers_commitments():
    fund = [
        {"customer": "C", "year": 2026, "item": "revenue", "value": 9.0},
        {"customer": "C", "year": 2026, "item": "funding", "value": 2.0},
    ]
    for rule, priority in (("pro_rata", None), ("seniority", None), ("priority", ["Q"])):
        t = shortfall_losses(HAND, funding=fund, terms=TERMS, rule=rule, priority=priority)
        assert t["lost"].max() == 0.0  # 9 + 2 + 1 = 12 = commitments


def test_cash_pool_carries_forward_and_surplus_revenue_does_not():
    # 2026: owes 6 from revenue 10 (surplus 4 is not kept), funding 3 kept; 2027: owes 14 from
    # revenue 10 + pool 3: loses 1.
    deals = [
        {"deal": "X", "provider": "P", "customer": "C", "value": 6, "start": "2026-01-01", "term_years": 1},
        {"deal": "Y", "provider": "Q", "customer": "C", "value": 14, "start": "2027-01-01", "term_years": 1},
    ]
    fund = [
        {"customer": "C", "year": 2026, "item": "revenue", "value": 10.0},
        {"customer": "C", "year": 2026, "item": "funding", "value": 3.0},
    ]
    terms = [
        {"customer": "C", "revenue_share": 1.0, "opening_cash": 0.0, "growth_after": 0.0, "volatility": 0.0}
    ]
    t = shortfall_losses(deals, funding=fund, terms=terms).set_index(["deal", "year"])["lost"]
    assert t[("X", 2026)] == 0.0
    assert t[("Y", 2027)] == pytest.approx(1.0)


def test_rule_errors_name_the_argument():
    with pytest.raises(DealDeskInputError, match=r"rule must be one of .*'pro_rata'.* got 'fifo'"):
        shortfall_losses(HAND, funding=FUND, terms=TERMS, rule="fifo")
    with pytest.raises(DealDeskInputError, match=r"priority must list providers or deals"):
        shortfall_losses(HAND, funding=FUND, terms=TERMS, rule="priority")
    with pytest.raises(
        DealDeskInputError, match=r"priority must name providers or deals of the portfolio .* got 'Z'"
    ):
        shortfall_losses(HAND, funding=FUND, terms=TERMS, rule="priority", priority=["Z"])
    with pytest.raises(DealDeskInputError, match=r"priority must be left out unless rule is 'priority'"):
        shortfall_losses(HAND, funding=FUND, terms=TERMS, priority=["P"])


def test_provider_effect_on_growth_and_margin_by_hand():
    # AWS: $128.7B in 2025 growing 20% a year, margin 34.6%. It loses $5B in 2027; 10% of the lost
    # revenue's cost is avoided, so operating profit falls by 4.5.
    losses = pd.DataFrame({"provider": ["Amazon (AWS)"] * 2, "year": [2026, 2027], "lost": [0.0, 5.0]})
    aws = [
        {
            "provider": "Amazon (AWS)",
            "base_revenue": 128.7,
            "base_margin": 0.346,
            "base_year": 2025,
            "growth": 0.2,
        }
    ]
    e = provider_effect(losses, aws, avoidable_cost_share=0.1).set_index("year")
    plan26, plan27 = 128.7 * 1.2, 128.7 * 1.2**2
    assert e.loc[2027, "revenue"] == pytest.approx(plan27)
    assert e.loc[2027, "growth_change_pp"] == pytest.approx(((plan27 - 5) / plan26 - 1 - 0.2) * 100)
    margin = (plan27 * 0.346 - 5 * 0.9) / (plan27 - 5)
    assert e.loc[2027, "margin_change_bps"] == pytest.approx((margin - 0.346) * 1e4)
    assert e.loc[2026, "margin_change_bps"] == pytest.approx(0.0, abs=1e-9)
    # The default figures are the model's provider inputs (AWS), in their base year.
    from core.assumptions import Assumptions
    from core.exposure import DEFAULT_PROVIDER_FIGURES

    row = DEFAULT_PROVIDER_FIGURES.set_index("provider").loc["Amazon (AWS)"]
    a = Assumptions()
    assert (row["base_revenue"], row["base_margin"]) == (a.base_revenue, a.base_margin)
    # Oracle's own figures (company library): FY2025 (to May 2025) revenue $57.4B at a 31% GAAP
    # operating margin, held flat. Losing $1B in 2027 with 90% of its cost avoided... by hand:
    oracle = DEFAULT_PROVIDER_FIGURES.set_index("provider").loc["Oracle"]
    assert (oracle["base_revenue"], oracle["base_margin"], oracle["base_year"]) == (57.4, 0.31, 2025)
    e = provider_effect(
        pd.DataFrame({"provider": ["Oracle"], "year": [2027], "lost": [1.0]}), avoidable_cost_share=0.1
    )
    margin = (57.4 * 0.31 - 1.0 * 0.9) / (57.4 - 1.0)
    assert e["margin_change_bps"].iloc[0] == pytest.approx((margin - 0.31) * 1e4)
    # A provider without figures (Nscale: revenue not public) gets blanks, not invented numbers.
    other = provider_effect(pd.DataFrame({"provider": ["Nscale"], "year": [2027], "lost": [1.0]}))
    assert math.isnan(other["margin_change_bps"].iloc[0])


# --------------------------------------------------------------------------- Monte Carlo


def test_same_numbers_whatever_the_chunk_size_threads_or_executor():
    n = 2 * BLOCK_DRAWS + 123
    base = simulate_exposure(draws=n, seed=11, chunk_size=10**6, workers=1)
    for kw in ({"chunk_size": 1, "workers": 3}, {"chunk_size": BLOCK_DRAWS + 1, "workers": 2}):
        other = simulate_exposure(draws=n, seed=11, **kw)
        assert np.array_equal(base.pair_loss, other.pair_loss)
        assert np.array_equal(base.mean_by_year, other.mean_by_year)
    with ThreadPoolExecutor(max_workers=2) as pool:
        other = simulate_exposure(draws=n, seed=11, chunk_size=1, executor=pool)
    assert np.array_equal(base.mean_by_year, other.mean_by_year)
    # Draw i is the same draw in a longer run.
    longer = simulate_exposure(draws=n + 500, seed=11)
    assert np.array_equal(longer.pair_loss[:n], base.pair_loss)
    assert not np.array_equal(simulate_exposure(draws=n, seed=12).pair_loss, base.pair_loss)


def test_no_volatility_gives_the_base_case_in_every_draw():
    # Hand portfolio with volatility 0: every draw loses exactly the pro-rata base case.
    r = simulate_exposure(HAND, funding=FUND, terms=TERMS, draws=50, seed=3)
    loss = r.provider_loss()
    assert np.allclose(loss, [[2.0, 4 / 3, 2 / 3]] * 50, rtol=0, atol=1e-12)
    assert r.summary().set_index("provider").loc["P", "p_loss_above_threshold"] == 1.0


def test_first_year_loss_probability_matches_the_lognormal():
    # One contract of 10 in 2026; revenue 8 × exp(0.5 z); loss when 8 e^{0.5 z} < 10:
    # P = Φ(ln(10/8) / 0.5).
    deals = [
        {"deal": "A", "provider": "P", "customer": "C", "value": 10, "start": "2026-01-01", "term_years": 1}
    ]
    fund = [{"customer": "C", "year": 2026, "item": "revenue", "value": 8.0}]
    terms = [
        {"customer": "C", "revenue_share": 1.0, "opening_cash": 0.0, "growth_after": 0.0, "volatility": 0.5}
    ]
    n = 40_000
    r = simulate_exposure(deals, funding=fund, terms=terms, draws=n, seed=5)
    p = 0.5 * (1 + math.erf(math.log(10 / 8) / 0.5 / math.sqrt(2)))
    assert abs(r.p_loss_by_year[0, 0] - p) < 4 * math.sqrt(p * (1 - p) / n)
    # Threshold 0 asks for P(any loss); the whole loss is 10 − revenue when revenue falls short.
    r0 = simulate_exposure(deals, funding=fund, terms=terms, draws=n, seed=5, threshold=0.0)
    assert r0.summary()["p_loss_above_threshold"].iloc[0] == pytest.approx(r.p_loss_by_year[0, 0])
    assert r.provider_loss().max() < 10.0


def test_correlated_customers_lose_together():
    deals = [
        {"deal": "A", "provider": "P", "customer": "C1", "value": 10, "start": "2026-01-01", "term_years": 1},
        {"deal": "B", "provider": "Q", "customer": "C2", "value": 10, "start": "2026-01-01", "term_years": 1},
    ]
    fund = [
        {"customer": "C1", "year": 2026, "item": "revenue", "value": 10.0},
        {"customer": "C2", "year": 2026, "item": "revenue", "value": 10.0},
    ]
    terms = [
        {"customer": c, "revenue_share": 1.0, "opening_cash": 0.0, "growth_after": 0.0, "volatility": 0.3}
        for c in ("C1", "C2")
    ]
    same = simulate_exposure(deals, funding=fund, terms=terms, draws=2_000, seed=1, correlation=1.0)
    loss = same.provider_loss()
    assert np.allclose(loss[:, 0], loss[:, 1], rtol=0, atol=1e-4)
    apart = simulate_exposure(
        deals, funding=fund, terms=terms, draws=2_000, seed=1, correlation=0.0
    ).provider_loss()
    both = np.mean((apart[:, 0] > 0) & (apart[:, 1] > 0))
    assert 0.2 < both < 0.3  # independent halves: about 1/4
    with pytest.raises(DealDeskInputError, match=r"correlation must be a number >= -1"):
        simulate_exposure(deals, funding=fund, terms=terms, draws=10, correlation=-2)


def test_library_simulation_names_openai_as_the_driver():
    r = simulate_exposure(draws=5_000, seed=2)
    s = r.summary().set_index("provider")
    for provider in ("Amazon (AWS)", "Oracle", "Microsoft (Azure)", "CoreWeave"):
        assert s.loc[provider, "top_customer"] == "OpenAI"
        assert s.loc[provider, "mean_at_risk"] > 0
    # Microsoft pays its neoclouds from $281.7B of revenue: nothing at risk.
    assert s.loc["Nebius", "mean_at_risk"] == 0.0
    out = exposure_summary(r)
    aws = out["providers"]["Amazon (AWS)"]
    assert aws["backlog_by_customer"]["OpenAI"] == pytest.approx(AWS, rel=1e-12)
    assert aws["revenue_at_risk"]["p95"] >= aws["revenue_at_risk"]["p50"]
    assert set(aws["mean_loss_by_year"]) == {str(y) for y in range(2026, 2033)}


def test_bad_simulation_inputs_are_refused():
    with pytest.raises(DealDeskInputError, match=r"^draws must be a number >= 1, got 0$"):
        simulate_exposure(draws=0)
    with pytest.raises(DealDeskInputError, match=r"threshold must be a number >= 0 and <= 1, got 1.5"):
        simulate_exposure(draws=10, threshold=1.5)
    with pytest.raises(DealDeskInputError, match=r"volatility must be given for customers of the portfolio"):
        simulate_exposure(draws=10, volatility={"Nobody": 0.2})


def test_commitments_by_year_keep_contract_value():
    c = commitments_by_year()
    assert c.loc["Oracle–OpenAI"].sum() == pytest.approx(300.0)
    assert c.loc["Oracle–OpenAI", 2026] == 0.0


def test_customers_or_portfolio_not_both():
    t = exposure_table(customers=["Meta"])
    assert t["provider"].tolist() == ["CoreWeave", "Google Cloud"]
    with pytest.raises(
        DealDeskInputError, match=r"give customers \(library contracts\) or a portfolio, not both"
    ):
        exposure_table(HAND, customers="Meta")


def test_unknown_customer_is_named():
    with pytest.raises(
        DealDeskInputError, match=r"customers must be customers with a compute contract .* got 'Nobody'"
    ):
        exposure_table(customers=["OpenAI", "Nobody"])
    with pytest.raises(DealDeskInputError, match=r"customers must name at least one customer, got \[\]"):
        exposure_table(customers=[])
    # Names match whatever their case.
    assert exposure_table(customers="openai")["provider"].tolist()[0] == "Amazon (AWS)"


# --------------------------------------------------------------------------- invariants


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    values=st.lists(st.floats(0.5, 50.0), min_size=2, max_size=4),
    offsets=st.lists(st.integers(0, 700), min_size=4, max_size=4),
    revenue=st.floats(0.1, 60.0),
    funding=st.floats(0.0, 30.0),
)
def test_every_rule_loses_the_same_shortfall_and_never_more_than_owed(values, offsets, revenue, funding):
    # The rules only decide who loses: per customer and year, the losses add up to the shortfall,
    # each contract loses between 0 and what it is owed, and the total is the same under every rule.
    deals = [
        {
            "deal": f"D{i}",
            "provider": f"P{i % 2}",
            "customer": "C",
            "value": v,
            "start": pd.Timestamp("2025-06-01") + pd.Timedelta(days=offsets[i]),
            "term_years": 2,
        }
        for i, v in enumerate(values)
    ]
    fund = [
        {"customer": "C", "year": 2026, "item": "revenue", "value": revenue},
        {"customer": "C", "year": 2026, "item": "funding", "value": funding},
    ]
    totals = []
    for rule, priority in (("pro_rata", None), ("seniority", None), ("priority", ["P1"])):
        t = shortfall_losses(deals, funding=fund, terms=TERMS, rule=rule, priority=priority)
        assert (t["lost"] >= -1e-12).all() and (t["lost"] <= t["committed"] + 1e-12).all()
        totals.append(t.groupby("year")["lost"].sum().to_numpy())
    assert np.allclose(totals[0], totals[1], atol=1e-9) and np.allclose(totals[0], totals[2], atol=1e-9)


def test_drivers_split_a_providers_loss_between_its_customers():
    # Provider P sells to two customers; C2 (revenue far below its bill) drives the loss.
    deals = [
        {"deal": "A", "provider": "P", "customer": "C1", "value": 10, "start": "2026-01-01", "term_years": 1},
        {"deal": "B", "provider": "P", "customer": "C2", "value": 10, "start": "2026-01-01", "term_years": 1},
    ]
    fund = [
        {"customer": "C1", "year": 2026, "item": "revenue", "value": 12.0},
        {"customer": "C2", "year": 2026, "item": "revenue", "value": 5.0},
    ]
    terms = [
        {"customer": c, "revenue_share": 1.0, "opening_cash": 0.0, "growth_after": 0.0, "volatility": 0.2}
        for c in ("C1", "C2")
    ]
    r = simulate_exposure(deals, funding=fund, terms=terms, draws=4_000, seed=8)
    d = r.drivers().set_index("customer")
    assert d["share_of_loss"].sum() == pytest.approx(1.0)
    assert d["share_of_tail_loss"].sum() == pytest.approx(1.0)
    assert d.loc["C2", "share_of_loss"] > 0.9
    # By hand: C2 loses max(10 − 5 e^{0.2 z}, 0); 5 e^{0.2 z} reaches 10 only for z > 3.47, so the
    # mean is 10 − 5 E[e^{0.2 z}] = 10 − 5 e^{0.02} up to sampling error (sd of 5 e^{0.2 z} ≈ 1.0).
    assert d.loc["C2", "mean_loss"] == pytest.approx(10 - 5 * math.exp(0.02), abs=4 * 1.0 / math.sqrt(4_000))
    assert r.summary()["top_customer"].iloc[0] == "C2"


def test_an_as_of_year_before_the_first_contract_year_counts_empty_years_as_zero():
    # From 2024 on, AWS is still owed the whole $38B of AWS–OpenAI (it starts 2025-11-03), and
    # no simulated figure is NaN (empty years before any contract earned were once left as NaN).
    import numpy as np

    from core.exposure import simulate_exposure

    r = simulate_exposure(draws=50, seed=1, as_of_year=2024)
    assert r.years[0] == 2024
    aws = r.providers.index("Amazon (AWS)")
    assert float(np.asarray(r.backlog)[aws]) == pytest.approx(38.0)
    summary = r.summary() if callable(r.summary) else r.summary
    assert not summary.select_dtypes("number").isna().any().any()


def test_outsized_providers_on_both_sides_of_the_boundary():
    # Rule: a provider is outsized when its contracted revenue in some analysis year exceeds that
    # year's revenue path (base x (1 + growth)^(t - base_year)). One contract of 10 over 5 years
    # from 2026-01-01 (1826 days) earns most in the leap year 2028: 10 x 366 / 1826.
    peak = 10 * 366 / 1826
    contract = [
        {
            "deal": "X–Y",
            "provider": "X",
            "customer": "Y",
            "value": 10.0,
            "start": "2026-01-01",
            "term_years": 5,
        }
    ]

    def flag(base: float, growth: float = 0.0) -> tuple[float, bool]:
        figures = pd.DataFrame(
            {
                "provider": ["X"],
                "base_revenue": [base],
                "base_margin": [0.2],
                "base_year": [2025],
                "growth": [growth],
            }
        )
        row = outsized_providers(contract, figures).iloc[0]
        return float(row["peak_ratio"]), bool(row["outsized"])

    assert flag(peak * (1 + 1e-9))[1] is False  # the path just above the peak year: not outsized
    ratio, outsized = flag(peak * (1 - 1e-9))
    assert outsized is True and ratio == pytest.approx(1 + 1e-9)
    # Growth raises the path: base 1.0 in 2025 doubling each year is 8 in 2028, 16 in 2029; the
    # largest year-ratio is 2026: (10 x 365 / 1826) / 2.
    ratio, outsized = flag(1.0, growth=1.0)
    assert ratio == pytest.approx(10 * 365 / 1826 / 2) and outsized is False


def test_outsized_providers_leave_providers_without_figures_unflagged():
    # The library: CoreWeave, Nebius and IREN earn more a year from their contracts than in their
    # last full fiscal year; AWS does not; Nscale has no public revenue, so no effect and no flag.
    t = outsized_providers().set_index("provider")
    assert t.loc[["CoreWeave", "Nebius", "IREN"], "outsized"].tolist() == [True, True, True]
    assert not t.loc["Amazon (AWS)", "outsized"]
    assert math.isnan(t.loc["Nscale", "peak_ratio"]) and not t.loc["Nscale", "outsized"]
    with pytest.raises(DealDeskInputError, match=r"as_of_year must be"):
        outsized_providers(as_of_year="soon")


def test_a_provider_at_the_undisclosed_revenue_placeholder_gets_no_figures():
    # Nscale's revenue is not public: its inputs carry the US$1M placeholder (0.001, exactly the
    # rule's bound), which must count as "not public" and give no row, not a $1M company.
    from core.deals import UNDISCLOSED_REVENUE, deal_assumptions
    from core.exposure import DEFAULT_PROVIDER_FIGURES

    assert deal_assumptions("Microsoft–Nscale").base_revenue == UNDISCLOSED_REVENUE == 0.001
    providers = set(DEFAULT_PROVIDER_FIGURES["provider"])
    assert "Nscale" not in providers
    assert {"Amazon (AWS)", "Oracle", "CoreWeave"} <= providers


@pytest.mark.parametrize(
    "day, year_end_month, year",
    [
        # Calendar years: a deal on 31 December is inside that year; the next day it is over.
        (dt.date(2025, 12, 31), 12, 2024),
        (dt.date(2026, 1, 1), 12, 2025),
        # Oracle's years end in May: FY2025 ran to 2025-05-31.
        (dt.date(2025, 5, 31), 5, 2024),
        (dt.date(2025, 6, 1), 5, 2025),
    ],
)
def test_a_providers_figures_are_from_the_last_fiscal_year_over_before_the_deal(day, year_end_month, year):
    from core.exposure import _last_full_fiscal_year

    assert _last_full_fiscal_year(day, year_end_month) == year


def test_avoidable_costs_of_a_deal_under_one_billion_a_year():
    # $0.5B over 7 years peaks far below $1B a year; its power bill ÷ peak run-rate still counts:
    # avoidable share = power cost ÷ peak run-rate + other opex share (the default 5.5%).
    from core.assumptions import Assumptions
    from core.exposure import avoidable_cost_share
    from core.model import model_output

    a = Assumptions(contract_value=0.5)
    peak, power = model_output(a, "peak_run_rate"), model_output(a, "power_cost")
    assert 0 < peak < 1
    assert avoidable_cost_share(a) == pytest.approx(power / peak + 0.055)
    assert avoidable_cost_share(a) > 0.055 + 0.01  # the power share is there, about 6 points


def test_growth_after_losses_in_consecutive_years_by_hand():
    # A provider of $100B in 2025 growing 10% loses $2B in 2026 and $5B in 2027: 2027's growth is
    # measured against 2026 after its own loss, (121 - 5) ÷ (110 - 2) - 1.
    losses = pd.DataFrame({"provider": ["P", "P"], "year": [2026, 2027], "lost": [2.0, 5.0]})
    figures = [{"provider": "P", "base_revenue": 100.0, "base_margin": 0.3, "base_year": 2025, "growth": 0.1}]
    e = provider_effect(losses, figures, avoidable_cost_share=0.0).set_index("year")
    assert e.loc[2026, "growth_after_loss"] == pytest.approx((110 - 2) / 100 - 1)
    assert e.loc[2027, "growth_after_loss"] == pytest.approx((121 - 5) / (110 - 2) - 1)
