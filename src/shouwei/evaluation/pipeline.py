"""One evaluation run: data → missing-value policy → constant indicators → weights →
normalisation → aggregation → ranks (→ Monte Carlo rank uncertainty).

:func:`evaluate` is what the CLI and the web page call. Its :class:`Evaluation` carries every
resolved parameter (including the Monte Carlo seed) in ``parameters``, so that a saved run can
be repeated exactly, and every repair the engine made in ``warnings``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from shouwei.evaluation import weights as weighting
from shouwei.evaluation.aggregate import HIGHER_IS_BETTER, aggregate, check_v
from shouwei.evaluation.common import (
    BENEFIT,
    METHODS,
    MISSING_POLICIES,
    NORMALISATIONS,
    FloatArray,
    IntArray,
    Method,
    MissingPolicy,
    Normalisation,
)
from shouwei.evaluation.data import DecisionMatrix, PairwiseMatrix
from shouwei.evaluation.errors import (
    EvaluationError,
    EvaluationWarning,
    constant_indicator_error,
)
from shouwei.evaluation.missing import apply_missing_policy
from shouwei.evaluation.normalise import normalise
from shouwei.evaluation.ranks import competition_ranks
from shouwei.evaluation.uncertainty import RankUncertainty, monte_carlo

ObjectiveWeights = Literal["equal", "entropy", "critic", "std"]
WeightSpec = ObjectiveWeights | Mapping[str, float] | PairwiseMatrix
OBJECTIVE_WEIGHTS: tuple[ObjectiveWeights, ...] = ("equal", "entropy", "critic", "std")

# The scale each method is usually run on: TOPSIS on Hwang & Yoon's vector scale, VIKOR on
# its own linear (= min-max) scale, the geometric mean on the strictly positive 60–100 scale.
DEFAULT_NORMALISATION: dict[str, Normalisation] = {
    "weighted_sum": "minmax",
    "geometric": "efficacy",
    "topsis": "vector",
    "vikor": "minmax",
    "efficacy": "efficacy",
}


@dataclass(frozen=True)
class Evaluation:
    """Result of :func:`evaluate`; arrays are in the order of ``units`` and ``indicators``.

    ``indicators`` are those actually used (after dropping); ``values`` the raw data they were
    computed from (after imputation). ``scores`` are higher-is-better except for VIKOR
    (``higher_is_better`` says which); ``ranks`` are competition ranks, 1 = best.
    """

    units: tuple[str, ...]
    indicators: tuple[str, ...]
    directions: IntArray
    weights: FloatArray
    values: FloatArray
    normalised: FloatArray
    scores: FloatArray
    ranks: IntArray
    method: Method
    normalisation: Normalisation
    v: float
    references: FloatArray
    higher_is_better: bool
    dropped: tuple[str, ...]
    warnings: tuple[EvaluationWarning, ...]
    ahp: weighting.AHPResult | None
    uncertainty: RankUncertainty | None
    parameters: dict[str, Any] = field(default_factory=dict)


def evaluate(
    data: DecisionMatrix,
    *,
    method: Method = "weighted_sum",
    normalisation: Normalisation | None = None,
    weights: WeightSpec = "equal",
    directions: Mapping[str, int] | npt.ArrayLike | None = None,
    targets: Mapping[str, float] | npt.ArrayLike | None = None,
    missing: MissingPolicy = "refuse",
    strict: bool = False,
    v: float = 0.5,
    mc_draws: int = 0,
    seed: int | None = None,
    concentration: float | None = None,
    mc_normalisations: Sequence[Normalisation] | None = None,
    mc_methods: Sequence[Method] | None = None,
    k: int = 2,
) -> Evaluation:
    """Evaluate ``data`` and rank its units; see the module docstring for the steps.

    ``directions`` and ``targets`` are either mappings by indicator name (unlisted: benefit /
    the leader as reference) or arrays aligned with ``data.indicators``. ``weights`` is
    ``"equal"``, ``"entropy"``, ``"critic"``, ``"std"``, a ``{indicator: weight}`` mapping, or
    a :class:`~shouwei.evaluation.data.PairwiseMatrix` for AHP. ``strict`` refuses what would
    otherwise be repaired with a warning (weights not summing to 1, constant indicators).
    """
    normalisation = _check_options(
        method=method,
        normalisation=normalisation,
        missing=missing,
        v=v,
        mc_normalisations=mc_normalisations,
        mc_methods=mc_methods,
    )
    all_directions = _aligned_directions(directions, data.indicators)
    all_references = _aligned_references(targets, data.indicators)
    warnings: list[EvaluationWarning] = []

    cleaned = apply_missing_policy(
        data.values, units=data.units, indicators=data.indicators, policy=missing
    )
    warnings.extend(cleaned.warnings)
    values, kept = _drop_constant(
        cleaned.values, kept=cleaned.kept, names=data.indicators, strict=strict, warnings=warnings
    )
    indicators = tuple(data.indicators[j] for j in kept)
    dropped = tuple(name for name in data.indicators if name not in indicators)
    d = all_directions[kept]
    references = all_references[kept]

    w, ahp_result, weight_warnings = _weights(
        weights, data=data, values=values, directions=d, kept=kept, strict=strict
    )
    warnings.extend(weight_warnings)

    normalised = normalise(
        values, d, normalisation, references=references, names=indicators, units=data.units
    )
    scores = aggregate(normalised, w, method, v=v, names=indicators, units=data.units)
    higher = HIGHER_IS_BETTER[method]
    ranks = competition_ranks(scores, higher_is_better=higher)

    uncertainty = None
    if mc_draws:
        uncertainty = monte_carlo(
            values,
            d,
            w,
            draws=mc_draws,
            seed=seed,
            concentration=concentration,
            normalisations=tuple(mc_normalisations or (normalisation,)),
            methods=tuple(mc_methods or (method,)),
            k=k,
            v=v,
            references=references,
            names=indicators,
            units=data.units,
        )
        warnings.extend(uncertainty.warnings)

    parameters = _parameters(
        method=method,
        normalisation=normalisation,
        weights=weights,
        names=data.indicators,
        directions=all_directions,
        references=all_references,
        missing=missing,
        strict=strict,
        v=v,
        uncertainty=uncertainty,
        mc_normalisations=mc_normalisations,
        mc_methods=mc_methods,
    )
    return Evaluation(
        units=data.units,
        indicators=indicators,
        directions=d,
        weights=w,
        values=values,
        normalised=normalised,
        scores=scores,
        ranks=ranks,
        method=method,
        normalisation=normalisation,
        v=v,
        references=references,
        higher_is_better=higher,
        dropped=dropped,
        warnings=tuple(warnings),
        ahp=ahp_result,
        uncertainty=uncertainty,
        parameters=parameters,
    )


def _check_options(
    *,
    method: Method,
    normalisation: Normalisation | None,
    missing: MissingPolicy,
    v: float,
    mc_normalisations: Sequence[Normalisation] | None,
    mc_methods: Sequence[Method] | None,
) -> Normalisation:
    """Refuse unknown choices before any work; return the normalisation the method uses."""
    _check_choice(method, METHODS, "集成方法", "method")
    normalisation = _resolve_normalisation(method, normalisation)
    _check_choice(missing, MISSING_POLICIES, "缺失值处理方式", "missing-value policy")
    check_v(v)
    for scale in mc_normalisations or ():
        _check_choice(scale, NORMALISATIONS, "标准化方法", "normalisation")
    for aggregation in mc_methods or ():
        _check_choice(aggregation, METHODS, "集成方法", "method")
    return normalisation


def _drop_constant(
    values: npt.NDArray[np.float64],
    *,
    kept: Sequence[int],
    names: Sequence[str],
    strict: bool,
    warnings: list[EvaluationWarning],
) -> tuple[npt.NDArray[np.float64], list[int]]:
    """Drop indicators with one value for every unit (they cannot tell units apart), with a
    warning each; refuse in strict mode or when nothing is left."""
    constant = np.flatnonzero(values.max(axis=0) == values.min(axis=0))
    for j in constant.tolist():
        name = names[kept[j]]
        if strict:
            raise constant_indicator_error(
                name, "严格模式（--strict）下不自动剔除，请删除该指标后重试"
            )
        warnings.append(
            EvaluationWarning(
                code="indicator_dropped_constant",
                message=str(
                    constant_indicator_error(name, "已从本次评价中剔除，其余指标权重按比例归一")
                ),
                indicator=name,
            )
        )
    if constant.size == values.shape[1]:
        raise EvaluationError(
            "所有指标在各单位的取值都相同，无法区分单位（every indicator is constant）",
            code="constant_indicator",
        )
    local = [j for j in range(values.shape[1]) if j not in set(constant.tolist())]
    return values[:, local], [kept[j] for j in local]


def _parameters(
    *,
    method: Method,
    normalisation: Normalisation,
    weights: WeightSpec,
    names: Sequence[str],
    directions: npt.NDArray[np.float64],
    references: npt.NDArray[np.float64],
    missing: MissingPolicy,
    strict: bool,
    v: float,
    uncertainty: Any,
    mc_normalisations: Sequence[Normalisation] | None,
    mc_methods: Sequence[Method] | None,
) -> dict[str, Any]:
    """Every parameter of the run, so that it can be reproduced."""
    parameters: dict[str, Any] = {
        "method": method,
        "normalisation": normalisation,
        "weights": _weights_parameter(weights),
        "directions": {name: int(directions[j]) for j, name in enumerate(names)},
        "targets": {
            name: float(references[j])
            for j, name in enumerate(names)
            if not np.isnan(references[j])
        },
        "missing": missing,
        "strict": strict,
        "v": v,
    }
    if uncertainty is not None:
        parameters["monte_carlo"] = {
            "draws": uncertainty.draws,
            "seed": uncertainty.seed,
            "concentration": uncertainty.concentration,
            "normalisations": list(mc_normalisations or (normalisation,)),
            "methods": list(mc_methods or (method,)),
            "k": uncertainty.k,
        }
    return parameters


def _check_choice(value: str, allowed: Sequence[str], what: str, what_en: str) -> None:
    if value not in allowed:
        raise EvaluationError(
            f"未知的{what}「{value}」，可选：{'、'.join(allowed)}"
            f"（unknown {what_en} '{value}'; choose from {', '.join(allowed)}）",
            code="bad_option",
        )


def _resolve_normalisation(method: Method, normalisation: Normalisation | None) -> Normalisation:
    if normalisation is None:
        return DEFAULT_NORMALISATION[method]
    _check_choice(normalisation, NORMALISATIONS, "标准化方法", "normalisation")
    if method == "efficacy" and normalisation != "efficacy":
        raise EvaluationError(
            f"功效系数法自带 60–100 的功效系数标准化，不能与「{normalisation}」标准化同用"
            f"（the efficacy method uses its own 60–100 scale, not '{normalisation}'）",
            code="bad_option",
        )
    return normalisation


def _aligned_directions(
    directions: Mapping[str, int] | npt.ArrayLike | None, indicators: Sequence[str]
) -> IntArray:
    out = np.full(len(indicators), BENEFIT, dtype=np.int64)
    if directions is None:
        return out
    if isinstance(directions, Mapping):
        for name, value in directions.items():
            _check_indicator(name, indicators, "方向")
            out[indicators.index(name)] = value
    else:
        out[:] = np.asarray(directions, dtype=np.int64).reshape(-1)
    if not np.all(np.isin(out, (1, -1))):
        raise EvaluationError(
            "指标方向只能是 +1（正向）或 -1（逆向）（directions must be +1 or -1）",
            code="bad_direction",
        )
    return out


def _aligned_references(
    targets: Mapping[str, float] | npt.ArrayLike | None, indicators: Sequence[str]
) -> FloatArray:
    out = np.full(len(indicators), np.nan)
    if targets is None:
        return out
    if isinstance(targets, Mapping):
        for name, value in targets.items():
            _check_indicator(name, indicators, "目标值")
            out[indicators.index(name)] = value
        return out
    out[:] = np.asarray(targets, dtype=np.float64).reshape(-1)
    return out


def _check_indicator(name: str, indicators: Sequence[str], what: str) -> None:
    if name not in indicators:
        raise EvaluationError(
            f"{what}中的指标「{name}」不在数据中（unknown indicator '{name}'）",
            code="unknown_indicator",
            indicator=name,
        )


def _weights(
    spec: WeightSpec,
    *,
    data: DecisionMatrix,
    values: FloatArray,
    directions: IntArray,
    kept: Sequence[int],
    strict: bool,
) -> tuple[FloatArray, weighting.AHPResult | None, list[EvaluationWarning]]:
    names = [data.indicators[j] for j in kept]
    dropped = len(kept) < len(data.indicators)
    if isinstance(spec, PairwiseMatrix):
        result = weighting.ahp(spec.restricted_to(names).matrix, names=names)
        warnings = []
        if dropped:
            warnings.append(
                EvaluationWarning(
                    code="ahp_reduced",
                    message="AHP 权重按剔除后余下指标的判断子矩阵重新计算"
                    f"（一致性比率 CR = {result.consistency_ratio:.4f}）"
                    "（AHP weights recomputed on the remaining indicators）",
                )
            )
        return result.weights, result, warnings
    if isinstance(spec, Mapping):
        for name in spec:
            _check_indicator(name, data.indicators, "权重")
        absent = [name for name in data.indicators if name not in spec]
        if absent:
            raise EvaluationError(
                f"缺少指标的权重：{'、'.join(absent)}（weights missing for: {', '.join(absent)}）",
                code="bad_weight",
                indicator=absent[0],
            )
        full, warnings = weighting.given(
            [spec[name] for name in data.indicators], names=data.indicators, strict=strict
        )
        w = full[list(kept)]
        if not w.sum() > 0:
            raise EvaluationError(
                "剔除指标后余下指标的权重全部为 0（remaining indicators all have weight 0）",
                code="bad_weight",
            )
        if dropped and w.sum() < 1.0:
            warnings.append(
                EvaluationWarning(
                    code="weights_rescaled",
                    message=f"被剔除指标的权重合计 {1.0 - w.sum():.6g}，已按比例分配给余下指标"
                    "（weights of dropped indicators redistributed proportionally）",
                )
            )
        return w / w.sum(), None, warnings
    if spec == "equal":
        return weighting.equal(len(names)), None, []
    if spec == "entropy":
        return weighting.entropy(values, directions, names=names), None, []
    if spec == "critic":
        return weighting.critic(values, directions, names=names), None, []
    if spec == "std":
        return weighting.standard_deviation(values, names=names), None, []
    raise EvaluationError(
        f"未知的权重方法「{spec}」，可选：equal、entropy、critic、std、ahp:文件 或权重文件"
        f"（unknown weights '{spec}'）",
        code="bad_option",
    )


def _weights_parameter(spec: WeightSpec) -> Any:
    if isinstance(spec, PairwiseMatrix):
        return {"ahp": {"indicators": list(spec.indicators), "matrix": spec.matrix.tolist()}}
    if isinstance(spec, Mapping):
        return {"given": {name: float(w) for name, w in spec.items()}}
    return spec
