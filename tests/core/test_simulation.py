"""Monte Carlo engine: distributions, seeding, chunk-size independence and agreement with the core."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.assumptions import Assumptions
from core.model import NoValueError, run_model
from core.schedule import profile_cdf
from core.simulation import (
    DEFAULT_DISTRIBUTIONS,
    SIMULATED_OUTPUTS,
    SIMULATION_INPUTS,
    SimulationResult,
    discrete,
    distribution,
    lognormal,
    normal,
    pert,
    risk_questions,
    sample_inputs,
    simulate,
    simulate_reference,
    triangular,
    uniform,
)
from core.simulation.arrays import _cdf
from core.simulation.plan import _plan
from core.validation import DealDeskInputError

#: Inputs varied together in the agreement tests (wide ranges, every block of the model).
WIDE = {
    "contract_value": uniform(20, 60),
    "realisation": uniform(0.85, 1.0),
    "delay_quarters": discrete([0, 1, 2, 4], [0.4, 0.3, 0.2, 0.1]),
    "initial_rate": uniform(0.0, 0.5),
    "base_revenue": normal(107.6, 8.0),
    "base_margin": triangular(0.30, 0.37, 0.40),
    "price_per_gpu_hour": pert(1.85, 2.68, 2.77),
    "billable_share": uniform(0.8, 1.0),
    "other_opex_share": uniform(0.05, 0.25),
    "committed_capex_share": uniform(0.0, 1.0),
    "reported_backlog": uniform(150, 250),
    "rack_price_musd": pert(2.0, 3.0, 3.1),
    "kw_per_rack": uniform(110, 132),
    "pue": uniform(1.1, 1.4),
    "facility_musd_per_mw": uniform(9.3, 15.0),
    "power_usd_per_mwh": lognormal(81, 15),
    "tax_rate": uniform(0.15, 0.25),
    "discount_rate": uniform(0.06, 0.12),
    "customer_revenue_target": lognormal(50, 10),
    "move_pct": normal(0.058, 0.01),
    "market_move_pct": normal(0.0, 0.01),
    "market_value_target": uniform(2800, 3200),
    "cloud_shock": uniform(-0.25, -0.05),
}

CONFIGS = {
    "linear-extend-full": {},
    "scurve-compress-staged": {"profile": "scurve", "delay_mode": "compress", "booking": "staged"},
    "straight-forfeit": {"profile": "straight", "delay_mode": "forfeit", "capex_lead_years": 1.5},
    "linear-late-ramp": {"full_at": dt.date(2033, 6, 30), "useful_life_years": 4.5},
    # A margin override, capex that all waits for a delay, a June fiscal year (Microsoft's).
    "override-june": {"deal_margin_override": 0.15, "fiscal_year_end": 6, "capex_lead_years": 1.25},
    # A disclosed fleet (IREN's ~200 MW), a short facility life, the bear case's shock.
    "disclosed-shock": {"fleet_it_mw": 200.0, "facility_life_years": 4.0, "apply_cloud_shock": 1},
    # Servers run a year beyond a 3.5-year life (4.5: a part year) and a 3-year facility: both bought
    # again within the contract, the facility's replacement replaced in turn.
    "refresh-extension": {
        "useful_life_years": 3.5,
        "server_life_extension_years": 1.0,
        "facility_life_years": 3.0,
    },
    # Contracts that open their fiscal year (the first full year is the start's own, the growth figures
    # measured from the year before): a December year with no capex lead (no table year before the
    # start's), a June year (Microsoft's) with a forfeited tail.
    "opens-year-compress-staged": {
        "start_date": dt.date(2026, 1, 1),
        "full_at": dt.date(2027, 2, 28),
        "delay_mode": "compress",
        "booking": "staged",
        "capex_lead_years": 0.0,
    },
    "opens-june-year-forfeit": {
        "start_date": dt.date(2026, 7, 1),
        "fiscal_year_end": 6,
        "full_at": dt.date(2027, 8, 31),
        "delay_mode": "forfeit",
    },
}

#: The configurations above, with every other profile a model run takes and every delay mode: front
#: and back loading, a linear ramp complete at the start (x_f <= 0: the straight line) and one
#: complete after the end (never at full rate), forfeited and compressed delays. For the faster
#: engines (the compiled kernel, the benchmark's loop), checked against the numpy engine.
EVERY_PROFILE_CONFIGS = {
    **CONFIGS,
    "front-forfeit": {"profile": "front", "delay_mode": "forfeit"},
    "back-compress": {"profile": "back", "delay_mode": "compress", "booking": "staged"},
    "linear-complete-at-start": {"full_at": dt.date(2025, 1, 1), "delay_mode": "forfeit"},
    "linear-after-the-end-compress": {"full_at": dt.date(2034, 1, 1), "delay_mode": "compress"},
    # Shorter than a fiscal year, opening it or inside it (the first full year then has no revenue
    # unless a delay pushes some there), on the back-loaded profile.
    "short-opens-year": {"start_date": dt.date(2026, 1, 1), "term_years": 0.5, "profile": "back"},
    "short-inside-year": {"start_date": dt.date(2026, 2, 1), "term_years": 0.5, "profile": "front"},
}


# --------------------------------------------------------------------------- distributions


def test_distribution_means_within_sampling_error():
    cases = {
        "uniform": uniform(0.9, 0.95),
        "triangular": triangular(0.05, 0.15, 0.35),
        "normal": normal(0.05, 0.15),
        "lognormal": lognormal(81.0, 15.0),
        "pert": pert(2.0, 3.0, 3.1),
        "discrete": discrete([0, 1, 2, 3], [0.5, 0.25, 0.15, 0.1]),
    }
    # Means by hand: (a + b) / 2, (a + c + b) / 3, the given means, (a + 4m + b) / 6, sum x p.
    hand = {
        "uniform": 0.925,
        "triangular": 0.55 / 3,
        "normal": 0.05,
        "lognormal": 81.0,
        "pert": 2.85,
        "discrete": 0.85,
    }
    rng = np.random.default_rng(11)
    for kind, dist in cases.items():
        x = dist.sample(rng, 200_000)
        se = x.std() / math.sqrt(x.size)
        assert dist.mean == pytest.approx(hand[kind], rel=1e-12), kind
        assert abs(x.mean() - hand[kind]) < 5 * se, kind
        assert x.max() <= dist.upper


def test_lognormal_matches_the_given_sd_and_discrete_the_given_probabilities():
    rng = np.random.default_rng(3)
    x = lognormal(81.0, 15.0).sample(rng, 400_000)
    assert x.std() == pytest.approx(15.0, rel=0.02) and (x > 0).all()
    y = discrete([0, 1, 2, 3], [0.5, 0.25, 0.15, 0.1]).sample(rng, 400_000)
    assert np.mean(y == 2) == pytest.approx(0.15, abs=0.005)


def test_distribution_from_spreadsheet_row():
    assert distribution("Uniform", 0.9, 0.95, None) == uniform(0.9, 0.95)
    assert distribution("discrete", "0; 2", "0.25, 0.75").mean == pytest.approx(1.5)
    assert distribution("pert", 1, 2, 3, 6).params == (1.0, 2.0, 3.0, 6.0)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: uniform(1, 0), "high must be >= low"),
        (lambda: triangular(0, 2, 1), "triangular needs low <= mode <= high"),
        (lambda: normal(0, -1), "sd must be a number >= 0"),
        (lambda: lognormal(0, 1), "mean must be a number > 0"),
        (lambda: discrete([1, 2], [0.5, 0.6]), "probabilities must sum to 1"),
        (lambda: discrete([1, 2], [1.0]), "probabilities must have one value per value"),
        (lambda: distribution("gamma", 1, 2), "kind must be one of 'uniform'"),
        (lambda: distribution("normal", 1), "a normal distribution takes 2 parameters, got 1"),
        (lambda: distribution("discrete", "a, b"), "values must be numbers separated by commas"),
    ],
)
def test_distribution_errors_name_the_rule(call, message):
    with pytest.raises(DealDeskInputError, match=message):
        call()


def test_draws_are_clipped_to_the_input_rule():
    x = sample_inputs({"realisation": normal(0.95, 0.2)}, draws=5_000, seed=2)["realisation"]
    assert x.max() == 1.0 and x.min() >= 0.0


def test_a_delay_distribution_below_zero_is_clipped_to_no_delay():
    # Every draw of uniform(-2, -1) quarters clips to 0 (the input's minimum), so the run
    # must equal one with no delay at all; the calendar must not shrink by a negative delay.
    for mode in ("extend", "compress", "forfeit"):
        a = Assumptions(delay_mode=mode)
        below = simulate(
            a,
            distributions={"delay_quarters": uniform(-2, -1), "realisation": uniform(0.9, 0.95)},
            draws=500,
            seed=3,
        )
        none = simulate(
            a,
            distributions={"delay_quarters": uniform(0, 0), "realisation": uniform(0.9, 0.95)},
            draws=500,
            seed=3,
        )
        assert set(below.values) == set(none.values)
        for name, values in none.values.items():
            np.testing.assert_array_equal(below.values[name], values, err_msg=f"{mode}: {name}")


def test_inputs_that_change_the_time_structure_cannot_vary():
    assert "term_years" not in SIMULATION_INPUTS and "realisation" in SIMULATION_INPUTS
    with pytest.raises(DealDeskInputError, match="cannot simulate 'term_years'; inputs that may vary: "):
        simulate(None, {"term_years": uniform(5, 7)}, draws=10)
    with pytest.raises(DealDeskInputError, match="output must be one of .*got 'irr'"):
        simulate(None, {"realisation": uniform(0.9, 1)}, draws=10, outputs=["irr"])
    with pytest.raises(DealDeskInputError, match="draws must be a number >= 1"):
        simulate(None, None, draws=0)


# --------------------------------------------------------------------------- seeding


def test_same_seed_same_numbers_whatever_the_chunk_size_and_threads():
    # Draw i comes from a fixed random block, so chunking and threading cannot change it.
    reference = simulate(
        None,
        WIDE,
        draws=70_000,
        seed=42,
        outputs=["npv", "ramp_year2", "margin_bps_peak"],
        chunk_size=65_536,
        workers=1,
    )
    for chunk, workers in ((1_000, 1), (7_777, 2), (70_000, 1), (40_000, 2)):
        other = simulate(
            None,
            WIDE,
            draws=70_000,
            seed=42,
            outputs=["npv", "ramp_year2", "margin_bps_peak"],
            chunk_size=chunk,
            workers=workers,
        )
        for name, x in reference.values.items():
            np.testing.assert_array_equal(other.values[name], x, err_msg=f"{name} chunk {chunk}")


def test_a_longer_run_extends_a_shorter_one_and_seeds_differ():
    short = simulate(None, WIDE, draws=1_000, seed=5, outputs="npv").values["npv"]
    long = simulate(None, WIDE, draws=70_000, seed=5, outputs="npv").values["npv"]
    np.testing.assert_array_equal(long[:1_000], short)
    other = simulate(None, WIDE, draws=1_000, seed=6, outputs="npv").values["npv"]
    assert not np.allclose(other, short)


@pytest.mark.parametrize(
    "dist",
    [
        uniform(0.9, 0.95),
        triangular(0.85, 0.9, 1.0),
        normal(0.9, 0.05),
        lognormal(0.9, 0.05),
        pert(0.8, 0.9, 1.0),
        discrete([0.8, 0.9, 1.0], [0.2, 0.5, 0.3]),
    ],
    ids=lambda d: d.kind,
)
def test_a_short_sample_is_the_start_of_a_long_one_for_every_kind(dist):
    # Short runs generate only the draws they use; that must not change any draw.
    short = sample_inputs({"realisation": dist}, draws=37, seed=3, first=65_530)["realisation"]
    long = sample_inputs({"realisation": dist}, draws=70_000, seed=3)["realisation"]
    np.testing.assert_array_equal(short, long[65_530:65_567])
    two = sample_inputs({"realisation": dist}, draws=2, seed=3)["realisation"]
    np.testing.assert_array_equal(two, long[:2])


def test_adding_an_input_leaves_the_other_inputs_draws_alone():
    one = sample_inputs({"realisation": uniform(0.9, 0.95)}, draws=100, seed=9)
    two = sample_inputs(
        {"price_per_gpu_hour": uniform(2.0, 3.0), "realisation": uniform(0.9, 0.95)}, draws=100, seed=9
    )
    np.testing.assert_array_equal(one["realisation"], two["realisation"])


# --------------------------------------------------------------------------- agreement


@settings(max_examples=40, deadline=None)
@given(
    full_at_days=st.integers(-500, 4000),
    r=st.floats(0.0, 1.0),
    x=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=8),
)
def test_vectorised_linear_cdf_equals_the_core_profile(full_at_days, r, x):
    # full_at is a date: x_f is a whole number of days over the term (before, inside or after it).
    start, total = dt.date(2025, 11, 3), 2557
    full_at = start + dt.timedelta(days=full_at_days)
    core_cdf = profile_cdf("linear", start, 7, full_at=full_at, initial_rate=r)
    plan = _plan(Assumptions(initial_rate=r, full_at=full_at), 0)
    assert plan.linear_xf == full_at_days / total
    got = _cdf(plan, np.array(x, dtype=float)[:, None], r)[:, 0]
    np.testing.assert_allclose(got, core_cdf(np.array(x)), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("config", list(CONFIGS))
def test_engine_equals_the_plain_python_loop_draw_by_draw(config):
    a = Assumptions().replace(**CONFIGS[config])
    fast = simulate(a, WIDE, draws=300, seed=123, chunk_size=128)
    slow = simulate_reference(a, WIDE, draws=300, seed=123)
    for name in SIMULATED_OUTPUTS:
        np.testing.assert_allclose(fast.values[name], slow.values[name], rtol=1e-12, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("config", list(CONFIGS))
def test_engine_equals_run_model_draw_by_draw(config):
    # The vectorised twins against the core's scalar functions, through run_model.
    a = Assumptions().replace(**CONFIGS[config])
    n = 8
    result = simulate(a, WIDE, draws=n, seed=99, keep_inputs=True)
    for i in range(n):
        drawn = a.replace(**{k: float(x[i]) for k, x in result.inputs.items()})
        expected = run_model(drawn).outputs
        for name in SIMULATED_OUTPUTS:
            assert result.values[name][i] == pytest.approx(expected[name], rel=1e-9, abs=1e-9), (name, i)


def test_reference_can_check_a_sample_from_deep_in_a_run():
    big = simulate(None, WIDE, draws=200_000, seed=1, outputs="npv").values["npv"]
    sample = simulate_reference(None, WIDE, draws=20, seed=1, outputs="npv", first=150_000).values["npv"]
    np.testing.assert_allclose(big[150_000:150_020], sample, rtol=1e-12)


# --------------------------------------------------------------------------- convergence and answers


def test_convergence_to_a_closed_form_probability():
    # Only realisation varies, u ~ uniform(a, b): FY2026 revenue = value × u × c with c fixed,
    # so P(revenue < x) = (x / (value × c) − a) / (b − a) exactly.
    lo, hi = 0.80, 1.00
    base = run_model(Assumptions(realisation=1.0)).outputs["ramp_year2"]  # value × c
    x = base * 0.93
    exact = (x / base - lo) / (hi - lo)
    draws = 40_000
    r = simulate(None, {"realisation": uniform(lo, hi)}, draws=draws, seed=2024, outputs="ramp_year2")
    estimate = r.probability("ramp_year2", below=x)
    assert abs(estimate - exact) < 4 * math.sqrt(exact * (1 - exact) / draws)
    # And the mean revenue converges to value × c × (a + b) / 2.
    assert r.values["ramp_year2"].mean() == pytest.approx(base * (lo + hi) / 2, rel=2e-3)


def test_summary_and_probabilities():
    r = simulate(None, None, draws=5_000, seed=8, outputs=["npv", "margin_bps_peak"])
    s = r.summary().set_index("output")
    x = r.values["npv"]
    assert s.loc["npv", "mean"] == pytest.approx(x.mean())
    assert s.loc["npv", "p50"] == pytest.approx(np.median(x))
    assert s.loc["npv", "se_mean"] == pytest.approx(x.std(ddof=1) / math.sqrt(x.size))
    assert r.probability("npv", below=0.0) == pytest.approx(np.mean(x < 0))
    with pytest.raises(DealDeskInputError, match="give exactly one of below or above"):
        r.probability("npv")


def test_risk_questions_with_the_default_distributions():
    r = simulate(None, DEFAULT_DISTRIBUTIONS, draws=20_000, seed=1)
    t = risk_questions(r).set_index("output")
    # None of the questions is true (or false) by construction: each probability is strictly
    # between 0 and 1, and each is the share of draws past its threshold.
    for name, side, threshold in (
        ("growth_pp_gap_year2", "above", 1.0),
        ("margin_bps_peak", "below", -50.0),
        ("market_value_passes", "above", 0.5),
    ):
        p = t.loc[name, "probability"]
        x = r.values[name]
        # Counted here, not by r.probability: strictly past the threshold.
        assert p == pytest.approx(
            np.count_nonzero(x > threshold if side == "above" else x < threshold) / 20_000
        )
        assert t.loc[name, "se"] == pytest.approx(math.sqrt(p * (1 - p) / 20_000))
    assert 0 < t.loc["growth_pp_gap_year2", "probability"] < 1
    assert 0 < t.loc["market_value_passes", "probability"] < 1


def test_default_distributions_are_centred_on_the_base_case():
    # Each default's most likely value is the base input (the issue: a simulated mean NPV
    # of +0.14 against a deterministic -0.29 meant the defaults were not the base case).
    from core.simulation import default_distributions

    for a in (Assumptions(), Assumptions(realisation=0.97, price_per_gpu_hour=3.1, base_revenue=58.705)):
        d = default_distributions(a)
        assert d["realisation"].params == (a.realisation, 0.025)
        assert d["base_revenue"].params == (a.base_revenue, 0.04 * a.base_revenue)
        assert d["market_value_growth"].params[0] == a.market_value_growth
        for name in (
            "price_per_gpu_hour",
            "rack_price_musd",
            "facility_musd_per_mw",
            "power_usd_per_mwh",
            "pue",
        ):
            assert d[name].kind == "triangular" and d[name].params[1] == getattr(a, name), name
        assert d["other_opex_share"].params[1] == a.other_opex_share
        assert d["initial_rate"].params[:2] == (a.initial_rate, a.initial_rate)
        # Delay: the base delay is the most likely value (half the draws), later slips less likely.
        assert d["delay_quarters"].params[0] == a.delay_quarters
        assert d["delay_quarters"].probabilities[0] == 0.5 == max(d["delay_quarters"].probabilities)
    # The ranges are the public evidence's (core.evidence, worked out in tests/core/test_evidence.py):
    # price from Nscale's whole relationship 2.63 to IREN 2.91; IT capex from Bernstein's GB200 $3.40M
    # to IREN's GB300 $5.49M a rack; facility from Cushman & Wakefield's low 9.3 to Bernstein's 20.8;
    # power from EIA's 81 to Foxconn's 148; PUE from hyperscale 1.1 to Uptime's new sites 1.3. Other
    # opex has one public point, so the analyst's ±5 points.
    d = default_distributions()
    assert d["price_per_gpu_hour"].params == (2.63, 2.83, 2.91)
    assert d["rack_price_musd"].params == (3.40, 4.45, 5.49)
    assert d["facility_musd_per_mw"].params == (9.3, 16.3, 20.8)
    assert d["power_usd_per_mwh"].params == (81.0, 81.0, 148.0)
    assert d["pue"].params == (1.1, 1.3, 1.3)
    assert d["other_opex_share"].params == pytest.approx((0.005, 0.055, 0.105))
    # Another base keeps the evidence's spread relative to the table's central value: 3.1 × 2.63 ÷ 2.83.
    other = default_distributions(Assumptions(price_per_gpu_hour=3.1))["price_per_gpu_hour"].params
    assert other == pytest.approx((3.1 * 2.63 / 2.83, 3.1, 3.1 * 2.91 / 2.83))


def test_simulated_median_npv_is_near_the_deterministic_base():
    # Centred analyst defaults: the median draw's NPV sits near the base case's (within 1 US$ bn).
    from core.simulation import default_distributions
    from core.simulation.inputs import _EVIDENCE_RANGES

    base = run_model().outputs["npv"]
    analyst = {k: v for k, v in default_distributions().items() if k not in _EVIDENCE_RANGES}
    r = simulate(None, analyst, draws=4_000, seed=3, outputs="npv")
    assert abs(float(np.median(r.values["npv"])) - base) < 1.0
    # The evidence's ranges lean one way (power up to Foxconn's $148 from EIA's $81, the price down
    # to $2.63 from $2.83): with them alone the median NPV sits below the base, by less than 1 bn.
    evidence = {k: v for k, v in default_distributions().items() if k in _EVIDENCE_RANGES}
    median = float(np.median(simulate(None, evidence, draws=4_000, seed=3, outputs="npv").values["npv"]))
    assert base - 1.0 < median < base


@pytest.mark.libreoffice
@pytest.mark.slow
def test_the_benchmark_spreadsheet_computes_what_the_engine_computes():
    # The benchmark's native-formula model, recalculated by LibreOffice, draw by draw.
    import shutil

    from tests.ci import skip_unless_ci

    if shutil.which("soffice") is None:
        skip_unless_ci("LibreOffice (soffice) is not installed")
    from tests.bench_spreadsheet import bench_spreadsheet

    result = bench_spreadsheet(40, seed=3)
    assert result["formulas_per_row"] > 150
    assert result["max_relative_difference_vs_engine"] < 1e-9


# --------------------------------------------------------------------------- market value growth, no-value figures


def test_market_value_growth_is_simulated_as_the_input():
    from core.simulation import SIMULATION_INPUTS, evaluate

    assert SIMULATION_INPUTS.count("market_value_growth") == 1
    got = evaluate(None, {"market_value_growth": [-0.5, 0.0, 0.05, 1.0]}, outputs="market_value_target_year")
    expected = [
        run_model(Assumptions(market_value_growth=g)).outputs["market_value_target_year"]
        for g in (-0.5, 0.0, 0.05, 1.0)
    ]
    assert np.allclose(got["market_value_target_year"], expected, rtol=1e-12)


def test_market_value_growth_draws_are_clipped_to_the_input_rule():
    x = sample_inputs({"market_value_growth": uniform(-0.9, 1.5)}, draws=2_000, seed=2)["market_value_growth"]
    assert x.min() == -0.5 and x.max() == 1.0


def test_coverage_without_commitments_in_the_target_year_is_left_out_or_refused():
    # OpenAI's library commitments end by 2032: no coverage ratio exists in 2040 (run_model: None).
    from core.model import NoValueError

    a = Assumptions(customer_target_year=2040)
    result = simulate(a, draws=50, seed=1)
    assert "coverage_target_year" not in result.values and "npv" in result.values
    with pytest.raises(NoValueError, match=r"^coverage_target_year: the customer has no commitment spend"):
        simulate(a, draws=50, seed=1, outputs=["coverage_target_year"])


def test_probability_counts_strictly_below_and_strictly_above():
    # Rule: probability(below=b) is the share of draws < b and probability(above=b) the
    # share > b; a draw equal to b counts in neither. Draws 1, 2, 3: 1/3 each side of 2.
    r = SimulationResult(values={"x": np.array([1.0, 2.0, 3.0])}, inputs={}, draws=3, seed=0)
    assert r.probability("x", below=2.0) == pytest.approx(1 / 3)
    assert r.probability("x", above=2.0) == pytest.approx(1 / 3)
    assert r.probability("x", below=1.0) == 0
    assert r.probability("x", above=3.0) == 0
    with pytest.raises(DealDeskInputError, match="give exactly one of below or above"):
        r.probability("x", below=1.0, above=2.0)


def test_evaluate_refuses_values_outside_an_inputs_rule():
    # Rule: each varied input stays inside its rule (realisation above 0, at most 1: at 0
    # the deal earns nothing); the upper bound itself is allowed, a value beyond either
    # is refused, as is a 2-D column.
    from core.simulation import evaluate

    ok = evaluate(None, {"realisation": [0.5, 1.0]}, outputs="expected_revenue_total")
    assert ok["expected_revenue_total"].tolist() == pytest.approx([19.0, 38.0])
    for bad in ([1.5], [-0.1], [0.0], [[0.9]], [float("nan")]):
        with pytest.raises(
            DealDeskInputError, match=r"^realisation values must each be a number > 0 and <= 1, got \["
        ):
            evaluate(None, {"realisation": bad}, outputs="expected_revenue_total")


def test_backlog_is_empty_at_the_end_of_a_contract_that_ends_with_its_first_quarter():
    # Rule: the unused commitment lapses on the contract's last day (t >= horizon). A
    # three-month contract from 2025-10-01 ends on 2025-12-31, the first quarter end, so
    # nothing is left in backlog and the current RPO is 0.
    from core.simulation import evaluate

    a = Assumptions(start_date=dt.date(2025, 10, 1), term_years=0.25, full_at=dt.date(2025, 11, 1))
    assert evaluate(a, {"realisation": [0.9]}, outputs=["current_rpo"])["current_rpo"].tolist() == [0.0]


@pytest.mark.parametrize(
    ("start", "sign"),
    [
        # From 2026-02-01: inside FY2026, which holds it all; its first full year FY2027 earns nothing, so
        # each contribution is minus FY2026's revenue over AWS's FY2026 baseline ($128.7B in FY2025 grown
        # a year at 128.7 ÷ 107.6).
        (dt.date(2026, 2, 1), -1),
        # From 2026-01-01: it opens FY2026, its first full year, measured against FY2025's $128.7B.
        (dt.date(2026, 1, 1), 1),
    ],
)
def test_a_contract_shorter_than_a_fiscal_year_reads_its_first_full_year_in_every_engine(start, sign):
    # Six months, all in FY2026 (38 on the straight line, 38 × 0.925 on the ramp); the engine equals
    # run_model draw by draw, delays (extend) pushing revenue into FY2027 for some draws.
    a = Assumptions(start_date=start, term_years=0.5, full_at=dt.date(2026, 3, 1))
    o = run_model(a).outputs
    base = 128.7 * (1 + round(128.7 / 107.6 - 1, 10)) if sign < 0 else 128.7
    assert o["straight_year1"] == pytest.approx(38) and o["straight_year2"] == 0.0
    assert o["growth_pp_straight_year2"] == pytest.approx(sign * 38 / base * 100, rel=1e-12)
    assert o["growth_pp_ramp_year2"] == pytest.approx(sign * 38 * 0.925 / base * 100, rel=1e-12)
    fast = simulate(a, WIDE, draws=30, seed=4)
    slow = simulate_reference(a, WIDE, draws=30, seed=4)
    for name in SIMULATED_OUTPUTS:
        np.testing.assert_allclose(fast.values[name], slow.values[name], rtol=1e-9, atol=1e-9, err_msg=name)


def test_no_market_value_threshold_leaves_its_risk_question_without_a_probability():
    # Threshold 0: the test does not apply, so the engine has no draws of it and the question no
    # probability (shown as n/a), while the other two questions are answered as before.
    from core.simulation import RISK_QUESTIONS

    result = simulate(Assumptions(market_value_target=0.0), draws=500, seed=3)
    assert "market_value_passes" not in result.values
    assert "market_value_required_growth" not in result.values
    table = risk_questions(result).set_index("output")
    assert table["probability"].isna().tolist() == [False, False, True]
    assert [q[1] for q in RISK_QUESTIONS][2] == "market_value_passes"
    with pytest.raises(NoValueError, match=r"market_value_passes: market_value_target is 0"):
        simulate(Assumptions(market_value_target=0.0), draws=10, outputs=["market_value_passes"])
