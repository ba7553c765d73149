"""Re-authentication ("sudo mode", core.reauth): the admin and exports of non-public data ask
for the password again (and the authenticator's code, for a person with a device) when it
was last given more than SHOUWEI_REAUTH_MINUTES ago; then back to where the person was going,
a path of this site only. A login is such a proof, so `client_for` clients (force_login sends
the same signal) may export at once; the first test below goes through the real login."""

import time

import pytest
from django.test import Client
from django_otp.oath import totp

from shouwei.core import reauth, twofactor
from shouwei.core.choices import Role
from shouwei.core.models import SecurityEvent
from tests.factories import UnitFactory, user_with_role

PASSWORD = "Hengyang-2026-ok"
EXPORT = "/core/units/?export=csv"
REAUTH = "/accounts/reauth/"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.SHOUWEI_REAUTH_MINUTES = 10


@pytest.fixture
def clock(monkeypatch):
    """Move re-authentication's clock: ``clock(minutes)`` puts it that far ahead of now."""
    offset = {"seconds": 0}
    monkeypatch.setattr(reauth, "now", lambda: time.time() + offset["seconds"])

    def move(minutes: float) -> None:
        offset["seconds"] = minutes * 60

    return move


def _person(username="chongyan", role=Role.STAFF):
    user = user_with_role(role, UnitFactory(), username=username)
    user.set_password(PASSWORD)
    user.save()
    return user


def _login(user) -> Client:
    client = Client()
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    return client


def _sent_to_reauth(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(REAUTH)


@pytest.mark.django_db
def test_an_export_asks_for_the_password_again_once_the_login_is_ten_minutes_old(clock):
    client = _login(_person())
    assert client.get(EXPORT).status_code == 200  # the login itself is the proof

    clock(11)
    response = client.get(EXPORT)
    assert _sent_to_reauth(response)
    assert response["Location"] == "/accounts/reauth/?next=%2Fcore%2Funits%2F%3Fexport%3Dcsv"
    assert client.get(response["Location"]).status_code == 200

    wrong = client.post(REAUTH, {"password": "not-it", "next": EXPORT})
    assert wrong.status_code == 400 and "密码不正确" in wrong.content.decode()
    assert _sent_to_reauth(client.get(EXPORT))

    right = client.post(REAUTH, {"password": PASSWORD, "next": EXPORT})
    assert right.status_code == 302 and right["Location"] == EXPORT
    assert client.get(EXPORT).status_code == 200
    clock(11 + 9)
    assert client.get(EXPORT).status_code == 200
    clock(11 + 11)
    assert _sent_to_reauth(client.get(EXPORT))

    events = [e.message for e in SecurityEvent.objects.filter(kind="reauth").order_by("pk")]
    assert events == [
        "re-authentication failed for chongyan (password, 1 of 5)",
        "re-authentication of chongyan",
    ]


@pytest.mark.django_db
def test_with_a_device_the_code_is_asked_too(clock):
    user = _person("tongji-reauth")
    device = twofactor.pending_device(user)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}"
    twofactor.confirm_enrolment(user=user, device=device, token=code)
    client = Client()
    client.force_login(user)
    clock(11)

    refused = client.post(REAUTH, {"password": PASSWORD, "code": "000000", "next": EXPORT})
    assert refused.status_code == 400 and _sent_to_reauth(client.get(EXPORT))
    without_code = client.post(REAUTH, {"password": PASSWORD, "next": EXPORT})
    assert without_code.status_code == 400
    device.refresh_from_db()
    device.last_t = -1  # the enrolment used this time step's code
    device.save()
    passed = client.post(REAUTH, {"password": PASSWORD, "code": code, "next": EXPORT})
    assert passed.status_code == 302 and client.get(EXPORT).status_code == 200


@pytest.mark.django_db
def test_five_wrong_passwords_end_the_session(clock):
    client = _login(_person())
    for _ in range(reauth.MAX_FAILURES):
        response = client.post(REAUTH, {"password": "wrong", "next": EXPORT})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get("/core/notifications/").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target", ["https://evil.example/x", "//evil.example/x", "javascript:alert(1)"]
)
def test_next_outside_this_site_is_refused(target):
    client = _login(_person())
    response = client.post(REAUTH, {"password": PASSWORD, "next": target})
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/projects/weekly-sheet/",
        "/projects/schedulingcalls/0/sheet/",
        "/reports/reports/0/download/xlsx/",
        "/imports/batches/0/file/",
        "/evaluation/runs/0/export.xlsx",
    ],
)
def test_every_other_export_asks_too(client_for, clock, path):
    client = client_for("admin")
    clock(11)
    assert _sent_to_reauth(client.get(path))


@pytest.mark.django_db
def test_the_admin_asks_for_the_password_again_but_not_those_who_are_no_staff(client_for, clock):
    admin, leader = client_for("admin"), client_for("leader")
    assert admin.get("/admin/core/roleassignment/").status_code == 200
    clock(11)
    assert _sent_to_reauth(admin.get("/admin/"))
    assert _sent_to_reauth(admin.get("/admin/core/roleassignment/"))
    response = leader.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_the_public_portal_export_asks_nobody():
    assert Client().get("/portal/open-data/export.csv").status_code == 200
