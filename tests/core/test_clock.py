"""Business "today" (shouwei.core.clock): the real date unless a demo set one, the same in every
process, and said in the page header while it is set."""

from datetime import date

import pytest
from django.core.cache import cache
from django.utils import timezone

from shouwei.core import clock
from shouwei.core.models import DemoClock

DEMO_DAY = date(2022, 7, 29)


def test_without_a_demo_date_today_is_the_real_date(db):
    assert clock.demo_date() is None
    assert clock.today() == timezone.localdate()


def test_a_demo_date_is_today_until_it_is_cleared(db):
    clock.set_demo_date(DEMO_DAY)
    assert clock.today() == DEMO_DAY
    clock.set_demo_date(date(2022, 8, 1))
    assert clock.today() == date(2022, 8, 1)
    assert DemoClock.objects.count() == 1
    clock.set_demo_date(None)
    assert clock.today() == timezone.localdate()
    assert not DemoClock.objects.exists()


def test_a_process_that_has_not_read_it_yet_reads_it_from_the_database(db):
    clock.set_demo_date(DEMO_DAY)
    # Another process (the worker, a second app server) has its own, empty cache.
    cache.clear()
    assert clock.demo_date() == DEMO_DAY


def test_the_clock_is_read_from_the_database_once_while_cached(db, django_assert_num_queries):
    clock.set_demo_date(DEMO_DAY)
    cache.clear()
    with django_assert_num_queries(1):
        assert [clock.today() for _ in range(3)] == [DEMO_DAY] * 3


def test_the_database_holds_at_most_one_demo_date(db):
    from django.db import IntegrityError, transaction

    clock.set_demo_date(DEMO_DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        DemoClock.objects.create(pk=2, as_of=DEMO_DAY)


def test_the_header_states_the_demo_date_while_it_is_set(client_for):
    leader = client_for("leader")
    assert "演示日期" not in leader.get("/core/notifications/").content.decode()
    clock.set_demo_date(DEMO_DAY)
    html = leader.get("/core/notifications/").content.decode()
    assert "演示日期 2022-07-29" in html
    assert "不按今天" in html


def test_the_demo_date_strip_is_translated(client_for):
    clock.set_demo_date(DEMO_DAY)
    leader = client_for("leader")
    html = leader.get("/core/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Demo date 2022-07-29" in html
    assert "not from today" in html
