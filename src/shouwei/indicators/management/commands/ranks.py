"""``shouwei ranks rebuild``: recompute every stored rank (``StoredRank``) from the approved
figures and the peer groups' memberships — for a database that had figures before the stored
ranks existed, or after data was changed behind the application's back (raw SQL)."""

import time

from django.core.management.base import BaseCommand

from shouwei.indicators.ranks import rebuild_ranks


class Command(BaseCommand):
    help = "排名：按已审核数据和比较组成员重新计算全部存储的排名（rebuild）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild", help="删除并重新计算全部存储的排名")

    def handle(self, *args, action, **options):
        started = time.monotonic()
        rows = rebuild_ranks()
        self.stdout.write(
            self.style.SUCCESS(
                f"已重新计算存储的排名：{rows}行，用时{time.monotonic() - started:.1f}秒"
            )
        )
