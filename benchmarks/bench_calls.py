"""Scheduling calls (调度任务, issue 15): issuing, the board and the 周调度 sheet, on the demo and
on 20,000 projects across 150 units.

    python benchmarks/bench_calls.py                                  # SQLite, temp data dir
    bash benchmarks/with_postgres.sh python benchmarks/bench_calls.py  # throwaway PostgreSQL

Loads the Hengyang demo, issues a call over the zone and measures; then adds ``--units``
departments under the zone and ``--projects`` projects spread over them (a June report for
every other one, answering the call), issues again and measures again. The query counts of the
board and the sheet must be the same at both sizes. Pages are fetched through
``django.test.Client`` as the demo leader.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import time
from datetime import UTC, date, datetime
from decimal import Decimal

import common
from bench_projects import measure


def generate(*, units: int, projects: int) -> None:
    from shouwei.core.models import Unit
    from shouwei.projects.models import ProgressReport, Project

    zone = Unit.objects.get(code="hy-gxq")
    for i in range(units):
        Unit.objects.create(
            code=f"syn-dept-{i:03d}", name=f"模拟部门{i:03d}", kind="department", parent=zone
        )
    departments = list(Unit.objects.filter(code__startswith="syn-dept-"))
    Project.objects.bulk_create(
        [
            Project(
                code=f"syn-{i:05d}",
                name=f"模拟项目{i:05d}",
                level=("provincial", "municipal", "district")[i % 3],
                industry="C39",
                total_investment=Decimal(10 + i % 50),
                responsible_unit=departments[i % len(departments)],
                start_date=date(2021, 1 + i % 12, 1),
                stage="construction",
            )
            for i in range(projects)
        ],
        batch_size=2000,
    )
    ids = list(Project.objects.filter(code__startswith="syn-").values_list("pk", flat=True))
    ProgressReport.objects.bulk_create(
        [
            ProgressReport(
                project_id=pk,
                period="2022-06",
                invested_this_month=Decimal("0.5"),
                invested_ytd=Decimal("3"),
                stage="construction",
            )
            for pk in ids[::2]
        ],
        batch_size=5000,
    )


def issue(clerk, zone):
    from shouwei.projects import services

    started = time.perf_counter()
    call = services.call_issue(
        by=clerk,
        issuing_unit=zone,
        period_kind="week",
        period="2022-W26",
        deadline=date(2022, 7, 1),
    )
    return call, (time.perf_counter() - started) * 1000


def answer_half(call) -> None:
    """Rows whose project has a June report answered by it (as the entry screen would link)."""
    from django.db.models import OuterRef, Subquery

    from shouwei.projects.models import CallRow, ProgressReport

    june = ProgressReport.objects.filter(project=OuterRef("project"), period="2022-06")
    CallRow.objects.filter(call=call).update(report=Subquery(june.values("pk")[:1]))
    CallRow.objects.filter(call=call, report__isnull=False).update(
        answered_at=datetime(2022, 6, 30, tzinfo=UTC), answered_on=date(2022, 6, 30)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=20000)
    parser.add_argument("--units", type=int, default=150)
    parser.add_argument("--requests", type=int, default=10, help="timed requests per page")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()

    database = common.setup_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from shouwei.core.models import Unit
    from shouwei.demo.accounts import create_demo_accounts

    print(f"# scheduling calls on {database}; {common.machine_label()}")
    call_command("loaddemo", stdout=io.StringIO())
    create_demo_accounts()
    users = get_user_model().objects
    leader = users.get(username="leader")
    clerk = users.get(username="staff_cyfz")
    zone = Unit.objects.get(code="hy-gxq")
    client = Client()
    client.force_login(leader)
    results = []
    for dataset in ("demo", f"{args.projects} projects × {args.units} units"):
        if dataset != "demo":
            started = time.perf_counter()
            generate(units=args.units, projects=args.projects)
            common.refresh_statistics()
            print(f"# generated in {time.perf_counter() - started:.1f} s")
        call, issue_ms = issue(clerk, zone)
        answer_half(call)
        rows = call.rows.count()
        print(f"{dataset:<32} issue {rows} rows: {issue_ms:.0f} ms")
        results.append({"dataset": dataset, "page": "issue", "rows": rows, "ms": round(issue_ms)})
        pages = {
            "board (call detail)": reverse("projects:schedulingcall_detail", args=[call.pk]),
            "周调度 sheet (.xlsx)": reverse("projects:call_sheet", args=[call.pk]),
        }
        for label, url in pages.items():
            row = {"dataset": dataset, "page": label, **measure(client, url, args.requests)}
            results.append(row)
            print(
                f"{dataset:<32} {label:<24} {row['queries']:>3} queries  "
                f"p50 {row['p50_ms']:>8} ms  p95 {row['p95_ms']:>8} ms  "
                f"CPU p95 {row['cpu_p95_ms']:>8} ms"
            )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"# load average at the end: {load}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"database": database, "results": results}, fh, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
