"""周调度 sheet: the week's key-project schedule as .xlsx (page download and ``shouwei report``).

Figures are as of the newest month reported by the end of the week (monthly reports are what
there is; a week in July shows June's year-to-date until July is reported).
"""

from __future__ import annotations

import calendar
import io
import re
from datetime import date, timedelta
from urllib.parse import quote

import xlsxwriter

from shouwei.core import clock
from shouwei.core.models import Unit

from . import selectors
from .choices import ProjectLevel, Stage
from .models import Problem
from .services import completion_rate, is_behind

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
        selectors.with_progress_joined(selectors.projects_under(user, unit), year=year, month=month)
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
    open_by_project: dict[int, list[Problem]] = {}
    for problem in problems:
        open_by_project.setdefault(problem.project_id, []).append(problem)

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True, "border": 1, "bg_color": "#DCE6F1", "text_wrap": True})
    cell = book.add_format({"border": 1, "valign": "top", "text_wrap": True})
    money = book.add_format({"border": 1, "num_format": "0.00", "valign": "top"})
    pct = book.add_format({"border": 1, "num_format": "0.0%", "valign": "top"})
    title = book.add_format({"bold": True, "font_size": 14})

    unit_name = unit.name if unit else "全部单位"
    sheet = book.add_worksheet("周调度")
    sheet.write(
        0,
        0,
        f"{unit_name}重点项目周调度表（{week.upper()}，{monday:%m月%d日}—{sunday:%m月%d日}）",
        title,
    )
    sheet.write(1, 0, f"投资数据截至{year}年{month}月；完成率=年内累计完成/年度计划")
    header_row = 3
    for col, text in enumerate(PROJECT_HEADERS):
        sheet.write(header_row, col, text, bold)
    row = header_row
    for i, p in enumerate(projects, 1):
        row += 1
        rate = completion_rate(completed=p.completed, planned=p.planned)
        behind = is_behind(completed=p.completed, planned=p.planned, month=month)
        issues = open_by_project.get(p.pk, [])
        values = (
            i,
            p.code,
            p.name,
            str(ProjectLevel(p.level).label),
            p.responsible_unit.name,
            p.responsible_leader,
            p.owner_enterprise,
        )
        for col, value in enumerate(values):
            sheet.write(row, col, value, cell)
        sheet.write_number(row, 7, float(p.planned or 0), money)
        sheet.write_number(row, 8, float(p.completed), money)
        if rate is None:
            sheet.write_blank(row, 9, None, pct)
        else:
            sheet.write_number(row, 9, float(rate), pct)
        sheet.write(row, 10, "是" if behind else "", cell)
        sheet.write(row, 11, str(Stage(p.stage).label), cell)
        sheet.write(row, 12, "已入库" if p.pk in entered else "未入库", cell)
        sheet.write(row, 13, "；".join(x.description for x in issues), cell)
    total_row = row + 1
    sheet.write(total_row, 0, "合计", bold)
    for col in range(1, len(PROJECT_HEADERS)):
        sheet.write_blank(total_row, col, None, bold)
    planned = sum((p.planned or 0) for p in projects)
    completed = sum(p.completed for p in projects)
    sheet.write_number(total_row, 7, float(planned), money)
    sheet.write_number(total_row, 8, float(completed), money)
    rate = completion_rate(completed=completed, planned=planned)
    if rate is not None:
        sheet.write_number(total_row, 9, float(rate), pct)
    sheet.write(total_row, 2, f"{len(projects)}个项目", bold)
    for col, width in enumerate((5, 16, 32, 8, 20, 10, 24, 12, 12, 8, 8, 8, 8, 40)):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(header_row + 1, 3)

    overdue = [x for x in problems if x.deadline < sunday]
    sheet2 = book.add_worksheet("逾期问题")
    sheet2.write(0, 0, f"截至{sunday:%Y年%m月%d日}逾期未解决的问题（{len(overdue)}个）", title)
    for col, text in enumerate(PROBLEM_HEADERS):
        sheet2.write(2, col, text, bold)
    for r, x in enumerate(overdue, 3):
        sheet2.write(r, 0, x.project.name, cell)
        sheet2.write(r, 1, x.description, cell)
        sheet2.write(r, 2, x.owner_unit.name, cell)
        sheet2.write(r, 3, f"{x.deadline:%Y-%m-%d}", cell)
        sheet2.write_number(r, 4, (sunday - x.deadline).days, cell)
        sheet2.write(r, 5, "是" if x.escalated_at else "否", cell)
    for col, width in enumerate((32, 48, 20, 12, 10, 8)):
        sheet2.set_column(col, col, width)
    book.close()
    filename = quote(f"重点项目周调度-{unit.code if unit else 'all'}-{week.upper()}.xlsx")
    return buffer.getvalue(), filename
