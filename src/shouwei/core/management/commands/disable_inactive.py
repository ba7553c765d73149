"""``shouwei disable_inactive [--days N]``: disable accounts with no login for N days (the
worker does it daily, core.jobs); superusers are left alone."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shouwei.core.passwords import disable_inactive


class Command(BaseCommand):
    help = "停用长期未登录的账号（超级管理员除外）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.SHOUWEI_ACCOUNT_INACTIVE_DAYS,
            help=f"多少天未登录即停用，默认 {settings.SHOUWEI_ACCOUNT_INACTIVE_DAYS}",
        )

    def handle(self, *args, days: int, **options):
        if days < 1:
            raise CommandError("--days 应为正整数")
        names = disable_inactive(days=days)
        self.stdout.write(
            f"已停用 {len(names)} 个账号" + (f"：{'、'.join(names)}" if names else "")
        )
