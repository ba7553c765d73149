"""Agreement to 1e-9 with pymcdm on generated matrices, for every method both implement.

Conventions matched (read from pymcdm 1.4's source):
* pymcdm normalises cost columns with ``minmax`` as (max − x)/(max − min) and with ``vector``
  as 1 − x/‖x‖, as ours do; its ``linear_normalization`` (x/max, min/x) is our ``target``
  normalisation with the leader as reference.
* pymcdm's ``VIKOR()`` uses raw values (max − x for costs); any increasing affine scale gives the
  same Q, so it must equal ours on the min-max scale.
* ``entropy_weights`` works on the raw matrix (our ``basis="raw"``) and sets a column's entropy
  to 0 when it holds a zero; we take 0·ln 0 = 0, so the comparison uses positive data.
* ``critic_weights`` ignores directions (ours without directions); ``standard_deviation_weights``
  works on the raw matrix, ours on the min-max matrix, so pymcdm is given that matrix.
* AHP: the same principal eigenvector; pymcdm divides CI by Tummala & Ling's RI, we by Saaty's,
  so CI = CR·RI is compared.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from pymcdm import methods as pm
from pymcdm import normalizations as pn
from pymcdm import weights as pw
from pymcdm.helpers import normalize_matrix
from pymcdm.weights.subjective import AHP

from shouwei.evaluation import aggregate as ag
from shouwei.evaluation import normalise as nz
from shouwei.evaluation import weights as wt
from shouwei.evaluation.errors import EvaluationError

TOLERANCE = 1e-9
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def problems(draw):
    """A units × indicators matrix of positive values with no near-constant column,
    positive weights summing to 1 and random directions."""
    units = draw(st.integers(3, 12))
    indicators = draw(st.integers(2, 6))
    x = draw(
        arrays(
            np.float64,
            (units, indicators),
            elements=st.floats(0.1, 1000.0, allow_nan=False, allow_infinity=False),
        )
    )
    spans = x.max(axis=0) - x.min(axis=0)
    assume(np.all(spans > 1e-6 * x.max(axis=0)))
    raw = draw(arrays(np.float64, indicators, elements=st.floats(0.05, 1.0)))
    directions = np.array(
        draw(st.lists(st.sampled_from([1, -1]), min_size=indicators, max_size=indicators))
    )
    return x, raw / raw.sum(), directions


def pymcdm_call(method, x, w, d):
    return method(x, w, d, validation=False)


@SETTINGS
@given(problems())
def test_minmax_and_vector_normalisations_agree_with_pymcdm(problem):
    x, _, d = problem
    for ours, theirs in [
        (nz.minmax, pn.minmax_normalization),
        (nz.vector, pn.vector_normalization),
    ]:
        np.testing.assert_allclose(ours(x, d), normalize_matrix(x, theirs, d), atol=TOLERANCE)
    np.testing.assert_allclose(
        nz.target(x, d), normalize_matrix(x, pn.linear_normalization, d), atol=TOLERANCE
    )


@SETTINGS
@given(problems())
def test_weighted_sum_agrees_with_pymcdm_wsm(problem):
    x, w, d = problem
    for ours, theirs in [
        (nz.minmax, pn.minmax_normalization),
        (nz.vector, pn.vector_normalization),
    ]:
        expected = pymcdm_call(pm.WSM(theirs), x, w, d)
        np.testing.assert_allclose(ag.weighted_sum(ours(x, d), w), expected, atol=TOLERANCE)


@SETTINGS
@given(problems())
def test_weighted_geometric_mean_agrees_with_pymcdm_wpm(problem):
    x, w, d = problem
    expected = pymcdm_call(pm.WPM(pn.vector_normalization), x, w, d)
    np.testing.assert_allclose(ag.geometric(nz.vector(x, d), w), expected, atol=TOLERANCE)
    expected = pymcdm_call(pm.WPM(pn.linear_normalization), x, w, d)
    np.testing.assert_allclose(ag.geometric(nz.target(x, d), w), expected, atol=TOLERANCE)


@SETTINGS
@given(problems())
def test_topsis_agrees_with_pymcdm(problem):
    x, w, d = problem
    for ours, theirs in [
        (nz.minmax, pn.minmax_normalization),
        (nz.vector, pn.vector_normalization),
    ]:
        expected = pymcdm_call(pm.TOPSIS(theirs), x, w, d)
        np.testing.assert_allclose(ag.topsis(ours(x, d), w), expected, atol=TOLERANCE)


@SETTINGS
@given(problems(), st.floats(0.0, 1.0))
def test_vikor_agrees_with_pymcdm(problem, v):
    x, w, d = problem
    s, r = ag.vikor_components(nz.minmax(x, d), w)
    # Q divides by the spread of S and of R; when a spread vanishes pymcdm returns NaN.
    assume(np.ptp(s) > 1e-6 and np.ptp(r) > 1e-6)
    ours = ag.vikor(nz.minmax(x, d), w, v=v)
    np.testing.assert_allclose(ours, pymcdm_call(pm.VIKOR(v=v), x, w, d), atol=TOLERANCE)
    expected = pymcdm_call(pm.VIKOR(pn.minmax_normalization, v=v), x, w, d)
    np.testing.assert_allclose(ours, expected, atol=TOLERANCE)


@SETTINGS
@given(problems())
# pymcdm's CRITIC divides 0 by 0 for perfectly correlated columns (the NaN case below).
@pytest.mark.filterwarnings("ignore:invalid value encountered in divide:RuntimeWarning")
def test_entropy_critic_and_std_weights_agree_with_pymcdm(problem):
    x, _, _ = problem
    np.testing.assert_allclose(wt.entropy(x, basis="raw"), pw.entropy_weights(x), atol=TOLERANCE)
    theirs = pw.critic_weights(x)
    # pymcdm returns NaN (0/0) when every pair of columns is perfectly correlated; we refuse
    # that case (tested in test_weights).
    if np.all(np.isfinite(theirs)):
        try:
            ours = wt.critic(x)
        except EvaluationError as exc:
            # Columns correlated to within rounding: pymcdm weighs the rounding noise, we refuse.
            assert exc.code == "critic_redundant"
        else:
            np.testing.assert_allclose(ours, theirs, atol=TOLERANCE)
    np.testing.assert_allclose(
        wt.standard_deviation(x), pw.standard_deviation_weights(nz.minmax(x)), atol=TOLERANCE
    )


SAATY_SCALE = [1 / 9, 1 / 7, 1 / 5, 1 / 3, 1.0, 3.0, 5.0, 7.0, 9.0, 2.0, 1 / 2]


@SETTINGS
@given(
    st.integers(3, 9).flatmap(
        lambda n: st.lists(
            st.sampled_from(SAATY_SCALE), min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2
        ).map(lambda upper: (n, upper))
    )
)
def test_ahp_eigenvector_weights_and_consistency_index_agree_with_pymcdm(case):
    n, upper = case
    matrix = np.ones((n, n))
    iu = np.triu_indices(n, 1)
    matrix[iu] = upper
    matrix[(iu[1], iu[0])] = 1 / np.array(upper)
    ours = wt.ahp(matrix, max_consistency_ratio=np.inf)
    theirs = AHP(matrix=matrix)
    np.testing.assert_allclose(ours.weights, theirs(), atol=TOLERANCE)
    their_ci = theirs.get_cr() * AHP.RI_M[n - 1]
    assert abs(ours.consistency_index - their_ci) < TOLERANCE
