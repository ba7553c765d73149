"""``shouwei restore FILE``: into an empty instance, after checking every checksum."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shouwei.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "从备份文件恢复到空实例（先校验每个文件的 SHA-256）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="shouwei backup 写出的备份文件")

    def handle(self, *args, file: str, **options):
        try:
            manifest = restore(Path(file))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已从 {file}（{manifest['created_at']} 备份）恢复")
