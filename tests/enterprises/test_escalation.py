"""A request past its time limit goes to the department head, then to the responsible leader,
at the boundaries, once per level (frozen business clock)."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command

from shouwei.core import clock
from shouwei.core.models import Notification
from shouwei.core.schedule import jobs
from shouwei.enterprises import services
from shouwei.enterprises.choices import Escalation
from shouwei.enterprises.models import LiaisonAssignment

ACCEPTED = date(2022, 7, 1)
DUE = ACCEPTED + timedelta(days=5)  # 审批: 5 days


@pytest.fixture
def overdue_request(zone):
    clock.set_demo_date(ACCEPTED)
    LiaisonAssignment.objects.create(
        cadre=zone.cadre, unit=zone.cyfz, enterprise=zone.enterprise, starts_on=ACCEPTED
    )
    req = services.request_file(
        by=zone.contact, enterprise=zone.enterprise, category="approval", description="审批"
    )
    return services.request_accept(by=zone.dispatcher, request=req, department=zone.jjhz)


def _escalated(req, day):
    services.escalate_overdue(today=day)
    req.refresh_from_db()
    return req.escalation


def _told(user, level):
    return Notification.objects.filter(recipient=user, key__endswith=f":{level}").exists()


def test_nothing_happens_on_the_due_day(zone, overdue_request):
    assert _escalated(overdue_request, DUE) == Escalation.NONE
    assert not Notification.objects.filter(key__startswith="enterprises.request-overdue")


def test_the_day_after_it_goes_to_the_department_head(zone, overdue_request):
    assert _escalated(overdue_request, DUE + timedelta(days=1)) == Escalation.DEPARTMENT_HEAD
    assert _told(zone.head, 1) and _told(zone.clerk, 1) and _told(zone.cadre, 1)
    assert not _told(zone.leader, 2)


def test_three_days_late_it_is_still_the_department_head_s(zone, overdue_request):
    assert _escalated(overdue_request, DUE + timedelta(days=3)) == Escalation.DEPARTMENT_HEAD


def test_more_than_three_days_late_it_goes_to_the_leader(zone, overdue_request):
    _escalated(overdue_request, DUE + timedelta(days=1))
    assert _escalated(overdue_request, DUE + timedelta(days=4)) == Escalation.LEADER
    assert _told(zone.leader, 2) and _told(zone.head, 2)


def test_a_second_run_raises_nothing_again(zone, overdue_request):
    day = DUE + timedelta(days=1)
    assert services.escalate_overdue(today=day) == 1
    assert services.escalate_overdue(today=day) == 0
    assert Notification.objects.filter(recipient=zone.head).count() == 1


def test_an_answered_request_is_not_escalated(zone, overdue_request):
    services.request_answer(by=zone.clerk, request=overdue_request, answer="已办")
    assert _escalated(overdue_request, DUE + timedelta(days=9)) == Escalation.NONE


def test_the_periodic_job_and_the_command_escalate(zone, overdue_request, capsys):
    assert "enterprises.escalate_overdue" in jobs()
    clock.set_demo_date(DUE + timedelta(days=1))
    call_command("escalate")
    assert "升级 1 件" in capsys.readouterr().out
    overdue_request.refresh_from_db()
    assert overdue_request.escalation == Escalation.DEPARTMENT_HEAD
    call_command("escalate", "--date", f"{DUE + timedelta(days=5):%Y-%m-%d}")
    overdue_request.refresh_from_db()
    assert overdue_request.escalation == Escalation.LEADER


# --- e-mail, when SHOUWEI_ESCALATION_EMAIL is on -----------------------------------------------
@pytest.fixture
def mail_on(settings, zone):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SHOUWEI_ESCALATION_EMAIL = True
    for user, address in ((zone.head, "head@example.org"), (zone.leader, "leader@example.org")):
        user.email = address
        user.save(update_fields=["email"])
    return settings


def test_by_mail_the_head_is_told_first_and_then_the_leader(
    zone, overdue_request, mail_on, django_capture_on_commit_callbacks
):
    from django.core import mail

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _escalated(overdue_request, DUE + timedelta(days=1))
    assert [m.to for m in mail.outbox] == [["head@example.org"]]
    assert zone.enterprise.name in mail.outbox[0].subject
    assert overdue_request.get_absolute_url() in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        _escalated(overdue_request, DUE + timedelta(days=4))
    assert [m.to for m in mail.outbox] == [["head@example.org"], ["leader@example.org"]]

    with django_capture_on_commit_callbacks(execute=True):
        _escalated(overdue_request, DUE + timedelta(days=5))
    assert len(mail.outbox) == 2  # once per level


def test_no_mail_unless_configured(
    zone, overdue_request, mail_on, django_capture_on_commit_callbacks
):
    from django.core import mail

    mail_on.SHOUWEI_ESCALATION_EMAIL = False
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _escalated(overdue_request, DUE + timedelta(days=4))
    assert overdue_request.escalation == Escalation.LEADER
    assert mail.outbox == []


def test_no_mail_to_someone_without_an_address(
    zone, overdue_request, mail_on, django_capture_on_commit_callbacks
):
    from django.core import mail

    zone.head.email = ""
    zone.head.save(update_fields=["email"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _escalated(overdue_request, DUE + timedelta(days=1))
    assert mail.outbox == []
    assert _told(zone.head, 1)  # the bell still rings
