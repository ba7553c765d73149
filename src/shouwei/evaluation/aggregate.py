r"""Aggregation: one composite score per unit from the normalised matrix n and weights w.

n has units in rows, indicators in columns, higher-is-better in every column (see
:mod:`shouwei.evaluation.normalise`); w is non-negative and sums to 1.

* **Weighted arithmetic mean** (OECD 2008, §1.7, linear aggregation): S_i = Σ_j w_j n_ij.
  Fully compensatory: a deficit in one indicator is offset by a surplus in another.
* **Weighted geometric mean** (OECD 2008, §1.7): S_i = Π_j n_ij^{w_j}, computed as
  exp(Σ_j w_j ln n_ij). Only partly compensatory, and defined only for n_ij > 0 — so it needs a
  strictly positive scale (功效系数 60–100, rank, distance to a reference); min-max gives the
  worst unit 0 and is refused with that explanation.
* **TOPSIS** (Hwang & Yoon 1981, pp. 128–134): with v_ij = w_j n_ij, the ideal
  v_j^+ = max_i v_ij and anti-ideal v_j^- = min_i v_ij,

  .. math:: D_i^\pm = \sqrt{\sum_j (v_{ij} - v_j^\pm)^2},\qquad C_i = D_i^- / (D_i^+ + D_i^-)

  Higher C is better. Because w_j ≥ 0, max_i w_j n_ij = w_j max_i n_ij, so
  (D_i^+)^2 = Σ_j w_j^2 (n_ij − n_j^+)^2: a matrix product in the weights, which
  :mod:`shouwei.evaluation.uncertainty` uses to score every Monte Carlo draw at once.
* **VIKOR** (Opricovic & Tzeng 2004, *EJOR* 156: 445–455, eqs. 1–4): with f_j^* = max_i n_ij,
  f_j^- = min_i n_ij,

  .. math:: S_i = \sum_j w_j \frac{f_j^* - n_{ij}}{f_j^* - f_j^-},\quad
            R_i = \max_j w_j \frac{f_j^* - n_{ij}}{f_j^* - f_j^-},\quad
            Q_i = v\frac{S_i - S^*}{S^- - S^*} + (1 - v)\frac{R_i - R^*}{R^- - R^*}

  with S^* = min S, S^- = max S (likewise R), and v the weight of "group utility" against
  "individual regret" (0.5 by consensus). **Lower Q is better.** When every unit has the same
  S (or R) its term cannot discriminate and is taken as 0. Any increasing affine normalisation
  gives the same Q, so VIKOR's own linear scale and min-max coincide.
* **功效系数法** (efficacy coefficient method): S_i = Σ_j w_j d_ij with d the 60–100 efficacy
  scale; a weighted arithmetic mean read as a mark out of 100.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from shouwei.evaluation.common import (
    FloatArray,
    Method,
    as_matrix,
    indicator_labels,
    unit_labels,
)
from shouwei.evaluation.errors import EvaluationError

HIGHER_IS_BETTER: dict[str, bool] = {
    "weighted_sum": True,
    "geometric": True,
    "topsis": True,
    "vikor": False,
    "efficacy": True,
}


def weighted_sum(n: npt.ArrayLike, w: npt.ArrayLike) -> FloatArray:
    """S_i = Σ_j w_j n_ij."""
    return as_matrix(n) @ np.asarray(w, dtype=np.float64)


def require_positive(
    n: FloatArray, *, names: Sequence[str] | None = None, units: Sequence[str] | None = None
) -> None:
    """Refuse a normalised matrix with a value ≤ 0, naming the cell (the geometric mean's need)."""
    bad = np.argwhere(~(n > 0))
    if bad.size:
        i, j = bad[0]
        indicator = indicator_labels(names, n.shape[1])[j]
        unit = unit_labels(units, n.shape[0])[i]
        raise EvaluationError(
            f"加权几何平均要求标准化后的值全部为正，但指标「{indicator}」在单位「{unit}」处为 "
            f"{n[i, j]:g}（最小-最大、Z 分数等标准化会产生 0 或负值）；请改用功效系数（60–100）、"
            f"排序或目标距离标准化"
            f"（weighted geometric mean needs positive normalised values: "
            f"'{indicator}' is {n[i, j]:g} for '{unit}'）",
            code="nonpositive_values",
            indicator=indicator,
            unit=unit,
        )


def geometric(
    n: npt.ArrayLike,
    w: npt.ArrayLike,
    *,
    names: Sequence[str] | None = None,
    units: Sequence[str] | None = None,
) -> FloatArray:
    """S_i = Π_j n_ij^{w_j} = exp(Σ_j w_j ln n_ij); needs n_ij > 0."""
    m = as_matrix(n)
    require_positive(m, names=names, units=units)
    return np.exp(np.log(m) @ np.asarray(w, dtype=np.float64))


def topsis(n: npt.ArrayLike, w: npt.ArrayLike) -> FloatArray:
    """Relative closeness C_i = D_i^- / (D_i^+ + D_i^-) of Hwang & Yoon (1981)."""
    m = as_matrix(n)
    w2 = np.square(np.asarray(w, dtype=np.float64))
    d_plus = np.sqrt(np.square(m - m.max(axis=0)) @ w2)
    d_minus = np.sqrt(np.square(m - m.min(axis=0)) @ w2)
    total = d_plus + d_minus
    if np.any(total == 0):
        raise EvaluationError(
            "TOPSIS：所有有权重的指标在各单位取值相同，理想解与负理想解重合，无法计算贴近度"
            "（TOPSIS: ideal and anti-ideal points coincide）",
            code="constant_indicator",
        )
    return d_minus / total


def vikor_components(n: npt.ArrayLike, w: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Group utility S_i and individual regret R_i of Opricovic & Tzeng (2004)."""
    m = as_matrix(n)
    best = m.max(axis=0)
    worst = m.min(axis=0)
    span = best - worst
    if np.any(span == 0):
        raise EvaluationError(
            "VIKOR：存在所有单位取值相同的指标，f* = f⁻，无法计算（VIKOR: constant indicator）",
            code="constant_indicator",
        )
    regret = np.asarray(w, dtype=np.float64) * ((best - m) / span)
    return regret.sum(axis=1), regret.max(axis=1)


def vikor_q(s: FloatArray, r: FloatArray, v: float) -> FloatArray:
    """Q from S and R along the last axis (one row per Monte Carlo draw, or a single vector)."""
    return v * _unit_range(s) + (1.0 - v) * _unit_range(r)


def _unit_range(values: FloatArray) -> FloatArray:
    low = values.min(axis=-1, keepdims=True)
    span = values.max(axis=-1, keepdims=True) - low
    safe = np.where(span > 0, span, 1.0)
    return np.where(span > 0, (values - low) / safe, 0.0)


def vikor(n: npt.ArrayLike, w: npt.ArrayLike, *, v: float = 0.5) -> FloatArray:
    """VIKOR index Q (lower is better) of Opricovic & Tzeng (2004)."""
    check_v(v)
    s, r = vikor_components(n, w)
    return vikor_q(s, r, v)


def check_v(v: float) -> None:
    if not 0.0 <= v <= 1.0:
        raise EvaluationError(
            f"VIKOR 参数 v 必须在 0 到 1 之间，实际为 {v:g}（VIKOR v must lie in [0, 1]）",
            code="bad_option",
        )


def aggregate(
    n: npt.ArrayLike,
    w: npt.ArrayLike,
    method: Method,
    *,
    v: float = 0.5,
    names: Sequence[str] | None = None,
    units: Sequence[str] | None = None,
) -> FloatArray:
    """Composite scores by ``method``; VIKOR's are lower-is-better (see HIGHER_IS_BETTER)."""
    if method in ("weighted_sum", "efficacy"):
        return weighted_sum(n, w)
    if method == "geometric":
        return geometric(n, w, names=names, units=units)
    if method == "topsis":
        return topsis(n, w)
    if method == "vikor":
        return vikor(n, w, v=v)
    raise EvaluationError(
        f"未知的集成方法「{method}」（unknown aggregation method '{method}'）", code="bad_option"
    )
