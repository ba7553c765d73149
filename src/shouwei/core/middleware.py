import contextvars
import json
import logging
import re

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseBadRequest, JsonResponse

# Paths reachable without logging in: the login page itself, static files, the API (which
# authenticates with its own tokens), the health check and the public portal.
PUBLIC_PREFIXES = (
    "/accounts/login/",
    "/static/",
    "/api/",
    "/healthz",
    "/i18n/",
    "/portal/",
    "/sitemap.xml",
    "/.well-known/",
)
# Exact paths: "/" is the portal's home for anonymous visitors (a prefix would match everything).
PUBLIC_PATHS = ("/",)


class LoginRequiredMiddleware:
    """Every platform page needs a login; no view can forget it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The portal-only site (SHOUWEI_SITE=portal) routes no platform page at all.
        if (
            settings.SHOUWEI_SITE != "portal"
            and not request.user.is_authenticated
            and request.path not in PUBLIC_PATHS
            and not request.path.startswith(PUBLIC_PREFIXES)
        ):
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


# NUL, which PostgreSQL text cannot hold, and UTF-16 surrogates, which no UTF-8 text can: a
# JSON string "\ud800" decodes to a lone surrogate that fails at the INSERT as a 500.
_UNUSABLE = re.compile("[\x00\ud800-\udfff]")
_JSON_SUSPECT = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])|\x00")


def unusable_text(value: str) -> bool:
    return _UNUSABLE.search(value) is not None


def _json_has_unusable(request) -> bool:
    """A JSON body can carry NUL as the escape \\u0000 and a lone surrogate as \\ud800; look
    only when the bytes suggest it."""
    if request.content_type != "application/json" or request.method not in ("POST", "PUT", "PATCH"):
        return False
    try:
        raw = request.body
    except RequestDataTooBig:  # Django answers that itself, later
        return False
    if not _JSON_SUSPECT.search(raw):
        return False
    try:
        data = json.loads(raw)
    except ValueError:
        return b"\x00" in raw
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if unusable_text(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


UNUSABLE_MESSAGE = "请求中含有非法字符（NUL 或不成对的 UTF-16 代理项）"


class RejectNulBytesMiddleware:
    """PostgreSQL text cannot hold NUL (0x00), and no UTF-8 text a lone surrogate: a query,
    form value or JSON string carrying one would reach the database and fail there as a 500.
    Refuse it up front, for pages and the API alike."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        values = [request.path, *request.GET.keys(), *request.GET.values()]
        if request.method == "POST" and request.content_type != "multipart/form-data":
            values += [*request.POST.keys(), *request.POST.values()]
        if any(unusable_text(v) for v in values) or _json_has_unusable(request):
            if request.path.startswith("/api/"):
                # The API's documented answer to unusable input: 422 with its error shape.
                return JsonResponse({"detail": UNUSABLE_MESSAGE, "errors": None}, status=422)
            return HttpResponseBadRequest(
                UNUSABLE_MESSAGE.encode(), content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)


_REQUEST = contextvars.ContextVar("shouwei_request", default=None)


def client_ip(request) -> str:
    """The visitor's address: REMOTE_ADDR, or behind the TLS proxy (SHOUWEI_TRUST_PROXY_PROTO)
    the last address of X-Forwarded-For, the one the proxy itself appended."""
    if settings.SECURE_PROXY_SSL_HEADER and (fwd := request.META.get("HTTP_X_FORWARDED_FOR")):
        return fwd.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def current_request():
    """The request this thread is serving, for log lines and the security log (None outside
    one: the worker, a command)."""
    return _REQUEST.get()


class RequestContextMiddleware:
    """Keep the request for log records: every ``shouwei.security`` line carries its time,
    source address and user (core.logs.RequestFilter)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _REQUEST.set(request)
        request._security_events = []
        try:
            return self.get_response(request)
        finally:
            _REQUEST.reset(token)
            if request._security_events:
                from django.db import DatabaseError

                from .logs import write_events

                # After the view and its transactions: a refusal that rolled back its own
                # transaction still leaves its record (core.logs.SecurityLogHandler). The
                # lines are on the console log already: a database that is down loses the
                # rows, not the answer.
                try:
                    write_events(request._security_events)
                except DatabaseError:
                    logging.getLogger("shouwei").exception("security log rows not written")


class SessionGateMiddleware:
    """Keeps a logged-in person on ``/accounts/`` while a flag the login put in their session
    is set: pages redirect to ``redirect_to``, the API answers 403 with ``api_detail``. Read
    from the session, so other requests cost no query. Subclasses name the flag."""

    ALLOWED = ("/accounts/", "/static/", "/i18n/")
    redirect_to = ""
    api_detail = ""

    def __init__(self, get_response):
        self.get_response = get_response

    def flag(self) -> str:
        raise NotImplementedError

    def __call__(self, request):
        if (
            getattr(request, "session", None) is not None
            and request.session.get(self.flag())
            and request.user.is_authenticated
            and not request.path.startswith(self.ALLOWED)
        ):
            from django.shortcuts import redirect

            if request.path.startswith("/api/"):
                return JsonResponse({"detail": self.api_detail, "errors": None}, status=403)
            return redirect(self.redirect_to)
        return self.get_response(request)


class PasswordChangeRequiredMiddleware(SessionGateMiddleware):
    """A person whose password an administrator set (or whose password is past its age) sees
    the change-password page until they change it (the flag: core.apps, user_logged_in)."""

    redirect_to = "password_change"
    api_detail = "请先修改初始密码"

    def flag(self) -> str:
        from .passwords import SESSION_MUST_CHANGE

        return SESSION_MUST_CHANGE


# Browser features no page of the platform or the portal uses: a script injected into a page
# still cannot reach the camera, the microphone or the position.
# Only features Chromium knows: an unknown one is a console error on every page.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
    "midi=(), magnetometer=(), gyroscope=(), accelerometer=(), display-capture=()"
)


class SecurityHeadersMiddleware:
    """The headers Django's SecurityMiddleware does not set: Permissions-Policy, and
    Cross-Origin-Resource-Policy for the platform (the portal's integrity manifest and files
    stay readable from other origins)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if settings.SHOUWEI_SITE != "portal" and not request.path.startswith(
            ("/portal/", "/.well-known/", "/sitemap.xml")
        ):
            response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class SecondFactorEnrolmentMiddleware(SessionGateMiddleware):
    """A person who must have a second factor and logged in without one (core.twofactor)
    reaches only ``/accounts/`` (enrolment, password, logout) until they enrol; the login view
    puts the flag in the session."""

    redirect_to = "two_factor_setup"
    api_detail = "请先设置双因素认证"

    def flag(self) -> str:
        from .twofactor import SESSION_MUST_ENROL

        return SESSION_MUST_ENROL
