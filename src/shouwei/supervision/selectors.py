"""Reads of the supervision app, always from what the user may see (``visible_to``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch

from shouwei.core.models import Unit
from shouwei.indicators.models import Observation
from shouwei.indicators.selectors import indicator_for_unit

from .choices import ExtensionStatus, LightColour, NoticeStatus
from .lights import Light, goal_light, milestone_light
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


def target_light(goal: Goal, *, user, today: date):
    """The foundation's light of the goal's bound target at the latest approved figure of its
    year up to ``today``, as ``user`` sees it; None without a target, indicator or figure."""
    target = goal.target
    if target is None or target.indicator_id is None:
        return None
    latest = (
        Observation.objects.visible_to(user)
        .approved()
        .filter(
            unit_id=target.unit_id,
            indicator_id=target.indicator_id,
            period_end__year=target.year,
            period_end__lte=today,
        )
        .order_by("-period_end")
        .values_list("period", flat=True)
        .first()
    )
    if latest is None:
        return None
    view = indicator_for_unit(
        unit=target.unit, indicator=target.indicator, period=latest, user=user
    )
    return next((light for t, light in view.targets if t.pk == target.pk), None)


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
    rows = []
    for goal in goals:
        ms = [(m, light_of_milestone(m, today)) for m in goal.milestones.all()]
        light = goal_light(
            milestone_lights=[lt for _m, lt in ms],
            target_light=target_light(goal, user=user, today=today),
        )
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
