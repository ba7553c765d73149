"""The demo's key projects (``demo/data/projects.toml``), registered with the demo loader.

Idempotent: projects are keyed on code, plans on project × year, reports on project × month,
problems on project × description; loading again creates nothing twice.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from shouwei.core.models import Unit
from shouwei.demo.registry import DemoContext, read_toml, register_demo_loader, upsert

from .models import (
    AnnualPlan,
    CallRow,
    FundingSource,
    Problem,
    Procedure,
    ProgressReport,
    Project,
    RollingPlan,
    SchedulingCall,
    Stoppage,
)

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
    load_projects_ii(ctx)


def load_projects_ii(ctx: DemoContext) -> None:
    """Issue 15's records (``demo/data/projects_ii.toml``): procedures, funding, rolling plans,
    a resolved stoppage, land, and one closed call answered by June's reports."""
    report = ctx.report
    data = read_toml("projects_ii")
    projects = {p.code: p for p in Project.objects.filter(code__startswith="gxq-")}
    for group in data["procedures"]:
        project = projects[group["project"]]
        for item in group["items"]:
            _, created = upsert(
                Procedure,
                project=project,
                kind=item["kind"],
                name=item.get("name", ""),
                defaults={
                    "planned_on": item.get("planned_on"),
                    "done_on": item.get("done_on"),
                    "approving_office": item.get("office", ""),
                },
            )
            report.add("project procedures", created)
    for group in data["funding"]:
        for source in group["sources"]:
            fields = {
                k: (Decimal(v) if k.endswith("amount") or k == "amount" else v)
                for k, v in source.items()
                if k != "kind"
            }
            _, created = upsert(
                FundingSource,
                project=projects[group["project"]],
                year=group["year"],
                kind=source["kind"],
                defaults=fields,
            )
            report.add("funding sources", created)
    for group in data["rolling"]:
        for plan in group["plans"]:
            _, created = upsert(
                RollingPlan,
                project=projects[group["project"]],
                base_year=plan["base_year"],
                defaults={k: Decimal(plan[k]) for k in ("year1", "year2", "year3")},
            )
            report.add("rolling plans", created)
    for row in data["stoppages"]:
        _, created = upsert(
            Stoppage,
            project=projects[row["project"]],
            stopped_on=row["stopped_on"],
            defaults={k: row[k] for k in ("reason", "resumed_on", "resume_note")},
        )
        report.add("stoppages", created)
    for row in data["land"]:
        project = projects[row["project"]]
        project.land_area_mu, project.land_status = Decimal(row["area_mu"]), row["status"]
        project.save(update_fields=["land_area_mu", "land_status"])
    _load_call(data["call"], report=report)


def _load_call(row: dict, *, report) -> None:
    """The closed call and its rows; the answered units' rows point at their June reports."""
    zone = Unit.objects.get(code="hy-gxq")
    call, created = upsert(
        SchedulingCall,
        title=row["title"],
        defaults={
            "issuing_unit": zone,
            "period_kind": "week",
            "period": row["period"],
            "deadline": row["deadline"],
            "question": row["question"],
            "closed_at": datetime(2022, 7, 2, 9, 0, tzinfo=UTC),
        },
    )
    report.add("scheduling calls", created)
    june = {
        r.project_id: r
        for r in ProgressReport.objects.filter(
            period=call.report_month, project__code__startswith="gxq-"
        )
    }
    answered = set(row["answered_units"])
    for project in Project.objects.filter(
        responsible_unit__path__startswith=zone.path
    ).select_related("responsible_unit"):
        done = project.responsible_unit.code in answered and project.pk in june
        _, created = upsert(
            CallRow,
            call=call,
            project=project,
            defaults={
                "unit": project.responsible_unit,
                "report": june.get(project.pk) if done else None,
                "answered_on": row["deadline"] if done else None,
                "answered_at": datetime(2022, 7, 1, 9, 0, tzinfo=UTC) if done else None,
                "answer": "无" if done else "",
            },
        )
        report.add("call rows", created)
