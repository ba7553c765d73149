"""Investment attraction: leads (scoped, filtered), a lead's move on the pipeline, contracts,
and the zone's figures derived from them.

Every list starts from ``visible_to(request.auth)``; writes go through
``investment.services`` (the same rules and contract as the pages: duplicates, a stage moved
back needs a reason, signing needs an amount, a date not in the future and a passed review).
"""

from datetime import date

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from shouwei.core import clock
from shouwei.investment import selectors, services
from shouwei.investment.choices import LeadChannel, LeadStage
from shouwei.investment.models import Contract, Lead

from ..lookups import get_visible, unit_by_code
from ..pagination import Pagination
from ..schemas import BODY_ERRORS, ERRORS, DecimalStr, UnitRef

router = Router(tags=["招商引资"])


def lead_by_pk(user, pk: int) -> Lead:
    return get_visible(
        Lead.objects.visible_to(user).select_related("owner_unit"),
        _("没有编号为 %(pk)s 的线索，或您无权查看") % {"pk": pk},
        pk=pk,
    )


class LeadOut(Schema):
    id: int
    project_name: str
    short_name: str
    investor: str
    investor_hq: str
    channel: LeadChannel
    industry: str
    planned_investment: DecimalStr = Field(description="计划投资（万元）")
    land_mu: DecimalStr | None = Field(None, description="用地（亩）")
    stage: LeadStage
    lost: bool
    lead_on: date
    signed_on: date | None
    owner_unit: UnitRef


class LeadFilters(Schema):
    stage: LeadStage | None = None
    channel: LeadChannel | None = None
    signed_year: int | None = Field(None, ge=1900, le=2200, description="签约年度")


@router.get("/investment-leads", response={200: list[LeadOut], **ERRORS}, summary="招商线索列表")
@paginate(Pagination)
def list_leads(request, filters: Query[LeadFilters]):
    qs = selectors.leads(request.auth).select_related("owner_unit")
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.signed_year:
        qs = qs.filter(contract_record__signed_on__year=filters.signed_year, lost=False)
    return qs.order_by("-lead_on", "pk")


@router.get("/investment-leads/{pk}", response={200: LeadOut, **ERRORS}, summary="线索详情")
def get_lead(request, pk: int):
    return lead_by_pk(request.auth, pk)


class LeadIn(Schema):
    project_name: str
    short_name: str = ""
    investor: str
    investor_hq: str = ""
    channel: LeadChannel
    industry: str
    planned_investment: DecimalStr = Field(description="计划投资（万元）")
    land_mu: DecimalStr | None = None
    expected_output: DecimalStr | None = None
    expected_tax: DecimalStr | None = None
    owner_unit: str = Field(description="所属部门代码，如 hy-gxq-jjhz")
    lead_on: date
    not_duplicate: bool = Field(False, description="投资方相同或名称相近时，确认不是重复线索")


@router.post(
    "/investment-leads",
    response={201: LeadOut, **BODY_ERRORS},
    summary="登记招商线索",
    description="与页面同样的规则：投资方和项目都相同的不能重复登记；投资方相同或项目名称相近的须"
    "确认不是重复（not_duplicate）；只能为本部门登记。来源活动、办事处、机构须在页面上选择。",
)
def create_lead(request, payload: LeadIn):
    user = request.auth
    data = payload.dict()
    data["owner_unit"] = unit_by_code(user, data["owner_unit"])
    lead = services.lead_create(by=user, **data)
    return Status(201, lead)


class MoveIn(Schema):
    to_stage: LeadStage
    on: date = Field(description="到达该阶段的日期，不能晚于今天")
    reason: str = Field("", description="阶段后退时必填")
    signed_amount: DecimalStr | None = Field(None, description="移到“签约”时必填，万元")
    override_reason: str = Field("", description="没有通过准入评审仍签约时必填")


@router.post(
    "/investment-leads/{pk}/move",
    response={200: LeadOut, **BODY_ERRORS},
    summary="移动线索阶段",
    description="同招商看板：后退须说明原因；签约须填签约金额、日期不能晚于今天，且须通过准入评审"
    "（或填写破格签约理由）；签约后的注册、开工、投产记入合同的履约节点。",
)
def move_lead(request, pk: int, payload: MoveIn):
    user = request.auth
    lead = lead_by_pk(user, pk)
    return services.lead_move(by=user, lead=lead, **payload.dict())


class ContractOut(Schema):
    id: int
    lead: int = Field(description="线索编号")
    project_name: str
    signed_amount: DecimalStr = Field(description="签约金额（万元）")
    signed_on: date
    funds_in_place: DecimalStr = Field(description="实际到位资金（万元）")
    fulfilment_rate: DecimalStr | None = Field(None, description="履约率（到位资金 / 签约金额）")
    overdue: list[str] = Field(description="逾期的履约节点：registration、funds、start、production")

    @staticmethod
    def resolve_lead(obj: Contract) -> int:
        return obj.lead_id

    @staticmethod
    def resolve_project_name(obj: Contract) -> str:
        return obj.lead.project_name

    @staticmethod
    def resolve_overdue(obj: Contract) -> list[str]:
        return obj.overdue_milestones(clock.today())


class ContractFilters(Schema):
    year: int | None = Field(None, ge=1900, le=2200, description="签约年度")


@router.get(
    "/investment-contracts", response={200: list[ContractOut], **ERRORS}, summary="投资合同与履约"
)
@paginate(Pagination)
def list_contracts(request, filters: Query[ContractFilters]):
    year = filters.year
    qs = Contract.objects.visible_to(request.auth).select_related("lead")
    if year:
        qs = qs.filter(signed_on__year=year)
    return qs.order_by("signed_on", "pk")


class SummaryOut(Schema):
    year: int
    until: date
    signed_count: int
    signed_amount: DecimalStr = Field(description="签约金额（万元）")
    event_count: int = Field(description="其中重大活动签约")
    fortune_count: int = Field(description="其中三类500强")
    fortune_names: list[str]
    intended_count: int = Field(description="意向项目")
    funds_in_place: DecimalStr = Field(description="实际到位资金（万元）")
    fulfilment_rate: DecimalStr | None = None


class SummaryFilters(Schema):
    year: int = Field(ge=1900, le=2200, description="年度，如 2022")
    unit: str | None = Field(None, description="单位代码（含下级），默认调用者可见的全部")


@router.get(
    "/investment-summary",
    response={200: SummaryOut, **ERRORS},
    summary="招商引资主要数字",
    description="本年签约项目数和金额、重大活动签约、三类500强、意向项目、到位资金和履约率，"
    "均由线索和合同记录算出，按调用者可见的范围。",
)
def summary(request, filters: Query[SummaryFilters]):
    user = request.auth
    year, unit = filters.year, filters.unit
    until = min(clock.today(), date(year, 12, 31))
    scope = unit_by_code(user, unit) if unit else None
    s = selectors.attraction_summary(user, year=year, until=until, unit=scope)
    return {
        "year": year,
        "until": until,
        "signed_count": s.signed_count,
        "signed_amount": s.signed_amount,
        "event_count": s.event_count,
        "fortune_count": s.fortune_count,
        "fortune_names": s.fortune_names,
        "intended_count": s.intended_count,
        "funds_in_place": s.funds_in_place,
        "fulfilment_rate": s.fulfilment_rate,
    }
