"""Weights on hand-worked examples; each expected value is derived in the comment."""

import math

import numpy as np
import pytest

from shouwei.evaluation import weights as wt
from shouwei.evaluation.errors import EvaluationError


def test_equal_weights_are_one_over_m():
    np.testing.assert_array_equal(wt.equal(4), [0.25] * 4)


def test_given_weights_that_sum_to_one_pass_without_warning():
    w, warnings = wt.given([0.2, 0.3, 0.5], names=["a", "b", "c"])
    np.testing.assert_allclose(w, [0.2, 0.3, 0.5])
    assert warnings == []


def test_given_weights_not_summing_to_one_are_rescaled_with_a_warning():
    w, warnings = wt.given([2.0, 3.0, 5.0], names=["a", "b", "c"])
    np.testing.assert_allclose(w, [0.2, 0.3, 0.5])
    assert [x.code for x in warnings] == ["weights_rescaled"]
    assert "10" in warnings[0].message and "归一化" in warnings[0].message


def test_strict_mode_refuses_weights_not_summing_to_one():
    with pytest.raises(EvaluationError) as exc:
        wt.given([0.5, 0.6], names=["a", "b"], strict=True)
    assert exc.value.code == "weights_sum"
    assert "1.1" in str(exc.value)


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("inf")])
def test_a_negative_or_non_finite_weight_is_refused_by_indicator(bad):
    with pytest.raises(EvaluationError) as exc:
        wt.given([0.5, bad], names=["GDP", "税收"])
    assert exc.value.indicator == "税收"


def test_entropy_weights_on_raw_data_follow_hwang_and_yoon():
    # Column 1 (1, 1, 2): p = (1/4, 1/4, 1/2), e = (2·¼ln4 + ½ln2)/ln3 = 1.5·ln2/ln3.
    # Column 2 (1, 2, 3): p = (1/6, 2/6, 3/6), e = (⅙ln6 + ⅓ln3 + ½ln2)/ln3.
    x = np.array([[1.0, 1.0], [1.0, 2.0], [2.0, 3.0]])
    e1 = 1.5 * math.log(2) / math.log(3)
    e2 = (math.log(6) / 6 + math.log(3) / 3 + math.log(2) / 2) / math.log(3)
    d = np.array([1 - e1, 1 - e2])
    np.testing.assert_allclose(wt.entropy(x, basis="raw"), d / d.sum(), rtol=1e-14)


def test_entropy_weights_on_the_minmax_basis_take_zero_log_zero_as_zero():
    # Min-max columns: (0, 0, 1) → p = (0, 0, 1), e = 0; (0, ½, 1) → p = (0, ⅓, ⅔).
    x = np.array([[1.0, 1.0], [1.0, 2.0], [2.0, 3.0]])
    e2 = -(1 / 3 * math.log(1 / 3) + 2 / 3 * math.log(2 / 3)) / math.log(3)
    d = np.array([1.0, 1 - e2])
    np.testing.assert_allclose(wt.entropy(x), d / d.sum(), rtol=1e-14)


def test_entropy_on_raw_data_refuses_negative_values():
    with pytest.raises(EvaluationError) as exc:
        wt.entropy([[1.0, -2.0], [2.0, 3.0]], basis="raw", names=["a", "增速"], units=["甲", "乙"])
    assert (exc.value.indicator, exc.value.unit) == ("增速", "甲")


# Three benefit columns whose min-max forms are c1 = (0, ½, 1), c2 = (1, 0, ½), c3 = (0, 1, 1).
# Sample σ: σ1 = σ2 = ½, σ3 = 1/√3. Correlations: r12 = −½, r13 = √3/2, r23 = −√3/2.
CRITIC_X = np.array([[0.0, 10.0, 0.0], [5.0, 0.0, 1.0], [10.0, 5.0, 1.0]])


def test_critic_weights_follow_diakoulaki_et_al():
    h = math.sqrt(3) / 2
    c = np.array(
        [
            0.5 * (0 + 1.5 + (1 - h)),
            0.5 * (1.5 + 0 + (1 + h)),
            (1 / math.sqrt(3)) * ((1 - h) + (1 + h) + 0),
        ]
    )
    np.testing.assert_allclose(wt.critic(CRITIC_X), c / c.sum(), rtol=1e-14)


