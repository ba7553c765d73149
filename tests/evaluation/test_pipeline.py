"""A whole run: constant indicators, weight repairs, option conflicts, reproducible parameters."""

import numpy as np
import pytest

from shouwei.evaluation import DecisionMatrix, EvaluationError, PairwiseMatrix, evaluate

DATA = DecisionMatrix.from_arrays(
    ["甲", "乙", "丙", "丁"],
    ["GDP", "园区数", "失业率"],
    [[100.0, 3.0, 4.0], [80.0, 3.0, 3.0], [120.0, 3.0, 5.0], [90.0, 3.0, 4.5]],
)


def test_a_constant_indicator_is_dropped_with_a_warning_saying_how():
    result = evaluate(DATA, directions={"失业率": -1})
    assert result.indicators == ("GDP", "失业率") and result.dropped == ("园区数",)
    (warning,) = result.warnings
    assert warning.code == "indicator_dropped_constant" and warning.indicator == "园区数"
    assert "「园区数」" in warning.message and "剔除" in warning.message
    np.testing.assert_allclose(result.weights, [0.5, 0.5])


def test_strict_mode_refuses_a_constant_indicator():
    with pytest.raises(EvaluationError) as exc:
        evaluate(DATA, strict=True)
    assert exc.value.code == "constant_indicator" and exc.value.indicator == "园区数"
    assert "--strict" in str(exc.value)


def test_given_weights_of_a_dropped_indicator_are_redistributed_with_a_warning():
    result = evaluate(DATA, weights={"GDP": 0.5, "园区数": 0.2, "失业率": 0.3})
    np.testing.assert_allclose(result.weights, [0.625, 0.375])
    assert "weights_rescaled" in [w.code for w in result.warnings]


def test_given_weights_not_summing_to_one_warn_or_fail_in_strict_mode():
    data = DecisionMatrix.from_arrays(["甲", "乙"], ["a", "b"], [[1.0, 2.0], [2.0, 1.0]])
    result = evaluate(data, weights={"a": 3, "b": 1})
    np.testing.assert_allclose(result.weights, [0.75, 0.25])
    assert [w.code for w in result.warnings] == ["weights_rescaled"]
    with pytest.raises(EvaluationError) as exc:
        evaluate(data, weights={"a": 3, "b": 1}, strict=True)
    assert exc.value.code == "weights_sum"


def test_weights_for_an_unknown_indicator_are_refused():
    with pytest.raises(EvaluationError) as exc:
        evaluate(DATA, weights={"GDP": 0.5, "税收": 0.5, "园区数": 0, "失业率": 0})
    assert exc.value.indicator == "税收"


def test_ahp_weights_are_recomputed_on_the_indicators_left():
    pairwise = PairwiseMatrix(
        ("GDP", "园区数", "失业率"), np.array([[1, 5, 3], [1 / 5, 1, 1 / 2], [1 / 3, 2, 1]])
    )
    result = evaluate(DATA, weights=pairwise)
    np.testing.assert_allclose(result.weights, [0.75, 0.25])
    assert result.ahp.consistency_ratio == 0.0
    assert "ahp_reduced" in [w.code for w in result.warnings]


def test_the_efficacy_method_refuses_a_foreign_scale():
    with pytest.raises(EvaluationError) as exc:
        evaluate(DATA, method="efficacy", normalisation="zscore")
    assert "功效系数法" in str(exc.value)


def test_geometric_on_the_minmax_scale_is_refused_with_the_reason():
    with pytest.raises(EvaluationError) as exc:
        evaluate(DATA, method="geometric", normalisation="minmax")
    assert exc.value.code == "nonpositive_values" and "全部为正" in str(exc.value)


def test_each_method_defaults_to_its_customary_scale():
    assert evaluate(DATA, method="topsis").normalisation == "vector"
    assert evaluate(DATA, method="geometric").normalisation == "efficacy"
    assert evaluate(DATA, method="vikor").normalisation == "minmax"


def test_an_unknown_option_is_refused_listing_the_choices():
    with pytest.raises(EvaluationError) as exc:
        evaluate(DATA, method="electre")
    assert "topsis" in str(exc.value)


def test_parameters_record_everything_needed_to_repeat_the_run():
    result = evaluate(
        DATA, method="topsis", weights="entropy", directions={"失业率": -1}, mc_draws=200
    )
    repeat = evaluate(
        DATA,
        method=result.parameters["method"],
        normalisation=result.parameters["normalisation"],
        weights=result.parameters["weights"],
        directions=result.parameters["directions"],
        mc_draws=result.parameters["monte_carlo"]["draws"],
        seed=result.parameters["monte_carlo"]["seed"],
    )
    np.testing.assert_array_equal(repeat.scores, result.scores)
    np.testing.assert_array_equal(repeat.uncertainty.ranks, result.uncertainty.ranks)
