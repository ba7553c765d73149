"""Pages of the enterprise-service app: the view sets (enterprises, assignments, visits,
requests), the request flow's actions, a department's desk, a cadre's assignments, the
coverage report, the figures, and the enterprise contact's own pages."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from shouwei.core import clock
from shouwei.core.generic import ObjectViewSet
from shouwei.core.generic.forms import errors_for
from shouwei.core.models import Unit
from shouwei.core.navigation import open_to
from shouwei.core.permissions import ADD, STAFF_READERS, allows, may, scope_for, units_allowed
from shouwei.core.related import related_for_enterprise

from . import selectors, services
from .filters import (
    EnterpriseContactFilterSet,
    EnterpriseFilterSet,
    LiaisonAssignmentFilterSet,
    RequestFilterSet,
    VisitFilterSet,
)
from .forms import (
    AcceptForm,
    AnswerForm,
    AttachmentForm,
    ContactRequestForm,
    EnterpriseContactForm,
    EnterpriseForm,
    LiaisonAssignmentForm,
    RateForm,
    RequestForm,
    ReturnForm,
    RevisitForm,
    VisitForm,
)
from .models import (
    ACCEPT,
    HANDLE,
    REVISIT,
    Enterprise,
    EnterpriseContact,
    LiaisonAssignment,
    Request,
    RequestAttachment,
    Visit,
)
from .tables import (
    EnterpriseContactTable,
    EnterpriseTable,
    LiaisonAssignmentTable,
    RequestTable,
    VisitTable,
)

security_log = logging.getLogger("shouwei.security")


class EnterpriseViews(ObjectViewSet):
    required_roles = STAFF_READERS
    model = Enterprise
    filterset = EnterpriseFilterSet
    table = EnterpriseTable
    form = EnterpriseForm
    importer = "enterprises"
    select_related = ("street", "liaison_unit")
    templates = {"detail": "enterprises/enterprise_detail.html"}

    def detail_context(self):
        obj, user = self.object, self.request.user
        return {
            "assignments": selectors.active_assignments()
            .filter(enterprise=obj)
            .select_related("cadre", "unit"),
            "visits": selectors.visits_of(user, obj)[:20],
            "requests": Request.objects.visible_to(user)
            .filter(enterprise=obj)
            .select_related("assigned_department")[:50],
            # Key projects and investment leads, when those apps are installed (core.related).
            "related_sections": related_for_enterprise(user=user, uscc=obj.uscc, name=obj.name),
        }


class EnterpriseContactViews(ObjectViewSet):
    """Who speaks for an enterprise on the enterprise portal (their login name)."""

    required_roles = STAFF_READERS
    model = EnterpriseContact
    filterset = EnterpriseContactFilterSet
    table = EnterpriseContactTable
    form = EnterpriseContactForm
    select_related = ("enterprise",)


class LiaisonAssignmentViews(ObjectViewSet):
    required_roles = STAFF_READERS
    model = LiaisonAssignment
    filterset = LiaisonAssignmentFilterSet
    table = LiaisonAssignmentTable
    form = LiaisonAssignmentForm
    importer = "enterprise-assignments"
    select_related = ("cadre", "unit", "enterprise", "project")


class VisitViews(ObjectViewSet):
    required_roles = STAFF_READERS
    model = Visit
    filterset = VisitFilterSet
    table = VisitTable
    form = VisitForm
    select_related = ("enterprise", "cadre")


class RequestViews(ObjectViewSet):
    """List and page; the flow's steps are the actions below, not a generic edit."""

    required_roles = STAFF_READERS
    model = Request
    filterset = RequestFilterSet
    table = RequestTable
    select_related = ("enterprise", "assigned_department")
    templates = {"detail": "enterprises/request_detail.html"}

    def detail_context(self):
        req, user = self.object, self.request.user
        days_left = req.days_left(clock.today())
        steps = {
            "accept": allows(user, ACCEPT, req) and AcceptForm(),
            "handle": allows(user, HANDLE, req),
            "revisit": allows(user, REVISIT, req) and RevisitForm(),
        }
        return {
            "steps": steps,
            "answer_form": AnswerForm() if steps["handle"] else None,
            "return_form": ReturnForm() if steps["handle"] else None,
            "attachments": req.attachments.all(),
            "attachment_form": AttachmentForm()
            if allows(user, ADD, RequestAttachment(request=req))
            else None,
            "days_left": days_left,
            "overdue_days": -days_left if days_left is not None and days_left < 0 else 0,
        }


def _reads_requests(user) -> bool:
    return scope_for(user).has_role(*STAFF_READERS)


