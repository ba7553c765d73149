"""Writes for key projects, and the scheduling rules every write path applies.

The page forms, the bulk monthly entry, the importers and the API all come through
``check_progress`` (and the services below), so a rule holds however a figure arrives.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwei.core import alerts, clock, uploads
from shouwei.core.choices import Role
from shouwei.core.formatting import format_measure
from shouwei.core.permissions import ADD, CHANGE, require
from shouwei.core.services import record_create

from .choices import ProblemStatus, ProcedureKind, Stage
from .models import (
    AnnualPlan,
    CallRow,
    Problem,
    Procedure,
    ProgressPhoto,
    ProgressReport,
    Project,
    RollingPlan,
    SchedulingCall,
)

security_log = logging.getLogger("shouwei.security")
DEFAULT_BEHIND_MARGIN = Decimal("0.10")


def behind_margin() -> Decimal:
    return Decimal(str(getattr(settings, "SHOUWEI_PROJECT_BEHIND_MARGIN", DEFAULT_BEHIND_MARGIN)))


def completion_rate(*, completed: Decimal | None, planned: Decimal | None) -> Decimal | None:
    """Completed this year / annual plan; None when there is no plan to measure against."""
    if planned is None or planned <= 0:
        return None
    return (completed or Decimal(0)) / planned


def elapsed_share(month: int) -> Decimal:
    return Decimal(month) / Decimal(12)


def is_behind(
    *, completed: Decimal | None, planned: Decimal | None, month: int, margin: Decimal | None = None
) -> bool:
    """Behind plan: the completion rate trails the share of the year elapsed by more than the
    margin (exactly the margin is not behind: 40% at June with a 10% margin is on track)."""
    rate = completion_rate(completed=completed, planned=planned)
    if rate is None:
        return False
    margin = behind_margin() if margin is None else margin
    return elapsed_share(month) - rate > margin


@dataclass(frozen=True)
class Previous:
    """What the month before says: the year-to-date it reached and the stage it was in."""

    period: str
    invested_ytd: Decimal
    stage: str


def previous_report(project: Project, period: str) -> Previous | None:
    row = (
        ProgressReport.objects.filter(project=project, period__lt=period)
        .order_by("-period")
        .values_list("period", "invested_ytd", "stage")
        .first()
    )
    return Previous(*row) if row else None


def check_progress(
    *,
    project: Project,
    period: str,
    invested_this_month: Decimal | None,
    invested_ytd: Decimal | None,
    stage: str,
    stage_change_reason: str,
    is_correction: bool,
    correction_reason: str,
    previous: Previous | None,
) -> dict[str, str]:
    """The rules for one month's report: {field: Chinese message} for each one broken."""
    errors: dict[str, str] = {}
    for name, value in (
        ("invested_this_month", invested_this_month),
        ("invested_ytd", invested_ytd),
    ):
        if value is None:
            errors[name] = _("必须填写数字")
        elif value < 0:
            errors[name] = _("投资额不能为负数")
    if period < project.start_month:
        errors["period"] = _("月份%(period)s早于项目开工月份%(start)s，不能填报进度") % {
            "period": period,
            "start": project.start_month,
        }
    # Year-to-date restarts each January: only the same year's earlier month constrains it.
    same_year = previous is not None and previous.period[:4] == period[:4]
    if (
        same_year
        and "invested_ytd" not in errors
        and invested_ytd < previous.invested_ytd
        and not (is_correction and correction_reason.strip())
    ):
        errors["invested_ytd"] = _(
            "年初至今完成投资%(ytd)s低于%(prev_period)s的%(prev)s；如确需调减，请勾选“更正”并说明原因"
        ) % {
            "ytd": format_measure(invested_ytd, "亿元"),
            "prev_period": previous.period,
            "prev": format_measure(previous.invested_ytd, "亿元"),
        }
    if (
        previous is not None
        and stage in Stage.values
        and Stage.order(stage) < Stage.order(previous.stage)
        and not stage_change_reason.strip()
    ):
        errors["stage_change_reason"] = _("阶段由“%(prev)s”退回“%(now)s”，须说明阶段回退原因") % {
            "prev": Stage(previous.stage).label,
            "now": Stage(stage).label,
        }
    return errors


