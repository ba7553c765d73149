"""Synthetic key projects with an annual plan for 2020–2022 and a progress report for each of
the 36 months (重点项目 at scale).

The projects belong to 衡阳高新区's departments, so the demo leader's cockpit panel and project
list read them through ``visible_to`` like the demo's own 49. Each report's ``next_period``
(the month of the project's next report, which ``ProgressReport.save`` and, after bulk
writes, ``services.progress_written`` keep) is written here directly: the generator knows
the next month, and re-deriving it for 720,000 rows took 38–54 s on PostgreSQL.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from shouwei.core.models import Unit
from shouwei.demo.bulk import RowWriter, existing
from shouwei.demo.registry import ScaleContext, register_scale_generator
from shouwei.projects.models import AnnualPlan, ProgressReport, Project

CODE_PREFIX = "syn-"
YEARS = (2020, 2021, 2022)
LEVELS = ("provincial", "municipal", "district")
INDUSTRIES = ("C39", "C38", "C35", "C26", "C34", "D44", "E48")
CENT = Decimal("0.01")


def _money(cents: int) -> Decimal:
    return Decimal(cents) * CENT


@register_scale_generator("projects")
def generate_at_scale(ctx: ScaleContext) -> dict[str, int]:
    return generate(projects=ctx.size.projects, seed=ctx.seed, tick=ctx.tick)


def generate(*, projects: int, seed: int, tick=None) -> dict[str, int]:
    tick = tick or (lambda *_a: None)
    departments = list(
        Unit.objects.filter(code__startswith="hy-gxq-", kind="department")
        .order_by("code")
        .values_list("pk", flat=True)
    )
    if not departments:
        raise ValueError("模拟项目挂在衡阳高新区的部门下：请先加载衡阳演示数据")
    mine = Project.objects.filter(code__startswith=CODE_PREFIX, name__startswith="模拟项目")
    reports_total = projects * len(YEARS) * 12
    if existing("项目", mine.count(), projects):
        return {"projects": 0, "plans": 0, "progress_reports": 0}
    rng = random.Random(f"{seed}:projects")
    project_writer = RowWriter(
        Project,
        varying=(
            "code",
            "name",
            "level",
            "industry",
            "total_investment",
            "responsible_unit",
            "start_date",
            "stage",
        ),
    )
    # The monthly pace of each project, drawn once so that the plans and the reports agree.
    pace = [rng.randint(10, 60) for _ in range(projects)]
    created = project_writer.write(
        (
            f"{CODE_PREFIX}{n:05d}",
            f"模拟项目{n:05d}",
            rng.choice(LEVELS),
            rng.choice(INDUSTRIES),
            _money(pace[n] * 100 * rng.randint(3, 6)),
            rng.choice(departments),
            date(2019, rng.randint(1, 12), 1),
            "construction",
        )
        for n in range(projects)
    )
    ids = list(mine.order_by("code").values_list("pk", flat=True))
    plans = RowWriter(AnnualPlan, varying=("project", "year", "planned_investment")).write(
        # Planned a little above or below the pace: some projects fall behind plan.
        (pk, y, _money(pace[n] * 12 * rng.randint(85, 115) // 100))
        for n, pk in enumerate(ids)
        for y in YEARS
    )
    months = [f"{y}-{m:02d}" for y in YEARS for m in range(1, 13)]
    writer = RowWriter(
        ProgressReport,
        varying=(
            "project",
            "period",
            "invested_this_month",
            "invested_ytd",
            "stage",
            "next_period",
        ),
    )

    def reports():
        for n, pk in enumerate(ids):
            ytd = 0
            for k, period in enumerate(months):
                if period.endswith("-01"):
                    ytd = 0
                monthly = max(0, pace[n] + rng.randint(-10, 10))
                ytd += monthly
                following = months[k + 1] if k + 1 < len(months) else None
                yield (pk, period, _money(monthly), _money(ytd), "construction", following)
            if n % 1000 == 999:
                tick("progress reports", (n + 1) * len(months), reports_total)

    written = writer.write(reports())
    tick("progress reports", reports_total, reports_total)
    return {"projects": created, "plans": plans, "progress_reports": written}
