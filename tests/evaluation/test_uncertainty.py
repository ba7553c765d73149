"""Monte Carlo rank uncertainty: reproducible, consistent with single runs, honest quantiles."""

import numpy as np
import pytest

from shouwei.evaluation import DecisionMatrix, EvaluationError, evaluate, monte_carlo
from shouwei.evaluation import aggregate as ag
from shouwei.evaluation import normalise as nz
from shouwei.evaluation.ranks import competition_ranks
from shouwei.evaluation.uncertainty import batch_scores, dirichlet_weights

RNG = np.random.default_rng(20221)
X = RNG.uniform(1.0, 100.0, size=(12, 5))
D = np.array([1, 1, -1, 1, -1])
W = np.array([0.3, 0.2, 0.2, 0.2, 0.1])


def test_the_same_seed_gives_the_same_ranks_and_another_seed_does_not():
    kwargs = dict(draws=300, normalisations=("minmax", "vector"), methods=("topsis", "vikor"))
    first = monte_carlo(X, D, W, seed=42, **kwargs)
    again = monte_carlo(X, D, W, seed=42, **kwargs)
    other = monte_carlo(X, D, W, seed=43, **kwargs)
    np.testing.assert_array_equal(first.ranks, again.ranks)
    np.testing.assert_array_equal(first.p_within_k, again.p_within_k)
    assert not np.array_equal(first.ranks, other.ranks)


def test_a_run_without_a_seed_records_the_seed_that_reproduces_it():
    unseeded = monte_carlo(X, D, W, draws=200)
    repeated = monte_carlo(X, D, W, draws=200, seed=unseeded.seed)
    np.testing.assert_array_equal(unseeded.ranks, repeated.ranks)


@pytest.mark.parametrize("method", ["weighted_sum", "geometric", "topsis", "vikor", "efficacy"])
def test_batch_scores_rank_like_a_single_run_with_each_drawn_weight_vector(method):
    normalisation = "efficacy" if method in ("geometric", "efficacy") else "minmax"
    n = nz.normalise(X, D, normalisation)
    draws = dirichlet_weights(np.random.default_rng(7), W, 50.0, 20)
    batch = competition_ranks(
        batch_scores(n, draws, method), higher_is_better=ag.HIGHER_IS_BETTER[method]
    )
    for d in range(draws.shape[0]):
        single = ag.aggregate(n, draws[d], method)
        expected = competition_ranks(single, higher_is_better=ag.HIGHER_IS_BETTER[method])
        np.testing.assert_array_equal(batch[d], expected)
        if method not in ("geometric", "vikor"):
            np.testing.assert_allclose(batch_scores(n, draws[d : d + 1], method)[0], single)


def test_dirichlet_draws_centre_on_the_chosen_weights_with_the_stated_spread():
    kappa = 40.0
    draws = dirichlet_weights(np.random.default_rng(1), W, kappa, 200_000)
    np.testing.assert_allclose(draws.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(draws.mean(axis=0), W, atol=2e-3)
    np.testing.assert_allclose(draws.var(axis=0), W * (1 - W) / (kappa + 1), rtol=0.03)


def test_a_zero_weight_stays_zero_in_every_draw():
    draws = dirichlet_weights(np.random.default_rng(1), np.array([0.5, 0.0, 0.5]), 10.0, 100)
    assert np.all(draws[:, 1] == 0.0)


def test_quantiles_and_probabilities_summarise_the_draws():
    result = monte_carlo(X, D, W, draws=501, seed=3, k=3, concentration=20.0)
    q = np.quantile(result.ranks, (0.05, 0.5, 0.95), axis=0, method="inverted_cdf")
    np.testing.assert_array_equal(result.rank_p05, q[0])
    np.testing.assert_array_equal(result.median_rank, q[1])
    np.testing.assert_array_equal(result.rank_p95, q[2])
    np.testing.assert_allclose(result.p_first, np.mean(result.ranks == 1, axis=0))
    np.testing.assert_allclose(result.p_within_k, np.mean(result.ranks <= 3, axis=0))
    assert np.all(result.rank_p05 <= result.median_rank)
    assert np.all(result.median_rank <= result.rank_p95)


def test_a_unit_best_on_every_indicator_is_first_in_every_draw():
    x = X.copy()
    x[0] = np.where(D == 1, X.max(axis=0) + 1, X.min(axis=0) - 0.5)
    result = monte_carlo(
        x,
        D,
        W,
        draws=400,
        seed=5,
        normalisations=("minmax", "zscore", "rank"),
        methods=("weighted_sum", "topsis", "vikor"),
    )
    assert result.p_first[0] == 1.0
    assert (result.median_rank[0], result.rank_p05[0], result.rank_p95[0]) == (1, 1, 1)
    assert len(result.scenarios) == 9


def test_a_very_high_concentration_reproduces_the_single_run_ranks():
    data = DecisionMatrix.from_arrays([f"u{i}" for i in range(12)], list("abcde"), X)
    weights = dict(zip("abcde", W, strict=True))
    directions = dict(zip("abcde", D, strict=True))
    result = evaluate(
        data,
        method="topsis",
        weights=weights,
        directions=directions,
        mc_draws=50,
        seed=1,
        concentration=1e9,
    )
    assert np.all(result.uncertainty.median_rank == result.ranks)
    assert result.parameters["monte_carlo"]["seed"] == 1


def test_geometric_scenarios_on_a_scale_with_zeros_are_skipped_with_a_warning():
    result = monte_carlo(
        X, D, W, draws=100, seed=1, normalisations=("minmax", "efficacy"), methods=("geometric",)
    )
    assert result.scenarios == (("efficacy", "geometric"),)
    assert [w.code for w in result.warnings] == ["scenario_skipped"]
    with pytest.raises(EvaluationError):
        monte_carlo(X, D, W, draws=100, seed=1, normalisations=("minmax",), methods=("geometric",))


def test_k_outside_the_units_is_refused():
    with pytest.raises(EvaluationError) as exc:
        monte_carlo(X, D, W, draws=10, seed=1, k=13)
    assert "k" in str(exc.value)
