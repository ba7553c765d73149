"""The reports pages: the list with its history, the build form, the report page (the
document with its lineage links, downloads, changed-figure flags, rebuild), its progress
partial (polled by htmx while the worker builds) and the downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shouwei.core.generic import ObjectViewSet, url_for
from shouwei.core.navigation import open_to
from shouwei.core.permissions import allows, can_create, may
from shouwei.core.reauth import reauth_required

from . import publishing, selectors, services
from .choices import ReportStatus
from .filters import ReportFilterSet
from .forms import BuildForm
from .models import PUBLISH_TO_PORTAL, Report
from .renderers import formats_for
from .renderers.html import document_html
from .tables import ReportTable

RUNNING = (ReportStatus.QUEUED, ReportStatus.BUILDING)


def _may_build(user) -> bool:
    return can_create(user, Report)


def _may_publish(user) -> bool:
    return may(user, Report, PUBLISH_TO_PORTAL)


class ReportViews(ObjectViewSet):
    model = Report
    filterset = ReportFilterSet
    table = ReportTable
    select_related = ("unit", "built_by")
    templates = {"detail": "reports/report_detail.html"}
    allow_delete = False
    detail_fields = (
        "kind",
        "unit",
        "period",
        "status",
        "progress",
        "error",
        "data_version",
        "built_by",
        "created_at",
        "built_at",
        "previous",
    )

    def detail_context(self) -> dict:
        report = self.object
        if report.status in RUNNING and services.recover_stale(report_pk=report.pk):
            report.refresh_from_db()
        doc = report.as_document()
        changed = set(report.changed_figures)
        return {
            "report": report,
            "running": report.status in RUNNING,
            "body": document_html(doc) if doc is not None else "",
            # (format, why it cannot render here or ""): an unavailable one shows disabled.
            "formats": [(f, f.missing()) for f in formats_for(report.kind)] if doc else [],
            "changed": [f for f in doc.figures() if f.key in changed] if doc else [],
            "changed_count": len(changed),
            "may_rebuild": _may_build(self.request.user),
            # The role first (no query), then the report's own row.
            "may_publish": doc is not None
            and publishing.publishable(report) is None
            and _may_publish(self.request.user)
            and allows(self.request.user, PUBLISH_TO_PORTAL, report),
        }


def _report(request, pk: int) -> Report:
    return get_object_or_404(selectors.report_list(request.user), pk=pk)


@open_to(_may_build, "您无权生成报告")
def build(request):
    form = BuildForm(request.POST or None, user=request.user, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.request_report(
                kind=data["kind"], unit=data["unit"], period=data["period"], by=request.user
            )
        except services.ReportError as exc:
            form.add_error(None, str(exc))
        else:
            messages.info(request, _("报告已提交，正在后台生成"))
            return redirect(report.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/build.html", {"form": form}, status=status)


@require_POST
@open_to(_may_build, "您无权生成报告")
def rebuild(request, pk: int):
    report = _report(request, pk)
    try:
        again = services.rebuild(report=report, by=request.user)
    except (services.ReportError, PermissionDenied) as exc:
        messages.error(request, str(exc))
        return redirect(report.get_absolute_url())
    messages.info(request, _("已重新提交生成"))
    return redirect(again.get_absolute_url())


def progress(request, pk: int):
    report = _report(request, pk)
    if report.status in RUNNING and services.recover_stale(report_pk=report.pk):
        report.refresh_from_db()
    running = report.status in RUNNING
    response = render(request, "reports/_progress.html", {"report": report, "running": running})
    if not running:
        response["HX-Refresh"] = "true"
    return response


@reauth_required
def download(request, pk: int, fmt: str):
    report = _report(request, pk)
    doc = report.as_document()
    chosen = {f.key: f for f in formats_for(report.kind)}.get(fmt)
    if doc is None or chosen is None:
        raise Http404(_("该报告没有此格式"))
    reason = chosen.missing()
    if reason:
        messages.error(request, reason)
        return redirect(report.get_absolute_url())
    response = HttpResponse(chosen.render(doc), content_type=chosen.content_type)
    name = f"report-{report.pk}-{report.unit.code}-{report.period}.{chosen.extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@open_to(_may_publish, "您无权将报告发布到门户网站")
def publish(request, pk: int):
    """发布到门户: the report becomes a portal draft; its editing page opens."""
    report = _report(request, pk)
    try:
        article = publishing.publish_to_portal(report=report, by=request.user)
    except (services.ReportError, ValidationError) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect(report.get_absolute_url())
    messages.success(request, _("已生成门户草稿，请送审；须由另一位审核人发布"))
    return redirect(url_for(article, "detail"))
