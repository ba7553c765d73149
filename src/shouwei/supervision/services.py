"""Writes of the supervision app, each behind the write contract (``require`` first)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwei.core import clock, uploads
from shouwei.core.alerts import notify_roles
from shouwei.core.choices import NotificationLevel, Role
from shouwei.core.permissions import ADD, APPROVE, CHANGE, REJECT, require

from . import scoring
from .choices import ExtensionStatus, NoticeStatus
from .docx import chinese_date
from .lights import DUE_SOON_DAYS
from .models import (
    ANSWER,
    CLOSE,
    ISSUE,
    RUN,
    SIGN,
    DepartmentScore,
    ExtensionRequest,
    Milestone,
    PerformanceScheme,
    ProgressReport,
    ProgressReportAttachment,
    ScoreRun,
    SupervisionNotice,
    TaskBook,
)

NOTICE_PREFIX = "督办"


def _save(obj, by):
    obj.full_clean()
    obj._history_user = by
    obj.save()
    return obj


# --- progress reports --------------------------------------------------------------------------
def _reporting_units(milestone: Milestone) -> set[int]:
    units = {milestone.lead_unit_id}
    book = getattr(milestone.goal, "task_book", None)
    if book is not None:
        units.add(book.lead_unit_id)
        units.update(book.co_units.values_list("pk", flat=True))
    return units


def _check_report(report: ProgressReport, today: date) -> None:
    errors = {}
    if (
        report.milestone_id
        and report.unit_id
        and report.unit_id not in _reporting_units(report.milestone)
    ):
        errors["unit"] = _("只有节点的责任部门或任务书中的牵头、配合部门可以报送进展")
    if report.reported_on and report.reported_on > today:
        errors["reported_on"] = _("进展日期不能晚于今天")
    report.backdated = bool(report.reported_on and report.reported_on < today)
    if report.backdated and not report.backdate_reason.strip():
        errors["backdate_reason"] = _("进展日期早于今天（补报），须说明补报原因")
    if errors:
        raise ValidationError(errors)


def _complete_if_done(report: ProgressReport, by) -> None:
    milestone = report.milestone
    if report.percent == 100 and milestone.completed_on is None:
        milestone.completed_on = report.reported_on
        milestone._history_user = by
        milestone.save(update_fields=["completed_on"])


@transaction.atomic
def report_create(
    *,
    by,
    milestone: Milestone,
    unit,
    reported_on: date,
    text: str,
    percent: int,
    backdate_reason: str = "",
) -> ProgressReport:
    report = ProgressReport(
        milestone=milestone,
        unit=unit,
        reported_on=reported_on,
        text=text,
        percent=percent,
        backdate_reason=backdate_reason or "",
        entered_by=by,
    )
    require(by, ADD, report)
    _check_report(report, clock.today())
    _save(report, by)
    _complete_if_done(report, by)
    return report


@transaction.atomic
def report_update(*, by, instance: ProgressReport, **fields) -> ProgressReport:
    stored = ProgressReport.objects.select_for_update().get(pk=instance.pk)
    for name, value in fields.items():
        setattr(stored, name, value if value is not None else "")
    require(by, CHANGE, stored)
    _check_report(stored, clock.today())
    _save(stored, by)
    _complete_if_done(stored, by)
    return stored


# --- records with several units (task books, schemes) -------------------------------------
def _with_m2m(model, *, by, instance=None, m2m: str, **fields):
    """core.services' write for a record with a many-to-many field (set after saving)."""
    units = fields.pop(m2m, None)
    if instance is None:
        obj = model(**fields)
        action = ADD
    else:
        obj = model.objects.select_for_update().get(pk=instance.pk)
        for name, value in fields.items():
            setattr(obj, name, value)
        action = CHANGE
    require(by, action, obj)
    _save(obj, by)
    if units is not None:
        getattr(obj, m2m).set(units)
    return obj


@transaction.atomic
def taskbook_create(*, by, **fields) -> TaskBook:
    return _with_m2m(TaskBook, by=by, m2m="co_units", **fields)


@transaction.atomic
def taskbook_update(*, by, instance: TaskBook, **fields) -> TaskBook:
    return _with_m2m(TaskBook, by=by, instance=instance, m2m="co_units", **fields)


