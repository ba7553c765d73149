"""Periodic jobs of the foundation (run by ``shouwei worker``, see core.schedule)."""

from __future__ import annotations

from datetime import timedelta

from .passwords import disable_inactive
from .schedule import periodic


@periodic("core.disable_inactive_accounts", every=timedelta(days=1))
def disable_inactive_accounts() -> int:
    """Accounts with no login for SHOUWEI_ACCOUNT_INACTIVE_DAYS are disabled (等保: 及时清理
    多余、过期的账户)."""
    return len(disable_inactive())


@periodic("core.purge_security_log", every=timedelta(days=1))
def purge_security_log() -> int:
    """Security log records past SHOUWEI_SECURITY_LOG_DAYS are removed (the only deletion)."""
    from django.conf import settings

    from .models import SecurityEvent

    return SecurityEvent.objects.purge_expired(days=settings.SHOUWEI_SECURITY_LOG_DAYS)
