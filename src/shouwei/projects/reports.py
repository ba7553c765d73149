"""周调度 sheet: the week's key-project schedule as .xlsx (page download and ``shouwei report``).

Figures are as of the newest month reported by the end of the week (monthly reports are what
there is), each project's from its own latest report up to that month: a week in July shows
June's year-to-date for a project that has not reported July yet, and the sheet says so, per
project (数据月份) and in its note. Written by the one writer (``core.exports``).

The 周调度 covers the 省、市重点 (the projects the zone schedules and reports up); the 区重点
are on the project list, not on this sheet.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from datetime import date, timedelta

from django.db.models import F

from shouwei.core import clock, exports
from shouwei.core.models import Unit

from . import selectors
from .choices import HEADLINE_LEVELS, ProjectLevel, Stage
from .models import AnnualPlan, CallRow, Problem
from .services import completion_rate, is_behind

MONEY = exports.decimals_format(2)  # 亿元, two places as everywhere
WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)

PROJECT_HEADERS = (
    "序号",
    "项目代码",
    "项目名称",
    "级别",
    "责任部门",
    "责任领导",
    "业主单位",
    "年度计划（亿元）",
    "累计完成（亿元）",
    "数据月份",
    "完成率",
    "滞后于计划",
    "当前阶段",
    "入库",
    "待解决问题",
)
PROBLEM_HEADERS = ("项目", "问题描述", "责任单位", "办结时限", "逾期天数", "已提级")


class ReportError(ValueError):
    """A request the sheet cannot be made for; the message is shown to the user."""


def parse_week(text: str) -> tuple[date, date]:
    m = WEEK.match(text.strip())
    if not m:
        raise ReportError(f"无法识别的周“{text}”：应为 2022-W30 这样的 ISO 周")
    year, week = int(m.group(1)), int(m.group(2))
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ReportError(f"{year}年没有第{week}周") from None
    return monday, monday + timedelta(days=6)


def current_week() -> str:
    year, week, _day = clock.today().isocalendar()
    return f"{year}-W{week:02d}"


def default_week(*, user, unit: Unit | None) -> str:
    """This week (by the business clock: the demo runs in the week of 2022-07-29); when nothing
    of this week's year is reported yet, the week in which the newest reported month ends."""
    week = current_week()
    try:
        _data_month(user, unit, parse_week(week)[1])
    except ReportError:
        latest = selectors.latest_month(user, unit)
        if latest:
            return week_of(month_end(*latest))
    return week


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def week_of(day: date) -> str:
    year, week, _day = day.isocalendar()
    return f"{year}-W{week:02d}"


