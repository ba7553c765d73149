"""Missing values: refused by default, or dropped/imputed with a warning per indicator/cell."""

import numpy as np
import pytest

from shouwei.evaluation import DecisionMatrix, EvaluationError, evaluate
from shouwei.evaluation.missing import apply_missing_policy

UNITS = ["甲", "乙", "丙"]
INDICATORS = ["GDP", "税收", "就业"]
X = np.array([[1.0, 2.0, np.nan], [2.0, np.nan, 5.0], [4.0, 6.0, 7.0]])


def test_gaps_are_refused_by_default_listing_each_cell():
    with pytest.raises(EvaluationError) as exc:
        apply_missing_policy(X, units=UNITS, indicators=INDICATORS, policy="refuse")
    message = str(exc.value)
    assert "数据缺失 2 处" in message
    assert "「甲」的「就业」" in message and "「乙」的「税收」" in message
    assert "--missing" in message


def test_drop_indicator_removes_each_gappy_indicator_and_says_so():
    result = apply_missing_policy(X, units=UNITS, indicators=INDICATORS, policy="drop_indicator")
    assert result.indicators == ("GDP",)
    np.testing.assert_array_equal(result.values, X[:, [0]])
    assert [w.indicator for w in result.warnings] == ["税收", "就业"]
    assert "乙" in result.warnings[0].message and "剔除" in result.warnings[0].message


def test_impute_mean_fills_each_gap_with_the_peer_mean_and_names_it():
    result = apply_missing_policy(X, units=UNITS, indicators=INDICATORS, policy="impute_mean")
    assert result.values[1, 1] == 4.0 and result.values[0, 2] == 6.0
    assert [(w.unit, w.indicator) for w in result.warnings] == [("乙", "税收"), ("甲", "就业")]
    assert "均值 4" in result.warnings[0].message


def test_an_indicator_nobody_reports_cannot_be_imputed():
    x = X.copy()
    x[:, 1] = np.nan
    with pytest.raises(EvaluationError) as exc:
        apply_missing_policy(x, units=UNITS, indicators=INDICATORS, policy="impute_mean")
    assert exc.value.indicator == "税收"


def test_the_pipeline_passes_missing_value_warnings_on():
    data = DecisionMatrix.from_arrays(UNITS, INDICATORS, X)
    result = evaluate(data, missing="impute_mean")
    assert {w.code for w in result.warnings} == {"value_imputed"}
    dropped = evaluate(data, missing="drop_indicator")
    assert dropped.indicators == ("GDP",) and dropped.dropped == ("税收", "就业")
