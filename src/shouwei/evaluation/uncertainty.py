r"""Monte Carlo uncertainty of ranks: how sure is "第 2 名"?

Following the OECD/JRC Handbook (2008, §1.8, "uncertainty analysis"), the choices a composite
index rests on are drawn at random and each unit's rank is recorded in every draw:

* **weights**: w^{(d)} ~ Dirichlet(κ·w) around the chosen weights w. Each weight keeps its mean
  w_j and has variance w_j(1 − w_j)/(κ + 1): the concentration κ says how far the experts'
  weights are trusted (larger κ = tighter). Indicators with w_j = 0 stay at 0. Drawn as
  independent Gamma(κ w_j, 1) variables divided by their sum. The default κ = 10·m (m the
  number of weighted indicators) gives equal weights a coefficient of variation of about
  1/√10 ≈ 0.32.
* **normalisation** and **aggregation**: each draw picks one (normalisation, method) scenario
  uniformly from those asked for. Scenarios that cannot run (the geometric mean on a scale with
  zeros, e.g. min-max) are left out with a warning.

Reported per unit: the median rank, the 5 %–95 % rank interval, P(rank = 1) and P(rank ≤ k)
(k = 2 for 保二). Quantiles use the inverted empirical CDF, so each is a rank that actually
occurred in the draws.

All draws are scored at once, with no Python loop over draws: for a weighted sum the
(draws × indicators) weight matrix times the (indicators × units) matrix Nᵀ gives every score;
for TOPSIS, non-negative weights let the ideal and anti-ideal points factor out
(max_i w_j n_ij = w_j max_i n_ij), so

.. math:: (D^{+})^2 = (W \circ W)\,\big((N - N^{+})^{\circ 2}\big)^{\mathsf T},\qquad
          (D^{-})^2 = (W \circ W)\,\big((N - N^{-})^{\circ 2}\big)^{\mathsf T}

are two matrix products. VIKOR's group utility S is one product too; its regret
R = max_j w_j F_ij is an element-wise maximum of one (draws × units) array per indicator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from shouwei.evaluation.aggregate import HIGHER_IS_BETTER, check_v, vikor_q
from shouwei.evaluation.common import (
    FloatArray,
    IntArray,
    Method,
    Normalisation,
    as_directions,
    as_matrix,
)
from shouwei.evaluation.errors import EvaluationError, EvaluationWarning
from shouwei.evaluation.normalise import normalise
from shouwei.evaluation.ranks import competition_ranks, rank_quantiles

DEFAULT_CONCENTRATION_PER_INDICATOR = 10.0
QUANTILES = (0.05, 0.5, 0.95)


@dataclass(frozen=True)
class RankUncertainty:
    """Per-unit rank distribution over the Monte Carlo draws (arrays in unit order)."""

    draws: int
    seed: int
    concentration: float
    k: int
    scenarios: tuple[tuple[Normalisation, Method], ...]
    ranks: IntArray
    median_rank: IntArray
    rank_p05: IntArray
    rank_p95: IntArray
    p_first: FloatArray
    p_within_k: FloatArray
    warnings: tuple[EvaluationWarning, ...]


def default_concentration(weights: npt.ArrayLike) -> float:
    """κ = 10 × the number of indicators with a positive weight."""
    return DEFAULT_CONCENTRATION_PER_INDICATOR * int(np.count_nonzero(np.asarray(weights) > 0))


def dirichlet_weights(
    rng: np.random.Generator, weights: FloatArray, concentration: float, draws: int
) -> FloatArray:
    """``draws`` weight vectors ~ Dirichlet(κ·w) on the positive weights; zeros stay zero."""
    if not concentration > 0:
        raise EvaluationError(
            f"集中度参数 κ 必须为正，实际为 {concentration:g}（concentration must be positive）",
            code="bad_option",
        )
    positive = np.flatnonzero(weights > 0)
    gammas = rng.standard_gamma(concentration * weights[positive], size=(draws, positive.size))
    totals = gammas.sum(axis=1, keepdims=True)
    if np.any(totals == 0):
        raise EvaluationError(
            f"集中度 κ = {concentration:g} 太小，部分抽样的权重全部下溢为 0；请增大 --concentration"
            f"（concentration too small: some weight draws underflowed to zero）",
            code="bad_option",
        )
    out = np.zeros((draws, weights.shape[0]))
    out[:, positive] = gammas / totals
    return out


def monte_carlo(
    x: npt.ArrayLike,
    directions: npt.ArrayLike | None,
    weights: npt.ArrayLike,
    *,
    draws: int,
    seed: int | None = None,
    concentration: float | None = None,
    normalisations: Sequence[Normalisation] = ("minmax",),
    methods: Sequence[Method] = ("weighted_sum",),
    k: int = 2,
    v: float = 0.5,
    references: npt.ArrayLike | None = None,
    names: Sequence[str] | None = None,
    units: Sequence[str] | None = None,
) -> RankUncertainty:
    """Rank distribution of each unit over ``draws`` random (weights, normalisation, method).

    ``x`` must be complete (no NaN) and free of constant indicators — what
    :func:`shouwei.evaluation.pipeline.evaluate` hands over. ``seed`` ``None`` draws a fresh
    seed, which is returned in the result so that the run can be repeated exactly.
    """
    m = as_matrix(x)
    d = as_directions(directions, m.shape[1])
    w = np.asarray(weights, dtype=np.float64).reshape(-1)
    if draws < 1:
        raise EvaluationError(
            f"蒙特卡洛抽样次数必须至少为 1，实际为 {draws}（draws must be ≥ 1）", code="bad_option"
        )
    if not 1 <= k <= m.shape[0]:
        raise EvaluationError(
            f"目标名次 k 必须在 1 到 {m.shape[0]} 之间，实际为 {k}（k must be within the units）",
            code="bad_option",
        )
    check_v(v)
    if seed is None:
        seed = int(np.random.default_rng().integers(2**63))
    kappa = default_concentration(w) if concentration is None else float(concentration)

    scenarios, matrices, warnings = _scenarios(
        m, d, normalisations, methods, references=references, names=names, units=units
    )
    rng = np.random.default_rng(seed)
    weight_draws = dirichlet_weights(rng, w, kappa, draws)
    if len(scenarios) == 1:
        assignment = np.zeros(draws, dtype=np.int64)
    else:
        assignment = rng.integers(len(scenarios), size=draws)

    ranks = np.empty((draws, m.shape[0]), dtype=np.int64)
    for s, (normalisation, method) in enumerate(scenarios):
        rows = np.flatnonzero(assignment == s)
        if rows.size == 0:
            continue
        scores = batch_scores(matrices[normalisation], weight_draws[rows], method, v=v)
        ranks[rows] = competition_ranks(scores, higher_is_better=HIGHER_IS_BETTER[method])

    p05, median, p95 = rank_quantiles(ranks, QUANTILES)
    return RankUncertainty(
        draws=draws,
        seed=seed,
        concentration=kappa,
        k=k,
        scenarios=tuple(scenarios),
        ranks=ranks,
        median_rank=median,
        rank_p05=p05,
        rank_p95=p95,
        p_first=np.mean(ranks == 1, axis=0),
        p_within_k=np.mean(ranks <= k, axis=0),
        warnings=tuple(warnings),
    )


def batch_scores(n: FloatArray, w: FloatArray, method: Method, *, v: float = 0.5) -> FloatArray:
    """Scores of every unit under every weight row of ``w`` (draws × indicators) at once.

    Returns draws × units. The geometric mean is returned as its logarithm Σ w ln n (same
    ranks, no overflow).
    """
    if method in ("weighted_sum", "efficacy"):
        return w @ n.T
    if method == "geometric":
        return w @ np.log(n).T
    if method == "topsis":
        w2 = w * w
        d_plus = np.sqrt(w2 @ np.square(n - n.max(axis=0)).T)
        d_minus = np.sqrt(w2 @ np.square(n - n.min(axis=0)).T)
        return d_minus / (d_plus + d_minus)
    if method == "vikor":
        best = n.max(axis=0)
        f = (best - n) / (best - n.min(axis=0))
        s = w @ f.T
        # R = max_j w_dj F_ij, one indicator at a time: an element-wise maximum over
        # draws × units arrays is far faster than reducing a short inner axis of a 3-D block.
        r = np.multiply.outer(w[:, 0], f[:, 0])
        term = np.empty_like(r)
        for j in range(1, f.shape[1]):
            np.multiply.outer(w[:, j], f[:, j], out=term)
            np.maximum(r, term, out=r)
        return vikor_q(s, r, v)
    raise EvaluationError(
        f"未知的集成方法「{method}」（unknown aggregation method '{method}'）", code="bad_option"
    )


def _scenarios(
    m: FloatArray,
    d: IntArray,
    normalisations: Sequence[Normalisation],
    methods: Sequence[Method],
    *,
    references: npt.ArrayLike | None,
    names: Sequence[str] | None,
    units: Sequence[str] | None,
) -> tuple[list[tuple[Normalisation, Method]], dict[str, FloatArray], list[EvaluationWarning]]:
    wanted: list[tuple[Normalisation, Method]] = []
    for method in dict.fromkeys(methods):
        # 功效系数法 is defined on its own 60–100 scale; other normalisations do not apply.
        pairs: list[tuple[Normalisation, Method]] = (
            [("efficacy", method)]
            if method == "efficacy"
            else [(norm, method) for norm in dict.fromkeys(normalisations)]
        )
        wanted.extend(pair for pair in pairs if pair not in wanted)
    matrices: dict[str, FloatArray] = {}
    for normalisation, _ in wanted:
        if normalisation not in matrices:
            matrices[normalisation] = normalise(
                m, d, normalisation, references=references, names=names, units=units
            )
    scenarios: list[tuple[Normalisation, Method]] = []
    warnings: list[EvaluationWarning] = []
    for normalisation, method in wanted:
        if method == "geometric" and not np.all(matrices[normalisation] > 0):
            warnings.append(
                EvaluationWarning(
                    code="scenario_skipped",
                    message=f"蒙特卡洛情景「{normalisation} + 加权几何平均」已略去："
                    f"该标准化会产生 0 或负值，几何平均无定义"
                    f"（scenario {normalisation} + geometric skipped: non-positive values）",
                )
            )
            continue
        scenarios.append((normalisation, method))
    if not scenarios:
        raise EvaluationError(
            "蒙特卡洛没有可运行的情景：加权几何平均需要全为正的标准化（功效系数、排序或目标距离）"
            "（no runnable Monte Carlo scenario）",
            code="bad_option",
        )
    return scenarios, matrices, warnings
