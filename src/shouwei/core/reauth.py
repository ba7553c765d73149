"""Re-authentication before sensitive actions ("sudo mode"; 等保2.0 / OWASP ASVS 3.7.1): the
Django admin, role changes (made there) and every export of non-public data ask for the
password again — and the code of the authenticator app when the person has one — unless the
person proved who they are within the last ``SHOUWEI_REAUTH_MINUTES``.

Logging in is such a proof (core.signals.on_login, as django-sudo grants it at login), and so is
the re-authentication page ``/accounts/reauth/`` (core.views.reauthenticate), which sends the
person back to where they were going. The time is the session's
``twofactor.SESSION_CONFIRMED_AT``. One decorator, ``reauth_required``, for views; the admin
wraps every view of its site with it (core.admin). API tokens are no browser sessions and are
not asked (docs/security.md).
"""

from __future__ import annotations

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .twofactor import SESSION_CONFIRMED_AT

# Wrong passwords or codes on the re-authentication page before the session is ended.
MAX_FAILURES = 5
SESSION_FAILURES = "shouwei_reauth_failures"


def now() -> float:
    """The clock the window is measured by (a test moves it)."""
    return time.time()


def is_recent(request) -> bool:
    session = getattr(request, "session", None)
    if session is None:
        return False
    at = session.get(SESSION_CONFIRMED_AT)
    return at is not None and now() - at < settings.SHOUWEI_REAUTH_MINUTES * 60


def mark(request) -> None:
    request.session[SESSION_CONFIRMED_AT] = int(now())
    request.session.pop(SESSION_FAILURES, None)


def safe_next(request, target: str | None) -> str:
    """``target`` when it is a path of this site, else the home page (no open redirect)."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


def redirect_to_reauth(request):
    """To the re-authentication page, and from there back to this page (a GET of it: a form
    posted without a recent proof is shown again, not submitted)."""
    return redirect(f"{reverse('reauthenticate')}?{urlencode({'next': request.get_full_path()})}")


def reauth_required(view):
    """The view answers only a session whose person proved who they are recently; others are
    sent to re-authenticate. Apply after the view's permission checks where it has them
    (core.admin does), so that those refused are refused, not asked for a password."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated and not is_recent(request):
            return redirect_to_reauth(request)
        return view(request, *args, **kwargs)

    return wrapped
