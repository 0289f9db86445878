"""core.exposure.montecarlo: the same numbers whatever the chunks, lognormal paths, correlation, drivers."""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from core.exposure import (
    BLOCK_DRAWS,
    simulate_exposure,
)
from core.validation import DealDeskInputError
from tests.core.exposure.cases import FUND, HAND, TERMS


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


def test_bad_simulation_inputs_are_refused():
    with pytest.raises(DealDeskInputError, match=r"^draws must be a number >= 1, got 0$"):
        simulate_exposure(draws=0)
    with pytest.raises(DealDeskInputError, match=r"threshold must be a number >= 0 and <= 1, got 1.5"):
        simulate_exposure(draws=10, threshold=1.5)
    with pytest.raises(DealDeskInputError, match=r"volatility must be given for customers of the portfolio"):
        simulate_exposure(draws=10, volatility={"Nobody": 0.2})


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
    # From 2024 on, AWS is still owed the whole $38B of AWS–OpenAI (it starts 2025-11-03), the $62B of
    # its expansion (from 2026) and Anthropic's $100B (from 2026-04-20), and
    # no simulated figure is NaN (empty years before any contract earned were once left as NaN).
    import numpy as np

    from core.exposure import simulate_exposure

    r = simulate_exposure(draws=50, seed=1, as_of_year=2024)
    assert r.years[0] == 2024
    aws = r.providers.index("Amazon (AWS)")
    assert float(np.asarray(r.backlog)[aws]) == pytest.approx(38.0 + 62.0 + 100.0)
    summary = r.summary() if callable(r.summary) else r.summary
    assert not summary.select_dtypes("number").isna().any().any()
