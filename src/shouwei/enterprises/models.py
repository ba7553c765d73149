"""Enterprise service (产业生态): enterprises, their liaison cadres (驻企联络员), visits, and
requests (诉求) handled like a 12345 ticket — accepted, handled, answered, revisited, rated.

Every figure (cadres, enterprises and projects covered, coverage, on-time and satisfaction
rates) is computed from these records by ``selectors``. The one copy kept is ``RequestTally``:
the counts behind the request rates per department, category and month, which every save or
deletion of a request moves (``tallies``) and ``tallies.rebuild`` recomputes from the requests.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Func, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shouwei.core.choices import Role
from shouwei.core.generic import url_for
from shouwei.core.models import Unit
from shouwei.core.permissions import (
    ADD,
    CHANGE,
    DELETE,
    STAFF_READERS,
    VIEW,
    Contract,
    Grant,
    Placement,
    ScopedQuerySet,
    manage,
)

from . import uscc
from .choices import (
    OPEN_STATUSES,
    RATEABLE_STATUSES,
    SLA_DAYS,
    Escalation,
    RequestCategory,
    RequestChannel,
    RequestStatus,
    Scale,
    VisitKind,
)

# The request flow's actions, each a row of Request's contract.
FILE = "file"  # an enterprise's contact files a request from the enterprise portal
ACCEPT = "accept"  # the dispatcher accepts it and names the department
HANDLE = "handle"  # the department starts, answers or returns (退单) it
REVISIT = "revisit"  # a liaison cadre calls the enterprise back
RATE = "rate"  # the enterprise rates the answer

# GB/T 4754 国民经济行业分类: a section letter (A–T) or a 2–4 digit division/group/class code,
# optionally led by its section letter (C39, C3971).
industry_validator = RegexValidator(
    r"^(?:[A-T]|[A-T]?\d{2,4})$",
    _("行业代码应为 GB/T 4754 的门类字母（如 C）或 2—4 位大类/中类/小类代码（如 39、C3971）"),
)


class USCCField(models.CharField):
    """统一社会信用代码: normalised (capitals, half-width) before it is validated and stored."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", uscc.LENGTH)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return uscc.normalise(value) if isinstance(value, str) else value

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        uscc.validate_uscc(value)


def _batch_field():
    return models.ForeignKey(
        "imports.ImportBatch",
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )


def _user_field(verbose_name, help_text, *, editable=True, null=False, related_name="+"):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=null,
        blank=null,
        editable=editable,
        on_delete=models.SET_NULL if null else models.PROTECT,
        related_name=related_name,
        help_text=help_text,
    )


