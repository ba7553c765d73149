"""The demo's 2022 首位目标 (``demo/data/supervision.toml``), registered with the demo loader.

Idempotent: goals are keyed on unit × year × code, milestones on goal × title, notices on their
number, the scheme on unit × year × name and its items on their name.
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

from django.utils import timezone

from shouwei.core.models import Unit
from shouwei.demo.registry import DemoContext, read_toml, register_demo_loader, upsert
from shouwei.indicators.models import Target

from . import services
from .choices import ExtensionStatus
from .models import (
    Arrears,
    ExtensionRequest,
    Goal,
    Milestone,
    PerformanceScheme,
    ProgressReport,
    SafetyIncident,
    SchemeItem,
    SupervisionNotice,
    TaskBook,
)


def _moment(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


@register_demo_loader("supervision")
def load_supervision(ctx: DemoContext) -> None:
    report = ctx.report
    data = read_toml("supervision")
    year = data["year"]
    units = {u.code: u for u in Unit.objects.all()}
    zone = units[data["zone"]]
    targets = {t.name: t for t in Target.objects.filter(year=year)}
    goals: dict[str, Goal] = {}
    milestones: dict[tuple[str, str], Milestone] = {}
    for row in data["goals"]:
        goal, created = upsert(
            Goal,
            unit=zone,
            year=year,
            code=row["code"],
            defaults={
                "title": row["title"],
                "source": data["source"],
                "responsible_leader": row["leader"],
                "target": targets.get(row.get("target", "")),
            },
        )
        goals[goal.code] = goal
        report.add("supervision goals", created)
        book, created = upsert(
            TaskBook,
            goal=goal,
            defaults={
                "lead_unit": units[row["lead"]],
                "leader": row["leader"],
                "measures": row["measures"],
            },
        )
        co = [units[c] for c in row["co"]]
        if set(book.co_units.all()) != set(co):
            book.co_units.set(co)
        report.add("task books", created)
        for m in row["milestones"]:
            milestone, created = upsert(
                Milestone,
                goal=goal,
                title=m["title"],
                defaults={
                    "deliverable": m["deliverable"],
                    "due": m["due"],
                    "weight": Decimal(m["weight"]),
                    "lead_unit": units[m["lead"]],
                    "completed_on": m.get("completed_on"),
                },
            )
            milestones[(goal.code, milestone.title)] = milestone
            report.add("milestones", created)
    for row in data["reports"]:
        _, created = upsert(
            ProgressReport,
            milestone=milestones[(row["goal"], row["milestone"])],
            unit=units[row["unit"]],
            reported_on=row["reported_on"],
            defaults={"percent": row["percent"], "text": row["text"]},
        )
        report.add("supervision reports", created)
    for row in data["notices"]:
        signed_on = row.get("signed_on")
        _, created = upsert(
            SupervisionNotice,
            number=row["number"],
            defaults={
                "unit": units[row["unit"]],
                "milestone": milestones[(row["goal"], row["milestone"])],
                "issuer": data["issuer"],
                "task": row["task"],
                "reason": row["reason"],
                "deadline": row["deadline"],
                "status": row["status"],
                "issued_at": _moment(row["issued_on"]),
                "issued_on": row["issued_on"],
                "signed_at": _moment(signed_on) if signed_on else None,
            },
        )
        report.add("supervision notices", created)
    for row in data["extensions"]:
        _, created = upsert(
            ExtensionRequest,
            milestone=milestones[(row["goal"], row["milestone"])],
            new_due=row["new_due"],
            defaults={
                "reason": row["reason"],
                "requested_on": row["requested_on"],
                "status": ExtensionStatus.PENDING,
            },
        )
        report.add("extension requests", created)
    for row in data["incidents"]:
        _, created = upsert(
            SafetyIncident,
            unit=units[row["unit"]],
            occurred_on=row["occurred_on"],
            place=row["place"],
            defaults={
                "level": row["level"],
                "description": row["description"],
                "deaths": row["deaths"],
                "injuries": row["injuries"],
            },
        )
        report.add("safety incidents", created)
    for row in data["arrears"]:
        _, created = upsert(
            Arrears,
            debtor=row["debtor"],
            defaults={
                "amount_due": Decimal(row["amount_due"]),
                "collected": Decimal(row["collected"]),
                "deadline": row["deadline"],
                "owner_unit": units[row["owner_unit"]],
                "owner": row["owner"],
            },
        )
        report.add("arrears", created)
    spec = data["scheme"]
    scheme, created = upsert(
        PerformanceScheme,
        unit=zone,
        year=year,
        name=spec["name"],
        defaults={"reward_count": spec["reward_count"], "penalise_count": spec["penalise_count"]},
    )
    report.add("performance schemes", created)
    participants = [units[c] for c in spec["participants"]]
    if set(scheme.participants.all()) != set(participants):
        scheme.participants.set(participants)
    for order, item in enumerate(spec["items"]):
        _, created = upsert(
            SchemeItem,
            scheme=scheme,
            name=item["name"],
            defaults={
                "kind": item["kind"],
                "rule": item["rule"],
                "weight": Decimal(item["weight"]),
                "unit_points": Decimal(item.get("unit_points", "0")),
                "indicator": item.get("indicator", ""),
                "source": item.get("source", ""),
                "order": order,
            },
        )
        report.add("scheme items", created)
    if not scheme.runs.exists():
        # Accounts are made after the loaders, so no person can run it: the platform runs the
        # year's scheme once, through the same scoring, and the run says it is the demo's.
        services.scheme_run_by_platform(
            scheme=scheme, as_of=spec["as_of"], note="演示数据：平台按考评方案自动计算"
        )
        report.add("score runs", True)
