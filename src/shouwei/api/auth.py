"""Who is calling: a bearer token (scripts, other systems) or the platform's own login session
(pages that fetch JSON). Both answer the user, which django-ninja puts on ``request.auth``, so
every read can start from ``visible_to(request.auth)`` exactly as the pages do, and every write
passes it to a service as ``by`` (the services record it as the author in the history).
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import BaseThrottle
from ninja.utils import check_csrf

from shouwei.core.middleware import client_ip
from shouwei.core.models import ApiToken

# Writing last_used_at on every call would turn each read into a write; a minute is precise
# enough to tell a live token from a forgotten one.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <key>``; only the key's SHA-256 is stored (ApiToken)."""

    def authenticate(self, request: HttpRequest, token: str):
        # A token that was sent but is wrong is answered as such, not passed on to the session
        # check: the caller should learn that its token, not its login, is the problem.
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(token.strip()))
            .first()
        )
        if found is None:
            raise AuthenticationError(message=_("API 令牌无效"))
        now = timezone.now()
        if found.expires_at is not None and found.expires_at <= now:
            raise AuthenticationError(message=_("API 令牌已过期，请重新申请"))
        if not found.user.is_active:
            raise AuthenticationError(message=_("API 令牌所属的账号已停用"))
        if found.read_only and request.method not in ("GET", "HEAD", "OPTIONS"):
            raise HttpError(403, _("只读令牌只能查询，不能写入"))
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return found.user


class SessionAuth(APIKeyCookie):
    """The login session, with Django's CSRF check on unsafe methods.

    The CSRF check runs only once the session is known to belong to someone: an anonymous
    POST is answered 401 (log in), not 403 (CSRF).
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None):
        if not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, _("CSRF 校验失败：通过登录会话调用时须带 X-CSRFToken 请求头"))
        return request.user


class ApiRateThrottle(BaseThrottle):
    """Calls per caller (the user behind a token or a session; the address for anonymous
    calls) and minute: SHOUWEI_API_RATE_PER_MINUTE. A script in a loop cannot take the server
    from everyone else. A fixed one-minute window counted in the shared cache (``add`` then
    ``incr``: atomic in every backend, and no state on this object, which all threads share)."""

    WINDOW = 60

    def allow_request(self, request: HttpRequest) -> bool:
        user = getattr(request, "auth", None)
        ident = f"user:{user.pk}" if getattr(user, "pk", None) else f"ip:{client_ip(request)}"
        now = time.time()
        window = int(now // self.WINDOW)
        key = f"api-rate:{ident}:{window}"
        if cache.add(key, 1, timeout=self.WINDOW + 5):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=self.WINDOW + 5)
                count = 1
        request._rate_wait = (window + 1) * self.WINDOW - now
        return count <= settings.SHOUWEI_API_RATE_PER_MINUTE

    def wait(self) -> float | None:  # ninja asks the throttle, not the request
        return None
