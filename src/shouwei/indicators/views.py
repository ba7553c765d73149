from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shouwei.core import data_version, formatting
from shouwei.core.generic import ObjectViewSet
from shouwei.core.panels import panels_for
from shouwei.core.periods import Period, PeriodError, PeriodKind

from . import charts, selectors, services
from .filters import IndicatorFilterSet, ObservationFilterSet, TargetFilterSet
from .forms import CorrectionForm, IndicatorForm, ObservationForm, ReasonForm, TargetForm
from .models import Indicator, Observation, Target
from .tables import IndicatorTable, ObservationTable, TargetTable


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
    private_fields = ("source", "entered_by", "approved_by", "import_batch", "note")

    def shown_values(self):
        return {
            "value": lambda o: formatting.format_measure(
                o.value, o.indicator.measure, o.indicator.decimals
            ),
            "growth": lambda o: formatting.format_growth(o.growth, 1),
            "published_rank": lambda o: formatting.format_rank(o.published_rank, None),
        }

    create = services.observation_create
    update = services.observation_update

    def get_queryset(self):
        return selectors.observation_list(self.request.user)


class TargetViews(ObjectViewSet):
    model = Target
    filterset = TargetFilterSet
    table = TargetTable
    form = TargetForm
    select_related = ("unit", "indicator", "rank_group")


def _unit_and_period(request):
    """The unit and period the address names; what is left out comes from
    ``selectors.cockpit_start`` (the user's home unit, the latest approved headline period)."""
    units = selectors.units_for_cockpit(request.user)
    code = request.GET.get("unit")
    unit = None
    if code:
        unit = units.filter(code=code).first()
        if unit is None:
            raise Http404(_("没有单位“%(code)s”或您无权查看") % {"code": code})
    period = None
    if raw := request.GET.get("period"):
        try:
            period = Period.parse(raw)
        except PeriodError as exc:
            messages.error(request, str(exc))
    if unit is None or period is None:
        start = selectors.cockpit_start(user=request.user, unit=unit)
        unit = unit or start.unit
        # Nothing approved yet anywhere the user looks: the current year, empty but honest.
        period = period or start.period or Period(timezone.localdate().year, PeriodKind.YEAR)
    return unit, period, units


def cockpit(request):
    unit, period, units = _unit_and_period(request)
    if unit is None:
        return render(request, "indicators/cockpit_empty.html")
    # The blocks (figures, targets, charts, panels) are the page's cost and depend only on the
    # person, the unit, the period and the data: kept until the next data write. The frame
    # around them (menu, bell, messages) is rendered for each request.
    blocks = data_version.cached_for(
        request.user,
        "cockpit",
        (unit.pk, period.code),
        lambda: _cockpit_blocks(request, unit=unit, period=period),
    )
    return render(
        request,
        "indicators/cockpit.html",
        {"blocks": blocks, "unit": unit, "period": period, "units": units},
    )


def _cockpit_blocks(request, *, unit, period) -> dict:
    data = selectors.cockpit_for(unit=unit, period=period, user=request.user)
    history = selectors.headline_history(cockpit=data, user=request.user)
    context = {
        "cockpit": data,
        "has_synthetic": data.has_synthetic or history.has_synthetic,
        "unit": unit,
        "period": period,
        "peer_charts": [charts.peer_bars(s, unit=unit) for s in data.peer_comparison],
        "trend_charts": [
            charts.trend(points, indicator=ind, chart_id=f"chart-trend-{ind.code}")
            for ind, points in history.trends
        ],
        "rank_chart": (
            charts.rank_history(history.ranks, chart_id="chart-rank-history")
            if history.ranks
            else None
        ),
        # Each domain app's panel (key projects, …), registered in its own panels.py.
        "panels": panels_for(user=request.user, unit=unit, period=period),
    }
    return {
        # No request: the blocks are the same for every request of this key.
        "html": mark_safe(render_to_string("indicators/includes/cockpit_blocks.html", context)),
        "has_charts": bool(
            context["peer_charts"] or context["trend_charts"] or context["rank_chart"]
        ),
        "periods_available": list(data.periods_available),
    }


def indicator_unit_detail(request, pk):
    """One indicator for one unit: trend, rank history, peers, and where each figure came from."""
    indicator = get_object_or_404(Indicator.objects.visible_to(request.user), pk=pk)
    unit, period, units = _unit_and_period(request)
    if unit is None:
        return render(request, "indicators/cockpit_empty.html")
    page = selectors.indicator_for_unit(
        unit=unit,
        indicator=indicator,
        period=period,
        user=request.user,
        group_code=request.GET.get("group"),
    )
    return render(
        request,
        "indicators/indicator_unit.html",
        {
            "page": page,
            "indicator": indicator,
            "unit": unit,
            "period": period,
            "units": units,
            "trend_chart": (
                charts.trend(page.trend, indicator=indicator, chart_id="chart-trend")
                if page.trend
                else None
            ),
            "rank_chart": (
                charts.rank_history([(indicator, page.rank_points)], chart_id="chart-rank")
                if page.rank_points
                else None
            ),
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
