"""The API: the same scope and rules as the pages."""

from datetime import date

from django.test import Client

from shouwei.core import clock
from shouwei.core.choices import Role
from shouwei.core.models import ApiToken, Unit
from shouwei.supervision import services
from shouwei.supervision.models import Milestone, PerformanceScheme, SupervisionNotice
from tests.factories import user_with_role

JSON = "application/json"


def test_goals_come_with_their_lights(api_for, demo):
    clock.set_demo_date(date(2022, 7, 29))
    body = api_for("staff_cyfz").get("/api/supervision/goals?year=2022").json()
    five_good = next(g for g in body if "五好" in g["title"])
    colours = {m["title"]: m["light"]["colour"] for m in five_good["milestones"]}
    assert colours["完成“五好”园区自评材料"] == "red"
    assert five_good["lead_unit"]["code"] == "hy-gxq-cyfz"


def test_signing_a_notice_addressed_to_another_department_is_refused(api_for, demo):
    notice = SupervisionNotice.objects.get(number="督办〔2022〕2号")  # 经济合作局's
    assert (
        api_for("staff_cyfz").post(f"/api/supervision/notices/{notice.pk}/sign").status_code == 404
    )
    response = api_for("staff_jjhz").post(f"/api/supervision/notices/{notice.pk}/sign")
    assert response.status_code == 200 and response.json()["status"] == "signed"


def test_a_backdated_report_without_a_reason_is_refused_with_the_field(api_for, demo):
    clock.set_demo_date(date(2022, 7, 29))
    m = Milestone.objects.get(title="8月高新产业发展公司实现外贸破零")
    clerk = user_with_role(Role.STAFF, Unit.objects.get(code="hy-zbq"), username="zbq-api")
    _token, key = ApiToken.issue(user=clerk, name="tests")
    client = Client(headers={"authorization": f"Bearer {key}"})
    body = {
        "milestone": m.pk,
        "unit": "hy-zbq",
        "reported_on": "2022-07-20",
        "text": "x",
        "percent": 50,
    }
    response = client.post("/api/supervision/progress-reports", body, content_type=JSON)
    assert response.status_code == 422
    assert "backdate_reason" in response.json()["errors"]
    body["backdate_reason"] = "系统故障未及时报送"
    response = client.post("/api/supervision/progress-reports", body, content_type=JSON)
    assert response.status_code == 201 and response.json()["backdated"] is True


def test_scores_of_the_latest_run(api_for, demo):
    scheme = PerformanceScheme.objects.get(year=2022)
    services.scheme_run(by=demo["supervisor"], scheme=scheme, as_of=date(2022, 7, 29))
    body = api_for("leader").get("/api/supervision/scores?year=2022").json()
    assert len(body) == 9 and body[0]["rank"] == 1
    assert all("facts" in item for item in body[0]["breakdown"])
