"""Investment attraction (招商引资): leads from 线索 to 投产, their admission review, the signed
contract and its fulfilment, and where leads come from (events, resident offices, agencies).

Every figure the zone reports about investment attraction — signed projects, their amount,
signings at events, 三类500强, intended projects, funds in place, 履约率 — is computed from
these records by ``selectors``; none is stored.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shouwei.core.choices import Role
from shouwei.core.generic import url_for
from shouwei.core.models import Unit
from shouwei.core.permissions import STAFF_READERS, VIEW, Grant, ScopedQuerySet, manage
from shouwei.core.permissions import Contract as WriteContract

from .choices import STAGE_DATE_FIELDS, Decision, FortuneClass, LeadChannel, LeadStage

# GB/T 4754 国民经济行业分类: a section letter (A–T) or a division/group/class code of 2–4
# digits, optionally led by its section letter (C39, 3971).
industry_validator = RegexValidator(
    r"^(?:[A-T]|[A-T]?\d{2,4})$",
    _("行业代码应为 GB/T 4754 的门类字母（如 C）或 2—4 位大类/中类/小类代码（如 39、C3971）"),
)
WAN = {"max_digits": 14, "decimal_places": 2}
non_negative = MinValueValidator(Decimal(0), _("不能为负数"))


def department_contract(unit_field: str = "owner_unit") -> WriteContract:
    """Investment attraction records: the owning department (经济合作局) keeps them; the zone's
    leaders, supervision office, statisticians and liaison cadres read them."""
    return WriteContract(
        unit_fields=(unit_field,), actions={VIEW: Grant(STAFF_READERS), **manage((Role.STAFF,))}
    )


def _owner_unit(related_name: str):
    return models.ForeignKey(
        Unit,
        verbose_name=_("所属部门"),
        on_delete=models.PROTECT,
        related_name=related_name,
        help_text=_("负责招商的部门，如 经济合作局"),
    )


class IndustryChain(models.Model):
    """An industry chain the zone defines (电子信息: 材料→元器件→模组→整机→应用)."""

    name = models.CharField(
        _("产业链"),
        max_length=100,
        help_text=_("如 电子信息"),
        unique=True,
        error_messages={"unique": _("产业链已存在")},
    )
    description = models.TextField(_("说明"), blank=True, help_text=_("该产业链的发展方向"))
    owner_unit = _owner_unit("industry_chains")

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = department_contract()

    class Meta:
        ordering = ["name"]
        verbose_name = _("产业链")
        verbose_name_plural = pgettext_lazy("plural", "产业链")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_for(self)


class ChainLink(models.Model):
    chain = models.ForeignKey(
        IndustryChain,
        verbose_name=_("产业链"),
        on_delete=models.CASCADE,
        related_name="links",
        help_text=_("环节所属的产业链"),
    )
    name = models.CharField(_("环节"), max_length=100, help_text=_("如 元器件"))
    position = models.PositiveSmallIntegerField(
        _("顺序"), default=1, help_text=_("从上游到下游的顺序，1 为最上游")
    )
    target_investors = models.TextField(
        _("目标企业"), blank=True, help_text=_("该环节要引进的目标企业，每行一家")
    )

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = department_contract("chain__owner_unit")

    class Meta:
        ordering = ["chain__name", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "name"], name="uniq_chainlink_chain_name")
        ]
        verbose_name = _("产业链环节")
        verbose_name_plural = pgettext_lazy("plural", "产业链环节")

    def __str__(self) -> str:
        return f"{self.chain.name}·{self.name}"

    def get_absolute_url(self) -> str:
        return url_for(self)


class FortuneListEntry(models.Model):
    """One company of a 三类500强 list of one year (世界500强 / 中国500强 / 中国民营500强)."""

    year = models.PositiveSmallIntegerField(
        _("年度"),
        validators=[MinValueValidator(1990), MaxValueValidator(2200)],
        help_text=_("榜单年度，如 2022"),
    )
    list_class = models.CharField(
        _("榜单"), max_length=10, choices=FortuneClass.choices, help_text=_("三类500强之一")
    )
    company = models.CharField(_("企业名称"), max_length=200, help_text=_("上榜企业全称"))
    rank = models.PositiveSmallIntegerField(
        _("名次"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(500)],
        help_text=_("榜单名次，1—500；不清楚可留空"),
    )
    owner_unit = _owner_unit("fortune_entries")

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = department_contract()

    class Meta:
        ordering = ["-year", "list_class", "rank", "company"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "list_class", "company"], name="uniq_fortune_year_class_company"
            )
        ]
        verbose_name = _("500强榜单")
        verbose_name_plural = pgettext_lazy("plural", "500强榜单")

    def __str__(self) -> str:
        return f"{self.year} {self.get_list_class_display()} · {self.company}"

    def get_absolute_url(self) -> str:
        return url_for(self)


class Event(models.Model):
    """招商活动: a major event at which projects are signed."""

    name = models.CharField(
        _("活动名称"), max_length=200, help_text=_("如 2022 湘南湘西承接产业转移推介会")
    )
    held_on = models.DateField(_("举办日期"), help_text=_("活动举办的日期"))
    place = models.CharField(_("举办地点"), max_length=200, help_text=_("城市和场馆"))
    description = models.TextField(_("说明"), blank=True, help_text=_("活动内容"))
    owner_unit = _owner_unit("investment_events")

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = department_contract()

    class Meta:
        ordering = ["-held_on", "name"]
        verbose_name = _("招商活动")
        verbose_name_plural = pgettext_lazy("plural", "招商活动")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_for(self)


class Office(models.Model):
    """驻地招商办事处 (the 粤港澳大湾区招商办事处 in 深圳)."""

    name = models.CharField(
        _("办事处名称"), max_length=200, help_text=_("如 粤港澳大湾区招商办事处")
    )
    city = models.CharField(_("所在城市"), max_length=50, help_text=_("如 深圳"))
    established_on = models.DateField(_("设立日期"), help_text=_("办事处设立的日期"))
    address = models.CharField(_("地址"), max_length=200, blank=True, help_text=_("办公地址"))
    owner_unit = _owner_unit("investment_offices")

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = department_contract()

    class Meta:
        ordering = ["name"]
        verbose_name = _("驻地招商办事处")
        verbose_name_plural = pgettext_lazy("plural", "驻地招商办事处")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_for(self)


class Agency(models.Model):
    """第三方招商机构, paid a fee per project it lands."""

    name = models.CharField(_("机构名称"), max_length=200, help_text=_("招商机构全称"))
    contract_signed_on = models.DateField(
        _("合作协议签订日期"), null=True, blank=True, help_text=_("尚未正式合作可留空")
    )
    contract_ends_on = models.DateField(
        _("协议到期日期"), null=True, blank=True, help_text=_("合作协议的到期日期")
    )
    fee_per_project = models.DecimalField(
        _("每落地项目服务费（万元）"),
        **WAN,
        null=True,
        blank=True,
        validators=[non_negative],
        help_text=_("每个签约落地项目支付的服务费，万元"),
    )
    owner_unit = _owner_unit("investment_agencies")

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = department_contract()

    class Meta:
        ordering = ["name"]
        verbose_name = _("第三方招商机构")
        verbose_name_plural = pgettext_lazy("plural", "第三方招商机构")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_for(self)

    def clean(self) -> None:
        if (
            self.contract_signed_on
            and self.contract_ends_on
            and self.contract_ends_on < self.contract_signed_on
        ):
            raise ValidationError({"contract_ends_on": _("协议到期日期不能早于签订日期")})


def _date(label, help_text):
    return models.DateField(label, null=True, blank=True, help_text=help_text)


class Lead(models.Model):
    """A project being attracted, from the first 线索 to 投产 (or lost on the way)."""

    project_name = models.CharField(_("项目名称"), max_length=200, help_text=_("项目全称"))
    short_name = models.CharField(
        _("简称"), max_length=100, blank=True, help_text=_("报告中用的简称，如 虎牙直播")
    )
    investor = models.CharField(_("投资方"), max_length=200, help_text=_("投资企业全称"))
    investor_hq = models.CharField(
        _("投资方总部所在地"), max_length=100, blank=True, help_text=_("如 广东深圳")
    )
    channel = models.CharField(
        _("招商渠道"), max_length=20, choices=LeadChannel.choices, help_text=_("线索从哪条渠道来")
    )
    industry = models.CharField(
        _("行业"),
        max_length=5,
        validators=[industry_validator],
        help_text=_("GB/T 4754 国民经济行业分类代码，如 C39"),
    )
    chain_link = models.ForeignKey(
        ChainLink,
        verbose_name=_("产业链环节"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
        help_text=_("项目补的产业链环节"),
    )
    planned_investment = models.DecimalField(
        _("计划投资（万元）"), **WAN, validators=[non_negative], help_text=_("计划总投资，万元")
    )
    land_mu = models.DecimalField(
        _("用地（亩）"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[non_negative],
        help_text=_("申请用地面积，亩；不用地留空"),
    )
    expected_output = models.DecimalField(
        _("预计年产值（万元）"),
        **WAN,
        null=True,
        blank=True,
        validators=[non_negative],
        help_text=_("达产后的年产值，万元"),
    )
    expected_tax = models.DecimalField(
        _("预计年税收（万元）"),
        **WAN,
        null=True,
        blank=True,
        validators=[non_negative],
        help_text=_("达产后的年税收，万元"),
    )
    fortune_entry = models.ForeignKey(
        FortuneListEntry,
        verbose_name=_("500强榜单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
        help_text=_("投资方（或其母公司）所在的三类500强榜单；不是500强留空"),
    )
    source_event = models.ForeignKey(
        Event,
        verbose_name=_("来源活动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
        help_text=_("在哪个招商活动签约或对接"),
    )
    source_office = models.ForeignKey(
        Office,
        verbose_name=_("来源办事处"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
        help_text=_("哪个驻地办事处引来的"),
    )
    source_agency = models.ForeignKey(
        Agency,
        verbose_name=_("来源机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
        help_text=_("哪个第三方招商机构引来的"),
    )
    owner_cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("跟进干部"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("负责跟进该线索的干部"),
    )
    owner_unit = _owner_unit("investment_leads")
    stage = models.CharField(
        _("阶段"),
        max_length=20,
        choices=LeadStage.choices,
        default=LeadStage.LEAD,
        help_text=_("在招商看板上移动；后退须说明原因"),
    )
    lead_on = models.DateField(_("线索日期"), help_text=_("获得线索的日期"))
    contact_on = _date(_("接洽日期"), _("首次接洽的日期"))
    intent_on = _date(_("意向日期"), _("达成投资意向的日期"))
    negotiation_on = _date(_("洽谈日期"), _("进入实质洽谈的日期"))
    signed_on = _date(_("签约日期"), _("签订投资合同的日期"))
    registered_on = _date(_("注册日期"), _("项目公司注册的日期"))
    started_on = _date(_("开工日期"), _("项目开工的日期"))
    producing_on = _date(_("投产日期"), _("项目投产的日期"))
    lost = models.BooleanField(_("已流失"), default=False, help_text=_("线索已放弃或流失"))
    lost_on = _date(_("流失日期"), _("确认流失的日期"))
    lost_reason = models.TextField(_("流失原因"), blank=True, help_text=_("流失时必填"))
    # The key project (projects app) the signed lead became; read through the projects'
    # public service, never joined here.
    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("重点项目"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="investment_lead",
        help_text=_("签约后转入的重点项目"),
    )
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = department_contract()

    class Meta:
        ordering = ["-lead_on", "project_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["investor", "project_name"], name="uniq_lead_investor_project"
            )
        ]
        indexes = [models.Index(fields=["owner_unit", "stage"], name="lead_unit_stage_idx")]
        verbose_name = _("招商线索")
        verbose_name_plural = pgettext_lazy("plural", "招商线索")

    def __str__(self) -> str:
        return self.project_name

    def get_absolute_url(self) -> str:
        return url_for(self)

    @property
    def display_name(self) -> str:
        return self.short_name or self.project_name

    @property
    def fortune_class(self) -> str:
        return self.fortune_entry.list_class if self.fortune_entry_id else ""

    def stage_date(self, stage: str):
        return getattr(self, STAGE_DATE_FIELDS[stage])

    def clean(self) -> None:
        errors = {}
        if self.lost and not self.lost_reason.strip():
            errors["lost_reason"] = _("线索流失时须填写流失原因")
        needs = {
            LeadChannel.EVENT: ("source_event", _("重大活动签约渠道须选择来源活动")),
            LeadChannel.RESIDENT: ("source_office", _("驻地招商渠道须选择来源办事处")),
            LeadChannel.AGENCY: ("source_agency", _("第三方招商机构渠道须选择来源机构")),
        }
        if self.channel in needs:
            field, message = needs[self.channel]
            if getattr(self, f"{field}_id") is None:
                errors[field] = message
        if errors:
            raise ValidationError(errors)


class LeadStep(models.Model):
    """One move of a lead on the board: the lead's timeline."""

    lead = models.ForeignKey(
        Lead,
        verbose_name=_("线索"),
        on_delete=models.CASCADE,
        related_name="steps",
        help_text=_("移动的线索"),
    )
    from_stage = models.CharField(
        _("原阶段"),
        max_length=20,
        choices=LeadStage.choices,
        blank=True,
        help_text=_("移动前的阶段；新建线索为空"),
    )
    to_stage = models.CharField(
        _("新阶段"), max_length=20, choices=LeadStage.choices, help_text=_("移动后的阶段")
    )
    on = models.DateField(_("日期"), help_text=_("到达新阶段的日期"))
    reason = models.TextField(_("原因"), blank=True, help_text=_("后退时必填"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = department_contract("lead__owner_unit")

    class Meta:
        ordering = ["lead", "on", "pk"]
        verbose_name = _("阶段变更")
        verbose_name_plural = pgettext_lazy("plural", "阶段变更")

    def __str__(self) -> str:
        return f"{self.lead} · {self.get_to_stage_display()}"

    @property
    def backwards(self) -> bool:
        return bool(self.from_stage) and LeadStage.order(self.to_stage) < LeadStage.order(
            self.from_stage
        )


class AdmissionThreshold(models.Model):
    """The zone's admission thresholds (准入标准), by year."""

    year = models.PositiveSmallIntegerField(
        _("年度"),
        validators=[MinValueValidator(1990), MaxValueValidator(2200)],
        help_text=_("标准适用的年度"),
    )
    min_intensity = models.DecimalField(
        _("投资强度下限（万元/亩）"),
        max_digits=10,
        decimal_places=2,
        validators=[non_negative],
        help_text=_("计划投资 ÷ 用地，不低于此值为达标"),
    )
    min_tax_per_mu = models.DecimalField(
        _("亩均税收下限（万元/亩）"),
        max_digits=10,
        decimal_places=2,
        validators=[non_negative],
        help_text=_("预计年税收 ÷ 用地，不低于此值为达标"),
    )
    max_energy = models.DecimalField(
        _("年综合能耗上限（吨标准煤）"),
        max_digits=12,
        decimal_places=2,
        validators=[non_negative],
        help_text=_("不高于此值为达标"),
    )
    owner_unit = _owner_unit("admission_thresholds")

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = department_contract()

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["owner_unit", "year"], name="uniq_threshold_year")
        ]
        verbose_name = _("准入标准")
        verbose_name_plural = pgettext_lazy("plural", "准入标准")

    def __str__(self) -> str:
        return f"{self.year} · {self.owner_unit}"

    def get_absolute_url(self) -> str:
        return url_for(self)


