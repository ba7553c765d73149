"""The idle timeout without a session write on every page.

``SESSION_SAVE_EVERY_REQUEST`` slides the session's expiry by saving it on every request: one
UPDATE per page, which on SQLite queues every page behind the single writer. Here the session
is saved when something in it changed (as Django does anyway) or when the last save is older
than ``SHOUWEI_SESSION_SAVE_SECONDS``; each save moves the expiry to now + the idle timeout.
The timeout therefore still holds, to within that interval: a session idle for
``SESSION_COOKIE_AGE`` seconds is gone, one idle for ``SESSION_COOKIE_AGE`` minus the interval
may be gone already. The time of the last save is carried in the session itself, so deciding
costs no query; the login sets it (core.signals.on_login), so the first page after a login,
which follows the login's own save, does not write again.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware

SESSION_SAVED_AT = "shouwei_saved_at"


def _now() -> float:
    return time.time()


def mark_saved(session) -> None:
    """Record in ``session`` that it is being saved now (which also marks it modified)."""
    session[SESSION_SAVED_AT] = int(_now())


class ThrottledSessionMiddleware(SessionMiddleware):
    """Django's session middleware, saving an unchanged session at most once per
    ``SHOUWEI_SESSION_SAVE_SECONDS`` (0: on every request, like SESSION_SAVE_EVERY_REQUEST)."""

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and session.session_key is not None and response.status_code != 500:
            accessed = session.accessed
            saved_at = session.get(SESSION_SAVED_AT, 0)
            # Reading a session that is no longer in the store empties it (key None): nothing
            # to keep alive, and writing the marker would make a new session for a stranger.
            if session.session_key is not None and (
                session.modified or _now() - saved_at >= settings.SHOUWEI_SESSION_SAVE_SECONDS
            ):
                mark_saved(session)
            # Reading the marker is not the page's use of the session: no Vary: Cookie for it.
            session.accessed = accessed
        return super().process_response(request, response)
