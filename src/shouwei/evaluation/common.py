"""Shared vocabulary of the evaluation engine: array aliases, option names, labels.

Orientation used everywhere in this package: a decision matrix ``x`` has one row per unit
(园区/区县, the alternatives) and one column per indicator (the criteria). ``directions`` holds
``+1`` for a benefit indicator (higher is better, 正向) and ``-1`` for a cost indicator (lower is
better, 逆向/负向, e.g. 城镇调查失业率). This is pymcdm's ``types`` convention.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, TypeAlias

import numpy as np
import numpy.typing as npt

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]

Normalisation = Literal["minmax", "zscore", "vector", "rank", "target", "efficacy"]
Method = Literal["weighted_sum", "geometric", "topsis", "vikor", "efficacy"]
MissingPolicy = Literal["refuse", "drop_indicator", "impute_mean"]

NORMALISATIONS: tuple[Normalisation, ...] = (
    "minmax",
    "zscore",
    "vector",
    "rank",
    "target",
    "efficacy",
)
METHODS: tuple[Method, ...] = ("weighted_sum", "geometric", "topsis", "vikor", "efficacy")
MISSING_POLICIES: tuple[MissingPolicy, ...] = ("refuse", "drop_indicator", "impute_mean")

BENEFIT = 1
COST = -1

NORMALISATION_LABELS: dict[str, str] = {
    "minmax": "最小-最大标准化",
    "zscore": "Z 分数标准化",
    "vector": "向量（L2）标准化",
    "rank": "排序标准化",
    "target": "目标/参照距离标准化",
    "efficacy": "功效系数标准化（60–100）",
}
METHOD_LABELS: dict[str, str] = {
    "weighted_sum": "加权算术平均（线性加权和）",
    "geometric": "加权几何平均",
    "topsis": "TOPSIS（逼近理想解排序法）",
    "vikor": "VIKOR（多准则妥协排序法）",
    "efficacy": "功效系数法",
}


def indicator_labels(names: Sequence[str] | None, count: int) -> list[str]:
    """Names used in messages; ``第 j 个指标`` when the caller gave none."""
    if names is not None:
        return list(names)
    return [f"第 {j + 1} 个指标" for j in range(count)]


def unit_labels(names: Sequence[str] | None, count: int) -> list[str]:
    """Names used in messages; ``第 i 个单位`` when the caller gave none."""
    if names is not None:
        return list(names)
    return [f"第 {i + 1} 个单位" for i in range(count)]


def as_matrix(x: npt.ArrayLike) -> FloatArray:
    """A float64 2-D copy-free view of ``x`` (units × indicators)."""
    matrix = np.asarray(x, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError(f"decision matrix must be 2-D (units × indicators), got {matrix.shape}")
    return matrix


def as_directions(directions: npt.ArrayLike | None, count: int) -> IntArray:
    """``+1``/``-1`` per indicator; ``None`` means every indicator is a benefit indicator."""
    if directions is None:
        return np.ones(count, dtype=np.int64)
    d = np.asarray(directions, dtype=np.int64).reshape(-1)
    if d.shape[0] != count or not np.all((d == BENEFIT) | (d == COST)):
        raise ValueError(f"directions must be {count} values of +1 or -1, got {d.tolist()}")
    return d
