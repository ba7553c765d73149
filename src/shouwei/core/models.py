"""Units, peer groups, role assignments and API tokens: what every other app hangs its data on."""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .choices import NotificationLevel, Role, UnitKind
from .generic import url_for
from .permissions import (
    ADMIN_ONLY,
    VIEW,
    Contract,
    Grant,
    ScopedQuerySet,
    catalogue_contract,
    manage,
)

code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]{0,62}$", _("代码只能包含小写字母、数字和连字符，且以字母或数字开头")
)


class Unit(models.Model):
    """A unit data belongs to: province, city, district, zone, department, street…

    `path` is the materialised chain of codes (`/hn/hy/hy-gxq/`) so that "this unit and
    everything below it" is one indexed prefix match, whatever the depth.
    """

    code = models.CharField(
        _("代码"),
        max_length=63,
        unique=True,
        validators=[code_validator],
        help_text=_("唯一代码，如 hy-gxq；导入文件用它指代单位"),
    )
    name = models.CharField(_("名称"), max_length=100, help_text=_("全称，如 衡阳高新区"))
    short_name = models.CharField(
        _("简称"), max_length=50, blank=True, help_text=_("图表和排名表里显示的短名称")
    )
    kind = models.CharField(
        _("类型"), max_length=20, choices=UnitKind.choices, help_text=_("单位的层级或性质")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("留空表示顶级单位"),
    )
    path = models.CharField(_("路径"), max_length=500, editable=False, db_index=True)
    sort_order = models.IntegerField(_("排序"), default=0, help_text=_("同级单位中的显示顺序"))

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = Contract(
        unit_fields=("",), public=True, actions={VIEW: Grant(ADMIN_ONLY), **manage(ADMIN_ONLY)}
    )

    class Meta:
        ordering = ["path"]
        verbose_name = _("单位")
        verbose_name_plural = pgettext_lazy("plural", "单位")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return url_for(self)

    def compute_path(self) -> str:
        return f"{self.parent.path if self.parent else '/'}{self.code}/"

    def clean(self) -> None:
        if self.parent_id and self.pk:
            node = self.parent
            while node is not None:
                if node.pk == self.pk:
                    raise ValidationError({"parent": _("上级单位不能是自身或其下级单位")})
                node = node.parent

    def save(self, *args, **kwargs):
        old_path = self.path
        self.path = self.compute_path()
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # Moving a unit moves its subtree: rewrite the descendants' path prefixes.
            for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                child.path = self.path + child.path[len(old_path) :]
                Unit.objects.filter(pk=child.pk).update(path=child.path)

    def ancestor_codes(self) -> list[str]:
        return [c for c in self.path.strip("/").split("/") if c][:-1]


class PeerGroup(models.Model):
    """Units compared with each other in a year: 五区两园, B类单位, a province's high-tech zones."""

    code = models.CharField(
        _("代码"),
        max_length=63,
        unique=True,
        validators=[code_validator],
        help_text=_("唯一代码，如 hy-5d2p"),
    )
    name = models.CharField(_("名称"), max_length=100, help_text=_("如 五区两园"))
    description = models.TextField(_("说明"), blank=True, help_text=_("比较口径、来源文件等"))

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = catalogue_contract()

    class Meta:
        ordering = ["code"]
        verbose_name = _("比较组")
        verbose_name_plural = pgettext_lazy("plural", "比较组")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_for(self)

    def units_in(self, year: int):
        return Unit.objects.filter(peer_memberships__group=self, peer_memberships__year=year)


