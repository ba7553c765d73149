from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, Q, Value
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from shouwei.core import clock
from shouwei.core.exports import file_response
from shouwei.core.generic import ObjectViewSet
from shouwei.core.models import Unit
from shouwei.core.navigation import open_to
from shouwei.core.periods import Period
from shouwei.core.permissions import allows, can_create, reads_internally, scope_for
from shouwei.core.reauth import reauth_required

from . import charts, reports, selectors, services
from .filters import (
    AnnualPlanFilterSet,
    FundingSourceFilterSet,
    ProblemFilterSet,
    ProcedureFilterSet,
    ProgressReportFilterSet,
    ProjectFilterSet,
    RollingPlanFilterSet,
    SchedulingCallFilterSet,
    StoppageFilterSet,
)
from .forms import (
    AnnualPlanForm,
    CallAnswerFields,
    EntryPeriodForm,
    FundingSourceForm,
    PhotoForm,
    ProblemForm,
    ProcedureForm,
    ProgressFields,
    ProgressReportForm,
    ProjectForm,
    RollingPlanForm,
    SchedulingCallForm,
    StoppageForm,
)
from .models import (
    AnnualPlan,
    CallRow,
    FundingSource,
    Problem,
    Procedure,
    ProgressPhoto,
    ProgressReport,
    Project,
    RollingPlan,
    SchedulingCall,
    Stoppage,
)
from .tables import (
    AnnualPlanTable,
    FundingSourceTable,
    ProblemTable,
    ProcedureTable,
    ProgressReportTable,
    ProjectTable,
    RollingPlanTable,
    SchedulingCallTable,
    StoppageTable,
)

security_log = logging.getLogger("shouwei.security")


def month_of(request) -> tuple[int, int]:
    """The month the figures are for: ``?period=2022-06``, else the newest month reported."""
    return selectors.month_for(request.user, request.GET.get("period"))


def _investment_lead(user, project):
    """The investment lead the project was converted from, when the user reads it (decided
    from the lead's department, loaded with the project: no query)."""
    lead = getattr(project, "investment_lead", None)
    return lead if lead is not None and reads_internally(user, lead) else None


class ProjectViews(ObjectViewSet):
    model = Project
    filterset = ProjectFilterSet
    table = ProjectTable
    form = ProjectForm
    importer = "projects"
    select_related = ("responsible_unit", "liaison")

    def get_queryset(self):
        year, month = month_of(self.request)
        qs = selectors.with_progress(super().get_queryset(), year=year, month=month)
        if self.action == "detail":
            # The investment lead a signed project came from (its reverse one-to-one), in the
            # same query: the page links back to it.
            qs = qs.select_related("investment_lead__owner_unit")
        # The month the figures are for travels with each row, for the detail page to name.
        return qs.annotate(
            standing_year=Value(year, output_field=IntegerField()),
            standing_month=Value(month, output_field=IntegerField()),
        )

    def detail_context(self):
        obj, user = self.object, self.request.user
        year, month = obj.standing_year, obj.standing_month
        editable = Project.objects.editable_by(user).filter(pk=obj.pk).exists()
        # get_queryset annotated the year's plan and completion up to the month.
        planned, completed = getattr(obj, "planned", None), getattr(obj, "completed", None)
        return {
            "standing": {
                "period": selectors.month_code(year, month),
                "planned": planned,
                "completed": completed,
                "rate": services.completion_rate(completed=completed, planned=planned),
                "elapsed": services.elapsed_share(month),
                "behind": services.is_behind(completed=completed, planned=planned, month=month),
            },
            "progress_chart": charts.plan_vs_completed(obj, year=year),
            "year": year,
            "plans": obj.plans.order_by("-year"),
            "reports": obj.progress_reports.order_by("-period")[:12],
            "problems": obj.problems.visible_to(user).select_related("owner_unit"),
            "photos": selectors.project_photos(user, obj),
            "photo_form": PhotoForm(project=obj) if editable else None,
            "can_report": editable,
            "procedures": selectors.project_procedures(user, obj, today=clock.today()),
            "funding": selectors.project_funding(user, obj),
            "rolling_plans": selectors.rolling_plans(user, obj),
            "stoppage": selectors.open_stoppage(obj, today=clock.today()),
            "investment_lead": _investment_lead(user, obj),
            "funding_balance": next(
                iter(selectors.funding_balances(user, year=year, project=obj)), None
            ),
        }


class AnnualPlanViews(ObjectViewSet):
    model = AnnualPlan
    filterset = AnnualPlanFilterSet
    table = AnnualPlanTable
    form = AnnualPlanForm
    importer = "project-plans"
    select_related = ("project",)


