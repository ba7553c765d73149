"""Who may call the API: bearer tokens, the login session, and nobody else."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from shouwei.core.models import ApiToken


def bearer(key: str) -> Client:
    return Client(headers={"authorization": f"Bearer {key}"})


def test_it_accepts_a_valid_token(demo):
    _token, key = ApiToken.issue(user=demo["leader"], name="t")

    response = bearer(key).get("/api/units/hy-gxq")

    assert response.status_code == 200
    assert response.json()["code"] == "hy-gxq"


def test_it_refuses_a_request_without_credentials_with_401_in_chinese(demo):
    response = Client().get("/api/units")

    assert response.status_code == 401
    assert "未登录" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_refuses_an_unknown_token(demo):
    ApiToken.issue(user=demo["leader"], name="t")

    response = bearer("not-a-real-key").get("/api/units")

    assert response.status_code == 401
    assert response.json()["detail"] == "API 令牌无效"


def test_it_refuses_an_expired_token(demo):
    token, key = ApiToken.issue(user=demo["leader"], name="t")
    token.expires_at = timezone.now() - timedelta(seconds=1)
    token.save()

    response = bearer(key).get("/api/units")

    assert response.status_code == 401
    assert "已过期" in response.json()["detail"]


def test_it_accepts_a_token_that_has_not_expired_yet(demo):
    token, key = ApiToken.issue(user=demo["leader"], name="t")
    token.expires_at = timezone.now() + timedelta(days=1)
    token.save()

    assert bearer(key).get("/api/units").status_code == 200


def test_it_refuses_the_token_of_a_deactivated_account(demo):
    _token, key = ApiToken.issue(user=demo["leader"], name="t")
    demo["leader"].is_active = False
    demo["leader"].save()

    response = bearer(key).get("/api/units")

    assert response.status_code == 401
    assert "停用" in response.json()["detail"]


def test_a_bad_token_is_not_rescued_by_a_session(demo):
    client = Client(headers={"authorization": "Bearer wrong"})
    client.force_login(demo["leader"])

    assert client.get("/api/units").status_code == 401


def test_it_records_last_use_at_most_once_a_minute(demo):
    token, key = ApiToken.issue(user=demo["leader"], name="t")
    client = bearer(key)

    client.get("/api/units")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None

    client.get("/api/units")
    token.refresh_from_db()
    assert token.last_used_at == first

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get("/api/units")
    token.refresh_from_db()
    assert token.last_used_at > first


def test_a_logged_in_page_can_read_with_its_session(client_for):
    response = client_for("leader").get("/api/units/hy-gxq")

    assert response.status_code == 200


def test_a_session_write_without_csrf_token_is_refused_with_403(demo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo["statistician"])

    response = client.post("/api/observations/1/approve")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_a_session_write_with_csrf_token_passes_the_csrf_check(demo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo["staff_jjhz"])
    # Any page rendering {% csrf_token %} hands out the token; the docs page is one.
    page = client.get("/api/docs").content.decode()
    csrf = re.search(r'data-csrf-token="([^"]+)"', page).group(1)

    response = client.post(
        "/api/observations",
        {"unit": "hy-gxq-jjhz", "indicator": "jjhz-signed", "period": "2022-07", "value": "1.5"},
        content_type="application/json",
        headers={"x-csrftoken": csrf},
    )

    assert response.status_code == 201


def test_apitoken_command_prints_a_key_that_authenticates(demo):
    out, err = StringIO(), StringIO()

    call_command("apitoken", "statistician", "--name", "统计局对接", stdout=out, stderr=err)

    key = out.getvalue().strip()
    token = ApiToken.objects.get(user=demo["statistician"])
    assert token.name == "统计局对接"
    assert token.key_hash == ApiToken.hash_key(key)
    assert key not in err.getvalue()
    assert "只显示这一次" in err.getvalue()
    assert bearer(key).get("/api/units").status_code == 200


def test_apitoken_command_can_set_an_expiry(demo):
    call_command("apitoken", "leader", "--name", "短期", "--days", "7", stdout=StringIO())

    token = ApiToken.objects.get(user=demo["leader"])
    assert timedelta(days=6) < token.expires_at - timezone.now() <= timedelta(days=7)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "--name", "x"], "没有用户"),
        (["leader", "--name", "  "], "不能为空"),
        (["leader", "--name", "x", "--days", "0"], "正整数"),
    ],
)
def test_apitoken_command_refuses_bad_input_and_issues_nothing(demo, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("apitoken", *args, stdout=StringIO())

    assert not ApiToken.objects.exists()
