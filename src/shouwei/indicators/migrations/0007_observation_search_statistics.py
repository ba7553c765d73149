from django.db import migrations

from shouwei.core.search import CreateSearchStatistics


class Migration(migrations.Migration):
    """The planner statistics the observation search needs on PostgreSQL (core.search,
    docs/decisions/0009, addendum): on upper(period) and upper(source), the bigram index's columns, and a
    larger target on unit_id and indicator_id, which a search across the unit's or indicator's
    name or code becomes."""

    dependencies = [("indicators", "0006_stored_rank_period_kind")]

    operations = [
        CreateSearchStatistics(
            "observation", ("period", "source"), keys=("unit", "indicator"), target=1000
        )
    ]
