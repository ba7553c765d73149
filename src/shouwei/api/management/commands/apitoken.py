"""``shouwei apitoken USERNAME --name NAME [--days N] [--read-only]``: issue an API token and
print its key. Every token expires (SHOUWEI_API_TOKEN_DAYS by default, at most
SHOUWEI_API_TOKEN_MAX_DAYS); a read-only one may only query.

Only the key's SHA-256 is stored, so the key is printed this once and cannot be shown again;
a lost key is replaced by issuing a new token.
"""

from django.conf import settings
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
            "--days",
            type=int,
            default=None,
            help=f"有效天数；不填为 {settings.SHOUWEI_API_TOKEN_DAYS} 天，"
            f"最长 {settings.SHOUWEI_API_TOKEN_MAX_DAYS} 天",
        )
        parser.add_argument(
            "--read-only", action="store_true", help="只读令牌：只能查询，不能写入或审核"
        )

    def handle(self, *args, username: str, name: str, days: int | None, read_only: bool, **options):
        name = name.strip()
        if not name:
            raise CommandError("--name 不能为空：请写明令牌的用途")
        if len(name) > ApiToken._meta.get_field("name").max_length:
            raise CommandError("--name 过长：最多 100 个字符")
        if days is not None and days < 1:
            raise CommandError("--days 应为正整数")
        if days is not None and days > settings.SHOUWEI_API_TOKEN_MAX_DAYS:
            raise CommandError(f"--days 最长 {settings.SHOUWEI_API_TOKEN_MAX_DAYS} 天")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户“{username}”")
        if not user.is_active:
            raise CommandError(f"用户“{username}”已停用，不能签发令牌")
        with transaction.atomic():
            token, key = ApiToken.issue(user=user, name=name, days=days, read_only=read_only)
        self.stdout.write(key)
        expiry = f"，{timezone.localtime(token.expires_at):%Y-%m-%d %H:%M} 过期"
        kind = "只读" if read_only else ""
        self.stderr.write(
            f"已为 {username} 签发{kind}令牌“{name}”（{token.prefix}…{expiry}）。"
            "令牌只显示这一次，请妥善保存；使用方式：Authorization: Bearer <令牌>"
        )
