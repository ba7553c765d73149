"""Reads for the evaluation page: the decision matrix from approved observations, the user's
unit, and the saved runs a user may see."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from shouwei.core.models import PeerGroup, Unit
from shouwei.core.periods import Period
from shouwei.evaluation import DecisionMatrix, EvaluationError
from shouwei.indicators.choices import IndicatorKind, RankBasis
from shouwei.indicators.models import Indicator, Observation
from shouwei.indicators.selectors import cockpit_home, cockpit_start, pick_observation

from .models import EvaluationRun

# The kinds of indicator that can enter a composite: an 考核排名 item has no figure of its own.
EVALUABLE_KINDS = (
    IndicatorKind.LEVEL,
    IndicatorKind.GROWTH,
    IndicatorKind.RATE,
    IndicatorKind.COUNT,
)


@dataclass(frozen=True)
class IndicatorChoice:
    """One indicator of a scheme: its code, direction (+1 benefit, −1 cost) and basis."""

    code: str
    direction: int
    basis: str

    def as_json(self) -> dict:
        return {"code": self.code, "direction": self.direction, "basis": self.basis}


@dataclass
class MatrixInput:
    """The decision matrix of a run and where every cell came from."""

    group: PeerGroup
    period: Period
    units: list[Unit]
    indicators: list[Indicator]
    choices: list[IndicatorChoice]
    values: np.ndarray
    observation_ids: list[list[int | None]]
    excluded: list[Unit] = field(default_factory=list)
    synthetic: bool = False

    @property
    def unit_labels(self) -> list[str]:
        return _unique_labels([(u.display_name, u.code) for u in self.units])

    @property
    def indicator_labels(self) -> list[str]:
        return _unique_labels([(i.display_name, i.code) for i in self.indicators])

    @property
    def matrix(self) -> DecisionMatrix:
        """The engine's input, labelled with Chinese names so that its messages read
        「社零总额」在单位「珠晖区」… rather than codes."""
        return DecisionMatrix.from_arrays(self.unit_labels, self.indicator_labels, self.values)

    @property
    def missing_cells(self) -> int:
        return int(np.isnan(self.values).sum())


def _unique_labels(pairs: list[tuple[str, str]]) -> list[str]:
    """Display names, with the code added to any name that two records share."""
    names = [name for name, _code in pairs]
    return [name if names.count(name) == 1 else f"{name}（{code}）" for name, code in pairs]


def default_basis(indicator: Indicator) -> str:
    """Reports rank a zone's totals (GDP, 工业增加值…) on their YoY growth; rates, counts and
    growth indicators are compared on their own value."""
    return RankBasis.GROWTH if indicator.kind == IndicatorKind.LEVEL else RankBasis.VALUE


def indicators_for_form(user):
    return Indicator.objects.visible_to(user).filter(kind__in=EVALUABLE_KINDS)


def decision_matrix(
    *,
    user,
    group: PeerGroup,
    period: str | Period,
    choices: list[IndicatorChoice],
) -> MatrixInput:
    """The decision matrix from what ``user`` can see (:func:`build_decision_matrix`)."""
    return build_decision_matrix(
        observations=Observation.objects.visible_to(user),
        indicators=Indicator.objects.visible_to(user),
        group=group,
        period=period,
        choices=choices,
    )


def build_decision_matrix(
    *,
    observations,
    indicators,
    group: PeerGroup,
    period: str | Period,
    choices: list[IndicatorChoice],
) -> MatrixInput:
    """Units × indicators from the APPROVED rows of ``observations`` for the group's members
    in the period's year. Per cell, :func:`pick_observation` decides: the exact period code
    first, else a cumulative month ending the same day (1—6月 answers for 2022H1). A gap stays
    NaN for the engine's missing-value policy; a member with no figure at all for any chosen
    indicator is left out and listed in ``excluded``. Three queries, whatever the size.
    """
    p = Period.parse(period)
    codes = [c.code for c in choices]
    by_code = {i.code: i for i in indicators.filter(code__in=codes)}
    missing = [c for c in codes if c not in by_code]
    if missing:
        raise EvaluationError(
            f"没有指标「{'、'.join(missing)}」（unknown indicator）",
            code="unknown_indicator",
            indicator=missing[0],
        )
    chosen = [by_code[c] for c in codes]
    members = list(
        Unit.objects.filter(peer_memberships__group=group, peer_memberships__year=p.year)
        .order_by("sort_order", "code")
        .distinct()
    )
    candidates: dict[tuple[int, int], list[Observation]] = defaultdict(list)
    for o in (
        observations.approved()
        .filter(indicator__in=chosen, period_end=p.end, unit__in=members)
        .select_related("indicator")
        .order_by("pk")
    ):
        candidates[(o.unit_id, o.indicator_id)].append(o)

    rows: list[list[float]] = []
    ids: list[list[int | None]] = []
    kept: list[Unit] = []
    excluded: list[Unit] = []
    synthetic = False
    for unit in members:
        row: list[float] = []
        row_ids: list[int | None] = []
        row_synthetic = False
        for indicator, choice in zip(chosen, choices, strict=True):
            obs = pick_observation(candidates.get((unit.pk, indicator.pk), []), p)
            figure = None
            if obs is not None:
                figure = obs.growth if choice.basis == RankBasis.GROWTH else obs.value
            row.append(np.nan if figure is None else float(figure))
            row_ids.append(obs.pk if figure is not None else None)
            row_synthetic |= figure is not None and obs.synthetic
        if all(i is None for i in row_ids):
            excluded.append(unit)
            continue
        kept.append(unit)
        rows.append(row)
        ids.append(row_ids)
        synthetic |= row_synthetic
    values = np.array(rows, dtype=np.float64).reshape(len(kept), len(chosen))
    return MatrixInput(
        group=group,
        period=p,
        units=kept,
        indicators=chosen,
        choices=choices,
        values=values,
        observation_ids=ids,
        excluded=excluded,
        synthetic=synthetic,
    )


def home_unit(user) -> Unit | None:
    """The unit the user's roles place them at (``cockpit_home``: the highest unit they hold a
    role at, a department's or street's zone in its place); for a user holding no role, the
    unit the cockpit opens on (the one with the latest approved headline figures)."""
    return cockpit_home(user) or cockpit_start(user=user).unit


def runs_for(user):
    return EvaluationRun.objects.visible_to(user).select_related("group", "unit", "created_by")