def _require_editable(project: Project, by) -> None:
    require(by, CHANGE, project, _("您无权修改项目“%(name)s”") % {"name": project.name})


@transaction.atomic
def progress_save(
    *,
    by,
    project: Project,
    period: str,
    invested_this_month: Decimal,
    invested_ytd: Decimal,
    stage: str,
    entered_statistics_on: date | None = None,
    narrative: str = "",
    stage_change_reason: str = "",
    is_correction: bool = False,
    correction_reason: str = "",
) -> ProgressReport:
    """Create or update the project's report for the month, and move the project's current
    stage when this is its latest report."""
    _require_editable(project, by)
    # One writer per project at a time: the month-before checks and the report chain
    # (next_period) read the project's other reports.
    Project.objects.select_for_update().filter(pk=project.pk).exists()
    errors = check_progress(
        project=project,
        period=period,
        invested_this_month=invested_this_month,
        invested_ytd=invested_ytd,
        stage=stage,
        stage_change_reason=stage_change_reason,
        is_correction=is_correction,
        correction_reason=correction_reason,
        previous=previous_report(project, period),
    )
    if errors:
        raise ValidationError(errors)
    report = ProgressReport.objects.filter(project=project, period=period).first()
    report = report or ProgressReport(project=project, period=period)
    report.invested_this_month = invested_this_month
    report.invested_ytd = invested_ytd
    report.stage = stage
    report.entered_statistics_on = entered_statistics_on
    report.narrative = narrative
    report.stage_change_reason = stage_change_reason
    report.is_correction = is_correction
    report.correction_reason = correction_reason
    report.entered_by = by
    report.full_clean(exclude=["project"])
    report._history_user = by
    report.save()
    sync_stages([project.pk], by=by)
    return report


@transaction.atomic
def progress_update(
    *,
    by,
    instance: ProgressReport,
    project: Project,
    period: str,
    invested_this_month: Decimal,
    invested_ytd: Decimal,
    stage: str,
    entered_statistics_on: date | None = None,
    narrative: str = "",
    stage_change_reason: str = "",
    is_correction: bool = False,
    correction_reason: str = "",
) -> ProgressReport:
    """Change a month's report. It stays the report of its project and month: another month
    is another report (``progress_save``)."""
    if (project.pk, period) != (instance.project_id, instance.period):
        raise ValidationError(_("一份进度只属于一个项目的一个月份，其他月份请另行填报"))
    return progress_save(
        by=by,
        project=project,
        period=period,
        invested_this_month=invested_this_month,
        invested_ytd=invested_ytd,
        stage=stage,
        entered_statistics_on=entered_statistics_on,
        narrative=narrative,
        stage_change_reason=stage_change_reason,
        is_correction=is_correction,
        correction_reason=correction_reason,
    )


@transaction.atomic
def progress_delete(*, by, instance: ProgressReport) -> None:
    """Delete a month's report (refused while photos hang on it); the project moves back to
    its latest remaining report's stage."""
    _require_editable(instance.project, by)
    instance._history_user = by
    instance.delete()
    sync_stages([instance.project_id], by=by)


def progress_written(project_ids: Iterable[int], *, since: str | None) -> None:
    """After reports were written or removed in bulk (imports, their rollback): the upkeep
    ``ProgressReport.save``/``delete`` and ``progress_save`` do for one report. ``since``: the
    earliest month added or removed (None: none was, only figures changed)."""
    ids = sorted(set(project_ids))
    if since is not None:
        relink_reports(ids, since=since)
    sync_stages(ids)


