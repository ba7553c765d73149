"""The API: the same scope and rules as the pages."""

import pytest

from shouwei.investment.models import Lead

pytestmark = pytest.mark.django_db


def _items(response):
    body = response.json()
    return body["items"] if isinstance(body, dict) and "items" in body else body


def test_the_leader_reads_the_leads_and_another_department_none(api_for):
    leader = _items(api_for("leader").get("/api/investment-leads", {"signed_year": 2022}))
    assert len(leader) == 20
    assert _items(api_for("staff_cyfz").get("/api/investment-leads")) == []


def test_another_departments_lead_is_not_found(api_for):
    lead = Lead.objects.get(short_name="虎牙直播")
    assert api_for("staff_cyfz").get(f"/api/investment-leads/{lead.pk}").status_code == 404
    assert api_for("leader").get(f"/api/investment-leads/{lead.pk}").status_code == 200


def test_the_summary_is_the_seeds_figures(api_for):
    body = api_for("leader").get("/api/investment-summary", {"year": 2022}).json()
    assert body["signed_count"] == 20 and body["event_count"] == 5
    assert body["fortune_count"] == 2 and body["intended_count"] == 16
    assert body["signed_amount"] == "711600"


def test_a_bad_year_is_a_clear_422(api_for):
    response = api_for("leader").get("/api/investment-summary", {"year": 99999})
    assert response.status_code == 422


def test_moving_back_without_a_reason_is_refused_through_the_api(api_for):
    lead = Lead.objects.get(short_name="杭州铂科电子")
    response = api_for("staff_jjhz").post(
        f"/api/investment-leads/{lead.pk}/move",
        {"to_stage": "lead", "on": "2022-07-20"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "须说明原因" in str(response.json())


def test_a_duplicate_lead_is_refused_through_the_api(api_for):
    lead = Lead.objects.get(short_name="杭州铂科电子")
    body = {
        "project_name": lead.project_name,
        "investor": lead.investor,
        "channel": "business",
        "industry": "C39",
        "planned_investment": "1000",
        "owner_unit": "hy-gxq-jjhz",
        "lead_on": "2022-07-01",
        "not_duplicate": True,
    }
    response = api_for("staff_jjhz").post(
        "/api/investment-leads", body, content_type="application/json"
    )
    assert response.status_code == 422 and f"#{lead.pk}" in str(response.json())


def test_another_department_cannot_file_for_jjhz(api_for):
    body = {
        "project_name": "越权线索",
        "investor": "越权投资方",
        "channel": "business",
        "industry": "C39",
        "planned_investment": "1000",
        "owner_unit": "hy-gxq-jjhz",
        "lead_on": "2022-07-01",
    }
    response = api_for("staff_cyfz").post(
        "/api/investment-leads", body, content_type="application/json"
    )
    assert response.status_code in (403, 404)
    assert not Lead.objects.filter(project_name="越权线索").exists()


def test_contracts_carry_their_overdue_milestones(api_for):
    items = _items(api_for("leader").get("/api/investment-contracts", {"year": 2022}))
    ali = next(c for c in items if c["project_name"] == "阿里巴巴集团数字经济产业园")
    assert "registration" in ali["overdue"]