def _files_requests(user) -> bool:
    return may(user, Request, ADD)


def _is_contact(user) -> bool:
    return selectors.contact_enterprise_id(user) is not None


def _refused(request, exc) -> None:
    messages.error(request, "；".join(exc.messages) if hasattr(exc, "messages") else str(exc))


# --- the request flow (staff) ----------------------------------------------------------------
@open_to(_files_requests, gettext_lazy("您无权代企业提交诉求"))
def request_add(request):
    form = RequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            req = services.request_file(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, errors_for(form, exc))
        else:
            messages.success(request, _("诉求已提交，等待受理"))
            return redirect(req)
    return render(
        request,
        "enterprises/request_add.html",
        {"form": form, "list_url": reverse("enterprises:request_list")},
    )


# Each step: the contract's action, its form, and the service.
STEPS = {
    "accept": (
        ACCEPT,
        AcceptForm,
        lambda by, req, d: services.request_accept(by=by, request=req, **d),
    ),
    "start": (HANDLE, None, lambda by, req, d: services.request_start(by=by, request=req)),
    "answer": (
        HANDLE,
        AnswerForm,
        lambda by, req, d: services.request_answer(by=by, request=req, **d),
    ),
    "return": (
        HANDLE,
        ReturnForm,
        lambda by, req, d: services.request_return(by=by, request=req, **d),
    ),
    "revisit": (
        REVISIT,
        RevisitForm,
        lambda by, req, d: services.request_revisit(by=by, request=req, **d),
    ),
}


@require_POST
def request_step(request, pk: int, step: str):
    """One step of the flow on a request the user reads: 404 otherwise; refused or invalid,
    back to the page with the reason."""
    if step not in STEPS:
        raise Http404
    req = get_object_or_404(Request.objects.visible_to(request.user), pk=pk)
    action, form_class, run = STEPS[step]
    # Whether the user may take this step here at all (the state is the service's to judge,
    # with a message): refused before the form is read.
    if not units_allowed(request.user, Request, action, req):
        security_log.warning("refused %s of request #%s by %s", step, pk, request.user)
        raise PermissionDenied(_("您无权办理该诉求"))
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "；".join(errors))
        return redirect(req)
    try:
        run(request.user, req, form.cleaned_data if form else {})
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已办理"))
    return redirect(req)


def _store_upload(request, req, upload) -> bool:
    try:
        services.check_upload_size(upload.size)
        services.attachment_add(by=request.user, request=req, name=upload.name, data=upload.read())
    except ValidationError as exc:
        _refused(request, exc)
        return False
    return True


@require_POST
def attachment_add(request, pk: int):
    req = get_object_or_404(Request.objects.visible_to(request.user), pk=pk)
    if not allows(request.user, ADD, RequestAttachment(request=req)):
        raise PermissionDenied(_("您无权为该诉求上传附件"))
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件"))
    elif _store_upload(request, req, form.cleaned_data["file"]):
        messages.success(request, _("附件已上传"))
    return redirect(req)


@require_safe
def attachment(request, pk: int):
    """A request's file, to those who read the request (its enterprise's contact included)."""
    readable = RequestAttachment.objects.filter(
        request__in=Request.objects.visible_to(request.user)
    ) | RequestAttachment.objects.filter(request__in=selectors.requests_for_contact(request.user))
    att = readable.filter(pk=pk).first()
    if att is None:
        security_log.warning("refused attachment #%s to %s", pk, request.user)
        raise Http404
    return FileResponse(
        att.file.open("rb"),
        as_attachment=True,
        filename=att.original_name,
        content_type=att.content_type,
    )


# --- desks and reports -----------------------------------------------------------------------
def _departments_of(user):
    """The departments whose desk the user may open: theirs (or all, above them)."""
    qs = Unit.objects.filter(kind="department").order_by("path")
    scope = scope_for(user)
    if scope.is_superuser:
        return qs
    paths = scope.paths(STAFF_READERS)
    return qs.filter(pk__in=[u.pk for u in qs if any(u.path.startswith(p) for p in paths)])


@open_to(_reads_requests, gettext_lazy("您无权查看诉求办理台"))
def desk(request):
    """A department's requests with their time limit counting down, and the dispatcher's
    queue of requests waiting to be accepted (returned ones first)."""
    today = clock.today()
    departments = list(_departments_of(request.user))
    chosen = None
    if request.GET.get("department"):
        chosen = next((d for d in departments if str(d.pk) == request.GET["department"]), None)
        if chosen is None:
            raise Http404
    rows = list(selectors.desk(request.user, chosen)[:200])
    for r in rows:
        r.days = r.days_left(today)
        r.overdue = -r.days if r.days is not None and r.days < 0 else 0
    queue = list(selectors.dispatch_queue(request.user).order_by("-return_count", "filed_on")[:100])
    return render(
        request,
        "enterprises/desk.html",
        {
            "rows": rows,
            "queue": queue,
            "departments": departments,
            "chosen": chosen,
            "today": today,
        },
    )


