"""Writes: run a composite evaluation and save it with every parameter, so that it reproduces.

The engine (:mod:`shouwei.evaluation`) knows nothing of Django; here its input is built from
approved observations, its :class:`~shouwei.evaluation.EvaluationError` passes to the caller
unchanged (the page shows its Chinese message on the form), and its result is stored as plain
JSON numbers (Python's float repr round-trips exactly, so a re-run compares equal).
"""

from __future__ import annotations

import math
import secrets
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from shouwei.core.models import PeerGroup, Unit
from shouwei.core.permissions import ADD, can_create, require, scope_for
from shouwei.evaluation import Evaluation, EvaluationError, evaluate, what_it_takes
from shouwei.indicators.models import Indicator, Observation

from .models import RUN_ROLES, EvaluationRun, subject_of
from .selectors import (
    IndicatorChoice,
    MatrixInput,
    build_decision_matrix,
    decision_matrix,
)

MIN_INDICATORS = 2
MAX_MC_DRAWS = 5000
OBJECTIVE_WEIGHTS = ("equal", "entropy", "critic", "std")


def own_unit(user) -> Unit | None:
    """Where the user's runs are saved: the highest unit they hold a run role at."""
    pk = scope_for(user).home_unit_pk_for(RUN_ROLES)
    return Unit.objects.filter(pk=pk).first() if pk else None


def run_evaluation(
    *,
    user,
    group: PeerGroup,
    period: str,
    indicators: list[IndicatorChoice],
    method: str = "weighted_sum",
    normalisation: str = "",
    weights: dict[str, Any] | None = None,
    missing: str = "refuse",
    mc_draws: int = 0,
    seed: int | None = None,
    target_rank: int = 2,
    name: str = "",
    unit: Unit | None = None,
    rerun_of: EvaluationRun | None = None,
) -> EvaluationRun:
    """Evaluate ``group`` at ``period`` from the approved observations ``user`` can see and
    save the run at ``unit`` (default: the user's own unit — a department's run is the
    department's, not its zone's). Raises :class:`EvaluationError` with a Chinese message, or
    PermissionDenied when the user may not save a run there; nothing is saved then."""
    unit = unit or own_unit(user)
    if unit is None:
        raise EvaluationError("您没有可用于保存评价方案的单位（no unit）", code="no_unit")
    require(
        user,
        ADD,
        EvaluationRun(unit=unit),
        _("您无权为“%(unit)s”保存评价方案") % {"unit": unit.display_name},
    )
    _check_options(indicators=indicators, mc_draws=mc_draws)
    matrix = decision_matrix(user=user, group=group, period=period, choices=indicators)
    return _evaluate_and_save(
        matrix=matrix,
        method=method,
        normalisation=normalisation,
        weights=weights or {"kind": "equal"},
        missing=missing,
        mc_draws=mc_draws,
        seed=seed,
        target_rank=target_rank,
        name=name,
        unit=unit,
        created_by=user,
        rerun_of=rerun_of,
    )


def rerun_evaluation(*, user, run: EvaluationRun) -> EvaluationRun:
    """The same scheme, the same seed, today's approved data: a new run pointing at ``run``,
    saved where the original is when the user may save there, else at the user's own unit.
    With unchanged data its results equal the original's to the last bit."""
    unit = run.unit if can_create(user, EvaluationRun, run.unit) else own_unit(user)
    return run_evaluation(
        user=user,
        group=run.group,
        period=run.period,
        indicators=[IndicatorChoice(**row) for row in run.indicators],
        method=run.method,
        normalisation=run.normalisation,
        weights=run.weights,
        missing=run.missing,
        mc_draws=run.mc_draws,
        seed=run.seed,
        target_rank=run.target_rank,
        name=run.name,
        unit=unit,
        rerun_of=run,
    )


def save_platform_evaluation(
    *,
    group: PeerGroup,
    period: str,
    indicators: list[IndicatorChoice],
    unit: Unit,
    name: str,
    **options: Any,
) -> EvaluationRun:
    """A scheme saved by the platform itself (the demo loader), with no user: it reads every
    approved observation — the figures every logged-in user can read anyway."""
    _check_options(indicators=indicators, mc_draws=options.get("mc_draws", 0))
    matrix = build_decision_matrix(
        observations=Observation.objects.all(),
        indicators=Indicator.objects.all(),
        group=group,
        period=period,
        choices=indicators,
    )
    return _evaluate_and_save(
        matrix=matrix, unit=unit, name=name, created_by=None, rerun_of=None, **options
    )


