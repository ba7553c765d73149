"""Hooks on Django's own events (connected in CoreConfig.ready)."""

from __future__ import annotations

import logging

security_log = logging.getLogger("shouwei.security")


def on_login(sender, request, user, **kwargs) -> None:
    """Remember in the session whether this person must change their password first
    (core.middleware.PasswordChangeRequiredMiddleware reads it, with no query)."""
    from .passwords import SESSION_MUST_CHANGE, must_change

    if request is not None and hasattr(request, "session") and must_change(user):
        request.session[SESSION_MUST_CHANGE] = True
