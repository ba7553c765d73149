"""Indicators, observations (with submit/approve), rankings, targets with lights, the cockpit.

Reads go through ``indicators.selectors`` or start from ``visible_to(request.auth)``;
writes go through ``indicators.services``, which check permissions and validate.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from shouwei.core.models import PeerGroup, Unit
from shouwei.core.periods import Period
from shouwei.indicators import selectors, services
from shouwei.indicators.choices import (
    Category,
    Direction,
    IndicatorKind,
    ObservationStatus,
    RankBasis,
    TargetKind,
)
from shouwei.indicators.lights import Light
from shouwei.indicators.models import Indicator, Observation, Target

from ..errors import status_conflict
from ..lookups import get_visible, group_by_code, unit_by_code
from ..pagination import Pagination
from ..schemas import (
    ACTION_ERRORS,
    BODY_ERRORS,
    ERRORS,
    DecimalStr,
    GroupRef,
    IndicatorRef,
    PeriodCode,
    UnitRef,
    decimal_in,
)

router = Router(tags=["指标与观测值"])


def indicator_by_code(user, code: str) -> Indicator:
    return get_visible(
        Indicator.objects.visible_to(user),
        _("没有代码为“%(code)s”的指标，或您无权查看") % {"code": code},
        code=code,
    )


# --- indicators ---------------------------------------------------------------------------


class IndicatorOut(Schema):
    code: str
    name: str
    short_name: str
    measure: str
    kind: IndicatorKind
    direction: Direction
    decimals: int
    category: Category
    category_label: str
    owner_unit: str | None = Field(None, description="责任部门代码")
    cumulative: bool
    description: str

    @staticmethod
    def resolve_category_label(obj: Indicator) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_owner_unit(obj: Indicator) -> str | None:
        return obj.owner_unit.code if obj.owner_unit_id else None


class IndicatorFilters(Schema):
    category: Category | None = Field(None, description="类别")
    q: str | None = Field(None, description="按代码、名称、简称搜索")


@router.get("/indicators", response={200: list[IndicatorOut], **ERRORS}, summary="指标列表")
@paginate(Pagination)
def list_indicators(request, filters: Query[IndicatorFilters]):
    indicators = Indicator.objects.visible_to(request.auth).select_related("owner_unit")
    if filters.category:
        indicators = indicators.filter(category=filters.category)
    if filters.q and filters.q.strip():
        text = filters.q.strip()
        indicators = indicators.filter(
            Q(code__icontains=text) | Q(name__icontains=text) | Q(short_name__icontains=text)
        )
    return indicators


@router.get(
    "/indicators/{code}", response={200: IndicatorOut, **ERRORS}, summary="指标详情（按代码）"
)
def get_indicator(request, code: str):
    return indicator_by_code(request.auth, code)


# --- observations --------------------------------------------------------------------------


class ObservationOut(Schema):
    id: int
    unit: UnitRef
    indicator: IndicatorRef
    period: str
    period_kind: str
    period_label: str = Field(description="统计口径，如 2022年1—6月")
    value: DecimalStr | None
    growth: DecimalStr | None = Field(description="同比增长，百分数")
    published_rank: int | None
    rank_group: str | None = Field(None, description="公布排名所在比较组的代码")
    rank_basis: str = Field(description="value（总量）、growth（增速）或空")
    reporting_unit: str | None = Field(None, description="填报单位代码")
    source: str
    synthetic: bool
    status: ObservationStatus
    status_label: str
    entered_by: str | None = None
    submitted_at: datetime | None
    approved_by: str | None = None
    approved_at: datetime | None
    note: str

    @staticmethod
    def resolve_period_label(obj: Observation) -> str:
        return obj.period_obj.label

    @staticmethod
    def resolve_rank_group(obj: Observation) -> str | None:
        return obj.rank_group.code if obj.rank_group_id else None

    @staticmethod
    def resolve_reporting_unit(obj: Observation) -> str | None:
        return obj.reporting_unit.code if obj.reporting_unit_id else None

    @staticmethod
    def resolve_status_label(obj: Observation) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_entered_by(obj: Observation) -> str | None:
        return obj.entered_by.get_username() if obj.entered_by_id else None

    @staticmethod
    def resolve_approved_by(obj: Observation) -> str | None:
        return obj.approved_by.get_username() if obj.approved_by_id else None


class ObservationFilters(Schema):
    unit: str | None = Field(None, description="单位代码")
    indicator: str | None = Field(None, description="指标代码")
    period: PeriodCode | None = Field(None, description="期间，精确匹配")
    period_from: PeriodCode | None = Field(None, description="期末不早于该期间的开始")
    period_to: PeriodCode | None = Field(None, description="期末不晚于该期间的结束")
    status: ObservationStatus | None = Field(None, description="状态")
    category: Category | None = Field(None, description="指标类别")


# As Observation stores them: value max_digits=20, decimal_places=4; growth 10 and 3.
ValueIn = decimal_in(
    whole=16, places=4, signed=True, description='数值，十进制数字符串，如 "6.9"', example="6.9"
)
GrowthIn = decimal_in(
    whole=7, places=3, signed=True, description="同比增长，百分数，十进制数字符串", example="6.9"
)


class ObservationIn(Schema):
    unit: str = Field(description="单位代码，如 hy-gxq")
    indicator: str = Field(description="指标代码，如 gdp")
    period: PeriodCode
    value: ValueIn | None = None
    growth: GrowthIn | None = None
    published_rank: int | None = Field(None, ge=1)
    rank_group: str | None = Field(None, description="公布排名所在比较组的代码")
    rank_basis: RankBasis | None = None
    reporting_unit: str | None = Field(None, description="填报单位代码；默认为指标的责任部门")
    source: str = Field("", max_length=300)
    note: str = ""
    submit: bool = Field(False, description="true：保存后立即提交审核")


def _observation_or_404(user, observation_id: int) -> Observation:
    return get_visible(
        selectors.observation_list(user),
        _("没有编号为 %(id)s 的观测值，或您无权查看") % {"id": observation_id},
        pk=observation_id,
    )


def _codes_in(user, payload: ObservationIn) -> dict:
    """Turn the payload's codes into records, naming every unknown code at once (422)."""
    lookups = {
        "unit": (Unit.objects.visible_to(user), _("单位")),
        "indicator": (Indicator.objects.visible_to(user), _("指标")),
        "reporting_unit": (Unit.objects.visible_to(user), _("单位")),
        "rank_group": (PeerGroup.objects.visible_to(user), _("比较组")),
    }
    found, errors = {}, {}
    for field, (queryset, noun) in lookups.items():
        code = getattr(payload, field)
        found[field] = queryset.filter(code=code).first() if code is not None else None
        if code is not None and found[field] is None:
            errors[field] = [
                _("没有代码为“%(code)s”的%(noun)s，或您无权查看") % {"code": code, "noun": noun}
            ]
    if errors:
        raise ValidationError(errors)
    return found