RELINK_CHUNK = 1000


def relink_reports(project_ids: Iterable[int], *, since: str | None = None) -> None:
    """Recompute ``next_period`` for the reports of these projects, one UPDATE per thousand
    projects (see ``ProgressReportQuerySet.relink``)."""
    ids = list(project_ids)
    for start in range(0, len(ids), RELINK_CHUNK):
        chunk = ids[start : start + RELINK_CHUNK]
        ProgressReport.objects.filter(project_id__in=chunk).relink(since=since)


def sync_stages(project_ids: Iterable[int], *, by=None) -> None:
    """A project's current stage is its latest report's. Only the projects whose stage
    differs are saved (one at a time, so that the history records each change, by ``by``
    when given, else by the request's user)."""
    ids = list(project_ids)
    for start in range(0, len(ids), RELINK_CHUNK):
        latest = dict(
            ProgressReport.objects.filter(
                project_id__in=ids[start : start + RELINK_CHUNK], next_period__isnull=True
            )
            .exclude(stage=F("project__stage"))
            .values_list("project_id", "stage")
        )
        for project in Project.objects.filter(pk__in=latest):
            project.stage = latest[project.pk]
            if by is not None:
                project._history_user = by
            project.save(update_fields=["stage"])


# Photos are shown at most this wide or high; the thumbnails on the project page, this.
PHOTO_MAX_SIDE = 1600
THUMBNAIL_SIDE = 320


def photo_add(
    *,
    by,
    report: ProgressReport,
    name: str,
    data: bytes,
    caption: str = "",
    taken_on: date | None = None,
) -> ProgressPhoto:
    """Store a site photo for a month's report: only for a user who may change the project,
    only a real PNG/JPEG/GIF/WebP (decoded and encoded again: EXIF, GPS and anything appended
    are dropped), under a random name. Either the row and both files exist afterwards, or
    neither (a failed write removes the files it wrote)."""
    _require_editable(report.project, by)
    if "\x00" in caption:
        raise ValidationError({"caption": _("说明中含有非法字符")})
    limit = settings.SHOUWEI_PHOTO_UPLOAD_MAX_BYTES
    checked = uploads.check_image(name, data, limit=limit, max_side=PHOTO_MAX_SIDE, field="image")
    thumb = uploads.check_image(name, checked.data, limit=limit, max_side=THUMBNAIL_SIDE)
    photo = ProgressPhoto(
        report=report,
        content_type=checked.content_type,
        original_name=checked.original_name,
        caption=caption.strip(),
        taken_on=taken_on,
        uploaded_by=by,
    )
    photo.full_clean(exclude=["image", "thumbnail"])
    stem = secrets.token_hex(12)
    try:
        with transaction.atomic():
            photo.image.save(f"{stem}.{checked.extension}", ContentFile(checked.data), save=False)
            photo.thumbnail.save(f"{stem}-s.{thumb.extension}", ContentFile(thumb.data), save=False)
            photo._change_reason = _("上传进度照片")
            photo.save()
    except Exception:
        for stored in (photo.image, photo.thumbnail):
            if stored.name:
                stored.storage.delete(stored.name)
        raise
    return photo


@transaction.atomic
def escalate_overdue(*, today: date) -> int:
    """Hand every open problem past its deadline to the leaders, once: mark it escalated and
    notify the leaders over the project's department (a zone leader leads its departments)
    and the staff of the department that owns the problem. Returns how many were escalated.

    The notification's key names the problem, so a person is never told twice about the same
    escalation, even if this runs again before they have read it."""
    now = timezone.now()
    overdue = Problem.objects.filter(
        status=ProblemStatus.OPEN, deadline__lt=today, escalated_at__isnull=True
    ).select_related("project__responsible_unit", "owner_unit")
    board = reverse("projects:problem_board")
    count = 0
    # Locked and re-checked: two runs at once (a worker and `shouwei worker --run`) cannot
    # both escalate, and notify, the same problem.
    for problem in overdue.select_for_update(of=("self",)):
        problem.escalated_at = now
        problem._change_reason = _("逾期未解决，提交领导协调")
        problem.save(update_fields=["escalated_at"])
        _notify_escalation(problem, today=today, url=board)
        count += 1
    return count