class AdmissionReview(models.Model):
    """准入评审 before signing: the lead's figures against the zone's thresholds."""

    lead = models.ForeignKey(
        Lead,
        verbose_name=_("线索"),
        on_delete=models.CASCADE,
        related_name="reviews",
        help_text=_("评审的线索"),
    )
    reviewed_on = models.DateField(_("评审日期"), help_text=_("评审会的日期"))
    # The figures as they were at the review (the lead may change afterwards).
    intensity = models.DecimalField(
        _("投资强度（万元/亩）"), max_digits=12, decimal_places=2, null=True, editable=False
    )
    tax_per_mu = models.DecimalField(
        _("亩均税收（万元/亩）"), max_digits=12, decimal_places=2, null=True, editable=False
    )
    energy_use = models.DecimalField(
        _("年综合能耗（吨标准煤）"),
        max_digits=12,
        decimal_places=2,
        validators=[non_negative],
        help_text=_("达产后的年综合能耗"),
    )
    industry_fit = models.BooleanField(
        _("符合产业定位"), default=False, help_text=_("项目是否符合园区产业定位")
    )
    meets_thresholds = models.BooleanField(_("达到准入标准"), default=False, editable=False)
    decision = models.CharField(
        _("评审结论"), max_length=10, choices=Decision.choices, help_text=_("评审会的结论")
    )
    members = models.TextField(_("评审成员"), help_text=_("参加评审的人员，每行一人"))
    override_reason = models.TextField(
        _("破格通过理由"),
        blank=True,
        help_text=_("未达准入标准仍通过时必填（如 重大战略项目，经党工委会议研究）"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = department_contract("lead__owner_unit")

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        verbose_name = _("准入评审")
        verbose_name_plural = pgettext_lazy("plural", "准入评审")

    def __str__(self) -> str:
        return f"{self.lead} · {self.reviewed_on}"

    def get_absolute_url(self) -> str:
        return url_for(self)

    @property
    def passed(self) -> bool:
        return self.decision == Decision.PASSED


class Contract(models.Model):
    """The signed investment contract and its fulfilment milestones (履约)."""

    lead = models.OneToOneField(
        Lead,
        verbose_name=_("线索"),
        on_delete=models.PROTECT,
        related_name="contract_record",
        help_text=_("签约的线索"),
    )
    signed_amount = models.DecimalField(
        _("签约金额（万元）"), **WAN, validators=[non_negative], help_text=_("合同约定投资额，万元")
    )
    signed_on = models.DateField(_("签约日期"), help_text=_("合同签订日期，不能晚于今天"))
    terms = models.TextField(_("主要条款"), blank=True, help_text=_("投资强度、税收、用地等约定"))
    registration_planned = _date(_("计划注册日期"), _("合同约定的注册日期"))
    registration_actual = _date(_("实际注册日期"), _("项目公司实际注册的日期"))
    funds_due_on = _date(_("资金到位期限"), _("合同约定资金全部到位的日期"))
    funds_in_place = models.DecimalField(
        _("实际到位资金（万元）"),
        **WAN,
        default=Decimal(0),
        validators=[non_negative],
        help_text=_("累计实际到位资金，万元"),
    )
    funds_note = models.TextField(
        _("到位资金说明"), blank=True, help_text=_("到位资金超过签约金额时必须说明（如 增资）")
    )
    start_planned = _date(_("计划开工日期"), _("合同约定的开工日期"))
    start_actual = _date(_("实际开工日期"), _("项目实际开工的日期"))
    production_planned = _date(_("计划投产日期"), _("合同约定的投产日期"))
    production_actual = _date(_("实际投产日期"), _("项目实际投产的日期"))
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = department_contract("lead__owner_unit")

    class Meta:
        ordering = ["-signed_on", "pk"]
        verbose_name = _("投资合同")
        verbose_name_plural = pgettext_lazy("plural", "投资合同")

    def __str__(self) -> str:
        return str(self.lead)

    def get_absolute_url(self) -> str:
        return url_for(self)

    @property
    def fulfilment_rate(self) -> Decimal | None:
        """履约率: funds in place / signed amount."""
        if not self.signed_amount:
            return None
        return self.funds_in_place / self.signed_amount

    MILESTONES = ("registration", "funds", "start", "production")

    def overdue_milestones(self, today) -> list[str]:
        """The milestones whose planned date has passed without their actual one."""
        out = []
        for name, planned, done in (
            ("registration", self.registration_planned, self.registration_actual),
            ("start", self.start_planned, self.start_actual),
            ("production", self.production_planned, self.production_actual),
        ):
            if planned and planned < today and done is None:
                out.append(name)
        if (
            self.funds_due_on
            and self.funds_due_on < today
            and self.funds_in_place < self.signed_amount
        ):
            out.append("funds")
        return out

    def clean(self) -> None:
        errors = {}
        if self.signed_amount is not None and self.signed_amount <= 0:
            errors["signed_amount"] = _("签约金额须大于零")
        if (
            self.signed_amount is not None
            and self.funds_in_place is not None
            and self.funds_in_place > self.signed_amount
            and not self.funds_note.strip()
        ):
            errors["funds_note"] = _(
                "实际到位资金%(funds)s万元超过签约金额%(signed)s万元，请说明原因"
            ) % {"funds": self.funds_in_place, "signed": self.signed_amount}
        if errors:
            raise ValidationError(errors)