@router.get(
    "/observations",
    response={200: list[ObservationOut], **ERRORS},
    summary="观测值列表",
    description='每页默认 100 条，最多 500 条。数值和增速以字符串传递（如 "6.9"）。',
)
@paginate(Pagination)
def list_observations(request, filters: Query[ObservationFilters]):
    user = request.auth
    observations = selectors.observation_list(user).order_by(
        "-period_end", "unit__path", "indicator__sort_order", "indicator__code", "pk"
    )
    if filters.unit:
        observations = observations.filter(unit=unit_by_code(user, filters.unit))
    if filters.indicator:
        observations = observations.filter(indicator=indicator_by_code(user, filters.indicator))
    if filters.period:
        observations = observations.filter(period=filters.period)
    if filters.period_from:
        observations = observations.filter(period_end__gte=Period.parse(filters.period_from).start)
    if filters.period_to:
        observations = observations.filter(period_end__lte=Period.parse(filters.period_to).end)
    if filters.status:
        observations = observations.filter(status=filters.status)
    if filters.category:
        observations = observations.filter(indicator__category=filters.category)
    return observations


@router.get(
    "/observations/{observation_id}",
    response={200: ObservationOut, **ERRORS},
    summary="观测值详情",
)
def get_observation(request, observation_id: int):
    return _observation_or_404(request.auth, observation_id)


