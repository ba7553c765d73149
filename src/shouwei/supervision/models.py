"""督查绩效 (首位机制): goals with their 路线图·时间表·任务书, progress reports, 督办单 with
sign-off, extension requests, the two ledgers that feed the evaluation (safety incidents,
清收 arrears), and the yearly performance scheme with its computed, versioned scores.

Every record is placed at units so the one write contract (core/permissions.py) answers who
reads and writes it: the supervision office (督查绩效办, role ``supervisor`` at the zone) runs
goals, notices, schemes and scores; a department reads its zone's goals and writes its own
progress reports, signs and answers the notices addressed to it, and asks for extensions of
its own milestones.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shouwei.core.choices import Role
from shouwei.core.generic import url_for
from shouwei.core.models import Unit
from shouwei.core.permissions import (
    ADD,
    APPROVE,
    CHANGE,
    DELETE,
    REJECT,
    STAFF_READERS,
    VIEW,
    Contract,
    Grant,
    ScopedQuerySet,
    manage,
)
from shouwei.indicators.models import Target

from .choices import ExtensionStatus, IncidentLevel, ItemKind, ItemRule, NoticeStatus

ISSUE = "issue"
SIGN = "sign"
ANSWER = "answer"
CLOSE = "close"
RUN = "run"

OFFICE = (Role.SUPERVISOR,)
YEAR = {"validators": [MinValueValidator(2000), MaxValueValidator(2100)]}
MONEY = {"max_digits": 14, "decimal_places": 2}
POINTS = {"max_digits": 7, "decimal_places": 2}


def office_contract(*unit_fields: str) -> Contract:
    """Run by the supervision office; read by everyone working in the zone, departments
    included (they read their zone's goals and schemes: ``read_ancestors``)."""
    return Contract(
        unit_fields=unit_fields,
        read_ancestors=True,
        actions={VIEW: Grant(STAFF_READERS), **manage(OFFICE)},
    )


def _by_field(verbose_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )


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


class Goal(models.Model):
    """A 首位目标 of a year (国家级高新区 前70, 五区两园 保二争一…), set by a meeting or a
    document."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        related_name="supervision_goals",
        help_text=_("目标所属的园区或单位，如 衡阳高新区"),
    )
    year = models.PositiveSmallIntegerField(_("年度"), **YEAR, help_text=_("目标年度，如 2022"))
    code = models.SlugField(
        _("目标编号"),
        max_length=40,
        help_text=_("同一单位同一年度内唯一，如 g01；导入文件用它指代目标"),
    )
    title = models.CharField(
        _("目标"), max_length=200, help_text=_("目标表述，如 五区两园保二争一")
    )
    source = models.CharField(
        _("来源"),
        max_length=200,
        help_text=_("提出目标的会议或文件，如 7月29日上半年经济形势分析暨下半年经济工作部署会"),
    )
    responsible_leader = models.CharField(
        _("责任领导"), max_length=50, help_text=_("牵头的区领导，如 管委会负责人")
    )
    target = models.ForeignKey(
        Target,
        verbose_name=_("对应指标目标"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervision_goals",
        help_text=_("绑定后目标灯取该指标目标的红黄绿灯；不绑定则按节点时限亮灯"),
    )
    description = models.TextField(_("说明"), blank=True, help_text=_("目标的具体内容和口径"))
    import_batch = _batch_field()

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = office_contract("unit")

    class Meta:
        ordering = ["-year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "code"], name="uniq_goal_code")
        ]
        verbose_name = _("督查目标")
        verbose_name_plural = pgettext_lazy("plural", "督查目标")

    def __str__(self) -> str:
        return f"{self.year} {self.title}"

    def get_absolute_url(self) -> str:
        return url_for(self)

    def clean(self) -> None:
        if self.target_id and self.year and self.target.year != self.year:
            raise ValidationError({"target": _("所绑定指标目标的年度须与目标年度一致")})


class TaskBook(models.Model):
    """任务书: who leads a goal, who co-operates, and the measures."""

    goal = models.OneToOneField(
        Goal,
        verbose_name=_("目标"),
        on_delete=models.CASCADE,
        related_name="task_book",
        help_text=_("任务书所属目标"),
    )
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name=_("牵头部门"),
        on_delete=models.PROTECT,
        related_name="led_task_books",
        help_text=_("对目标负总责的部门"),
    )
    co_units = models.ManyToManyField(
        Unit,
        verbose_name=_("配合部门"),
        blank=True,
        related_name="co_task_books",
        help_text=_("协同推进的部门，可多选"),
    )
    leader = models.CharField(_("分管领导"), max_length=50, help_text=_("分管该目标的领导"))
    measures = models.TextField(_("工作措施"), help_text=_("完成目标的主要措施"))
    deliverable = models.TextField(_("成果形式"), blank=True, help_text=_("最终交付的成果"))

    history = HistoricalRecords(m2m_fields=[co_units])
    objects = ScopedQuerySet.as_manager()
    contract = office_contract("goal__unit", "lead_unit")

    class Meta:
        ordering = ["goal__code"]
        verbose_name = _("任务书")
        verbose_name_plural = pgettext_lazy("plural", "任务书")

    def __str__(self) -> str:
        return gettext("%(goal)s 任务书") % {"goal": self.goal}

    def get_absolute_url(self) -> str:
        return url_for(self)


class Milestone(models.Model):
    """A node of the roadmap (路线图/时间表): a deliverable due on a date, with its weight in
    the goal."""

    goal = models.ForeignKey(
        Goal,
        verbose_name=_("目标"),
        on_delete=models.CASCADE,
        related_name="milestones",
        help_text=_("节点所属目标"),
    )
    title = models.CharField(_("节点"), max_length=200, help_text=_("如 8月实现外贸破零"))
    deliverable = models.CharField(
        _("交付成果"), max_length=200, help_text=_("到期应交付的成果，如 首单进出口报关单")
    )
    due = models.DateField(_("完成时限"), help_text=_("应在此日期（含）前完成"))
    original_due = models.DateField(
        _("原定时限"), null=True, blank=True, editable=False, help_text=_("批准延期前的时限")
    )
    weight = models.DecimalField(
        _("权重"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("节点在目标中的相对权重"),
    )
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name=_("责任部门"),
        on_delete=models.PROTECT,
        related_name="supervision_milestones",
        help_text=_("负责完成该节点的部门"),
    )
    completed_on = models.DateField(
        _("完成日期"),
        null=True,
        blank=True,
        help_text=_("实际完成的日期；报送进度 100% 时自动填写"),
    )
    import_batch = _batch_field()

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = office_contract("goal__unit", "lead_unit")

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("节点")
        verbose_name_plural = pgettext_lazy("plural", "节点")

    def __str__(self) -> str:
        return f"{self.goal.title} · {self.title}"

    def get_absolute_url(self) -> str:
        return url_for(self)

    def clean(self) -> None:
        if self.goal_id and self.due and self.due.year > self.goal.year:
            raise ValidationError(
                {
                    "due": _("节点时限 %(due)s 晚于目标年度 %(year)s 年")
                    % {"due": self.due.isoformat(), "year": self.goal.year}
                }
            )


class ProgressReport(models.Model):
    """A department's report on a milestone. A report dated before the day it is entered
    (补报) is allowed only with a reason, and is flagged."""

    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("节点"),
        on_delete=models.CASCADE,
        related_name="progress_reports",
        help_text=_("报送进展的节点"),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("报送部门"),
        on_delete=models.PROTECT,
        related_name="supervision_reports",
        help_text=_("节点的责任部门或任务书中的牵头、配合部门"),
    )
    reported_on = models.DateField(_("进展日期"), help_text=_("进展所属日期，默认当天"))
    text = models.TextField(_("进展情况"), help_text=_("本次推进情况"))
    percent = models.PositiveSmallIntegerField(
        _("完成进度（%）"),
        validators=[MaxValueValidator(100)],
        help_text=_("0—100；填 100 表示节点完成"),
    )
    backdated = models.BooleanField(
        _("补报"), default=False, editable=False, help_text=_("进展日期早于填报日期")
    )
    backdate_reason = models.TextField(
        _("补报原因"), blank=True, help_text=_("进展日期早于今天时必填")
    )
    entered_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    entered_by = _by_field(_("填报人"))

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = Contract(
        unit_fields=("unit",),
        actions={VIEW: Grant(STAFF_READERS), **manage((Role.STAFF, Role.SUPERVISOR))},
    )

    class Meta:
        ordering = ["-reported_on", "-pk"]
        verbose_name = _("督查进展")
        verbose_name_plural = pgettext_lazy("plural", "督查进展")

    def __str__(self) -> str:
        return f"{self.milestone} · {self.reported_on} · {self.percent}%"

    def get_absolute_url(self) -> str:
        return url_for(self)


class ProgressReportAttachment(models.Model):
    """A file with a progress report (the deliverable, a photo of the site, the minutes),
    checked by ``core.uploads`` (the type sniffed from the bytes, the size capped) and stored
    under a random name. Read by those who read its report."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("督查进展"),
        on_delete=models.CASCADE,
        related_name="attachments",
        help_text=_("附件所属的进展"),
    )
    file = models.FileField(_("文件"), upload_to="supervision/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=150)
    content_type = models.CharField(_("内容类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = _by_field(_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = Contract(
        unit_fields=("report__unit",),
        actions={VIEW: Grant(STAFF_READERS), ADD: Grant((Role.STAFF, Role.SUPERVISOR))},
    )

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("进展附件")
        verbose_name_plural = pgettext_lazy("plural", "进展附件")

    def __str__(self) -> str:
        return self.original_name


class SupervisionNotice(models.Model):
    """督办单: issued by the office to one department, signed for (签收), answered (答复) and
    closed (办结). Only the department it is addressed to signs and answers it."""

    number = models.CharField(
        _("文号"),
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("下发时自动编号，如 督办〔2022〕3号"),
    )
    issuer = models.CharField(
        _("发文机关"),
        max_length=100,
        help_text=_("版头和落款的机关名称，如 衡阳高新区督查绩效办公室"),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("主送部门"),
        on_delete=models.PROTECT,
        related_name="supervision_notices",
        help_text=_("督办单发往的部门"),
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("节点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notices",
        help_text=_("督办的节点（逾期节点自动生成的督办单会填写）"),
    )
    task = models.TextField(_("督办事项"), help_text=_("要求办理的事项"))
    reason = models.TextField(_("督办原因"), help_text=_("为何督办，如 节点已逾期"))
    deadline = models.DateField(_("办理时限"), help_text=_("应在此日期（含）前答复"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=NoticeStatus.choices,
        default=NoticeStatus.DRAFT,
        editable=False,
    )
    auto_drafted = models.BooleanField(
        _("自动生成"), default=False, editable=False, help_text=_("由逾期节点自动起草")
    )
    issued_at = models.DateTimeField(_("下发时间"), null=True, blank=True, editable=False)
    # The 成文日期 printed on the notice: the business date it was issued (core.clock), which
    # is the demo's date in a demo; ``issued_at`` is the audit time.
    issued_on = models.DateField(_("成文日期"), null=True, blank=True, editable=False)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True, editable=False)
    signed_by = _by_field(_("签收人"))
    answer = models.TextField(_("答复"), blank=True, editable=False)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True, editable=False)
    answered_by = _by_field(_("答复人"))
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True, editable=False)
    closing_note = models.TextField(_("办结意见"), blank=True, editable=False)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = Contract(
        unit_fields=("unit",),
        actions={
            VIEW: Grant(STAFF_READERS),
            ADD: Grant(OFFICE),
            CHANGE: Grant(OFFICE, when=Q(status=NoticeStatus.DRAFT)),
            DELETE: Grant(OFFICE, when=Q(status=NoticeStatus.DRAFT)),
            ISSUE: Grant(OFFICE, when=Q(status=NoticeStatus.DRAFT)),
            SIGN: Grant((Role.STAFF,), when=Q(status=NoticeStatus.ISSUED)),
            ANSWER: Grant((Role.STAFF,), when=Q(status=NoticeStatus.SIGNED)),
            CLOSE: Grant(OFFICE, when=Q(status=NoticeStatus.ANSWERED)),
        },
    )

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("督办单")
        verbose_name_plural = pgettext_lazy("plural", "督办单")

    def __str__(self) -> str:
        return self.number or gettext("督办单（草稿）")

    def get_absolute_url(self) -> str:
        return url_for(self)


class ExtensionRequest(models.Model):
    """延期申请: the milestone's department asks for a new date; the office approves (the
    milestone's due date moves, the original is kept) or refuses."""

    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("节点"),
        on_delete=models.CASCADE,
        related_name="extension_requests",
        help_text=_("申请延期的节点"),
    )
    new_due = models.DateField(_("申请延至"), help_text=_("希望调整到的完成时限"))
    reason = models.TextField(
        _("延期理由"), blank=True, help_text=_("超过原时限后申请的，必须说明理由")
    )
    requested_on = models.DateField(_("申请日期"), editable=False)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ExtensionStatus.choices,
        default=ExtensionStatus.PENDING,
        editable=False,
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True, editable=False)
    decided_by = _by_field(_("审批人"))
    decision_note = models.TextField(_("审批意见"), blank=True, editable=False)
    requested_by = _by_field(_("申请人"))

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = Contract(
        unit_fields=("milestone__lead_unit",),
        actions={
            VIEW: Grant(STAFF_READERS),
            # The department may amend or withdraw its request until the office decides.
            **manage((Role.STAFF,), when=Q(status=ExtensionStatus.PENDING)),
            APPROVE: Grant(OFFICE, when=Q(status=ExtensionStatus.PENDING)),
            REJECT: Grant(OFFICE, when=Q(status=ExtensionStatus.PENDING)),
        },
    )

    class Meta:
        ordering = ["-requested_on", "-pk"]
        verbose_name = _("延期申请")
        verbose_name_plural = pgettext_lazy("plural", "延期申请")

    def __str__(self) -> str:
        return gettext("%(m)s 延期至 %(d)s") % {"m": self.milestone, "d": self.new_due}

    def get_absolute_url(self) -> str:
        return url_for(self)


