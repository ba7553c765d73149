"""Synthetic 首位目标 and their milestones (督查督办 at scale): for every synthetic unit of the
province, one goal a year for 2020–2022 with a milestone a quarter, most done on time."""

from __future__ import annotations

import random
from datetime import date, timedelta

from shouwei.demo.bulk import RowWriter, existing
from shouwei.demo.registry import ScaleContext, register_scale_generator
from shouwei.supervision.models import Goal, Milestone

CODE_PREFIX = "syn-goal-"
YEARS = (2020, 2021, 2022)
QUARTER_ENDS = ((3, 31), (6, 30), (9, 30), (12, 31))


@register_scale_generator("goals")
def generate_at_scale(ctx: ScaleContext) -> dict[str, int]:
    return generate(
        units=ctx.synthetic_units(ctx.size.units),
        seed=ctx.seed,
        tick=ctx.tick,
        today=ctx.as_of,
        source=ctx.source,
    )


def generate(*, units: list, seed: int, today: date, source: str, tick=None) -> dict[str, int]:
    tick = tick or (lambda *_a: None)
    unit_objs = units
    mine = Goal.objects.filter(code__startswith=CODE_PREFIX)
    if existing("目标", mine.count(), len(unit_objs) * len(YEARS)):
        return {"goals": 0, "milestones": 0}
    rng = random.Random(f"{seed}:goals")
    goals = RowWriter(
        Goal, varying=("unit", "year", "code", "title", "source", "responsible_leader")
    ).write(
        (
            u.pk,
            y,
            f"{CODE_PREFIX}{y}",
            f"{y} 年{u.short_name}首位目标",
            source,
            "模拟领导",
        )
        for u in unit_objs
        for y in YEARS
    )
    tick("goals", goals, goals)
    rows = mine.order_by("pk").values_list("pk", "unit_id", "year")
    milestones = RowWriter(
        Milestone,
        varying=(
            "goal",
            "title",
            "deliverable",
            "due",
            "original_due",
            "lead_unit",
            "completed_on",
        ),
    ).write(
        (
            pk,
            f"第{q + 1}季度节点",
            "模拟节点成果",
            due,
            due,
            unit_id,
            done if rng.random() < 0.75 and done <= today else None,
        )
        for pk, unit_id, year in rows
        for q, (m, d) in enumerate(QUARTER_ENDS)
        for due in (date(year, m, d),)
        # Three in four done by the demo's "today", a few days early or late.
        for done in (due + timedelta(days=rng.randint(-20, 10)),)
    )
    tick("milestones", milestones, milestones)
    return {"goals": goals, "milestones": milestones}
