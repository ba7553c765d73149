"""Fill ProgressReport.next_period for the reports written before it existed: each report's
project's next report month, NULL for the latest (what services.relink_reports keeps)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    report = apps.get_model("projects", "ProgressReport")
    following = (
        report.objects.filter(project_id=OuterRef("project_id"), period__gt=OuterRef("period"))
        .order_by("period")
        .values("period")[:1]
    )
    report.objects.update(next_period=Subquery(following))


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_photos_report_chain")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
