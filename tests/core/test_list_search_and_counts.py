"""The lists' free-text search (a bigram index on PostgreSQL, the same rows everywhere) and
their row count (estimated past a threshold on PostgreSQL, exact below it)."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from shouwei.indicators.filters import ObservationFilterSet
from shouwei.indicators.models import Observation

QUERIES = ["衡阳", "高新", "规模以上工业", "gdp", "GDP增长", "2022-0", "区", "没有这个词"]


def _texts(user) -> dict[int, str]:
    """Each visible row's search fields, lower-cased, in one string per row."""
    rows = Observation.objects.visible_to(user).values_list(
        "pk", "indicator__name", "indicator__code", "unit__name", "unit__code", "period", "source"
    )
    return {pk: "\n".join(t or "" for t in texts).lower() for pk, *texts in rows}


def test_search_returns_the_rows_that_contain_the_text_for_chinese_ascii_and_mixed(demo):
    user = demo["leader"]
    found_any = 0
    texts = _texts(user)
    for value in QUERIES:
        request = RequestFactory().get("/", {"q": value})
        request.user = user
        qs = ObservationFilterSet(
            request.GET, queryset=Observation.objects.visible_to(user), request=request
        ).qs
        got = set(qs.values_list("pk", flat=True))
        assert got == {pk for pk, t in texts.items() if value.lower() in t}, value
        found_any += bool(got)
    assert found_any >= 5  # the queries are not all empty: the comparison says something


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bigram index is PostgreSQL's")
def test_the_observation_search_can_be_served_by_the_bigram_index(demo):
    user = demo["leader"]
    request = RequestFactory().get("/", {"q": "高新区"})
    request.user = user
    qs = ObservationFilterSet(
        request.GET, queryset=Observation.objects.visible_to(user), request=request
    ).qs
    with connection.cursor() as cursor:
        # The plan follows the statistics: without them (a fresh test database, before
        # autovacuum has looked) the planner guesses and may walk another index.
        cursor.execute("ANALYZE indicators_observation")
        cursor.execute("ANALYZE core_unit")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
    assert "indicators_observation_bigrams" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics")
def test_the_planner_knows_how_common_a_searched_period_is(demo):
    """core.search.CreateSearchStatistics: statistics on upper(period) and upper(source), so
    that a common term is not guessed at a row or two (the planner then nested-looped every
    small table over 9,024 rows at province scale), and a larger target on the keys a search
    across a name becomes."""
    from shouwei.core.generic.pagination import estimated_rows

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT stxname FROM pg_statistic_ext "
            "WHERE stxrelid = 'indicators_observation'::regclass"
        )
        assert ("indicators_observation_search_upper",) in cursor.fetchall()
        cursor.execute(
            "SELECT attname, attstattarget FROM pg_attribute "
            "WHERE attrelid = 'indicators_observation'::regclass "
            "AND attname IN ('unit_id', 'indicator_id')"
        )
        assert dict(cursor.fetchall()) == {"unit_id": 1000, "indicator_id": 1000}
        cursor.execute("ANALYZE indicators_observation")
    period = Observation.objects.values_list("period", flat=True).first()
    qs = Observation.objects.filter(period__icontains=period)
    actual = qs.count()
    assert actual >= 10
    assert estimated_rows(qs) >= actual / 3


def _list(client, **params):
    response = client.get(reverse("indicators:observation_list"), params)
    assert response.status_code == 200
    return response


def test_a_list_longer_than_the_threshold_shows_an_estimate_and_pages_on(client_for, settings):
    settings.SHOUWEI_LIST_EXACT_COUNT_UP_TO = 5
    if connection.vendor == "postgresql":
        # The estimate is the planner's: in a fresh test database, before autovacuum has
        # analyzed the tables, it guessed a handful of rows (one page) for 526.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE indicators_observation")
            cursor.execute("ANALYZE core_unit")
    c = client_for("leader")
    first = _list(c, per_page=10)
    paginator = first.context["table"].paginator
    total = Observation.objects.visible_to(first.wsgi_request.user).count()
    if connection.vendor == "postgresql":
        assert paginator.estimated and "约 " in first.content.decode()
    else:  # SQLite has no estimate: it counts
        assert not paginator.estimated and paginator.count == total
        assert f"共 {total} 条" in first.content.decode()
    assert first.context["table"].page.has_next()
    assert 'href="?per_page=10&amp;page=2"' in first.content.decode()
    second = _list(c, per_page=10, page=2)
    pks = [r.record.pk for r in first.context["table"].paginated_rows]
    pks2 = [r.record.pk for r in second.context["table"].paginated_rows]
    assert len(pks2) == 10 and not set(pks) & set(pks2)


def test_a_short_list_is_counted_exactly(client_for, settings):
    settings.SHOUWEI_LIST_EXACT_COUNT_UP_TO = 10**6
    response = _list(client_for("leader"))
    paginator = response.context["table"].paginator
    total = Observation.objects.visible_to(response.wsgi_request.user).count()
    assert not paginator.estimated and paginator.count == total
    assert "约 " not in response.content.decode()


@pytest.mark.parametrize("page", ["9999", "60", "0", "-3", "x"])
def test_a_page_out_of_range_shows_a_real_page(client_for, settings, page):
    settings.SHOUWEI_LIST_EXACT_COUNT_UP_TO = 5
    c = client_for("leader")
    response = _list(c, per_page=10, page=page)
    table = response.context["table"]
    total = Observation.objects.visible_to(response.wsgi_request.user).count()
    assert len(table.paginated_rows) > 0
    assert table.page.number <= -(-total // 10)