class SafetyIncident(models.Model):
    """安全生产事故台账. A 较大 or worse incident breaks the zone's baseline and vetoes the
    responsible unit's evaluation when the scheme says so."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="safety_incidents",
        help_text=_("负有监管责任的部门或街道"),
    )
    occurred_on = models.DateField(_("发生日期"), help_text=_("事故发生的日期"))
    level = models.CharField(
        _("事故等级"),
        max_length=20,
        choices=IncidentLevel.choices,
        help_text=_("按《生产安全事故报告和调查处理条例》分为一般、较大、重大、特别重大"),
    )
    place = models.CharField(_("地点"), max_length=200, help_text=_("事故发生地点或企业"))
    description = models.TextField(_("经过"), help_text=_("事故简要经过"))
    deaths = models.PositiveIntegerField(_("死亡人数"), default=0, help_text=_("人"))
    injuries = models.PositiveIntegerField(_("重伤人数"), default=0, help_text=_("人"))

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = Contract(
        unit_fields=("unit",), actions={VIEW: Grant(STAFF_READERS), **manage(OFFICE)}
    )

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("安全事故")
        verbose_name_plural = pgettext_lazy("plural", "安全事故")

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_level_display()} · {self.place}"

    def get_absolute_url(self) -> str:
        return url_for(self)


class Arrears(models.Model):
    """清收台账 of the 财政局: what a debtor owes, what has been collected, by when."""

    debtor = models.CharField(_("欠款单位"), max_length=200, help_text=_("欠款人或欠款单位名称"))
    amount_due = models.DecimalField(
        _("应收金额（万元）"),
        **MONEY,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("应清收的金额，万元"),
    )
    collected = models.DecimalField(
        _("已收金额（万元）"),
        **MONEY,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("已清收到账的金额，万元"),
    )
    deadline = models.DateField(_("清收时限"), help_text=_("应在此日期前收回"))
    owner_unit = models.ForeignKey(
        Unit,
        verbose_name=_("责任部门"),
        on_delete=models.PROTECT,
        related_name="arrears",
        help_text=_("负责清收的部门，如 财政局"),
    )
    owner = models.CharField(_("责任人"), max_length=50, help_text=_("具体负责清收的人"))

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = Contract(
        unit_fields=("owner_unit",),
        actions={VIEW: Grant(STAFF_READERS), **manage((Role.STAFF, Role.SUPERVISOR))},
    )

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("清收台账")
        verbose_name_plural = pgettext_lazy("plural", "清收台账")

    def __str__(self) -> str:
        return self.debtor

    def get_absolute_url(self) -> str:
        return url_for(self)

    def clean(self) -> None:
        if (
            self.collected is not None
            and self.amount_due is not None
            and self.collected > self.amount_due
        ):
            raise ValidationError({"collected": _("已收金额不能超过应收金额")})


class PerformanceScheme(models.Model):
    """The year's 绩效考评方案: items (SchemeItem) with weights and rules, edited as data."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("考评单位"),
        on_delete=models.PROTECT,
        related_name="performance_schemes",
        help_text=_("组织考评的园区，如 衡阳高新区"),
    )
    year = models.PositiveSmallIntegerField(_("年度"), **YEAR, help_text=_("考评年度"))
    name = models.CharField(_("方案名称"), max_length=100, help_text=_("如 2022年度部门绩效考评"))
    participants = models.ManyToManyField(
        Unit,
        verbose_name=_("被考评单位"),
        related_name="+",
        help_text=_("参加考评的部门和街道"),
    )
    reward_count = models.PositiveSmallIntegerField(
        _("奖优名额"), default=3, help_text=_("奖优罚劣名单中“优”的个数")
    )
    penalise_count = models.PositiveSmallIntegerField(
        _("罚劣名额"), default=1, help_text=_("奖优罚劣名单中“劣”的个数")
    )

    history = HistoricalRecords(m2m_fields=[participants])
    objects = ScopedQuerySet.as_manager()
    contract = Contract(
        unit_fields=("unit",),
        read_ancestors=True,
        actions={VIEW: Grant(STAFF_READERS), **manage(OFFICE), RUN: Grant(OFFICE)},
    )

    class Meta:
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "name"], name="uniq_scheme_name")
        ]
        verbose_name = _("绩效考评方案")
        verbose_name_plural = pgettext_lazy("plural", "绩效考评方案")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_for(self)


