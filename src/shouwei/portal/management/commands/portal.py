"""``shouwei portal verify``: fetch every published page through the application, re-hash its
rows and the files it is built from, and name every difference; alert the operators as the
scheduled job does (``portal.verify``). Exits non-zero when anything changed, for cron.

``shouwei portal reseal``: after an upgrade that changed the portal's templates or static files,
take the new files into the published pages' seals (a dry run unless ``--yes``)."""

import getpass
import logging

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from shouwei.portal import cache, integrity, jobs

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

        reseal = sub.add_parser(
            "reseal",
            help="升级部署后：把门户模板与静态文件的新摘要写入已发布页面的印鉴"
            "（不加 --yes 只列出将改动的文件与页面）",
        )
        reseal.add_argument(
            "--yes",
            action="store_true",
            help="确认写入。只在部署了新版本之后使用：被改动过数据库记录的文章一律拒绝，须核查后重新审核发布",
        )

    def handle(self, *args, action: str, no_alert: bool = False, yes: bool = False, **options):
        if action == "reseal":
            return self.reseal(apply=yes)
        problems = integrity.verify()
        for p in problems:
            logger.warning("portal integrity: %s", p)
            self.stderr.write(str(p))
        if problems and not no_alert:
            jobs.alert_operators(problems)
        if problems:
            raise CommandError(f"门户网站完整性校验失败：{len(problems)} 处改动")
        self.stdout.write(self.style.SUCCESS("门户网站完整性校验通过"))

    def reseal(self, *, apply: bool) -> None:
        with transaction.atomic():
            result = integrity.reseal_files(apply=apply)
            if apply and result.resealed:
                cache.invalidate()
        for path in result.changed_files:
            self.stdout.write(f"文件已变：{integrity.part_label(path)}")
        for p in result.refused:
            self.stderr.write(f"拒绝：{p}")
        if apply:
            logger.warning(
                "portal reseal by %s: %d pages take %s",
                getpass.getuser(),
                len(result.resealed),
                ", ".join(result.changed_files) or "no changed file (content templates only)",
            )
            self.stdout.write(f"已重新加封 {len(result.resealed)} 个页面")
        else:
            self.stdout.write(
                f"将重新加封 {len(result.resealed)} 个页面"
                "（未写入；确认是本次部署的改动后加 --yes）"
            )
        if result.refused:
            ids = sorted({p.article_id for p in result.refused})
            raise CommandError(
                f"{len(ids)} 篇文章的数据库记录与发布时不符，未重新加封：请核查，撤回后重新审核发布"
            )
