"""Reads for key projects: every figure computed from records, each with the list behind it.

The year-to-date of a project at a month is its latest report of that year up to the month (a
department that skipped May still counts its April figure in June); its plan is the year's
annual plan. A page runs the same few queries for 50 projects or 20,000: per-row subqueries
for a page of rows, joins for questions about all of them (``with_progress``,
``with_progress_joined``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from shouwei.core import clock
from shouwei.core.models import Unit
from shouwei.core.periods import Period, PeriodError, PeriodKind

from .choices import (
    HEADLINE,
    HEADLINE_LEVELS,
    FundingKind,
    ProblemStatus,
    ProcedureKind,
    ProjectLevel,
    Stage,
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
from .services import behind_margin, completion_rate, elapsed_share

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


def holds_at(*, year: int, month: int, prefix: str = "") -> Q:
    """The report that holds at the month: in the year, up to the month, and the project's
    next report (``ProgressReport.next_period``), if any, comes after the month: at most one
    per project, found by an index range, without sorting."""
    start, end = month_code(year, 1), month_code(year, month)
    return Q(**{f"{prefix}period__gte": start, f"{prefix}period__lte": end}) & (
        Q(**{f"{prefix}next_period__isnull": True}) | Q(**{f"{prefix}next_period__gt": end})
    )


def with_progress(qs: QuerySet, *, year: int, month: int) -> QuerySet:
    """Annotate ``planned`` (the year's plan, None without one) and ``completed`` (the year's
    latest year-to-date up to the month, 0 before any report), for pages of rows.

    Both are subqueries per row: a page of 25 sorted projects computes them for its 25 rows
    only (the database evaluates them after ORDER BY … LIMIT), and a count leaves them out.
    A question about every row at once — which are behind plan, sums — joins instead
    (``with_progress_joined``)."""
    plan = AnnualPlan.objects.filter(project=OuterRef("pk"), year=year).order_by()
    report = ProgressReport.objects.filter(holds_at(year=year, month=month), project=OuterRef("pk"))
    return qs.annotate(
        planned=Subquery(plan.values("planned_investment")[:1], output_field=MONEY),
        completed=Coalesce(
            Subquery(report.order_by("-period").values("invested_ytd")[:1], output_field=MONEY),
            Value(ZERO, output_field=MONEY),
        ),
    )


def with_progress_joined(qs: QuerySet, *, year: int, month: int) -> QuerySet:
    """The same ``planned`` and ``completed`` as two LEFT JOINs, each matching at most one row
    per project: the database reads the plans and reports once for the whole set, where
    subqueries in a WHERE would run twice per project (20,000 projects: 3–7 s on PostgreSQL)."""
    holds = holds_at(year=year, month=month, prefix="progress_reports__")
    return qs.annotate(
        year_plan=FilteredRelation("plans", condition=Q(plans__year=year)),
        month_report=FilteredRelation("progress_reports", condition=holds),
    ).annotate(
        planned=F("year_plan__planned_investment"),
        completed=Coalesce(F("month_report__invested_ytd"), Value(ZERO, output_field=MONEY)),
    )


def behind_plan(*, year: int, month: int, margin: Decimal | None = None) -> QuerySet:
    """The ids of the projects behind plan at the month, for ``pk__in``."""
    joined = with_progress_joined(Project.objects.all(), year=year, month=month)
    return joined.filter(behind_q(month=month, margin=margin)).values("pk")


def behind_q(*, month: int, margin: Decimal | None = None) -> Q:
    """Behind plan in SQL, the same rule as ``services.is_behind``: completed < planned × (elapsed
    share − margin), on a queryset annotated by ``with_progress`` or ``with_progress_joined``."""
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


def month_for(user, raw: str | None) -> tuple[int, int]:
    """The month a page's figures are for: ``raw`` when it is a month (``2022-06``), else the
    newest month the user's projects reported, else this month."""
    if raw:
        try:
            p = Period.parse(raw)
        except PeriodError:
            p = None
        if p is not None and p.kind == PeriodKind.MONTH:
            return p.year, p.index
    latest = latest_month(user)
    if latest:
        return latest
    today = clock.today()
    return today.year, today.month


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
    """``levels`` and ``overall``: the 省、市重点 (the article's "实施省、市重点项目49个");
    ``district``: the 区重点 beside them, never in ``overall`` (None when there are none)."""

    unit: Unit | None
    year: int
    month: int
    levels: list[Figures] = field(default_factory=list)
    overall: Figures | None = None
    district: Figures | None = None

    @property
    def period(self) -> str:
        return month_code(self.year, self.month)

    @property
    def elapsed(self) -> Decimal:
        return elapsed_share(self.month)


