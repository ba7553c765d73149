"""Writes of the enterprise-service app: the request (诉求) flow, attachments, escalation.

Each write asks the model's contract (``require``) for its action — file, accept, handle,
revisit, rate — validates the whole record and names its author in the history. Business
dates come from ``core.clock`` (a demo runs "as of" its date; tests freeze it).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from shouwei.core import alerts, clock, uploads
from shouwei.core.choices import NotificationLevel, Role
from shouwei.core.models import Unit
from shouwei.core.permissions import ADD, require, security_log

from . import selectors
from .choices import OPEN_STATUSES, RATEABLE_STATUSES, Escalation, RequestChannel, RequestStatus
from .models import (
    ACCEPT,
    FILE,
    HANDLE,
    RATE,
    REVISIT,
    Enterprise,
    Request,
    RequestAttachment,
    status_in,
)

# A rating at or below this reopens the request (不满意: 1 非常不满意, 2 不满意).
UNSATISFIED_AT_MOST = 2
# Overdue by more than this many days, the request goes from the department head on to the
# responsible leader (分管领导).
LEADER_AFTER_DAYS = 3

mail_log = logging.getLogger("shouwei.enterprises")


def _save(req: Request, *, by, reason: str) -> Request:
    req.full_clean()
    req._history_user = by
    req._change_reason = reason
    req.save()
    return req


def _stored(req: Request) -> Request:
    return Request.objects.select_for_update().select_related("enterprise").get(pk=req.pk)


def _require_contact(by, enterprise: Enterprise) -> None:
    if not selectors.is_contact_of(by, enterprise):
        security_log.warning("refused request of enterprise #%s by %s", enterprise.pk, by)
        raise PermissionDenied(_("您不是该企业的联系人"))


@transaction.atomic
def request_file(
    *,
    by,
    enterprise: Enterprise,
    category: str,
    description: str,
    channel: str | None = None,
    assigned_department: Unit | None = None,
) -> Request:
    """An enterprise's contact files from the portal (channel 企业端, no department: the
    dispatcher names it); a cadre or clerk files for the enterprise (代提, 电话)."""
    contact = selectors.contact_enterprise_id(by) is not None
    req = Request(
        enterprise=enterprise,
        category=category,
        description=description.strip(),
        channel=RequestChannel.PORTAL if contact else (channel or RequestChannel.CADRE),
        assigned_department=None if contact else assigned_department,
        filed_by=by,
        filed_on=clock.today(),
    )
    if contact:
        _require_contact(by, enterprise)
        require(by, FILE, req)
    else:
        if req.channel == RequestChannel.PORTAL:
            raise ValidationError({"channel": _("“企业端”渠道只能由企业联系人自己提交")})
        require(by, ADD, req)
    req = _save(req, by=by, reason=_("提交诉求"))
    alerts.notify_roles(
        unit=enterprise.liaison_unit,
        roles=[Role.STAFF],
        title=_("新的企业诉求待受理：%(name)s") % {"name": enterprise.name},
        body=req.description[:200],
        url=req.get_absolute_url(),
        level=NotificationLevel.INFO,
        key=f"enterprises.request-filed:{req.pk}",
    )
    return req


@transaction.atomic
def request_accept(*, by, request: Request, department: Unit) -> Request:
    """The dispatcher (the enterprise's service department) accepts and names the department;
    the category's time limit starts today."""
    req = _stored(request)
    if req.status != RequestStatus.PENDING:
        raise ValidationError(
            _("只有待受理的诉求可以受理，当前状态：%(s)s") % {"s": req.get_status_display()}
        )
    require(by, ACCEPT, req)
    req.assigned_department = department
    require(by, ACCEPT, req)  # and the department it now names
    today = clock.today()
    req.status, req.accepted_on, req.due_on = RequestStatus.ACCEPTED, today, req.due_from(today)
    req.escalation = Escalation.NONE
    req = _save(req, by=by, reason=_("受理并交办"))
    alerts.notify_roles(
        unit=department,
        roles=[Role.STAFF],
        title=_("交办企业诉求：%(name)s") % {"name": req.enterprise.name},
        body=_("办结期限 %(due)s") % {"due": f"{req.due_on:%Y-%m-%d}"},
        url=req.get_absolute_url(),
        level=NotificationLevel.INFO,
        key=f"enterprises.request-assigned:{req.pk}:{req.return_count}:{req.reopen_count}",
    )
    return req


def _handled(request: Request, by) -> Request:
    req = _stored(request)
    if req.status not in OPEN_STATUSES:
        raise ValidationError(
            _("只有已受理或办理中的诉求可以办理，当前状态：%(s)s") % {"s": req.get_status_display()}
        )
    require(by, HANDLE, req)
    return req


@transaction.atomic
def request_start(*, by, request: Request) -> Request:
    req = _handled(request, by)
    req.status = RequestStatus.IN_PROGRESS
    return _save(req, by=by, reason=_("开始办理"))


@transaction.atomic
def request_answer(*, by, request: Request, answer: str) -> Request:
    if not answer.strip():
        raise ValidationError({"answer": _("请填写答复意见")})
    req = _handled(request, by)
    req.status, req.answer, req.answered_on = RequestStatus.ANSWERED, answer.strip(), clock.today()
    return _save(req, by=by, reason=_("答复企业"))


@transaction.atomic
def request_return(*, by, request: Request, reason: str) -> Request:
    """退单: a department sends back a request that is not its business, with the reason. It
    goes back to the dispatcher (待受理, no department), not to the enterprise."""
    if not reason.strip():
        raise ValidationError({"reason": _("退单须说明理由")})
    req = _handled(request, by)
    department = req.assigned_department
    req.status, req.assigned_department = RequestStatus.PENDING, None
    req.accepted_on = req.due_on = None
    req.return_reason, req.return_count = reason.strip(), req.return_count + 1
    req.escalation = Escalation.NONE
    req = _save(req, by=by, reason=_("退单：%(r)s") % {"r": reason.strip()[:80]})
    alerts.notify_roles(
        unit=req.enterprise.liaison_unit,
        roles=[Role.STAFF],
        title=_("诉求被退单，请重新交办：%(name)s") % {"name": req.enterprise.name},
        body=_("%(dept)s 退单理由：%(r)s") % {"dept": department.name, "r": req.return_reason},
        url=req.get_absolute_url(),
        key=f"enterprises.request-returned:{req.pk}:{req.return_count}",
    )
    return req


@transaction.atomic
def request_revisit(*, by, request: Request, note: str) -> Request:
    if not note.strip():
        raise ValidationError({"note": _("请填写回访情况")})
    req = _stored(request)
    if req.status != RequestStatus.ANSWERED:
        raise ValidationError(_("只有已答复的诉求可以回访"))
    require(by, REVISIT, req)
    req.status, req.revisit_note, req.revisited_on = (
        RequestStatus.REVISITED,
        note.strip(),
        clock.today(),
    )
    return _save(req, by=by, reason=_("回访企业"))


@transaction.atomic
def request_rate(*, by, request: Request, satisfaction: int) -> Request:
    """The enterprise rates the answer 1–5. Unsatisfied (≤ 2), the request is reopened: back
    to the department, 办理中, with a fresh time limit."""
    req = _stored(request)
    _require_contact(by, req.enterprise)
    if req.status not in RATEABLE_STATUSES:
        raise ValidationError(
            {
                "satisfaction": _("诉求尚未答复，不能评价（当前状态：%(s)s）")
                % {"s": req.get_status_display()}
            }
        )
    if not isinstance(satisfaction, int) or not 1 <= satisfaction <= 5:
        raise ValidationError({"satisfaction": _("满意度应为 1—5 的整数")})
    require(by, RATE, req)
    today = clock.today()
    if satisfaction <= UNSATISFIED_AT_MOST:
        # The rating stays (it counts against 满意率 until the enterprise rates a new
        # answer); the request is worked again.
        req.status, req.satisfaction, req.rated_on = RequestStatus.IN_PROGRESS, satisfaction, today
        req.reopen_count += 1
        req.answered_on, req.due_on = None, req.due_from(today)
        req.escalation = Escalation.NONE
        req = _save(req, by=by, reason=_("企业不满意（%(n)s 分），重新办理") % {"n": satisfaction})
        alerts.notify_roles(
            unit=req.assigned_department,
            roles=[Role.STAFF],
            title=_("企业不满意，诉求重新办理：%(name)s") % {"name": req.enterprise.name},
            url=req.get_absolute_url(),
            key=f"enterprises.request-reopened:{req.pk}:{req.reopen_count}",
        )
        return req
    req.status, req.satisfaction, req.rated_on = RequestStatus.RATED, satisfaction, today
    return _save(req, by=by, reason=_("企业评价"))


@transaction.atomic
def attachment_add(*, by, request: Request, name: str, data: bytes) -> RequestAttachment:
    """A PDF, Word, Excel file or an image whose bytes are what its extension says, within the
    size limit, stored under a random name (``core.uploads``, as the portal's attachments)."""
    if selectors.contact_enterprise_id(by) is not None:
        _require_contact(by, request.enterprise)
    limit = settings.SHOUWEI_REQUEST_UPLOAD_MAX_BYTES
    kind = uploads.sniff(data[:16])
    if kind in uploads.IMAGE_TYPES:
        checked = uploads.check_image(name, data, limit=limit)
    else:
        checked = uploads.check_document(name, data, limit=limit)
    att = RequestAttachment(
        request=request,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        uploaded_by=by,
    )
    require(by, ADD, att)
    att.file.save(
        f"{secrets.token_hex(12)}.{checked.extension}", ContentFile(checked.data), save=False
    )
    att._history_user = by
    att.save()
    return att


# --- escalation ------------------------------------------------------------------------------


def department_heads(department: Unit):
    """The department's own leaders (领导 held at the department itself, not above it)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            role_assignments__role=Role.LEADER,
            role_assignments__unit=department,
        )
        .distinct()
    )


def responsible_leaders(department: Unit):
    """The leaders of the zone the department belongs to (分管领导)."""
    zone = department.parent or department
    return alerts.holders(unit=zone, roles=[Role.LEADER])


def escalation_due(req: Request, today: date) -> int:
    """The level a request held by its department has reached on ``today``: past its time
    limit → the department head; more than LEADER_AFTER_DAYS past it → the leader."""
    if req.status not in OPEN_STATUSES or req.due_on is None or today <= req.due_on:
        return Escalation.NONE
    if today > req.due_on + timedelta(days=LEADER_AFTER_DAYS):
        return Escalation.LEADER
    return Escalation.DEPARTMENT_HEAD


@transaction.atomic
def escalate_overdue(*, today: date) -> int:
    """Raise every overdue request to the level it has reached, once per level, telling
    everyone involved in-app: the department's clerks and head, the enterprise's cadres, and
    at the second level the responsible leaders. Returns how many requests were raised."""
    candidates = (
        # Read off the partial index of held requests by time limit (models.status_in).
        Request.objects.filter(status_in(OPEN_STATUSES), due_on__lt=today)
        .exclude(escalation=Escalation.LEADER)
        .select_related("enterprise", "assigned_department__parent")
    )
    count = 0
    # Locked: two runs at once cannot both raise, and notify, the same request.
    for req in candidates.select_for_update(of=("self",)):
        level = escalation_due(req, today)
        if level <= req.escalation:
            continue
        previous = req.escalation
        req.escalation = level
        req._change_reason = str(Escalation(level).label)
        req.save(update_fields=["escalation"])
        _notify_escalation(req, level=level, today=today, previous=previous)
        count += 1
    return count


def _notify_escalation(req: Request, *, level: int, today: date, previous: int) -> None:
    department = req.assigned_department
    title = _("企业诉求逾期未办结：%(name)s") % {"name": req.enterprise.name}
    body = _("%(dept)s 承办，办结期限 %(due)s，已逾期 %(days)s 天（%(level)s）") % {
        "dept": department.name,
        "due": f"{req.due_on:%Y-%m-%d}",
        "days": (today - req.due_on).days,
        "level": Escalation(level).label,
    }
    recipients = [
        *department_heads(department),
        *alerts.holders(unit=department, roles=[Role.STAFF]),
        *selectors.cadres_of(req.enterprise, today),
    ]
    if level == Escalation.LEADER:
        recipients += list(responsible_leaders(department))
    alerts.notify(
        recipients=recipients,
        title=title,
        body=body,
        url=req.get_absolute_url(),
        level=NotificationLevel.DANGER if level == Escalation.LEADER else NotificationLevel.WARNING,
        key=f"enterprises.request-overdue:{req.pk}:{req.reopen_count}:{level}",
    )
    if settings.SHOUWEI_ESCALATION_EMAIL:
        # By e-mail, to whom the request has just reached: the department head at the first
        # level, the responsible leaders at the second (and the head too when the request
        # skipped the first level, as after a pause of the job).
        to = list(department_heads(department)) if previous < Escalation.DEPARTMENT_HEAD else []
        if level == Escalation.LEADER:
            to += list(responsible_leaders(department))
        addresses = sorted({u.email for u in to if u.email})
        if addresses:
            link = req.get_absolute_url()
            transaction.on_commit(lambda: _mail_escalation(title, f"{body}\n{link}", addresses))


def _mail_escalation(subject: str, message: str, addresses: list[str]) -> None:
    """One message to each address (none sees the others); a mail server that fails is logged
    and does not undo the escalation, which the bell has already told."""
    from django.core.mail import send_mass_mail

    try:
        send_mass_mail([(subject, message, None, [a]) for a in addresses])
    except Exception:
        mail_log.exception("escalation e-mail to %s failed", ", ".join(addresses))


def check_upload_size(size: int) -> None:
    """Refuse an upload by the size it declares, before its bytes are read."""
    uploads.check_size(size, settings.SHOUWEI_REQUEST_UPLOAD_MAX_BYTES)


@transaction.atomic
def request_file_with_file(
    *, by, enterprise: Enterprise, category: str, description: str, upload=None
) -> Request:
    """Filing with an attachment from the enterprise portal: both are stored, or neither."""
    req = request_file(by=by, enterprise=enterprise, category=category, description=description)
    if upload is not None:
        name, data = upload
        attachment_add(by=by, request=req, name=name, data=data)
    return req