class PeerGroupMembership(models.Model):
    group = models.ForeignKey(
        PeerGroup, verbose_name=_("比较组"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="peer_memberships"
    )
    year = models.PositiveSmallIntegerField(_("年度"), help_text=_("成员关系按年度设定"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "year", "unit__sort_order", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["group", "unit", "year"], name="uniq_group_unit_year")
        ]
        verbose_name = _("比较组成员")
        verbose_name_plural = pgettext_lazy("plural", "比较组成员")

    def __str__(self) -> str:
        return f"{self.group} {self.year} {self.unit}"


class RoleAssignment(models.Model):
    """A user holds a role at a unit, and so over everything below that unit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="uniq_user_unit_role")
        ]
        verbose_name = _("角色分配")
        verbose_name_plural = pgettext_lazy("plural", "角色分配")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the key is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("名称"), max_length=100, help_text=_("用途说明，如 统计局对接"))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    read_only = models.BooleanField(
        _("只读"), default=False, help_text=_("只读令牌只能查询（GET），不能新增、修改或审核")
    )

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = pgettext_lazy("plural", "API 令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(
        cls, *, user, name: str, days: int | None = None, read_only: bool = False
    ) -> tuple["ApiToken", str]:
        """A new token, valid ``days`` (default SHOUWEI_API_TOKEN_DAYS; never longer than
        SHOUWEI_API_TOKEN_MAX_DAYS): no token lives for ever."""
        from datetime import timedelta

        from django.utils import timezone

        days = min(days or settings.SHOUWEI_API_TOKEN_DAYS, settings.SHOUWEI_API_TOKEN_MAX_DAYS)
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            key_hash=cls.hash_key(key),
            prefix=key[:8],
            expires_at=timezone.now() + timedelta(days=days),
            read_only=read_only,
        )
        return token, key


class Notification(models.Model):
    """An in-app message to one person: an overdue problem escalated to them, a tampered portal
    page. Apps create them through ``shouwei.core.alerts``; ``key`` names the event so that a
    job running every few minutes does not repeat an alert the person has not read yet."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    level = models.CharField(
        _("级别"),
        max_length=10,
        choices=NotificationLevel.choices,
        default=NotificationLevel.WARNING,
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    key = models.CharField(_("事件标识"), max_length=200, blank=True, db_index=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = _("站内通知")
        verbose_name_plural = pgettext_lazy("plural", "站内通知")

    def __str__(self) -> str:
        return self.title


class ScheduledJob(models.Model):
    """When a periodic job (``shouwei.core.schedule``) runs next. One row per job, shared by all
    worker processes: a process claims a run by moving ``next_run_at`` forward in one UPDATE, so
    two workers never enqueue the same run."""

    name = models.CharField(_("任务"), max_length=100, unique=True)
    next_run_at = models.DateTimeField(_("下次运行"))
    last_enqueued_at = models.DateTimeField(_("上次排队"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("上次完成"), null=True, blank=True)
    last_error = models.TextField(_("上次错误"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("定时任务")
        verbose_name_plural = pgettext_lazy("plural", "定时任务")

    def __str__(self) -> str:
        return self.name


class DemoClock(models.Model):
    """The date a demo runs "as of" (``shouwei.core.clock``). At most one row, written only by
    ``shouwei demo`` / ``shouwei loaddemo``; without it business "today" is the real date. In the
    database, not in a process or a data directory, so that the server, the worker and every
    app server behind a load balancer agree on it (docs/decisions/0007-demo-clock.md)."""

    as_of = models.DateField(_("演示日期"))
    set_at = models.DateTimeField(_("设置时间"), auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="core_democlock_one")]
        verbose_name = _("演示日期")
        verbose_name_plural = pgettext_lazy("plural", "演示日期")

    def __str__(self) -> str:
        return f"{self.as_of:%Y-%m-%d}"


class AccountSecurity(models.Model):
    """A person's password state: whether they must change it before anything else (an
    initial password someone else set, or one past its age), and when they last changed it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="account_security",
    )
    must_change_password = models.BooleanField(
        _("须修改密码"), default=False, help_text=_("初始密码或管理员重置的密码：登录后须先修改")
    )
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("账号安全")
        verbose_name_plural = pgettext_lazy("plural", "账号安全")

    def __str__(self) -> str:
        return str(self.user)


class PasswordHistory(models.Model):
    """The hashes of a person's recent passwords: a new one may not repeat them
    (core.passwords.NotReusedValidator)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("历史密码")
        verbose_name_plural = pgettext_lazy("plural", "历史密码")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKOUT = "lockout", _("账号锁定")
    LOGOUT = "logout", _("退出")
    REFUSED = "refused", _("越权被拒")
    EXPORT = "export", _("导出")
    APPROVAL = "approval", _("审核通过")
    PUBLICATION = "publication", _("发布")
    ROLE_CHANGE = "role_change", _("角色变更")
    PASSWORD = "password", _("密码")
    ACCOUNT = "account", _("账号")
    TAMPERING = "tampering", _("篡改告警")
    SECOND_FACTOR = "second_factor", _("双因素认证")
    SESSION = "session", _("会话")
    REAUTH = "reauth", _("重新验证")
    RESTORE = "restore", _("恢复历史版本")
    OTHER = "other", _("其他")


class SecurityEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("安全日志只能追加，不能修改")

    def delete(self):
        raise PermissionError("安全日志只能追加；过期记录由保留期任务清理（purge_expired）")

    def purge_expired(self, *, days: int) -> int:
        """The one deletion there is: records older than the retention period."""
        from datetime import timedelta

        from django.utils import timezone

        cutoff = timezone.now() - timedelta(days=days)
        return models.QuerySet.delete(self.filter(at__lt=cutoff))[0]


class SecurityEvent(models.Model):
    """The append-only security log (等保2.0 安全审计): who did what, when, from where. Rows
    are only ever added (save of an existing row, update and delete refuse), written from the
    ``shouwei.security`` log lines (core.logs.SecurityLogHandler)."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    kind = models.CharField(
        _("类别"), max_length=20, choices=SecurityEventKind.choices, db_index=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    ip = models.CharField(_("来源地址"), max_length=45, blank=True)
    path = models.CharField(_("地址"), max_length=300, blank=True)
    message = models.TextField(_("内容"))

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("安全日志")
        verbose_name_plural = pgettext_lazy("plural", "安全日志")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.username}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("安全日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("安全日志只能追加，不能删除")


class RecoveryCode(models.Model):
    """A one-time recovery code of the second factor (core.twofactor): shown once at
    enrolment, kept only as its SHA-256 (a code is 50 random bits: no slow hash needed),
    spent when used."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(_("摘要"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("恢复码")
        verbose_name_plural = _("恢复码")

    def __str__(self) -> str:
        return f"{self.user} #{self.pk}"


class UserSession(models.Model):
    """One logged-in session of a person (core.user_sessions): when and from where it began,
    when it was last used. Keyed to the session store's key, which never leaves the server
    (the pages name a session by this row's id). Written at login, removed at logout or when
    the session is ended (over SHOUWEI_MAX_SESSIONS, or by its owner)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="login_sessions",
    )
    session_key = models.CharField(_("会话键"), max_length=40, unique=True)
    started_at = models.DateTimeField(_("登录时间"))
    last_seen_at = models.DateTimeField(_("最近活动"))
    ip = models.CharField(_("来源地址"), max_length=45, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["user", "started_at"])]
        verbose_name = _("登录会话")
        verbose_name_plural = pgettext_lazy("plural", "登录会话")

    def __str__(self) -> str:
        return f"{self.user} {self.started_at:%Y-%m-%d %H:%M}"


class DataVersion(models.Model):
    """One row: a token replaced after every committed write to the figures and what the
    cockpit shows of them (core.data_version). Pages cached per person carry it in their key,
    so a write makes them unreachable in every process that reads this database."""

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("数据版本")
        verbose_name_plural = pgettext_lazy("plural", "数据版本")

    def __str__(self) -> str:
        return self.token