def page_url(url_name: str, **params) -> str:
    """A list page with its filters in the query string (empty ones left out)."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse(url_name) + (f"?{query}" if query else "")


def list_url(**params) -> str:
    return page_url("projects:project_list", **params)


def project_summary(*, unit: Unit | None, year: int, month: int, user) -> ProjectSummary:
    """Per level, and overall for the 省、市重点: projects, total investment, the year's plan,
    completed so far, completion rate and how many are behind plan — one grouped query (a row
    per level), whatever the number of projects. The 区重点 come apart (``district``)."""
    period = month_code(year, month)
    base = {"unit": unit.pk if unit else None, "period": period}
    rows = (
        with_progress_joined(projects_under(user, unit), year=year, month=month)
        .order_by()
        .values("level")
        .annotate(
            n=Count("pk"),
            total_sum=Sum("total_investment"),
            planned_sum=Sum("planned"),
            completed_sum=Sum("completed"),
            behind_n=Count("pk", filter=behind_q(month=month)),
        )
    )
    by_level = {row["level"]: row for row in rows}
    summary = ProjectSummary(unit=unit, year=year, month=month)
    overall = Figures(
        label=_("合计"),
        url=list_url(level=HEADLINE, **base),
        behind_url=list_url(level=HEADLINE, behind="1", **base),
    )
    for level in ProjectLevel:
        row = by_level.get(level.value)
        if row is None:
            continue
        figures = Figures(
            label=str(level.label),
            url=list_url(level=level.value, **base),
            behind_url=list_url(level=level.value, behind="1", **base),
        )
        headline = level in HEADLINE_LEVELS
        for f in (figures, overall) if headline else (figures,):
            f.count += row["n"]
            f.total_investment += row["total_sum"] or ZERO
            f.planned += row["planned_sum"] or ZERO
            f.completed += row["completed_sum"] or ZERO
            f.behind += row["behind_n"]
        if headline:
            summary.levels.append(figures)
        else:
            summary.district = figures
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


def project_photos(user, project: Project) -> list[ProgressPhoto]:
    """The project's site photos the user may see, newest month first."""
    return list(
        ProgressPhoto.objects.visible_to(user)
        .filter(report__project=project)
        .select_related("report", "uploaded_by")
        .order_by("-report__period", "pk")
    )


def report_photos(user, report: ProgressReport) -> QuerySet:
    return (
        ProgressPhoto.objects.visible_to(user)
        .filter(report=report)
        .select_related("report", "uploaded_by")
        .order_by("pk")
    )


def open_problems(user, *, today: date, unit: Unit | None = None) -> QuerySet:
    qs = Problem.objects.visible_to(user).filter(status=ProblemStatus.OPEN)
    if unit is not None:
        qs = qs.filter(project__responsible_unit__path__startswith=unit.path)
    return qs.select_related("project", "owner_unit").order_by("deadline", "pk")


@dataclass
class DepartmentProblems:
    """Where problems are stuck: one owner department's open problems on the board."""

    unit: Unit
    open: int = 0
    overdue: int = 0
    escalated: int = 0
    most_days_overdue: int = 0

    @property
    def url(self) -> str:
        return page_url("projects:problem_list", owner_unit=self.unit.pk, status=ProblemStatus.OPEN)

    @property
    def overdue_url(self) -> str:
        return page_url("projects:problem_list", owner_unit=self.unit.pk, overdue=1)


def problem_board(user, *, today: date) -> dict:
    """Open problems: overdue first (escalated or not), then those still within time, and per
    owner department how many are open and overdue, the most overdue department first."""
    board: dict = {"overdue": [], "open": []}
    departments: dict[int, DepartmentProblems] = {}
    for problem in open_problems(user, today=today):
        late = (today - problem.deadline).days
        problem.days_overdue = max(late, 0)
        board["overdue" if late > 0 else "open"].append(problem)
        d = departments.setdefault(problem.owner_unit_id, DepartmentProblems(problem.owner_unit))
        d.open += 1
        if late > 0:
            d.overdue += 1
            d.most_days_overdue = max(d.most_days_overdue, late)
        d.escalated += problem.escalated_at is not None
    board["departments"] = sorted(
        departments.values(), key=lambda d: (-d.overdue, -d.most_days_overdue, d.unit.path)
    )
    return board