def parse_expert_weights(text: str, codes: list[str]) -> dict[str, float]:
    """``gdp:0.4, industrial_va:0.3 …`` (also ``：``, ``，``, ``；``, new lines) → weights.

    Every chosen indicator needs a weight, each one non-negative; they need not sum to 1 (the
    engine rescales them and says so)."""
    weights: dict[str, float] = {}
    items = [
        item.strip()
        for item in text.replace("，", ",").replace("；", ",").replace(";", ",").splitlines()
        for item in item.split(",")
    ]
    for position, item in enumerate((i for i in items if i), start=1):
        code, sep, number = item.replace("：", ":").partition(":")
        code, number = code.strip(), number.strip()
        if not sep or not code or not number:
            raise EvaluationError(
                f"专家权重第 {position} 项「{item}」格式不对，应为「指标代码:权重」，如 gdp:0.4",
                code="bad_weight",
            )
        if code not in codes:
            raise EvaluationError(
                f"专家权重第 {position} 项的指标「{code}」不在所选指标中"
                f"（所选：{'、'.join(codes)}）",
                code="bad_weight",
                indicator=code,
            )
        if code in weights:
            raise EvaluationError(
                f"专家权重中指标「{code}」出现了两次", code="bad_weight", indicator=code
            )
        try:
            value = float(number)
        except ValueError:
            raise EvaluationError(
                f"专家权重中指标「{code}」的权重「{number}」不是数字",
                code="bad_weight",
                indicator=code,
            ) from None
        if not math.isfinite(value) or value < 0:
            raise EvaluationError(
                f"专家权重中指标「{code}」的权重 {number} 无效：权重须为非负的有限数",
                code="bad_weight",
                indicator=code,
            )
        weights[code] = value
    absent = [c for c in codes if c not in weights]
    if absent:
        raise EvaluationError(
            f"专家权重缺少指标：{'、'.join(absent)}；每个所选指标都需要一个权重",
            code="bad_weight",
            indicator=absent[0],
        )
    return weights


def _check_options(*, indicators: list[IndicatorChoice], mc_draws: int) -> None:
    if len(indicators) < MIN_INDICATORS:
        raise EvaluationError(
            f"综合评价至少需要 {MIN_INDICATORS} 个指标，当前只选了 {len(indicators)} 个；"
            "单个指标请直接查看该指标的排名",
            code="too_few_indicators",
        )
    if not 0 <= mc_draws <= MAX_MC_DRAWS:
        raise EvaluationError(
            f"蒙特卡洛抽样次数须在 0 到 {MAX_MC_DRAWS} 之间，实际为 {mc_draws}",
            code="bad_option",
        )


def _weight_spec(weights: dict[str, Any], labels: dict[str, str]) -> str | dict[str, float]:
    kind = weights.get("kind")
    if kind in OBJECTIVE_WEIGHTS:
        return kind
    if kind == "expert":
        return {labels.get(k, k): float(v) for k, v in weights.get("weights", {}).items()}
    raise EvaluationError(f"未知的权重方法「{kind}」", code="bad_option")


