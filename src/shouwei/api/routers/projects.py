"""Key projects: projects (with the month's plan and completion), plans, progress, problems.

Every list starts from ``visible_to(request.auth)``; progress is written through
``projects.services.progress_save``, with the same rules and permission check as the pages.
"""

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from shouwei.core import clock
from shouwei.projects import selectors, services
from shouwei.projects.choices import (
    CallPeriodKind,
    FundingKind,
    ProblemStatus,
    ProcedureKind,
    ProjectLevel,
    Stage,
)
from shouwei.projects.models import (
    AnnualPlan,
    CallRow,
    FundingSource,
    Problem,
    Procedure,
    ProgressPhoto,
    ProgressReport,
    Project,
    RollingPlan,
    SchedulingCall,
    Stoppage,
)

from ..lookups import get_visible, unit_by_code
from ..pagination import Pagination
from ..schemas import BODY_ERRORS, ERRORS, AmountIn, DecimalStr, MonthCode, PeriodCode, UnitRef

router = Router(tags=["重点项目"])


def project_by_code(user, code: str) -> Project:
    return get_visible(
        Project.objects.visible_to(user).select_related("responsible_unit"),
        _("没有代码为“%(code)s”的项目，或您无权查看") % {"code": code},
        code=code,
    )


class ProjectOut(Schema):
    code: str
    name: str
    level: ProjectLevel
    industry: str
    industry_chain: str
    total_investment: DecimalStr
    owner_enterprise: str
    responsible_unit: UnitRef
    responsible_leader: str
    location: str
    start_date: date
    planned_completion_date: date | None
    stage: Stage
    land_area_mu: DecimalStr | None = Field(None, description="用地面积（亩）")
    land_status: str = Field(
        "", description="供地情况：none/partial/supplied/not_needed，空为未登记"
    )
    planned: DecimalStr | None = Field(None, description="该年度计划投资（亿元）")
    completed: DecimalStr | None = Field(None, description="该年截至该月累计完成投资（亿元）")


class ProjectFilters(Schema):
    period: PeriodCode | None = Field(None, description="计划与完成按该月计算，默认最新月份")
    level: ProjectLevel | None = None
    stage: Stage | None = None
    unit: str | None = Field(None, description="责任单位代码（含下级）")


def _month(user, period: str | None) -> tuple[int, int]:
    if period and len(period) == 7:
        return int(period[:4]), int(period[5:7])
    return selectors.latest_month(user) or (clock.today().year, clock.today().month)


@router.get("/projects", response={200: list[ProjectOut], **ERRORS}, summary="重点项目列表")
@paginate(Pagination)
def list_projects(request, filters: Query[ProjectFilters]):
    user = request.auth
    year, month = _month(user, filters.period)
    unit = unit_by_code(user, filters.unit) if filters.unit else None
    qs = selectors.with_progress(selectors.projects_under(user, unit), year=year, month=month)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    return qs.select_related("responsible_unit").order_by("level", "code")


@router.get("/projects/{code}", response={200: ProjectOut, **ERRORS}, summary="项目详情")
def get_project(request, code: str):
    return project_by_code(request.auth, code)


class FiguresOut(Schema):
    label: str
    url: str = Field(description="页面上列出这些项目的链接")
    count: int
    total_investment: DecimalStr
    planned: DecimalStr
    completed: DecimalStr
    rate: DecimalStr | None = Field(description="完成率（0—1）")
    behind: int


class SummaryOut(Schema):
    period: str
    levels: list[FiguresOut] = Field(description="省重点、市重点，各一行")
    overall: FiguresOut = Field(description="省、市重点合计（不含区重点）")
    district: FiguresOut | None = Field(description="区重点，不计入合计；没有时为 null")


@router.get(
    "/projects-summary", response={200: SummaryOut, **ERRORS}, summary="重点项目汇总（按级别）"
)
def project_summary(request, unit: str, period: MonthCode):
    user = request.auth
    if len(period) != 7:
        return Status(422, {"detail": _("期间应为月份，如 2022-06")})
    return selectors.project_summary(
        unit=unit_by_code(user, unit), year=int(period[:4]), month=int(period[5:7]), user=user
    )


class PlanOut(Schema):
    project: str
    year: int
    planned_investment: DecimalStr
    planned_milestones: str

    @staticmethod
    def resolve_project(obj: AnnualPlan) -> str:
        return obj.project.code


@router.get("/project-plans", response={200: list[PlanOut], **ERRORS}, summary="年度计划")
@paginate(Pagination)
def list_plans(request, year: int | None = None):
    qs = AnnualPlan.objects.visible_to(request.auth).select_related("project")
    return qs.filter(year=year) if year else qs


class ProgressOut(Schema):
    id: int
    project: str
    period: str
    invested_this_month: DecimalStr
    invested_ytd: DecimalStr
    stage: Stage
    entered_statistics_on: date | None
    narrative: str
    stage_change_reason: str
    is_correction: bool
    correction_reason: str

    @staticmethod
    def resolve_project(obj: ProgressReport) -> str:
        return obj.project.code


