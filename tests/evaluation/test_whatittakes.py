"""What it takes to move up one rank, on a hand-worked example and on generated data."""

import numpy as np
import pytest

from shouwei.evaluation import DecisionMatrix, EvaluationError, evaluate, what_it_takes
from shouwei.evaluation.whatittakes import what_it_takes_matrix

# 甲 (10, 10), 乙 (6, 4), 丙 (2, 8); both benefit, equal weights, min-max weighted sum.
# Min-max: 甲 (1, 1), 乙 (½, 0), 丙 (0, ⅔) → scores 1, ¼, ⅓: 甲 1st, 丙 2nd, 乙 3rd.
HAND = DecisionMatrix.from_arrays(
    ["甲", "乙", "丙"], ["GDP", "税收"], [[10.0, 10.0], [6.0, 4.0], [2.0, 8.0]]
)


def test_hand_worked_weighted_sum_answers_analytically_and_by_bisection():
    result = what_it_takes(evaluate(HAND), "乙")
    gdp, tax = result.changes
    assert result.rank == 3
    # GDP: 乙 stays inside the others' range [2, 10], so the scale is fixed and
    # ½·(x − 2)/8 = ⅓ − 0 gives x = 2 + 16/3 = 22/3.
    assert gdp.how == "analytic"
    assert gdp.required == pytest.approx(22 / 3, abs=1e-12)
    assert gdp.new_rank == 2
    # 税收: 乙 is the column minimum, so raising it moves the minimum with it: 乙 keeps 0 and
    # 丙 falls to ½·(8 − x)/(10 − x), which reaches ¼ at x = 6.
    assert tax.how == "bisection"
    assert tax.required == pytest.approx(6.0, abs=1e-9)
    assert tax.relative_change == pytest.approx(0.5, abs=1e-9)
    assert result.cheapest is gdp
    assert gdp.relative_change == pytest.approx((22 / 3 - 6) / 6, abs=1e-12)
    assert "「GDP」" in result.message and "第 2 名" in result.message


def test_the_leader_has_nothing_to_gain():
    result = what_it_takes(evaluate(HAND), "甲")
    assert result.changes == () and result.cheapest is None
    assert "已居第 1 名" in result.message


def test_an_unknown_unit_is_refused():
    with pytest.raises(EvaluationError) as exc:
        what_it_takes(evaluate(HAND), "丁")
    assert exc.value.unit == "丁"


RNG = np.random.default_rng(11)
X = RNG.uniform(5.0, 50.0, size=(15, 4))
D = np.array([1, -1, 1, 1])
W = np.array([0.4, 0.3, 0.2, 0.1])


@pytest.mark.parametrize(
    ("method", "normalisation"),
    [
        ("weighted_sum", "minmax"),
        ("weighted_sum", "zscore"),
        ("efficacy", "efficacy"),
        ("topsis", "vector"),
        ("vikor", "minmax"),
        ("geometric", "rank"),
    ],
)
def test_each_answer_is_the_smallest_change_that_moves_the_unit_up(method, normalisation):
    from shouwei.evaluation import aggregate as ag
    from shouwei.evaluation import normalise as nz
    from shouwei.evaluation.ranks import competition_ranks

    def rank_of(x, u):
        scores = ag.aggregate(nz.normalise(x, D, normalisation), W, method)
        return competition_ranks(scores, higher_is_better=ag.HIGHER_IS_BETTER[method])[u]

    units = [f"u{i}" for i in range(15)]
    base_ranks = [rank_of(X, u) for u in range(15)]
    u = int(np.argsort(base_ranks)[7])
    result = what_it_takes_matrix(
        X,
        D,
        W,
        unit_index=u,
        method=method,
        normalisation=normalisation,
        units=units,
        indicators=list("abcd"),
    )
    assert result.rank == base_ranks[u]
    reachable = [c for c in result.changes if c.required is not None]
    assert reachable
    for j, change in enumerate(result.changes):
        if change.required is None:
            continue
        assert np.sign(change.change) == D[j]
        moved = X.copy()
        moved[u, j] = change.required
        assert rank_of(moved, u) < result.rank
        short = X.copy()
        short[u, j] = change.current + change.change * (1 - 1e-6)
        assert rank_of(short, u) == result.rank
    assert result.cheapest.relative_change == min(c.relative_change for c in reachable)


def test_an_indicator_with_zero_weight_cannot_help():
    result = what_it_takes_matrix(
        X,
        D,
        np.array([0.5, 0.5, 0.0, 0.0]),
        unit_index=3,
        method="weighted_sum",
        normalisation="minmax",
        units=[f"u{i}" for i in range(15)],
        indicators=list("abcd"),
    )
    assert [c.how for c in result.changes][2:] == ["zero_weight", "zero_weight"]