def _notify_escalation(problem: Problem, *, today: date, url: str) -> None:
    title = _("项目问题逾期未解决：%(project)s") % {"project": problem.project.name}
    body = _("%(problem)s（责任单位：%(owner)s；办结时限 %(deadline)s，已逾期 %(days)s 天）") % {
        "problem": problem.description[:200],
        "owner": problem.owner_unit.name,
        "deadline": f"{problem.deadline:%Y-%m-%d}",
        "days": (today - problem.deadline).days,
    }
    key = f"projects.problem-overdue:{problem.pk}"
    message = {"title": title, "body": body, "url": url, "key": key}
    alerts.notify_roles(unit=problem.project.responsible_unit, roles=[Role.LEADER], **message)
    alerts.notify_roles(unit=problem.owner_unit, roles=[Role.STAFF], **message)


# --- 调度任务: issuing, answering, closing and 催报 ----------------------------------------------
CALL_SCOPE_FIELDS = ("issuing_unit", "period_kind", "period", "level", "stage", "department")


def call_projects(call: SchedulingCall):
    """The projects a call asks: those of the units under the issuing unit (or under the
    department it names) that match its level and stage."""
    unit = call.department or call.issuing_unit
    qs = Project.objects.filter(responsible_unit__path__startswith=unit.path)
    if call.level:
        qs = qs.filter(level=call.level)
    if call.stage:
        qs = qs.filter(stage=call.stage)
    return qs


@transaction.atomic
def call_issue(*, by, title: str = "", **fields) -> SchedulingCall:
    """Issue a call: the record and one row per project it asks, in one transaction."""
    call = SchedulingCall(**fields, issued_by=by)
    call.title = title.strip() or _("%(period)s重点项目调度") % {"period": call.period}
    require(by, ADD, call, _("您无权在该单位下发调度"))
    call.full_clean()
    projects = call_projects(call)
    if not projects.exists():
        raise ValidationError(_("没有符合条件的项目，调度未下发"))
    call._history_user = by
    call.save()
    _insert_rows(call, projects, by=by)
    return call


def _insert_rows(call: SchedulingCall, projects, *, by) -> None:
    """A row per project, and its first history version, each as one INSERT … SELECT: a call
    over 20,000 projects is two statements, not 20,000 objects through Python (SQLite allows
    ~60 rows per multi-row INSERT of this width, so bulk_create needed hundreds)."""
    from django.db import connection
    from django.db.models import BooleanField, CharField, DateTimeField, IntegerField, Value
    from django.db.models.functions import Cast

    def insert(table: str, columns: list[str], qs) -> None:
        sql, params = qs.query.sql_with_params()
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {connection.ops.quote_name(table)} ({names}) {sql}", params
            )

    text = CharField()
    flag = BooleanField()
    rows = (
        projects.order_by()
        .annotate(
            _call=Value(call.pk, output_field=IntegerField()),
            _text=Value("", output_field=text),
            _flag=Value(False, output_field=flag),
        )
        .values_list("_call", "pk", "responsible_unit_id", "_text", "_text", "_flag", "_flag")
    )
    fixed = ["call_id", "project_id", "unit_id", "answer", "problems", "late", "after_close"]
    insert(CallRow._meta.db_table, fixed, rows)
    history = CallRow.history.model
    versions = (
        CallRow.objects.filter(call=call)
        .order_by()
        .annotate(
            _date=Value(timezone.now(), output_field=DateTimeField()),
            _type=Value("+", output_field=text),
            # Typed: PostgreSQL reads an untyped NULL in a SELECT list as text.
            _user=Cast(Value(getattr(by, "pk", None)), IntegerField()),
            _reason=Value(_("下发调度"), output_field=text),
        )
        .values_list("pk", *fixed, "_date", "_type", "_user", "_reason")
    )
    insert(
        history._meta.db_table,
        [
            "id",
            *fixed,
            "history_date",
            "history_type",
            "history_user_id",
            "history_change_reason",
        ],
        versions,
    )


