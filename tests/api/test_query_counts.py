"""Lists cost the same number of queries for 10 rows as for 200: no N+1 behind the API."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shouwei.core.choices import Role
from shouwei.core.models import ApiToken
from tests.factories import (
    IndicatorFactory,
    ObservationFactory,
    PeerGroupFactory,
    TargetFactory,
    UnitFactory,
    user_with_role,
)

# The token with its user, the user's roles, the count, the page.
MAX_QUERIES = 4


@pytest.fixture
def zone(db):
    return UnitFactory(code="zone")


@pytest.fixture
def api(zone):
    token, key = ApiToken.issue(user=user_with_role(Role.STAFF, zone), name="t")
    # Just used: the once-a-minute last-use stamp stays out of the counts.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return Client(headers={"authorization": f"Bearer {key}"})


def add_observations(zone, n: int, start: int) -> None:
    """Every row with its own unit, indicator, reporting unit, group and author, drafts
    included, so that any relation read per row shows up as extra queries."""
    author = user_with_role(Role.STAFF, zone)
    for i in range(start, start + n):
        unit = UnitFactory(code=f"u{i}", parent=zone)
        ObservationFactory(
            unit=unit,
            indicator=IndicatorFactory(code=f"i{i}"),
            reporting_unit=UnitFactory(code=f"r{i}", parent=zone),
            rank_group=PeerGroupFactory(code=f"g{i}"),
            rank_basis="value",
            published_rank=1,
            entered_by=author,
            approved_by=author,
            status="draft" if i % 2 else "approved",
        )


def queries_for(api, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


def test_observation_list_queries_do_not_grow_with_rows(api, zone):
    url = "/api/observations?page_size=100"
    before = api.get(url).json()["count"]
    add_observations(zone, 10, 0)
    with_10 = queries_for(api, url)

    add_observations(zone, 190, 10)
    with_200 = queries_for(api, url)

    assert api.get(url).json()["count"] == before + 200
    assert with_10 == with_200 <= MAX_QUERIES


def test_target_list_queries_do_not_grow_with_rows(api, zone):
    url = "/api/targets?page_size=100"
    TargetFactory.create_batch(10, unit=zone, indicator=IndicatorFactory())
    with_10 = queries_for(api, url)

    for i in range(190):
        TargetFactory(unit=UnitFactory(code=f"t{i}", parent=zone), indicator=IndicatorFactory())
    with_200 = queries_for(api, url)

    assert with_10 == with_200 <= MAX_QUERIES


def test_unit_and_indicator_lists_do_not_grow_with_rows(api, zone):
    for i in range(10):
        UnitFactory(code=f"a{i}", parent=zone)
        IndicatorFactory(code=f"a{i}", owner_unit=zone)
    before = [queries_for(api, "/api/units"), queries_for(api, "/api/indicators")]

    for i in range(190):
        UnitFactory(code=f"b{i}", parent=UnitFactory(code=f"p{i}", parent=zone))
        IndicatorFactory(code=f"b{i}", owner_unit=UnitFactory(code=f"o{i}"))
    after = [queries_for(api, "/api/units"), queries_for(api, "/api/indicators")]

    assert before == after
    assert max(after) <= MAX_QUERIES