class ProgressIn(Schema):
    project: str = Field(description="项目代码")
    period: MonthCode = Field(description="月份，如 2022-06")
    invested_this_month: AmountIn = Field(description="当月完成投资（亿元），不能为负")
    invested_ytd: AmountIn = Field(description="年初至今完成投资（亿元），不能低于上月")
    stage: Stage
    entered_statistics_on: date | None = None
    narrative: str = ""
    stage_change_reason: str = Field("", description="阶段比上月后退时必填")
    is_correction: bool = False
    correction_reason: str = Field("", description="累计低于上月时必填")


@router.get("/project-progress", response={200: list[ProgressOut], **ERRORS}, summary="月度进度")
@paginate(Pagination)
def list_progress(request, period: PeriodCode | None = None, project: str | None = None):
    qs = ProgressReport.objects.visible_to(request.auth).select_related("project")
    if period:
        qs = qs.filter(period=period)
    if project:
        qs = qs.filter(project__code=project)
    return qs


@router.post(
    "/project-progress",
    response={201: ProgressOut, **BODY_ERRORS},
    summary="填报月度进度",
    description="同一项目同一月份再次提交即更新。规则同页面：累计不得低于上月（除非更正并说明原因）、"
    "阶段回退须说明原因、不能早于开工月份；只能填报本部门负责的项目。",
)
def save_progress(request, payload: ProgressIn):
    user = request.auth
    if len(payload.period) != 7:
        return Status(422, {"detail": _("期间应为月份，如 2022-06"), "errors": None})
    data = payload.dict()
    project = project_by_code(user, data.pop("project"))
    report = services.progress_save(by=user, project=project, **data)
    return Status(201, report)


class PhotoOut(Schema):
    id: int
    period: str = Field(description="照片所属的月份")
    caption: str
    taken_on: date | None
    uploaded_at: datetime
    uploaded_by: str | None
    url: str = Field(description="照片地址（登录网页后可查看，与网页同样按权限控制）")
    thumbnail_url: str

    @staticmethod
    def resolve_period(obj: ProgressPhoto) -> str:
        return obj.report.period

    @staticmethod
    def resolve_uploaded_by(obj: ProgressPhoto) -> str | None:
        return obj.uploaded_by.username if obj.uploaded_by else None

    @staticmethod
    def resolve_url(obj: ProgressPhoto) -> str:
        return obj.get_absolute_url()


@router.get(
    "/project-progress/{report_id}/photos",
    response={200: list[PhotoOut], **ERRORS},
    summary="月度进度的照片",
)
def list_report_photos(request, report_id: int):
    user = request.auth
    report = get_visible(
        ProgressReport.objects.visible_to(user), _("没有该月度进度，或您无权查看"), pk=report_id
    )
    return selectors.report_photos(user, report)


class ProblemOut(Schema):
    id: int
    project: str
    description: str
    owner_unit: UnitRef
    deadline: date
    status: ProblemStatus
    escalated_at: str | None
    resolution: str

    @staticmethod
    def resolve_project(obj: Problem) -> str:
        return obj.project.code

    @staticmethod
    def resolve_escalated_at(obj: Problem) -> str | None:
        return obj.escalated_at.isoformat() if obj.escalated_at else None


@router.get("/project-problems", response={200: list[ProblemOut], **ERRORS}, summary="项目问题")
@paginate(Pagination)
def list_problems(request, status: ProblemStatus | None = None):
    qs = Problem.objects.visible_to(request.auth).select_related("project", "owner_unit")
    return qs.filter(status=status) if status else qs


# --- issue 15: scheduling calls, procedures, funding, rolling plans, stoppages -----------------
class CallOut(Schema):
    id: int
    title: str
    issuing_unit: UnitRef
    period_kind: CallPeriodKind
    period: str
    report_month: str = Field(description="回答计入的月度进度月份")
    level: str
    stage: str
    question: str
    deadline: date
    closed: bool

    @staticmethod
    def resolve_closed(obj: SchedulingCall) -> bool:
        return obj.is_closed


@router.get("/scheduling-calls", response={200: list[CallOut], **ERRORS}, summary="调度任务")
@paginate(Pagination)
def list_calls(request, open: bool | None = None):
    qs = SchedulingCall.objects.visible_to(request.auth).select_related("issuing_unit")
    if open is not None:
        qs = qs.filter(closed_at__isnull=open)
    return qs


class UnitAnswersOut(Schema):
    unit: UnitRef
    asked: int = Field(description="应报项目数")
    answered: int = Field(description="已报")
    late: int = Field(description="逾期填报")
    unanswered: int = Field(description="未报")
    overdue: int = Field(description="过截止日期仍未报")
    escalated: int = Field(description="已提级领导")


