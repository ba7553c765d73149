"""Properties every composite index must keep, on generated data (OECD 2008, §1.5, §1.7)."""

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from shouwei.evaluation import DecisionMatrix, evaluate

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
METHODS = ["weighted_sum", "geometric", "topsis", "vikor", "efficacy"]


@st.composite
def matrices(draw, min_units=3):
    units = draw(st.integers(min_units, 10))
    indicators = draw(st.integers(2, 5))
    x = draw(
        arrays(np.float64, (units, indicators), elements=st.floats(1.0, 500.0, allow_nan=False))
    )
    assume(np.all(np.ptp(x, axis=0) > 1e-3))
    return x


def data_of(x):
    return DecisionMatrix.from_arrays(
        [f"单位{i}" for i in range(x.shape[0])], [f"指标{j}" for j in range(x.shape[1])], x
    )


@SETTINGS
@given(matrices(), st.floats(-1000.0, 1000.0), st.sampled_from(["weighted_sum", "topsis", "vikor"]))
def test_adding_a_constant_to_a_benefit_indicator_keeps_minmax_ranks(x, shift, method):
    shifted = x.copy()
    shifted[:, 0] += shift
    before = evaluate(data_of(x), method=method, normalisation="minmax", weights="entropy")
    after = evaluate(data_of(shifted), method=method, normalisation="minmax", weights="entropy")
    np.testing.assert_array_equal(before.ranks, after.ranks)
    np.testing.assert_allclose(before.weights, after.weights, atol=1e-9)


@SETTINGS
@given(matrices(), st.data(), st.sampled_from(METHODS))
def test_a_duplicated_unit_ties_with_its_twin(x, data, method):
    i = data.draw(st.integers(0, x.shape[0] - 1))
    doubled = np.vstack([x, x[i]])
    result = evaluate(data_of(doubled), method=method, weights="entropy")
    assert result.ranks[i] == result.ranks[-1]


@SETTINGS
@given(matrices())
def test_reversing_every_direction_reverses_weighted_sum_ranks(x):
    forward = evaluate(data_of(x), method="weighted_sum", normalisation="minmax")
    assume(np.min(np.diff(np.sort(forward.scores))) > 1e-9)
    backward = evaluate(
        data_of(x), method="weighted_sum", normalisation="minmax", directions=-np.ones(x.shape[1])
    )
    n = x.shape[0]
    np.testing.assert_array_equal(backward.ranks, n + 1 - forward.ranks)
