import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from .filters import PeerGroupFilterSet, UnitFilterSet
from .forms import LoginForm, PeerGroupForm, UnitForm
from .generic import ObjectViewSet
from .models import Notification, PeerGroup, Unit
from .navigation import MenuItem, register_menu
from .tables import PeerGroupTable, UnitTable

security_log = logging.getLogger("shouwei.security")


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def site_root(*, anonymous: Callable[[HttpRequest], HttpResponse]):
    """The view at ``/``: the platform starts at the cockpit; anonymous visitors get
    ``anonymous`` (the URL conf passes the public portal's home page, so core imports no app)."""

    def home(request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return anonymous(request)
        return redirect("indicators:cockpit")

    return home


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def bad_request(request, exception=None):
    """400. A request over Django's limits (DATA_UPLOAD_MAX_MEMORY_SIZE: the form fields
    without the files, DATA_UPLOAD_MAX_NUMBER_FIELDS) is refused before any view runs; the
    person is told what was too large instead of a bare "Bad Request"."""
    if isinstance(exception, RequestDataTooBig):
        message = _(
            "提交的内容过大：除上传文件外的表单内容超过 %(mb)s MB。"
            "请缩短正文，图片请用“插入图片”上传。"
        ) % {"mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1048576}
    elif isinstance(exception, TooManyFieldsSent):
        message = _("提交的表单项过多，请分批提交。")
    else:
        message = _("请求无效，请返回上一页重试。")
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"error": str(message)}, status=400)
    return render(request, "errors/400.html", {"message": message}, status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", {"message": str(exception or "")}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    """The 500 handler. A database that cannot be reached (restarting, down, its disk full, an
    SQLite write lock held too long) is no bug of the page: the answer is a 503 with
    Retry-After, so that a browser, an API client or the load balancer tries again, and the
    app recovers by itself when the database is back (CONN_HEALTH_CHECKS drops the dead
    connection). Rendered without the request's context processors: the menu reads the
    database, which is what just failed."""
    import sys

    from django.db import InterfaceError, OperationalError
    from django.template.loader import render_to_string

    from .faults import is_disk_full

    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        disk_full = is_disk_full(error)
        logging.getLogger("shouwei").error(
            "%s: %s", "disk full" if disk_full else "database unavailable", error
        )
        if request.path.startswith("/api/"):
            detail = _("存储空间已满，没有保存，请联系管理员") if disk_full else None
            detail = detail or _("数据库暂时不可用，请稍后重试")
            response = JsonResponse({"detail": str(detail), "errors": None}, status=503)
        else:
            page = render_to_string("errors/503.html", {"disk_full": disk_full})
            response = HttpResponse(page, status=503)
        response["Retry-After"] = "10"
        return response
    return HttpResponse(render_to_string("errors/500.html"), status=500)


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
    MenuItem(_("单位"), Unit, "ti ti-sitemap"),
    MenuItem(_("比较组"), PeerGroup, "ti ti-users-group"),
)


@require_safe
def notification_list(request):
    """The person's own notifications: nobody reads another person's bell."""
    qs = Notification.objects.filter(recipient=request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request, "core/notification_list.html", {"page": page, "unread_only": unread_only}
    )


@require_POST
def notification_open(request, pk: int):
    """Mark read and go where it points (only to this site: a stored URL is not trusted)."""
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    if note.url and url_has_allowed_host_and_scheme(
        note.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(note.url)
    return redirect("core:notification_list")


@require_POST
def notification_read_all(request):
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("core:notification_list")


@sensitive_post_parameters()
@csrf_protect
def password_change(request):
    """修改密码: one's own, with the current one; the policy's validators apply."""
    from .passwords import SESSION_MUST_CHANGE

    form = PasswordChangeForm(request.user, request.POST or None)
    for field in form.fields.values():
        field.widget.attrs["class"] = "form-control"
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        request.session.pop(SESSION_MUST_CHANGE, None)
        security_log.info("password changed by %s", request.user)
        messages.success(request, _("密码已修改"))
        return redirect("home")
    return render(
        request,
        "registration/password_change.html",
        {"form": form, "forced": bool(request.session.get(SESSION_MUST_CHANGE))},
        status=400 if form.is_bound else 200,
    )


def is_auditor(user) -> bool:
    """Who reads the security log: superusers and system administrators (等保: 审计管理员)."""
    from .choices import Role
    from .permissions import scope_for

    return user.is_authenticated and (user.is_superuser or scope_for(user).has_role(Role.ADMIN))


@require_safe
def security_log_list(request):
    """安全日志: the append-only table, newest first, by kind and user; read only."""
    from django.core.exceptions import PermissionDenied

    from .models import SecurityEvent, SecurityEventKind

    if not is_auditor(request.user):
        security_log.warning("refused security log to %s", request.user)
        raise PermissionDenied(_("只有系统管理员可以查看安全日志"))
    qs = SecurityEvent.objects.all()
    kind = request.GET.get("kind", "")
    if kind in SecurityEventKind.values:
        qs = qs.filter(kind=kind)
    username = request.GET.get("user", "").strip()[:150]
    if username:
        qs = qs.filter(username=username)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/security_log.html",
        {
            "page": page,
            "kinds": SecurityEventKind.choices,
            "kind": kind,
            "username": username,
            "retention_days": settings.SHOUWEI_SECURITY_LOG_DAYS,
        },
    )