@transaction.atomic
def scheme_create(*, by, **fields) -> PerformanceScheme:
    return _with_m2m(PerformanceScheme, by=by, m2m="participants", **fields)


@transaction.atomic
def scheme_update(*, by, instance: PerformanceScheme, **fields) -> PerformanceScheme:
    return _with_m2m(PerformanceScheme, by=by, instance=instance, m2m="participants", **fields)


# --- notices (督办单) ---------------------------------------------------------------------------
@transaction.atomic
def notice_create(
    *, by, unit, task: str, reason: str, deadline: date, issuer: str, milestone=None
) -> SupervisionNotice:
    notice = SupervisionNotice(
        unit=unit, task=task, reason=reason, deadline=deadline, issuer=issuer, milestone=milestone
    )
    require(by, ADD, notice)
    return _save(notice, by)


def _next_number(year: int) -> str:
    prefix = f"{NOTICE_PREFIX}〔{year}〕"
    taken = SupervisionNotice.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{taken + 1}号"


@transaction.atomic
def notice_issue(*, by, notice: SupervisionNotice) -> SupervisionNotice:
    notice = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
    require(by, ISSUE, notice, _("只有督查绩效办可以下发草稿状态的督办单"))
    if notice.deadline < clock.today():
        raise ValidationError({"deadline": _("办理时限已过，请先修改时限再下发")})
    notice.number = _next_number(clock.today().year)
    notice.status = NoticeStatus.ISSUED
    notice.issued_at = timezone.now()
    notice.issued_on = clock.today()
    _save(notice, by)
    notify_roles(
        unit=notice.unit,
        roles=(Role.STAFF,),
        title=_("督办单 %(n)s 待签收") % {"n": notice.number},
        body=notice.task[:200],
        url=notice.get_absolute_url(),
        level=NotificationLevel.WARNING,
        key=f"supervision.notice-issued:{notice.pk}",
    )
    return notice


@transaction.atomic
def notice_sign(*, by, notice: SupervisionNotice) -> SupervisionNotice:
    notice = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
    require(by, SIGN, notice, _("只有督办单主送部门可以签收已下发的督办单"))
    notice.status = NoticeStatus.SIGNED
    notice.signed_at = timezone.now()
    notice.signed_by = by
    return _save(notice, by)


@transaction.atomic
def notice_answer(*, by, notice: SupervisionNotice, answer: str) -> SupervisionNotice:
    notice = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
    require(by, ANSWER, notice, _("只有督办单主送部门可以答复已签收的督办单"))
    if not answer.strip():
        raise ValidationError({"answer": _("请填写答复内容")})
    notice.status = NoticeStatus.ANSWERED
    notice.answer = answer
    notice.answered_at = timezone.now()
    notice.answered_by = by
    return _save(notice, by)


@transaction.atomic
def notice_close(*, by, notice: SupervisionNotice, note: str = "") -> SupervisionNotice:
    notice = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
    require(by, CLOSE, notice, _("只有督查绩效办可以办结已答复的督办单"))
    notice.status = NoticeStatus.CLOSED
    notice.closing_note = note
    notice.closed_at = timezone.now()
    return _save(notice, by)


# --- extensions (延期申请) ----------------------------------------------------------------------
@transaction.atomic
def extension_request(
    *, by, milestone: Milestone, new_due: date, reason: str = ""
) -> ExtensionRequest:
    today = clock.today()
    request = ExtensionRequest(
        milestone=milestone,
        new_due=new_due,
        reason=reason or "",
        requested_on=today,
        requested_by=by,
    )
    require(by, ADD, request, _("只有节点的责任部门可以申请延期"))
    _check_extension(request, today)
    return _save(request, by)


@transaction.atomic
def extension_update(
    *, by, instance: ExtensionRequest, milestone: Milestone, new_due: date, reason: str = ""
) -> ExtensionRequest:
    stored = ExtensionRequest.objects.select_for_update().get(pk=instance.pk)
    stored.milestone, stored.new_due, stored.reason = milestone, new_due, reason or ""
    require(by, CHANGE, stored, _("只有节点的责任部门可以修改待审批的延期申请"))
    _check_extension(stored, clock.today())
    return _save(stored, by)


