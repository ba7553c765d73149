"""Building written reports (HackSoft: services write).

``request_report`` checks what was asked (kind, unit, period) as the user may see it, stores a
queued ``Report`` and builds it here (``inline``: the CLI, small units) or in the django-tasks
worker; ``run_build`` assembles the document from the registered sections, numbers its
figures, compares it with the previous build and stores it in one write: a report is built or
failed, never half-written. A worker that dies mid-build leaves ``worker`` naming a dead
process; ``recover_stale`` marks such reports failed with the reason.

The data version (``data_version``) is a SHA-256 digest of the records the document was read
from: for every observation read (the unit's approved figures at the period and the previous
period, and those left out as unapproved), ``indicators.observation`` + pk + its last history
id — any correction, approval or re-import adds a history row and so changes the version;
for the figures the apps' sections contribute from their own records, each figure's key,
exact value and sources (label, URL, detail). Two builds with the same version printed the
same figures.
"""

from __future__ import annotations

import hashlib
import logging
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwei.core import clock
from shouwei.core.models import Unit
from shouwei.core.periods import Period, PeriodError, refuse_future
from shouwei.core.permissions import ADD, require
from shouwei.core.phrasing import months_phrase, period_phrase
from shouwei.core.reporting import (
    BRIEF,
    MONTHLY,
    REPORT_KINDS,
    Document,
    build_sections,
)
from shouwei.imports.services import process_alive, process_token, stale_after
from shouwei.indicators.models import Observation

from . import selectors
from .choices import ReportStatus
from .models import Report

logger = logging.getLogger("shouwei.reports")

SOURCE = "首位平台（依据已审核数据自动生成）"


class ReportError(ValueError):
    """A report that cannot be built as asked; the message says why, for the user."""


def check_request(*, kind: str, unit: Unit | str | None, period: str, by) -> tuple[Unit, Period]:
    """The unit and period asked for, or ReportError: an unknown kind, an unknown unit or one
    the user may not see (the same message: no leak of which units exist), an unreadable or
    future period, a period with no approved figure for the unit."""
    if kind not in REPORT_KINDS:
        raise ReportError(
            _("未知的报告类型“%(k)s”，应为 %(all)s") % {"k": kind, "all": "、".join(REPORT_KINDS)}
        )
    code = unit.code if isinstance(unit, Unit) else (unit or "").strip()
    found = selectors.unit_by_code(user=by, code=code) if code else None
    if found is None:
        raise ReportError(_("没有代码为“%(c)s”的单位，或您无权查看该单位") % {"c": code})
    try:
        p = refuse_future(Period.parse(period or ""))
    except PeriodError as exc:
        raise ReportError(str(exc)) from None
    approved = Observation.objects.visible_to(by).approved().filter(unit=found, period_end=p.end)
    if not approved.exists():
        raise ReportError(
            _("%(unit)s %(period)s 没有已审核的指标数据，不生成空报告")
            % {"unit": found.display_name, "period": p.code}
        )
    return found, p


def report_title(kind: str, unit: Unit, period: Period) -> str:
    name = unit.short_name or unit.name
    if kind == MONTHLY:
        return f"{name}{period.year}年{months_phrase(period)}主要指标月度分析"
    if kind == BRIEF:
        return f"{name}{period.year}年{period_phrase(period)}经济运行要情"
    return f"{name}{period.year}年{period_phrase(period)}经济运行情况分析"


@transaction.atomic
def request_report(*, kind: str, unit: Unit | str, period: str, by, inline: bool = False) -> Report:
    """Store a queued report for ``kind``/``unit``/``period`` and build it: here when
    ``inline`` (the CLI), else in the background (the page polls its status and progress).
    Raises ReportError (nothing stored) or PermissionDenied."""
    found, p = check_request(kind=kind, unit=unit, period=period, by=by)
    report = Report(kind=kind, unit=found, period=p.code, built_by=by)
    require(by, ADD, report, _("您无权为该单位生成报告"))
    report.title = report_title(kind, found, p)
    report.save()
    if inline:
        return run_build(report=report)
    from .tasks import build_report  # tasks imports this module

    transaction.on_commit(partial(build_report.enqueue, report.pk))
    return report


def _progress(report_pk: int, done: int, total: int) -> None:
    Report.objects.filter(pk=report_pk).update(
        progress=min(99, int(100 * done / max(total, 1))), heartbeat_at=timezone.now()
    )


