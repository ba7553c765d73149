"""The second factor: TOTP (django-otp's TOTPDevice) and one-time recovery codes.

Required for superusers and the roles in settings.SHOUWEI_2FA_REQUIRED_ROLES, optional for
everyone else. The login (core.views.LoginView) checks the password first; a person with a
confirmed device is not logged in until the code is given (``/accounts/login/verify/``); a
person of a required role without one is logged in only to enrol
(core.middleware.SecondFactorEnrolmentMiddleware keeps them on ``/accounts/``).
"""

from __future__ import annotations

import hashlib
import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

security_log = logging.getLogger("shouwei.security")

# Session keys: the person whose password was right and whose code is awaited; and the flag
# that keeps a required-role person without a device on the enrolment page.
SESSION_PENDING_USER = "shouwei_2fa_pending_user"
SESSION_PENDING_BACKEND = "shouwei_2fa_pending_backend"
SESSION_PENDING_NEXT = "shouwei_2fa_pending_next"
SESSION_PENDING_FAILURES = "shouwei_2fa_pending_failures"
SESSION_MUST_ENROL = "shouwei_2fa_must_enrol"
# When the person last proved who they are (password with code, or the code alone).
SESSION_CONFIRMED_AT = "shouwei_confirmed_at"

# Wrong codes allowed for one password before the password must be given again.
MAX_CODE_FAILURES = 5
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def required_for(user) -> bool:
    """Whether this person must have a second factor."""
    from .permissions import scope_for

    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    scope = scope_for(user)
    return any(scope.has_role(role) for role in settings.SHOUWEI_2FA_REQUIRED_ROLES)


def confirmed_device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user):
    """The unconfirmed device of an enrolment under way, made on first call."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def qr_svg(device) -> str:
    import segno

    return segno.make(device.config_url, error="m").svg_inline(scale=4)


def _digest(code: str) -> str:
    normal = "".join(code.lower().split()).replace("-", "")
    return hashlib.sha256(normal.encode()).hexdigest()


@transaction.atomic
def confirm_enrolment(*, user, device, token: str) -> list[str] | None:
    """Confirm the device with a first code; on success replace any other device and the
    recovery codes, and return the new codes (the only time they exist in clear)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not token.strip().isdigit() or not device.verify_token(token.strip()):
        security_log.warning(
            "second factor enrolment code refused for %s", user, extra={"event": "second_factor"}
        )
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_recovery_codes(user=user)
    security_log.info("second factor enrolled by %s", user, extra={"event": "second_factor"})
    return codes


@transaction.atomic
def new_recovery_codes(*, user) -> list[str]:
    from .models import RecoveryCode

    RecoveryCode.objects.filter(user=user).delete()
    codes = []
    for _ in range(settings.SHOUWEI_2FA_RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_digest(code)) for code in codes
    )
    return codes


def check_code(*, user, code: str) -> str | None:
    """``"totp"`` or ``"recovery"`` when the code proves the person, else None (logged).
    A recovery code is spent by the check: a second use finds it used."""
    from .models import RecoveryCode

    code = code.strip()
    device = confirmed_device(user)
    if device is not None and code.isdigit() and device.verify_token(code):
        security_log.info("second factor passed by %s", user, extra=_extra(user))
        return "totp"
    if not code.isdigit() and code:
        spent = RecoveryCode.objects.filter(
            user=user, code_hash=_digest(code), used_at__isnull=True
        ).update(used_at=timezone.now())
        if spent:
            left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
            security_log.warning(
                "second factor recovery code used by %s (%s left)", user, left, extra=_extra(user)
            )
            return "recovery"
    security_log.warning("second factor failed for %s", user, extra=_extra(user))
    return None


def _extra(user) -> dict:
    return {"event": "second_factor", "user_id": user.pk, "username": user.get_username()}


def mark_confirmed(request) -> None:
    from .reauth import mark

    mark(request)


@transaction.atomic
def disable(*, user) -> None:
    """Remove the second factor (only for those to whom it is optional: the view checks)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .models import RecoveryCode

    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    security_log.info("second factor removed by %s", user, extra={"event": "second_factor"})
