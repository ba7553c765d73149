"""The API sees and changes what the pages do: drafts stay within their units, approval is the
statistician's."""

import pytest

from shouwei.indicators.choices import ObservationStatus
from shouwei.indicators.models import Observation

DRAFT = {
    "unit": "hy-gxq-jjhz",
    "indicator": "jjhz-signed",
    "period": "2022-07",
    "value": "12.5",
    "reporting_unit": "hy-gxq-jjhz",
    "source": "经济合作局台账",
}


@pytest.fixture
def draft(api_for):
    """A draft observation staff_jjhz filed for its own department, through the API."""
    response = api_for("staff_jjhz").post(
        "/api/observations", DRAFT, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def ids(response) -> set[int]:
    assert response.status_code == 200
    return {o["id"] for o in response.json()["items"]}


def test_department_user_creates_a_draft_for_its_own_unit(draft, demo):
    assert draft["status"] == "draft"
    assert draft["value"] == "12.5"
    assert draft["entered_by"] == "staff_jjhz"
    stored = Observation.objects.get(pk=draft["id"])
    assert stored.entered_by == demo["staff_jjhz"]
    assert stored.history.first().history_user == demo["staff_jjhz"]


def test_department_user_cannot_see_another_departments_draft_in_the_list(draft, api_for):
    cyfz = api_for("staff_cyfz")

    assert draft["id"] not in ids(cyfz.get("/api/observations?page_size=500&status=draft"))
    assert draft["id"] not in ids(cyfz.get("/api/observations?unit=hy-gxq-jjhz"))


def test_department_user_cannot_read_another_departments_draft_by_id(draft, api_for):
    response = api_for("staff_cyfz").get(f"/api/observations/{draft['id']}")

    assert response.status_code == 404
    assert "或您无权查看" in response.json()["detail"]


def test_department_user_cannot_submit_another_departments_draft(draft, api_for):
    response = api_for("staff_cyfz").post(f"/api/observations/{draft['id']}/submit")

    assert response.status_code == 404
    assert Observation.objects.get(pk=draft["id"]).status == ObservationStatus.DRAFT


def test_the_zones_leader_sees_the_departments_draft(draft, api_for):
    leader = api_for("leader")

    assert draft["id"] in ids(leader.get("/api/observations?unit=hy-gxq-jjhz"))
    assert leader.get(f"/api/observations/{draft['id']}").json()["value"] == "12.5"


def test_a_draft_stays_out_of_rankings(draft, api_for):
    body = (
        api_for("leader")
        .get("/api/rankings?group=hy-5d2p&indicator=jjhz-signed&period=2022-07&basis=value")
        .json()
    )

    assert all(e["observation_id"] != draft["id"] for e in body["entries"])


def test_department_user_cannot_file_for_another_department(api_for):
    response = api_for("staff_cyfz").post(
        "/api/observations",
        {**DRAFT, "reporting_unit": None},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert (
        response.json()["detail"] == "您无权以“经济合作局”的名义填报“经济合作局”的指标“签约项目数”"
    )
    assert not Observation.objects.filter(period="2022-07").exists()


def test_statistician_approves_a_submitted_observation(draft, api_for, demo):
    submitted = api_for("staff_jjhz").post(f"/api/observations/{draft['id']}/submit")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"

    response = api_for("statistician").post(f"/api/observations/{draft['id']}/approve")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "approved"
    assert body["approved_by"] == "statistician"
    stored = Observation.objects.get(pk=draft["id"])
    assert stored.history.first().history_user == demo["statistician"]


def test_staff_cannot_approve_and_nothing_changes(draft, api_for):
    staff = api_for("staff_jjhz")
    staff.post(f"/api/observations/{draft['id']}/submit")

    response = staff.post(f"/api/observations/{draft['id']}/approve")

    assert response.status_code == 403
    assert response.json()["detail"] == "您无权审核该观测值"
    assert Observation.objects.get(pk=draft["id"]).status == ObservationStatus.SUBMITTED


def test_approving_a_draft_is_a_conflict_with_the_reason(draft, api_for):
    response = api_for("statistician").post(f"/api/observations/{draft['id']}/approve")

    assert response.status_code == 409
    assert response.json()["detail"] == "只有已提交的观测值可以审核通过"
    assert Observation.objects.get(pk=draft["id"]).status == ObservationStatus.DRAFT


def test_filing_with_submit_true_leaves_it_submitted(api_for):
    response = api_for("staff_jjhz").post(
        "/api/observations", {**DRAFT, "submit": True}, content_type="application/json"
    )

    assert response.status_code == 201
    assert response.json()["status"] == "submitted"
    assert response.json()["submitted_at"] is not None


def test_enterprise_contact_reads_only_published_figures(draft, api_for):
    enterprise = api_for("enterprise")

    found = enterprise.get("/api/observations?page_size=500&status=draft")
    assert ids(found) == set()
    assert enterprise.get(f"/api/observations/{draft['id']}").status_code == 404
