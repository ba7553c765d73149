"""``bulk.bulk_loading``: a table written in bulk loses its non-unique indexes (and on
PostgreSQL its foreign keys) while it is written, and has them back afterwards."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from shouwei.demo.bulk import RowWriter, bulk_loading, defer_upkeep
from shouwei.indicators.models import Observation
from tests.factories import IndicatorFactory, ObservationFactory, UnitFactory


def upkeep(model) -> dict:
    """The table's indexes and foreign keys as the database describes them."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {
        name: (tuple(c["columns"]), c["unique"], c["index"], c["foreign_key"])
        for name, c in found.items()
        if c["index"] or c["foreign_key"] or c["unique"]
    }


def non_unique_indexes(model) -> set[str]:
    return {n for n, (_c, unique, index, _fk) in upkeep(model).items() if index and not unique}


@pytest.mark.django_db
def test_the_indexes_are_dropped_while_writing_and_built_again_at_the_end():
    before = upkeep(Observation)
    assert non_unique_indexes(Observation)
    unit, indicator = UnitFactory(), IndicatorFactory()

    with bulk_loading():
        RowWriter(
            Observation,
            varying=("unit", "indicator", "period", "period_end", "value"),
            constants={"period_kind": "month"},
        ).write([(unit.pk, indicator.pk, "2022-06", date(2022, 6, 30), 1)])
        assert not non_unique_indexes(Observation)
        # The primary key and the unique constraints stay: a duplicate fails where written.
        assert {n for n, (_c, unique, _i, _fk) in upkeep(Observation).items() if unique} == {
            n for n, (_c, unique, _i, _fk) in before.items() if unique
        }

    assert upkeep(Observation) == before
    assert Observation.objects.filter(unit=unit, period="2022-06").count() == 1


@pytest.mark.django_db
def test_a_block_that_fails_leaves_the_table_as_it_was():
    before = upkeep(Observation)
    # Written earlier in the same transaction: on PostgreSQL its key checks are still queued,
    # which would make ALTER TABLE refuse.
    existing = ObservationFactory()

    with pytest.raises(IntegrityError), bulk_loading():
        defer_upkeep(Observation)
        with transaction.atomic():
            Observation.objects.create(
                unit=existing.unit, indicator=existing.indicator, period=existing.period
            )

    assert upkeep(Observation) == before


@pytest.mark.django_db
def test_outside_a_block_nothing_is_dropped():
    before = upkeep(Observation)

    defer_upkeep(Observation)

    assert upkeep(Observation) == before
