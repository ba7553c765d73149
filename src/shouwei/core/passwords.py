"""Password policy (等保2.0 三级 身份鉴别): length, character classes, no reuse of the last
passwords, optional rotation; a password someone else set is changed at first login; accounts
unused for long are disabled.

The validators plug into AUTH_PASSWORD_VALIDATORS, so every form that sets a password (the
change-password page, the admin) applies them.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone

security_log = logging.getLogger("shouwei.security")

SESSION_MUST_CHANGE = "shouwei_must_change_password"


class CharacterClassesValidator:
    """At least ``min_classes`` of: lower-case letters, upper-case letters, digits, others
    (punctuation, Chinese characters)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    @staticmethod
    def classes(password: str) -> int:
        return sum(
            (
                any(c.islower() for c in password),
                any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() or not c.isascii() for c in password),
            )
        )

    def validate(self, password: str, user=None) -> None:
        if self.classes(password) < self.min_classes:
            raise ValidationError(
                f"密码须包含小写字母、大写字母、数字、符号中的至少 {self.min_classes} 类",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"须包含小写字母、大写字母、数字、符号中的至少 {self.min_classes} 类"


class NotReusedValidator:
    """Not one of the user's last ``last`` passwords (their hashes are kept, never the text)."""

    def __init__(self, last: int = 5):
        self.last = last

    def _recent(self, user):
        from .models import PasswordHistory

        return PasswordHistory.objects.filter(user=user)[: self.last]

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        hashes = [h.password for h in self._recent(user)]
        if user.password:
            hashes.append(user.password)
        if any(check_password(password, h) for h in hashes):
            raise ValidationError(
                f"不能与最近 {self.last} 次使用过的密码相同", code="password_reused"
            )

    def password_changed(self, password: str, user=None) -> None:
        """Called after every save of a new password: keep its hash, forget older ones."""
        from .models import AccountSecurity, PasswordHistory

        if user is None or user.pk is None:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        keep = list(self._recent(user).values_list("pk", flat=True))
        PasswordHistory.objects.filter(user=user).exclude(pk__in=keep).delete()
        AccountSecurity.objects.update_or_create(
            user=user,
            defaults={"password_changed_at": timezone.now(), "must_change_password": False},
        )

    def get_help_text(self) -> str:
        return f"不能与最近 {self.last} 次使用过的密码相同"


def require_change(user) -> None:
    """The next login of ``user`` goes to the change-password page first (an administrator
    set or reset the password)."""
    from .models import AccountSecurity

    AccountSecurity.objects.update_or_create(user=user, defaults={"must_change_password": True})


def must_change(user) -> bool:
    """At login: an initial/reset password, or one older than SHOUWEI_PASSWORD_MAX_AGE_DAYS."""
    from .models import AccountSecurity

    state = AccountSecurity.objects.filter(user=user).first()
    if state is None:
        return False
    if state.must_change_password:
        return True
    max_age = settings.SHOUWEI_PASSWORD_MAX_AGE_DAYS
    return bool(
        max_age
        and state.password_changed_at
        and timezone.now() - state.password_changed_at > timedelta(days=max_age)
    )


def disable_inactive(*, days: int | None = None) -> list[str]:
    """Disable accounts with no login for ``days`` (SHOUWEI_ACCOUNT_INACTIVE_DAYS), or never
    logged in that long after being created. Superusers are left to the operators (the last
    way in must not lock itself out). Returns the user names disabled."""
    days = days or settings.SHOUWEI_ACCOUNT_INACTIVE_DAYS
    cutoff = timezone.now() - timedelta(days=days)
    from django.db.models import Q

    stale = (
        get_user_model()
        .objects.filter(is_active=True, is_superuser=False)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
    )
    names = list(stale.values_list("username", flat=True))
    stale.update(is_active=False)
    for name in names:
        security_log.warning("account %s disabled: no login for %s days", name, days)
    return names