def _check_extension(request: ExtensionRequest, today: date) -> None:
    milestone = request.milestone
    new_due = request.new_due
    errors = {}
    if milestone.completed_on is not None:
        errors["milestone"] = _("节点已完成，无需延期")
    if new_due <= milestone.due:
        errors["new_due"] = _("申请的时限须晚于现时限 %(d)s") % {"d": milestone.due}
    elif new_due.year > milestone.goal.year:
        errors["new_due"] = _("申请的时限不能超出目标年度 %(y)s 年") % {"y": milestone.goal.year}
    if today > milestone.due and not request.reason.strip():
        errors["reason"] = _("节点已于 %(d)s 到期，逾期后申请延期须说明理由") % {"d": milestone.due}
    pending = milestone.extension_requests.filter(status=ExtensionStatus.PENDING)
    if pending.exclude(pk=request.pk).exists():
        errors["milestone"] = _("该节点已有待审批的延期申请")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def extension_decide(
    *, by, request: ExtensionRequest, approve: bool, note: str = ""
) -> ExtensionRequest:
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    require(
        by, APPROVE if approve else REJECT, request, _("只有督查绩效办可以审批待审批的延期申请")
    )
    if not approve and not note.strip():
        raise ValidationError({"decision_note": _("不予批准须说明理由")})
    request.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    request.decided_at = timezone.now()
    request.decided_by = by
    request.decision_note = note
    _save(request, by)
    if approve:
        milestone = request.milestone
        milestone.original_due = milestone.original_due or milestone.due
        milestone.due = request.new_due
        _save(milestone, by)
    return request


# --- reminders (催办) and automatic drafts ------------------------------------------------------
def remind(*, today: date) -> int:
    """Before a due date (within DUE_SOON_DAYS) the department is reminded; after it the
    department and the office are. Once per milestone and state until read (core.alerts)."""
    sent = 0
    open_ms = Milestone.objects.filter(completed_on__isnull=True).select_related(
        "goal", "lead_unit"
    )
    soon = open_ms.filter(due__gte=today, due__lte=today + timedelta(days=DUE_SOON_DAYS))
    for m in soon:
        sent += notify_roles(
            unit=m.lead_unit,
            roles=(Role.STAFF,),
            title=_("催办：节点“%(t)s”将于 %(d)s 到期") % {"t": m.title, "d": m.due},
            body=m.goal.title,
            url=m.get_absolute_url(),
            level=NotificationLevel.INFO,
            key=f"supervision.due-soon:{m.pk}",
        )
    for m in open_ms.filter(due__lt=today):
        sent += notify_roles(
            unit=m.lead_unit,
            roles=(Role.STAFF, Role.SUPERVISOR),
            title=_("催办：节点“%(t)s”已逾期（时限 %(d)s）") % {"t": m.title, "d": m.due},
            body=m.goal.title,
            url=m.get_absolute_url(),
            level=NotificationLevel.DANGER,
            key=f"supervision.overdue:{m.pk}",
        )
    return sent


def draft_overdue_notices(*, today: date) -> list[SupervisionNotice]:
    """A draft 督办单 for every overdue milestone that has none yet (the office reviews and
    issues it). Written by the system: no user, so no contract to ask."""
    drafted = []
    overdue = (
        Milestone.objects.filter(completed_on__isnull=True, due__lt=today, notices__isnull=True)
        .select_related("goal__unit", "lead_unit")
        .distinct()
    )
    for m in overdue:
        zone = m.goal.unit
        notice = SupervisionNotice(
            unit=m.lead_unit,
            milestone=m,
            issuer=_("%(zone)s督查绩效办公室") % {"zone": zone.short_name or zone.name},
            task=_("“%(goal)s”的节点“%(title)s”（交付成果：%(d)s）")
            % {
                "goal": m.goal.title,
                "title": m.title,
                "d": m.deliverable,
            },
            reason=_("该节点时限为 %(due)s，截至 %(today)s 尚未完成")
            % {"due": chinese_date(m.due), "today": chinese_date(today)},
            deadline=today + timedelta(days=DUE_SOON_DAYS),
            auto_drafted=True,
        )
        drafted.append(_save(notice, None))
    return drafted


