from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST, require_safe

from shouwei.core import clock
from shouwei.core.generic import ObjectViewSet
from shouwei.core.navigation import open_to
from shouwei.core.permissions import APPROVE, REJECT, allows, may

from . import docx, filters, forms, selectors, services, tables
from .lights import Light, goal_light
from .models import (
    ANSWER,
    CLOSE,
    ISSUE,
    RUN,
    SIGN,
    Arrears,
    DepartmentScore,
    ExtensionRequest,
    Goal,
    Milestone,
    PerformanceScheme,
    ProgressReport,
    ProgressReportAttachment,
    SafetyIncident,
    SchemeItem,
    ScoreAdjustment,
    ScoreRun,
    SupervisionNotice,
    TaskBook,
)

security_log = logging.getLogger("shouwei.security")


class GoalViews(ObjectViewSet):
    model = Goal
    filterset = filters.GoalFilterSet
    table = tables.GoalTable
    form = forms.GoalForm
    importer = "supervision-goals"
    select_related = ("unit", "target__indicator")
    templates = {"detail": "supervision/goal_detail.html"}

    def detail_context(self):
        today = clock.today()
        goal, user = self.object, self.request.user
        milestones = [
            (m, selectors.light_of_milestone(m, today))
            for m in goal.milestones.visible_to(user).select_related("lead_unit")
        ]
        target = selectors.target_light(goal, user=user, today=today)

        return {
            "light": goal_light(
                milestone_lights=[lt for _m, lt in milestones], target_light=target
            ),
            "milestones": milestones,
            "task_book": TaskBook.objects.visible_to(user).filter(goal=goal).first(),
            "today": today,
        }


class TaskBookViews(ObjectViewSet):
    model = TaskBook
    filterset = filters.TaskBookFilterSet
    table = tables.TaskBookTable
    form = forms.TaskBookForm
    select_related = ("goal", "lead_unit")
    create = services.taskbook_create
    update = services.taskbook_update


class MilestoneViews(ObjectViewSet):
    model = Milestone
    filterset = filters.MilestoneFilterSet
    table = tables.MilestoneTable
    form = forms.MilestoneForm
    importer = "supervision-milestones"
    select_related = ("goal", "lead_unit")
    templates = {"detail": "supervision/milestone_detail.html"}

    def detail_context(self):
        m, user = self.object, self.request.user
        return {
            "light": selectors.light_of_milestone(m, clock.today()),
            "reports": m.progress_reports.visible_to(user).select_related("unit"),
            "extensions": m.extension_requests.visible_to(user),
            "notices": m.notices.visible_to(user),
            "may_report": may(user, ProgressReport, "add"),
            "may_extend": allows(
                user, "add", ExtensionRequest(milestone=m, new_due=m.due, requested_on=m.due)
            ),
        }


class ProgressReportViews(ObjectViewSet):
    model = ProgressReport
    filterset = filters.ProgressReportFilterSet
    table = tables.ProgressReportTable
    form = forms.ProgressReportForm
    select_related = ("milestone__goal", "unit")
    create = services.report_create
    update = services.report_update
    templates = {"detail": "supervision/report_detail.html"}

    def detail_context(self):
        report, user = self.object, self.request.user
        may_attach = allows(user, "add", ProgressReportAttachment(report=report))
        return {
            "attachments": report.attachments.all(),
            "attachment_form": forms.AttachmentForm() if may_attach else None,
        }


class SupervisionNoticeViews(ObjectViewSet):
    model = SupervisionNotice
    filterset = filters.SupervisionNoticeFilterSet
    table = tables.SupervisionNoticeTable
    form = forms.NoticeForm
    select_related = ("unit", "milestone")
    create = services.notice_create
    templates = {"detail": "supervision/notice_detail.html"}

    def detail_context(self):
        notice, user = self.object, self.request.user
        return {
            "can": {a: allows(user, a, notice) for a in (ISSUE, SIGN, ANSWER, CLOSE)},
            "answer_form": forms.AnswerForm(),
            "note_form": forms.NoteForm(),
        }


