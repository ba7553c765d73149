"""Reads of the supervision app, always from what the user may see (``visible_to``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q

from shouwei.core.models import Unit
from shouwei.core.periods import PeriodKind
from shouwei.indicators.lights import target_light as foundation_light
from shouwei.indicators.models import Observation
from shouwei.indicators.selectors import seasonal_share

from .choices import ExtensionStatus, LightColour, NoticeStatus, Pace
from .lights import Light, TargetLight, goal_light, milestone_light
from .models import (
    DepartmentScore,
    ExtensionRequest,
    Goal,
    Milestone,
    ScoreRun,
    SupervisionNotice,
)


def light_of_milestone(m: Milestone, today: date) -> Light:
    return milestone_light(due=m.due, completed_on=m.completed_on, today=today)


def target_lights(goals, *, user, today: date) -> dict[int, TargetLight]:
    """The foundation's light (indicators.lights.target_light) of each goal's bound target, at
    the latest approved figure of the target's year up to ``today`` that ``user`` may read, on
    the cockpit's pace (indicators.selectors.cockpit_for): the average share of the full year
    the unit reached by that month in its past years (``seasonal_share``), or month / 12
    (时间过半、任务过半) when no past year has both months. Two queries for all the goals. The
    rank is the figure's published rank. A goal with no target, no indicator or no figure yet
    is left out (it is lit by its milestones)."""
    targets = {g.pk: g.target for g in goals if g.target_id and g.target.indicator_id}
    if not targets:
        return {}
    wanted, past = Q(pk__in=[]), Q(pk__in=[])
    for t in targets.values():
        wanted |= Q(unit_id=t.unit_id, indicator_id=t.indicator_id, period_end__year=t.year)
        past |= Q(unit_id=t.unit_id, indicator_id=t.indicator_id, period_end__year__lt=t.year)
    visible = Observation.objects.visible_to(user).approved()
    latest: dict[tuple[int, int, int], Observation] = {}
    for obs in visible.filter(wanted, period_end__lte=today).order_by("period_end", "pk"):
        latest[(obs.unit_id, obs.indicator_id, obs.period_end.year)] = obs
    # (unit, indicator) → year → month → value: the history seasonal_share reads.
    history: dict[tuple[int, int], dict[int, dict[int, Decimal]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for unit_id, ind_id, end, value in visible.filter(
        past, period_kind=PeriodKind.MONTH, value__isnull=False
    ).values_list("unit_id", "indicator_id", "period_end", "value"):
        history[(unit_id, ind_id)][end.year][end.month] = value
    lights = {}
    for goal_pk, t in targets.items():
        obs = latest.get((t.unit_id, t.indicator_id, t.year))
        if obs is None:
            continue
        month = obs.period_end.month
        past_years = {
            y: months
            for y, months in history.get((t.unit_id, t.indicator_id), {}).items()
            if y < t.year
        }
        seasonal = seasonal_share(past_years, month)
        light = foundation_light(
            t,
            value=obs.value,
            growth=obs.growth,
            rank=obs.published_rank,
            expected=seasonal or Decimal(month) / 12,
        )
        pace = (Pace.SEASONAL if seasonal else Pace.LINEAR) if light.expected is not None else ""
        lights[goal_pk] = TargetLight(light=light, pace=pace)
    return lights


def target_light(goal: Goal, *, user, today: date):
    return target_lights([goal], user=user, today=today).get(goal.pk)


@dataclass
class GoalRow:
    goal: Goal
    light: Light
    milestones: list[tuple[Milestone, Light]] = field(default_factory=list)

    @property
    def lead_unit(self) -> Unit | None:
        book = getattr(self.goal, "task_book", None)
        return book.lead_unit if book else None


def goals_with_lights(user, *, year: int | None = None, today: date) -> list[GoalRow]:
    goals = (
        Goal.objects.visible_to(user)
        .select_related("unit", "target__indicator", "target__unit", "task_book__lead_unit")
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.select_related("lead_unit").order_by("due", "pk"),
            )
        )
    )
    if year is not None:
        goals = goals.filter(year=year)
    goals = list(goals)
    bound = target_lights(goals, user=user, today=today)
    rows = []
    for goal in goals:
        ms = [(m, light_of_milestone(m, today)) for m in goal.milestones.all()]
        light = goal_light(milestone_lights=[lt for _m, lt in ms], target_light=bound.get(goal.pk))
        rows.append(GoalRow(goal=goal, light=light, milestones=ms))
    return rows


def overdue_milestones(user, *, today: date):
    return (
        Milestone.objects.visible_to(user)
        .filter(completed_on__isnull=True, due__lt=today)
        .select_related("goal", "lead_unit")
        .order_by("due", "pk")
    )


@dataclass
class BoardColumn:
    key: str
    title: str
    goals: list[GoalRow]

    def count(self, colour: str) -> int:
        return sum(1 for g in self.goals if g.light.colour == colour)


def board(user, *, year: int, today: date, by: str = "unit", light: str = "") -> list[BoardColumn]:
    """Goals grouped by their lead department (``by="unit"``) or their responsible leader;
    ``light``: only the goals of that colour (the cockpit's counts link here)."""
    groups: dict[str, list[GoalRow]] = defaultdict(list)
    titles: dict[str, str] = {}
    for row in goals_with_lights(user, year=year, today=today):
        if light and row.light.colour != light:
            continue
        if by == "leader":
            key = title = row.goal.responsible_leader
        else:
            unit = row.lead_unit
            key = unit.code if unit else ""
            title = (unit.short_name or unit.name) if unit else ""
        titles[key] = title
        groups[key].append(row)
    return [BoardColumn(key=k, title=titles[k], goals=v) for k, v in sorted(groups.items())]


def open_notices(user):
    return SupervisionNotice.objects.visible_to(user).select_related("unit", "milestone")


def notice_counts(user) -> dict[str, int]:
    qs = SupervisionNotice.objects.visible_to(user)
    return {
        "unsigned": qs.filter(status=NoticeStatus.ISSUED).count(),
        "unanswered": qs.filter(status=NoticeStatus.SIGNED).count(),
    }


def pending_extensions(user):
    return (
        ExtensionRequest.objects.visible_to(user)
        .filter(status=ExtensionStatus.PENDING)
        .select_related("milestone__goal", "milestone__lead_unit")
    )


def latest_run(user, *, year: int) -> ScoreRun | None:
    return (
        ScoreRun.objects.visible_to(user)
        .filter(scheme__year=year)
        .select_related("scheme")
        .order_by("-created_at", "-pk")
        .first()
    )


def run_scores(run: ScoreRun):
    return DepartmentScore.objects.filter(run=run).select_related("unit").order_by("rank", "pk")


def light_counts(rows: list[GoalRow]) -> list[tuple[str, str, int]]:
    return [
        (c.value, c.label, sum(1 for r in rows if r.light.colour == c.value)) for c in LightColour
    ]


def goals_under(user, unit: Unit, *, year: int, today: date) -> list[GoalRow]:
    """``goals_with_lights`` of the year for the goals of ``unit`` and the units under it,
    in code order."""
    rows = goals_with_lights(user, year=year, today=today)
    return sorted(
        (r for r in rows if r.goal.unit.path.startswith(unit.path)),
        key=lambda r: (r.goal.unit.path, r.goal.code),
    )


def unbound_targets_with_lights(user, unit: Unit, *, year: int, today: date) -> list[tuple]:
    """The indicator targets of the year of ``unit`` and below that no goal the user reads is
    bound to, each with the foundation's light at its latest approved figure up to ``today``
    (None: no figure yet), as ``target_lights`` lights a goal's: (target, light)."""
    from shouwei.indicators.models import Target

    bound = Goal.objects.visible_to(user).filter(year=year, target__isnull=False)
    targets = list(
        Target.objects.visible_to(user)
        .filter(year=year, unit__path__startswith=unit.path)
        .exclude(pk__in=bound.values("target_id"))
        .select_related("indicator", "unit")
        .order_by("unit__path", "name", "pk")
    )
    with_indicator = [t for t in targets if t.indicator_id]
    latest: dict[tuple[int, int], Observation] = {}
    if with_indicator:
        wanted = Q(pk__in=[])
        for t in with_indicator:
            wanted |= Q(unit_id=t.unit_id, indicator_id=t.indicator_id)
        for obs in (
            Observation.objects.visible_to(user)
            .approved()
            .filter(wanted, period_end__year=year, period_end__lte=today)
            .order_by("period_end", "pk")
        ):
            latest[(obs.unit_id, obs.indicator_id)] = obs
    out = []
    for t in targets:
        obs = latest.get((t.unit_id, t.indicator_id)) if t.indicator_id else None
        light = None
        if obs is not None:
            light = foundation_light(
                t,
                value=obs.value,
                growth=obs.growth,
                rank=obs.published_rank,
                expected=Decimal(obs.period_end.month) / 12,
            )
        out.append((t, light))
    return out