@router.post(
    "/observations",
    response={201: ObservationOut, **BODY_ERRORS},
    summary="填报观测值",
    description="保存为草稿；submit 为 true 时保存后提交审核。权限与校验同页面填报。",
)
def create_observation(request, payload: ObservationIn):
    user = request.auth
    codes = _codes_in(user, payload)
    observation = services.observation_create(
        by=user,
        unit=codes["unit"],
        indicator=codes["indicator"],
        period=payload.period,
        value=payload.value,
        growth=payload.growth,
        published_rank=payload.published_rank,
        rank_group=codes["rank_group"],
        rank_basis=payload.rank_basis or "",
        reporting_unit=codes["reporting_unit"],
        source=payload.source,
        note=payload.note,
        status=ObservationStatus.SUBMITTED if payload.submit else ObservationStatus.DRAFT,
    )
    return Status(201, _observation_or_404(user, observation.pk))


@router.post(
    "/observations/{observation_id}/submit",
    response={200: ObservationOut, **ACTION_ERRORS},
    summary="提交审核",
    description="只有草稿可以提交；状态不符时返回 409。",
)
def submit_observation(request, observation_id: int):
    user = request.auth
    observation = _observation_or_404(user, observation_id)
    with status_conflict():
        services.observation_submit(observation=observation, by=user)
    return _observation_or_404(user, observation_id)


@router.post(
    "/observations/{observation_id}/approve",
    response={200: ObservationOut, **ACTION_ERRORS},
    summary="审核通过",
    description="仅覆盖该单位的统计员可以审核已提交的观测值；状态不符时返回 409。",
)
def approve_observation(request, observation_id: int):
    user = request.auth
    observation = _observation_or_404(user, observation_id)
    with status_conflict():
        services.observation_approve(observation=observation, by=user)
    return _observation_or_404(user, observation_id)


# --- rankings ------------------------------------------------------------------------------


class RankEntryOut(Schema):
    unit: UnitRef
    figure: DecimalStr | None = Field(description="参与排名的数值（总量或增速）")
    rank: int | None = Field(description="计算名次，没有时为公布名次")
    computed_rank: int | None
    published_rank: int | None
    source: str = Field(description="computed（由成员数据计算）、published（公布）或 missing")
    mismatch: bool = Field(description="计算名次与公布名次不一致")
    observation_id: int | None = None

    @staticmethod
    def resolve_observation_id(obj) -> int | None:
        return obj.observation.pk if obj.observation is not None else None


class RankingOut(Schema):
    group: GroupRef
    indicator: IndicatorRef
    period: str
    basis: RankBasis
    computed: bool
    entries: list[RankEntryOut]


class RankingQuery(Schema):
    group: str = Field(description="比较组代码，如 hy-5d2p")
    indicator: str = Field(description="指标代码，如 gdp")
    period: PeriodCode
    basis: RankBasis = Field(RankBasis.GROWTH, description="value（总量）或 growth（增速）")


@router.get(
    "/rankings",
    response={200: RankingOut, **ERRORS},
    summary="比较组排名",
    description="按名次排列，没有数据的成员列在最后。只用已审核的数据。",
)
def get_ranking(request, query: Query[RankingQuery]):
    user = request.auth
    ranking = selectors.ranking_for(
        group=group_by_code(user, query.group),
        indicator=indicator_by_code(user, query.indicator),
        period=query.period,
        basis=query.basis,
        user=user,
    )
    return {
        "group": ranking.group,
        "indicator": ranking.indicator,
        "period": ranking.period.code,
        "basis": ranking.basis,
        "computed": ranking.computed,
        "entries": ranking.ranked + ranking.missing,
    }


# --- targets -------------------------------------------------------------------------------


class LightOut(Schema):
    colour: str = Field(description="green、yellow、red 或 grey（无数据）")
    label: str
    reason: str
    progress: DecimalStr | None = Field(None, description="全年目标已完成的比例（0—1）")
    expected: DecimalStr | None = Field(None, description="按序时进度应完成的比例（0—1）")


class TargetOut(Schema):
    id: int
    unit: UnitRef
    year: int
    name: str
    label: str
    indicator: IndicatorRef | None
    kind: TargetKind
    kind_label: str
    target_value: DecimalStr | None
    floor_value: DecimalStr | None
    floor_rank: int | None
    stretch_rank: int | None
    rank_group: str | None = None
    description: str
    light: LightOut | None = Field(None, description="给出 period 时该期间的红黄绿灯")

    @staticmethod
    def resolve_kind_label(obj: Target) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_rank_group(obj: Target) -> str | None:
        return obj.rank_group.code if obj.rank_group_id else None

    @staticmethod
    def resolve_light(obj: Target) -> Light | None:
        return getattr(obj, "light", None)


