"""The API under the same contract: an enterprise's contact reaches only its own requests."""

import pytest
from django.test import Client

from shouwei.core.models import ApiToken
from shouwei.enterprises import services


def api(user) -> Client:
    _token, key = ApiToken.issue(user=user, name="tests")
    return Client(headers={"authorization": f"Bearer {key}"})


@pytest.fixture
def filed(zone):
    mine = services.request_file(
        by=zone.contact, enterprise=zone.enterprise, category="policy", description="我的诉求"
    )
    theirs = services.request_file(
        by=zone.other_contact, enterprise=zone.other, category="land", description="别人的诉求"
    )
    return mine, theirs


def test_a_contact_lists_only_its_own_requests(zone, filed):
    mine, _theirs = filed
    body = api(zone.contact).get("/api/enterprise-requests").json()
    assert [r["id"] for r in body["items"]] == [mine.pk]


def test_another_enterprise_s_request_is_404_and_logged(zone, filed, security_log):
    _mine, theirs = filed
    response = api(zone.contact).get(f"/api/enterprise-requests/{theirs.pk}")
    assert response.status_code == 404
    assert "detail" in response.json()
    assert any(f"#{theirs.pk}" in r.getMessage() for r in security_log.records)


def test_a_contact_files_through_the_api_for_its_own_enterprise_only(zone):
    c = api(zone.contact)
    ok = c.post(
        "/api/enterprise-requests",
        {"enterprise": zone.enterprise.uscc.lower(), "category": "hiring", "description": "招工"},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["channel"] == "portal"
    refused = c.post(
        "/api/enterprise-requests",
        {"enterprise": zone.other.uscc, "category": "hiring", "description": "招工"},
        content_type="application/json",
    )
    assert refused.status_code == 404


def test_rating_an_unanswered_request_through_the_api_is_422(zone, filed):
    mine, _ = filed
    response = api(zone.contact).post(
        f"/api/enterprise-requests/{mine.pk}/rate",
        {"satisfaction": 5},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "尚未答复" in str(response.json())


def test_the_rates_count_on_time_satisfied_and_reopened(zone, filed):
    mine, theirs = filed
    for req in (mine, theirs):
        req = services.request_accept(by=zone.dispatcher, request=req, department=zone.jjhz)
        services.request_answer(by=zone.clerk, request=req, answer="已办")
    services.request_rate(by=zone.contact, request=mine, satisfaction=5)
    services.request_rate(by=zone.other_contact, request=theirs, satisfaction=1)
    body = api(zone.leader).get(f"/api/enterprise-rates?unit=hy-gxq&year={mine.filed_on.year}")
    r = body.json()
    assert (r["due"], r["on_time"], r["on_time_rate"]) == (1, 1, "1")
    assert (r["rated"], r["satisfied"], r["satisfaction_rate"]) == (2, 1, "0.5")
    assert (r["answered"], r["reopened"], r["reopen_rate"]) == (2, 1, "0.5")
