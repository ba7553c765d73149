"""``shouwei report <kind> …``: scheduled sheets written to a file.

Each kind is a subcommand with its own arguments (``REPORTS``); another app adds its own by
adding an entry, e.g. the monthly bulletin. ``--as`` names the user whose view the sheet
shows: a sheet never shows more than that user may see on the pages.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from shouwei.core.models import Unit
from shouwei.projects.reports import ReportError
from shouwei.projects.reports import weekly_projects as build


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


REPORTS = {
    "weekly-projects": ("重点项目周调度表（.xlsx）", weekly_projects_arguments, weekly_projects),
}


class Command(BaseCommand):
    help = "生成报表文件：weekly-projects（重点项目周调度表）"

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="kind", required=True, title="报表")
        for kind, (title, arguments, _build) in REPORTS.items():
            sub = subparsers.add_parser(kind, help=title)
            arguments(sub)
            sub.add_argument("-o", "--output", required=True, help="输出文件路径")
            sub.add_argument(
                "--as",
                dest="as_user",
                default="admin",
                help="以该用户的权限生成（默认 admin）",
            )

    def handle(self, *args, **options):
        _title, _arguments, build = REPORTS[options["kind"]]
        user = get_user_model().objects.filter(username=options["as_user"]).first()
        if user is None:
            raise CommandError(f"没有用户“{options['as_user']}”")
        content = build(options, user)
        out = Path(options["output"])
        out.write_bytes(content)
        self.stdout.write(f"已生成 {out}（{len(content)} 字节）")
