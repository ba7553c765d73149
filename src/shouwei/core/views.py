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
from django.views.decorators.cache import never_cache
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

    def form_valid(self, form):
        """The password was right. With a second factor the person is not logged in yet: the
        code is asked first (two_factor_verify). A person who must have one and has none is
        logged in to enrol, and can open nothing else until then."""
        from . import twofactor

        user = form.get_user()
        session = self.request.session
        if twofactor.confirmed_device(user) is not None:
            session[twofactor.SESSION_PENDING_USER] = user.pk
            session[twofactor.SESSION_PENDING_BACKEND] = user.backend
            session[twofactor.SESSION_PENDING_NEXT] = self.get_success_url()
            session[twofactor.SESSION_PENDING_FAILURES] = 0
            return redirect("two_factor_verify")
        # Logging in marks the proof of who they are (core.signals.on_login).
        response = super().form_valid(form)
        if twofactor.required_for(user):
            session[twofactor.SESSION_MUST_ENROL] = True
            response = redirect("two_factor_setup")
        return response


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
            detail = (
                _("存储空间已满，没有保存，请联系管理员")
                if disk_full
                else _("数据库暂时不可用，请稍后重试")
            )
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
        from . import user_sessions

        old_key = request.session.session_key
        form.save()
        update_session_auth_hash(request, form.user)
        user_sessions.after_password_change(request=request, user=form.user, old_key=old_key)
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


def _drop_pending(session) -> None:
    from . import twofactor

    for key in (
        twofactor.SESSION_PENDING_USER,
        twofactor.SESSION_PENDING_BACKEND,
        twofactor.SESSION_PENDING_NEXT,
        twofactor.SESSION_PENDING_FAILURES,
    ):
        session.pop(key, None)


@sensitive_post_parameters()
@csrf_protect
@never_cache
def two_factor_verify(request):
    """登录第二步: the code of the authenticator app, or a recovery code."""
    from django.contrib.auth import get_user_model, login

    from . import twofactor
    from .forms import SecondFactorCodeForm

    session = request.session
    user = (
        get_user_model()
        .objects.filter(pk=session.get(twofactor.SESSION_PENDING_USER), is_active=True)
        .first()
    )
    if user is None:
        _drop_pending(session)
        return redirect("login")
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        how = twofactor.check_code(user=user, code=form.cleaned_data["code"])
        if how is not None:
            backend = session.get(twofactor.SESSION_PENDING_BACKEND)
            target = session.get(twofactor.SESSION_PENDING_NEXT) or settings.LOGIN_REDIRECT_URL
            _drop_pending(session)
            login(request, user, backend=backend)  # marks the proof (core.signals.on_login)
            if how == "recovery":
                messages.warning(
                    request, _("您用了一个恢复码登录，它已失效。请在“双因素认证”页查看剩余恢复码。")
                )
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = settings.LOGIN_REDIRECT_URL
            return redirect(target)
        failures = session.get(twofactor.SESSION_PENDING_FAILURES, 0) + 1
        session[twofactor.SESSION_PENDING_FAILURES] = failures
        if failures >= twofactor.MAX_CODE_FAILURES:
            _drop_pending(session)
            messages.error(request, _("验证码错误次数过多，请重新输入密码登录。"))
            return redirect("login")
        form.add_error("code", _("验证码不正确或已使用过，请重试。"))
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@sensitive_post_parameters()
@csrf_protect
@never_cache
def two_factor_setup(request):
    """双因素认证: enrol an authenticator app (QR code, confirmed with a first code), get new
    recovery codes, or, where it is optional, remove it."""
    from base64 import b32encode

    from . import twofactor
    from .forms import SecondFactorCodeForm

    user = request.user
    required = twofactor.required_for(user)
    device = twofactor.confirmed_device(user)
    form = SecondFactorCodeForm(request.POST or None)
    form.fields["code"].help_text = _("认证器应用当前显示的 6 位数字。")
    action = request.POST.get("action", "")
    context = {"form": form, "required": required, "device": device, "codes": None}
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip()
        if action not in ("confirm", "codes", "disable"):
            form.add_error(None, _("未知的操作。"))
        elif action == "confirm" and device is None:
            codes = twofactor.confirm_enrolment(
                user=user, device=twofactor.pending_device(user), token=code
            )
            if codes is not None:
                request.session.pop(twofactor.SESSION_MUST_ENROL, None)
                twofactor.mark_confirmed(request)
                context.update(codes=codes, device=twofactor.confirmed_device(user))
                return render(request, "registration/two_factor_setup.html", context)
            form.add_error("code", _("验证码不正确，请核对手机时间后重试。"))
        elif action in ("codes", "disable") and device is not None:
            if not (code.isdigit() and device.verify_token(code)):
                security_log.warning(
                    "second factor code refused for %s", user, extra={"event": "second_factor"}
                )
                form.add_error("code", _("验证码不正确，请重试。"))
            elif action == "codes":
                context["codes"] = twofactor.new_recovery_codes(user=user)
                security_log.info(
                    "second factor recovery codes renewed by %s",
                    user,
                    extra={"event": "second_factor"},
                )
                return render(request, "registration/two_factor_setup.html", context)
            elif required:
                form.add_error(None, _("您的角色必须使用双因素认证，不能关闭。"))
            else:
                twofactor.disable(user=user)
                messages.success(request, _("双因素认证已关闭"))
                return redirect("two_factor_setup")
        else:
            form.add_error(None, _("该操作与当前状态不符，请刷新页面。"))
    if device is None:
        pending = twofactor.pending_device(user)
        context.update(qr=twofactor.qr_svg(pending), secret=b32encode(pending.bin_key).decode())
    else:
        from .models import RecoveryCode

        context["codes_left"] = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
    context["must_enrol"] = bool(request.session.get(twofactor.SESSION_MUST_ENROL))
    return render(
        request,
        "registration/two_factor_setup.html",
        context,
        status=400 if form.is_bound else 200,
    )