class ProgressReportViews(ObjectViewSet):
    model = ProgressReport
    filterset = ProgressReportFilterSet
    table = ProgressReportTable
    form = ProgressReportForm
    importer = "project-progress"
    select_related = ("project",)
    create = services.progress_save
    update = services.progress_update
    delete = services.progress_delete


class ProblemViews(ObjectViewSet):
    model = Problem
    filterset = ProblemFilterSet
    table = ProblemTable
    form = ProblemForm
    select_related = ("project", "owner_unit", "reporting_unit", "source_row__call")
    detail_fields = (
        *ProblemForm.Meta.fields,
        "reporting_unit",
        "source_row",
    )


def problem_board(request):
    today = clock.today()
    return render(
        request,
        "projects/problem_board.html",
        {
            "board": selectors.problem_board(request.user, today=today),
            "columns": (
                ("overdue", _("已逾期"), "red"),
                ("open", _("办理中（未到时限）"), "orange"),
            ),
            "today": today,
        },
    )


def may_report_progress(user) -> bool:
    return can_create(user, ProgressReport)


@open_to(may_report_progress, gettext_lazy("您无权填报项目进度"))
def progress_entry(request):
    """One screen for a department's month: a row per project it may change. With
    ``?call=<pk>`` it is the unit's answer to a scheduling call: the call's month, only the
    call's rows the user may answer, the fields the call asks; each saved row is the
    project's progress report and the call's answer at once."""
    call = _entry_call(request)
    if call is not None:
        period = call.report_month
        period_form = None
        call_rows = selectors.call_rows_for(request.user, call)
        projects_qs = Project.objects.filter(pk__in=call_rows)
    else:
        year, month = month_of(request)
        period_form = EntryPeriodForm(request.GET or {"period": selectors.month_code(year, month)})
        period = (
            Period.parse(period_form.cleaned_data["period"]).code
            if period_form.is_valid()
            else selectors.month_code(year, month)
        )
        call_rows = {}
        projects_qs = Project.objects.editable_by(request.user)
    projects = list(
        projects_qs.select_related("responsible_unit").order_by("responsible_unit__path", "code")
    )
    data = request.POST if request.method == "POST" else None
    rows = _entry_rows(projects, period, data)
    answers = {
        p.pk: CallAnswerFields(
            data,
            prefix=f"a{p.pk}",
            initial={"answer": call_rows[p.pk].answer, "problems": call_rows[p.pk].problems},
        )
        for p in projects
        if p.pk in call_rows
    }
    if data is not None:
        filled = [(p, f) for p, f in rows if _filled(f)]
        for project, form in filled:
            form.check_rules(project=project, period=period)
        valid = all(f.is_valid() for _p, f in filled)
        valid = all([valid, *(answers[p.pk].is_valid() for p, _f in filled if p.pk in answers)])
        if valid:
            try:
                with transaction.atomic():
                    for project, form in filled:
                        if call is None:
                            services.progress_save(
                                by=request.user, project=project, period=period, **form.cleaned_data
                            )
                        else:
                            services.call_answer(
                                by=request.user,
                                row=call_rows[project.pk],
                                **answers[project.pk].cleaned_data,
                                **form.cleaned_data,
                            )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _("已保存 %(n)s 个项目 %(period)s 的进度")
                    % {"n": len(filled), "period": period},
                )
                target = f"?call={call.pk}" if call is not None else f"?period={period}"
                return redirect(f"{reverse('projects:progress_entry')}{target}")
        else:
            messages.error(request, _("有填报内容不符合要求，请按提示修改；未保存任何数据"))
        # Rows nobody typed an amount into are not saved, so they are not checked either: shown
        # again as they were sent, without errors.
        rows = [(p, f if _filled(f) else f.as_sent()) for p, f in rows]
    status = 400 if data is not None else 200
    return render(
        request,
        "projects/progress_entry.html",
        {
            "rows": rows,
            "answers": answers,
            "call_rows": call_rows,
            "period": period,
            "period_form": period_form,
            "call": call,
            "hidden": _hidden_figures(call),
            "today": clock.today(),
        },
        status=status,
    )


def _entry_call(request) -> SchedulingCall | None:
    raw = request.GET.get("call")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(SchedulingCall.objects.visible_to(request.user), pk=int(raw))


