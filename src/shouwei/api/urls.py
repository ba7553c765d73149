from django.http import JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _

from .api import api


def unknown_endpoint(request) -> JsonResponse:
    """A mistyped API path gets JSON, like every other API error, not the HTML 404 page."""
    return JsonResponse(
        {"detail": _("没有这个接口：%(path)s") % {"path": request.path}, "errors": None},
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )


urlpatterns = [path("", api.urls), re_path(r"^.*$", unknown_endpoint)]