class SchemeItem(models.Model):
    """One line of the scheme. A score item carries a weight (the score items' weights sum to
    100); a bonus or penalty item its most points; a veto item no points at all."""

    scheme = models.ForeignKey(
        PerformanceScheme,
        verbose_name=_("方案"),
        on_delete=models.CASCADE,
        related_name="items",
        help_text=_("所属考评方案"),
    )
    kind = models.CharField(
        _("类别"),
        max_length=10,
        choices=ItemKind.choices,
        help_text=_("考核项、加分项、减分项或一票否决项"),
    )
    name = models.CharField(_("名称"), max_length=100, help_text=_("如 节点按时完成率"))
    rule = models.CharField(
        _("计分规则"), max_length=20, choices=ItemRule.choices, help_text=_("该项依据什么计分")
    )
    weight = models.DecimalField(
        _("权重/分值"),
        **POINTS,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("考核项的权重（各考核项合计 100）；加减分项的最高分值；否决项填 0"),
    )
    indicator = models.CharField(
        _("指标代码"),
        max_length=63,
        blank=True,
        help_text=_("“指标排名”规则考核的指标代码，如 gdp"),
    )
    source = models.CharField(
        _("数据来源"),
        max_length=63,
        blank=True,
        help_text=_("“其他应用提供的数据”规则的来源代码，如 enterprises.request_on_time"),
    )
    unit_points = models.DecimalField(
        _("每次分值"),
        **POINTS,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("按次计分的加减分项每次的分值，如 督办单逾期每次扣 1 分"),
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0, help_text=_("方案中的排列顺序"))

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = office_contract("scheme__unit")

    class Meta:
        ordering = ["scheme", "order", "pk"]
        verbose_name = _("考评项目")
        verbose_name_plural = pgettext_lazy("plural", "考评项目")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.name}"

    def get_absolute_url(self) -> str:
        return url_for(self)

    def clean(self) -> None:
        from . import scoring

        scoring.check_item(self)


