"""Reads of the enterprise-service app. Every list starts from ``visible_to(user)``; an
enterprise's contact reads only its own enterprise's requests (``requests_for_contact``).

``request_rates(unit, year)`` is the plain figure other apps (supervision) may call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractMonth

from shouwei.core import clock
from shouwei.core.choices import Role
from shouwei.core.models import Unit
from shouwei.core.permissions import VIEW, contract_of, scope_for

from .choices import OPEN_STATUSES, RequestCategory, RequestStatus
from .models import (
    Enterprise,
    EnterpriseContact,
    LiaisonAssignment,
    Request,
    RequestTally,
    Visit,
    status_in,
)
from .tallies import SATISFIED_AT_LEAST


# --- the enterprise's contact --------------------------------------------------------------
def contact_enterprise_id(user) -> int | None:
    """The enterprise the user speaks for on the enterprise portal: they hold the 企业联系人
    role and their login name is registered as that enterprise's contact."""
    if user is None or not user.is_authenticated:
        return None
    cached = getattr(user, "_shouwei_enterprise_id", False)
    if cached is not False:
        return cached
    found = None
    if Role.ENTERPRISE in scope_for(user).roles:
        found = (
            EnterpriseContact.objects.filter(username=user.get_username())
            .values_list("enterprise_id", flat=True)
            .first()
        )
    user._shouwei_enterprise_id = found
    return found


def is_contact_of(user, enterprise: Enterprise) -> bool:
    return enterprise.pk is not None and contact_enterprise_id(user) == enterprise.pk


def requests_for_contact(user) -> QuerySet[Request]:
    """Only the contact's own enterprise's requests (none for anyone else)."""
    enterprise_id = contact_enterprise_id(user)
    if enterprise_id is None:
        return Request.objects.none()
    return Request.objects.filter(enterprise_id=enterprise_id)


def contact_enterprise(user) -> Enterprise | None:
    enterprise_id = contact_enterprise_id(user)
    return Enterprise.objects.filter(pk=enterprise_id).first() if enterprise_id else None


