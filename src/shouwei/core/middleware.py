from django.contrib.auth.views import redirect_to_login

# Paths reachable without logging in: the login page itself, static files, the API (which
# authenticates with its own tokens) and the health check.
PUBLIC_PREFIXES = ("/accounts/login/", "/static/", "/api/", "/healthz", "/i18n/")
# Exact public paths (a prefix "/" would match everything); none yet on the platform.
PUBLIC_PATHS: tuple[str, ...] = ()


class LoginRequiredMiddleware:
    """Every platform page needs a login; no view can forget it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not request.user.is_authenticated
            and request.path not in PUBLIC_PATHS
            and not request.path.startswith(PUBLIC_PREFIXES)
        ):
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
