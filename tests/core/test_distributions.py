"""Input distributions: means and spreads worked out by hand, seeded samples against them, rules."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.distributions import (
    as_distribution,
    discrete,
    distribution,
    lognormal,
    normal,
    pert,
    triangular,
    triangular_from_uniforms,
    uniform,
)
from core.validation import DealDeskInputError

# Means from the textbook formulas, written out:
#   uniform(a, b): (a + b) / 2;  triangular(a, c, b): (a + c + b) / 3;  normal and lognormal:
#   the mean given;  PERT(a, m, b), lambda 4: (a + 4m + b) / 6;  discrete: sum of x p.
HAND_MEANS = {
    "uniform": (uniform(0.9, 0.95), (0.9 + 0.95) / 2),  # 0.925
    "triangular": (triangular(0.05, 0.15, 0.35), (0.05 + 0.15 + 0.35) / 3),  # 0.18333
    "normal": (normal(0.05, 0.15), 0.05),
    "lognormal": (lognormal(81.0, 15.0), 81.0),
    "pert": (pert(2.0, 3.0, 3.1), (2.0 + 4 * 3.0 + 3.1) / 6),  # 2.85
    "discrete": (discrete([0, 1, 2, 3], [0.5, 0.25, 0.15, 0.1]), 0 * 0.5 + 1 * 0.25 + 2 * 0.15 + 3 * 0.1),
}


def test_pert_2_3_3point1_has_mean_2point85():
    # (2 + 4 x 3 + 3.1) / 6 = 17.1 / 6 = 2.85.
    assert pert(2.0, 3.0, 3.1).mean == pytest.approx(2.85, abs=1e-12)
    # With lambda = 2: (2 + 2 x 3 + 3.1) / 4 = 2.775.
    assert pert(2.0, 3.0, 3.1, lamb=2.0).mean == pytest.approx(2.775, abs=1e-12)


@pytest.mark.parametrize("kind", sorted(HAND_MEANS))
def test_means_match_the_hand_formulas(kind):
    dist, mean = HAND_MEANS[kind]
    assert dist.mean == pytest.approx(mean, rel=1e-12)


@pytest.mark.parametrize("kind", sorted(HAND_MEANS))
def test_seeded_samples_centre_on_the_hand_mean(kind):
    dist, mean = HAND_MEANS[kind]
    x = dist.sample(np.random.default_rng(11), 200_000)
    assert abs(x.mean() - mean) < 5 * x.std() / math.sqrt(x.size)


def test_spreads_match_the_hand_formulas():
    rng = np.random.default_rng(5)
    n = 400_000
    # Uniform(0.9, 0.95): sd = 0.05 / sqrt(12).
    assert uniform(0.9, 0.95).sample(rng, n).std() == pytest.approx(0.05 / math.sqrt(12), rel=0.01)
    # Lognormal given mean 81 and sd 15 of the value: the draws' sd is 15.
    assert lognormal(81.0, 15.0).sample(rng, n).std() == pytest.approx(15.0, rel=0.01)
    # PERT variance (mean - a)(b - mean) / (lambda + 3) = 0.85 x 0.25 / 7.
    assert pert(2.0, 3.0, 3.1).sample(rng, n).var() == pytest.approx(0.85 * 0.25 / 7, rel=0.02)
    # Triangular variance (a^2 + b^2 + c^2 - ab - ac - bc) / 18.
    a, c, b = 0.05, 0.15, 0.35
    var = (a * a + b * b + c * c - a * b - a * c - b * c) / 18
    assert triangular(a, c, b).sample(rng, n).var() == pytest.approx(var, rel=0.02)


def test_bounds_of_the_draws():
    rng = np.random.default_rng(2)
    assert uniform(0.9, 0.95).upper == 0.95
    assert triangular(0.05, 0.15, 0.35).upper == 0.35
    assert pert(2.0, 3.0, 3.1).upper == 3.1
    assert discrete([0, 3, 1]).upper == 3
    assert normal(0, 1).upper == math.inf and lognormal(1, 1).upper == math.inf
    x = pert(2.0, 3.0, 3.1).sample(rng, 10_000)
    assert x.min() >= 2.0 and x.max() <= 3.1
    # A point distribution (low = high) draws its one value.
    assert set(triangular(1, 1, 1).sample(rng, 5)) == {1.0}
    assert set(pert(2, 2, 2).sample(rng, 5)) == {2.0}


def test_discrete_frequencies_follow_the_probabilities():
    x = discrete([0, 1, 2, 3], [0.5, 0.25, 0.15, 0.1]).sample(np.random.default_rng(4), 200_000)
    shares = [float(np.mean(x == v)) for v in (0, 1, 2, 3)]
    assert shares == pytest.approx([0.5, 0.25, 0.15, 0.1], abs=0.005)
    # Equal probabilities when none are given: mean of 0, 2, 4 is 2.
    assert discrete([0, 2, 4]).mean == pytest.approx(2.0)


def test_rules_name_the_argument_and_the_value():
    with pytest.raises(DealDeskInputError, match=r"^high must be >= low \(0.95\), got 0.9$"):
        uniform(0.95, 0.9)
    assert uniform(1, 1).mean == 1  # equal bounds allowed
    with pytest.raises(DealDeskInputError, match=r"^triangular needs low <= mode <= high, got 1, 3, 2$"):
        triangular(1, 3, 2)
    with pytest.raises(DealDeskInputError, match=r"^pert needs low <= mode <= high, got 2, 1, 3$"):
        pert(2, 1, 3)
    with pytest.raises(DealDeskInputError, match=r"^lamb must be a number > 0, got 0$"):
        pert(1, 2, 3, lamb=0)
    with pytest.raises(DealDeskInputError, match=r"^sd must be a number >= 0, got -1$"):
        normal(0, -1)
    with pytest.raises(DealDeskInputError, match=r"^mean must be a number > 0, got 0$"):
        lognormal(0, 1)
    with pytest.raises(DealDeskInputError, match=r"^probabilities must sum to 1, got 0.9$"):
        discrete([0, 1], [0.5, 0.4])
    with pytest.raises(
        DealDeskInputError, match=r"^probabilities must have one value per value \(2\), got 3$"
    ):
        discrete([0, 1], [0.5, 0.25, 0.25])
    with pytest.raises(DealDeskInputError, match=r"^values must hold at least one number, got none$"):
        discrete([])


def test_the_spreadsheet_row_form():
    assert distribution("PERT", 2, 3, 3.1) == pert(2.0, 3.0, 3.1)
    assert distribution("pert", 2, 3, 3.1, 2) == pert(2.0, 3.0, 3.1, lamb=2.0)
    assert distribution("uniform", 0.9, 0.95, None, "") == uniform(0.9, 0.95)
    assert distribution("discrete", "0; 1, 2", "0.5, 0.25, 0.25").mean == pytest.approx(0.75)
    with pytest.raises(DealDeskInputError, match=r"^a normal distribution takes 2 parameters, got 3$"):
        distribution("normal", 0, 1, 2)
    with pytest.raises(DealDeskInputError, match=r"^a pert distribution takes 3 or 4 parameters, got 2$"):
        distribution("pert", 0, 1)
    with pytest.raises(DealDeskInputError, match=r"^values must be numbers separated by commas, got 'a, b'$"):
        distribution("discrete", "a, b")
    with pytest.raises(DealDeskInputError, match=r"^kind must be one of"):
        distribution("beta", 1, 2)
    assert as_distribution("u", ("uniform", 0.9, 0.95)) == uniform(0.9, 0.95)
    with pytest.raises(
        DealDeskInputError, match=r"^distribution of u must be a Distribution or \(kind, parameters...\)"
    ):
        as_distribution("u", 0.9)


def test_a_triangular_with_the_mode_at_the_low_end_still_varies():
    # Rule: only low = high is a point; triangular(1, 1, 2) has mean (1 + 1 + 2) / 3 = 4/3.
    x = triangular(1.0, 1.0, 2.0).sample(np.random.default_rng(8), 100_000)
    assert x.std() > 0.2
    assert x.mean() == pytest.approx(4 / 3, abs=0.01)


def test_discrete_values_alone_are_equally_likely_in_the_row_form():
    # "0, 1, 2, 3" with no probabilities: a quarter each, mean 1.5.
    d = distribution("discrete", "0, 1, 2, 3")
    assert d.probabilities == pytest.approx((0.25, 0.25, 0.25, 0.25))
    assert d.mean == pytest.approx(1.5)


@pytest.mark.parametrize(
    ("values", "probabilities"),
    [
        ([0.0, 1.0, 2.0, 3.0], [0.5, 0.25, 0.15, 0.10]),  # the default delay slips
        ([5.0, -1.0], [0.3, 0.7]),
        ([1.0, 2.0, 3.0], [0.0, 1.0, 0.0]),  # shares of zero: running totals repeat
        ([0.1 * k for k in range(17)], [1 / 17] * 17),
        ([7.0], [1.0]),
        # 300 values: more than a byte counts, so the count is kept in two bytes
        ([float(k) for k in range(300)], [1 / 300] * 300),
    ],
)
def test_discrete_draws_are_numpys_choice_draw_for_draw(values, probabilities):
    # The same uniforms give the same values as numpy's Generator.choice with p, bit for bit, so a
    # seed keeps its numbers: numpy's own call written here is the reference.
    d = discrete(values, probabilities)
    for seed in (0, 1, 2024):
        got = d.sample(np.random.default_rng(seed), 20_000)
        rng = np.random.default_rng(seed)
        index = rng.choice(len(values), size=20_000, p=np.asarray(d.probabilities))
        np.testing.assert_array_equal(got, np.asarray(values, dtype=float)[index])


@pytest.mark.parametrize(
    "params",
    [
        (3.4, 4.45, 5.49),  # the default rack price
        (0.5, 0.5, 0.9),  # mode at the left end: ratio 0, only a uniform of exactly 0 goes left
        (0.5, 0.9, 0.9),  # mode at the right end: ratio 1, every uniform goes left
        (-3.0, -1.0, 2.0),  # negative values: the sign bit goes through the choice of branch
        (0.01, 0.7, 0.71),
    ],
)
def test_triangular_draws_are_numpys_bit_for_bit(params):
    # numpy's Generator.triangular is the reference (random_triangular in numpy's
    # distributions.c); the array formula on the same uniforms must give its draws to the last
    # bit, so a seed keeps its numbers.
    for seed in (0, 5, 2024):
        got = triangular(*params).sample(np.random.default_rng(seed), 50_000)
        want = np.random.default_rng(seed).triangular(*params, 50_000)
        np.testing.assert_array_equal(got.view(np.int64), want.view(np.int64))


def test_triangular_from_uniforms_takes_each_branch_by_the_uniform():
    # triangular(0, 1, 4): ratio 1/4, leftprod 1 × 4 = 4, rightprod 3 × 4 = 12.
    # u = 0.25 is on the left (u <= ratio): 0 + sqrt(0.25 × 4) = 1, the mode;
    # u = 0.0625: sqrt(0.25) = 0.5; u = 0.25 + 1/3 (right): 4 − sqrt((1 − u) × 12) = 4 − sqrt(5).
    terms = triangular(0, 1, 4).triangular_terms()
    assert terms == (0.0, 4.0, 0.25, 4.0, 12.0)
    u = np.array([0.25, 0.0625, 0.25 + 1 / 3, 0.0])
    want = [1.0, 0.5, 4.0 - math.sqrt((1.0 - (0.25 + 1 / 3)) * 12.0), 0.0]
    np.testing.assert_array_equal(triangular_from_uniforms(terms, u), want)
