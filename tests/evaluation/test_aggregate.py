"""Aggregation methods on hand-worked examples."""

import math

import numpy as np
import pytest

from shouwei.evaluation import aggregate as ag
from shouwei.evaluation import normalise as nz
from shouwei.evaluation.errors import EvaluationError
from shouwei.evaluation.ranks import competition_ranks

# Three alternatives, criterion 1 a cost (1, 2, 5), criterion 2 a benefit (3000, 3750, 4500),
# equal weights: the example of pymcdm's TOPSIS documentation, whose published closeness
# values (min-max scale) are 0.500, 0.617, 0.500.
PYMCDM_X = np.array([[1.0, 3000.0], [2.0, 3750.0], [5.0, 4500.0]])
PYMCDM_D = np.array([-1, 1])
HALF = np.array([0.5, 0.5])


def test_topsis_on_the_minmax_scale_reproduces_the_published_closeness():
    # Min-max: (1, 0), (¾, ½), (0, 1); weighted: (½, 0), (⅜, ¼), (0, ½); ideal (½, ½),
    # anti-ideal (0, 0). A1 and A3: D+ = D− = ½ → 0.5. A2: D+ = √(⅛² + ¼²), D− = √(⅜² + ¼²).
    d_plus, d_minus = math.sqrt(0.125**2 + 0.25**2), math.sqrt(0.375**2 + 0.25**2)
    expected = [0.5, d_minus / (d_plus + d_minus), 0.5]
    c = ag.topsis(nz.minmax(PYMCDM_X, PYMCDM_D), HALF)
    np.testing.assert_allclose(c, expected, rtol=0, atol=1e-15)
    np.testing.assert_allclose(np.round(c, 3), [0.500, 0.617, 0.500])


def test_topsis_on_the_vector_scale_uses_the_minimum_as_ideal_for_a_cost_criterion():
    # Hwang & Yoon: r = x/‖x‖; cost ideal = min. ‖c1‖ = √30, ‖c2‖ = √43 312 500.
    # A1 is ideal on c1 and anti-ideal on c2: D+ = ½·1500/‖c2‖, D− = ½·(5 − 1)/√30.
    n2 = math.sqrt(3000**2 + 3750**2 + 4500**2)
    d_plus, d_minus = 0.5 * 1500 / n2, 0.5 * 4 / math.sqrt(30)
    c = ag.topsis(nz.vector(PYMCDM_X, PYMCDM_D), HALF)
    assert c[0] == pytest.approx(d_minus / (d_plus + d_minus), abs=1e-15)
    # A3 is the mirror image: ideal on c2, anti-ideal on c1.
    d_plus3, d_minus3 = 0.5 * 4 / math.sqrt(30), 0.5 * 1500 / n2
    assert c[2] == pytest.approx(d_minus3 / (d_plus3 + d_minus3), abs=1e-15)


def test_topsis_reproduces_hwang_and_yoons_fighter_aircraft_example():
    # Hwang & Yoon (1981), Multiple Attribute Decision Making, pp. 133–134: four aircraft on
    # max speed, ferry range, max payload, purchase cost (the only cost), reliability and
    # manoeuvrability; w = (0.2, 0.1, 0.1, 0.1, 0.2, 0.3); vector scale. Published:
    # D+ = 0.0545, 0.1197, 0.0580, 0.1009; D− = 0.0983, 0.0439, 0.0920, 0.0458;
    # C = 0.643, 0.268, 0.613, 0.312 — computed from a normalised matrix rounded to 4 decimals,
    # so exact arithmetic may differ by one unit in the last printed digit.
    x = np.array(
        [
            [2.0, 1500, 20000, 5.5, 5, 9],
            [2.5, 2700, 18000, 6.5, 3, 5],
            [1.8, 2000, 21000, 4.5, 7, 7],
            [2.2, 1800, 20000, 5.0, 5, 5],
        ]
    )
    d = np.array([1, 1, 1, -1, 1, 1])
    w = np.array([0.2, 0.1, 0.1, 0.1, 0.2, 0.3])
    c = ag.topsis(nz.vector(x, d), w)
    np.testing.assert_allclose(c, [0.643, 0.268, 0.613, 0.312], rtol=0, atol=1e-3)
    np.testing.assert_array_equal(competition_ranks(c), [1, 4, 2, 3])