class ScoreAdjustment(models.Model):
    """A fact the office records by hand for a bonus, penalty or veto item of rule 人工认定
    (获省真抓实干表彰 +2, a 通报批评 −1)."""

    item = models.ForeignKey(
        SchemeItem,
        verbose_name=_("考评项目"),
        on_delete=models.CASCADE,
        related_name="adjustments",
        help_text=_("人工认定的加分、减分或否决项"),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("被考评单位"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("加减分或否决的部门"),
    )
    points = models.DecimalField(
        _("分值"),
        **POINTS,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("加分或减分的分值（正数）；否决项填 0"),
    )
    reason = models.TextField(_("依据"), help_text=_("加减分或否决的事实依据，如 表彰文件"))

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = office_contract("item__scheme__unit", "unit")

    class Meta:
        ordering = ["item", "unit"]
        verbose_name = _("加减分认定")
        verbose_name_plural = pgettext_lazy("plural", "加减分认定")

    def __str__(self) -> str:
        return f"{self.item.name} · {self.unit}"

    def get_absolute_url(self) -> str:
        return url_for(self)

    def clean(self) -> None:
        if not self.item_id:
            return
        if self.item.rule != ItemRule.MANUAL:
            raise ValidationError({"item": _("只有“人工认定”规则的项目可以登记加减分")})
        if self.item.kind == ItemKind.VETO and self.points:
            raise ValidationError({"points": _("一票否决项不计分值，分值须为 0")})
        if self.item.kind == ItemKind.SCORE:
            raise ValidationError({"item": _("考核项按规则计分，不能人工加减分")})
        if self.item.kind != ItemKind.VETO and self.points > self.item.weight:
            raise ValidationError(
                {"points": _("分值不能超过该项最高分 %(max)s") % {"max": self.item.weight}}
            )


class ScoreRun(models.Model):
    """One run of a scheme: the scores as they were computed then. A re-run after corrections
    is a new version; the earlier ones stay, and ``changes`` says what moved."""

    scheme = models.ForeignKey(
        PerformanceScheme,
        verbose_name=_("方案"),
        on_delete=models.PROTECT,
        related_name="runs",
    )
    version = models.PositiveIntegerField(_("版本"))
    as_of = models.DateField(_("计分日期"), help_text=_("按该日的事实计分"))
    created_at = models.DateTimeField(_("计算时间"), auto_now_add=True)
    created_by = _by_field(_("计算人"))
    changes = models.JSONField(_("与上一版相比"), default=list, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True, help_text=_("本次重算的原因"))

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = Contract(
        unit_fields=("scheme__unit",),
        read_ancestors=True,
        actions={VIEW: Grant(STAFF_READERS), ADD: Grant(OFFICE)},
    )

    class Meta:
        ordering = ["scheme", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "version"], name="uniq_run_version")
        ]
        verbose_name = _("考评结果版本")
        verbose_name_plural = pgettext_lazy("plural", "考评结果版本")

    def __str__(self) -> str:
        return gettext("%(scheme)s 第%(v)s版") % {"scheme": self.scheme, "v": self.version}

    def get_absolute_url(self) -> str:
        return url_for(self)