def _is_cadre(user) -> bool:
    """A cadre or clerk: one who records visits to enterprises."""
    return may(user, Visit, ADD)


@open_to(_is_cadre, gettext_lazy("只有联络干部可以查看联点安排"))
def my_assignments(request):
    assignments = list(selectors.my_assignments(request.user))
    enterprise_ids = [a.enterprise_id for a in assignments if a.enterprise_id]
    open_requests = selectors.open_requests_by_enterprise(enterprise_ids)
    for a in assignments:
        a.open_requests = open_requests.get(a.enterprise_id, 0)
    return render(request, "enterprises/my_assignments.html", {"assignments": assignments})


@open_to(_reads_requests, gettext_lazy("您无权查看企业覆盖情况"))
def coverage(request):
    return render(
        request,
        "enterprises/coverage.html",
        {
            "coverage": selectors.coverage(request.user),
            "uncovered": selectors.uncovered_enterprises(request.user)[:500],
        },
    )


@open_to(_reads_requests, gettext_lazy("您无权查看诉求办理统计"))
def figures(request):
    today = clock.today()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    unit = selectors.home_unit(request.user)
    tables = [
        (key, label, selectors.request_figures(user=request.user, unit=unit, year=year, by=key))
        for key, label in (
            ("department", _("按承办部门")),
            ("category", _("按类别")),
            ("month", _("按月份")),
        )
    ]
    return render(
        request,
        "enterprises/figures.html",
        {
            "year": year,
            "unit": unit,
            "overall": selectors.request_rates(unit, year, user=request.user),
            "tables": tables,
            "list_url": reverse("enterprises:request_list"),
        },
    )


# --- the enterprise contact's own pages --------------------------------------------------------
CONTACT_ONLY = gettext_lazy("只有企业联系人可以使用企业端")


@open_to(_is_contact, CONTACT_ONLY)
def contact_home(request):
    return render(
        request,
        "enterprises/contact_home.html",
        {
            "enterprise": selectors.contact_enterprise(request.user),
            "requests": selectors.requests_for_contact(request.user).order_by("-filed_on", "-pk"),
        },
    )


@open_to(_is_contact, CONTACT_ONLY)
def contact_new(request):
    form = ContactRequestForm(request.POST or None, request.FILES or None)
    enterprise = selectors.contact_enterprise(request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.pop("file")
        try:
            if upload is not None:
                services.check_upload_size(upload.size)
            req = services.request_file_with_file(
                by=request.user,
                enterprise=enterprise,
                upload=(upload.name, upload.read()) if upload else None,
                **data,
            )
        except ValidationError as exc:
            form.add_error(None, errors_for(form, exc))
        else:
            messages.success(request, _("诉求已提交，我们会尽快受理"))
            return redirect("enterprises:contact_request", pk=req.pk)
    return render(request, "enterprises/contact_new.html", {"form": form, "enterprise": enterprise})


def _own_request(request, pk: int) -> Request:
    req = selectors.requests_for_contact(request.user).filter(pk=pk).first()
    if req is None:
        # Another enterprise's request (or none): not found, and logged.
        security_log.warning("refused request #%s to contact %s", pk, request.user)
        raise Http404
    return req


@open_to(_is_contact, CONTACT_ONLY)
def contact_request(request, pk: int):
    req = _own_request(request, pk)
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_rate(
                by=request.user, request=req, satisfaction=form.cleaned_data["satisfaction"]
            )
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("感谢您的评价"))
        return redirect("enterprises:contact_request", pk=req.pk)
    return render(
        request,
        "enterprises/contact_request.html",
        {
            "req": req,
            "rate_form": form if req.status in services.RATEABLE_STATUSES else None,
            "attachments": req.attachments.all(),
            "attachment_form": AttachmentForm(),
        },
    )


@open_to(_is_contact, CONTACT_ONLY)
@require_POST
def contact_attachment_add(request, pk: int):
    req = _own_request(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件"))
    elif _store_upload(request, req, form.cleaned_data["file"]):
        messages.success(request, _("附件已上传"))
    return redirect("enterprises:contact_request", pk=req.pk)
