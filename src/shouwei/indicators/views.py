from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shouwei.core.generic import ObjectViewSet
from shouwei.core.periods import Period, PeriodError
from shouwei.core.permissions import scope_for

from . import selectors, services
from .filters import IndicatorFilterSet, ObservationFilterSet, TargetFilterSet
from .forms import CorrectionForm, IndicatorForm, ObservationForm, ReasonForm, TargetForm
from .models import Indicator, Observation, Target
from .tables import IndicatorTable, ObservationTable, TargetTable

DEFAULT_PERIOD = "2022H1"


class IndicatorViews(ObjectViewSet):
    model = Indicator
    filterset = IndicatorFilterSet
    table = IndicatorTable
    form = IndicatorForm
    select_related = ("owner_unit",)


class ObservationViews(ObjectViewSet):
    model = Observation
    filterset = ObservationFilterSet
    table = ObservationTable
    form = ObservationForm
    importer = "observations"
    templates = {"detail": "indicators/observation_detail.html"}

    @classmethod
    def get_queryset(cls, request):
        return selectors.observation_list(request.user)

    @classmethod
    def save(cls, form, request):
        if form.instance.pk is None:
            data = form.cleaned_data
            return services.observation_create(
                by=request.user,
                unit=data["unit"],
                indicator=data["indicator"],
                period=data["period"],
                value=data["value"],
                growth=data["growth"],
                published_rank=data["published_rank"],
                rank_group=data["rank_group"],
                rank_basis=data["rank_basis"],
                reporting_unit=data["reporting_unit"],
                source=data["source"],
                note=data["note"],
            )
        return form.save()


class TargetViews(ObjectViewSet):
    model = Target
    filterset = TargetFilterSet
    table = TargetTable
    form = TargetForm
    select_related = ("unit", "indicator", "rank_group")


def _unit_and_period(request):
    scope = scope_for(request.user)
    code = request.GET.get("unit")
    units = selectors.units_for_cockpit(request.user)
    if code:
        unit = units.filter(code=code).first()
        if unit is None:
            raise Http404(_("没有单位“%(code)s”或您无权查看") % {"code": code})
    else:
        home = scope.home_unit_pk
        unit = units.filter(pk=home).first() if home else None
        if unit is not None and unit.kind in ("department", "street"):
            unit = unit.parent
        unit = unit or units.filter(code="hy-gxq").first() or units.first()
    try:
        period = Period.parse(request.GET.get("period") or DEFAULT_PERIOD)
    except PeriodError as exc:
        messages.error(request, str(exc))
        period = Period.parse(DEFAULT_PERIOD)
    return unit, period, units


def cockpit(request):
    unit, period, units = _unit_and_period(request)
    if unit is None:
        return render(request, "indicators/cockpit_empty.html")
    data = selectors.cockpit_for(unit=unit, period=period, user=request.user)
    return render(
        request,
        "indicators/cockpit.html",
        {
            "cockpit": data,
            "unit": unit,
            "period": period,
            "units": units,
        },
    )


def indicator_unit_detail(request, pk):
    """One indicator for one unit: trend, rank history, peers, and where each figure came from."""
    indicator = get_object_or_404(Indicator.objects.visible_to(request.user), pk=pk)
    unit, period, units = _unit_and_period(request)
    series = selectors.indicator_series(unit=unit, indicator=indicator, user=request.user)
    return render(
        request,
        "indicators/indicator_unit.html",
        {
            "indicator": indicator,
            "unit": unit,
            "period": period,
            "units": units,
            "series": series,
        },
    )


def _observation_action(request, pk, action):
    obs = get_object_or_404(Observation.objects.visible_to(request.user), pk=pk)
    try:
        if action == "submit":
            services.observation_submit(observation=obs, by=request.user)
            messages.success(request, _("已提交审核"))
        elif action == "approve":
            services.observation_approve(observation=obs, by=request.user)
            messages.success(request, _("已审核通过"))
        elif action == "reject":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("退回须说明原因"))
            services.observation_reject(
                observation=obs, by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("已退回"))
        elif action == "correct":
            form = CorrectionForm(request.POST)
            if not form.is_valid():
                raise ValidationError(
                    "；".join(
                        f"{form.fields[f].label}：{' '.join(e)}"
                        if f in form.fields
                        else " ".join(e)
                        for f, e in form.errors.items()
                    )
                )
            d = form.cleaned_data
            services.observation_correct(
                observation=obs,
                by=request.user,
                reason=d["reason"],
                value=d["value"],
                growth=d["growth"],
                published_rank=d["published_rank"],
            )
            messages.success(request, _("已更正，原值保留在修改历史中"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return render(request, "errors/403.html", {"message": str(exc)}, status=403)
    return redirect(obs.get_absolute_url())


@require_POST
def observation_submit(request, pk):
    return _observation_action(request, pk, "submit")


@require_POST
def observation_approve(request, pk):
    return _observation_action(request, pk, "approve")


@require_POST
def observation_reject(request, pk):
    return _observation_action(request, pk, "reject")


@require_POST
def observation_correct(request, pk):
    return _observation_action(request, pk, "correct")