class ExtensionRequestViews(ObjectViewSet):
    model = ExtensionRequest
    filterset = filters.ExtensionRequestFilterSet
    table = tables.ExtensionRequestTable
    form = forms.ExtensionRequestForm
    select_related = ("milestone__goal",)
    create = services.extension_request
    update = services.extension_update
    templates = {"detail": "supervision/extension_detail.html"}

    def detail_context(self):
        req, user = self.object, self.request.user
        return {
            "may_decide": allows(user, APPROVE, req) and allows(user, REJECT, req),
            "note_form": forms.NoteForm(),
        }


class SafetyIncidentViews(ObjectViewSet):
    model = SafetyIncident
    filterset = filters.SafetyIncidentFilterSet
    table = tables.SafetyIncidentTable
    form = forms.SafetyIncidentForm
    select_related = ("unit",)


class ArrearsViews(ObjectViewSet):
    model = Arrears
    filterset = filters.ArrearsFilterSet
    table = tables.ArrearsTable
    form = forms.ArrearsForm
    select_related = ("owner_unit",)


class PerformanceSchemeViews(ObjectViewSet):
    model = PerformanceScheme
    filterset = filters.PerformanceSchemeFilterSet
    table = tables.PerformanceSchemeTable
    form = forms.PerformanceSchemeForm
    select_related = ("unit",)
    create = services.scheme_create
    update = services.scheme_update
    templates = {"detail": "supervision/scheme_detail.html"}

    def detail_context(self):
        from . import scoring

        scheme, user = self.object, self.request.user
        try:
            scoring.check_scheme(scheme)
            problem = ""
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        return {
            "items": scheme.items.order_by("order", "pk"),
            "participants": scheme.participants.order_by("path"),
            "runs": scheme.runs.visible_to(user).order_by("-version"),
            "problem": problem,
            "may_run": allows(user, RUN, scheme),
            "run_form": forms.RunForm(),
        }


class SchemeItemViews(ObjectViewSet):
    model = SchemeItem
    filterset = filters.SchemeItemFilterSet
    table = tables.SchemeItemTable
    form = forms.SchemeItemForm
    select_related = ("scheme",)


class ScoreAdjustmentViews(ObjectViewSet):
    model = ScoreAdjustment
    filterset = filters.ScoreAdjustmentFilterSet
    table = tables.ScoreAdjustmentTable
    form = forms.ScoreAdjustmentForm
    select_related = ("item", "unit")


class ScoreRunViews(ObjectViewSet):
    model = ScoreRun
    filterset = filters.ScoreRunFilterSet
    table = tables.ScoreRunTable
    select_related = ("scheme",)
    templates = {"detail": "supervision/run_detail.html"}

    def detail_context(self):
        run = self.object
        return {
            "scores": selectors.run_scores(run),
            "reward": services.reward_list(run),
        }


class DepartmentScoreViews(ObjectViewSet):
    model = DepartmentScore
    filterset = filters.DepartmentScoreFilterSet
    table = tables.DepartmentScoreTable
    select_related = ("unit", "run__scheme")
    templates = {"detail": "supervision/score_detail.html"}


# --- pages beside the view sets -----------------------------------------------------------------
def may_open_board(user) -> bool:
    return may(user, Goal, "view")


@require_safe
@open_to(may_open_board, _lazy("您无权查看督查看板"))
def board(request):
    today = clock.today()
    year = _year(request, today)
    by = "leader" if request.GET.get("by") == "leader" else "unit"
    light = request.GET.get("light", "")
    columns = selectors.board(request.user, year=year, today=today, by=by, light=light)
    rows = [g for c in columns for g in c.goals]
    return render(
        request,
        "supervision/board.html",
        {
            "columns": columns,
            "by": by,
            "light": light,
            "year": year,
            "today": today,
            "counts": selectors.light_counts(rows),
            "grey": Light("grey", ""),
        },
    )


def _year(request, today) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else today.year