def _call(user, call_id: int) -> SchedulingCall:
    return get_visible(
        SchedulingCall.objects.visible_to(user), _("没有该调度任务，或您无权查看"), pk=call_id
    )


@router.get(
    "/scheduling-calls/{call_id}/board",
    response={200: list[UnitAnswersOut], **ERRORS},
    summary="调度看板（按单位）",
)
def call_board(request, call_id: int):
    user = request.auth
    return selectors.call_board(user, _call(user, call_id), today=clock.today())


class CallAnswerIn(Schema):
    project: str = Field(description="项目代码（须为调度中本单位负责的项目）")
    invested_this_month: AmountIn = Field(description="本月完成投资（亿元）")
    invested_ytd: AmountIn = Field(description="年初至今完成投资（亿元），不能低于上月")
    stage: Stage
    entered_statistics_on: date | None = None
    narrative: str = ""
    stage_change_reason: str = Field("", description="阶段比上月后退时必填")
    is_correction: bool = False
    correction_reason: str = Field("", description="累计低于上月时必填")
    answer: str = Field("", description="对调度问题的回答")
    problems: str = Field("", description="需要协调解决的问题")


class CallAnswerOut(Schema):
    project: str
    report_id: int | None
    answered_on: date | None
    late: bool
    after_close: bool

    @staticmethod
    def resolve_project(obj: CallRow) -> str:
        return obj.project.code


@router.post(
    "/scheduling-calls/{call_id}/answers",
    response={201: CallAnswerOut, **BODY_ERRORS},
    summary="填报调度",
    description="回答即该项目调度月份的月度进度（规则同月度填报）；只能填报本单位负责的项目。"
    "截止后填报记为逾期，关闭后填报仍保存并标记。",
)
def answer_call(request, call_id: int, payload: CallAnswerIn):
    user = request.auth
    call = _call(user, call_id)
    data = payload.dict()
    code = data.pop("project")
    row = get_visible(
        CallRow.objects.visible_to(user).select_related("project"),
        _("调度中没有代码为“%(code)s”的项目，或您无权查看") % {"code": code},
        call=call,
        project__code=code,
    )
    return Status(201, services.call_answer(by=user, row=row, **data))


class ProcedureOut(Schema):
    id: int
    project: str
    kind: ProcedureKind
    name: str
    planned_on: date | None
    done_on: date | None
    approving_office: str
    document_no: str
    order_note: str

    @staticmethod
    def resolve_project(obj) -> str:
        return obj.project.code


@router.get("/project-procedures", response={200: list[ProcedureOut], **ERRORS}, summary="前期手续")
@paginate(Pagination)
def list_procedures(request, project: str | None = None, late: bool = False):
    qs = Procedure.objects.visible_to(request.auth).select_related("project")
    if project:
        qs = qs.filter(project__code=project)
    if late:
        qs = qs.filter(selectors.late_procedures_q(clock.today()))
    return qs


class FundingOut(Schema):
    id: int
    project: str
    year: int
    kind: FundingKind
    amount: DecimalStr
    applied_amount: DecimalStr | None
    approved_amount: DecimalStr | None
    issued_amount: DecimalStr | None
    disbursed_amount: DecimalStr | None
    spent_amount: DecimalStr | None
    issued_on: date | None
    spent_on: date | None
    note: str

    @staticmethod
    def resolve_project(obj) -> str:
        return obj.project.code


@router.get("/project-funding", response={200: list[FundingOut], **ERRORS}, summary="资金来源")
@paginate(Pagination)
def list_funding(request, year: int | None = None, kind: FundingKind | None = None):
    qs = FundingSource.objects.visible_to(request.auth).select_related("project")
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


class RollingPlanOut(Schema):
    id: int
    project: str
    base_year: int
    year1: DecimalStr
    year2: DecimalStr
    year3: DecimalStr
    note: str

    @staticmethod
    def resolve_project(obj) -> str:
        return obj.project.code


@router.get(
    "/project-rolling-plans",
    response={200: list[RollingPlanOut], **ERRORS},
    summary="滚动投资计划",
)
@paginate(Pagination)
def list_rolling_plans(request, base_year: int | None = None):
    qs = RollingPlan.objects.visible_to(request.auth).select_related("project")
    return qs.filter(base_year=base_year) if base_year else qs


class StoppageOut(Schema):
    id: int
    project: str
    stopped_on: date
    reason: str
    resumed_on: date | None
    resume_note: str

    @staticmethod
    def resolve_project(obj) -> str:
        return obj.project.code


@router.get("/project-stoppages", response={200: list[StoppageOut], **ERRORS}, summary="停工复工")
@paginate(Pagination)
def list_stoppages(request, stopped: bool | None = None):
    qs = Stoppage.objects.visible_to(request.auth).select_related("project")
    if stopped is not None:
        qs = qs.filter(resumed_on__isnull=stopped)
    return qs
