"""A person's concurrent sessions (等保2.0 身份鉴别: 限制同一用户的并发会话数).

Each login records a ``UserSession`` row keyed to the session store's key; beyond
``SHOUWEI_MAX_SESSIONS`` (0: no limit) the person's oldest sessions are ended, each in the
security log. The person sees their sessions on ``/accounts/sessions/`` and may end any of
them. Ending a session deletes it from the session store (the project's database backend,
settings.SESSION_ENGINE), so its browser is logged out at its next request.

Rows are kept in step at login and logout (core.signals); a session whose key changed since
(a password change cycles it) or that began before this table existed is recorded again by
``UserSessionMiddleware`` on its next request, which also updates "last seen" at most once a
minute (the time is carried in the session, so other requests cost no query).
"""

from __future__ import annotations

import logging
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import UserSession

security_log = logging.getLogger("shouwei.security")

# The session's own copy of when it was last seen (a Unix time), so that only one request a
# minute writes the row.
SESSION_SEEN_AT = "shouwei_seen_at"
SEEN_EVERY_SECONDS = 60


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _extra(user) -> dict:
    return {"event": "session", "user_id": user.pk, "username": user.get_username()}


def live_keys(keys) -> set[str]:
    """Those of ``keys`` the session store still holds, unexpired."""
    keys = list(keys)
    if not keys:
        return set()
    store = _store()
    if hasattr(store, "get_model_class"):  # the database backends: one query
        return set(
            store.get_model_class()
            .objects.filter(session_key__in=keys, expire_date__gt=timezone.now())
            .values_list("session_key", flat=True)
        )
    return {key for key in keys if store().exists(key)}


def sessions_of(user) -> list[UserSession]:
    """The person's sessions that are still alive, newest first; rows of sessions that expired
    are dropped on the way."""
    rows = list(UserSession.objects.filter(user=user))
    alive = live_keys(row.session_key for row in rows)
    dead = [row.pk for row in rows if row.session_key not in alive]
    if dead:
        UserSession.objects.filter(pk__in=dead).delete()
    return [row for row in rows if row.session_key in alive]


def _describe(row: UserSession) -> str:
    started = timezone.localtime(row.started_at)
    return f"#{row.pk} started {started:%Y-%m-%d %H:%M} from {row.ip or '-'}"


def _request_origin(request) -> tuple[str, str]:
    from .middleware import client_ip

    if request is None:
        return "", ""
    return client_ip(request)[:45], request.META.get("HTTP_USER_AGENT", "")[:300]


@transaction.atomic
def record(*, request, user) -> UserSession | None:
    """Record the request's session as one of ``user``'s (at login, or when it is found
    unrecorded) and end the oldest others beyond the limit."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    if session.session_key is None:
        session.save()
    now = timezone.now()
    ip, agent = _request_origin(request)
    row, _created = UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={"user": user, "last_seen_at": now, "ip": ip, "user_agent": agent},
        create_defaults={
            "user": user,
            "started_at": now,
            "last_seen_at": now,
            "ip": ip,
            "user_agent": agent,
        },
    )
    session[SESSION_SEEN_AT] = int(now.timestamp())
    limit = settings.SHOUWEI_MAX_SESSIONS
    if limit > 0:
        others = [s for s in sessions_of(user) if s.pk != row.pk]
        # Oldest first: the ones beyond the limit, counting this new one.
        others.sort(key=lambda s: (s.started_at, s.pk))
        for old in others[: max(0, len(others) + 1 - limit)]:
            _end(old)
            security_log.info(
                "session ended for %s: over the limit of %s sessions (%s)",
                user,
                limit,
                _describe(old),
                extra=_extra(user),
            )
    return row


def _end(row: UserSession) -> None:
    _store()().delete(row.session_key)
    row.delete()


@transaction.atomic
def end(*, by, session_id: int) -> bool:
    """The person ends one of their own sessions; False when it is not theirs (or gone)."""
    row = UserSession.objects.filter(user=by, pk=session_id).first()
    if row is None:
        return False
    _end(row)
    security_log.info("session ended by %s: %s", by, _describe(row), extra=_extra(by))
    return True


@transaction.atomic
def after_password_change(*, request, user, old_key: str | None) -> int:
    """The password changed and this session's key was cycled: keep its row under the new key
    and end every other session of the person (they hold the old password's proof; Django
    would refuse them at their next request anyway, this takes them off the list)."""
    new_key = request.session.session_key
    if old_key and new_key:
        UserSession.objects.filter(session_key=old_key, user=user).update(session_key=new_key)
    rows = list(UserSession.objects.filter(user=user).exclude(session_key=new_key or ""))
    for row in rows:
        _end(row)
    if rows:
        security_log.info(
            "session ended for %s: %s other session(s) after a password change",
            user,
            len(rows),
            extra=_extra(user),
        )
    return len(rows)


def forget(*, session_key: str | None) -> None:
    """At logout: the session is gone, so is its row."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


class UserSessionMiddleware:
    """Keeps "last seen" of the request's session (once a minute at most) and records a
    logged-in session that has no row (its key cycled, or it predates the table)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if (
            session is None
            or session.session_key is None
            or user is None
            or not user.is_authenticated
        ):
            return response
        now = timezone.now()
        seen = session.get(SESSION_SEEN_AT, 0)
        if now.timestamp() - seen < SEEN_EVERY_SECONDS:
            return response
        if UserSession.objects.filter(session_key=session.session_key, user=user).update(
            last_seen_at=now
        ):
            session[SESSION_SEEN_AT] = int(now.timestamp())
        else:
            record(request=request, user=user)
        return response