# --- cadres and coverage -------------------------------------------------------------------
def active_assignments(
    day: date | None = None, among: QuerySet[LiaisonAssignment] | None = None
) -> QuerySet[LiaisonAssignment]:
    day = day or clock.today()
    qs = LiaisonAssignment.objects.all() if among is None else among
    return qs.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def cadres_of(enterprise: Enterprise, day: date | None = None):
    ids = active_assignments(day).filter(enterprise=enterprise).values("cadre_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True)


def my_assignments(user, day: date | None = None) -> QuerySet[LiaisonAssignment]:
    """A cadre's own current assignments (their home page)."""
    return (
        active_assignments(day)
        .filter(cadre=user)
        .select_related("enterprise__street", "project", "unit")
        .order_by("enterprise__name", "project__name")
    )


def with_cover(qs: QuerySet[Enterprise], day: date | None = None) -> QuerySet[Enterprise]:
    """Enterprises annotated with ``has_cadre`` (a current assignment); ``COVERED`` says
    which of them are covered."""
    cadre = active_assignments(day).filter(enterprise_id=OuterRef("pk"))
    return qs.annotate(has_cadre=Exists(cadre))


# 全覆盖: a cadre serves it, or its street does (small and micro enterprises).
COVERED = Q(has_cadre=True) | Q(street__isnull=False)


def _cover_counts(enterprises: QuerySet[Enterprise], day: date) -> dict:
    """``COVERED`` counted with the enterprises that have a cadre as one set (the database
    hashes it once), not a correlated EXISTS asked twice per enterprise: at 200,000
    enterprises the latter cost PostgreSQL 1.5 s, half of it compiling (JIT) the plan."""
    served = Q(
        pk__in=active_assignments(day).filter(enterprise__isnull=False).values("enterprise_id")
    )
    return enterprises.aggregate(
        total=Count("pk"),
        # The street first: most enterprises have one, and need not be looked up.
        covered=Count("pk", filter=Q(street__isnull=False) | served),
        by_cadre=Count("pk", filter=served),
    )


@dataclass(frozen=True)
class Coverage:
    enterprises: int
    covered: int
    by_cadre: int
    cadres: int
    projects: int

    @property
    def uncovered(self) -> int:
        return self.enterprises - self.covered

    @property
    def rate(self) -> Decimal | None:
        if not self.enterprises:
            return None
        return Decimal(self.covered) / Decimal(self.enterprises)


def coverage(user, day: date | None = None) -> Coverage:
    """Counted from the assignment records the user may read: distinct cadres, enterprises
    served by a cadre, key projects served, and enterprises covered by a cadre or a street."""
    day = day or clock.today()
    counts = _cover_counts(Enterprise.objects.visible_to(user), day)
    # The readable ones filtered in place, not matched against themselves by id.
    assignments = active_assignments(day, LiaisonAssignment.objects.visible_to(user))
    served = assignments.aggregate(
        cadres=Count("cadre_id", distinct=True), projects=Count("project_id", distinct=True)
    )
    return Coverage(
        enterprises=counts["total"],
        covered=counts["covered"],
        by_cadre=counts["by_cadre"],
        cadres=served["cadres"],
        projects=served["projects"],
    )


def uncovered_enterprises(user, day: date | None = None) -> QuerySet[Enterprise]:
    """Neither a street nor a cadre (``COVERED``, negated): spelt as "no street" so that the
    database walks the enterprises without a street by name and stops at the page."""
    return (
        with_cover(Enterprise.objects.visible_to(user), day)
        .filter(street__isnull=True, has_cadre=False)
        .select_related("liaison_unit")
    )


# --- requests ------------------------------------------------------------------------------
def desk(user, department: Unit | None = None) -> QuerySet[Request]:
    """The requests a department holds, the nearest time limit first. One department that the
    user reads at or below (every department the desk offers): its requests alone, which
    ``visible_to`` would all pass, so the database reads them off the (department, time
    limit) index without asking each one's three units."""
    if department is not None and reads_every_request_under(user, department):
        qs = Request.objects.filter(status_in(OPEN_STATUSES), assigned_department=department)
    else:
        qs = Request.objects.visible_to(user).filter(status_in(OPEN_STATUSES))
        if department is not None:
            qs = qs.filter(assigned_department=department)
    return qs.select_related("enterprise", "assigned_department").order_by("due_on", "pk")


def dispatch_queue(user) -> QuerySet[Request]:
    """Requests waiting for the dispatcher (待受理, returned ones included)."""
    return (
        Request.objects.visible_to(user)
        .filter(status_in([RequestStatus.PENDING]))
        .select_related("enterprise")
        .order_by("filed_on", "pk")
    )


def visits_of(user, enterprise: Enterprise) -> QuerySet[Visit]:
    return Visit.objects.visible_to(user).filter(enterprise=enterprise).select_related("cadre")


@dataclass(frozen=True)
class RequestRates:
    """按时办结率, 满意率 and 重办率 of a set of requests, with the counts behind each."""

    due: int  # answered, or still open past the time limit
    on_time: int  # answered by the time limit
    rated: int
    satisfied: int
    answered: int  # answered at least once (reopened ones included)
    reopened: int

    @staticmethod
    def _share(part: int, whole: int) -> Decimal | None:
        return Decimal(part) / Decimal(whole) if whole else None

    @property
    def on_time_rate(self) -> Decimal | None:
        return self._share(self.on_time, self.due)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return self._share(self.satisfied, self.rated)

    @property
    def reopen_rate(self) -> Decimal | None:
        return self._share(self.reopened, self.answered)


def _rate_counts(today: date) -> dict:
    answered = Q(answered_on__isnull=False)
    return {
        "due": Count("pk", filter=answered | Q(status__in=OPEN_STATUSES, due_on__lt=today)),
        "on_time": Count("pk", filter=answered & Q(answered_on__lte=F("due_on"))),
        "rated": Count("pk", filter=Q(satisfaction__isnull=False)),
        "satisfied": Count("pk", filter=Q(satisfaction__gte=SATISFIED_AT_LEAST)),
        "answered": Count("pk", filter=answered | Q(reopen_count__gt=0)),
        "reopened": Count("pk", filter=Q(reopen_count__gt=0)),
    }


def _requests_of(unit: Unit, year: int) -> QuerySet[Request]:
    """Requests of ``year`` (filed that year) handled at ``unit`` or below (a department: its
    own; a zone: all its departments')."""
    return Request.objects.filter(
        filed_on__year=year, assigned_department__path__startswith=unit.path
    )


def reads_every_request_under(user, unit: Unit) -> bool:
    """Whether ``visible_to(user)`` holds every request handled at ``unit`` or below: the user
    reads at ``unit`` or above, and a request is read through its handling department. Then
    the figures need not ask the visibility of each request (the tallies, not the requests,
    are summed)."""
    scope = scope_for(user)
    if not scope.authenticated:
        return False
    if scope.is_superuser:
        return True
    contract = contract_of(Request)
    if "assigned_department" not in contract.unit_fields:
        return False
    paths = scope.paths(contract.roles(VIEW))
    return any(unit.path.startswith(p) for p in paths)


def _tallies_of(unit: Unit, year: int) -> QuerySet[RequestTally]:
    return RequestTally.objects.filter(
        month__gte=date(year, 1, 1),
        month__lte=date(year, 12, 1),
        department__path__startswith=unit.path,
    )


def _tally_sums(today: date) -> dict:
    def total(field, **where):
        return Coalesce(Sum(field, filter=Q(**where) if where else None), 0)

    return {
        "due": total("answered") + total("held", due_on__lt=today),
        "on_time": total("on_time"),
        "rated": total("rated"),
        "satisfied": total("satisfied"),
        "answered": total("settled"),
        "reopened": total("reopened"),
    }


def _by_tallies(user, unit: Unit) -> bool:
    return user is None or reads_every_request_under(user, unit)


def request_rates(unit: Unit, year: int, *, user=None, today: date | None = None) -> RequestRates:
    """On-time, satisfaction and reopen rates of the requests of ``year`` assigned to ``unit``
    (a department) or to any department under it (a zone). With ``user``, only the requests
    they may read; without, the whole figure (another app's report, a job)."""
    today = today or clock.today()
    if _by_tallies(user, unit):
        return RequestRates(**_tallies_of(unit, year).aggregate(**_tally_sums(today)))
    qs = _requests_of(unit, year)
    if user is not None:
        qs = qs.filter(pk__in=Request.objects.visible_to(user).values("pk"))
    return RequestRates(**qs.aggregate(**_rate_counts(today)))


BREAKDOWNS = {
    "department": "assigned_department",
    "category": "category",
    "month": "month",
}
TALLY_BREAKDOWNS = {"department": "department_id", "category": "category", "month": "number"}


def _figure_rows(*, user, unit: Unit, year: int, by: str, today: date) -> list[tuple]:
    """(key, counts) per department, category or month, of the requests the user reads."""
    if _by_tallies(user, unit):
        field = TALLY_BREAKDOWNS[by]
        qs = _tallies_of(unit, year)
        if by == "month":
            qs = qs.annotate(number=ExtractMonth("month"))
        rows = (
            qs.values(field)
            .annotate(n=Sum("requests"), **_tally_sums(today))
            .filter(n__gt=0)
            .order_by(field)
        )
    else:
        field = BREAKDOWNS[by]
        qs = _requests_of(unit, year).filter(pk__in=Request.objects.visible_to(user).values("pk"))
        if by == "month":
            qs = qs.annotate(month=ExtractMonth("filed_on"))
        rows = qs.values(field).annotate(**_rate_counts(today)).order_by(field)
    out = []
    for row in rows:
        row.pop("n", None)
        out.append((row.pop(field), row))
    return out


def request_figures(*, user, unit: Unit, year: int, by: str, today: date | None = None):
    """The rates per department, category or month (of filing): a list of (key, label,
    RequestRates), each key filterable on the request list."""
    rows = _figure_rows(user=user, unit=unit, year=year, by=by, today=today or clock.today())
    labels = {}
    if by == "department":
        labels = dict(Unit.objects.filter(pk__in=[k for k, _r in rows]).values_list("pk", "name"))
    elif by == "category":
        labels = dict(RequestCategory.choices)
    out = []
    for key, counts in rows:
        label = labels.get(key, f"{year}-{key:02d}" if by == "month" else key)
        out.append((key, label, RequestRates(**counts)))
    return out


def open_and_overdue(user, today: date | None = None) -> dict:
    today = today or clock.today()
    return Request.objects.visible_to(user).aggregate(
        open=Count("pk", filter=Q(status__in=[*OPEN_STATUSES, RequestStatus.PENDING])),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today)),
    )


