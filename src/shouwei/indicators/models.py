"""Indicator catalogue, observations (with approval) and targets."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shouwei.core import data_version
from shouwei.core.choices import Role
from shouwei.core.generic import url_for
from shouwei.core.models import PeerGroup, Unit, code_validator
from shouwei.core.periods import (
    Period,
    PeriodError,
    PeriodKind,
    is_period,
    refuse_beyond_plan_years,
    refuse_future,
)
from shouwei.core.permissions import (
    APPROVE,
    CORRECT,
    REJECT,
    STAFF_READERS,
    SUBMIT,
    VIEW,
    Contract,
    Grant,
    ScopedQuerySet,
    catalogue_contract,
    manage,
)
from shouwei.core.text import check_text_fields

from .choices import (
    Category,
    Direction,
    IndicatorKind,
    ObservationStatus,
    RankBasis,
    TargetKind,
)


def validate_period(value: str) -> None:
    try:
        Period.parse(value)
    except PeriodError as exc:
        raise ValidationError(str(exc)) from exc


class Indicator(models.Model):
    """One statistic the zone tracks: GDP growth, 科技型中小企业入库 count, 失业率…"""

    code = models.CharField(
        _("代码"),
        max_length=63,
        unique=True,
        validators=[code_validator],
        help_text=_("唯一代码，如 gdp；导入文件用它指代指标"),
    )
    name = models.CharField(_("名称"), max_length=100, help_text=_("如 地区生产总值"))
    short_name = models.CharField(
        _("简称"), max_length=30, blank=True, help_text=_("卡片和图表中显示的短名称")
    )
    measure = models.CharField(
        _("计量单位"), max_length=20, blank=True, help_text=_("亿元、万元、%、家、人次、栋…")
    )
    kind = models.CharField(
        _("类型"),
        max_length=20,
        choices=IndicatorKind.choices,
        default=IndicatorKind.LEVEL,
        help_text=_("总量、增速、比率、计数或仅有排名的考核项"),
    )
    direction = models.CharField(
        _("方向"),
        max_length=10,
        choices=Direction.choices,
        default=Direction.HIGHER,
        help_text=_("失业率等指标越低越好，排名时会反向"),
    )
    decimals = models.PositiveSmallIntegerField(
        _("小数位"), default=2, help_text=_("显示时保留的小数位数")
    )
    category = models.CharField(
        _("类别"), max_length=20, choices=Category.choices, help_text=_("驾驶舱按类别分组")
    )
    owner_unit = models.ForeignKey(
        Unit,
        verbose_name=_("责任部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_indicators",
        help_text=_("负责填报该指标的部门"),
    )
    cumulative = models.BooleanField(
        _("累计值"),
        default=True,
        help_text=_("勾选表示月度数值为年初至今累计（1—N月）；不勾选表示当期数或时点数"),
    )
    description = models.TextField(_("说明"), blank=True, help_text=_("口径、来源、计算方法"))
    sort_order = models.IntegerField(_("排序"), default=0, help_text=_("同类别内的显示顺序"))

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    contract = catalogue_contract()

    class Meta:
        ordering = ["category", "sort_order", "code"]
        verbose_name = _("指标")
        verbose_name_plural = pgettext_lazy("plural", "指标")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def lower_is_better(self) -> bool:
        return self.direction == Direction.LOWER

    def get_absolute_url(self) -> str:
        return url_for(self)


# The importer's source line (导入：file name): the file's name is its uploader's business.
IMPORT_SOURCE_PREFIX = "导入："

# Who enters figures: the departments' clerks and the statisticians.
ENTRY_ROLES = (Role.STAFF, Role.STATISTICIAN)


class ObservationQuerySet(ScopedQuerySet):
    def approved(self):
        return self.filter(status=ObservationStatus.APPROVED)

    def bulk_create(self, objs, *args, **kwargs):
        """``bulk_create`` sends no signal: the stored ranks of the approved figures it writes
        are refreshed here, once for all of them (``indicators.ranks``)."""
        from .ranks import refresh_for_observations

        created = super().bulk_create(objs, *args, **kwargs)
        data_version.changed()
        refresh_for_observations(
            (o.unit_id, o.indicator_id, o.period_end)
            for o in created
            if o.status == ObservationStatus.APPROVED and o.period_end is not None
        )
        return created


class Observation(models.Model):
    """A unit's figure for an indicator in a period: value and/or YoY growth, maybe a rank."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        related_name="observations",
        help_text=_("数据所属的单位"),
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="observations"
    )
    period = models.CharField(
        _("期间"),
        max_length=10,
        validators=[validate_period],
        help_text=_("2022-06（月）、2022Q2（季）、2022H1（半年）、2022（年）"),
    )
    period_kind = models.CharField(max_length=10, editable=False)
    period_end = models.DateField(editable=False, db_index=True)
    value = models.DecimalField(
        _("数值"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("按指标的计量单位填写"),
    )
    growth = models.DecimalField(
        _("同比增长(%)"),
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("同比增速，百分数，如 6.9"),
    )
    published_rank = models.PositiveIntegerField(
        _("公布排名"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("上级公布的名次（文件或通报中的第N名）"),
    )
    rank_group = models.ForeignKey(
        PeerGroup,
        verbose_name=_("排名比较组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="observations",
        help_text=_("公布排名所在的比较组，如 五区两园"),
    )
    rank_basis = models.CharField(
        _("排名依据"),
        max_length=10,
        choices=RankBasis.choices,
        blank=True,
        help_text=_("按总量还是按增速排名"),
    )
    reporting_unit = models.ForeignKey(
        Unit,
        verbose_name=_("填报单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_observations",
        help_text=_("负责填报的部门；默认为指标的责任部门"),
    )
    source = models.CharField(
        _("来源"), max_length=300, blank=True, help_text=_("文件名、页码或通报名称")
    )
    synthetic = models.BooleanField(
        _("模拟数据"), default=False, help_text=_("演示用的模拟数据，不是公布数据")
    )
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observations",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ObservationStatus.choices, default=ObservationStatus.DRAFT
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True, help_text=_("口径说明或更正原因"))

    history = HistoricalRecords()
    objects = ObservationQuerySet.as_manager()
    # The reporting department places the record; the unit it describes is that department,
    # a unit below it, or the zone it serves (产业发展局 reports the zone's own figures).
    # Approved statistics are published figures; drafts stay within the units concerned.
    contract = Contract(
        unit_fields=("reporting_unit", "unit"),
        served_fields=("unit",),
        public=Q(status=ObservationStatus.APPROVED),
        actions={
            VIEW: Grant((Role.LEADER, Role.SUPERVISOR, Role.STAFF, Role.STATISTICIAN)),
            **manage(ENTRY_ROLES, when=~Q(status=ObservationStatus.APPROVED)),
            SUBMIT: Grant(ENTRY_ROLES, when=Q(status=ObservationStatus.DRAFT)),
            APPROVE: Grant((Role.STATISTICIAN,), when=Q(status=ObservationStatus.SUBMITTED)),
            REJECT: Grant((Role.STATISTICIAN,), when=Q(status=ObservationStatus.SUBMITTED)),
            CORRECT: Grant((Role.STATISTICIAN,), when=Q(status=ObservationStatus.APPROVED)),
        },
    )

    class Meta:
        ordering = ["-period_end", "unit__path", "indicator__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "indicator", "period"],
                name="uniq_observation_unit_indicator_period",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False)
                | Q(growth__isnull=False)
                | Q(published_rank__isnull=False),
                name="observation_has_a_figure",
                violation_error_message=_("数值、同比增长和公布排名至少填写一项"),
            ),
        ]
        indexes = [models.Index(fields=["indicator", "period_end", "unit"])]
        verbose_name = _("观测值")
        verbose_name_plural = pgettext_lazy("plural", "观测值")

    def __str__(self) -> str:
        return f"{self.unit.display_name} · {self.indicator.display_name} · {self.period}"

    def get_absolute_url(self) -> str:
        return url_for(self)

    @property
    def period_obj(self) -> Period:
        return Period.parse(self.period)

    def clean(self) -> None:
        try:
            refuse_future(self.period)
        except PeriodError as exc:
            if is_period(self.period):  # an unreadable one is the field validator's to report
                raise ValidationError({"period": str(exc)}) from exc
        check_text_fields(self)
        if self.value is None and self.growth is None and self.published_rank is None:
            raise ValidationError(_("数值、同比增长和公布排名至少填写一项"))
        if self.published_rank is not None and not self.rank_basis:
            raise ValidationError({"rank_basis": _("填写公布排名时须说明按总量还是按增速排名")})

    def save(self, *args, **kwargs):
        p = Period.parse(self.period)
        self.period, self.period_kind, self.period_end = p.code, p.kind.value, p.end
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # What the stored ranks knew of this figure when it was read: saving it refreshes the
        # cell it left as well as the one it is in (``indicators.ranks``).
        loaded = instance.__dict__
        if all(f in loaded for f in ("status", "unit_id", "indicator_id", "period_end")):
            instance._ranked_state = (
                loaded["status"],
                (loaded["unit_id"], loaded["indicator_id"], loaded["period_end"]),
            )
        return instance

    def lineage(self, *, internal: bool = True) -> list[dict]:
        """Where the figure came from. Who entered and approved it and the import file it came
        in are its units' own business (``internal``); everyone else reads the published
        source."""
        if not internal:
            imported = self.import_batch_id or self.source.startswith(IMPORT_SOURCE_PREFIX)
            source = _("导入数据") if imported else (self.source or _("手工填报"))
            rows = [{"label": _("来源"), "value": source}]
            if self.status == ObservationStatus.APPROVED:
                rows.append({"label": _("审核"), "value": _("已审核")})
        else:
            rows = [
                {"label": _("来源"), "value": self.source or _("手工填报")},
                {"label": _("填报人"), "value": self.entered_by or "—"},
                {"label": _("审核人"), "value": self.approved_by or _("未审核")},
            ]
            if self.import_batch_id:
                rows.append(
                    {
                        "label": _("导入批次"),
                        "value": self.import_batch,
                        "url": self.import_batch.get_absolute_url(),
                    }
                )
        if self.synthetic:
            rows.append({"label": _("性质"), "value": _("模拟数据（非公布数据）")})
        return rows


class Target(models.Model):
    """A unit's goal for a year: a value, a growth or a rank with floor and stretch.

    保二争一 = rank floor 2 (must hold), stretch 1 (strive for); 前70 = floor 70.
    """

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(
        _("目标名称"), max_length=100, help_text=_("如 全市年度综合考核（五区两园）")
    )
    label = models.CharField(
        _("目标表述"), max_length=50, blank=True, help_text=_("文件原话，如 保二争一、前70")
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("指标"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
        help_text=_("考核的指标；综合排名目标可对应考核类指标"),
    )
    kind = models.CharField(_("目标类型"), max_length=10, choices=TargetKind.choices)
    target_value = models.DecimalField(
        _("目标值"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("总量目标填全年目标值；增速目标填目标增速(%)"),
    )
    floor_value = models.DecimalField(
        _("保底值"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("低于此值（按序时进度折算）即为红灯；留空表示不设保底"),
    )
    floor_rank = models.PositiveIntegerField(
        _("保底名次"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("保二争一的“二”、前70 的 70"),
    )
    stretch_rank = models.PositiveIntegerField(
        _("争取名次"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("保二争一的“一”"),
    )
    rank_group = models.ForeignKey(
        PeerGroup,
        verbose_name=_("比较组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
        help_text=_("排名目标在哪个比较组内"),
    )
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("责任部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_targets",
    )
    description = models.TextField(_("说明"), blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    # A department reads its zone's targets and those it is responsible for; the supervision
    # office sets them, for units and departments within its own subtree.
    contract = Contract(
        unit_fields=("unit", "responsible_unit"),
        read_ancestors=True,
        actions={VIEW: Grant(STAFF_READERS), **manage((Role.SUPERVISOR,))},
    )

    class Meta:
        ordering = ["-year", "unit__path", "name"]
        verbose_name = _("目标")
        verbose_name_plural = pgettext_lazy("plural", "目标")

    def __str__(self) -> str:
        return f"{self.year} {self.name}" + (f"（{self.label}）" if self.label else "")

    def get_absolute_url(self) -> str:
        return url_for(self)

    def clean(self) -> None:
        if self.year is not None:
            try:
                refuse_beyond_plan_years(self.year)
            except PeriodError as exc:
                raise ValidationError({"year": str(exc)}) from exc
        if self.kind == TargetKind.RANK:
            if self.floor_rank is None:
                raise ValidationError({"floor_rank": _("排名目标须填写保底名次")})
            if self.stretch_rank is not None and self.stretch_rank > self.floor_rank:
                raise ValidationError({"stretch_rank": _("争取名次不能比保底名次更靠后")})
        elif self.target_value is None:
            raise ValidationError({"target_value": _("总量或增速目标须填写目标值")})


class StoredRank(models.Model):
    """One member's rank in one peer group for one indicator at one period end, on both bases
    (总量 and 增速): a fact of the approved figures, computed when they change
    (``indicators.ranks.refresh_ranks``), not on every page view.

    A row exists for each member of the group that year with an approved figure picked for
    the period end (``selectors.pick_observation`` on the month ending then, as rank histories
    pick it: ``period_kind`` month); a member without one has no row and no rank. A quarter,
    half-year or year ending on that day may pick other figures (2022H1 prefers a half-year
    figure to 2022-06): where it does for any member, the cell also has rows of that kind,
    and a reader of that kind takes them over the month's (``selectors.cockpit_for``). Where
    it picks the same figures, the month's rows are its ranks and nothing more is stored.
    A rank is None when fewer than two members have a figure on that basis. Approved figures
    are public (``Observation.contract``), so the rank is the same for every reader and the
    table needs no contract of its own."""

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    period_end = models.DateField()
    # The kind of period the figures were picked for (``PeriodKind``): month for every cell,
    # another only where that period picks differently (see above).
    period_kind = models.CharField(max_length=10, default=PeriodKind.MONTH)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    observation = models.ForeignKey(
        Observation, on_delete=models.CASCADE, related_name="stored_ranks"
    )
    value = models.DecimalField(max_digits=20, decimal_places=4, null=True)
    growth = models.DecimalField(max_digits=10, decimal_places=3, null=True)
    value_rank = models.PositiveIntegerField(null=True)
    growth_rank = models.PositiveIntegerField(null=True)
    group_size = models.PositiveIntegerField()
    # Whether another member's figure in the cell is simulated (模拟数据).
    peers_synthetic = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "indicator", "period_end", "period_kind", "unit"],
                name="uniq_stored_rank_cell",
            ),
        ]
        # Rank histories read one unit's rows over years; the cockpit one period end.
        indexes = [models.Index(fields=["group", "unit", "period_end"])]

    def __str__(self) -> str:
        return f"{self.group_id}/{self.indicator_id}/{self.period_end}/{self.unit_id}"

    def rank_on(self, basis: str) -> int | None:
        return self.growth_rank if basis == RankBasis.GROWTH else self.value_rank
