"""``shouwei report <kind> …``: reports written to a file.

Each kind is a subcommand with its own arguments, registered by its app in ``report_files.py``
(``core.reporting.register_report_file``): the projects app's ``weekly-projects``, the reports
app's ``half-year``, ``monthly`` and ``brief``. ``--as`` names the user whose view the file
shows: a report never shows more than that user may see on the pages.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from shouwei.core.reporting import report_files


class Command(BaseCommand):
    help = "生成报告文件：" + "、".join(report_files()) if report_files() else "生成报告文件"

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="kind", required=True, title="报告")
        for kind, entry in report_files().items():
            sub = subparsers.add_parser(kind, help=entry.title)
            entry.add_arguments(sub)
            sub.add_argument("-o", "--output", required=True, help="输出文件路径")
            sub.add_argument(
                "--as",
                dest="as_user",
                default="admin",
                help="以该用户的权限生成（默认 admin）",
            )

    def handle(self, *args, **options):
        entry = report_files()[options["kind"]]
        user = get_user_model().objects.filter(username=options["as_user"]).first()
        if user is None:
            raise CommandError(
                f"没有用户“{options['as_user']}”：请用 --as 指定已有用户"
                "（新实例可先运行 shouwei demo 或 shouwei createsuperuser）"
            )
        content = entry.build(options, user)
        out = Path(options["output"])
        out.write_bytes(content)
        self.stdout.write(f"已生成 {out}（{len(content)} 字节）")