def _value_of(value):
    return getattr(value, "pk", value) or None


@transaction.atomic
def call_update(*, by, instance: SchedulingCall, **fields) -> SchedulingCall:
    """Change the wording, deadline or reminders of an open call. What it asks of whom (the
    period and the project filter) was fixed when it was issued: another scope is another call."""
    stored = SchedulingCall.objects.select_for_update().get(pk=instance.pk)
    require(by, CHANGE, stored, _("调度已关闭或您无权修改"))
    changed = [
        name
        for name in CALL_SCOPE_FIELDS
        if name in fields and _value_of(fields[name]) != _value_of(getattr(stored, name))
    ]
    if changed:
        raise ValidationError(_("调度下发后不能修改期间和调度范围；如需调整请关闭后重新下发"))
    for name, value in fields.items():
        setattr(stored, name, value)
    stored.title = stored.title.strip() or instance.title
    stored.full_clean()
    stored._history_user = by
    stored.save()
    return stored


@transaction.atomic
def call_close(*, by, call: SchedulingCall) -> SchedulingCall:
    """Close a call: rows answered afterwards are still kept, flagged as after the close."""
    stored = SchedulingCall.objects.select_for_update().get(pk=call.pk)
    require(by, "close", stored, _("调度已关闭或您无权关闭"))
    stored.closed_at = timezone.now()
    stored.closed_by = by
    stored._history_user = by
    stored._change_reason = _("关闭调度")
    stored.save(update_fields=["closed_at", "closed_by"])
    return stored


@transaction.atomic
def call_answer(
    *,
    by,
    row: CallRow,
    answer: str = "",
    problems: str = "",
    today: date | None = None,
    **progress,
) -> CallRow:
    """Answer one row: the answer *is* the project's progress report for the call's month
    (``progress_save``, with every rule of the monthly entry), and the row points at it.

    Refused for a row of another unit. An answer after the deadline is kept and marked late;
    one after the call was closed is kept too, marked late and after the close."""
    stored = CallRow.objects.select_for_update().select_related("call", "project").get(pk=row.pk)
    require(
        by,
        CHANGE,
        stored,
        _("项目“%(name)s”不是您单位负责的，不能填报") % {"name": stored.project.name},
    )
    call = stored.call
    today = today or clock.today()
    report = progress_save(by=by, project=stored.project, period=call.report_month, **progress)
    if stored.answered_at is None:
        stored.answered_on = today
        stored.late = today > call.deadline or call.is_closed
    stored.after_close = stored.after_close or call.is_closed
    stored.answered_at = timezone.now()
    stored.answered_by = by
    stored.report = report
    stored.answer = answer.strip()
    stored.problems = problems.strip()
    stored.full_clean(exclude=["call", "project", "unit", "report"])
    stored._history_user = by
    if stored.after_close:
        stored._change_reason = _("调度关闭后填报")
    stored.save()
    answer_problem_sync(by=by, row=stored, today=today)
    return stored


# A problem raised in a call's answer is due two weeks after the answer: by then two weekly
# calls have asked about it again. The owning department moves the date on the problem's page.
CALL_PROBLEM_DAYS = 14
# Stored as data, in Chinese whatever the author's language (the rule below reads it back).
WITHDRAWN = "填报单位已在调度填报中撤回该问题"


