from django.conf import settings
from django.contrib.auth.views import redirect_to_login

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