class DepartmentScore(models.Model):
    """A department's score in one run, with every point's facts in ``breakdown``."""

    run = models.ForeignKey(
        ScoreRun, verbose_name=_("版本"), on_delete=models.CASCADE, related_name="scores"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("被考评单位"), on_delete=models.PROTECT, related_name="+"
    )
    base = models.DecimalField(_("考核得分"), **POINTS)
    bonus = models.DecimalField(_("加分"), **POINTS)
    penalty = models.DecimalField(_("减分"), **POINTS)
    total = models.DecimalField(_("总分"), **POINTS)
    vetoed = models.BooleanField(_("一票否决"), default=False)
    rank = models.PositiveSmallIntegerField(_("名次"))
    breakdown = models.JSONField(_("得分明细"), default=list)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = Contract(
        unit_fields=("run__scheme__unit",),
        read_ancestors=True,
        actions={VIEW: Grant(STAFF_READERS), ADD: Grant(OFFICE)},
    )

    class Meta:
        ordering = ["run", "rank", "unit__path"]
        verbose_name = _("部门得分")
        verbose_name_plural = pgettext_lazy("plural", "部门得分")

    def __str__(self) -> str:
        return f"{self.unit} · {self.total}"

    def get_absolute_url(self) -> str:
        return url_for(self)
