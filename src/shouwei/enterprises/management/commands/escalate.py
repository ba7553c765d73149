"""``shouwei escalate``: raise overdue enterprise requests now, as the hourly job does."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from shouwei.core import clock
from shouwei.enterprises import services


class Command(BaseCommand):
    help = "逾期未办结的企业诉求升级至部门负责人、分管领导，并发送站内通知"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--date", help="按该日期判断是否逾期（YYYY-MM-DD）；默认为业务日期（演示日期或今天）"
        )

    def handle(self, *args, **options) -> None:
        today = clock.today()
        if options.get("date"):
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{options['date']}") from exc
        n = services.escalate_overdue(today=today)
        self.stdout.write(f"{today:%Y-%m-%d}：升级 {n} 件逾期诉求")
