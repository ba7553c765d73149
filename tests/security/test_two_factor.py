"""The TOTP second factor: asked after the password, required for administrators and
statisticians (enrolment forced at their first login), optional for others; one-time recovery
codes stored hashed; every outcome in the security log."""

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from shouwei.core import twofactor
from shouwei.core.choices import Role
from shouwei.core.models import RecoveryCode, SecurityEvent
from tests.factories import UnitFactory, user_with_role

PASSWORD = "Hengyang-2026-ok"
PAGE = "/core/notifications/"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # django-otp makes each wrong code wait 2^n seconds before the next try; the tests retry
    # at once (the throttle itself is django-otp's, tested there).
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _person(role, username):
    user = user_with_role(role, UnitFactory(), username=username)
    user.set_password(PASSWORD)
    user.save()
    return user


def _code(device, drift=0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=drift):06d}"


def _enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = twofactor.pending_device(user)
    codes = twofactor.confirm_enrolment(user=user, device=device, token=_code(device))
    device.refresh_from_db()
    device.last_t = -1  # the test reuses this time step's code for the login
    device.save()
    return device, codes


def _password(client, user):
    return client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})


def _kinds_messages():
    return [e.message for e in SecurityEvent.objects.filter(kind="second_factor")]


@pytest.mark.django_db
def test_a_statistician_without_a_device_is_kept_on_the_enrolment_page():
    user = _person(Role.STATISTICIAN, "tongji-2fa")
    client = Client()
    response = _password(client, user)
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/"
    # Nothing else opens until the enrolment is done; the API neither.
    blocked = client.get(PAGE)
    assert blocked.status_code == 302 and blocked["Location"] == "/accounts/2fa/"
    assert client.get("/api/indicators").status_code in (401, 403)
    page = client.get("/accounts/2fa/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    wrong = client.post("/accounts/2fa/", {"action": "confirm", "code": "000000"})
    if _code(device) == "000000":  # one chance in a million
        return
    assert wrong.status_code == 400
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(PAGE).status_code == 302

    done = client.post("/accounts/2fa/", {"action": "confirm", "code": _code(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", done.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    # Stored as digests only.
    stored = set(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not stored & set(codes)
    assert client.get(PAGE).status_code == 200
    assert any("enrolled" in m for m in _kinds_messages())


@pytest.mark.django_db
def test_an_enrolled_person_is_logged_in_only_after_the_code():
    user = _person(Role.ADMIN, "admin-2fa")
    device, _codes = _enrolled(user)
    client = Client()
    response = _password(client, user)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/verify/"
    # The password alone opens nothing.
    assert client.get(PAGE)["Location"].startswith("/accounts/login/")

    wrong = "111111" if _code(device) != "111111" else "222222"
    refused = client.post("/accounts/login/verify/", {"code": wrong})
    assert refused.status_code == 400
    assert client.get(PAGE)["Location"].startswith("/accounts/login/")
    assert any("failed" in m for m in _kinds_messages())

    ok = client.post("/accounts/login/verify/", {"code": _code(device)})
    assert ok.status_code == 302
    assert client.get(PAGE).status_code == 200
    assert any("passed" in m for m in _kinds_messages())


@pytest.mark.django_db
def test_too_many_wrong_codes_ask_for_the_password_again():
    user = _person(Role.ADMIN, "admin-guess")
    device, _ = _enrolled(user)
    client = Client()
    _password(client, user)
    wrong = "111111" if _code(device) != "111111" else "222222"
    for _ in range(twofactor.MAX_CODE_FAILURES - 1):
        assert client.post("/accounts/login/verify/", {"code": wrong}).status_code == 400
    last = client.post("/accounts/login/verify/", {"code": wrong})
    assert last.status_code == 302 and last["Location"] == "/accounts/login/"
    # The right code no longer helps without the password.
    late = client.post("/accounts/login/verify/", {"code": _code(device)})
    assert late["Location"] == "/accounts/login/"
    assert client.get(PAGE)["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_a_recovery_code_works_once():
    user = _person(Role.STATISTICIAN, "tongji-recovery")
    _device, codes = _enrolled(user)
    first = Client()
    _password(first, user)
    assert first.post("/accounts/login/verify/", {"code": codes[0].upper()}).status_code == 302
    assert first.get(PAGE).status_code == 200
    assert any("recovery code used" in m for m in _kinds_messages())

    second = Client()
    _password(second, user)
    assert second.post("/accounts/login/verify/", {"code": codes[0]}).status_code == 400
    assert second.get(PAGE)["Location"].startswith("/accounts/login/")
    assert RecoveryCode.objects.filter(user=user, used_at__isnull=True).count() == 9


@pytest.mark.django_db
def test_the_second_factor_is_optional_for_a_leader():
    user = _person(Role.LEADER, "leader-2fa")
    client = Client()
    response = _password(client, user)
    assert response.status_code == 302 and response["Location"] != "/accounts/2fa/"
    assert client.get(PAGE).status_code == 200
    # They may enrol, and remove it again with a code.
    device, _ = _enrolled(user)
    removed = client.post("/accounts/2fa/", {"action": "disable", "code": _code(device)})
    assert removed.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not RecoveryCode.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_an_administrator_cannot_remove_the_required_second_factor():
    user = _person(Role.ADMIN, "admin-keep")
    device, _ = _enrolled(user)
    client = Client()
    _password(client, user)
    client.post("/accounts/login/verify/", {"code": _code(device)})
    device.refresh_from_db()
    refused = client.post("/accounts/2fa/", {"action": "disable", "code": _code(device, drift=1)})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@pytest.mark.django_db
def test_renewing_recovery_codes_replaces_the_old_ones():
    user = _person(Role.LEADER, "leader-codes")
    device, old = _enrolled(user)
    client = Client()
    _password(client, user)
    client.post("/accounts/login/verify/", {"code": _code(device)})
    renewed = client.post("/accounts/2fa/", {"action": "codes", "code": _code(device, drift=1)})
    assert renewed.status_code == 200
    new = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", renewed.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert twofactor.check_code(user=user, code=old[1]) is None
    assert twofactor.check_code(user=user, code=new[1]) == "recovery"


@pytest.mark.django_db
def test_the_admin_login_form_cannot_skip_the_second_factor():
    user = _person(Role.ADMIN, "admin-side")
    user.is_staff = True
    user.save()
    _enrolled(user)
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/admin/")["Location"].startswith(("/admin/login/", "/accounts/login/"))


@pytest.mark.django_db
def test_demo_accounts_logged_in_by_the_test_helper_keep_working(client_for):
    # force_login is no login form: the test suite's helper is not held at the enrolment.
    assert client_for("admin").get(PAGE).status_code == 200


@pytest.mark.django_db
def test_an_unknown_action_changes_nothing(client_for):
    client = client_for("leader")
    response = client.post("/accounts/2fa/", {"action": "steal", "code": "123456"})
    assert response.status_code == 400
    assert "未知的操作" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