def check_upload_size(size: int) -> None:
    """Refuse an upload by the size it declares, before its bytes are read."""
    uploads.check_size(size, settings.SHOUWEI_SUPERVISION_UPLOAD_MAX_BYTES)


@transaction.atomic
def report_attachment_add(
    *, by, report: ProgressReport, name: str, data: bytes
) -> ProgressReportAttachment:
    """A PDF, Word, Excel file or an image whose bytes are what its extension says, within the
    size limit, stored under a random name (``core.uploads``, as the enterprises' and the
    portal's attachments)."""
    att = ProgressReportAttachment(report=report, uploaded_by=by)
    require(by, ADD, att, _("您无权为该进展上传附件"))
    limit = settings.SHOUWEI_SUPERVISION_UPLOAD_MAX_BYTES
    if uploads.sniff(data[:16]) in uploads.IMAGE_TYPES:
        checked = uploads.check_image(name, data, limit=limit)
    else:
        checked = uploads.check_document(name, data, limit=limit)
    att.original_name = checked.original_name
    att.content_type = checked.content_type
    att.size = len(checked.data)
    att.sha256 = hashlib.sha256(checked.data).hexdigest()
    att.file.save(
        f"{secrets.token_hex(12)}.{checked.extension}", ContentFile(checked.data), save=False
    )
    att._history_user = by
    att.save()
    return att


# --- performance evaluation --------------------------------------------------------------------
@transaction.atomic
def scheme_run(
    *, by, scheme: PerformanceScheme, as_of: date | None = None, note: str = ""
) -> ScoreRun:
    """Score every participant; a new version each time, the earlier ones kept, ``changes``
    saying what moved since the last."""
    require(by, RUN, scheme, _("只有督查绩效办可以计算考评结果"))
    as_of = as_of or clock.today()
    results = scoring.compute(scheme=scheme, as_of=as_of, by=by)
    return _record_run(scheme, results, as_of=as_of, by=by, note=note)


@transaction.atomic
def scheme_run_by_platform(*, scheme: PerformanceScheme, as_of: date, note: str) -> ScoreRun:
    """The platform's own run (the demo loader's, before any account exists): the same
    scoring over every approved figure, no person recorded as its author (``created_by`` is
    empty) and ``note`` saying who ran it. No view or API reaches this."""
    results = scoring.compute(scheme=scheme, as_of=as_of, by=None, platform=True)
    return _record_run(scheme, results, as_of=as_of, by=None, note=note)


def _record_run(scheme, results, *, as_of: date, by, note: str) -> ScoreRun:
    previous = scheme.runs.order_by("-version").first()
    run = ScoreRun(
        scheme=scheme,
        version=(previous.version + 1) if previous else 1,
        as_of=as_of,
        created_by=by,
        note=note,
    )
    run._history_user = by
    run.save()
    scores = [
        DepartmentScore(
            run=run,
            unit=r.unit,
            base=r.base,
            bonus=r.bonus,
            penalty=r.penalty,
            total=r.total,
            vetoed=r.vetoed,
            rank=r.rank,
            breakdown=r.breakdown(),
        )
        for r in results
    ]
    DepartmentScore.objects.bulk_create(scores)
    if previous is not None:
        old = DepartmentScore.objects.filter(run=previous).select_related("unit").order_by("rank")
        run.changes = scoring.differences(scoring.summary_of(old), scoring.summary_of(scores))
        run.save(update_fields=["changes"])
    return run


def reward_list(run: ScoreRun) -> dict[str, list[DepartmentScore]]:
    """奖优罚劣: the best ``reward_count`` departments not vetoed, and the worst
    ``penalise_count`` (vetoed ones first among them: they rank last)."""
    scores = list(
        DepartmentScore.objects.filter(run=run)
        .select_related("unit")
        .order_by("rank", "unit__path")
    )
    scheme = run.scheme
    best = [s for s in scores if not s.vetoed][: scheme.reward_count]
    worst = scores[::-1][: scheme.penalise_count] if scheme.penalise_count else []
    worst = [s for s in worst if s not in best]
    return {"reward": best, "penalise": worst}
