"""Hooks on Django's own events (connected in CoreConfig.ready)."""

from __future__ import annotations

import logging

security_log = logging.getLogger("shouwei.security")


def on_login(sender, request, user, **kwargs) -> None:
    """Remember in the session whether this person must change their password first
    (core.middleware.PasswordChangeRequiredMiddleware reads it, with no query); count the
    login as a fresh proof of who they are (core.reauth); record the session among the
    person's, ending the oldest beyond the limit (core.user_sessions); note that the login's
    response saves the session, so the next pages need not (core.session_expiry)."""
    from . import reauth, user_sessions
    from .passwords import SESSION_MUST_CHANGE, must_change
    from .session_expiry import mark_saved

    if request is None or not hasattr(request, "session"):
        return
    if must_change(user):
        request.session[SESSION_MUST_CHANGE] = True
    reauth.mark(request)
    user_sessions.record(request=request, user=user)
    mark_saved(request.session)


def _log(kind: str, message: str, *args, user=None, username: str = "") -> None:
    extra = {"event": kind}
    if user is not None:
        extra.update(user_id=user.pk, username=user.get_username())
    elif username:
        extra["username"] = username
    security_log.info(message, *args, extra=extra)


def on_logged_in(sender, request, user, **kwargs) -> None:
    _log("login", "login of %s", user, user=user)


def on_logged_out(sender, request, user, **kwargs) -> None:
    from . import user_sessions

    # Sent before the session is flushed: its key is still the one recorded.
    if request is not None and hasattr(request, "session"):
        user_sessions.forget(session_key=request.session.session_key)
    if user is not None:
        _log("logout", "logout of %s", user, user=user)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    name = str(credentials.get("username", ""))[:150]
    _log("login_failed", "login failed for %s", name, username=name)


def on_locked_out(sender, request, username=None, ip_address=None, **kwargs) -> None:
    _log("lockout", "locked out %s from %s", username, ip_address, username=username or "")


def on_role_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if raw:
        return
    what = "granted" if created else "changed"
    _log(
        "role_change",
        "role %s %s: %s at %s",
        what,
        instance.user,
        instance.role,
        instance.unit,
        user=None,
    )


def on_role_deleted(sender, instance, **kwargs) -> None:
    _log("role_change", "role removed %s: %s at %s", instance.user, instance.role, instance.unit)


def on_history_record(sender, history_instance, **kwargs) -> None:
    """Record the path a write came by — a web form, the API, the admin — on its history row
    when the writer gave no reason of its own (core.generic.history reads it back as the
    version's source). Imports and restores give theirs; the worker has no request."""
    from .generic.history import channel_of
    from .middleware import current_request

    request = current_request()
    if history_instance.history_change_reason:
        return
    history_instance.history_change_reason = channel_of(
        request.path if request is not None else None
    )
