"""Each normalisation on a hand-worked 3 units × 2 indicators matrix.

Column 1 is a benefit indicator (1, 2, 4); column 2 a cost indicator (10, 30, 20), like an
unemployment rate: the unit with 10 is the best on it.
"""

import math

import numpy as np
import pytest

from shouwei.evaluation import normalise as nz
from shouwei.evaluation.errors import EvaluationError

X = np.array([[1.0, 10.0], [2.0, 30.0], [4.0, 20.0]])
D = np.array([1, -1])


def test_minmax_puts_the_best_unit_at_one_and_inverts_cost_indicators():
    expected = [[0.0, 1.0], [1 / 3, 0.0], [1.0, 0.5]]
    np.testing.assert_allclose(nz.minmax(X, D), expected, rtol=0, atol=1e-15)


def test_zscore_uses_the_population_standard_deviation_and_flips_cost_signs():
    # Column 1: mean 7/3, deviations (−4/3, −1/3, 5/3), σ = √(14/9) → z = (−4, −1, 5)/√14.
    # Column 2: mean 20, σ = √(200/3); cost, so z = (20 − x)/σ = (10, −10, 0)/σ.
    sigma2 = math.sqrt(200 / 3)
    expected = [
        [-4 / math.sqrt(14), 10 / sigma2],
        [-1 / math.sqrt(14), -10 / sigma2],
        [5 / math.sqrt(14), 0.0],
    ]
    np.testing.assert_allclose(nz.zscore(X, D), expected, rtol=0, atol=1e-15)


def test_vector_divides_by_the_euclidean_norm_and_reflects_cost_columns():
    r1 = np.array([1, 2, 4]) / math.sqrt(21)
    r2 = np.array([10, 30, 20]) / math.sqrt(1400)
    np.testing.assert_allclose(nz.vector(X, D), np.c_[r1, 1 - r2], rtol=0, atol=1e-15)


def test_rank_gives_the_best_unit_n_and_ties_their_average_rank():
    np.testing.assert_array_equal(nz.rank(X, D), [[1, 3], [2, 1], [3, 2]])
    tied = np.array([[5.0], [5.0], [1.0], [7.0]])
    np.testing.assert_array_equal(nz.rank(tied), [[2.5], [2.5], [1.0], [4.0]])


def test_target_is_the_ratio_to_the_given_reference_and_its_inverse_for_costs():
    out = nz.target(X, D, references=[2.0, 20.0])
    np.testing.assert_allclose(out, [[0.5, 2.0], [1.0, 2 / 3], [2.0, 1.0]], rtol=0, atol=1e-15)


def test_target_without_a_reference_measures_the_distance_to_the_leader():
    out = nz.target(X, D, references=[np.nan, np.nan])
    np.testing.assert_allclose(out, [[0.25, 1.0], [0.5, 1 / 3], [1.0, 0.5]], rtol=0, atol=1e-15)


def test_efficacy_maps_the_worst_unit_to_60_and_the_best_to_100():
    expected = [[60.0, 100.0], [60 + 40 / 3, 60.0], [100.0, 80.0]]
    np.testing.assert_allclose(nz.efficacy(X, D), expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("method", ["minmax", "zscore", "efficacy"])
def test_a_constant_indicator_is_refused_by_name(method):
    x = np.array([[1.0, 3.0], [2.0, 3.0], [5.0, 3.0]])
    with pytest.raises(EvaluationError) as exc:
        nz.normalise(x, None, method, names=["GDP", "园区数"])
    assert exc.value.code == "constant_indicator"
    assert exc.value.indicator == "园区数"
    assert "「园区数」" in str(exc.value) and "极差为 0" in str(exc.value)


def test_vector_normalisation_refuses_negative_values_naming_the_cell():
    x = np.array([[1.0, 3.0], [2.0, -0.5], [5.0, 3.0]])
    with pytest.raises(EvaluationError) as exc:
        nz.vector(x, None, names=["GDP", "增速"], units=["甲", "乙", "丙"])
    assert exc.value.code == "negative_values"
    assert (exc.value.indicator, exc.value.unit) == ("增速", "乙")
    assert "非负" in str(exc.value)


def test_target_refuses_a_non_positive_cost_value_it_would_divide_by():
    x = np.array([[1.0, 0.0], [2.0, 4.0]])
    with pytest.raises(EvaluationError) as exc:
        nz.target(x, [1, -1], names=["GDP", "失业率"], units=["甲", "乙"])
    assert (exc.value.indicator, exc.value.unit) == ("失业率", "甲")
