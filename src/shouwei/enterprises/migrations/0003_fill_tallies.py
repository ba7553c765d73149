"""Fill the request tallies from the requests filed before they existed: the same counts as
``tallies.computed`` (kept here, not imported: a migration runs against the models as they
were at this point)."""

from datetime import date

from django.db import migrations
from django.db.models import Case, Count, DateField, F, Q, Value, When
from django.db.models.functions import TruncMonth

OPEN_STATUSES = ("accepted", "in_progress")
NOT_HELD = date(9999, 12, 31)


def _day(value):
    return value.date() if hasattr(value, "date") else value


def fill(apps, schema_editor):
    request = apps.get_model("enterprises", "Request")
    tally = apps.get_model("enterprises", "RequestTally")
    answered = Q(answered_on__isnull=False)
    held = Q(answered_on__isnull=True, status__in=OPEN_STATUSES, due_on__isnull=False)
    rows = (
        request.objects.filter(assigned_department__isnull=False)
        .annotate(
            t_month=TruncMonth("filed_on"),
            t_due=Case(When(held, then=F("due_on")), default=Value(NOT_HELD), output_field=DateField()),
        )
        .values("assigned_department_id", "category", "t_month", "t_due")
        .annotate(
            requests=Count("pk"),
            answered=Count("pk", filter=answered),
            on_time=Count("pk", filter=answered & Q(answered_on__lte=F("due_on"))),
            rated=Count("pk", filter=Q(satisfaction__isnull=False)),
            satisfied=Count("pk", filter=Q(satisfaction__gte=4)),
            settled=Count("pk", filter=answered | Q(reopen_count__gt=0)),
            reopened=Count("pk", filter=Q(reopen_count__gt=0)),
            held=Count("pk", filter=held),
        )
        .order_by()
    )
    tally.objects.all().delete()
    tally.objects.bulk_create(
        (
            tally(
                department_id=r.pop("assigned_department_id"),
                month=_day(r.pop("t_month")),
                due_on=_day(r.pop("t_due")),
                **r,
            )
            for r in rows
        ),
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0002_held_indexes_and_tallies")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