def test_vikor_picks_the_balanced_alternative_as_the_compromise():
    # Regrets (f* − f)/(f* − f⁻) weighted by ½: A1 (0, ½), A2 (⅛, ¼), A3 (½, 0).
    # S = (½, ⅜, ½), R = (½, ¼, ½); with v = ½: Q = (1, 0, 1).
    s, r = ag.vikor_components(nz.minmax(PYMCDM_X, PYMCDM_D), HALF)
    np.testing.assert_allclose(s, [0.5, 0.375, 0.5], atol=1e-15)
    np.testing.assert_allclose(r, [0.5, 0.25, 0.5], atol=1e-15)
    q = ag.vikor(nz.minmax(PYMCDM_X, PYMCDM_D), HALF)
    np.testing.assert_allclose(q, [1.0, 0.0, 1.0], atol=1e-15)
    np.testing.assert_array_equal(competition_ranks(q, higher_is_better=False), [2, 1, 2])


def test_vikor_reproduces_the_published_pymcdm_documentation_example():
    # pymcdm's VIKOR documentation: four benefit criteria, equal weights, published
    # Q = 0.5679, 0.7667, 1, 0.7493, 0 (four decimals).
    x = np.array(
        [[78, 56, 34, 6], [4, 45, 3, 97], [18, 2, 50, 63], [9, 14, 11, 92], [85, 9, 100, 29]],
        dtype=float,
    )
    q = ag.vikor(nz.minmax(x), np.full(4, 0.25))
    np.testing.assert_allclose(np.round(q, 4), [0.5679, 0.7667, 1.0, 0.7493, 0.0])


def test_vikor_v_weighs_group_utility_against_individual_regret():
    n = nz.minmax(PYMCDM_X, PYMCDM_D)
    # v = 1 keeps only (S − S*)/(S⁻ − S*) = (1, 0, 1); v = 0 only the regret, also (1, 0, 1).
    np.testing.assert_allclose(ag.vikor(n, HALF, v=1.0), [1.0, 0.0, 1.0], atol=1e-15)
    with pytest.raises(EvaluationError):
        ag.vikor(n, HALF, v=1.5)


# Min-max of X = [[1, 10], [2, 30], [4, 20]] with column 2 a cost: (0, 1), (⅓, 0), (1, ½).
SMALL = nz.minmax(np.array([[1.0, 10.0], [2.0, 30.0], [4.0, 20.0]]), [1, -1])
EFFICACY = 60 + 40 * SMALL
W = np.array([0.25, 0.75])


def test_weighted_sum_is_the_weighted_arithmetic_mean():
    np.testing.assert_allclose(ag.weighted_sum(SMALL, W), [0.75, 1 / 12, 0.625], atol=1e-15)


def test_efficacy_method_scores_are_marks_between_60_and_100():
    # 0.25·60 + 0.75·100 = 90; 0.25·73⅓ + 0.75·60 = 63⅓; 0.25·100 + 0.75·80 = 85.
    scores = ag.aggregate(EFFICACY, W, "efficacy")
    np.testing.assert_allclose(scores, [90.0, 63 + 1 / 3, 85.0], atol=1e-12)


def test_geometric_mean_is_the_weighted_product():
    expected = [
        60**0.25 * 100**0.75,
        (60 + 40 / 3) ** 0.25 * 60**0.75,
        100**0.25 * 80**0.75,
    ]
    np.testing.assert_allclose(ag.geometric(EFFICACY, W), expected, rtol=1e-14)


def test_geometric_mean_refuses_a_zero_and_says_why():
    with pytest.raises(EvaluationError) as exc:
        ag.geometric(SMALL, W, names=["GDP", "失业率"], units=["甲", "乙", "丙"])
    assert exc.value.code == "nonpositive_values"
    assert (exc.value.indicator, exc.value.unit) == ("GDP", "甲")
    assert "全部为正" in str(exc.value) and "功效系数" in str(exc.value)


def test_competition_ranks_share_the_best_rank_and_skip():
    np.testing.assert_array_equal(competition_ranks([5.0, 9.0, 5.0, 1.0]), [2, 1, 2, 4])
    np.testing.assert_array_equal(
        competition_ranks([5.0, 9.0, 5.0, 1.0], higher_is_better=False), [2, 4, 2, 1]
    )


def test_scores_differing_only_in_the_last_bit_tie():
    s = 0.1 + 0.2
    assert s != 0.3
    np.testing.assert_array_equal(competition_ranks([0.3, s, 0.1]), [1, 1, 3])