def _notice(request, pk) -> SupervisionNotice:
    notice = SupervisionNotice.objects.visible_to(request.user).filter(pk=pk).first()
    if notice is None:
        raise Http404
    return notice


def _act(request, obj, fn) -> HttpResponse:
    try:
        fn()
    except PermissionDenied as exc:
        security_log.warning("refused %s on %s by %s", request.path, obj.pk, request.user)
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已办理：%(obj)s") % {"obj": obj})
    return redirect(obj.get_absolute_url())


@require_POST
def notice_issue(request, pk):
    notice = _notice(request, pk)
    return _act(request, notice, lambda: services.notice_issue(by=request.user, notice=notice))


@require_POST
def notice_sign(request, pk):
    notice = _notice(request, pk)
    return _act(request, notice, lambda: services.notice_sign(by=request.user, notice=notice))


@require_POST
def notice_answer(request, pk):
    notice = _notice(request, pk)
    form = forms.AnswerForm(request.POST)
    answer = form.cleaned_data["answer"] if form.is_valid() else ""
    return _act(
        request,
        notice,
        lambda: services.notice_answer(by=request.user, notice=notice, answer=answer),
    )


@require_POST
def notice_close(request, pk):
    notice = _notice(request, pk)
    form = forms.NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _act(
        request, notice, lambda: services.notice_close(by=request.user, notice=notice, note=note)
    )


@require_safe
def notice_docx(request, pk):
    notice = _notice(request, pk)
    response = HttpResponse(
        docx.notice_document(notice),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = (notice.number or _("督办单草稿")) + ".docx"
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@require_POST
def extension_decide(request, pk):
    req = ExtensionRequest.objects.visible_to(request.user).filter(pk=pk).first()
    if req is None:
        raise Http404
    form = forms.NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    approve = request.POST.get("decision") == "approve"
    return _act(
        request,
        req,
        lambda: services.extension_decide(by=request.user, request=req, approve=approve, note=note),
    )


@require_POST
def scheme_run(request, pk):
    scheme = PerformanceScheme.objects.visible_to(request.user).filter(pk=pk).first()
    if scheme is None:
        raise Http404
    form = forms.RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(scheme.get_absolute_url())
    try:
        run = services.scheme_run(
            by=request.user,
            scheme=scheme,
            as_of=form.cleaned_data["as_of"],
            note=form.cleaned_data["note"],
        )
    except PermissionDenied as exc:
        security_log.warning("refused scheme run %s by %s", scheme.pk, request.user)
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已生成第 %(v)s 版考评结果") % {"v": run.version})
        return redirect(run.get_absolute_url())
    return redirect(scheme.get_absolute_url())


# --- progress report attachments --------------------------------------------------------------
@require_POST
def report_attachment_add(request, pk):
    report = ProgressReport.objects.visible_to(request.user).filter(pk=pk).first()
    if report is None:
        raise Http404
    if not allows(request.user, "add", ProgressReportAttachment(report=report)):
        security_log.warning("refused attachment of report #%s by %s", pk, request.user)
        raise PermissionDenied(_("您无权为该进展上传附件"))
    form = forms.AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件"))
        return redirect(report.get_absolute_url())
    upload = form.cleaned_data["file"]
    try:
        services.check_upload_size(upload.size)
        services.report_attachment_add(
            by=request.user, report=report, name=upload.name, data=upload.read()
        )
    except PermissionDenied as exc:
        security_log.warning("refused attachment of report #%s by %s", pk, request.user)
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("附件已上传"))
    return redirect(report.get_absolute_url())


@require_safe
def report_attachment(request, pk):
    """A report's file, to those who read the report; 404 to everyone else."""
    att = (
        ProgressReportAttachment.objects.filter(
            report__in=ProgressReport.objects.visible_to(request.user)
        )
        .filter(pk=pk)
        .first()
    )
    if att is None:
        security_log.warning("refused report attachment #%s to %s", pk, request.user)
        raise Http404
    return FileResponse(
        att.file.open("rb"),
        as_attachment=True,
        filename=att.original_name,
        content_type=att.content_type,
    )
