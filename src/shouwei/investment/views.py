from __future__ import annotations

import logging
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shouwei.core import clock
from shouwei.core.generic import ObjectViewSet
from shouwei.core.generic.forms import errors_for
from shouwei.core.permissions import CHANGE

from . import charts, selectors, services
from .choices import LeadStage
from .filters import (
    AgencyFilterSet,
    ChainLinkFilterSet,
    ContractFilterSet,
    EventFilterSet,
    FortuneListEntryFilterSet,
    IndustryChainFilterSet,
    LeadFilterSet,
    OfficeFilterSet,
)
from .forms import (
    AdmissionThresholdForm,
    AgencyForm,
    ChainLinkForm,
    ContractForm,
    ConvertForm,
    EventForm,
    FortuneListEntryForm,
    IndustryChainForm,
    LeadForm,
    LoseForm,
    MoveForm,
    OfficeForm,
    ReviewForm,
)
from .models import (
    AdmissionReview,
    AdmissionThreshold,
    Agency,
    ChainLink,
    Contract,
    Event,
    FortuneListEntry,
    IndustryChain,
    Lead,
    Office,
)
from .tables import (
    AdmissionReviewTable,
    AdmissionThresholdTable,
    AgencyTable,
    ChainLinkTable,
    ContractTable,
    EventTable,
    FortuneListEntryTable,
    IndustryChainTable,
    LeadTable,
    OfficeTable,
)

security_log = logging.getLogger("shouwei.security")


class LeadViews(ObjectViewSet):
    model = Lead
    filterset = LeadFilterSet
    table = LeadTable
    form = LeadForm
    importer = "investment-leads"
    select_related = ("owner_unit", "contract_record", "fortune_entry", "chain_link__chain")
    create = services.lead_create
    update = services.lead_update
    delete = services.lead_delete

    def detail_context(self):
        lead, user = self.object, self.request.user
        editable = Lead.objects.editable_by(user).filter(pk=lead.pk).exists()
        contract = getattr(lead, "contract_record", None)
        return {
            "steps": lead.steps.select_related("by").order_by("on", "pk"),
            "reviews": lead.reviews.order_by("-reviewed_on", "-pk"),
            "contract": contract,
            "overdue": contract.overdue_milestones(clock.today()) if contract else [],
            "can_move": editable and not lead.lost,
            "can_convert": editable and contract is not None and not lead.project_id,
            "stages": LeadStage.choices,
        }


class ContractViews(ObjectViewSet):
    """Read pages; a contract is made by signing its lead and edited on its own page or by
    the contracts import."""

    model = Contract
    filterset = ContractFilterSet
    table = ContractTable
    importer = "investment-contracts"
    select_related = ("lead",)

    def detail_context(self):
        obj = self.object
        editable = Contract.objects.editable_by(self.request.user).filter(pk=obj.pk).exists()
        return {
            "overdue": obj.overdue_milestones(clock.today()),
            "contract_edit_url": reverse("investment:contract_fulfilment", args=[obj.pk])
            if editable
            else None,
            "can_sync_funds": editable and obj.lead.project_id is not None,
        }


class EventViews(ObjectViewSet):
    model = Event
    filterset = EventFilterSet
    table = EventTable
    form = EventForm
    select_related = ("owner_unit",)
    templates = {"detail": "investment/source_detail.html"}

    def detail_context(self):
        return {"brought": selectors.brought(self.request.user, self.object)}


class OfficeViews(EventViews):
    model = Office
    filterset = OfficeFilterSet
    table = OfficeTable
    form = OfficeForm


class AgencyViews(EventViews):
    model = Agency
    filterset = AgencyFilterSet
    table = AgencyTable
    form = AgencyForm


class IndustryChainViews(ObjectViewSet):
    model = IndustryChain
    filterset = IndustryChainFilterSet
    table = IndustryChainTable
    form = IndustryChainForm
    select_related = ("owner_unit",)