def home_unit(user, scope) -> Unit | None:
    """Where the user's view of projects starts: their highest unit (a leader's zone, a
    clerk's department); a superuser without a role sees every project."""
    pk = scope.home_unit_pk
    return Unit.objects.filter(pk=pk).first() if pk else None


def reports_before(projects, period: str) -> dict[int, ProgressReport]:
    """Each project's latest report before ``period`` (where a new month's entry starts
    from): the one whose next report, if any, is not before the month. One index range
    (``next_period``), however many projects."""
    reports = ProgressReport.objects.filter(project__in=projects, period__lt=period).filter(
        Q(next_period__isnull=True) | Q(next_period__gte=period)
    )
    return {r.project_id: r for r in reports}


# --- 调度任务 ----------------------------------------------------------------------------------
@dataclass
class UnitAnswers:
    """One unit's rows of a call on the board: asked, answered (of which late), unanswered
    (of which past the deadline)."""

    unit: Unit
    asked: int = 0
    answered: int = 0
    late: int = 0
    unanswered: int = 0
    overdue: int = 0
    escalated: int = 0

    @property
    def behind(self) -> int:
        """Late in any way: answered after the deadline, or not answered and past it."""
        return self.late + self.overdue


def call_board(user, call: SchedulingCall, *, today: date) -> list[UnitAnswers]:
    """Per unit, the rows of the call the user may read: one grouped query however many
    projects and units; the units most behind first."""
    past = call.deadline < today
    rows = (
        CallRow.objects.visible_to(user)
        .filter(call=call)
        .values("unit")
        .annotate(
            asked=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            late=Count("pk", filter=Q(answered_at__isnull=False, late=True)),
            escalated=Count("pk", filter=Q(escalated_at__isnull=False, answered_at__isnull=True)),
        )
        .order_by()
    )
    counts = {r["unit"]: r for r in rows}
    board = []
    for unit in Unit.objects.filter(pk__in=counts):
        r = counts[unit.pk]
        unanswered = r["asked"] - r["answered"]
        board.append(
            UnitAnswers(
                unit=unit,
                asked=r["asked"],
                answered=r["answered"],
                late=r["late"],
                unanswered=unanswered,
                overdue=unanswered if past else 0,
                escalated=r["escalated"],
            )
        )
    return sorted(board, key=lambda u: (-u.behind, -u.unanswered, u.unit.path))


def call_totals(board: list[UnitAnswers]) -> UnitAnswers:
    total = UnitAnswers(unit=None)
    for u in board:
        for name in ("asked", "answered", "late", "unanswered", "overdue", "escalated"):
            setattr(total, name, getattr(total, name) + getattr(u, name))
    return total


@dataclass
class CallTodo:
    """An open call with rows the user's unit still has to answer (待办)."""

    call: SchedulingCall
    mine: int
    unanswered: int
    overdue: bool


def call_todo(user, *, today: date) -> list[CallTodo]:
    """The open calls with rows the user may answer, and how many of them are unanswered:
    one grouped query."""
    rows = (
        CallRow.objects.editable_by(user)
        .filter(call__closed_at__isnull=True)
        .values("call")
        .annotate(mine=Count("pk"), unanswered=Count("pk", filter=Q(answered_at__isnull=True)))
        .order_by()
    )
    counts = {r["call"]: r for r in rows}
    calls = SchedulingCall.objects.filter(pk__in=counts).order_by("deadline", "pk")
    return [
        CallTodo(
            call=c,
            mine=counts[c.pk]["mine"],
            unanswered=counts[c.pk]["unanswered"],
            overdue=c.deadline < today and counts[c.pk]["unanswered"] > 0,
        )
        for c in calls
    ]


def call_rows_for(user, call: SchedulingCall) -> dict[int, CallRow]:
    """The rows of the call the user may answer, by project id."""
    return {r.project_id: r for r in CallRow.objects.editable_by(user).filter(call=call)}


