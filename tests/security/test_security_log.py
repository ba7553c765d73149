"""The append-only security log: a row for each event kind (time, user, source address), not
editable from the web or the ORM, and a page for auditors only."""

import pytest
from django.test import Client

from shouwei.core import jobs
from shouwei.core.choices import Role
from shouwei.core.models import RoleAssignment, SecurityEvent
from tests.factories import UnitFactory, user_with_role

PASSWORD = "Hengyang-2026-ok"


@pytest.fixture
def clerk(db):
    user = user_with_role(Role.STAFF, UnitFactory(), username="clerk-log")
    user.set_password(PASSWORD)
    user.save()
    return user


def _kinds():
    return list(SecurityEvent.objects.values_list("kind", flat=True))


def test_login_failure_and_logout_are_recorded_with_address(clerk):
    client = Client(REMOTE_ADDR="10.20.30.40")
    client.post("/accounts/login/", {"username": "clerk-log", "password": "wrong"})
    client.post("/accounts/login/", {"username": "clerk-log", "password": PASSWORD})
    client.post("/accounts/logout/")
    events = {e.kind: e for e in SecurityEvent.objects.all()}
    assert {"login_failed", "login", "logout"} <= set(events)
    assert events["login"].ip == "10.20.30.40"
    assert events["login"].username == "clerk-log" and events["login"].user_id == clerk.pk
    assert events["login_failed"].username == "clerk-log"
    assert events["login"].at is not None


def test_a_lockout_is_recorded(clerk):
    client = Client(REMOTE_ADDR="10.20.30.41")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "clerk-log", "password": "wrong"})
    assert "lockout" in _kinds()


def test_a_refusal_is_recorded_though_its_transaction_rolled_back(client_for):
    client = client_for("leader")
    client.defaults["REMOTE_ADDR"] = "10.20.30.42"
    client.get("/content/articles/")
    refused = SecurityEvent.objects.filter(kind="refused").first()
    assert refused is not None and refused.ip == "10.20.30.42" and refused.username == "leader"


def test_an_export_is_recorded(client_for):
    client_for("leader").get("/indicators/observations/?export=csv")
    assert "export" in _kinds()


def test_approval_and_role_change_are_recorded(demo):
    from shouwei.indicators.models import Observation
    from shouwei.indicators.services import observation_approve

    statistician = demo["statistician"]
    obs = (
        Observation.objects.filter(
            unit__in=[a.unit for a in statistician.role_assignments.all()]
        ).first()
        or Observation.objects.first()
    )
    Observation.objects.filter(pk=obs.pk).update(
        status="submitted", entered_by=demo["staff_cyfz"], approved_by=None
    )
    obs.refresh_from_db()
    before = SecurityEvent.objects.count()
    observation_approve(observation=obs, by=statistician)
    assert SecurityEvent.objects.filter(kind="approval", username="statistician").exists()
    RoleAssignment.objects.create(
        user=demo["leader"], role=Role.EDITOR, unit=demo["leader"].role_assignments.first().unit
    )
    assert SecurityEvent.objects.filter(kind="role_change", message__contains="leader").exists()
    assert SecurityEvent.objects.count() > before


def test_publication_is_recorded(bmdt_people):
    from shouwei.portal.services import publish, save_article, submit_for_review

    channel, people = bmdt_people
    art = save_article(by=people["editor"], channel=channel, title="发布记录", body="<p>正文</p>")
    submit_for_review(by=people["editor"], article=art)
    publish(by=people["reviewer"], article=art)
    assert "publication" in _kinds()


@pytest.fixture
def bmdt_people(db):
    from shouwei.portal.models import Channel

    zone = UnitFactory()
    channel = Channel.objects.create(slug="test-ch", name="测试")
    return channel, {
        "editor": user_with_role(Role.EDITOR, zone, username="ed-log"),
        "reviewer": user_with_role(Role.REVIEWER, zone, username="rv-log"),
    }


def test_the_log_cannot_be_changed_or_deleted(clerk):
    Client().post("/accounts/login/", {"username": "clerk-log", "password": "wrong"})
    event = SecurityEvent.objects.filter(kind="login_failed").get()
    event.message = "抹去痕迹"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        SecurityEvent.objects.update(message="x")
    with pytest.raises(PermissionError):
        SecurityEvent.objects.all().delete()
    assert SecurityEvent.objects.get(pk=event.pk).message != "抹去痕迹"


def test_only_expired_records_are_purged(clerk, settings):
    from datetime import timedelta

    from django.utils import timezone

    Client().post("/accounts/login/", {"username": "clerk-log", "password": "wrong"})
    old = SecurityEvent(kind="other", message="old")
    old.save()
    models_qs = SecurityEvent.objects.filter(pk=old.pk)
    from django.db.models import QuerySet

    QuerySet.update(models_qs, at=timezone.now() - timedelta(days=400))
    settings.SHOUWEI_SECURITY_LOG_DAYS = 365
    kept = SecurityEvent.objects.count() - 1
    assert jobs.purge_security_log() == 1
    assert SecurityEvent.objects.count() == kept
    assert not SecurityEvent.objects.filter(pk=old.pk).exists()


def test_the_auditors_page_is_for_administrators_only(client_for, clerk):
    Client().post("/accounts/login/", {"username": "clerk-log", "password": "wrong"})
    page = client_for("admin").get("/core/security-log/", {"kind": "login_failed"})
    assert page.status_code == 200
    assert "clerk-log" in page.content.decode()
    assert client_for("leader").get("/core/security-log/").status_code == 403
    assert "refused" in _kinds()
    # No web path writes it: the admin does not offer the model at all.
    from django.contrib import admin

    assert SecurityEvent not in admin.site._registry
