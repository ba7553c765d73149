"""Reads for key projects: every figure computed from records, each with the list behind it.

The year-to-date of a project at a month is its latest report of that year up to the month (a
department that skipped May still counts its April figure in June); its plan is the year's
annual plan. Both are subqueries, so a page runs the same few queries for 50 projects or 20,000.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import (
    Case,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from shouwei.core.models import Unit

from .choices import ProblemStatus, ProjectLevel
from .models import AnnualPlan, Problem, ProgressReport, Project
from .services import behind_margin, completion_rate, elapsed_share, is_behind

MONEY = DecimalField(max_digits=12, decimal_places=2)
ZERO = Decimal("0.00")


def level_order():
    """省重点, 市重点, 区重点 in that order (their codes sort otherwise)."""
    return Case(
        *(When(level=v, then=Value(i)) for i, v in enumerate(ProjectLevel.values)),
        output_field=IntegerField(),
    )


def month_code(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


def with_progress(qs: QuerySet, *, year: int, month: int) -> QuerySet:
    """Annotate ``planned`` (the year's plan, None without one) and ``completed`` (the year's
    latest year-to-date up to the month, 0 before any report)."""
    latest = ProgressReport.objects.filter(
        project=OuterRef("pk"),
        period__gte=month_code(year, 1),
        period__lte=month_code(year, month),
    ).order_by("-period")
    plan = AnnualPlan.objects.filter(project=OuterRef("pk"), year=year)
    return qs.annotate(
        planned=Subquery(plan.values("planned_investment")[:1], output_field=MONEY),
        completed=Coalesce(
            Subquery(latest.values("invested_ytd")[:1], output_field=MONEY),
            Value(ZERO, output_field=MONEY),
        ),
        latest_period=Subquery(latest.values("period")[:1]),
    )


def behind_q(*, month: int, margin: Decimal | None = None) -> Q:
    """Behind plan in SQL, the same rule as ``services.is_behind``: completed < planned × (elapsed
    share − margin), on an annotated queryset (``with_progress``)."""
    margin = behind_margin() if margin is None else margin
    factor = elapsed_share(month) - margin
    if factor <= 0:
        return Q(pk__in=[])
    return Q(planned__gt=0, completed__lt=F("planned") * Value(factor, output_field=MONEY))


def not_entered_q() -> Q:
    """入库: entered into the statistics bureau's fixed-asset investment database (any report
    of the project carries a 入库 date). A project with none is 未入库."""
    return ~Exists(
        ProgressReport.objects.filter(project=OuterRef("pk"), entered_statistics_on__isnull=False)
    )


def projects_under(user, unit: Unit | None) -> QuerySet:
    qs = Project.objects.visible_to(user)
    if unit is not None:
        qs = qs.filter(responsible_unit__path__startswith=unit.path)
    return qs


def latest_month(user, unit: Unit | None = None) -> tuple[int, int] | None:
    """The newest month any visible project reported (the default period of the pages)."""
    period = (
        ProgressReport.objects.visible_to(user)
        .filter(project__in=projects_under(user, unit))
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    return (int(period[:4]), int(period[5:7])) if period else None


@dataclass
class Figures:
    """Count, totals and completion of a set of projects; ``url`` lists exactly those."""

    label: str
    url: str
    count: int = 0
    total_investment: Decimal = ZERO
    planned: Decimal = ZERO
    completed: Decimal = ZERO
    behind: int = 0
    behind_url: str = ""

    @property
    def rate(self) -> Decimal | None:
        return completion_rate(completed=self.completed, planned=self.planned)


@dataclass
class ProjectSummary:
    unit: Unit | None
    year: int
    month: int
    levels: list[Figures] = field(default_factory=list)
    overall: Figures | None = None

    @property
    def period(self) -> str:
        return month_code(self.year, self.month)

    @property
    def elapsed(self) -> Decimal:
        return elapsed_share(self.month)


def list_url(**params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse("projects:project_list") + (f"?{query}" if query else "")


def project_summary(*, unit: Unit | None, year: int, month: int, user) -> ProjectSummary:
    """Per level and overall: projects, total investment, the year's plan, completed so far,
    completion rate and how many are behind plan — one query, whatever the number of projects."""
    period = month_code(year, month)
    base = {"unit": unit.pk if unit else None, "period": period}
    rows = with_progress(projects_under(user, unit), year=year, month=month).values_list(
        "level", "total_investment", "planned", "completed"
    )
    summary = ProjectSummary(unit=unit, year=year, month=month)
    by_level: dict[str, Figures] = {}
    overall = Figures(label=_("合计"), url=list_url(**base))
    margin = behind_margin()
    acc = defaultdict(list)
    for level, total, planned, completed in rows:
        acc[level].append((total, planned, completed))
    for level in ProjectLevel:
        if level.value not in acc:
            continue
        figures = Figures(label=str(level.label), url=list_url(level=level.value, **base))
        for total, planned, completed in acc[level.value]:
            behind = is_behind(completed=completed, planned=planned, month=month, margin=margin)
            for f in (figures, overall):
                f.count += 1
                f.total_investment += total
                f.planned += planned or ZERO
                f.completed += completed
                f.behind += int(behind)
        figures.behind_url = list_url(level=level.value, behind="1", **base)
        by_level[level.value] = figures
    overall.behind_url = list_url(behind="1", **base)
    summary.levels = list(by_level.values())
    summary.overall = overall
    return summary


def progress_series(project: Project, *, year: int) -> list[dict]:
    """Month by month: the plan's even pace and the year-to-date completed (None: no report)."""
    plan = AnnualPlan.objects.filter(project=project, year=year).first()
    reports = {
        r.period: r
        for r in project.progress_reports.filter(period__startswith=f"{year}-").order_by("period")
    }
    last = max((int(p[5:7]) for p in reports), default=0)
    out = []
    for m in range(1, 13):
        report = reports.get(month_code(year, m))
        out.append(
            {
                "period": month_code(year, m),
                "planned": plan.planned_investment * m / 12 if plan else None,
                "completed": report.invested_ytd if report else None,
                "reported": m <= last,
            }
        )
    return out


def open_problems(user, *, today: date, unit: Unit | None = None) -> QuerySet:
    qs = Problem.objects.visible_to(user).filter(status=ProblemStatus.OPEN)
    if unit is not None:
        qs = qs.filter(project__responsible_unit__path__startswith=unit.path)
    return qs.select_related("project", "owner_unit").order_by("deadline", "pk")


def problem_board(user, *, today: date) -> dict[str, list[Problem]]:
    """Open problems: overdue first (escalated or not), then those still within time."""
    board: dict[str, list[Problem]] = {"overdue": [], "open": []}
    for problem in open_problems(user, today=today):
        board["overdue" if problem.deadline < today else "open"].append(problem)
    return board


def home_unit(user, scope) -> Unit | None:
    """Where the user's view of projects starts: their highest unit (a leader's zone, a
    clerk's department); a superuser without a role sees every project."""
    pk = scope.home_unit_pk
    return Unit.objects.filter(pk=pk).first() if pk else None
