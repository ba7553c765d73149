from django.db import migrations

from shouwei.core.search import CreateBigramIndex


class Migration(migrations.Migration):
    """A GIN index over the bigrams of the observation list's own search fields (PostgreSQL
    only; ObservationFilterSet.search_index, docs/decisions/0009)."""

    dependencies = [
        ("core", "0009_search_bigrams_function"),
        ("indicators", "0004_stored_rank"),
    ]

    operations = [CreateBigramIndex("observation", ("period", "source"))]
