"""Missing values: a policy the user chooses, never a silent default.

* ``refuse`` (the default): any gap is an error listing the cells, so that the user fills them
  in or chooses a policy knowingly.
* ``drop_indicator``: indicators with any gap leave the evaluation; each one is named in a
  warning. OECD (2008, §1.3) calls this "case deletion" applied to variables.
* ``impute_mean``: a gap takes the mean of the peers that report the indicator ("unconditional
  mean imputation", OECD 2008, §1.3); each imputed cell and the value used are named in a
  warning. An indicator nobody reports cannot be imputed and is an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from shouwei.evaluation.common import FloatArray, MissingPolicy, as_matrix
from shouwei.evaluation.errors import EvaluationError, EvaluationWarning

LISTED_CELLS = 10


@dataclass(frozen=True)
class MissingResult:
    """The matrix after the policy, the indicators kept (names and column indices), warnings."""

    values: FloatArray
    indicators: tuple[str, ...]
    kept: tuple[int, ...]
    warnings: tuple[EvaluationWarning, ...]


def apply_missing_policy(
    x: npt.ArrayLike,
    *,
    units: Sequence[str],
    indicators: Sequence[str],
    policy: MissingPolicy,
) -> MissingResult:
    """Apply ``policy`` to the NaN cells of ``x`` (units × indicators)."""
    m = as_matrix(x)
    gaps = np.isnan(m)
    all_columns = tuple(range(m.shape[1]))
    if not gaps.any():
        return MissingResult(m, tuple(indicators), all_columns, ())
    if policy == "refuse":
        cells = [f"「{units[i]}」的「{indicators[j]}」" for i, j in np.argwhere(gaps).tolist()]
        shown = "、".join(cells[:LISTED_CELLS]) + ("等" if len(cells) > LISTED_CELLS else "")
        first_unit, first_indicator = (int(k) for k in np.argwhere(gaps)[0])
        raise EvaluationError(
            f"数据缺失 {len(cells)} 处：{shown}。请补齐，或选择缺失值处理方式："
            f"剔除含缺失的指标（--missing drop_indicator）或以同组均值插补（--missing impute_mean）"
            f"（{len(cells)} missing values; fill them in or choose a missing-value policy）",
            code="missing_values",
            unit=units[first_unit],
            indicator=indicators[first_indicator],
        )
    if policy == "drop_indicator":
        return _drop(m, gaps, units, indicators)
    if policy == "impute_mean":
        return _impute(m, gaps, units, indicators)
    raise EvaluationError(
        f"未知的缺失值处理方式「{policy}」（unknown missing-value policy '{policy}'）",
        code="bad_option",
    )


def _drop(
    m: FloatArray, gaps: np.ndarray, units: Sequence[str], indicators: Sequence[str]
) -> MissingResult:
    keep = tuple(int(j) for j in np.flatnonzero(~gaps.any(axis=0)))
    if not keep:
        raise EvaluationError(
            "每个指标都有缺失值，剔除后没有可用指标（every indicator has a missing value）",
            code="missing_values",
        )
    warnings = []
    for j in np.flatnonzero(gaps.any(axis=0)).tolist():
        missing_units = "、".join(units[i] for i in np.flatnonzero(gaps[:, j]).tolist())
        warnings.append(
            EvaluationWarning(
                code="indicator_dropped_missing",
                message=f"指标「{indicators[j]}」在 {missing_units} 缺失，已从本次评价中剔除"
                f"（indicator '{indicators[j]}' dropped: missing values）",
                indicator=indicators[j],
            )
        )
    return MissingResult(
        m[:, list(keep)], tuple(indicators[j] for j in keep), keep, tuple(warnings)
    )


def _impute(
    m: FloatArray, gaps: np.ndarray, units: Sequence[str], indicators: Sequence[str]
) -> MissingResult:
    out = m.copy()
    warnings = []
    for j in np.flatnonzero(gaps.any(axis=0)).tolist():
        present = ~gaps[:, j]
        if not present.any():
            raise EvaluationError(
                f"指标「{indicators[j]}」所有单位都缺失，无法以同组均值插补"
                f"（indicator '{indicators[j]}' has no value to impute from）",
                code="missing_values",
                indicator=indicators[j],
            )
        mean = float(m[present, j].mean())
        missing_rows = np.flatnonzero(gaps[:, j]).tolist()
        out[missing_rows, j] = mean
        for i in missing_rows:
            warnings.append(
                EvaluationWarning(
                    code="value_imputed",
                    message=f"「{units[i]}」的「{indicators[j]}」缺失，已用其余 "
                    f"{int(present.sum())} 个单位的均值 {mean:.6g} 插补"
                    f"（imputed with the peer mean {mean:.6g}）",
                    indicator=indicators[j],
                    unit=units[i],
                )
            )
    return MissingResult(out, tuple(indicators), tuple(range(m.shape[1])), tuple(warnings))