def units_late_on_calls(user, *, today: date, unit: Unit | None = None) -> list[dict]:
    """For the cockpit: open calls past their deadline with unanswered rows the user may
    read, per call the units still late (one grouped query)."""
    rows = CallRow.objects.visible_to(user).filter(
        call__closed_at__isnull=True, call__deadline__lt=today, answered_at__isnull=True
    )
    if unit is not None:
        rows = rows.filter(unit__path__startswith=unit.path)
    grouped = (
        rows.values("call", "call__title", "unit__name")
        .annotate(n=Count("pk"))
        .order_by("call", "unit__name")
    )
    calls: dict[int, dict] = {}
    for r in grouped:
        c = calls.setdefault(
            r["call"],
            {
                "title": r["call__title"],
                "url": reverse("projects:schedulingcall_detail", args=[r["call"]]),
                "units": [],
            },
        )
        c["units"].append((r["unit__name"], r["n"]))
    return list(calls.values())


# --- 前期手续 ----------------------------------------------------------------------------------
STANDARD_PROCEDURES = [k for k in ProcedureKind if k != ProcedureKind.CUSTOM]
NOT_STARTED = (Stage.RESERVE, Stage.PRELIMINARY)


def late_procedures_q(today: date) -> Q:
    return Q(done_on__isnull=True, planned_on__lt=today)


def late_procedures(user, *, today: date, unit: Unit | None = None) -> QuerySet:
    """Procedures past their planned date without an actual one, as far as the user reads."""
    qs = Procedure.objects.visible_to(user).filter(late_procedures_q(today))
    if unit is not None:
        qs = qs.filter(project__responsible_unit__path__startswith=unit.path)
    return qs.select_related("project").order_by("planned_on", "pk")


@dataclass
class ProcedureLine:
    """One project on the 前期手续 board: its standard procedures by kind, the other items,
    and how many are still open or late."""

    project: Project
    cells: list = field(default_factory=list)  # (kind, Procedure | None), standard order
    custom: list = field(default_factory=list)
    open: int = 0
    late: int = 0


def procedure_board(user, *, today: date, stages=NOT_STARTED) -> list[ProcedureLine]:
    """ "储备项目抓开工": for each project in ``stages`` the user reads, what stands between it
    and its start. Two queries, however many projects; the most late first."""
    projects = Project.objects.visible_to(user).select_related("responsible_unit")
    if stages:
        projects = projects.filter(stage__in=stages)
    lines = {p.pk: ProcedureLine(project=p) for p in projects.order_by(level_order(), "code")}
    by_project: dict[int, dict] = {}
    for proc in Procedure.objects.visible_to(user).filter(project__in=list(lines)):
        line = lines[proc.project_id]
        if proc.kind == ProcedureKind.CUSTOM:
            line.custom.append(proc)
        else:
            by_project.setdefault(proc.project_id, {})[proc.kind] = proc
        proc.late = proc.is_late(today)
        line.open += proc.done_on is None
        line.late += proc.late
    for pk, line in lines.items():
        kinds = by_project.get(pk, {})
        line.cells = [(k, kinds.get(k.value)) for k in STANDARD_PROCEDURES]
    return sorted(lines.values(), key=lambda x: (-x.late, -x.open))


def project_procedures(user, project: Project, *, today: date) -> list[Procedure]:
    """The project's checklist, standard items in their order then the others, each marked
    late or not."""
    order = {k.value: i for i, k in enumerate(ProcedureKind)}
    items = sorted(
        Procedure.objects.visible_to(user).filter(project=project),
        key=lambda x: (order[x.kind], x.name),
    )
    for item in items:
        item.late = item.is_late(today)
    return items


# --- 资金来源 ----------------------------------------------------------------------------------
def _idle_bonds(user, unit: Unit | None) -> QuerySet:
    qs = FundingSource.objects.visible_to(user).filter(kind=FundingKind.BOND, issued_amount__gt=0)
    if unit is not None:
        qs = qs.filter(project__responsible_unit__path__startswith=unit.path)
    return qs.annotate(
        idle_amount=F("issued_amount") - Coalesce("spent_amount", Value(ZERO, output_field=MONEY))
    ).filter(idle_amount__gt=0)