class ChainLinkViews(ObjectViewSet):
    model = ChainLink
    filterset = ChainLinkFilterSet
    table = ChainLinkTable
    form = ChainLinkForm
    select_related = ("chain",)


class FortuneListEntryViews(ObjectViewSet):
    model = FortuneListEntry
    filterset = FortuneListEntryFilterSet
    table = FortuneListEntryTable
    form = FortuneListEntryForm
    select_related = ("owner_unit",)


class AdmissionThresholdViews(ObjectViewSet):
    model = AdmissionThreshold
    table = AdmissionThresholdTable
    form = AdmissionThresholdForm
    select_related = ("owner_unit",)


class AdmissionReviewViews(ObjectViewSet):
    """Read pages; a review is recorded from its lead's page (services.review_record)."""

    model = AdmissionReview
    table = AdmissionReviewTable
    select_related = ("lead",)


def _writable(request, model, pk: int):
    """The record the user may change; 403 (logged) when they may only read it, else 404."""
    obj = model.objects.restrict(request.user, CHANGE).filter(pk=pk).first()
    if obj is not None:
        return obj
    if model.objects.visible_to(request.user).filter(pk=pk).exists():
        security_log.warning(
            "refused change of %s #%s by %s", model._meta.model_name, pk, request.user
        )
        raise PermissionDenied(_("您无权修改该记录"))
    raise Http404


def _safe_next(request) -> str | None:
    """The page to return to (the board), only when it is a path on this site."""
    target = request.POST.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target.startswith("/") and allowed else None


def _form_page(request, *, obj, form, title, status=200):
    return render(
        request,
        "investment/action_form.html",
        {"object": obj, "form": form, "title": title, "list_url": reverse("investment:lead_list")},
        status=status,
    )


def _run(request, form, call) -> bool:
    """Call the service with the form's data; its refusal lands on the form."""
    try:
        call(**form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, errors_for(form, exc))
        return False
    return True


