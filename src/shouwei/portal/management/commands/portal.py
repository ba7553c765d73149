"""``shouwei portal verify``: fetch every published page through the application, re-hash its
rows and the files it is built from, and name every difference; alert the operators as the
scheduled job does (``portal.verify``). Exits non-zero when anything changed, for cron."""

import logging

from django.core.management.base import BaseCommand, CommandError

from shouwei.portal import integrity, jobs

logger = logging.getLogger("shouwei.security")


class Command(BaseCommand):
    help = "门户网站：校验已发布页面与静态文件的完整性（verify）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify", help="经由本应用取回全部已发布页面，与发布时的 SHA-256 比对"
        )
        verify.add_argument(
            "--no-alert",
            action="store_true",
            help="只输出结果，不向管理员发送告警（默认与定时任务一样发送站内、邮件、webhook 告警）",
        )

    def handle(self, *args, action: str, no_alert: bool = False, **options):
        problems = integrity.verify()
        for p in problems:
            logger.warning("portal integrity: %s", p)
            self.stderr.write(str(p))
        if problems and not no_alert:
            jobs.alert_operators(problems)
        if problems:
            raise CommandError(f"门户网站完整性校验失败：{len(problems)} 处改动")
        self.stdout.write(self.style.SUCCESS("门户网站完整性校验通过"))
