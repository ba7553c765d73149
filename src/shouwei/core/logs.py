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