def _hidden_figures(call: SchedulingCall | None) -> set[str]:
    """Figures a call does not ask: sent back as the page filled them (last month's stage and
    入库 date), not shown."""
    if call is None:
        return set()
    hidden = set()
    if not call.ask_stage:
        hidden.add("stage")
    if not call.ask_entered:
        hidden.add("entered_statistics_on")
    return hidden


def _entry_rows(projects, period: str, data) -> list[tuple[Project, ProgressFields]]:
    """A form per project: the month's report when there is one; else a new month that starts
    where the last report ended (its stage and 入库 date: a project rarely changes either from
    one month to the next, and a stage left at 储备 would read as a regression)."""
    existing = {
        r.project_id: r for r in ProgressReport.objects.filter(project__in=projects, period=period)
    }
    before = selectors.reports_before([p for p in projects if p.pk not in existing], period)
    rows = []
    for project in projects:
        report = existing.get(project.pk)
        if report is not None:
            initial = {f: getattr(report, f) for f in ProgressFields.base_fields}
        elif (last := before.get(project.pk)) is not None:
            initial = {"stage": last.stage, "entered_statistics_on": last.entered_statistics_on}
        else:
            initial = {"stage": project.stage}
        rows.append((project, ProgressFields(data, prefix=f"p{project.pk}", initial=initial)))
    return rows


def _filled(form: ProgressFields) -> bool:
    """A row the user typed into (untouched rows of other projects are left alone)."""
    return any(
        form.data.get(form.add_prefix(name)) not in (None, "")
        for name in ("invested_this_month", "invested_ytd")
    )


@reauth_required
def weekly_sheet(request):
    scope = scope_for(request.user)
    unit = selectors.home_unit(request.user, scope)
    week = request.GET.get("week")
    if not week:
        week = reports.default_week(user=request.user, unit=unit)
    try:
        content, filename = reports.weekly_projects(user=request.user, unit=unit, week=week)
    except reports.ReportError as exc:
        messages.error(request, str(exc))
        return redirect("projects:project_list")
    return file_response(content, filename=filename)


