r"""Indicator weights: equal, given by experts, entropy, CRITIC, standard deviation, AHP.

Every function returns non-negative weights summing to 1, one per indicator (column).

* **Equal**: w_j = 1/m (OECD 2008, §1.6: the default when there is no ground for another choice).
* **Given (expert)**: validated (finite, ≥ 0, not all 0). Weights that do not sum to 1 are
  rescaled with a warning, or refused when ``strict``.
* **Entropy** (熵权法; Hwang & Yoon 1981, §4.1.3): with p_ij = y_ij / Σ_i y_ij,

  .. math:: e_j = -\frac{1}{\ln n}\sum_i p_{ij}\ln p_{ij},\quad d_j = 1 - e_j,\quad
            w_j = d_j / \sum_k d_k

  taking 0·ln 0 = 0. ``basis="minmax"`` (the pipeline's choice, as in Chinese 熵权法 practice)
  takes y = the direction-aware min-max matrix, which accepts negative data such as growth
  rates; ``basis="raw"`` takes y = x as Hwang & Yoon do (needs x ≥ 0) and equals pymcdm's
  ``entropy_weights`` on strictly positive data (pymcdm sets e_j = 0 when a column holds a 0,
  where 0·ln 0 = 0 is the textbook convention kept here).
* **CRITIC** (Diakoulaki, Mavrotas & Papayannakis 1995, *Computers & Operations Research* 22(7)):
  on the direction-aware min-max matrix, with σ_j its sample standard deviation and r_jk the
  Pearson correlation of columns j and k,

  .. math:: C_j = \sigma_j \sum_k (1 - r_{jk}),\qquad w_j = C_j / \sum_k C_k

  Without directions every column is taken as benefit, which is pymcdm's ``critic_weights``.
* **Standard deviation** (Diakoulaki et al. 1995, the σ-only variant): w_j = σ_j / Σ_k σ_k
  on the min-max matrix, so that an indicator in 亿元 does not outweigh one in % by its unit.
  pymcdm's ``standard_deviation_weights`` applied to the min-max matrix gives the same.
* **AHP** (Saaty 1980, *The Analytic Hierarchy Process*): w = the principal (Perron) eigenvector
  of the positive reciprocal pairwise matrix A, λ_max its eigenvalue,
  CI = (λ_max − n)/(n − 1), CR = CI / RI_n with Saaty's random index RI. CR > 0.1 means the
  judgements are too inconsistent to use, and is an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from shouwei.evaluation.common import FloatArray, as_matrix, indicator_labels
from shouwei.evaluation.errors import EvaluationError, EvaluationWarning, negative_values_error
from shouwei.evaluation.normalise import minmax

# Saaty's random consistency index RI_n for n = 1 … 15: the mean CI of random reciprocal
# matrices on the 1/9 … 9 scale (Saaty 1980, The Analytic Hierarchy Process, McGraw-Hill).
SAATY_RANDOM_INDEX: tuple[float, ...] = (
    0.0,
    0.0,
    0.58,
    0.90,
    1.12,
    1.24,
    1.32,
    1.41,
    1.45,
    1.49,
    1.51,
    1.48,
    1.56,
    1.57,
    1.59,
)
CONSISTENCY_LIMIT = 0.1
# Judgements typed as decimals (0.333 for 1/3, 0.14 for 1/7) are reciprocal only to ~1 %.
RECIPROCAL_TOLERANCE = 0.01
SUM_TOLERANCE = 1e-9
REDUNDANCY_TOLERANCE = 1e-12


def equal(count: int) -> FloatArray:
    """w_j = 1/m."""
    return np.full(count, 1.0 / count)


def given(
    values: npt.ArrayLike, *, names: Sequence[str] | None = None, strict: bool = False
) -> tuple[FloatArray, list[EvaluationWarning]]:
    """Validate expert weights; rescale to sum 1 with a warning, or refuse when ``strict``."""
    w = np.asarray(values, dtype=np.float64).reshape(-1)
    labels = indicator_labels(names, w.shape[0])
    for j in np.flatnonzero(~np.isfinite(w) | (w < 0)):
        raise EvaluationError(
            f"指标「{labels[j]}」的权重 {w[j]:g} 无效：权重必须是非负有限数"
            f"（weight of '{labels[j]}' must be a finite non-negative number）",
            code="bad_weight",
            indicator=labels[j],
        )
    total = float(w.sum())
    if total <= 0:
        raise EvaluationError("权重全部为 0，无法评价（all weights are zero）", code="bad_weight")
    warnings: list[EvaluationWarning] = []
    if abs(total - 1.0) > SUM_TOLERANCE:
        if strict:
            raise EvaluationError(
                f"权重之和为 {total:.10g}，不等于 1；严格模式下不自动归一化"
                f"（weights sum to {total:.10g}, not 1; refused in strict mode）",
                code="weights_sum",
            )
        warnings.append(
            EvaluationWarning(
                code="weights_rescaled",
                message=f"权重之和为 {total:.10g}，不等于 1，已按比例归一化为和为 1"
                f"（weights summed to {total:.10g} and were rescaled to 1）",
            )
        )
    return w / total, warnings


def entropy(
    x: npt.ArrayLike,
    directions: npt.ArrayLike | None = None,
    *,
    basis: Literal["minmax", "raw"] = "minmax",
    names: Sequence[str] | None = None,
    units: Sequence[str] | None = None,
) -> FloatArray:
    """Entropy weights (熵权法); see the module docstring for the formula and both bases."""
    m = as_matrix(x)
    labels = indicator_labels(names, m.shape[1])
    if basis == "minmax":
        y = minmax(m, directions, names=names)
    else:
        bad = np.argwhere(m < 0)
        if bad.size:
            i, j = bad[0]
            unit = units[i] if units is not None else f"第 {i + 1} 个单位"
            raise negative_values_error(labels[j], unit, float(m[i, j]), "熵权法（原始数据）")
        y = m
    n = y.shape[0]
    totals = y.sum(axis=0)
    for j in np.flatnonzero(totals == 0):
        raise EvaluationError(
            f"指标「{labels[j]}」全部为 0，熵权法无法计算比重"
            f"（entropy weights: '{labels[j]}' sums to zero）",
            code="constant_indicator",
            indicator=labels[j],
        )
    p = y / totals
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(p), 0.0)
    e = -plogp.sum(axis=0) / np.log(n)
    diversity = 1.0 - e
    total = diversity.sum()
    if not total > 0:
        raise EvaluationError(
            "所有指标的信息熵都等于 1（各单位比重完全均匀），熵权法无法区分指标"
            "（entropy weights: every indicator is uniform across units）",
            code="constant_indicator",
        )
    return diversity / total


def critic(
    x: npt.ArrayLike,
    directions: npt.ArrayLike | None = None,
    *,
    names: Sequence[str] | None = None,
) -> FloatArray:
    """CRITIC weights of Diakoulaki et al. (1995); see the module docstring."""
    y = minmax(as_matrix(x), directions, names=names)
    sigma = y.std(axis=0, ddof=1)
    centred = y - y.mean(axis=0)
    scaled = centred / np.sqrt(np.sum(centred * centred, axis=0))
    r = scaled.T @ scaled
    c = sigma * np.sum(1.0 - r, axis=0)
    # Every pair perfectly correlated: each indicator repeats the others, C_j = 0 for all j
    # (up to rounding) and the method has nothing to weigh.
    if not c.sum() > REDUNDANCY_TOLERANCE * sigma.sum():
        raise EvaluationError(
            "CRITIC：所有指标两两完全正相关，信息完全重复，无法据此赋权；请改用其他赋权方法"
            "（CRITIC: every indicator is perfectly correlated with the others）",
            code="critic_redundant",
        )
    return c / c.sum()


def standard_deviation(x: npt.ArrayLike, *, names: Sequence[str] | None = None) -> FloatArray:
    """w_j = σ_j / Σσ_k on the min-max matrix (σ does not depend on direction)."""
    y = minmax(as_matrix(x), None, names=names)
    sigma = y.std(axis=0, ddof=1)
    return sigma / sigma.sum()


@dataclass(frozen=True)
class AHPResult:
    """Weights and consistency figures of an AHP pairwise matrix."""

    weights: FloatArray
    lambda_max: float
    consistency_index: float
    random_index: float
    consistency_ratio: float


def ahp(
    pairwise: npt.ArrayLike,
    *,
    names: Sequence[str] | None = None,
    max_consistency_ratio: float = CONSISTENCY_LIMIT,
) -> AHPResult:
    """Principal-eigenvector weights of a Saaty pairwise matrix, refused when CR > 0.1.

    ``pairwise[i, j]`` says how much more important indicator i is than j (1 … 9, or 1/9 … 1);
    the matrix must be positive with a unit diagonal and reciprocal (a_ji = 1/a_ij, to 1 %).
    """
    a = np.asarray(pairwise, dtype=np.float64)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise EvaluationError(
            f"AHP 判断矩阵必须是方阵，实际为 {a.shape}（AHP matrix must be square）",
            code="ahp_shape",
        )
    n = a.shape[0]
    labels = indicator_labels(names, n)
    if n > len(SAATY_RANDOM_INDEX):
        raise EvaluationError(
            f"AHP 判断矩阵为 {n} 阶，Saaty 随机一致性指标 RI 只到 {len(SAATY_RANDOM_INDEX)} 阶；"
            f"请分层比较（AHP supports at most {len(SAATY_RANDOM_INDEX)} criteria per matrix）",
            code="ahp_shape",
        )
    _check_reciprocal(a, labels)
    eigenvalues, eigenvectors = np.linalg.eig(a)
    # Perron–Frobenius: a positive matrix has one eigenvalue of largest modulus, real and
    # positive, whose eigenvector has entries of one sign.
    k = int(np.argmax(np.abs(eigenvalues)))
    lambda_max = float(eigenvalues[k].real)
    vector = eigenvectors[:, k].real
    w = vector / vector.sum()
    ri = SAATY_RANDOM_INDEX[n - 1]
    ci = (lambda_max - n) / (n - 1) if n > 1 else 0.0
    cr = ci / ri if ri > 0 else 0.0
    if cr > max_consistency_ratio:
        raise EvaluationError(
            f"AHP 判断矩阵一致性比率 CR = {cr:.4f} > {max_consistency_ratio:g}"
            f"（λmax = {lambda_max:.4f}，CI = {ci:.4f}，RI = {ri:.2f}），判断前后矛盾，"
            f"请调整两两比较后重试（consistency ratio {cr:.4f} exceeds {max_consistency_ratio:g}）",
            code="ahp_inconsistent",
        )
    return AHPResult(
        weights=w,
        lambda_max=lambda_max,
        consistency_index=ci,
        random_index=ri,
        consistency_ratio=cr,
    )


def _check_reciprocal(a: FloatArray, labels: Sequence[str]) -> None:
    n = a.shape[0]
    for i in range(n):
        for j in range(n):
            value = a[i, j]
            cell = f"第 {i + 1} 行第 {j + 1} 列（「{labels[i]}」对「{labels[j]}」）"
            cell_en = f"row {i + 1}, column {j + 1} ('{labels[i]}' vs '{labels[j]}')"
            if not (np.isfinite(value) and value > 0):
                raise EvaluationError(
                    f"AHP 判断矩阵{cell}的值 {value:g} 无效，必须为正数"
                    f"（AHP matrix {cell_en} must be positive）",
                    code="ahp_not_reciprocal",
                    row=i + 1,
                    column=labels[j],
                )
            if i == j and abs(value - 1.0) > RECIPROCAL_TOLERANCE:
                raise EvaluationError(
                    f"AHP 判断矩阵{cell}在对角线上，应为 1，实际为 {value:g}"
                    f"（AHP matrix diagonal {cell_en} must be 1）",
                    code="ahp_not_reciprocal",
                    row=i + 1,
                    column=labels[j],
                )
            if j > i and abs(value * a[j, i] - 1.0) > RECIPROCAL_TOLERANCE:
                raise EvaluationError(
                    f"AHP 判断矩阵不互反：{cell}为 {value:g}，而第 {j + 1} 行第 {i + 1} 列为 "
                    f"{a[j, i]:g}，应为 1/{value:g} = {1.0 / value:.4g}"
                    f"（AHP matrix not reciprocal at {cell_en}: a_ji must be 1/a_ij）",
                    code="ahp_not_reciprocal",
                    row=i + 1,
                    column=labels[j],
                )
