"""Log records with the request they came from: source address, user and path (``%(ip)s``,
``%(user)s``, ``%(path)s`` in settings.LOGGING's formats)."""

from __future__ import annotations

import logging


class RequestFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # Imported here: logging is configured before the apps load.
        from .middleware import client_ip, current_request

        request = current_request()
        record.ip = client_ip(request) if request is not None else "-"
        user = getattr(request, "user", None) if request is not None else None
        if user is not None and getattr(user, "is_authenticated", False):
            record.user = user.get_username()
        else:
            record.user = "-"
        record.path = request.path if request is not None else "-"
        return True


# What a shouwei.security line is about, when it does not say (extra={"event": kind}).
def _kind_of(message: str) -> str:
    text = message.lower()
    for prefix, kind in (
        ("refused", "refused"),
        ("export", "export"),
        ("portal integrity", "tampering"),
        ("password", "password"),
        ("account", "account"),
        ("api rate", "refused"),
    ):
        if text.startswith(prefix):
            return kind
    return "other"


class SecurityLogHandler(logging.Handler):
    """Every ``shouwei.security`` line also becomes a row of the security log table
    (core.models.SecurityEvent). In a request the rows are written when the response is done
    (core.middleware.RequestContextMiddleware): a refusal raised inside a transaction rolls
    that transaction back, and must not take its own record with it."""

    def emit(self, record: logging.LogRecord) -> None:
        from .middleware import client_ip, current_request

        try:
            request = current_request()
            user = getattr(request, "user", None) if request is not None else None
            if user is not None and not getattr(user, "is_authenticated", False):
                user = None
            row = {
                "kind": getattr(record, "event", None) or _kind_of(record.getMessage()),
                "user_id": getattr(record, "user_id", None) or (user.pk if user else None),
                "username": getattr(record, "username", None)
                or (user.get_username() if user else ""),
                "ip": client_ip(request) if request is not None else "",
                "path": request.path[:300] if request is not None else "",
                "message": record.getMessage()[:2000],
            }
            pending = getattr(request, "_security_events", None) if request is not None else None
            if pending is not None:
                pending.append(row)
            else:
                write_events([row])
        except Exception:  # a log line must never break the request that logs it
            self.handleError(record)


def write_events(rows: list[dict]) -> None:
    from .models import SecurityEvent

    SecurityEvent.objects.bulk_create(SecurityEvent(**row) for row in rows)
