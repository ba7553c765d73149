"""``shouwei portal verify``: re-render every published page, hash the files it is built from,
and name every difference. Exits non-zero when anything changed, for cron and monitoring."""

import logging

from django.core.management.base import BaseCommand, CommandError

from shouwei.portal import integrity

logger = logging.getLogger("shouwei.security")


class Command(BaseCommand):
    help = "门户网站：校验已发布页面与静态文件的完整性（verify）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="重新渲染全部已发布文章并与发布时的 SHA-256 比对")

    def handle(self, *args, action: str, **options):
        problems = integrity.verify()
        for p in problems:
            logger.warning("portal integrity: %s", p)
            self.stderr.write(str(p))
        if problems:
            raise CommandError(f"门户网站完整性校验失败：{len(problems)} 处改动")
        self.stdout.write(self.style.SUCCESS("门户网站完整性校验通过"))
