"""Writes for key projects, and the scheduling rules every write path applies.

The page forms, the bulk monthly entry, the importers and the API all come through
``check_progress`` (and the services below), so a rule holds however a figure arrives.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwei.core import alerts, uploads
from shouwei.core.choices import Role
from shouwei.core.formatting import format_measure
from shouwei.core.permissions import CHANGE, require
from shouwei.core.services import record_create

from .choices import ProblemStatus, Stage
from .models import Problem, ProgressPhoto, ProgressReport, Project

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


# --- the public service other apps call (investment: a signed lead becomes a key project) ---
def project_create(*, by, **fields) -> Project:
    """A key project, through the same contract and validation as the project form."""
    return record_create(Project, by=by, **fields)


def completed_investment(project: Project) -> Decimal:
    """The project's investment completed to date (亿元): the sum of its monthly figures."""
    total = project.progress_reports.aggregate(total=Sum("invested_this_month"))["total"]
    return total or Decimal(0)