@transaction.atomic
def _evaluate_and_save(
    *,
    matrix: MatrixInput,
    method: str,
    normalisation: str,
    weights: dict[str, Any],
    missing: str,
    mc_draws: int,
    seed: int | None,
    target_rank: int,
    name: str,
    unit: Unit,
    created_by,
    rerun_of: EvaluationRun | None,
) -> EvaluationRun:
    if len(matrix.units) < 2:
        have = "、".join(u.display_name for u in matrix.units) or "没有单位"
        raise EvaluationError(
            f"{matrix.group.name}在{matrix.period.label}有所选指标已审核数据的单位只有 "
            f"{len(matrix.units)} 个（{have}），至少需要 2 个才能比较排名",
            code="too_few_units",
        )
    if not 1 <= target_rank <= len(matrix.units):
        raise EvaluationError(
            f"目标名次 k 必须在 1 到 {len(matrix.units)}（参评单位数）之间，实际为 {target_rank}",
            code="bad_option",
        )
    if seed is None:
        # Drawn here rather than by the engine so that it is saved even without Monte Carlo.
        seed = secrets.randbelow(2**63)
    labels = dict(zip([c.code for c in matrix.choices], matrix.indicator_labels, strict=True))
    evaluation = evaluate(
        matrix.matrix,
        method=method,
        normalisation=normalisation or None,
        weights=_weight_spec(weights, labels),
        directions={labels[c.code]: c.direction for c in matrix.choices},
        missing=missing,
        mc_draws=mc_draws,
        seed=seed,
        k=target_rank,
    )
    return EvaluationRun.objects.create(
        name=name,
        group=matrix.group,
        period=matrix.period.code,
        indicators=[c.as_json() for c in matrix.choices],
        method=method,
        normalisation=normalisation,
        weights=weights,
        missing=missing,
        mc_draws=mc_draws,
        seed=seed,
        target_rank=target_rank,
        unit=unit,
        results=_results(matrix, evaluation, subject_of(unit)),
        synthetic=matrix.synthetic,
        rerun_of=rerun_of,
        created_by=created_by,
    )


def _number(x: float) -> float | None:
    # JSON (and PostgreSQL's jsonb) has no NaN: a gap is stored as null.
    return None if math.isnan(x) else float(x)


def _results(matrix: MatrixInput, evaluation: Evaluation, unit: Unit) -> dict[str, Any]:
    """The run as JSON; the engine's labels are turned back into codes."""
    unit_label = dict(zip([u.code for u in matrix.units], matrix.unit_labels, strict=True))
    label = dict(zip([c.code for c in matrix.choices], matrix.indicator_labels, strict=True))
    code_of = {v: k for k, v in label.items()}
    names = {i.code: i for i in matrix.indicators}
    weight_of = {
        code_of[name]: w
        for name, w in zip(evaluation.indicators, evaluation.weights.tolist(), strict=True)
    }
    out: dict[str, Any] = {
        "units": [{"code": u.code, "name": u.display_name, "pk": u.pk} for u in matrix.units],
        "excluded": [u.display_name for u in matrix.excluded],
        "indicators": [
            {
                "code": c.code,
                "name": names[c.code].display_name,
                "measure": names[c.code].measure,
                "direction": c.direction,
                "basis": c.basis,
                "weight": weight_of.get(c.code),
                "used": c.code in weight_of,
            }
            for c in matrix.choices
        ],
        "values": [[_number(x) for x in row] for row in matrix.values.tolist()],
        "observation_ids": matrix.observation_ids,
        "scores": evaluation.scores.tolist(),
        "ranks": evaluation.ranks.tolist(),
        "higher_is_better": evaluation.higher_is_better,
        "normalisation": evaluation.normalisation,
        "warnings": [w.message for w in evaluation.warnings],
        "parameters": evaluation.parameters,
        "uncertainty": None,
        "what_it_takes": None,
    }
    u = evaluation.uncertainty
    if u is not None:
        out["uncertainty"] = {
            "draws": u.draws,
            "seed": u.seed,
            "k": u.k,
            "concentration": u.concentration,
            "median": u.median_rank.tolist(),
            "p05": u.rank_p05.tolist(),
            "p95": u.rank_p95.tolist(),
            "p_first": u.p_first.tolist(),
            "p_within_k": u.p_within_k.tolist(),
        }
    if unit.code in unit_label:
        wit = what_it_takes(evaluation, unit_label[unit.code])
        out["what_it_takes"] = {
            "unit": unit.code,
            "rank": wit.rank,
            "message": wit.message,
            "cheapest": code_of[wit.cheapest.indicator] if wit.cheapest else None,
            "changes": [
                {
                    "indicator": code_of[c.indicator],
                    "direction": c.direction,
                    "current": c.current,
                    "required": c.required,
                    "change": c.change,
                    "relative_change": c.relative_change,
                    "new_rank": c.new_rank,
                    "how": c.how,
                }
                for c in wit.changes
            ],
        }
    return out
