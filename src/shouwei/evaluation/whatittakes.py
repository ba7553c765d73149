r"""What it takes to move up one rank: for one unit, the smallest change of each single
indicator (all other values fixed) that lifts it above the next unit, and the cheapest one.

"Moving up one rank" means a competition rank better than the current one, i.e. reaching the
score of the nearest unit above (equal scores share the better rank). Weights are held at the
values of the run — an expert reading "if our GDP were X" keeps the scheme fixed.

* **Weighted sum and 功效系数法 on a linear scale** (min-max, efficacy, or distance to a given
  target): while the unit's value stays within the other units' range the scale does not move,
  so the score is linear in the value and the change is solved in closed form:

  .. math:: \Delta n_{uj} = \frac{S_{next} - S_u}{w_j},\qquad
            \Delta x_{uj} = \Delta n_{uj} \Big/ \frac{\partial n_{uj}}{\partial x_{uj}}

  with ∂n/∂x = ±1/(max − min) (×40 for 功效系数), 1/r_j for a benefit target; a cost target
  n = r_j/x is inverted exactly. The answer is re-checked by recomputing the ranking.
* **Everything else** (z-scores, vector and rank scales, TOPSIS, VIKOR, the geometric mean, or
  a linear answer that leaves the others' range so that min/max move): bisection on the
  recomputed rank, assuming that improving one indicator never worsens the unit's rank. The
  search first doubles the step until the rank improves (up to ``MAX_SCALE_FACTOR`` times the
  indicator's range or value; a non-negative indicator is never pushed below 0), then halves
  the bracket to ``RELATIVE_TOLERANCE``; the value reported is the end that achieves the move.

The cheapest indicator is the one with the smallest relative change |Δx| / |x|.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Literal

import numpy as np
import numpy.typing as npt

from shouwei.evaluation.aggregate import HIGHER_IS_BETTER, aggregate
from shouwei.evaluation.common import (
    COST,
    FloatArray,
    Method,
    Normalisation,
    as_directions,
    as_matrix,
)
from shouwei.evaluation.errors import EvaluationError
from shouwei.evaluation.normalise import EFFICACY_SPAN, normalise
from shouwei.evaluation.pipeline import Evaluation
from shouwei.evaluation.ranks import competition_ranks

MAX_SCALE_FACTOR = 100.0
RELATIVE_TOLERANCE = 1e-10
INITIAL_STEP_FRACTION = 1.0 / 64.0

How = Literal["analytic", "bisection", "unreachable", "zero_weight"]


@dataclass(frozen=True)
class IndicatorChange:
    """The smallest change of one indicator that moves the unit up (``required`` is None when
    no change within the search bounds does)."""

    indicator: str
    direction: int
    current: float
    required: float | None
    change: float | None
    relative_change: float | None
    new_rank: int | None
    how: How


@dataclass(frozen=True)
class WhatItTakes:
    unit: str
    rank: int
    changes: tuple[IndicatorChange, ...]
    cheapest: IndicatorChange | None
    message: str


def what_it_takes(evaluation: Evaluation, unit: str) -> WhatItTakes:
    """:func:`what_it_takes_matrix` for a unit of a finished :class:`Evaluation`."""
    if unit not in evaluation.units:
        raise EvaluationError(
            f"单位「{unit}」不在本次评价中（unit '{unit}' is not in this evaluation）",
            code="unknown_unit",
            unit=unit,
        )
    return what_it_takes_matrix(
        evaluation.values,
        evaluation.directions,
        evaluation.weights,
        unit_index=evaluation.units.index(unit),
        method=evaluation.method,
        normalisation=evaluation.normalisation,
        references=evaluation.references,
        v=evaluation.v,
        units=evaluation.units,
        indicators=evaluation.indicators,
    )


def what_it_takes_matrix(
    x: npt.ArrayLike,
    directions: npt.ArrayLike | None,
    weights: npt.ArrayLike,
    *,
    unit_index: int,
    method: Method,
    normalisation: Normalisation,
    references: npt.ArrayLike | None = None,
    v: float = 0.5,
    units: Sequence[str],
    indicators: Sequence[str],
) -> WhatItTakes:
    """Per-indicator smallest single change lifting unit ``unit_index`` by one rank."""
    m = as_matrix(x)
    d = as_directions(directions, m.shape[1])
    w = np.asarray(weights, dtype=np.float64).reshape(-1)
    refs = (
        np.full(m.shape[1], np.nan)
        if references is None
        else np.asarray(references, dtype=np.float64).reshape(-1)
    )
    higher = HIGHER_IS_BETTER[method]
    base = normalise(m, d, normalisation, references=refs, names=indicators, units=units)
    scores = aggregate(base, w, method, v=v, names=indicators, units=units)
    ranks = competition_ranks(scores, higher_is_better=higher)
    u = unit_index
    rank = int(ranks[u])
    name = units[u]
    if rank == 1:
        return WhatItTakes(name, 1, (), None, f"「{name}」已居第 1 名（is already first）")

    def scores_with(j: int, value: float) -> FloatArray:
        column = m[:, j].copy()
        column[u] = value
        n = base.copy()
        n[:, j] = normalise(
            column[:, None], d[j : j + 1], normalisation, references=refs[j : j + 1]
        )[:, 0]
        return aggregate(n, w, method, v=v)

    def rank_with(j: int, value: float) -> int | None:
        try:
            return int(competition_ranks(scores_with(j, value), higher_is_better=higher)[u])
        except EvaluationError:
            # The trial value broke the scale (a zero-range column, a non-positive value on a
            # ratio scale): it is not a feasible way up.
            return None

    changes = []
    for j, indicator in enumerate(indicators):
        current = float(m[u, j])
        if w[j] == 0:
            changes.append(
                IndicatorChange(
                    indicator, int(d[j]), current, None, None, None, None, "zero_weight"
                )
            )
            continue
        required: float | None = None
        how: How = "bisection"
        if method in ("weighted_sum", "efficacy"):
            required = _linear_solution(
                m[:, j],
                u,
                float(d[j]),
                float(w[j]),
                base[u, j],
                refs[j],
                normalisation,
                gap=float(scores[ranks < rank].min() - scores[u]),
            )
            how = "analytic"
            if required is not None and not _moves_up(rank_with(j, required), rank):
                required = None
        if required is None:
            how = "bisection"
            required = _bisect(partial(rank_with, j), m[:, j], u, int(d[j]), rank)
        if required is None:
            changes.append(
                IndicatorChange(
                    indicator, int(d[j]), current, None, None, None, None, "unreachable"
                )
            )
            continue
        change = required - current
        changes.append(
            IndicatorChange(
                indicator=indicator,
                direction=int(d[j]),
                current=current,
                required=required,
                change=change,
                relative_change=abs(change) / abs(current) if current != 0 else None,
                new_rank=rank_with(j, required),
                how=how,
            )
        )
    reachable = [c for c in changes if c.relative_change is not None]
    cheapest = min(reachable, key=lambda c: c.relative_change or 0.0) if reachable else None
    return WhatItTakes(name, rank, tuple(changes), cheapest, _message(name, rank, cheapest))


def _moves_up(new_rank: int | None, rank: int) -> bool:
    return new_rank is not None and new_rank < rank


def _linear_solution(
    column: FloatArray,
    u: int,
    direction: float,
    weight: float,
    current_normalised: float,
    reference: float,
    normalisation: Normalisation,
    *,
    gap: float,
) -> float | None:
    """Closed-form value for a weighted sum on a scale that is fixed while the value moves."""
    needed = gap / weight
    x = float(column[u])
    if normalisation == "target" and np.isfinite(reference):
        if direction == COST:
            return reference / (current_normalised + needed)
        return (current_normalised + needed) * reference
    if normalisation not in ("minmax", "efficacy"):
        return None
    others = np.delete(column, u)
    low, high = float(others.min()), float(others.max())
    if not (low <= x <= high) or high == low:
        return None
    slope = (EFFICACY_SPAN if normalisation == "efficacy" else 1.0) / (high - low)
    required = x + direction * needed / slope
    return required if low <= required <= high else None


def _bisect(
    rank_at: Callable[[float], int | None],
    column: FloatArray,
    u: int,
    direction: int,
    rank: int,
) -> float | None:
    x = float(column[u])
    scale = max(float(column.max() - column.min()), abs(x))
    if scale == 0:
        return None
    floor_at_zero = direction == COST and bool(np.all(column >= 0))
    limit = x if floor_at_zero else MAX_SCALE_FACTOR * scale
    low, high = 0.0, min(scale * INITIAL_STEP_FRACTION, limit)
    while not _moves_up(rank_at(x + direction * high), rank):
        if high >= limit:
            return None
        low, high = high, min(2.0 * high, limit)
    while high - low > RELATIVE_TOLERANCE * scale:
        middle = 0.5 * (low + high)
        if _moves_up(rank_at(x + direction * middle), rank):
            high = middle
        else:
            low = middle
    return x + direction * high


def _message(unit: str, rank: int, cheapest: IndicatorChange | None) -> str:
    if cheapest is None:
        return (
            f"「{unit}」目前第 {rank} 名；单独改变任何一个指标都无法在搜索范围内前进一名"
            f"（no single indicator moves '{unit}' up one rank）"
        )
    verb = "提高" if (cheapest.change or 0) > 0 else "降低"
    return (
        f"「{unit}」目前第 {rank} 名；单项最省力的是「{cheapest.indicator}」：由 "
        f"{cheapest.current:.6g} {verb}到 {cheapest.required:.6g}"
        f"（变动 {cheapest.relative_change:.2%}），即可升至第 {cheapest.new_rank} 名"
        f"（cheapest: '{cheapest.indicator}' from {cheapest.current:.6g} to "
        f"{cheapest.required:.6g}）"
    )
