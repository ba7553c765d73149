from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from shouwei.portal import views as portal_views

from .filters import PeerGroupFilterSet, UnitFilterSet
from .forms import LoginForm, PeerGroupForm, UnitForm
from .generic import ObjectViewSet
from .models import PeerGroup, Unit
from .navigation import MenuItem, register_menu
from .tables import PeerGroupTable, UnitTable


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def home(request):
    # Anonymous visitors at / get the public portal; the platform starts at the cockpit.
    if not request.user.is_authenticated:
        return portal_views.home(request)
    return redirect("indicators:cockpit")


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", {"message": str(exception or "")}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)


class UnitViews(ObjectViewSet):
    model = Unit
    filterset = UnitFilterSet
    table = UnitTable
    form = UnitForm
    select_related = ("parent",)
    detail_fields = ("code", "name", "short_name", "kind", "parent", "sort_order")


class PeerGroupViews(ObjectViewSet):
    model = PeerGroup
    filterset = PeerGroupFilterSet
    table = PeerGroupTable
    form = PeerGroupForm


register_menu(
    _("基础数据"),
    "ti ti-building",
    90,
    MenuItem(_("单位"), "core:unit_list", "ti ti-sitemap"),
    MenuItem(_("比较组"), "core:peergroup_list", "ti ti-users-group"),
)
