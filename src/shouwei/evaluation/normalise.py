r"""Normalisation: put indicators measured in 亿元, %, 家 … on one comparable scale.

Each function takes the decision matrix ``x`` (units × indicators) and ``directions`` (+1
benefit, -1 cost) and returns a matrix of the same shape in which **higher is always better**,
so that every aggregation method can treat all columns alike. Column j is handled on its own
(with x_j = column j, \bar x_j its mean, σ_j its population standard deviation):

* ``minmax``: (x − min x_j)/(max x_j − min x_j); cost: (max x_j − x)/(max x_j − min x_j)
* ``zscore``: (x − \bar x_j)/σ_j; cost: (\bar x_j − x)/σ_j
* ``vector``: x/‖x_j‖₂; cost: 1 − x/‖x_j‖₂
* ``rank``: average rank within the column, worst unit 1 … best unit n; cost: ranked on −x
* ``target``: x/r_j; cost: r_j/x
* ``efficacy`` (功效系数): 60 + 40·(x − min x_j)/(max x_j − min x_j);
  cost: 60 + 40·(max x_j − x)/(max x_j − min x_j)

Sources: OECD/JRC, *Handbook on Constructing Composite Indicators: Methodology and User Guide*
(OECD 2008), §1.5 and Table 3 (min-max, z-scores, ranking, distance to a reference); Hwang &
Yoon (1981), *Multiple Attribute Decision Making*, for the vector (L2) scale of TOPSIS; 功效系数法
(efficacy coefficient method) as used in Chinese 综合评价 practice, which maps the worst unit to
60 and the best to 100 so that every score is positive and reads like an exam mark.

Conventions worth knowing:

* ``vector`` reflects a cost column as ``1 − x/‖x‖`` (pymcdm's convention). The reflection is
  affine, so TOPSIS distances to the ideal and anti-ideal are exactly those of Hwang & Yoon's
  rule "ideal = min for a cost criterion" on ``x/‖x‖``.
* ``target`` is the OECD "distance to a reference": ``r_j`` is the target of indicator j when one
  is given, else the best unit's value (distance to the leader, max for benefit and min for cost;
  then ``target`` equals pymcdm's ``linear_normalization``).
* ``zscore`` uses the population standard deviation (ddof = 0); a common factor on every column
  changes no rank of any method here.
* Zero-range columns cannot be rescaled by ``minmax``/``zscore``/``efficacy``; these functions
  raise :class:`~shouwei.evaluation.errors.EvaluationError` naming the indicator. The pipeline
  (:func:`shouwei.evaluation.pipeline.evaluate`) drops such columns with a warning first.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from shouwei.evaluation.common import (
    COST,
    FloatArray,
    Normalisation,
    as_directions,
    as_matrix,
    indicator_labels,
    unit_labels,
)
from shouwei.evaluation.errors import (
    EvaluationError,
    constant_indicator_error,
    negative_values_error,
)

EFFICACY_FLOOR = 60.0
EFFICACY_SPAN = 40.0


def _ranges(x: FloatArray, names: Sequence[str] | None, how: str) -> tuple[FloatArray, FloatArray]:
    low = x.min(axis=0)
    high = x.max(axis=0)
    constant = np.flatnonzero(high == low)
    if constant.size:
        labels = indicator_labels(names, x.shape[1])
        raise constant_indicator_error(labels[constant[0]], f"无法做{how}，请剔除该指标")
    return low, high


def minmax(
    x: npt.ArrayLike, directions: npt.ArrayLike | None = None, *, names: Sequence[str] | None = None
) -> FloatArray:
    """Min-max rescaling to [0, 1]; best unit 1, worst 0 (OECD 2008, Table 3)."""
    m = as_matrix(x)
    d = as_directions(directions, m.shape[1])
    low, high = _ranges(m, names, "最小-最大标准化")
    span = high - low
    return np.where(d == COST, (high - m) / span, (m - low) / span)


def zscore(
    x: npt.ArrayLike, directions: npt.ArrayLike | None = None, *, names: Sequence[str] | None = None
) -> FloatArray:
    """Standardisation to mean 0 and standard deviation 1, sign flipped for cost columns."""
    m = as_matrix(x)
    d = as_directions(directions, m.shape[1])
    _ranges(m, names, "Z 分数标准化")
    z = (m - m.mean(axis=0)) / m.std(axis=0)
    return z * d


def vector(
    x: npt.ArrayLike,
    directions: npt.ArrayLike | None = None,
    *,
    names: Sequence[str] | None = None,
    units: Sequence[str] | None = None,
) -> FloatArray:
    """Vector (Euclidean) normalisation x/‖x‖₂ of Hwang & Yoon (1981); needs x ≥ 0."""
    m = as_matrix(x)
    d = as_directions(directions, m.shape[1])
    _require_non_negative(m, names, units, "向量（L2）标准化")
    norms = np.sqrt(np.sum(m * m, axis=0))
    zero = np.flatnonzero(norms == 0)
    if zero.size:
        labels = indicator_labels(names, m.shape[1])
        raise constant_indicator_error(labels[zero[0]], "全部为 0，无法做向量（L2）标准化")
    r = m / norms
    return np.where(d == COST, 1.0 - r, r)


def rank(
    x: npt.ArrayLike, directions: npt.ArrayLike | None = None, *, names: Sequence[str] | None = None
) -> FloatArray:
    """Ranks within each column, worst unit 1 and best unit n; ties share their average rank."""
    m = as_matrix(x)
    d = as_directions(directions, m.shape[1])
    oriented = m * d
    order = np.argsort(oriented, axis=0, kind="stable")
    ordered = np.take_along_axis(oriented, order, axis=0)
    out = np.empty_like(m)
    for j in range(m.shape[1]):
        # A run of equal values at 0-based sorted positions s … s+c−1 gets the mean of the
        # 1-based positions s+1 … s+c, i.e. s + (c + 1)/2 (average rank for ties).
        _, starts, counts = np.unique(ordered[:, j], return_index=True, return_counts=True)
        out[order[:, j], j] = np.repeat(starts + (counts + 1) / 2.0, counts)
    return out


def target(
    x: npt.ArrayLike,
    directions: npt.ArrayLike | None = None,
    *,
    references: npt.ArrayLike | None = None,
    names: Sequence[str] | None = None,
    units: Sequence[str] | None = None,
) -> FloatArray:
    """Distance to a reference r_j: x/r_j for benefit, r_j/x for cost (OECD 2008, Table 3).

    ``references`` gives r_j per indicator; NaN (or ``None`` for all) means "the best unit",
    so the leader scores 1 and the others their fraction of the leader.
    """
    m = as_matrix(x)
    d = as_directions(directions, m.shape[1])
    labels = indicator_labels(names, m.shape[1])
    best = np.where(d == COST, m.min(axis=0), m.max(axis=0))
    if references is None:
        ref = best
    else:
        given = np.asarray(references, dtype=np.float64).reshape(-1)
        ref = np.where(np.isnan(given), best, given)
    cost_columns = np.flatnonzero(d == COST)
    bad = np.argwhere(m[:, cost_columns] <= 0)
    if bad.size:
        i, k = bad[0]
        j = cost_columns[k]
        unit = unit_labels(units, m.shape[0])[i]
        raise EvaluationError(
            f"目标/参照距离标准化对逆向指标取 参照值/实际值，要求数据为正，但指标「{labels[j]}」"
            f"在单位「{unit}」处为 {m[i, j]:g}"
            f"（cost indicator '{labels[j]}' must be positive for r/x: {m[i, j]:g} at '{unit}'）",
            code="nonpositive_values",
            indicator=labels[j],
            unit=unit,
        )
    for j in np.flatnonzero(~(ref > 0)):
        raise EvaluationError(
            f"目标/参照距离标准化要求参照值为正，指标「{labels[j]}」的参照值为 {ref[j]:g}"
            f"（distance to reference needs a positive reference for '{labels[j]}'）",
            code="nonpositive_reference",
            indicator=labels[j],
        )
    with np.errstate(divide="ignore"):
        return np.where(d == COST, ref / m, m / ref)


def efficacy(
    x: npt.ArrayLike, directions: npt.ArrayLike | None = None, *, names: Sequence[str] | None = None
) -> FloatArray:
    """功效系数 d = 60 + 40·(x − min)/(max − min): worst unit 60, best 100 (cost reversed)."""
    m = as_matrix(x)
    d = as_directions(directions, m.shape[1])
    low, high = _ranges(m, names, "功效系数标准化")
    span = high - low
    share = np.where(d == COST, (high - m) / span, (m - low) / span)
    return EFFICACY_FLOOR + EFFICACY_SPAN * share


def normalise(
    x: npt.ArrayLike,
    directions: npt.ArrayLike | None,
    method: Normalisation,
    *,
    references: npt.ArrayLike | None = None,
    names: Sequence[str] | None = None,
    units: Sequence[str] | None = None,
) -> FloatArray:
    """Apply the normalisation called ``method``; see the module docstring for formulas."""
    if method == "minmax":
        return minmax(x, directions, names=names)
    if method == "zscore":
        return zscore(x, directions, names=names)
    if method == "vector":
        return vector(x, directions, names=names, units=units)
    if method == "rank":
        return rank(x, directions, names=names)
    if method == "target":
        return target(x, directions, references=references, names=names, units=units)
    if method == "efficacy":
        return efficacy(x, directions, names=names)
    raise EvaluationError(
        f"未知的标准化方法「{method}」（unknown normalisation '{method}'）", code="bad_option"
    )


def _require_non_negative(
    m: FloatArray, names: Sequence[str] | None, units: Sequence[str] | None, needs: str
) -> None:
    bad = np.argwhere(m < 0)
    if bad.size:
        i, j = bad[0]
        raise negative_values_error(
            indicator_labels(names, m.shape[1])[j],
            unit_labels(units, m.shape[0])[i],
            float(m[i, j]),
            needs,
        )
