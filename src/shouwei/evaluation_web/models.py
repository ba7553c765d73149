"""A saved composite evaluation: every parameter (and the Monte Carlo seed) that produced its
results, so that it can be run again and give the same figures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shouwei.core.choices import Role, UnitKind
from shouwei.core.models import PeerGroup, Unit
from shouwei.core.periods import Period
from shouwei.core.permissions import ADD, VIEW, Contract, Grant, ScopedQuerySet
from shouwei.indicators.models import validate_period

from .choices import Method, MissingPolicy, Normalisation


def subject_of(unit: Unit) -> Unit:
    if unit.kind == UnitKind.DEPARTMENT and unit.parent_id:
        return unit.parent
    return unit


# Who runs and reads composite evaluations: leaders, supervision, statistics and departments.
RUN_ROLES = (Role.STAFF, Role.STATISTICIAN, Role.LEADER, Role.SUPERVISOR)


class EvaluationRun(models.Model):
    name = models.CharField(
        _("方案名称"), max_length=100, blank=True, help_text=_("如 五区两园经济运行综合评价")
    )
    group = models.ForeignKey(
        PeerGroup,
        verbose_name=_("比较组"),
        on_delete=models.PROTECT,
        related_name="evaluation_runs",
        help_text=_("参与比较的单位集合，按期间所在年度取成员"),
    )
    period = models.CharField(
        _("期间"),
        max_length=10,
        validators=[validate_period],
        help_text=_("2022-06（月）、2022Q2（季）、2022H1（半年）、2022（年）"),
    )
    indicators = models.JSONField(
        _("指标"),
        help_text=_("[{code, direction(+1/-1), basis(value/growth)}]，按评价顺序"),
    )
    method = models.CharField(_("集成方法"), max_length=20, choices=Method.choices)
    normalisation = models.CharField(
        _("标准化方法"), max_length=20, choices=Normalisation.choices, blank=True
    )
    weights = models.JSONField(
        _("权重"), help_text=_('{"kind": "entropy"} 或 {"kind": "expert", "weights": {代码: 权重}}')
    )
    missing = models.CharField(
        _("缺失值处理"), max_length=20, choices=MissingPolicy.choices, default=MissingPolicy.REFUSE
    )
    mc_draws = models.PositiveIntegerField(_("蒙特卡洛抽样次数"), default=0)
    seed = models.BigIntegerField(_("随机种子"), help_text=_("同一种子、同一数据得到同一结果"))
    target_rank = models.PositiveSmallIntegerField(
        _("目标名次"), default=2, help_text=_("计算 P(名次≤k) 的 k，保二即 2")
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        related_name="evaluation_runs",
        help_text=_("保存该方案的单位；“差多少”面板为该单位计算"),
    )
    results = models.JSONField(_("结果"), default=dict)
    synthetic = models.BooleanField(
        _("含模拟数据"), default=False, help_text=_("输入中有演示用模拟数据")
    )
    rerun_of = models.ForeignKey(
        "self",
        verbose_name=_("重算自"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reruns",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    # A department works for its zone: it reads the zone's schemes (read_ancestors).
    contract = Contract(
        unit_fields=("unit",),
        read_ancestors=True,
        actions={VIEW: Grant(RUN_ROLES), ADD: Grant(RUN_ROLES)},
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("综合评价方案")
        verbose_name_plural = pgettext_lazy("plural", "综合评价方案")

    @property
    def subject(self) -> Unit:
        """The unit the run is about ("what it takes" is computed for it): the unit it is
        saved at, or the zone a department's run is saved for."""
        return subject_of(self.unit)

    def __str__(self) -> str:
        return self.name or f"{self.group} · {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation_web:run_detail", args=[self.pk])

    @property
    def period_obj(self) -> Period:
        return Period.parse(self.period)

    @property
    def indicator_codes(self) -> list[str]:
        return [row["code"] for row in self.indicators]