def answer_problem_sync(*, by, row: CallRow, today: date) -> Problem | None:
    """The problem typed in a call's answer as a ``Problem`` of the project: raised by the row's
    unit, owned by it (it hands the problem on from the problem's page), linked to the row.
    Once per answer: an edited answer rewrites its problem's text; an answer whose problem was
    cleared closes the problem it had raised, saying so; an empty one raises none."""
    text = row.problems.strip()
    problem = Problem.objects.select_for_update().filter(source_row=row).first()
    if problem is None:
        if not text:
            return None
        problem = Problem(
            project=row.project,
            description=text,
            owner_unit=row.unit,
            reporting_unit=row.unit,
            deadline=today + timedelta(days=CALL_PROBLEM_DAYS),
            source_row=row,
        )
        require(by, ADD, problem, _("您无权为该项目登记问题"))
        problem._change_reason = _("调度填报提出")
    elif text and (text != problem.description or problem.resolution == WITHDRAWN):
        # Typed again after it was withdrawn, or reworded after it was resolved: open again.
        require(by, CHANGE, problem, _("您无权修改该问题"))
        problem.description = text
        if problem.status == ProblemStatus.RESOLVED:
            problem.status, problem.resolution = ProblemStatus.OPEN, ""
        problem._change_reason = _("调度填报修改")
    elif not text and problem.status == ProblemStatus.OPEN:
        require(by, CHANGE, problem, _("您无权修改该问题"))
        problem.status, problem.resolution = ProblemStatus.RESOLVED, WITHDRAWN
        problem._change_reason = _("调度填报撤回")
    else:
        return problem
    problem.full_clean()
    problem._history_user = by
    problem.save()
    return problem


def _unanswered_by_unit(call: SchedulingCall, **filters) -> dict[int, int]:
    rows = (
        CallRow.objects.filter(call=call, answered_at__isnull=True, **filters)
        .values("unit")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["unit"]: r["n"] for r in rows}


def _tell_unit(call: SchedulingCall, unit, *, count: int, kind: str, roles, today: date) -> int:
    days = (call.deadline - today).days
    if kind == "before":
        title = _("催报：%(call)s") % {"call": call.title}
        when = _("%(deadline)s截止（还有 %(days)s 天）") % {
            "deadline": f"{call.deadline:%Y-%m-%d}",
            "days": days,
        }
    else:
        title = (
            _("调度逾期未报：%(call)s") if kind == "after" else _("调度逾期提级：%(call)s")
        ) % {"call": call.title}
        when = _("%(deadline)s已截止，逾期 %(days)s 天") % {
            "deadline": f"{call.deadline:%Y-%m-%d}",
            "days": -days,
        }
    body = _("%(unit)s尚有 %(n)s 个项目未填报；%(when)s") % {
        "unit": unit.name,
        "n": count,
        "when": when,
    }
    if kind == "escalate":
        url = reverse("projects:schedulingcall_detail", args=[call.pk])
    else:
        url = f"{reverse('projects:progress_entry')}?call={call.pk}"
    key = f"projects.call-{kind}:{call.pk}:{unit.pk}"
    return alerts.notify_roles(unit=unit, roles=roles, title=title, body=body, url=url, key=key)


