"""The demo's key projects (``demo/data/projects.toml``), registered with the demo loader.

Idempotent: projects are keyed on code, plans on project × year, reports on project × month,
problems on project × description; loading again creates nothing twice.
"""

from __future__ import annotations

from decimal import Decimal

from shouwei.core.models import Unit
from shouwei.demo.registry import DemoContext, read_toml, register_demo_loader, upsert

from .models import AnnualPlan, Problem, ProgressReport, Project

DEMO_YEAR = 2022


@register_demo_loader("projects")
def load_projects(ctx: DemoContext) -> None:
    report = ctx.report
    data = read_toml("projects")
    units = {u.code: u for u in Unit.objects.filter(code__startswith="hy-gxq")}
    projects: dict[str, Project] = {}
    for row in data["projects"]:
        stages = row["stages"]
        project, created = upsert(
            Project,
            code=row["code"],
            defaults={
                "name": row["name"],
                "level": row["level"],
                "industry": row["industry"],
                "industry_chain": row["industry_chain"],
                "total_investment": Decimal(row["total_investment"]),
                "owner_enterprise": row["owner_enterprise"],
                "responsible_unit": units[row["responsible_unit"]],
                "responsible_leader": row["responsible_leader"],
                "location": row["location"],
                "start_date": row["start_date"],
                "planned_completion_date": row["planned_completion_date"],
                "stage": stages[-1],
            },
        )
        projects[project.code] = project
        report.add("key projects", created)
        _, created = upsert(
            AnnualPlan,
            project=project,
            year=DEMO_YEAR,
            defaults={"planned_investment": Decimal(row["planned_2022"])},
        )
        report.add("annual plans", created)
        previous = Decimal(0)
        for i, (ytd, stage) in enumerate(zip(row["ytd"], stages, strict=True)):
            month = row["first_month"] + i
            ytd = Decimal(ytd)
            entered = row.get("entered_statistics_on")
            _, created = upsert(
                ProgressReport,
                project=project,
                period=f"{DEMO_YEAR}-{month:02d}",
                defaults={
                    "invested_this_month": ytd - previous,
                    "invested_ytd": ytd,
                    "stage": stage,
                    "entered_statistics_on": entered
                    if entered and f"{entered:%Y-%m}" <= f"{DEMO_YEAR}-{month:02d}"
                    else None,
                },
            )
            previous = ytd
            report.add("progress reports", created)
    for row in data["problems"]:
        _, created = upsert(
            Problem,
            project=projects[row["project"]],
            description=row["description"],
            defaults={
                "owner_unit": units[row["owner_unit"]],
                "deadline": row["deadline"],
                "status": row["status"],
                "resolution": row.get("resolution", ""),
            },
        )
        report.add("project problems", created)
