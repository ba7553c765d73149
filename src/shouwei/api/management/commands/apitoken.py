"""``shouwei apitoken USERNAME --name NAME [--days N]``: issue an API token and print its key.

Only the key's SHA-256 is stored, so the key is printed this once and cannot be shown again;
a lost key is replaced by issuing a new token.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from shouwei.core.models import ApiToken


class Command(BaseCommand):
    help = "为用户签发 API 令牌；令牌只显示这一次"

    def add_arguments(self, parser):
        parser.add_argument("username", help="令牌所属用户的用户名")
        parser.add_argument("--name", required=True, help="用途说明，如 统计局对接")
        parser.add_argument(
            "--days", type=int, default=None, help="有效天数；不填则长期有效，直到删除"
        )

    def handle(self, *args, username: str, name: str, days: int | None, **options):
        name = name.strip()
        if not name:
            raise CommandError("--name 不能为空：请写明令牌的用途")
        if len(name) > ApiToken._meta.get_field("name").max_length:
            raise CommandError("--name 过长：最多 100 个字符")
        if days is not None and days < 1:
            raise CommandError("--days 应为正整数")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户“{username}”")
        if not user.is_active:
            raise CommandError(f"用户“{username}”已停用，不能签发令牌")
        with transaction.atomic():
            token, key = ApiToken.issue(user=user, name=name)
            if days is not None:
                token.expires_at = timezone.now() + timedelta(days=days)
                token.save(update_fields=["expires_at"])
        self.stdout.write(key)
        expiry = (
            f"，{timezone.localtime(token.expires_at):%Y-%m-%d %H:%M} 过期"
            if token.expires_at
            else ""
        )
        self.stderr.write(
            f"已为 {username} 签发令牌“{name}”（{token.prefix}…{expiry}）。"
            "令牌只显示这一次，请妥善保存；使用方式：Authorization: Bearer <令牌>"
        )