def idle_bonds(user, *, unit: Unit | None = None) -> list[FundingSource]:
    """专项债券 issued and not all spent (沉淀), the most idle money first."""
    qs = _idle_bonds(user, unit).select_related("project__responsible_unit")
    return list(qs.order_by("-idle_amount", "pk"))


@dataclass
class FundingBalance:
    """A project's sources of a year against its annual plan."""

    project: Project
    year: int
    planned: Decimal | None
    funded: Decimal

    @property
    def difference(self) -> Decimal | None:
        """Sources minus plan: positive, more than planned; negative, short of it."""
        return None if self.planned is None else self.funded - self.planned

    @property
    def balanced(self) -> bool:
        return self.difference == 0


def funding_balances(user, *, year: int, project: Project | None = None) -> list[FundingBalance]:
    """Per project with sources or a plan in the year: the sources' total against the plan.
    Two grouped queries."""
    sources = FundingSource.objects.visible_to(user).filter(year=year)
    plans = AnnualPlan.objects.visible_to(user).filter(year=year)
    if project is not None:
        sources, plans = sources.filter(project=project), plans.filter(project=project)
    funded = dict(
        sources.values("project").annotate(total=Sum("amount")).values_list("project", "total")
    )
    planned = dict(
        plans.filter(project__in=list(funded)).values_list("project", "planned_investment")
    )
    projects = Project.objects.in_bulk(list(funded))
    return sorted(
        (
            FundingBalance(projects[pk], year, planned.get(pk), total)
            for pk, total in funded.items()
        ),
        key=lambda b: (b.balanced, -(abs(b.difference) if b.difference is not None else 0)),
    )


def project_funding(user, project: Project) -> list[FundingSource]:
    return list(
        FundingSource.objects.visible_to(user).filter(project=project).order_by("-year", "kind")
    )


# --- 滚动计划, 停工 ----------------------------------------------------------------------------
def stopped_ids(project_ids, *, today: date) -> set[int]:
    """The projects among these stopped on ``today`` (an open stoppage begun by then)."""
    return set(
        Stoppage.objects.filter(
            project__in=project_ids, stopped_on__lte=today, resumed_on__isnull=True
        ).values_list("project_id", flat=True)
    )


def open_stoppage(project: Project, *, today: date) -> Stoppage | None:
    return (
        Stoppage.objects.filter(project=project, stopped_on__lte=today, resumed_on__isnull=True)
        .order_by("-stopped_on")
        .first()
    )


def rolling_plans(user, project: Project) -> list[RollingPlan]:
    """Every rolling plan of the project, newest first (the previous ones are kept)."""
    return list(RollingPlan.objects.visible_to(user).filter(project=project).order_by("-base_year"))


@dataclass
class NewFacts:
    """What the cockpit adds from issue 15: procedures late, bonds idle, units late on calls."""

    procedures_late: int
    bonds_idle: int
    idle_amount: Decimal
    late_calls: list


def cockpit_facts(user, *, unit: Unit | None, today: date) -> NewFacts:
    """Three queries, whatever the number of projects."""
    idle = _idle_bonds(user, unit)
    totals = idle.aggregate(n=Count("pk"), total=Sum("idle_amount"))
    return NewFacts(
        procedures_late=late_procedures(user, today=today, unit=unit).count(),
        bonds_idle=totals["n"],
        idle_amount=totals["total"] or ZERO,
        late_calls=units_late_on_calls(user, today=today, unit=unit),
    )


def project_names(user, unit: Unit | None, *, level: str, limit: int) -> list[str]:
    """The names of up to ``limit`` of the user's projects of ``level`` under ``unit``, the
    largest investment first (the written report names them when there are few)."""
    return list(
        projects_under(user, unit)
        .filter(level=level)
        .order_by("-total_investment", "code")
        .values_list("name", flat=True)[:limit]
    )


def active_in_year(user, unit: Unit | None, *, year: int) -> bool:
    """Whether any of the user's projects under ``unit`` has a plan or a report in ``year``
    (a report for a year with neither has nothing to say about projects)."""
    projects = projects_under(user, unit)
    return (
        AnnualPlan.objects.filter(project__in=projects, year=year).exists()
        or ProgressReport.objects.filter(
            project__in=projects, period__startswith=f"{year}-"
        ).exists()
    )