def open_requests_by_enterprise(enterprise_ids) -> dict[int, int]:
    rows = (
        Request.objects.filter(enterprise_id__in=list(enterprise_ids))
        .exclude(status=RequestStatus.RATED)
        .values("enterprise_id")
        .annotate(n=Count("pk"))
    )
    return {r["enterprise_id"]: r["n"] for r in rows}


def home_unit(user) -> Unit:
    """The unit the user's figures are for: the highest unit they read at (a superuser
    without roles: the top of the tree)."""
    pk = scope_for(user).home_unit_pk
    if pk is not None:
        return Unit.objects.get(pk=pk)
    return Unit.objects.filter(parent__isnull=True).order_by("sort_order", "code").first()


def coverage_under(user, unit: Unit, day: date | None = None) -> Coverage:
    """``coverage`` for the records within ``unit``: enterprises served by a department under
    it, assignments made by a unit under it — what a report for that unit counts."""
    day = day or clock.today()
    counts = _cover_counts(
        Enterprise.objects.visible_to(user).filter(liaison_unit__path__startswith=unit.path), day
    )
    assignments = active_assignments(day, LiaisonAssignment.objects.visible_to(user)).filter(
        unit__path__startswith=unit.path
    )
    served = assignments.aggregate(
        cadres=Count("cadre_id", distinct=True), projects=Count("project_id", distinct=True)
    )
    return Coverage(
        enterprises=counts["total"],
        covered=counts["covered"],
        by_cadre=counts["by_cadre"],
        cadres=served["cadres"],
        projects=served["projects"],
    )
