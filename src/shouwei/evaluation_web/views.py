"""The 综合评价 page: the form, the results of one saved run, the list of saved runs."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shouwei.core.exports import export_response
from shouwei.core.navigation import open_to
from shouwei.core.permissions import scope_for
from shouwei.core.reauth import reauth_required
from shouwei.evaluation import EvaluationError

from .forms import EvaluationForm
from .models import RUN_ROLES, EvaluationRun
from .presenters import RunView, export_rows
from .selectors import home_unit, runs_for
from .services import rerun_evaluation, run_evaluation

SAVED_RUNS_SHOWN = 20


def may_evaluate(user) -> bool:
    return scope_for(user).has_role(*RUN_ROLES)


# The menu asks the same check before it offers the page.
evaluators_only = open_to(may_evaluate, gettext_lazy("综合评价仅向领导、督查、统计和部门人员开放"))


@evaluators_only
def index(request):
    unit = home_unit(request.user)
    if request.method == "POST":
        form = EvaluationForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                run = run_evaluation(
                    user=request.user,
                    group=form.cleaned_data["group"],
                    period=form.cleaned_data["period"],
                    indicators=form.choices(),
                    method=form.cleaned_data["method"],
                    normalisation=form.cleaned_data["normalisation"],
                    weights=form.weights_spec(),
                    missing=form.cleaned_data["missing"],
                    mc_draws=form.cleaned_data["mc_draws"],
                    seed=form.cleaned_data["seed"],
                    target_rank=form.cleaned_data["target_rank"],
                    name=form.cleaned_data["name"],
                )
            except EvaluationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("评价已完成并保存"))
                return redirect(run)
        return _page(request, form=form, run=None)
    latest = runs_for(request.user).filter(unit=unit).first() if unit else None
    latest = latest or runs_for(request.user).first()
    return _page(request, form=_form_for(request.user, latest), run=latest)


@evaluators_only
def run_detail(request, pk: int):
    run = get_object_or_404(runs_for(request.user), pk=pk)
    return _page(request, form=_form_for(request.user, run), run=run)


@require_POST
@evaluators_only
def run_rerun(request, pk: int):
    run = get_object_or_404(runs_for(request.user), pk=pk)
    try:
        new = rerun_evaluation(user=request.user, run=run)
    except EvaluationError as exc:
        messages.error(request, _("重算失败：%(reason)s") % {"reason": exc})
        return redirect(run)
    messages.success(request, _("已按原参数和随机种子重算"))
    return redirect(new)


@evaluators_only
@reauth_required
def run_export(request, pk: int):
    run = get_object_or_404(runs_for(request.user), pk=pk)
    return export_response(export_rows(RunView(run)), fmt="xlsx", basename="综合评价")


def _form_for(user, run: EvaluationRun | None) -> EvaluationForm:
    initial = EvaluationForm.initial_from_run(run) if run else {}
    return EvaluationForm(user=user, initial=initial)


def _page(request, *, form: EvaluationForm, run: EvaluationRun | None):
    runs = list(runs_for(request.user)[:SAVED_RUNS_SHOWN])
    return render(
        request,
        "evaluation_web/index.html",
        {
            "form": form,
            "run": run,
            "view": RunView(run) if run else None,
            "runs": runs,
        },
    )
