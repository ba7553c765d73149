"""`shouwei import observations FILE [--dry-run] [--user USERNAME]`

The same framework as the web: the file is kept as an import batch (who, when, digest), every
row is validated, and the commit is all-or-nothing. Exit code 1 when anything is wrong.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from shouwei.imports import services
from shouwei.imports.engine import error_lines
from shouwei.imports.models import ImportStatus
from shouwei.imports.readers import FileRejected
from shouwei.imports.registry import get_importer, registered_importers


class Command(BaseCommand):
    help = "从 Excel/CSV 文件导入数据（先校验，全部正确才一次性写入）"

    def add_arguments(self, parser):
        parser.add_argument("importer", help="导入类型，如 observations")
        parser.add_argument("file", help=".xlsx、.xls 或 .csv 文件")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--user", help="以哪个用户的身份和权限导入（默认：第一个超级用户）")

    def handle(self, *args, **options):
        importer = get_importer(options["importer"])
        if importer is None:
            known = "、".join(sorted(registered_importers())) or "无"
            raise CommandError(f"没有“{options['importer']}”这种导入；可用：{known}")
        user = self._user(options["user"])
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件“{path}”：{exc.strerror}") from None
        try:
            batch = services.batch_upload(
                importer=importer, content=content, filename=path.name, user=user, inline=True
            )
        except (FileRejected, PermissionDenied) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"批次 #{batch.pk}：{batch.total_rows} 行数据，"
            f"将新增 {batch.created_count} 条，将更新 {batch.updated_count} 条，"
            f"错误 {batch.error_count} 处"
        )
        if batch.status != ImportStatus.VALID:
            self._fail(batch, "校验未通过，没有写入任何数据")
        if options["dry_run"]:
            self.stdout.write(self.style.SUCCESS("校验通过（--dry-run：没有写入任何数据）"))
            return
        batch = services.batch_commit(batch=batch, user=user, inline=True)
        if batch.status != ImportStatus.COMMITTED:
            self._fail(batch, "导入失败，没有写入任何数据")
        self.stdout.write(
            self.style.SUCCESS(
                f"已导入：新增 {batch.created_count} 条，更新 {batch.updated_count} 条"
                f"（批次 #{batch.pk}）"
            )
        )

    def _user(self, username: str | None):
        User = get_user_model()
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"用户“{username}”不存在")
            return user
        user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError("没有超级用户：请用 --user 指定导入人")
        return user

    def _fail(self, batch, summary: str) -> None:
        for line in error_lines(batch.errors, batch.error_count):
            self.stderr.write(line)
        if batch.message:
            self.stderr.write(batch.message)
        raise CommandError(summary)
