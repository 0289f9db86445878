"""Pair trade: hedge ratios, leg sizing and P&L under sector shocks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.pairs import hedge_ratio, ols_beta, pair_legs, pair_pnl, shock_pnl, shock_table
from core.validation import DealDeskInputError

CLOUD_SHOCK = -0.15  # Brief item 9: "the cloud sector could fall 15% overnight".

# Betas below are illustrative (no public source): Amazon less sensitive to the cloud
# sector than a weaker AI-infrastructure name.
BETA_AMZN, BETA_WEAK = 0.9, 1.5


# --------------------------------------------------------------------------- golden cases


def test_ols_beta_by_hand():
    # x = [0.01, -0.01, 0.02, 0.00], mean 0.005; y = 0.006 + 1.5 x exactly.
    # cov/var = Σ(dx·dy)/Σ(dx²) = 1.5 × Σdx²/Σdx² = 1.5.
    x = [0.01, -0.01, 0.02, 0.0]
    y = [0.006 + 1.5 * v for v in x]
    assert ols_beta(y, x) == pytest.approx(1.5)
    assert isinstance(ols_beta(y, x), float)


def test_ols_beta_matches_numpy_least_squares():
    rng = np.random.default_rng(7)
    x = rng.normal(0, 0.02, 250)
    y = 0.0002 + 1.3 * x + rng.normal(0, 0.01, 250)
    design = np.column_stack([np.ones_like(x), x])
    expected = np.linalg.lstsq(design, y, rcond=None)[0][1]
    assert ols_beta(y, x) == pytest.approx(expected, rel=1e-12)


def test_dataframe_in_gives_betas_by_column():
    idx = pd.date_range("2025-10-01", periods=5, freq="B")
    sector = pd.Series([0.01, -0.02, 0.015, 0.0, 0.005], index=idx)
    stocks = pd.DataFrame({"AMZN": 0.9 * sector + 0.001, "WEAK": 1.5 * sector}, index=idx)
    betas = ols_beta(stocks, sector)
    assert isinstance(betas, pd.Series) and betas.index.tolist() == ["AMZN", "WEAK"]
    assert betas.tolist() == pytest.approx([0.9, 1.5])


def test_pandas_inputs_align_on_the_index_and_drop_gaps():
    sector = pd.Series([0.01, -0.02, 0.015, 0.0, 0.005], index=list("abcde"))
    stock = pd.Series([np.nan, -0.04, 0.03, 0.0, 0.01, 0.5], index=list("abcdef"))  # 2 × sector on b..e
    assert ols_beta(stock, sector) == pytest.approx(2.0)


def test_hedge_ratio_is_short_per_unit_of_long():
    long = [0.01, -0.005, 0.02, 0.0]
    short = [0.02, -0.01, 0.04, 0.0]
    assert hedge_ratio(long, short) == pytest.approx(0.5)


def test_dollar_and_beta_neutral_legs():
    # Dollar-neutral: $100 long, $100 short. Beta-neutral: 100 × 0.9 / 1.5 = $60 short.
    assert pair_legs(100, neutral="dollar") == {"long": 100.0, "short": 100.0}
    legs = pair_legs(100, neutral="beta", beta_long=BETA_AMZN, beta_short=BETA_WEAK)
    assert legs == pytest.approx({"long": 100.0, "short": 60.0})
    # Gross $160 beta-neutral: long = 160 × 1.5 / 2.4 = 100, short = 160 × 0.9 / 2.4 = 60.
    gross = pair_legs(160, neutral="beta", basis="gross", beta_long=BETA_AMZN, beta_short=BETA_WEAK)
    assert gross == pytest.approx({"long": 100.0, "short": 60.0})
    assert pair_legs(200, neutral="dollar", basis="gross") == {"long": 100.0, "short": 100.0}


def test_cloud_sector_minus_15_percent():
    # Brief item 9 shock, dollar-neutral $100M/$100M, betas 0.9 and 1.5 (illustrative):
    # long 100 × 0.9 × −0.15 = −13.5; short −100 × 1.5 × −0.15 = +22.5; pair +9.0.
    table = shock_table(100, 100, CLOUD_SHOCK, beta_long=BETA_AMZN, beta_short=BETA_WEAK)
    assert table.iloc[0].tolist() == pytest.approx([-0.15, -13.5, 22.5, 9.0])
    assert shock_pnl(100, 100, CLOUD_SHOCK, beta_long=BETA_AMZN, beta_short=BETA_WEAK) == pytest.approx(9.0)
    # Beta-neutral ($100M long, $60M short): the sector move nets out.
    assert shock_pnl(100, 60, CLOUD_SHOCK, beta_long=BETA_AMZN, beta_short=BETA_WEAK) == pytest.approx(
        0.0, abs=1e-12
    )


def test_stock_specific_moves_add_on_top_of_the_sector():
    # Amazon +2% on its own news while the sector falls 15%: long return 0.9 × −0.15 + 0.02 = −0.115.
    pnl = shock_pnl(100, 60, CLOUD_SHOCK, beta_long=BETA_AMZN, beta_short=BETA_WEAK, specific_long=0.02)
    assert pnl == pytest.approx(2.0)


def test_a_leg_cannot_lose_more_than_its_notional():
    # Beta 8 × −15% would be −120%; a stock floors at −100%.
    assert shock_pnl(100, 0, CLOUD_SHOCK, beta_long=8) == pytest.approx(-100.0)
    assert shock_table(100, 0, [CLOUD_SHOCK], beta_long=8)["long_pnl"].tolist() == pytest.approx([-100.0])


def test_series_of_shocks_gives_a_series_with_its_index():
    shocks = pd.Series([-0.15, -0.05, 0.1], index=["bear", "soft", "bull"])
    pnl = shock_pnl(100, 100, shocks, beta_long=BETA_AMZN, beta_short=BETA_WEAK)
    assert isinstance(pnl, pd.Series) and pnl.index.tolist() == ["bear", "soft", "bull"]
    # Pair P&L = 100 × (0.9 − 1.5) × shock = −60 × shock.
    assert pnl.tolist() == pytest.approx([9.0, 3.0, -6.0])
    table = shock_table(100, 100, shocks, beta_long=BETA_AMZN, beta_short=BETA_WEAK)
    assert table.index.tolist() == ["bear", "soft", "bull"]
    assert table["pair_pnl"].tolist() == pytest.approx(pnl.tolist())


def test_notional_series_gives_a_table_of_legs():
    legs = pair_legs(
        pd.Series([100.0, 50.0], index=["desk A", "desk B"]),
        neutral="beta",
        beta_long=BETA_AMZN,
        beta_short=BETA_WEAK,
    )
    assert isinstance(legs, pd.DataFrame) and legs.index.tolist() == ["desk A", "desk B"]
    assert legs["short"].tolist() == pytest.approx([60.0, 30.0])


# --------------------------------------------------------------------------- identities


betas = st.floats(0.05, 3.0)


@settings(max_examples=60, deadline=None)
@given(st.floats(1, 1e9), betas, betas, st.floats(-0.3, 0.3), st.sampled_from(["long", "gross"]))
def test_beta_neutral_pair_is_flat_under_a_pure_sector_shock(notional, b_long, b_short, shock, basis):
    # Shocks up to ±30% with betas up to 3 keep every leg above a total loss (|beta × shock| < 1),
    # where the linear beta model holds exactly.
    legs = pair_legs(notional, neutral="beta", basis=basis, beta_long=b_long, beta_short=b_short)
    assert legs["long"] * b_long == pytest.approx(legs["short"] * b_short, rel=1e-12)
    pnl = shock_pnl(legs["long"], legs["short"], shock, beta_long=b_long, beta_short=b_short)
    assert pnl == pytest.approx(0.0, abs=1e-9 * notional)


@settings(max_examples=60, deadline=None)
@given(st.floats(1, 1e9), betas, betas, st.sampled_from(["dollar", "beta"]))
def test_gross_basis_legs_add_up_to_the_gross(gross, b_long, b_short, neutral):
    legs = pair_legs(gross, neutral=neutral, basis="gross", beta_long=b_long, beta_short=b_short)
    assert legs["long"] + legs["short"] == pytest.approx(gross, rel=1e-12)
    assert legs["long"] > 0 and legs["short"] > 0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-0.05, 0.05), min_size=5, max_size=40), st.floats(-3, 3), st.floats(-0.01, 0.01))
def test_ols_recovers_an_exact_linear_relation(xs, beta, alpha):
    x = np.asarray(xs)
    if np.ptp(x) < 1e-4:
        return  # a near-constant benchmark has no slope to recover
    y = alpha + beta * x
    assert ols_beta(y, x) == pytest.approx(beta, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 1e6), st.floats(0, 1e6), st.floats(-0.9, 2), st.floats(-0.9, 2))
def test_pair_pnl_is_the_sum_of_its_legs(long, short, r_long, r_short):
    total = pair_pnl(long, short, long_return=r_long, short_return=r_short)
    long_leg = pair_pnl(long, 0, long_return=r_long, short_return=r_short)
    short_leg = pair_pnl(0, short, long_return=r_long, short_return=r_short)
    assert total == pytest.approx(long_leg + short_leg, abs=1e-6)
    assert long_leg == pytest.approx(long * r_long) and short_leg == pytest.approx(-short * r_short)


# --------------------------------------------------------------------------- errors


def test_errors_name_the_argument_and_rule():
    with pytest.raises(DealDeskInputError, match="neutral must be one of 'dollar', 'beta'; got 'market'"):
        pair_legs(100, neutral="market")
    with pytest.raises(DealDeskInputError, match="basis must be one of 'long', 'gross'; got 'net'"):
        pair_legs(100, basis="net")
    with pytest.raises(DealDeskInputError, match="beta_short must be a number > 0"):
        pair_legs(100, neutral="beta", beta_short=0)
    with pytest.raises(DealDeskInputError, match="notional must be a number > 0, got -5"):
        pair_legs(-5)
    with pytest.raises(DealDeskInputError, match="returns must have at least 3 complete periods"):
        ols_beta([0.01, 0.02], [0.01, 0.03])
    with pytest.raises(DealDeskInputError, match="benchmark_returns must vary"):
        ols_beta([0.01, 0.02, 0.03], [0.01, 0.01, 0.01])
    with pytest.raises(DealDeskInputError, match="must have the same length, got 3 and 4"):
        ols_beta([0.01, 0.02, 0.03], [0.01, 0.02, 0.03, 0.04])
    with pytest.raises(DealDeskInputError, match="returns must be a series of returns"):
        ols_beta(0.01, [0.01, 0.02, 0.03])
    with pytest.raises(DealDeskInputError, match="shock must be a number > -1, got -1.5"):
        shock_pnl(100, 100, -1.5)
    with pytest.raises(DealDeskInputError, match="short_notional must be a number >= 0, got -1"):
        pair_pnl(100, -1, long_return=0.01, short_return=0.01)


def test_hedge_ratio_messages_name_the_legs():
    with pytest.raises(DealDeskInputError, match="short_returns must vary"):
        hedge_ratio([0.01, 0.02, 0.03], [0.01, 0.01, 0.01])
    with pytest.raises(
        DealDeskInputError, match="long_returns and short_returns must have the same length, got 2 and 3"
    ):
        hedge_ratio([0.01, 0.02], [0.01, 0.02, 0.03])


def test_results_that_would_overflow_are_refused():
    with pytest.raises(DealDeskInputError, match="long_returns and short_returns are too extreme"):
        hedge_ratio([1e308, 1, 2], [1e200, 2e200, 3e200])
    with pytest.raises(DealDeskInputError, match="notional, beta_long and beta_short are too extreme"):
        pair_legs(1e308, neutral="beta", beta_long=10, beta_short=1e-3)
    with pytest.raises(DealDeskInputError, match="long_notional and short_notional are too extreme"):
        shock_table(1e308, 1e308, [0.9], beta_long=1, beta_short=-1)


def test_returns_align_on_the_index_only_when_both_sides_are_pandas():
    # Rule: a Series against a plain list is matched by position (same length required);
    # only two pandas inputs align on their index. The stock moves 1.5x the sector plus a
    # constant: (0.021 - 0.006) / (0.01 - 0.0) = 1.5.
    stock = [0.021, -0.009, 0.036, 0.006]
    sector = [0.01, -0.01, 0.02, 0.0]
    dated = pd.date_range("2025-11-03", periods=4, freq="D")
    assert ols_beta(pd.Series(stock, index=dated), sector) == pytest.approx(1.5, abs=1e-12)
    assert ols_beta(stock, pd.Series(sector, index=dated)) == pytest.approx(1.5, abs=1e-12)
    with pytest.raises(
        DealDeskInputError, match="returns and benchmark_returns must have the same length, got 4 and 3"
    ):
        ols_beta(pd.Series(stock, index=dated), sector[:3])
    # Two pandas series align on dates: shifted by a day they share 3 days only.
    shifted = pd.Series(sector, index=dated + pd.Timedelta(days=1))
    with pytest.raises(DealDeskInputError, match="at least 4 complete periods|at least 3 complete periods"):
        ols_beta(pd.Series(stock, index=dated), shifted.iloc[1:])


def test_the_benchmark_is_one_series_and_returns_at_most_two_dimensions():
    with pytest.raises(
        DealDeskInputError, match=r"^benchmark_returns must be a single series, got 2 columns$"
    ):
        ols_beta([0.1, 0.2, 0.3, 0.1], pd.DataFrame({"a": [0.1, 0.2, 0.3, 0.4], "b": [1.0, 2.0, 3.0, 4.0]}))
    with pytest.raises(
        DealDeskInputError, match=r"^returns must be one or more columns of returns, got 3 dimensions$"
    ):
        ols_beta(np.zeros((2, 2, 2)), [0.01, 0.02])
    # A one-column frame is a series.
    one = pd.DataFrame({"sector": [0.01, -0.01, 0.02, 0.0]})
    assert ols_beta([0.021, -0.009, 0.036, 0.006], one) == pytest.approx(1.5, abs=1e-12)
