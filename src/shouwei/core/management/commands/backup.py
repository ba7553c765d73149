"""``shouwei backup -o FILE``: the database and the uploaded files in one checksummed archive
(shouwei.core.backup)."""

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand

from shouwei.core.backup import backup


class Command(BaseCommand):
    help = "备份数据库和上传文件到一个带校验的归档文件"

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", required=True, help="备份文件路径，如 shouwei-20261203.tar.gz"
        )

    def handle(self, *args, output: str, **options):
        path = Path(output)
        manifest = backup(path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        self.stdout.write(
            f"已备份到 {path}：{len(manifest['files']) - 1} 个上传文件；SHA-256 {digest}"
        )
