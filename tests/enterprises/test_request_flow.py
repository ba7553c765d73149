"""The request (诉求) flow: file → accept → handle → answer → revisit → rate, 退单 and reopen."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shouwei.core import clock
from shouwei.core.models import Notification
from shouwei.enterprises import services
from shouwei.enterprises.choices import RequestChannel, RequestStatus
from shouwei.enterprises.models import Request

DAY = date(2022, 7, 1)


@pytest.fixture(autouse=True)
def frozen_day(db):
    clock.set_demo_date(DAY)


def _filed(zone, **kw):
    return services.request_file(
        by=zone.contact,
        enterprise=zone.enterprise,
        category="approval",
        description="环评审批进度咨询",
        **kw,
    )


def _accepted(zone):
    return services.request_accept(by=zone.dispatcher, request=_filed(zone), department=zone.jjhz)


def _answered(zone):
    return services.request_answer(by=zone.clerk, request=_accepted(zone), answer="已办理完毕")


def test_a_contact_files_from_the_portal_for_the_dispatcher(zone):
    req = _filed(zone)
    assert (req.status, req.channel, req.assigned_department) == (
        RequestStatus.PENDING,
        RequestChannel.PORTAL,
        None,
    )
    assert req.filed_on == DAY
    assert Notification.objects.filter(recipient=zone.dispatcher, url=req.get_absolute_url())


def test_a_contact_cannot_file_for_another_enterprise(zone):
    with pytest.raises(PermissionDenied):
        services.request_file(
            by=zone.contact, enterprise=zone.other, category="land", description="x"
        )
    assert not Request.objects.exists()


def test_a_clerk_cannot_claim_the_portal_channel(zone):
    with pytest.raises(ValidationError):
        services.request_file(
            by=zone.cadre,
            enterprise=zone.enterprise,
            category="land",
            description="x",
            channel=RequestChannel.PORTAL,
        )


def test_accepting_names_the_department_and_starts_the_category_time_limit(zone):
    req = _accepted(zone)
    assert req.status == RequestStatus.ACCEPTED
    assert req.assigned_department == zone.jjhz
    assert (req.accepted_on, req.due_on) == (DAY, DAY + timedelta(days=5))  # 审批: 5 days
    assert Notification.objects.filter(recipient=zone.clerk, url=req.get_absolute_url())


def test_only_the_enterprise_s_service_department_accepts(zone):
    req = _filed(zone)
    with pytest.raises(PermissionDenied):
        services.request_accept(by=zone.clerk, request=req, department=zone.jjhz)
    req.refresh_from_db()
    assert req.status == RequestStatus.PENDING


def test_only_the_assigned_department_answers(zone):
    req = _accepted(zone)
    with pytest.raises(PermissionDenied):
        services.request_answer(by=zone.dispatcher, request=req, answer="x")
    req = services.request_answer(by=zone.clerk, request=req, answer=" 已解决 ")
    assert (req.status, req.answer, req.answered_on) == (RequestStatus.ANSWERED, "已解决", DAY)
    assert req.answered_in_time is True


def test_returning_sends_it_back_to_the_dispatcher_not_the_enterprise(zone):
    req = services.request_return(by=zone.clerk, request=_accepted(zone), reason="不属本局职责")
    assert req.status == RequestStatus.PENDING
    assert req.assigned_department is None and req.due_on is None
    assert (req.return_reason, req.return_count) == ("不属本局职责", 1)
    returned = Notification.objects.filter(key__startswith="enterprises.request-returned")
    assert set(returned.values_list("recipient__username", flat=True)) >= {"t-dispatcher"}
    assert not returned.filter(recipient=zone.contact).exists()
    # The dispatcher hands it on again.
    req = services.request_accept(by=zone.dispatcher, request=req, department=zone.cyfz)
    assert req.assigned_department == zone.cyfz


def test_returning_needs_a_reason(zone):
    req = _accepted(zone)
    with pytest.raises(ValidationError):
        services.request_return(by=zone.clerk, request=req, reason="  ")
    req.refresh_from_db()
    assert req.status == RequestStatus.ACCEPTED


def test_a_cadre_revisits_an_answered_request(zone):
    req = services.request_revisit(by=zone.cadre, request=_answered(zone), note="企业认可")
    assert (req.status, req.revisited_on) == (RequestStatus.REVISITED, DAY)


def test_rating_a_request_that_is_not_answered_is_refused(zone):
    req = _accepted(zone)
    with pytest.raises(ValidationError) as exc:
        services.request_rate(by=zone.contact, request=req, satisfaction=5)
    assert "尚未答复" in exc.value.message_dict["satisfaction"][0]
    req.refresh_from_db()
    assert (req.status, req.satisfaction) == (RequestStatus.ACCEPTED, None)


def test_another_enterprise_s_contact_cannot_rate(zone):
    req = _answered(zone)
    with pytest.raises(PermissionDenied):
        services.request_rate(by=zone.other_contact, request=req, satisfaction=1)


@pytest.mark.parametrize("bad", [0, 6])
def test_a_rating_outside_one_to_five_is_refused(zone, bad):
    with pytest.raises(ValidationError):
        services.request_rate(by=zone.contact, request=_answered(zone), satisfaction=bad)


def test_a_satisfied_rating_closes_the_request(zone):
    req = services.request_rate(by=zone.contact, request=_answered(zone), satisfaction=4)
    assert (req.status, req.satisfaction, req.rated_on) == (RequestStatus.RATED, 4, DAY)


def test_an_unsatisfied_rating_reopens_it_with_a_fresh_time_limit(zone):
    req = _answered(zone)
    clock.set_demo_date(DAY + timedelta(days=2))
    req = services.request_rate(by=zone.contact, request=req, satisfaction=2)
    assert req.status == RequestStatus.IN_PROGRESS
    assert req.reopen_count == 1 and req.answered_on is None
    assert req.due_on == DAY + timedelta(days=2 + 5)
    assert Notification.objects.filter(recipient=zone.clerk, key__contains="reopened")
    # The department answers again and the enterprise is now satisfied.
    req = services.request_answer(by=zone.clerk, request=req, answer="补充办理")
    req = services.request_rate(by=zone.contact, request=req, satisfaction=5)
    assert (req.status, req.satisfaction, req.reopen_count) == (RequestStatus.RATED, 5, 1)


def test_every_step_is_in_the_history_with_its_author(zone):
    req = services.request_revisit(by=zone.cadre, request=_answered(zone), note="好")
    authors = list(
        req.history.order_by("history_date").values_list("history_user__username", flat=True)
    )
    assert authors == ["t-contact", "t-dispatcher", "t-jjhz-clerk", "t-cadre"]
