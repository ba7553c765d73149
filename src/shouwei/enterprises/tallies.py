"""The request tallies (``RequestTally``): the counts behind the request rates per handling
department, category, month of filing and, for the requests a department holds, time limit.

A request's share is one tally row's worth of 0s and 1s, read off its own fields alone. Every
request saved or deleted through the ORM (the flow's services, the escalation job, a test's
factory, a queryset's delete) takes its stored share off and puts its new one on: the
``pre_save``/``post_save``/``post_delete`` receivers connected in ``apps.ready``. The bulk
writers that send no signal (the demo loader, the scale generator) call ``rebuild``. The
figures page then sums a few thousand tally rows instead of a year's requests
(docs/benchmarks.md, "Enterprise service").
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Case, Count, DateField, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth

from .choices import OPEN_STATUSES
from .models import NOT_HELD, Request, RequestTally

# 满意率: a rating of 4 (满意) or 5 (非常满意) out of 5 (selectors.SATISFIED_AT_LEAST).
SATISFIED_AT_LEAST = 4

# The request fields a share is read from: a save that changes none of them moves nothing.
COUNTED = (
    "assigned_department",
    "assigned_department_id",
    "category",
    "filed_on",
    "status",
    "due_on",
    "answered_on",
    "satisfaction",
    "reopen_count",
)
COUNTS = (
    "requests",
    "answered",
    "on_time",
    "rated",
    "satisfied",
    "settled",
    "reopened",
    "held",
)

Share = tuple[tuple, dict[str, int]]


def share(req: Request) -> Share | None:
    """The tally key and counts of one request (None: no department, in no figure)."""
    if req.assigned_department_id is None or req.filed_on is None:
        return None
    answered = req.answered_on is not None
    held = not answered and req.status in OPEN_STATUSES and req.due_on is not None
    rated = req.satisfaction is not None
    reopened = req.reopen_count > 0
    key = (
        req.assigned_department_id,
        req.category,
        req.filed_on.replace(day=1),
        req.due_on if held else NOT_HELD,
    )
    counts = {
        "requests": 1,
        "answered": int(answered),
        "on_time": int(answered and req.due_on is not None and req.answered_on <= req.due_on),
        "rated": int(rated),
        "satisfied": int(rated and req.satisfaction >= SATISFIED_AT_LEAST),
        "settled": int(answered or reopened),
        "reopened": int(reopened),
        "held": int(held),
    }
    return key, counts


def stored_share(pk: int | None) -> Share | None:
    """The share of the request as the database holds it (before a save changes it)."""
    if pk is None:
        return None
    fields = [f for f in COUNTED if f != "assigned_department"]
    row = Request.objects.filter(pk=pk).values(*fields).first()
    if row is None:
        return None
    return share(Request(pk=pk, **row))


def _filter(key: tuple) -> dict:
    department_id, category, month, due_on = key
    return {"department_id": department_id, "category": category, "month": month, "due_on": due_on}


def _add(key: tuple, counts: dict[str, int], sign: int) -> None:
    where = _filter(key)
    changes = {name: F(name) + sign * n for name, n in counts.items() if n}
    if RequestTally.objects.filter(**where).update(**changes):
        if sign < 0:
            RequestTally.objects.filter(**where, requests=0).delete()
        return
    if sign < 0:
        # Nothing to take off: the tallies were not rebuilt after a bulk write. Left to
        # ``rebuild`` rather than stored negative.
        return
    try:
        with transaction.atomic():
            RequestTally.objects.create(**where, **counts)
    except IntegrityError:
        # Another transaction made the row first: add to it.
        RequestTally.objects.filter(**where).update(**changes)


def move(before: Share | None, after: Share | None) -> None:
    """Take ``before`` off the tallies and put ``after`` on (either may be None)."""
    if before == after:
        return
    if before is not None:
        _add(*before, sign=-1)
    if after is not None:
        _add(*after, sign=1)


def _one(q: Q) -> Case:
    return Case(When(q, then=Value(1)), default=Value(0), output_field=IntegerField())


def computed(requests: QuerySet[Request] | None = None):
    """The tally rows recomputed from the requests, as dicts (``rebuild`` stores them; the
    migration 0003_fill_tallies holds a copy)."""
    qs = requests if requests is not None else Request.objects.all()
    answered = Q(answered_on__isnull=False)
    held = Q(answered_on__isnull=True, status__in=OPEN_STATUSES, due_on__isnull=False)
    return (
        qs.filter(assigned_department__isnull=False)
        .annotate(
            t_month=TruncMonth("filed_on"),
            t_due=Case(
                When(held, then=F("due_on")), default=Value(NOT_HELD), output_field=DateField()
            ),
        )
        .values("assigned_department_id", "category", "t_month", "t_due")
        .annotate(
            requests=Count("pk"),
            answered=Count("pk", filter=answered),
            on_time=Count("pk", filter=answered & Q(answered_on__lte=F("due_on"))),
            rated=Count("pk", filter=Q(satisfaction__isnull=False)),
            satisfied=Count("pk", filter=Q(satisfaction__gte=SATISFIED_AT_LEAST)),
            settled=Count("pk", filter=answered | Q(reopen_count__gt=0)),
            reopened=Count("pk", filter=Q(reopen_count__gt=0)),
            held=Count("pk", filter=held),
        )
        .order_by()
    )


def _as_tally(row: dict) -> RequestTally:
    month = row["t_month"]
    due = row["t_due"]
    return RequestTally(
        department_id=row["assigned_department_id"],
        category=row["category"],
        month=month.date() if hasattr(month, "date") else month,
        due_on=due.date() if hasattr(due, "date") else due,
        **{name: row[name] for name in COUNTS},
    )


@transaction.atomic
def rebuild() -> int:
    """Recompute every tally from the requests (after a bulk write); returns the rows."""
    RequestTally.objects.all().delete()
    rows = [_as_tally(r) for r in computed()]
    RequestTally.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def stored_rows() -> set[tuple]:
    """Every stored tally as a comparable tuple (tests: stored = recomputed)."""
    return set(
        RequestTally.objects.values_list("department_id", "category", "month", "due_on", *COUNTS)
    )


def recomputed_rows() -> set[tuple]:
    return {
        (t.department_id, t.category, t.month, t.due_on, *(getattr(t, n) for n in COUNTS))
        for t in map(_as_tally, computed())
    }


def _pre_save(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or instance._state.adding:
        instance._tally_before = None
        return
    if update_fields is not None and not set(update_fields) & set(COUNTED):
        instance._tally_before = False  # the escalation job: nothing counted changes
        return
    instance._tally_before = stored_share(instance.pk)


def _saved(sender, instance, raw=False, **kwargs) -> None:
    before = getattr(instance, "_tally_before", None)
    instance._tally_before = None
    if raw or before is False:
        return
    with transaction.atomic():
        move(before, share(instance))


def _deleted(sender, instance, **kwargs) -> None:
    move(share(instance), None)


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save, pre_save

    for signal, receiver, name in (
        (pre_save, _pre_save, "pre"),
        (post_save, _saved, "save"),
        (post_delete, _deleted, "delete"),
    ):
        signal.connect(receiver, sender=Request, dispatch_uid=f"enterprises-tallies-{name}")
