"""The request tallies (the figures page's pre-aggregated counts) stay what recomputing them
from the requests gives, through every step of the flow; the figures read from them are the
figures read from the requests; and the reading paths that skip ``visible_to`` are taken only
where ``visible_to`` would pass every row."""

from datetime import date, timedelta

import pytest

from shouwei.core import clock
from shouwei.enterprises import selectors, services, tallies
from shouwei.enterprises.choices import OPEN_STATUSES
from shouwei.enterprises.models import Request, RequestTally
from tests.factories import EnterpriseFactory

DAY = date(2022, 7, 1)


@pytest.fixture(autouse=True)
def frozen_day(db):
    clock.set_demo_date(DAY)


def _file(zone, enterprise=None, category="approval"):
    return services.request_file(
        by=zone.cadre,
        enterprise=enterprise or EnterpriseFactory(),
        category=category,
        description="用地审批",
    )


def _accept(zone, req, department=None):
    return services.request_accept(
        by=zone.dispatcher, request=req, department=department or zone.jjhz
    )


def _answer(zone, req):
    return services.request_answer(by=zone.clerk, request=req, answer="已办理")


def _the_flow(zone) -> list[Request]:
    """Requests taken through every kind of step, over two months and time limits."""
    out = []
    for category in ("approval", "land", "policy"):
        out.append(_file(zone, category=category))  # pending, no department
        out.append(_accept(zone, _file(zone, category=category)))  # held
        started = services.request_start(by=zone.clerk, request=_accept(zone, _file(zone)))
        out.append(started)
        out.append(_answer(zone, _accept(zone, _file(zone, category=category))))
    answered = _answer(zone, _accept(zone, _file(zone, enterprise=zone.enterprise)))
    revisited = services.request_revisit(by=zone.cadre, request=answered, note="满意")
    out.append(services.request_rate(by=zone.contact, request=revisited, satisfaction=5))
    clock.set_demo_date(DAY + timedelta(days=31))  # the next month: another tally month
    late = _accept(zone, _file(zone, enterprise=zone.enterprise))
    clock.set_demo_date(DAY + timedelta(days=60))
    late = _answer(zone, late)  # past its time limit
    # Unsatisfied: reopened (a rating, a reopen, no answer), answered again, rated again.
    reopened = services.request_rate(by=zone.contact, request=late, satisfaction=1)
    out.append(reopened)
    again = _answer(zone, _accept(zone, _file(zone, enterprise=zone.enterprise)))
    again = services.request_rate(by=zone.contact, request=again, satisfaction=2)
    again = _answer(zone, again)
    out.append(services.request_rate(by=zone.contact, request=again, satisfaction=4))
    # Returned: it leaves its department's tally, then goes to another department.
    returned = services.request_return(
        by=zone.clerk, request=_accept(zone, _file(zone)), reason="非本部门"
    )
    out.append(_accept(zone, returned, department=zone.cyfz))
    # Reopened and then returned: back to the dispatcher with its rating.
    sent_back = services.request_rate(
        by=zone.contact,
        request=_answer(zone, _accept(zone, _file(zone, zone.enterprise))),
        satisfaction=2,
    )
    out.append(services.request_return(by=zone.clerk, request=sent_back, reason="转他部门"))
    services.escalate_overdue(today=DAY + timedelta(days=90))
    return out


def test_stored_tallies_equal_the_recomputed_ones_after_every_kind_of_step(zone):
    assert tallies.stored_rows() == tallies.recomputed_rows() == set()
    requests = _the_flow(zone)
    stored = tallies.stored_rows()
    assert stored == tallies.recomputed_rows()
    assert (
        sum(row[4] for row in stored)
        == Request.objects.filter(assigned_department__isnull=False).count()
    )
    # No row left at zero (a department whose every request left it shows no figure row).
    assert not RequestTally.objects.filter(requests=0).exists()
    # A deletion (queryset or single) takes the request's share off too.
    requests[1].delete()
    Request.objects.filter(pk__in=[r.pk for r in requests[4:7]]).delete()
    assert tallies.stored_rows() == tallies.recomputed_rows()


def test_rebuild_recomputes_what_the_saves_kept(zone):
    _the_flow(zone)
    kept = tallies.stored_rows()
    RequestTally.objects.all().delete()
    assert tallies.rebuild() == len(kept)
    assert tallies.stored_rows() == kept


@pytest.mark.parametrize("today_offset", [0, 10, 90])
def test_figures_from_the_tallies_are_the_figures_from_the_requests(
    zone, monkeypatch, today_offset
):
    _the_flow(zone)
    today = DAY + timedelta(days=today_offset)
    year = DAY.year

    def read():
        return (
            selectors.request_rates(zone.gxq, year, user=zone.leader, today=today),
            selectors.request_rates(zone.jjhz, year, today=today),
            [
                selectors.request_figures(
                    user=zone.leader, unit=zone.gxq, year=year, by=by, today=today
                )
                for by in ("department", "category", "month")
            ],
        )

    assert selectors.reads_every_request_under(zone.leader, zone.gxq)
    from_tallies = read()
    monkeypatch.setattr(selectors, "_by_tallies", lambda user, unit: False)
    from_requests = read()
    assert from_tallies == from_requests
    assert from_tallies[0].due and from_tallies[2][0]


def test_only_users_reading_at_or_above_a_unit_skip_the_request_visibility(zone):
    assert selectors.reads_every_request_under(zone.leader, zone.gxq)
    assert selectors.reads_every_request_under(zone.leader, zone.jjhz)
    assert selectors.reads_every_request_under(zone.clerk, zone.jjhz)
    # A department's clerk reads the zone's requests only through their enterprise or
    # department: the zone's figures ask each request.
    assert not selectors.reads_every_request_under(zone.clerk, zone.gxq)
    assert not selectors.reads_every_request_under(zone.clerk, zone.cyfz)
    assert not selectors.reads_every_request_under(zone.contact, zone.gxq)


def test_a_clerk_s_zone_figures_still_count_only_what_they_read(zone):
    mine = _answer(zone, _accept(zone, _file(zone)))  # handled by the clerk's department
    _accept(zone, _file(zone), department=zone.cyfz)  # not theirs in any way
    rates = selectors.request_rates(zone.gxq, DAY.year, user=zone.clerk)
    visible = Request.objects.visible_to(zone.clerk).filter(assigned_department__isnull=False)
    assert list(visible.values_list("pk", flat=True)) == [mine.pk]
    assert rates.answered == 1 and rates.due == 1


@pytest.mark.parametrize("viewer", ["leader", "clerk", "dispatcher"])
def test_one_department_s_desk_is_what_visible_to_gives(zone, viewer):
    for department in (zone.jjhz, zone.cyfz):
        _accept(zone, _file(zone), department=department)
        _accept(zone, _file(zone, enterprise=zone.enterprise), department=department)
    _file(zone)
    user = getattr(zone, viewer)
    for department in (zone.jjhz, zone.cyfz):
        expected = list(
            Request.objects.visible_to(user)
            .filter(status__in=OPEN_STATUSES, assigned_department=department)
            .order_by("due_on", "pk")
            .values_list("pk", flat=True)
        )
        got = [r.pk for r in selectors.desk(user, department)]
        assert got == expected
