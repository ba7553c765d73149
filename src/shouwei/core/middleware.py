import json

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


def _json_has_nul(request) -> bool:
    """A JSON body can carry NUL as the escape \\u0000; look only when the bytes suggest it."""
    if request.content_type != "application/json" or request.method not in ("POST", "PUT", "PATCH"):
        return False
    try:
        raw = request.body
    except RequestDataTooBig:  # Django answers that itself, later
        return False
    if b"\\u0000" not in raw and b"\x00" not in raw:
        return False
    try:
        data = json.loads(raw)
    except ValueError:
        return b"\x00" in raw
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class RejectNulBytesMiddleware:
    """PostgreSQL text cannot hold NUL (0x00): a query or form value carrying one would reach
    the database and fail there as a 500. Refuse it up front, for pages and the API alike."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        values = [request.path, *request.GET.keys(), *request.GET.values()]
        if request.method == "POST" and request.content_type != "multipart/form-data":
            values += [*request.POST.keys(), *request.POST.values()]
        if any("\x00" in v for v in values) or _json_has_nul(request):
            if request.path.startswith("/api/"):
                # The API's documented answer to unusable input: 422 with its error shape.
                return JsonResponse(
                    {"detail": "请求中含有非法字符（NUL）", "errors": None}, status=422
                )
            return HttpResponseBadRequest(
                "请求中含有非法字符（NUL）".encode(), content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)
