"""``shouwei report weekly-projects``: the 重点项目周调度表 (.xlsx) written to a file."""

from __future__ import annotations

from django.core.management.base import CommandError

from shouwei.core.models import Unit
from shouwei.core.reporting import register_report_file

from .reports import ReportError
from .reports import weekly_projects as build


def weekly_projects_arguments(parser) -> None:
    parser.add_argument("--unit", required=True, help="单位代码，如 hy-gxq")
    parser.add_argument("--week", required=True, help="ISO 周，如 2022-W30")


def weekly_projects(options, user) -> bytes:
    unit = Unit.objects.visible_to(user).filter(code=options["unit"]).first()
    if unit is None:
        raise CommandError(f"没有代码为“{options['unit']}”的单位，或用户无权查看")
    try:
        content, _name = build(user=user, unit=unit, week=options["week"])
    except ReportError as exc:
        raise CommandError(str(exc)) from None
    return content


register_report_file(
    "weekly-projects",
    title="重点项目周调度表（.xlsx）",
    add_arguments=weekly_projects_arguments,
    build=weekly_projects,
)