@transaction.atomic
def remind_calls(*, today: date) -> dict[str, int]:
    """催报 for every open call, once per unit and stage: from ``remind_days_before`` days
    before the deadline up to it, the staff of units with unanswered rows; the day after it,
    again (逾期未报); ``escalate_days_after`` days after it, the unit's leaders (a zone leader
    leads its departments). Returns how many units were told at each stage."""
    from shouwei.core.models import Unit

    now = timezone.now()
    told = {"before": 0, "after": 0, "escalate": 0}
    calls = SchedulingCall.objects.filter(
        closed_at__isnull=True, deadline__gte=today - timedelta(days=31)
    )
    for call in calls.select_for_update():
        if call.deadline - timedelta(days=call.remind_days_before) <= today <= call.deadline:
            stages = [("before", "reminded_before_at", (Role.STAFF,))]
        elif today > call.deadline:
            stages = [("after", "reminded_after_at", (Role.STAFF,))]
            if today >= call.deadline + timedelta(days=call.escalate_days_after):
                stages.append(("escalate", "escalated_at", (Role.LEADER,)))
        else:
            continue
        for kind, mark, roles in stages:
            counts = _unanswered_by_unit(call, **{f"{mark}__isnull": True})
            if not counts:
                continue
            for unit in Unit.objects.filter(pk__in=counts):
                _tell_unit(call, unit, count=counts[unit.pk], kind=kind, roles=roles, today=today)
                told[kind] += 1
            CallRow.objects.filter(
                call=call, answered_at__isnull=True, **{f"{mark}__isnull": True}
            ).update(**{mark: now})
    return told


def call_remind_unit(*, by, call: SchedulingCall, unit, today: date | None = None) -> int:
    """One click on the board: remind one unit's staff of its unanswered rows now. Returns
    how many people were told (0: nothing unanswered, or they have not read the last one)."""
    require(by, "remind", call, _("调度已关闭或您无权催报"))
    today = today or clock.today()
    count = _unanswered_by_unit(call, unit=unit).get(unit.pk, 0)
    if not count:
        return 0
    kind = "before" if today <= call.deadline else "after"
    days = (call.deadline - today).days
    title = _("催报：%(call)s") % {"call": call.title}
    body = _("%(unit)s尚有 %(n)s 个项目未填报；截止日期 %(deadline)s%(late)s") % {
        "unit": unit.name,
        "n": count,
        "deadline": f"{call.deadline:%Y-%m-%d}",
        "late": _("，已逾期 %(days)s 天") % {"days": -days} if kind == "after" else "",
    }
    url = f"{reverse('projects:progress_entry')}?call={call.pk}"
    key = f"projects.call-remind:{call.pk}:{unit.pk}"
    return alerts.notify_roles(
        unit=unit, roles=(Role.STAFF,), title=title, body=body, url=url, key=key
    )


# --- 前期手续 ----------------------------------------------------------------------------------
# Which procedures must be done before which (actual dates): the construction permit needs
# the planning permit, the land and the project's approval (《建筑工程施工许可管理办法》第四条);
# the planning permit needs the land (《城乡规划法》第三十七、三十八条).
PREREQUISITES = {
    ProcedureKind.PLANNING: (ProcedureKind.LAND,),
    ProcedureKind.CONSTRUCTION: (
        ProcedureKind.APPROVAL,
        ProcedureKind.LAND,
        ProcedureKind.PLANNING,
    ),
}


def procedure_order_problem(
    *, project: Project, kind: str, done_on: date | None, exclude_pk: int | None = None
) -> str | None:
    """The Chinese message when this procedure's actual date comes before a prerequisite's, or
    after one that needs it; None when the order holds (or a date is missing)."""
    if done_on is None:
        return None
    others = dict(
        Procedure.objects.filter(project=project, done_on__isnull=False)
        .exclude(kind=ProcedureKind.CUSTOM)
        .exclude(pk=exclude_pk)
        .values_list("kind", "done_on")
    )
    return order_problem(kind=kind, done_on=done_on, others=others)


def order_problem(*, kind: str, done_on: date | None, others: dict[str, date]) -> str | None:
    """The order rule against the project's other done procedures (``kind: done_on``)."""
    if done_on is None:
        return None
    for before in PREREQUISITES.get(kind, ()):
        if before in others and done_on < others[before]:
            return _("%(this)s（%(date)s）早于其前置手续%(other)s（%(other_date)s）") % {
                "this": ProcedureKind(kind).label,
                "date": f"{done_on:%Y-%m-%d}",
                "other": ProcedureKind(before).label,
                "other_date": f"{others[before]:%Y-%m-%d}",
            }
    for after, needs in PREREQUISITES.items():
        if kind in needs and after in others and others[after] < done_on:
            return _("%(other)s（%(other_date)s）早于其前置手续%(this)s（%(date)s）") % {
                "this": ProcedureKind(kind).label,
                "date": f"{done_on:%Y-%m-%d}",
                "other": ProcedureKind(after).label,
                "other_date": f"{others[after]:%Y-%m-%d}",
            }
    return None


