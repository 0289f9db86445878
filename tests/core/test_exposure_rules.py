"""Every exposure rule on a case where the rule matters, each expected value worked by hand here.

The hand portfolio: customer C owes, in 2026 (analyst rows: straight lines, fully realised; a
one-year contract from 2026-01-01 earns its whole value in 2026, a two-year one from 2025-01-01
earns half in each year, 365 of 730 days):

* L: $3B to provider P, starts 2026-01-01, listed FIRST (out of date order);
* E: $8B over 2025-2026 to Q, starts 2025-01-01 (the senior contract): $4B in 2026;
* T: $2B to R, starts 2026-01-01 (the same day as L: equal rank, after L in the table).

Commitments in 2026 are 3 + 4 + 2 = 9. With revenue 5 and no funding, the shortfall is 4.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from core.exposure import BLOCK_DRAWS, funding_paths, shortfall_losses, simulate_exposure
from core.validation import DealDeskInputError

L = {"deal": "L", "provider": "P", "customer": "C", "value": 3, "start": "2026-01-01", "term_years": 1}
E = {"deal": "E", "provider": "Q", "customer": "C", "value": 8, "start": "2025-01-01", "term_years": 2}
T = {"deal": "T", "provider": "R", "customer": "C", "value": 2, "start": "2026-01-01", "term_years": 1}
OUT_OF_ORDER = [L, E, T]
FUND = [{"customer": "C", "year": 2026, "item": "revenue", "value": 5.0}]


def _lost(portfolio, **kw) -> dict[str, float]:
    table = shortfall_losses(portfolio, funding=kw.pop("funding", FUND), **kw)
    table = table[table["year"] == 2026]
    return dict(zip(table["deal"], table["lost"].round(9), strict=True))


def test_seniority_pays_by_start_date_whatever_the_listing_and_ties_in_listing_order():
    # Order E (2025), then L and T (both 2026-01-01; L is listed first). Revenue 5 pays E's 4,
    # then 1 of L's 3 (L loses 2), and nothing of T's 2 (T loses 2).
    assert _lost(OUT_OF_ORDER, rule="seniority") == {"L": 2.0, "E": 0.0, "T": 2.0}
    # The same contracts listed T before L: the tie now goes to T (pays 1 of 2, loses 1), L loses 3.
    assert _lost([T, E, L], rule="seniority") == {"T": 1.0, "E": 0.0, "L": 3.0}


def test_priority_pays_the_named_first_then_the_unnamed_by_seniority():
    # R named: T paid 2 first; then the unnamed by start date: E (2025) before L although L is listed
    # first. E gets 5 - 2 = 3 of its 4 (loses 1), L nothing (loses 3).
    assert _lost(OUT_OF_ORDER, rule="priority", priority=["R"]) == {"L": 3.0, "E": 1.0, "T": 0.0}
    # Q named (E paid 4); L and T unnamed, of equal rank (same start): listing order, L then T.
    assert _lost(OUT_OF_ORDER, rule="priority", priority=["Q"]) == {"L": 2.0, "E": 0.0, "T": 2.0}
    assert _lost([T, E, L], rule="priority", priority=["Q"]) == {"T": 1.0, "E": 0.0, "L": 3.0}
    # A deal may be named instead of a provider; two names are paid in the order given.
    assert _lost(OUT_OF_ORDER, rule="priority", priority=["L"]) == {"L": 0.0, "E": 2.0, "T": 2.0}
    assert _lost(OUT_OF_ORDER, rule="priority", priority=["R", "P"]) == {"L": 0.0, "E": 4.0, "T": 0.0}


def test_pro_rata_spreads_the_shortfall_by_each_contracts_share_of_its_own_customer():
    # Shortfall 4 over 9 of commitments: L 4·3/9, E 4·4/9, T 4·2/9. Another customer D, fully
    # funded, with its own contract at P, loses nothing and does not dilute C's shares.
    other = {
        "deal": "O",
        "provider": "P",
        "customer": "D",
        "value": 6,
        "start": "2026-01-01",
        "term_years": 1,
    }
    fund = [*FUND, {"customer": "D", "year": 2026, "item": "revenue", "value": 6.0}]
    lost = _lost([*OUT_OF_ORDER, other], rule="pro_rata", funding=fund)
    assert lost == pytest.approx({"L": 4 / 3, "E": 16 / 9, "T": 8 / 9, "O": 0.0}, abs=1e-9)


@pytest.mark.parametrize("rule", ["pro_rata", "seniority", "priority"])
def test_each_rule_at_the_edge_of_a_shortfall(rule):
    priority = ["P"] if rule == "priority" else None
    enough = [{"customer": "C", "year": 2026, "item": "revenue", "value": 9.0}]
    assert sum(_lost(OUT_OF_ORDER, rule=rule, priority=priority, funding=enough).values()) == pytest.approx(
        0, abs=1e-9
    )
    short = [{"customer": "C", "year": 2026, "item": "revenue", "value": 8.5}]
    assert sum(_lost(OUT_OF_ORDER, rule=rule, priority=priority, funding=short).values()) == pytest.approx(
        0.5
    )
    # Funding that covers the gap exactly (revenue 5 + funding 3 + opening cash 1 = 9): nothing lost.
    cash = [*FUND, {"customer": "C", "year": 2026, "item": "funding", "value": 3.0}]
    terms = [
        {"customer": "C", "revenue_share": 1.0, "opening_cash": 1.0, "growth_after": 0.0, "volatility": 0.0}
    ]
    lost = shortfall_losses(OUT_OF_ORDER, rule=rule, priority=priority, funding=cash, terms=terms)["lost"]
    assert lost.abs().max() == pytest.approx(0, abs=1e-9)


# ----------------------------------------------------------------------------- funding paths

STATED = [
    {"customer": "C", "year": 2026, "item": "revenue", "value": 4.0},
    {"customer": "C", "year": 2028, "item": "revenue", "value": 16.0},
]


def _terms(share=1.0, growth=0.0, cash=0.0, vol=0.0):
    return [
        {
            "customer": "C",
            "revenue_share": share,
            "opening_cash": cash,
            "growth_after": growth,
            "volatility": vol,
        }
    ]


def test_revenue_is_flat_before_geometric_between_and_grows_at_growth_after_beyond_the_stated_years():
    # 2025: the first stated (4); 2027: sqrt(4·16) = 8; 2029, 2030: 16·1.5 = 24, 16·1.5² = 36.
    paths = funding_paths(["C"], range(2025, 2031), funding=STATED, terms=_terms(growth=0.5))
    assert paths["revenue"]["C"].tolist() == pytest.approx([4, 4, 8, 16, 24, 36])
    # Negative growth after the last stated year: 16·0.75 = 12, then 9.
    paths = funding_paths(["C"], [2028, 2029, 2030], funding=STATED, terms=_terms(growth=-0.25))
    assert paths["revenue"]["C"].tolist() == pytest.approx([16, 12, 9])


def test_the_shortfall_reads_the_grown_revenue_times_the_revenue_share():
    # A $10B contract in 2029 (365 days, all in 2029). Revenue 2029 = 16·1.5 = 24; a quarter of it
    # pays compute: 6, so 4 is lost. Half of it: 12 covers the 10. Flat after 2028 (no growth):
    # a quarter of 16 = 4 pays, 6 is lost.
    deal = [
        {"deal": "X", "provider": "P", "customer": "C", "value": 10, "start": "2029-01-01", "term_years": 1}
    ]

    def lost(**terms):
        t = shortfall_losses(deal, funding=STATED, terms=_terms(**terms), as_of_year=2029)
        return float(t.loc[t["year"] == 2029, "lost"].sum())

    assert lost(share=0.25, growth=0.5) == pytest.approx(4.0)
    assert lost(share=0.5, growth=0.5) == pytest.approx(0.0, abs=1e-9)
    assert lost(share=0.25, growth=0.0) == pytest.approx(6.0)
    assert lost(share=0.0, growth=0.5) == pytest.approx(10.0)


@pytest.mark.parametrize(
    ("column", "good", "bad", "message"),
    [
        ("revenue_share", [0.0, 1.0], [-0.01, 1.01], r"revenue_share \(C\) must be a number >= 0 and <= 1"),
        ("growth_after", [-0.99, 10.0], [-1.0, 10.01], r"growth_after \(C\) must be a number > -1 and <= 10"),
        ("volatility", [0.0, 5.0], [-0.01, 5.01], r"volatility \(C\) must be a number >= 0 and <= 5"),
        ("opening_cash", [0.0], [-0.01], r"opening_cash \(C\) must be a number >= 0"),
    ],
)
def test_customer_terms_at_and_beyond_their_bounds(column, good, bad, message):
    names = {"revenue_share": "share", "growth_after": "growth", "volatility": "vol", "opening_cash": "cash"}
    for value in good:
        funding_paths(["C"], [2026], funding=STATED, terms=_terms(**{names[column]: value}))
    for value in bad:
        with pytest.raises(DealDeskInputError, match=message):
            funding_paths(["C"], [2026], funding=STATED, terms=_terms(**{names[column]: value}))


def test_stated_revenue_must_be_positive_and_funding_may_be_zero():
    zero_funding = [*STATED, {"customer": "C", "year": 2026, "item": "funding", "value": 0.0}]
    assert funding_paths(["C"], [2026], funding=zero_funding)["funding"]["C"].tolist() == [0.0]
    with pytest.raises(
        DealDeskInputError, match=r"funding value \(C revenue 2026\) must be a number > 0, got 0.0"
    ):
        funding_paths(
            ["C"], [2026], funding=[{"customer": "C", "year": 2026, "item": "revenue", "value": 0.0}]
        )
    with pytest.raises(DealDeskInputError, match=r"funding value \(C funding 2026\) must be a number >= 0"):
        funding_paths(
            ["C"], [2026], funding=[*STATED, {"customer": "C", "year": 2026, "item": "funding", "value": -1}]
        )


def test_a_customer_without_terms_pays_with_all_its_revenue_and_stays_flat():
    other = [
        {"customer": "D", "revenue_share": 0.5, "opening_cash": 1.0, "growth_after": 0.5, "volatility": 0.1}
    ]
    paths = funding_paths(["C"], [2028, 2029], funding=STATED, terms=other)
    assert paths["revenue"]["C"].tolist() == pytest.approx([16, 16])
    assert paths["terms"].loc["C"].tolist() == [1.0, 0.0, 0.0, 0.0]


# ----------------------------------------------------------------------------- revenue at risk

# P: $10B in 2026 (backlog 10, signed later so all of it counts); Q: $40B over 2026-2027 (730 days,
# $20B a year, backlog 40). Revenue 18 a year, flat, no cash. 2026: owed 30, short 12, pro rata
# P loses 12·10/30 = 4 and Q 8. 2027: owed 20 (Q), short 2. P: 4 of 10 (40%); Q: 10 of 40 (25%).
RISK = [
    {"deal": "A", "provider": "P", "customer": "C", "value": 10, "start": "2026-01-01", "term_years": 1},
    {"deal": "B", "provider": "Q", "customer": "C", "value": 40, "start": "2026-01-01", "term_years": 2},
]
RISK_FUND = [{"customer": "C", "year": 2026, "item": "revenue", "value": 18.0}]


def _risk(threshold: float):
    result = simulate_exposure(RISK, funding=RISK_FUND, terms=_terms(), draws=50, threshold=threshold)
    return result.summary().set_index("provider")


def test_revenue_at_risk_and_its_share_of_backlog_by_hand():
    s = _risk(0.10)
    assert s["ai_backlog"].tolist() == pytest.approx([10, 40])
    assert s["mean_at_risk"].tolist() == pytest.approx([4, 10])
    assert s["p95_at_risk"].tolist() == pytest.approx([4, 10])
    assert s["mean_share_of_backlog"].tolist() == pytest.approx([0.4, 0.25])
    assert s["top_customer"].tolist() == ["C", "C"]
    # By year: P loses 4 in 2026 and nothing in 2027 (its contract is over); Q 8 then 2. Every
    # draw is the base case (volatility 0), so a loss happens in all draws or in none.
    by_year = simulate_exposure(RISK, funding=RISK_FUND, terms=_terms(), draws=50).by_year()
    assert (
        by_year["provider"].tolist() == ["P", "P", "Q", "Q"] and by_year["year"].tolist() == [2026, 2027] * 2
    )
    assert by_year["lost"].tolist() == pytest.approx([4, 0, 8, 2], abs=1e-9)
    assert by_year["p_loss"].tolist() == [1.0, 0.0, 1.0, 1.0]


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [
        (0.0, [1.0, 1.0]),  # any loss at all
        (0.2, [1.0, 1.0]),  # P 4 > 2, Q 10 > 8
        (0.3, [1.0, 0.0]),  # P 4 > 3, Q 10 is not > 12: a share of each provider's own backlog
        (0.39, [1.0, 0.0]),
        (0.41, [0.0, 0.0]),  # P 4 is not > 4.1 (an absolute threshold of 0.41 would say 1)
        (1.0, [0.0, 0.0]),
    ],
)
def test_the_loss_threshold_is_a_share_of_each_providers_backlog(threshold, expected):
    assert _risk(threshold)["p_loss_above_threshold"].tolist() == expected


@pytest.mark.parametrize(
    ("threshold", "message"),
    [
        (-0.01, r"threshold must be a number >= 0 and <= 1, got -0.01"),
        (1.01, r"threshold must be a number >= 0 and <= 1, got 1.01"),
        (math.nan, r"threshold must be a finite number, got nan"),
    ],
)
def test_the_threshold_must_be_a_share(threshold, message):
    with pytest.raises(DealDeskInputError, match=message):
        _risk(threshold)


# ----------------------------------------------------------------------------- block seeding


def _documented_normals(seed: int, block: int, years: int, customers: int) -> np.ndarray:
    """The documented stream: block ``b`` is PCG64 seeded with ``SeedSequence(seed, spawn_key=(b,))``,
    drawn as BLOCK_DRAWS × years × customers standard normals (numpy's own generator, not DealDesk)."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block,))))
    return rng.standard_normal((BLOCK_DRAWS, years, customers))


def test_each_draw_comes_from_its_documented_block_stream():
    # Customers C (σ 0.3) and D (σ 0.2), correlation 0.6; each owes $10B a year in 2026 and 2027
    # to its own provider and has stated revenue 10 (flat), no cash. A draw's revenue is
    # 10·exp(σ·(s_1 + … + s_t)) with C's shocks s = z_C and D's s = 0.6 z_C + 0.8 z_D (Cholesky of
    # the correlation: sqrt(1 - 0.36) = 0.8); each year's loss is max(10 - revenue, 0).
    portfolio = [
        {"deal": "A", "provider": "P", "customer": "C", "value": 20, "start": "2026-01-01", "term_years": 2},
        {"deal": "B", "provider": "Q", "customer": "D", "value": 20, "start": "2026-01-01", "term_years": 2},
    ]
    funding = [{"customer": c, "year": 2026, "item": "revenue", "value": 10.0} for c in ("C", "D")]
    terms = [
        {"customer": "C", "revenue_share": 1.0, "opening_cash": 0.0, "growth_after": 0.0, "volatility": 0.3},
        {"customer": "D", "revenue_share": 1.0, "opening_cash": 0.0, "growth_after": 0.0, "volatility": 0.2},
    ]
    draws, seed = BLOCK_DRAWS + 7, 11
    result = simulate_exposure(
        portfolio,
        funding=funding,
        terms=terms,
        draws=draws,
        seed=seed,
        correlation=0.6,
        chunk_size=BLOCK_DRAWS,
    )
    z = np.concatenate([_documented_normals(seed, 0, 2, 2), _documented_normals(seed, 1, 2, 2)])[:draws]
    shock_c = z[:, :, 0]
    shock_d = 0.6 * z[:, :, 0] + 0.8 * z[:, :, 1]
    loss_c = np.maximum(10 - 10 * np.exp(0.3 * np.cumsum(shock_c, axis=1)), 0).sum(axis=1)
    loss_d = np.maximum(10 - 10 * np.exp(0.2 * np.cumsum(shock_d, axis=1)), 0).sum(axis=1)
    assert result.pairs == ((0, 0), (1, 1))
    np.testing.assert_allclose(result.pair_loss[:, 0], loss_c, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(result.pair_loss[:, 1], loss_d, rtol=1e-9, atol=1e-9)
    # The draws of the second block are not the first block's again.
    assert not np.allclose(result.pair_loss[BLOCK_DRAWS : BLOCK_DRAWS + 7, 0], result.pair_loss[:7, 0])


# ----------------------------------------------------------------------------- defaults and effects


def test_default_volatility_is_thirty_percent_for_an_ai_lab_and_ten_for_a_diversified_company():
    # The analyst assumptions stated in core.exposure.funding: 30% for OpenAI and Anthropic, 10% else,
    # and each row's note says its own figure.
    from core.exposure import default_customer_terms

    terms = default_customer_terms().set_index("customer")
    expected = {"OpenAI": 0.3, "Anthropic": 0.3, "Microsoft": 0.1, "Meta": 0.1}
    assert terms.loc[list(expected), "volatility"].to_dict() == expected
    for name, vol in expected.items():
        assert f"volatility {vol:.0%}" in terms.loc[name, "note"]
    assert (terms["revenue_share"] == 1.0).all() and (terms["opening_cash"] == 0.0).all()


def _aws(**change):
    row = {"provider": "P", "base_revenue": 100.0, "base_margin": 0.3, "base_year": 2025, "growth": 0.1}
    return [{**row, **change}]


@pytest.mark.parametrize(
    ("column", "good", "bad", "message"),
    [
        ("growth", [-0.99, 10.0], [-1.0, 10.01], r"growth \(P\) must be a number > -1 and <= 10"),
        ("base_margin", [-1.0, 1.0], [-1.01, 1.01], r"base_margin \(P\) must be a number >= -1 and <= 1"),
        ("base_revenue", [0.01], [0.0], r"base_revenue \(P\) must be a number > 0"),
    ],
)
def test_provider_figures_at_and_beyond_their_bounds(column, good, bad, message):
    from core.exposure import provider_effect

    losses = [{"provider": "P", "year": 2026, "lost": 1.0}]
    for value in good:
        provider_effect(losses, _aws(**{column: value}), avoidable_cost_share=0.0)
    for value in bad:
        with pytest.raises(DealDeskInputError, match=message):
            provider_effect(losses, _aws(**{column: value}), avoidable_cost_share=0.0)


def test_provider_effect_in_consecutive_years_by_hand():
    # P: 100 in 2025, +10% a year, margin 30%; loses 2 in 2026 and 3 in 2027, 20% of the cost avoided.
    # 2026: plan 110, after 108, growth 108/100 - 1 = 8%, margin (33 - 1.6)/108.
    # 2027: plan 121, after 118, growth 118/108 - 1, margin (36.3 - 2.4)/118.
    from core.exposure import provider_effect

    losses = [{"provider": "P", "year": 2027, "lost": 3.0}, {"provider": "P", "year": 2026, "lost": 2.0}]
    e = provider_effect(losses, _aws(), avoidable_cost_share=0.2).set_index("year")
    assert e["revenue"].tolist() == pytest.approx([110, 121])
    assert e["growth_after_loss"].tolist() == pytest.approx([0.08, 118 / 108 - 1])
    assert e["growth_change_pp"].tolist() == pytest.approx([-2.0, (118 / 108 - 1.1) * 100])
    assert e["margin_after_loss"].tolist() == pytest.approx([31.4 / 108, 33.9 / 118])
    assert e["margin_change_bps"].tolist() == pytest.approx(
        [(31.4 / 108 - 0.3) * 1e4, (33.9 / 118 - 0.3) * 1e4]
    )
    with pytest.raises(
        DealDeskInputError, match=r"avoidable_cost_share must be a number >= 0 and <= 1, got 1.01"
    ):
        provider_effect(losses, _aws(), avoidable_cost_share=1.01)
    assert provider_effect(losses, _aws(), avoidable_cost_share=1.0)[
        "margin_after_loss"
    ].tolist() == pytest.approx([33 / 108, 36.3 / 118])


# ----------------------------------------------------------------------------- simulation inputs


def test_a_volatility_override_at_and_beyond_its_bounds():
    # σ 0 for C overrides the terms' 0.3: every draw is the base case, P loses 4 and Q 10 (as above).
    noisy = [{**_terms()[0], "volatility": 0.3}]
    result = simulate_exposure(RISK, funding=RISK_FUND, terms=noisy, draws=20, volatility={"C": 0.0})
    assert result.summary()["p95_at_risk"].tolist() == pytest.approx([4, 10])
    simulate_exposure(RISK, funding=RISK_FUND, terms=_terms(), draws=5, volatility={"C": 5.0})
    for bad in (-0.01, 5.01):
        with pytest.raises(
            DealDeskInputError, match=rf"^volatility \(C\) must be a number >= 0 and <= 5, got {bad}$"
        ):
            simulate_exposure(RISK, funding=RISK_FUND, terms=_terms(), draws=5, volatility={"C": bad})
    with pytest.raises(
        DealDeskInputError, match=r"^volatility must be given for customers of the portfolio \(C\), got 'D'$"
    ):
        simulate_exposure(RISK, funding=RISK_FUND, terms=_terms(), draws=5, volatility={"D": 0.1})


def test_one_correlation_for_every_pair_is_at_least_minus_one_over_k_minus_one():
    # Three customers: the most negative common correlation a valid matrix allows is -1/2.
    three = [
        {"deal": c, "provider": "P", "customer": c, "value": 1, "start": "2026-01-01", "term_years": 1}
        for c in ("C", "D", "E")
    ]
    fund = [{"customer": c, "year": 2026, "item": "revenue", "value": 1.0} for c in ("C", "D", "E")]
    simulate_exposure(three, funding=fund, draws=5, correlation=-0.5)
    simulate_exposure(three, funding=fund, draws=5, correlation=1.0)
    with pytest.raises(
        DealDeskInputError, match=r"^correlation must be a number >= -0.5 and <= 1, got -0.51$"
    ):
        simulate_exposure(three, funding=fund, draws=5, correlation=-0.51)
    # Two customers: down to -1.
    simulate_exposure(three[:2], funding=fund, draws=5, correlation=-1.0)
    with pytest.raises(DealDeskInputError, match=r"^correlation must be a number >= -1 and <= 1, got 1.01$"):
        simulate_exposure(three[:2], funding=fund, draws=5, correlation=1.01)


def test_a_provider_whose_contracts_equal_its_revenue_path_is_not_outsized():
    # $10B in 2026 (one full year) against a path of 10 (2025) × (1 + 0)^1 = 10: a ratio of exactly 1,
    # which the rule (core.margin.outsized_deal: above 1) does not flag; 10.01 is flagged.
    from core.exposure import outsized_providers

    def flag(value):
        deal = [
            {
                "deal": "A",
                "provider": "P",
                "customer": "C",
                "value": value,
                "start": "2026-01-01",
                "term_years": 1,
            }
        ]
        row = outsized_providers(deal, _aws(base_revenue=10.0, growth=0.0)).iloc[0]
        return float(row["peak_ratio"]), bool(row["outsized"])

    assert flag(10.0) == (1.0, False)
    ratio, outsized = flag(10.01)
    assert ratio == pytest.approx(1.001) and outsized is True


def test_the_simulation_draws_ten_thousand_times_unless_told():
    # The default of both signatures (simulate_exposure, exposure_risk): 10,000 draws.
    assert simulate_exposure(RISK, funding=RISK_FUND, terms=_terms()).draws == 10_000
    assert simulate_exposure(RISK, funding=RISK_FUND, terms=_terms(), draws=1).pair_loss.shape == (1, 2)
    with pytest.raises(DealDeskInputError, match=r"^draws must be .*got 0"):
        simulate_exposure(RISK, funding=RISK_FUND, terms=_terms(), draws=0)


@pytest.mark.parametrize("priority", [[], (), "P", None])
def test_the_priority_rule_needs_a_list_of_names(priority):
    # Through shortfall_losses a single name is a list of one; the plan itself takes only a list.
    from core.exposure.shortfall import shortfall_plan

    message = r"^priority must list providers or deals in the order they are paid when rule is 'priority'"
    with pytest.raises(DealDeskInputError, match=message):
        shortfall_plan(
            OUT_OF_ORDER, funding=FUND, terms=None, rule="priority", priority=priority, as_of_year=2026
        )
    if priority != "P":
        with pytest.raises(DealDeskInputError, match=message):
            shortfall_losses(OUT_OF_ORDER, rule="priority", priority=priority, funding=FUND)
    else:
        assert _lost(OUT_OF_ORDER, rule="priority", priority=priority) == {"L": 0.0, "E": 2.0, "T": 2.0}


def test_a_provider_that_loses_nothing_names_no_top_customer():
    # Revenue 30 covers 2026's 30 and 2027's 20: nobody loses, so no customer drives a loss.
    rich = [{"customer": "C", "year": 2026, "item": "revenue", "value": 30.0}]
    s = simulate_exposure(RISK, funding=rich, terms=_terms(), draws=10).summary()
    assert s["mean_at_risk"].tolist() == pytest.approx([0, 0], abs=1e-12)
    assert s["top_customer"].tolist() == ["", ""]
    assert s["p_loss_above_threshold"].tolist() == [0.0, 0.0]


def test_drivers_by_hand_when_every_draw_is_the_base_case():
    # P sells $10B to C (revenue 6: loses 4) and $10B to D (revenue 9: loses 1), no volatility. P's
    # loss is 5 in every draw, so every draw is in the tail (at or above its 95th percentile): both
    # shares are 4/5 and 1/5.
    deals = [
        {"deal": "A", "provider": "P", "customer": "C", "value": 10, "start": "2026-01-01", "term_years": 1},
        {"deal": "B", "provider": "P", "customer": "D", "value": 10, "start": "2026-01-01", "term_years": 1},
    ]
    fund = [
        {"customer": "C", "year": 2026, "item": "revenue", "value": 6.0},
        {"customer": "D", "year": 2026, "item": "revenue", "value": 9.0},
    ]
    d = simulate_exposure(deals, funding=fund, draws=20).drivers().set_index("customer")
    assert d["backlog"].tolist() == pytest.approx([10, 10])
    assert d["mean_loss"].tolist() == pytest.approx([4, 1])
    assert d["share_of_loss"].tolist() == pytest.approx([0.8, 0.2])
    assert d["share_of_tail_loss"].tolist() == pytest.approx([0.8, 0.2])


def test_a_correlation_matrix_may_hold_a_perfect_correlation():
    # Two customers moving together (1 off the diagonal) is a valid matrix; 1.01 off it is not.
    two = [
        {"deal": c, "provider": "P", "customer": c, "value": 1, "start": "2026-01-01", "term_years": 1}
        for c in ("C", "D")
    ]
    fund = [{"customer": c, "year": 2026, "item": "revenue", "value": 1.0} for c in ("C", "D")]

    def matrix(rho):
        return pd.DataFrame([[1.0, rho], [rho, 1.0]], index=["C", "D"], columns=["C", "D"])

    simulate_exposure(two, funding=fund, draws=5, correlation=matrix(1.0))
    with pytest.raises(
        DealDeskInputError, match=r"^correlation matrix must be symmetric with 1 on the diagonal"
    ):
        simulate_exposure(two, funding=fund, draws=5, correlation=matrix(1.01))


def test_revenue_at_risk_above_its_threshold_is_strictly_above():
    # P sells C $8B due in 2026; C's revenue is 4, so P loses 8 − 4 = 4 in every draw (no volatility):
    # half its backlog. A threshold of 50% (4 of 8) is met, not passed: no draw loses more than it;
    # at 49% (3.92) every draw does.
    deal = [
        {"deal": "A", "provider": "P", "customer": "C", "value": 8, "start": "2026-01-01", "term_years": 1}
    ]
    fund = [{"customer": "C", "year": 2026, "item": "revenue", "value": 4.0}]

    def share(threshold: float) -> tuple[float, float]:
        s = simulate_exposure(deal, funding=fund, draws=20, threshold=threshold).summary().iloc[0]
        return float(s["mean_at_risk"]), float(s["p_loss_above_threshold"])

    assert share(0.5) == (4.0, 0.0)
    assert share(0.49) == (4.0, 1.0)


def test_a_provider_whose_contract_has_run_out_has_no_share_of_backlog_at_risk():
    # P's $8B ran through 2024: nothing is left to lose from 2026, so its backlog, its mean loss and
    # their ratio are 0 (not 0 ÷ 0); Q's $8B in 2026 against C's revenue of 4 loses 4 of 8, half.
    deals = [
        {"deal": "A", "provider": "P", "customer": "C", "value": 8, "start": "2024-01-01", "term_years": 1},
        {"deal": "B", "provider": "Q", "customer": "C", "value": 8, "start": "2026-01-01", "term_years": 1},
    ]
    fund = [{"customer": "C", "year": 2026, "item": "revenue", "value": 4.0}]
    s = simulate_exposure(deals, funding=fund, draws=20, as_of_year=2026).summary().set_index("provider")
    assert s.loc["P", ["ai_backlog", "mean_at_risk", "mean_share_of_backlog"]].tolist() == [0.0, 0.0, 0.0]
    assert s.loc["Q", ["ai_backlog", "mean_at_risk", "mean_share_of_backlog"]].tolist() == [8.0, 4.0, 0.5]