class TargetFilters(Schema):
    unit: str | None = Field(None, description="单位代码")
    year: int | None = Field(None, ge=1900, le=2200, description="年度；给出 period 时默认为其年度")
    period: PeriodCode | None = Field(None, description="计算红黄绿灯的期间，如 2022H1")


@router.get(
    "/targets",
    response={200: list[TargetOut], **ERRORS},
    summary="目标列表（可带红黄绿灯）",
    description="给出 period 时，每个目标附上该期间的灯，与驾驶舱同一算法。",
)
@paginate(Pagination)
def list_targets(request, filters: Query[TargetFilters]):
    user = request.auth
    targets = (
        Target.objects.visible_to(user)
        .select_related("unit", "indicator", "rank_group")
        .order_by("-year", "unit__path", "name", "pk")
    )
    period = Period.parse(filters.period) if filters.period else None
    year = filters.year or (period.year if period else None)
    if filters.unit:
        targets = targets.filter(unit=unit_by_code(user, filters.unit))
    if year:
        targets = targets.filter(year=year)
    if period is None:
        return targets
    targets = list(targets)
    # The light of a target is the cockpit's: one cockpit per unit among the listed targets.
    lights: dict[int, Light] = {}
    for unit in {t.unit_id: t.unit for t in targets if t.year == period.year}.values():
        cockpit = selectors.cockpit_for(unit=unit, period=period, user=user)
        lights.update((target.pk, light) for target, light in cockpit.targets)
    for target in targets:
        target.light = lights.get(target.pk)
    return targets


# --- cockpit -------------------------------------------------------------------------------


class CardObservationOut(Schema):
    id: int
    period: str
    value: DecimalStr | None
    growth: DecimalStr | None
    published_rank: int | None
    status: ObservationStatus
    synthetic: bool
    source: str


class CardRankOut(Schema):
    rank: int | None
    computed_rank: int | None
    published_rank: int | None
    source: str
    mismatch: bool
    figure: DecimalStr | None


class CardTargetOut(Schema):
    id: int
    name: str
    label: str
    kind: TargetKind
    indicator: str | None = Field(None, description="指标代码")
    light: LightOut


class CardOut(Schema):
    indicator: IndicatorRef
    observation: CardObservationOut | None
    rank: CardRankOut | None
    group: GroupRef | None
    group_size: int | None
    targets: list[CardTargetOut]


class CategoryOut(Schema):
    code: Category
    label: str
    cards: list[CardOut]


class CockpitOut(Schema):
    unit: UnitRef
    period: str
    period_label: str
    has_synthetic: bool = Field(description="含演示用模拟数据")
    periods_available: list[str]
    categories: list[CategoryOut]
    targets: list[CardTargetOut]


class CockpitQuery(Schema):
    unit: str = Field(description="单位代码，如 hy-gxq")
    period: PeriodCode


def _target_light(target: Target, light: Light) -> dict:
    return {
        "id": target.pk,
        "name": target.name,
        "label": target.label,
        "kind": target.kind,
        "indicator": target.indicator.code if target.indicator_id else None,
        "light": light,
    }


@router.get(
    "/cockpit",
    response={200: CockpitOut, **ERRORS},
    summary="驾驶舱",
    description="与驾驶舱页面同一数据：按类别的指标卡片（数值、增速、名次、目标灯）。",
)
def get_cockpit(request, query: Query[CockpitQuery]):
    user = request.auth
    unit = get_visible(
        selectors.units_for_cockpit(user),
        _("没有代码为“%(code)s”的单位驾驶舱，或您无权查看") % {"code": query.unit},
        code=query.unit,
    )
    cockpit = selectors.cockpit_for(unit=unit, period=query.period, user=user)
    return {
        "unit": unit,
        "period": cockpit.period.code,
        "period_label": cockpit.period.label,
        "has_synthetic": cockpit.has_synthetic,
        "periods_available": cockpit.periods_available,
        "categories": [
            {
                "code": code,
                "label": str(label),
                "cards": [
                    {
                        "indicator": card.indicator,
                        "observation": card.observation,
                        "rank": card.rank,
                        "group": card.group,
                        "group_size": card.group_size,
                        "targets": [_target_light(t, light) for t, light in card.targets],
                    }
                    for card in cards
                ],
            }
            for code, label, cards in cockpit.categories
        ],
        "targets": [_target_light(t, light) for t, light in cockpit.targets],
    }