def photo_add(request, pk: int):
    """Upload a site photo to one of the project's monthly reports."""
    project = Project.objects.editable_by(request.user).filter(pk=pk).first()
    if project is None:
        visible = Project.objects.visible_to(request.user).filter(pk=pk).exists()
        if visible or Project.objects.filter(pk=pk).exists():
            security_log.warning("refused photo upload to project #%s by %s", pk, request.user)
        if visible:
            raise PermissionDenied(_("您无权为该项目上传照片"))
        raise Http404
    form = PhotoForm(request.POST or None, request.FILES or None, project=project)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        upload = d["image"]
        try:
            services.photo_add(
                by=request.user,
                report=d["report"],
                name=upload.name,
                data=upload.read(),
                caption=d["caption"],
                taken_on=d["taken_on"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, _("已上传 %(period)s 的进度照片") % {"period": d["report"].period}
            )
            return redirect(f"{project.get_absolute_url()}#photos-title")
    context = {
        "object": project,
        "form": form,
        "list_url": reverse("projects:project_list"),
        "verbose_name_plural": Project._meta.verbose_name_plural,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/photo_form.html", context, status=status)


@require_safe
def photo(request, pk: int, thumbnail: bool = False):
    """A photo, to users who may see its project; anyone else gets 404 and a log line."""
    found = ProgressPhoto.objects.visible_to(request.user).filter(pk=pk).first()
    if found is None:
        if ProgressPhoto.objects.filter(pk=pk).exists():
            security_log.warning("refused project photo #%s to %s", pk, request.user)
        raise Http404
    stored = found.thumbnail if thumbnail else found.image
    response = FileResponse(stored.open("rb"), content_type=found.content_type)
    # Behind a login: a shared cache must not keep it.
    response["Cache-Control"] = "private, max-age=86400"
    return response


# --- 调度任务 ----------------------------------------------------------------------------------
class SchedulingCallViews(ObjectViewSet):
    model = SchedulingCall
    filterset = SchedulingCallFilterSet
    table = SchedulingCallTable
    form = SchedulingCallForm
    select_related = ("issuing_unit", "department", "issued_by")
    create = services.call_issue
    update = services.call_update
    allow_delete = False

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(
                asked=Count("rows", distinct=True),
                answered=Count("rows", filter=Q(rows__answered_at__isnull=False), distinct=True),
            )
        )

    def detail_context(self):
        call, user = self.object, self.request.user
        today = clock.today()
        board = selectors.call_board(user, call, today=today)
        return {
            "board": board,
            "totals": selectors.call_totals(board),
            "today": today,
            "can_remind": not call.is_closed and allows(user, "remind", call),
            "can_close": allows(user, "close", call),
            "can_answer": CallRow.objects.editable_by(user).filter(call=call).exists(),
        }


@open_to(may_report_progress, gettext_lazy("您无权填报项目进度"))
def call_todo(request):
    """待办: the open calls the user's unit has rows to answer in."""
    today = clock.today()
    return render(
        request,
        "projects/call_todo.html",
        {"todo": selectors.call_todo(request.user, today=today), "today": today},
    )


def _call_for(request, pk: int, action: str) -> SchedulingCall:
    call = get_object_or_404(SchedulingCall.objects.visible_to(request.user), pk=pk)
    if not allows(request.user, action, call):
        security_log.warning("refused %s of call #%s by %s", action, pk, request.user)
        raise PermissionDenied(_("调度已关闭或您无权执行此操作"))
    return call


@require_POST
def call_close(request, pk: int):
    call = _call_for(request, pk, "close")
    services.call_close(by=request.user, call=call)
    messages.success(request, _("已关闭调度：%(call)s") % {"call": call})
    return redirect(call.get_absolute_url())


@require_POST
def call_remind(request, pk: int, unit_pk: int):
    """One click on the board: remind one unit now."""
    call = _call_for(request, pk, "remind")
    unit = get_object_or_404(Unit, pk=unit_pk)
    if not CallRow.objects.visible_to(request.user).filter(call=call, unit=unit).exists():
        raise Http404
    try:
        told = services.call_remind_unit(by=request.user, call=call, unit=unit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if told:
            messages.success(request, _("已提醒%(unit)s %(n)s 人") % {"unit": unit.name, "n": told})
        else:
            messages.info(
                request,
                _("%(unit)s没有未填报的项目，或尚未阅读上一次提醒") % {"unit": unit.name},
            )
    return redirect(call.get_absolute_url())


@require_safe
@reauth_required
def call_sheet(request, pk: int):
    """The 周调度 sheet built from the call's answers (which rows were not answered, too)."""
    call = get_object_or_404(SchedulingCall.objects.visible_to(request.user), pk=pk)
    content, filename = reports.call_sheet(user=request.user, call=call, today=clock.today())
    return file_response(content, filename=filename)


# --- 前期手续 ----------------------------------------------------------------------------------
class ProcedureViews(ObjectViewSet):
    model = Procedure
    filterset = ProcedureFilterSet
    table = ProcedureTable
    form = ProcedureForm
    importer = "project-procedures"
    select_related = ("project",)
    create = services.procedure_create
    update = services.procedure_update


def procedure_board(request):
    """前期手续 board: what stands between each reserve project and its start (all projects
    with ``?all=1``)."""
    today = clock.today()
    every = request.GET.get("all") == "1"
    lines = selectors.procedure_board(
        request.user, today=today, stages=() if every else selectors.NOT_STARTED
    )
    return render(
        request,
        "projects/procedure_board.html",
        {
            "lines": lines,
            "kinds": selectors.STANDARD_PROCEDURES,
            "today": today,
            "every": every,
        },
    )


# --- 资金来源 ----------------------------------------------------------------------------------
class FundingSourceViews(ObjectViewSet):
    model = FundingSource
    filterset = FundingSourceFilterSet
    table = FundingSourceTable
    form = FundingSourceForm
    importer = "project-funding"
    select_related = ("project",)


def funding_board(request):
    """专项债券 issued but idle, and the projects whose sources do not add up to their plan."""
    year_raw = request.GET.get("year", "")
    year = int(year_raw) if year_raw.isdigit() and 1900 <= int(year_raw) <= 2200 else None
    year = year or month_of(request)[0]
    return render(
        request,
        "projects/funding_board.html",
        {
            "bonds": selectors.idle_bonds(request.user),
            "balances": [
                b for b in selectors.funding_balances(request.user, year=year) if not b.balanced
            ],
            "year": year,
        },
    )


# --- 滚动计划, 停工复工 ------------------------------------------------------------------------
class RollingPlanViews(ObjectViewSet):
    model = RollingPlan
    filterset = RollingPlanFilterSet
    table = RollingPlanTable
    form = RollingPlanForm
    importer = "project-rolling-plans"
    select_related = ("project",)
    create = services.rolling_plan_create
    update = services.rolling_plan_update


class StoppageViews(ObjectViewSet):
    model = Stoppage
    filterset = StoppageFilterSet
    table = StoppageTable
    form = StoppageForm
    importer = "project-stoppages"
    select_related = ("project",)