def check_procedure(procedure: Procedure) -> None:
    """The checklist's rules for one item (pages, API and importer alike)."""
    problem = procedure_order_problem(
        project=procedure.project,
        kind=procedure.kind,
        done_on=procedure.done_on,
        exclude_pk=procedure.pk,
    )
    if problem and not procedure.order_note.strip():
        raise ValidationError({"done_on": problem + _("；如确实如此，请在“顺序说明”中说明原因")})


def _procedure_write(procedure: Procedure, *, by, action: str, fields: dict) -> Procedure:
    for name, value in fields.items():
        setattr(procedure, name, value)
    require(by, action, procedure, _("您无权修改该项目的前期手续"))
    procedure.full_clean()
    Project.objects.select_for_update().filter(pk=procedure.project_id).exists()
    check_procedure(procedure)
    procedure._history_user = by
    procedure.save()
    return procedure


@transaction.atomic
def procedure_create(*, by, **fields) -> Procedure:
    return _procedure_write(Procedure(), by=by, action=ADD, fields=fields)


@transaction.atomic
def procedure_update(*, by, instance: Procedure, **fields) -> Procedure:
    stored = Procedure.objects.select_for_update().get(pk=instance.pk)
    return _procedure_write(stored, by=by, action=CHANGE, fields=fields)


# --- 滚动投资计划 ------------------------------------------------------------------------------
def check_rolling_plan(plan: RollingPlan, *, annual=...) -> None:
    """Its first year is the year's annual plan, or the note says why not. ``annual``: the
    annual plan's amount when the caller has read it already (an importer), None for none."""
    if annual is ...:
        annual = (
            AnnualPlan.objects.filter(project=plan.project, year=plan.base_year)
            .values_list("planned_investment", flat=True)
            .first()
        )
    if annual is not None and annual != plan.year1 and not plan.note.strip():
        raise ValidationError(
            {
                "note": _(
                    "当年计划%(rolling)s与%(year)s年度计划%(annual)s不一致，须在“说明”中写明原因"
                )
                % {
                    "rolling": format_measure(plan.year1, "亿元"),
                    "year": plan.base_year,
                    "annual": format_measure(annual, "亿元"),
                }
            }
        )


def _rolling_write(plan: RollingPlan, *, by, action: str, fields: dict) -> RollingPlan:
    for name, value in fields.items():
        setattr(plan, name, value)
    require(by, action, plan, _("您无权修改该项目的滚动计划"))
    plan.full_clean()
    check_rolling_plan(plan)
    plan._history_user = by
    plan.save()
    return plan


@transaction.atomic
def rolling_plan_create(*, by, **fields) -> RollingPlan:
    return _rolling_write(RollingPlan(), by=by, action=ADD, fields=fields)


@transaction.atomic
def rolling_plan_update(*, by, instance: RollingPlan, **fields) -> RollingPlan:
    stored = RollingPlan.objects.select_for_update().get(pk=instance.pk)
    return _rolling_write(stored, by=by, action=CHANGE, fields=fields)


# --- the public service other apps call (investment: a signed lead becomes a key project) ---
def project_create(*, by, **fields) -> Project:
    """A key project, through the same contract and validation as the project form."""
    return record_create(Project, by=by, **fields)


def completed_investment(project: Project) -> Decimal:
    """The project's investment completed to date (亿元): the sum of its monthly figures."""
    total = project.progress_reports.aggregate(total=Sum("invested_this_month"))["total"]
    return total or Decimal(0)