@sensitive_post_parameters()
@csrf_protect
@never_cache
def reauthenticate(request):
    """重新验证身份: the password again (and the code when the person has a device) before an
    admin action or an export of non-public data (core.reauth); then back to ``next``, a path
    of this site only. Too many failures end the session."""
    from django.contrib.auth import logout

    from . import reauth, twofactor
    from .forms import ReauthForm

    user = request.user
    target = reauth.safe_next(request, request.POST.get("next") or request.GET.get("next"))
    needs_code = twofactor.confirmed_device(user) is not None
    form = ReauthForm(request.POST or None, needs_code=needs_code)
    if request.method == "POST" and form.is_valid():
        password_ok = user.check_password(form.cleaned_data["password"])
        code_ok = password_ok and (
            not needs_code
            or twofactor.check_code(user=user, code=form.cleaned_data["code"]) is not None
        )
        if code_ok:
            reauth.mark(request)
            security_log.info("re-authentication of %s", user, extra={"event": "reauth"})
            return redirect(target)
        failures = request.session.get(reauth.SESSION_FAILURES, 0) + 1
        security_log.warning(
            "re-authentication failed for %s (%s, %s of %s)",
            user,
            "password" if not password_ok else "code",
            failures,
            reauth.MAX_FAILURES,
            extra={"event": "reauth"},
        )
        if failures >= reauth.MAX_FAILURES:
            logout(request)
            messages.error(request, _("身份验证失败次数过多，已退出登录，请重新登录。"))
            return redirect("login")
        request.session[reauth.SESSION_FAILURES] = failures
        if password_ok:
            form.add_error("code", _("验证码不正确或已使用过，请重试。"))
        else:
            form.add_error("password", _("密码不正确，请重试。"))
    return render(
        request,
        "registration/reauth.html",
        {
            "form": form,
            "next": target,
            "minutes": settings.SHOUWEI_REAUTH_MINUTES,
        },
        status=400 if form.is_bound else 200,
    )


@require_safe
def session_list(request):
    """登录会话: the person's own sessions (started, last seen, address, browser), each of which
    they may end."""
    from . import user_sessions

    rows = user_sessions.sessions_of(request.user)
    return render(
        request,
        "registration/sessions.html",
        {
            "sessions": rows,
            "current_key": request.session.session_key,
            "limit": settings.SHOUWEI_MAX_SESSIONS,
        },
    )


@require_POST
def session_end(request, pk: int):
    """End one of one's own sessions: another person's, or one already gone, is a 404."""
    from django.http import Http404

    from . import user_sessions

    current = request.session.session_key
    ends_current = user_sessions.UserSession.objects.filter(
        pk=pk, user=request.user, session_key=current
    ).exists()
    if not user_sessions.end(by=request.user, session_id=pk):
        raise Http404(_("没有这个会话"))
    if ends_current:
        # This very session: its store entry is gone; log out to drop the cookie as well.
        from django.contrib.auth import logout

        logout(request)
        return redirect("login")
    messages.success(request, _("该会话已结束，其浏览器须重新登录"))
    return redirect("session_list")
