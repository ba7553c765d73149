"""The idle timeout with the session saved at most once per SHOUWEI_SESSION_SAVE_SECONDS."""

from __future__ import annotations

import time
from datetime import timedelta
from unittest import mock

from django.contrib.sessions.models import Session
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from shouwei.core.session_expiry import SESSION_SAVED_AT

PAGE = "core:unit_list"


def _later(seconds: float):
    return mock.patch("shouwei.core.session_expiry._now", return_value=time.time() + seconds)


def _expiry(key: str):
    return Session.objects.get(pk=key).expire_date


def test_login_marks_the_session_saved(client, demo):
    client.force_login(demo["leader"])
    assert abs(client.session[SESSION_SAVED_AT] - time.time()) < 5


def test_pages_within_the_interval_do_not_write_the_session(client, demo):
    client.force_login(demo["leader"])
    key = client.session.session_key
    client.get(reverse(PAGE))
    expiry = _expiry(key)
    for _ in range(3):
        with _later(30):
            response = client.get(reverse(PAGE))
        assert response.status_code == 200
        assert "sessionid" not in response.cookies
    assert _expiry(key) == expiry


def test_a_page_after_the_interval_writes_the_expiry_once(client, demo):
    client.force_login(demo["leader"])
    key = client.session.session_key
    soon = timezone.now() + timedelta(minutes=5)
    Session.objects.filter(pk=key).update(expire_date=soon)
    with _later(61):
        client.get(reverse(PAGE))
        extended = _expiry(key)
        assert extended > soon + timedelta(minutes=20)
        Session.objects.filter(pk=key).update(expire_date=soon)
        # Saved just now (the marker moved): the next page within the interval leaves it.
        client.get(reverse(PAGE))
    assert _expiry(key) == soon


def test_the_idle_timeout_still_logs_out(client, demo):
    client.force_login(demo["leader"])
    key = client.session.session_key
    # Idle past the timeout: the stored expiry has passed, whatever the marker says.
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse(PAGE))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@override_settings(SHOUWEI_SESSION_SAVE_SECONDS=0)
def test_interval_zero_saves_on_every_page(client, demo):
    client.force_login(demo["leader"])
    key = client.session.session_key
    soon = timezone.now() + timedelta(minutes=5)
    Session.objects.filter(pk=key).update(expire_date=soon)
    client.get(reverse(PAGE))
    assert _expiry(key) > soon + timedelta(minutes=20)


def test_a_stale_cookie_gets_no_new_session(client, db):
    client.cookies["sessionid"] = "x" * 32
    client.get("/")
    assert not Session.objects.exists()