def lead_move(request, pk: int):
    """Move a card: the board's form (and the lead page's), usable without dragging."""
    lead = _writable(request, Lead, pk)
    initial = {"on": clock.today(), "to_stage": request.GET.get("to") or lead.stage}
    form = MoveForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(request, form, lambda **d: services.lead_move(by=request.user, lead=lead, **d))
    ):
        messages.success(
            request,
            _("已将 %(lead)s 移到“%(stage)s”")
            % {"lead": lead, "stage": LeadStage(form.cleaned_data["to_stage"]).label},
        )
        return redirect(_safe_next(request) or lead.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return _form_page(request, obj=lead, form=form, title=_("移动阶段"), status=status)


def lead_lose(request, pk: int):
    lead = _writable(request, Lead, pk)
    form = LoseForm(request.POST or None, initial={"on": clock.today()})
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(request, form, lambda **d: services.lead_lose(by=request.user, lead=lead, **d))
    ):
        messages.success(request, _("已将 %(lead)s 标记为流失") % {"lead": lead})
        return redirect(lead.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return _form_page(request, obj=lead, form=form, title=_("标记流失"), status=status)


def lead_review(request, pk: int):
    lead = _writable(request, Lead, pk)
    form = ReviewForm(request.POST or None, initial={"reviewed_on": clock.today()})
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(request, form, lambda **d: services.review_record(by=request.user, lead=lead, **d))
    ):
        messages.success(request, _("已登记 %(lead)s 的准入评审") % {"lead": lead})
        return redirect(lead.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return _form_page(request, obj=lead, form=form, title=_("登记准入评审"), status=status)


def contract_fulfilment(request, pk: int):
    """The contract's terms, planned milestones and funds in place."""
    contract = _writable(request, Contract, pk)
    form = ContractForm(request.POST or None, instance=contract, user=request.user)
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(
            request,
            form,
            lambda **d: services.contract_update(by=request.user, instance=contract, **d),
        )
    ):
        messages.success(request, _("已保存：%(obj)s") % {"obj": contract})
        return redirect(contract.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return _form_page(request, obj=contract, form=form, title=_("编辑合同与履约"), status=status)


def lead_convert(request, pk: int):
    """A signed lead becomes a key project: the user adds the code and level only."""
    lead = _writable(request, Lead, pk)
    if lead.project_id or not hasattr(lead, "contract_record"):
        messages.error(request, _("只有已签约、尚未转入的线索才能转为重点项目"))
        return redirect(lead.get_absolute_url())
    initial = {"code": f"zs-{lead.contract_record.signed_on:%Y}-{lead.pk:03d}", "level": "district"}
    form = ConvertForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.lead_to_project(by=request.user, lead=lead, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, errors_for(form, exc))
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已转为重点项目：%(p)s") % {"p": project})
            return redirect(project.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return _form_page(request, obj=lead, form=form, title=_("转为重点项目"), status=status)


@require_POST
def contract_funds_sync(request, pk: int):
    """Funds in place from the key project's investment completed."""
    contract = _writable(request, Contract, pk)
    try:
        services.funds_from_project(by=request.user, contract=contract)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已按重点项目累计完成投资更新到位资金"))
    return redirect(contract.get_absolute_url())


def board(request):
    """The pipeline board: a column per stage, each card with a move form."""
    columns = selectors.board(request.user)
    return render(
        request,
        "investment/board.html",
        {
            "columns": columns,
            "stages": LeadStage.choices,
            # Which of the cards shown the user may move (one query).
            "editable": set(
                Lead.objects.editable_by(request.user)
                .filter(pk__in=[lead.pk for col in columns for lead in col.cards])
                .values_list("pk", flat=True)
            ),
            "today": clock.today(),
        },
    )


FULFILMENT_PAGE = 50


def fulfilment(request):
    """Signed contracts with their overdue milestones (``?overdue=1``: those only), 50 a page,
    and the 履约率 over all of them."""
    today = clock.today()
    overdue_only = request.GET.get("overdue") == "1"
    data = selectors.fulfilment(request.user, today=today, overdue_only=overdue_only)
    page = Paginator(data["contracts"], FULFILMENT_PAGE).get_page(request.GET.get("page"))
    rows = [(c, c.overdue_milestones(today)) for c in page.object_list]
    return render(
        request,
        "investment/fulfilment.html",
        {"data": data, "rows": rows, "page": page, "overdue_only": overdue_only, "today": today},
    )


QUARTER = re.compile(r"^(19|20|21)\d{2}Q[1-4]$")
YEAR = re.compile(r"^(19|20|21)\d{2}$")


def funnel(request):
    """Per channel, the leads that reached each stage; for a quarter's leads (?quarter=2022Q2)
    or all, with the median days from each stage to the next."""
    quarter = request.GET.get("quarter") or None
    if quarter and not QUARTER.match(quarter):
        messages.error(request, _("季度应写成 2022Q2"))
        quarter = None
    qs = selectors.quarter_leads(request.user, quarter)
    rows = selectors.funnel(request.user, qs=qs)
    # The four quarters side by side: of ?year=, else of the quarter's year, else this year.
    raw_year = request.GET.get("year") or ""
    if raw_year and not YEAR.match(raw_year):
        messages.error(request, _("年度应写成四位数字，如 2022"))
        raw_year = ""
    year = int(raw_year) if raw_year else int(quarter[:4]) if quarter else clock.today().year
    return render(
        request,
        "investment/funnel.html",
        {
            "rows": rows,
            "stages": LeadStage.choices,
            "chart": charts.channel_funnel(rows),
            "durations": selectors.stage_durations(qs),
            "quarter": quarter or "",
            "year": year,
            "year_param": raw_year,
            "by_quarter": selectors.funnel_by_quarter(request.user, year=year),
        },
    )


def chain_gaps(request):
    """靶向招商: each chain's links, the projects landed on them and the empty ones to target."""
    return render(
        request, "investment/chain_gaps.html", {"chains": selectors.chain_gaps(request.user)}
    )
