"""督查绩效: goals with their lights, milestones, progress reports, 督办单 (签收, 答复) and the
departments' scores.

Every read starts from ``visible_to(request.auth)``; writes go through
``supervision.services`` with the same rules and write contract as the pages.
"""

from datetime import date

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from shouwei.core import clock
from shouwei.supervision import selectors, services
from shouwei.supervision.choices import NoticeStatus
from shouwei.supervision.models import Milestone, SupervisionNotice

from ..lookups import get_visible, unit_by_code
from ..pagination import Pagination
from ..schemas import BODY_ERRORS, ERRORS, UnitRef

router = Router(tags=["督查绩效"])


class SupervisionLightOut(Schema):
    colour: str = Field(description="green 按时推进 / yellow 临近时限 / red 已逾期 / done / grey")
    label: str
    reason: str
    from_target: bool = Field(description="是否取自所绑定指标目标的红黄绿灯")
    pace: str = Field(
        description="绑定指标目标的进度口径：seasonal 季节性进度 / linear 时间进度 / 空（无需进度）"
    )


class SupervisionMilestoneOut(Schema):
    id: int
    goal_id: int
    title: str
    deliverable: str
    due: date
    original_due: date | None
    weight: str
    lead_unit: UnitRef
    completed_on: date | None
    light: SupervisionLightOut


class SupervisionGoalOut(Schema):
    id: int
    year: int
    code: str
    title: str
    source: str
    responsible_leader: str
    lead_unit: UnitRef | None
    light: SupervisionLightOut
    milestones: list[SupervisionMilestoneOut]


def _light(light) -> dict:
    return {
        "colour": str(light.colour),
        "label": str(light.label),
        "reason": str(light.reason),
        "from_target": light.from_target,
        "pace": str(light.pace),
    }


def _milestone(m, light) -> dict:
    return {
        "id": m.pk,
        "goal_id": m.goal_id,
        "title": m.title,
        "deliverable": m.deliverable,
        "due": m.due,
        "original_due": m.original_due,
        "weight": str(m.weight),
        "lead_unit": m.lead_unit,
        "completed_on": m.completed_on,
        "light": _light(light),
    }


@router.get(
    "/supervision/goals",
    response={200: list[SupervisionGoalOut], **ERRORS},
    summary="督查目标及其亮灯",
    description="某年度的目标、路线图节点和按业务日期计算的红黄绿灯（绑定指标目标的取其目标灯）。",
)
def list_goals(request, year: int | None = None):
    today = clock.today()
    rows = selectors.goals_with_lights(request.auth, year=year or today.year, today=today)
    return [
        {
            "id": r.goal.pk,
            "year": r.goal.year,
            "code": r.goal.code,
            "title": r.goal.title,
            "source": r.goal.source,
            "responsible_leader": r.goal.responsible_leader,
            "lead_unit": r.lead_unit,
            "light": _light(r.light),
            "milestones": [_milestone(m, lt) for m, lt in r.milestones],
        }
        for r in rows
    ]


@router.get(
    "/supervision/milestones/{pk}",
    response={200: SupervisionMilestoneOut, **ERRORS},
    summary="节点详情",
)
def get_milestone(request, pk: int):
    m = get_visible(
        Milestone.objects.visible_to(request.auth).select_related("lead_unit"),
        _("没有该节点，或您无权查看"),
        pk=pk,
    )
    return _milestone(m, selectors.light_of_milestone(m, clock.today()))


class SupervisionReportIn(Schema):
    milestone: int = Field(description="节点编号")
    unit: str = Field(description="报送部门代码")
    reported_on: date = Field(description="进展日期；早于今天为补报，须填补报原因")
    text: str = Field(description="进展情况")
    percent: int = Field(ge=0, le=100, description="完成进度（%），100 表示节点完成")
    backdate_reason: str = ""


class SupervisionReportOut(Schema):
    id: int
    milestone_id: int
    unit: UnitRef
    reported_on: date
    percent: int
    text: str
    backdated: bool


@router.post(
    "/supervision/progress-reports",
    response={201: SupervisionReportOut, **BODY_ERRORS},
    summary="报送节点进展",
    description="只有节点的责任部门或任务书中的牵头、配合部门可以报送；补报须说明原因并被标记。",
)
def create_report(request, payload: SupervisionReportIn):
    user = request.auth
    data = payload.dict()
    milestone = get_visible(
        Milestone.objects.visible_to(user), _("没有该节点，或您无权查看"), pk=data.pop("milestone")
    )
    unit = unit_by_code(user, data.pop("unit"))
    report = services.report_create(by=user, milestone=milestone, unit=unit, **data)
    return Status(201, report)


class SupervisionNoticeOut(Schema):
    id: int
    number: str | None
    unit: UnitRef
    task: str
    reason: str
    deadline: date
    status: NoticeStatus
    answer: str


def _notice(user, pk: int) -> SupervisionNotice:
    return get_visible(
        SupervisionNotice.objects.visible_to(user).select_related("unit"),
        _("没有该督办单，或您无权查看"),
        pk=pk,
    )


@router.get(
    "/supervision/notices", response={200: list[SupervisionNoticeOut], **ERRORS}, summary="督办单"
)
@paginate(Pagination)
def list_notices(request, status: NoticeStatus | None = None):
    qs = selectors.open_notices(request.auth)
    return qs.filter(status=status) if status else qs


@router.post(
    "/supervision/notices/{pk}/sign",
    response={200: SupervisionNoticeOut, **ERRORS},
    summary="签收督办单",
    description="只有主送部门可以签收已下发的督办单。",
)
def sign_notice(request, pk: int):
    return services.notice_sign(by=request.auth, notice=_notice(request.auth, pk))


class NoticeAnswerIn(Schema):
    answer: str = Field(description="办理情况和结果")


@router.post(
    "/supervision/notices/{pk}/answer",
    response={200: SupervisionNoticeOut, **BODY_ERRORS},
    summary="答复督办单",
    description="只有主送部门可以答复已签收的督办单。",
)
def answer_notice(request, pk: int, payload: NoticeAnswerIn):
    notice = _notice(request.auth, pk)
    return services.notice_answer(by=request.auth, notice=notice, answer=payload.answer)


class DepartmentScoreOut(Schema):
    rank: int
    unit: UnitRef
    base: str
    bonus: str
    penalty: str
    total: str
    vetoed: bool
    breakdown: list[dict] = Field(description="每一项的得分及其事实依据（含链接）")

    @staticmethod
    def resolve_base(obj) -> str:
        return str(obj.base)

    @staticmethod
    def resolve_bonus(obj) -> str:
        return str(obj.bonus)

    @staticmethod
    def resolve_penalty(obj) -> str:
        return str(obj.penalty)

    @staticmethod
    def resolve_total(obj) -> str:
        return str(obj.total)


@router.get(
    "/supervision/scores",
    response={200: list[DepartmentScoreOut], **ERRORS},
    summary="部门绩效考评得分（最新一版）",
    description="某年度最新一版考评结果：名次、总分和得分明细；一票否决的部门排在最后。",
)
def list_scores(request, year: int):
    run = selectors.latest_run(request.auth, year=year)
    return list(selectors.run_scores(run)) if run else []