def _data_month(user, unit: Unit | None, sunday: date) -> tuple[int, int]:
    latest = (
        selectors.ProgressReport.objects.visible_to(user)
        .filter(
            project__in=selectors.projects_under(user, unit),
            period__gte=f"{sunday.year}-01",
            period__lte=f"{sunday:%Y-%m}",
        )
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    if latest is None:
        raise ReportError(f"{sunday.year}年截至{sunday:%Y-%m-%d}还没有任何项目填报月度进度")
    return int(latest[:4]), int(latest[5:7])


def weekly_projects(*, user, unit: Unit | None, week: str) -> tuple[bytes, str]:
    """The sheet's bytes and its file name."""
    monday, sunday = parse_week(week)
    year, month = _data_month(user, unit, sunday)
    projects = list(
        selectors.with_progress_joined(
            selectors.projects_under(user, unit).filter(level__in=HEADLINE_LEVELS),
            year=year,
            month=month,
        )
        # The month each project's figure is from: the report that holds at the sheet's month.
        .annotate(data_period=F("month_report__period"))
        .select_related("responsible_unit")
        .order_by(selectors.level_order(), "responsible_unit__path", "code")
    )
    entered = set(
        selectors.ProgressReport.objects.filter(
            project__in=[p.pk for p in projects], entered_statistics_on__isnull=False
        ).values_list("project_id", flat=True)
    )
    problems = list(
        Problem.objects.visible_to(user)
        .filter(project__in=[p.pk for p in projects], status="open")
        .select_related("project", "owner_unit")
        .order_by("deadline", "pk")
    )
    schedule = _schedule_sheet(
        projects,
        problems,
        entered=entered,
        # A stopped project says 停工, not merely "behind plan" (停工 on the week's Sunday).
        stopped=selectors.stopped_ids([p.pk for p in projects], today=sunday),
        unit=unit,
        week=week,
        monday=monday,
        month=month,
    )
    content = exports.xlsx_bytes(
        schedule,
        _overdue_sheet(problems, sunday=sunday),
        watermark=exports.export_watermark(user) if user is not None else "",
    )
    filename = f"重点项目周调度-{unit.code if unit else 'all'}-{week.upper()}.xlsx"
    return content, filename


def _month_label(period: str) -> str:
    return f"{int(period[:4])}年{int(period[5:7])}月"


def data_months_note(periods: list[str | None]) -> str:
    """Which month the figures are from. Departments report when they report: in late July
    most projects may still carry June's year-to-date and a few July's, so one "截至7月" would
    misstate most rows. One month when all agree; otherwise how many projects are at each."""
    counts = Counter(p for p in periods if p)
    missing = sum(1 for p in periods if not p)
    if len(counts) == 1 and not missing:
        return f"投资数据截至{_month_label(next(iter(counts)))}"
    parts = [f"{n}个项目截至{_month_label(p)}" for p, n in sorted(counts.items(), reverse=True)]
    if missing:
        parts.append(f"{missing}个项目本年尚未填报")
    return "投资数据按各项目最新填报月份：" + "，".join(parts) + "（见“数据月份”列）"


def _schedule_sheet(
    projects, problems, *, entered, stopped, unit, week, monday, month
) -> exports.Sheet:
    open_by_project: dict[int, list[Problem]] = {}
    for problem in problems:
        open_by_project.setdefault(problem.project_id, []).append(problem)
    rows = []
    for i, p in enumerate(projects, 1):
        rate = completion_rate(completed=p.completed, planned=p.planned)
        rows.append(
            [
                i,
                p.code,
                p.name,
                str(ProjectLevel(p.level).label),
                p.responsible_unit.name,
                p.responsible_leader,
                p.owner_enterprise,
                exports.Number.of(p.planned or 0, MONEY),
                exports.Number.of(p.completed, MONEY),
                _month_label(p.data_period) if p.data_period else "未填报",
                exports.Number.of(rate, exports.RATE),
                "停工"
                if p.pk in stopped
                else is_behind(completed=p.completed, planned=p.planned, month=month),
                str(Stage(p.stage).label),
                "已入库" if p.pk in entered else "未入库",
                "；".join(x.description for x in open_by_project.get(p.pk, [])),
            ]
        )
    planned = sum((p.planned or 0) for p in projects)
    completed = sum(p.completed for p in projects)
    totals: list = ["合计", None, f"{len(projects)}个项目"] + [None] * (len(PROJECT_HEADERS) - 3)
    totals[7] = exports.Number.of(planned, MONEY)
    totals[8] = exports.Number.of(completed, MONEY)
    totals[10] = exports.Number.of(
        completion_rate(completed=completed, planned=planned), exports.RATE
    )
    unit_name = unit.name if unit else "全部单位"
    sunday = monday + timedelta(days=6)
    return exports.Sheet(
        name="周调度",
        title=f"{unit_name}省、市重点项目周调度表（{week.upper()}，{monday:%m月%d日}—{sunday:%m月%d日}）",
        notes=(
            data_months_note([p.data_period for p in projects]) + "；完成率=年内累计完成/年度计划",
        ),
        header=list(PROJECT_HEADERS),
        rows=rows,
        totals=totals,
        widths=(5, 16, 32, 8, 20, 10, 24, 12, 12, 10, 8, 8, 8, 8, 40),
        wrap=True,
        freeze_columns=3,
    )


def _overdue_sheet(problems, *, sunday: date) -> exports.Sheet:
    overdue = [x for x in problems if x.deadline < sunday]
    return exports.Sheet(
        name="逾期问题",
        title=f"截至{sunday:%Y年%m月%d日}逾期未解决的问题（{len(overdue)}个）",
        header=list(PROBLEM_HEADERS),
        rows=[
            [
                x.project.name,
                x.description,
                x.owner_unit.name,
                f"{x.deadline:%Y-%m-%d}",
                (sunday - x.deadline).days,
                x.escalated_at is not None,
            ]
            for x in overdue
        ],
        widths=(32, 48, 20, 12, 10, 8),
        wrap=True,
    )


# --- the 周调度 sheet of a scheduling call ------------------------------------------------------
CALL_HEADERS = (
    "序号",
    "项目代码",
    "项目名称",
    "级别",
    "填报单位",
    "填报情况",
    "填报日期",
    "年度计划（亿元）",
    "本月完成（亿元）",
    "累计完成（亿元）",
    "完成率",
    "阶段",
    "入库日期",
    "存在问题",
    "问题回复",
)
UNANSWERED_HEADERS = ("填报单位", "项目代码", "项目名称", "已催报", "已提级")


def _row_status(row, *, deadline_passed: bool) -> str:
    if row.answered_at is None:
        return "逾期未报" if deadline_passed else "未报"
    if row.after_close:
        return "关闭后填报"
    return "逾期填报" if row.late else "已报"


def call_sheet(*, user, call, today: date) -> tuple[bytes, str]:
    """The call's answers as the 周调度 sheet: a row per project asked (as far as the user may
    read), its figures from the progress report that answered it, and — for a row not
    answered — 未报 and nothing else (no older figure passed off as this period's). A second
    sheet lists the unanswered rows by unit. Three queries, whatever the size of the call."""
    year = int(call.report_month[:4])
    rows = list(
        CallRow.objects.visible_to(user)
        .filter(call=call)
        .select_related("project", "unit", "report")
        .order_by("unit__path", "project__code")
    )
    # A join on the call, not an IN list of every project (20,000 parameters).
    plans = dict(
        AnnualPlan.objects.filter(project__call_rows__call=call, year=year).values_list(
            "project_id", "planned_investment"
        )
    )
    passed = call.deadline < today
    out, unanswered = [], []
    planned_sum = completed_sum = 0
    for i, r in enumerate(rows, 1):
        p, report = r.project, r.report
        planned = plans.get(p.pk)
        status = _row_status(r, deadline_passed=passed)
        if report is not None:
            completed = report.invested_ytd
            planned_sum += planned or 0
            completed_sum += completed
            figures = [
                exports.Number.of(planned or 0, MONEY),
                exports.Number.of(report.invested_this_month, MONEY),
                exports.Number.of(completed, MONEY),
                exports.Number.of(
                    completion_rate(completed=completed, planned=planned), exports.RATE
                ),
                str(Stage(report.stage).label),
                f"{report.entered_statistics_on:%Y-%m-%d}" if report.entered_statistics_on else "",
            ]
        else:
            unanswered.append(r)
            figures = [exports.Number.of(planned or 0, MONEY), None, None, None, "", ""]
        out.append(
            [
                i,
                p.code,
                p.name,
                str(ProjectLevel(p.level).label),
                r.unit.name,
                status,
                f"{r.answered_on:%Y-%m-%d}" if r.answered_on else "",
                *figures,
                r.problems,
                r.answer,
            ]
        )
    answered = len(rows) - len(unanswered)
    totals: list = ["合计", None, f"{len(rows)}个项目"] + [None] * (len(CALL_HEADERS) - 3)
    totals[5] = f"已报{answered}个，未报{len(unanswered)}个"
    totals[7] = exports.Number.of(planned_sum, MONEY)
    totals[9] = exports.Number.of(completed_sum, MONEY)
    totals[10] = exports.Number.of(
        completion_rate(completed=completed_sum, planned=planned_sum), exports.RATE
    )
    note = (
        f"本表由调度“{call.title}”的填报生成：应报{len(rows)}个项目，已报{answered}个，"
        f"未报{len(unanswered)}个（未报的行不列投资数据）；投资数据为{_month_label(call.report_month)}"
        f"月度进度，合计只含已报项目；填报截止{call.deadline:%Y-%m-%d}"
    )
    if call.question:
        note += f"；调度问题：{call.question}"
    schedule = exports.Sheet(
        name="周调度",
        title=f"{call.title}（{call.period}）",
        notes=(note,),
        header=list(CALL_HEADERS),
        rows=out,
        totals=totals,
        widths=(5, 16, 32, 8, 20, 10, 11, 12, 12, 12, 8, 8, 11, 36, 36),
        wrap=True,
        freeze_columns=3,
    )
    missing = exports.Sheet(
        name="未报项目",
        title=f"截至{today:%Y年%m月%d日}未填报的项目（{len(unanswered)}个）",
        header=list(UNANSWERED_HEADERS),
        rows=[
            [
                r.unit.name,
                r.project.code,
                r.project.name,
                r.reminded_before_at is not None or r.reminded_after_at is not None,
                r.escalated_at is not None,
            ]
            for r in unanswered
        ],
        widths=(20, 16, 32, 8, 8),
        wrap=True,
    )
    return exports.xlsx_bytes(schedule, missing), f"重点项目调度-{call.period}-{call.pk}.xlsx"