def test_critic_turns_cost_columns_before_correlating():
    # Reversing c2 makes r12 = +½ and r23 = +√3/2, so c2 now counts as redundant.
    h = math.sqrt(3) / 2
    c = np.array(
        [
            0.5 * (0 + 0.5 + (1 - h)),
            0.5 * (0.5 + 0 + (1 - h)),
            (1 / math.sqrt(3)) * ((1 - h) + (1 - h) + 0),
        ]
    )
    np.testing.assert_allclose(wt.critic(CRITIC_X, [1, -1, 1]), c / c.sum(), rtol=1e-14)


def test_critic_refuses_indicators_that_all_repeat_each_other():
    x = np.array([[1.0, 10.0], [2.0, 20.0], [4.0, 40.0]])
    with pytest.raises(EvaluationError) as exc:
        wt.critic(x)
    assert exc.value.code == "critic_redundant"


def test_standard_deviation_weights_use_the_minmax_columns():
    s = np.array([0.5, 0.5, 1 / math.sqrt(3)])
    np.testing.assert_allclose(wt.standard_deviation(CRITIC_X), s / s.sum(), rtol=1e-14)


def test_ahp_of_a_consistent_matrix_returns_its_generating_weights_with_cr_zero():
    w = np.array([0.4, 0.3, 0.2, 0.1])
    result = wt.ahp(np.outer(w, 1 / w))
    np.testing.assert_allclose(result.weights, w, rtol=1e-12)
    assert result.lambda_max == pytest.approx(4.0, abs=1e-12)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-12)
    assert result.random_index == 0.90


def test_ahp_three_by_three_matches_the_closed_form():
    # For a 3×3 reciprocal matrix with a12 = a, a13 = b, a23 = c (Saaty 1980):
    # λmax = 1 + (b/(ac))^⅓ + (ac/b)^⅓, and the principal eigenvector is the normalised row
    # geometric means ((ab)^⅓, (c/a)^⅓, (bc)^−⅓).
    a, b, c = 3.0, 5.0, 2.0
    matrix = [[1, a, b], [1 / a, 1, c], [1 / b, 1 / c, 1]]
    lam = 1 + (b / (a * c)) ** (1 / 3) + (a * c / b) ** (1 / 3)
    g = np.array([(a * b) ** (1 / 3), (c / a) ** (1 / 3), (b * c) ** (-1 / 3)])
    result = wt.ahp(matrix)
    np.testing.assert_allclose(result.weights, g / g.sum(), rtol=1e-12)
    assert result.lambda_max == pytest.approx(lam, rel=1e-12)
    assert result.consistency_index == pytest.approx((lam - 3) / 2, rel=1e-9)
    assert result.consistency_ratio == pytest.approx((lam - 3) / 2 / 0.58, rel=1e-9)


def test_ahp_with_cr_above_one_tenth_is_an_error_stating_the_cr():
    # A cycle 1 ≫ 2 ≫ 3 ≫ 1: λmax = 1 + 1/9 + 9, CI = 3.5556, CR = 6.1303.
    matrix = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]
    with pytest.raises(EvaluationError) as exc:
        wt.ahp(matrix)
    assert exc.value.code == "ahp_inconsistent"
    assert "CR = 6.1303 > 0.1" in str(exc.value)


def test_a_non_reciprocal_ahp_matrix_is_an_error_naming_the_cell():
    matrix = [[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 2, 1]]
    with pytest.raises(EvaluationError) as exc:
        wt.ahp(matrix, names=["GDP", "税收", "就业"])
    assert exc.value.code == "ahp_not_reciprocal"
    assert (exc.value.row, exc.value.column) == (2, "就业")
    assert "第 2 行第 3 列" in str(exc.value) and "「税收」对「就业」" in str(exc.value)


def test_an_ahp_matrix_with_a_diagonal_other_than_one_is_refused():
    with pytest.raises(EvaluationError) as exc:
        wt.ahp([[1, 2], [0.5, 2]], names=["a", "b"])
    assert exc.value.code == "ahp_not_reciprocal"
    assert "对角线" in str(exc.value)
