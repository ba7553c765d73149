"""API tokens used to live for ever with the user's full rights, and nothing limited the rate."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from shouwei.core.models import ApiToken


def _client(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_a_token_expires_by_default(demo, settings):
    token, _key = ApiToken.issue(user=demo["statistician"], name="对接")
    lifetime = token.expires_at - timezone.now()
    assert timedelta(days=settings.SHOUWEI_API_TOKEN_DAYS - 1) < lifetime
    assert lifetime <= timedelta(days=settings.SHOUWEI_API_TOKEN_DAYS)


def test_no_token_outlives_the_maximum(demo, settings):
    token, _key = ApiToken.issue(user=demo["statistician"], name="对接", days=10_000)
    assert token.expires_at - timezone.now() <= timedelta(days=settings.SHOUWEI_API_TOKEN_MAX_DAYS)
    with pytest.raises(CommandError, match="最长"):
        call_command("apitoken", "statistician", "--name", "x", "--days", "10000")


def test_a_read_only_token_reads_but_cannot_write(demo):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "apitoken", "statistician", "--name", "只读", "--read-only", stdout=out, stderr=err
    )
    assert "只读令牌" in err.getvalue()
    client = _client(out.getvalue().strip())
    assert client.get("/api/indicators").status_code == 200
    response = client.post(
        "/api/observations",
        {"unit": "hy-gxq", "indicator": "gdp", "period": "2023-05", "value": "1"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "只读令牌" in response.json()["detail"]


def test_a_full_token_still_writes(demo):
    _token, key = ApiToken.issue(user=demo["statistician"], name="写入")
    response = _client(key).post(
        "/api/observations",
        {"unit": "hy-gxq", "indicator": "gdp", "period": "2023-05", "value": "1"},
        content_type="application/json",
    )
    assert response.status_code in (200, 201)


def test_the_api_rate_is_limited_per_caller(demo, settings):
    settings.SHOUWEI_API_RATE_PER_MINUTE = 5
    _token, key = ApiToken.issue(user=demo["leader"], name="t")
    client = _client(key)
    codes = [client.get("/api/units").status_code for _ in range(6)]
    # (A minute boundary in the middle would start a new window: at most one more 200.)
    assert codes.count(429) >= 1 and codes[:5].count(200) >= 4
    last = client.get("/api/units")
    assert last.status_code == 429
    assert "请求过于频繁" in last.json()["detail"] and int(last["Retry-After"]) >= 1
    # Another caller is not held back.
    _token, other = ApiToken.issue(user=demo["statistician"], name="t")
    assert _client(other).get("/api/units").status_code == 200