class Enterprise(models.Model):
    uscc = USCCField(
        _("统一社会信用代码"),
        unique=True,
        help_text=_("18 位，按 GB 32100 校验；小写字母自动转为大写"),
        error_messages={"unique": _("统一社会信用代码已存在，不能重复")},
    )
    name = models.CharField(_("企业名称"), max_length=200, help_text=_("营业执照上的全称"))
    legal_representative = models.CharField(
        _("法定代表人"), max_length=50, blank=True, help_text=_("营业执照上的法定代表人")
    )
    industry = models.CharField(
        _("行业"),
        max_length=5,
        validators=[industry_validator],
        help_text=_("GB/T 4754 国民经济行业分类代码，如 C39"),
    )
    scale = models.CharField(
        _("规模"), max_length=10, choices=Scale.choices, help_text=_("规模以上或以下工业/服务业")
    )
    is_key = models.BooleanField(
        _("重点企业"), default=False, help_text=_("列入“一对一”联点服务的重点企业")
    )
    street = models.ForeignKey(
        Unit,
        verbose_name=_("所在街道"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("属地街道（办事处），负责服务中小微企业"),
    )
    liaison_unit = models.ForeignKey(
        Unit,
        verbose_name=_("服务部门"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("受理并分派该企业诉求的部门"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True, help_text=_("经营地址"))
    contact_name = models.CharField(
        _("联系人"), max_length=50, blank=True, help_text=_("企业对接联系人姓名")
    )
    contact_phone = models.CharField(
        _("联系电话"), max_length=30, blank=True, help_text=_("联系人手机或座机")
    )
    import_batch = _batch_field()

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    # The service department keeps it; the street reads it, and a department may place an
    # enterprise at any street of its zone.
    contract = Contract(
        unit_fields=("liaison_unit", "street"),
        zone_fields=("street",),
        actions={VIEW: Grant(STAFF_READERS), **manage((Role.STAFF,))},
    )

    class Meta:
        ordering = ["name"]
        indexes = [
            # The coverage report's uncovered enterprises: no street, by name.
            models.Index(
                fields=["name"],
                condition=Q(street__isnull=True),
                name="enterprises_no_street_name",
            )
        ]
        verbose_name = _("企业")
        verbose_name_plural = pgettext_lazy("plural", "企业")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_for(self)


class EnterpriseContact(models.Model):
    """An enterprise's person on the enterprise portal: the account with this login name and
    the 企业联系人 role files and follows this enterprise's requests, and no other's.

    Keyed on the login name, not the account: the service department registers the contact
    when it lists the enterprise, before an account is issued to them."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="contacts",
        help_text=_("联系人所在企业"),
    )
    username = models.CharField(
        _("登录名"),
        max_length=150,
        unique=True,
        help_text=_("企业端账号的登录名；一人只对应一家企业"),
    )

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = Contract(
        unit_fields=("enterprise__liaison_unit",),
        actions={VIEW: Grant(STAFF_READERS), **manage((Role.STAFF,))},
    )

    class Meta:
        ordering = ["enterprise", "username"]
        verbose_name = _("企业端联系人")
        verbose_name_plural = pgettext_lazy("plural", "企业端联系人")

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.username}"

    def get_absolute_url(self) -> str:
        return url_for(self)


class LiaisonAssignment(models.Model):
    """A cadre (联点干部) serving one enterprise or one key project from a date, until a date."""

    cadre = _user_field(
        _("联点干部"), _("驻企（驻项目）联络干部"), related_name="liaison_assignments"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("派出单位"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("干部所在单位，负责安排联点"),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("联点企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
        help_text=_("服务的企业；与联点项目二选一"),
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("联点项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="liaison_assignments",
        help_text=_("服务的重点项目；与联点企业二选一"),
    )
    starts_on = models.DateField(_("开始日期"), help_text=_("联点开始日期"))
    ends_on = models.DateField(
        _("结束日期"), null=True, blank=True, help_text=_("联点结束日期；留空表示仍在联点")
    )
    import_batch = _batch_field()

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = Contract(
        unit_fields=("unit",), actions={VIEW: Grant(STAFF_READERS), **manage((Role.STAFF,))}
    )

    class Meta:
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False, project__isnull=True)
                | Q(enterprise__isnull=True, project__isnull=False),
                name="enterprises_assignment_one_target",
            )
        ]
        verbose_name = _("联点安排")
        verbose_name_plural = pgettext_lazy("plural", "联点安排")

    def __str__(self) -> str:
        return f"{self.cadre} → {self.enterprise or self.project}"

    def get_absolute_url(self) -> str:
        return url_for(self)

    def clean(self) -> None:
        if (self.enterprise_id is None) == (self.project_id is None):
            raise ValidationError(_("联点企业和联点项目须且只能填一个"))
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期")})
        if self.cadre_id is None or self.starts_on is None:
            return
        target = (
            {"enterprise_id": self.enterprise_id}
            if self.enterprise_id
            else {"project_id": self.project_id}
        )
        # Two periods overlap when each starts before the other ends (an open end never ends).
        overlapping = LiaisonAssignment.objects.filter(cadre_id=self.cadre_id, **target).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=self.starts_on)
        )
        if self.ends_on:
            overlapping = overlapping.filter(starts_on__lte=self.ends_on)
        other = overlapping.exclude(pk=self.pk).first()
        if other is not None:
            raise ValidationError(
                _("该干部已联点此%(what)s（%(start)s 至 %(end)s），时间不能重叠")
                % {
                    "what": _("企业") if self.enterprise_id else _("项目"),
                    "start": f"{other.starts_on:%Y-%m-%d}",
                    "end": f"{other.ends_on:%Y-%m-%d}" if other.ends_on else _("今"),
                }
            )

    def active_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


def _zone_of(*fields: str) -> tuple[Placement, ...]:
    return (Placement(zone=fields),)


class Visit(models.Model):
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="visits",
        help_text=_("走访的企业"),
    )
    cadre = _user_field(_("走访干部"), _("走访的联络干部"))
    visited_on = models.DateField(_("走访日期"), help_text=_("走访或联系的日期"))
    kind = models.CharField(
        _("方式"), max_length=10, choices=VisitKind.choices, help_text=_("上门、座谈、电话或线上")
    )
    findings = models.TextField(_("了解情况"), help_text=_("企业生产经营情况和反映的问题"))
    follow_ups = models.TextField(_("后续跟进"), blank=True, help_text=_("需跟进的事项"))

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    # Any cadre or clerk of the zone records a visit to any enterprise of the zone.
    contract = Contract(
        unit_fields=("enterprise__liaison_unit", "enterprise__street"),
        actions={
            VIEW: Grant(STAFF_READERS),
            **{
                action: Grant(
                    (Role.LIAISON, Role.STAFF),
                    placements=_zone_of("enterprise__liaison_unit", "enterprise__street"),
                )
                for action in (ADD, CHANGE, DELETE)
            },
        },
    )

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("走访记录")
        verbose_name_plural = pgettext_lazy("plural", "走访记录")

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.visited_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return url_for(self)


REQUEST_UNITS = ("enterprise__liaison_unit", "enterprise__street", "assigned_department")


def status_in(statuses) -> Func:
    """``status IN (...)`` (``=`` for one) with the values written into the SQL, not bound:
    SQLite uses a partial index only when the query repeats the index's condition, and it
    plans before it sees a bound value (with ``status__in`` it sorted every held request)."""
    values = [str(s) for s in statuses]
    if not all(re.fullmatch(r"[a-z_]+", v) for v in values):
        raise ValueError(f"not a status: {values}")
    listed = ", ".join(f"'{v}'" for v in values)
    template = (
        f"%(expressions)s = {listed}" if len(values) == 1 else f"%(expressions)s IN ({listed})"
    )
    return Func(F("status"), template=template, output_field=models.BooleanField())


class Request(models.Model):
    """诉求: filed by the enterprise (portal), its cadre or by phone; accepted by the service
    department, which names the department to handle it; answered within the category's time
    limit; revisited by a cadre; rated by the enterprise."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="requests",
        help_text=_("提出诉求的企业"),
    )
    category = models.CharField(
        _("类别"),
        max_length=10,
        choices=RequestCategory.choices,
        help_text=_("用地、用电、融资、用工、审批、政策等；决定办结时限"),
    )
    description = models.TextField(_("诉求内容"), help_text=_("企业反映的问题和期望"))
    channel = models.CharField(
        _("渠道"), max_length=10, choices=RequestChannel.choices, help_text=_("诉求的来源渠道")
    )
    filed_by = _user_field(_("提交人"), "", editable=False, null=True)
    filed_on = models.DateField(_("提交日期"), editable=False)
    assigned_department = models.ForeignKey(
        Unit,
        verbose_name=_("承办部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("受理时指定的承办部门"),
    )
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
        editable=False,
    )
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True, editable=False)
    due_on = models.DateField(_("办结期限"), null=True, blank=True, editable=False)
    answer = models.TextField(_("答复意见"), blank=True, editable=False)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True, editable=False)
    revisit_note = models.TextField(_("回访情况"), blank=True, editable=False)
    revisited_on = models.DateField(_("回访日期"), null=True, blank=True, editable=False)
    satisfaction = models.PositiveSmallIntegerField(
        _("满意度"),
        null=True,
        blank=True,
        editable=False,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rated_on = models.DateField(_("评价日期"), null=True, blank=True, editable=False)
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0, editable=False)
    return_reason = models.TextField(_("退单理由"), blank=True, editable=False)
    return_count = models.PositiveSmallIntegerField(_("退单次数"), default=0, editable=False)
    escalation = models.PositiveSmallIntegerField(
        _("升级"), choices=Escalation.choices, default=Escalation.NONE, editable=False
    )

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = Contract(
        unit_fields=REQUEST_UNITS,
        actions={
            VIEW: Grant(STAFF_READERS),
            # Filed for an enterprise the clerk or cadre serves: through its service
            # department or its street, naming any department of the zone.
            ADD: Grant(
                (Role.STAFF, Role.LIAISON),
                placements=(
                    Placement(
                        own=("enterprise__liaison_unit",),
                        zone=("enterprise__street", "assigned_department"),
                    ),
                    Placement(
                        own=("enterprise__street",),
                        zone=("enterprise__liaison_unit", "assigned_department"),
                    ),
                ),
            ),
            FILE: Grant((Role.ENTERPRISE,), placements=_zone_of(*REQUEST_UNITS)),
            ACCEPT: Grant(
                (Role.STAFF,),
                when=Q(status=RequestStatus.PENDING),
                placements=(
                    Placement(
                        own=("enterprise__liaison_unit",),
                        zone=("enterprise__street", "assigned_department"),
                    ),
                ),
            ),
            HANDLE: Grant(
                (Role.STAFF,),
                when=Q(status__in=OPEN_STATUSES, assigned_department__isnull=False),
                placements=(
                    Placement(
                        own=("assigned_department",),
                        zone=("enterprise__liaison_unit", "enterprise__street"),
                    ),
                ),
            ),
            REVISIT: Grant(
                (Role.LIAISON, Role.STAFF),
                when=Q(status=RequestStatus.ANSWERED),
                placements=_zone_of(*REQUEST_UNITS),
            ),
            RATE: Grant(
                (Role.ENTERPRISE,),
                when=Q(status__in=RATEABLE_STATUSES),
                placements=_zone_of(*REQUEST_UNITS),
            ),
        },
    )

    class Meta:
        ordering = ["-filed_on", "-pk"]
        indexes = [
            models.Index(fields=["assigned_department", "status", "due_on"]),
            # The desk walks these in its own order and stops at its page, reading only the
            # requests a department holds (a third of them), never sorting them all; the
            # escalation job reads the overdue ones off the first. They replace the index on
            # (status, due_on): SQLite, which keeps no statistics, chose that one for the desk
            # and sorted every held request (3.4 s at 1,000,000 requests).
            models.Index(
                fields=["due_on", "id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="enterprises_request_held_due",
            ),
            models.Index(
                fields=["assigned_department", "due_on", "id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="enterprises_request_dept_held",
            ),
            models.Index(
                fields=["-return_count", "filed_on"],
                condition=Q(status=RequestStatus.PENDING),
                name="enterprises_request_queue",
            ),
        ]
        verbose_name = _("企业诉求")
        verbose_name_plural = pgettext_lazy("plural", "企业诉求")

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_category_display()} · {self.filed_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return url_for(self)

    @property
    def sla_days(self) -> int:
        return SLA_DAYS[self.category]

    def due_from(self, day):
        return day + timedelta(days=self.sla_days)

    def days_left(self, today) -> int | None:
        """Days until the time limit (negative: overdue), while the department holds it."""
        if self.status not in OPEN_STATUSES or self.due_on is None:
            return None
        return (self.due_on - today).days

    @property
    def answered_in_time(self) -> bool | None:
        if self.answered_on is None or self.due_on is None:
            return None
        return self.answered_on <= self.due_on


# The time limit of a tally's requests that are not held by a department: never due unanswered.
NOT_HELD = date(9999, 12, 31)


class RequestTally(models.Model):
    """How many requests handled by ``department``, of ``category``, filed in ``month``,
    count towards each request rate (``selectors.RequestRates``). The requests a department
    holds unanswered are counted apart per time limit (``due_on``), since whether they are
    due depends on the day the figure is read; the rest have ``due_on`` = NOT_HELD."""

    department = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=10, choices=RequestCategory.choices)
    month = models.DateField(help_text="the first day of the month of filing")
    due_on = models.DateField()
    requests = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)  # answered_on set
    on_time = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    settled = models.PositiveIntegerField(default=0)  # answered or reopened
    reopened = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)  # open, unanswered, with a time limit

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["department", "category", "month", "due_on"],
                name="enterprises_requesttally_key",
            )
        ]
        indexes = [models.Index(fields=["month", "department"])]
        verbose_name = _("诉求统计")
        verbose_name_plural = pgettext_lazy("plural", "诉求统计")

    def __str__(self) -> str:
        return f"{self.department_id} · {self.category} · {self.month:%Y-%m}"


class RequestAttachment(models.Model):
    """A file with a request, checked by ``core.uploads`` (the type sniffed from the bytes, the
    size capped) and stored under a random name."""

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("诉求")
    )
    file = models.FileField(_("文件"), upload_to="enterprises/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=150)
    content_type = models.CharField(_("内容类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = _user_field(_("上传人"), "", editable=False, null=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = Contract(
        unit_fields=tuple(f"request__{f}" for f in REQUEST_UNITS),
        actions={
            VIEW: Grant(STAFF_READERS),
            ADD: Grant(
                (Role.STAFF, Role.LIAISON, Role.ENTERPRISE),
                placements=_zone_of(*(f"request__{f}" for f in REQUEST_UNITS)),
            ),
        },
    )

    class Meta:
        ordering = ["request", "pk"]
        verbose_name = _("诉求附件")
        verbose_name_plural = pgettext_lazy("plural", "诉求附件")

    def __str__(self) -> str:
        return self.original_name