def build_document(
    *, kind: str, unit: Unit, period: Period, by, progress=None
) -> tuple[Document, list[Observation]]:
    """The document for ``kind`` as ``by`` may read it, numbered, its data version set; and
    the observations read (for the digest). ``progress(done, total)`` is called per section."""
    with selectors.one_read():
        sections = build_sections(kind=kind, user=by, unit=unit, period=period)
        if progress is not None:
            progress(len(sections), len(sections) + 1)
        excluded = selectors.excluded_observations(user=by, unit=unit, period=period)
        read = [
            o
            for facts in selectors._facts_cache.get().values()
            for fact in facts.values()
            for o in (fact.observation, fact.previous)
            if o is not None
        ]
    doc = Document(
        kind=kind,
        title=report_title(kind, unit, period),
        unit_code=unit.code,
        unit_name=unit.name,
        period=period.code,
        period_label=f"{period.year}年{months_phrase(period)}",
        issued=clock.today(),
        source=SOURCE,
        sections=sections,
        excluded=[
            f"{o.indicator.name}（{o.period}，{o.get_status_display()}，观测值 #{o.pk}）"
            for o in excluded
        ],
    )
    doc.number_figures()
    doc.data_version = data_version(doc, read + excluded)
    return doc, read


def data_version(doc: Document, observations: list[Observation]) -> str:
    """See the module docstring: observations by last history id, other figures by content."""
    h = hashlib.sha256()
    for pk, last in selectors.observation_versions(sorted({o.pk for o in observations})):
        h.update(f"indicators.observation:{pk}:{last}\n".encode())
    for fig in doc.figures():
        if all(s.label.startswith("观测值 #") for s in fig.sources) and fig.sources:
            continue
        sources = "|".join(f"{s.label}:{s.url}:{s.detail}" for s in fig.sources)
        h.update(f"{fig.key}:{fig.value}:{sources}\n".encode())
    return h.hexdigest()


def changed_keys(old: Document | None, new: Document) -> list[str]:
    """Keys of the figures whose printed text differs from the previous build (new figures
    and figures gone included)."""
    if old is None:
        return []
    before = {f.key: f.text for f in old.figures()}
    after = {f.key: f.text for f in new.figures()}
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def run_build(*, report: Report) -> Report:
    """Build a queued report as its author may read it and store the outcome in one write."""
    Report.objects.filter(pk=report.pk).update(
        status=ReportStatus.BUILDING, worker=process_token(), heartbeat_at=timezone.now()
    )
    user = report.built_by
    try:
        unit, period = check_request(
            kind=report.kind, unit=report.unit, period=report.period, by=user
        )
        doc, _read = build_document(
            kind=report.kind,
            unit=unit,
            period=period,
            by=user,
            progress=partial(_progress, report.pk),
        )
    except (ReportError, PermissionDenied) as exc:
        _fail(report, str(exc))
        report.refresh_from_db()
        return report
    previous = selectors.previous_build(user=user, report=report)
    changed = changed_keys(previous.as_document() if previous else None, doc)
    Report.objects.filter(pk=report.pk).update(
        status=ReportStatus.BUILT,
        progress=100,
        title=doc.title,
        document=doc.to_data(),
        data_version=doc.data_version,
        previous=previous,
        changed_figures=changed,
        error="",
        built_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    report.refresh_from_db()
    return report


def _fail(report: Report, message: str) -> None:
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED, error=message)


def rebuild(*, report: Report, by, inline: bool = False) -> Report:
    """Build the same kind, unit and period again (a new report; the old one stays)."""
    return request_report(
        kind=report.kind, unit=report.unit, period=report.period, by=by, inline=inline
    )


def recover_stale(*, report_pk: int | None = None) -> int:
    """Mark failed, with the reason, every report 生成中 whose process has died (nothing was
    stored: the document is written in the build's last step). Returns how many."""
    running = Report.objects.filter(status=ReportStatus.BUILDING).exclude(worker="")
    if report_pk is not None:
        running = running.filter(pk=report_pk)
    marked = 0
    now = timezone.now()
    for pk, worker, heartbeat in running.values_list("pk", "worker", "heartbeat_at"):
        alive = process_alive(worker)
        if alive is None:
            alive = heartbeat is not None and now - heartbeat < stale_after()
        if alive:
            continue
        message = _("生成进程（%(w)s）意外终止，报告未生成；可以重新生成") % {"w": worker}
        marked += Report.objects.filter(pk=pk, status=ReportStatus.BUILDING, worker=worker).update(
            status=ReportStatus.FAILED, error=message
        )
        logger.warning("report %s: process %s died while building, marked failed", pk, worker)
    return marked
