"""The demo's issue-15 records load and read as the pages show them (as of 2022-07-29)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from shouwei.core import clock, schedule
from shouwei.core.models import Notification
from shouwei.projects.models import SchedulingCall


@pytest.fixture
def as_of(demo):
    clock.set_demo_date(date(2022, 7, 29))
    yield
    clock.set_demo_date(None)


def test_the_demo_call_is_closed_and_answered_by_two_units(client_for, as_of):
    call = SchedulingCall.objects.get()
    page = client_for("leader").get(call.get_absolute_url())
    board = {u.unit.code: (u.answered, u.unanswered) for u in page.context["board"]}
    assert board["hy-gxq-cyfz"][1] == 0 and board["hy-gxq-kjcx"][1] == 0
    assert board["hy-gxq-jjhz"][0] == 0 and board["hy-gxq-jjhz"][1] > 0
    assert not page.context["can_remind"]  # closed: nobody is reminded
    before = Notification.objects.count()
    schedule.run_now("projects.remind_calls")
    assert Notification.objects.count() == before


def test_the_demo_shows_a_late_procedure_and_an_idle_bond_on_the_cockpit(client_for, as_of):
    page = client_for("leader").get(
        reverse("indicators:cockpit"), {"unit": "hy-gxq", "period": "2022-06"}
    )
    body = page.content.decode()
    assert "前期手续逾期 2 项" in body  # 能评 (due 06-30) and 消防设计审查 (due 07-15)
    bonds = client_for("leader").get(reverse("projects:funding_board")).context["bonds"]
    assert [(b.project.code, b.idle_amount) for b in bonds] == [("gxq-sz-001", Decimal("5.50"))]
