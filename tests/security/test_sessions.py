"""Concurrent sessions: beyond SHOUWEI_MAX_SESSIONS a login ends the person's oldest session
(in the security log), and the person sees and ends their own sessions on /accounts/sessions/."""

import pytest
from django.test import Client

from shouwei.core.choices import Role
from shouwei.core.models import SecurityEvent, UserSession
from tests.factories import UnitFactory, user_with_role

PASSWORD = "Hengyang-2026-ok"
PAGE = "/core/notifications/"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _person(username="huihua"):
    user = user_with_role(Role.STAFF, UnitFactory(), username=username)
    user.set_password(PASSWORD)
    user.save()
    return user


def _logged_in(user, browser: str) -> Client:
    client = Client(headers={"user-agent": browser})
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and "/accounts/login/" not in response["Location"]
    return client


def _logged_out(client) -> bool:
    response = client.get(PAGE)
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_a_fourth_login_ends_the_oldest_session_and_says_so_in_the_security_log(settings):
    settings.SHOUWEI_MAX_SESSIONS = 3
    user = _person()
    clients = [_logged_in(user, f"browser-{n}") for n in range(4)]

    assert _logged_out(clients[0])
    assert [_logged_out(c) for c in clients[1:]] == [False, False, False]
    kept = UserSession.objects.filter(user=user).order_by("started_at")
    assert [s.user_agent for s in kept] == ["browser-1", "browser-2", "browser-3"]
    (event,) = SecurityEvent.objects.filter(kind="session")
    assert event.username == user.username and event.ip == "127.0.0.1"
    assert "over the limit of 3 sessions" in event.message and event.at is not None


@pytest.mark.django_db
def test_no_limit_when_the_setting_is_zero(settings):
    settings.SHOUWEI_MAX_SESSIONS = 0
    user = _person()
    clients = [_logged_in(user, f"browser-{n}") for n in range(4)]
    assert not any(_logged_out(c) for c in clients)


@pytest.mark.django_db
def test_a_person_sees_their_sessions_and_ends_another_one_from_the_page():
    user = _person()
    here, there = _logged_in(user, "Firefox here"), _logged_in(user, "Chrome there")
    _logged_in(_person("lingren"), "another person's browser")
    stranger_session = UserSession.objects.get(user__username="lingren")

    page = here.get("/accounts/sessions/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Firefox here" in text and "Chrome there" in text and "127.0.0.1" in text
    assert "当前会话" in text and "结束此会话" in text
    theirs = UserSession.objects.get(user=user, user_agent="Chrome there")

    response = here.post(f"/accounts/sessions/{theirs.pk}/end/")
    assert response.status_code == 302 and response["Location"] == "/accounts/sessions/"
    assert _logged_out(there) and not _logged_out(here)
    assert "Chrome there" not in here.get("/accounts/sessions/").content.decode()
    assert SecurityEvent.objects.filter(kind="session", message__contains="ended by").exists()
    # Another person's session is no one else's to end.
    assert here.post(f"/accounts/sessions/{stranger_session.pk}/end/").status_code == 404
    assert UserSession.objects.filter(pk=stranger_session.pk).exists()


@pytest.mark.django_db
def test_logging_out_removes_the_session_from_the_list():
    user = _person()
    client = _logged_in(user, "browser")
    assert UserSession.objects.filter(user=user).count() == 1
    client.post("/accounts/logout/")
    assert not UserSession.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_a_password_change_keeps_this_session_listed_and_ends_the_others():
    user = _person()
    here, there = _logged_in(user, "here"), _logged_in(user, "there")
    response = here.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Xiangjiang-2027-new",
            "new_password2": "Xiangjiang-2027-new",
        },
    )
    assert response.status_code == 302
    (row,) = UserSession.objects.filter(user=user)
    assert row.user_agent == "here" and row.session_key == here.session.session_key
    assert _logged_out(there) and not _logged_out(here)


@pytest.mark.django_db
def test_a_session_without_its_row_is_recorded_again_and_last_seen_moves(monkeypatch):
    from shouwei.core import user_sessions

    user = _person()
    client = _logged_in(user, "browser")
    UserSession.objects.filter(user=user).delete()  # as for a session from before the table
    monkeypatch.setattr(user_sessions, "SEEN_EVERY_SECONDS", -1)
    client.get(PAGE)
    row = UserSession.objects.get(user=user)
    assert row.session_key == client.session.session_key
    seen = row.last_seen_at
    client.get(PAGE)
    row.refresh_from_db()
    assert row.last_seen_at > seen
