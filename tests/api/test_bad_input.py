"""Bad input is answered 4xx with a Chinese message naming the field, and nothing is written."""

from decimal import Decimal

import pytest

from shouwei.indicators.models import Observation

GOOD = {
    "unit": "hy-gxq-jjhz",
    "indicator": "jjhz-signed",
    "period": "2022-07",
    "value": "12.5",
    "reporting_unit": "hy-gxq-jjhz",
}


@pytest.fixture
def staff(api_for):
    return api_for("staff_jjhz")


def post(client, body):
    return client.post("/api/observations", body, content_type="application/json")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"period": "2022-13"}, "period", "期间“2022-13”的月份应在 1—12 之间"),
        ({"period": "下半年"}, "period", "无法识别的期间“下半年”"),
        ({"indicator": "gpd"}, "indicator", "没有代码为“gpd”的指标"),
        ({"unit": "atlantis"}, "unit", "没有代码为“atlantis”的单位"),
        ({"rank_group": "nope"}, "rank_group", "没有代码为“nope”的比较组"),
        ({"value": "十二点五"}, "value", "应为数字"),
        ({"value": "12,5"}, "value", "应为数字"),
        ({"growth": "NaN"}, "growth", "应为数字"),
        ({"published_rank": 0}, "published_rank", "不能小于 1"),
        ({"published_rank": "first"}, "published_rank", "应为整数"),
        ({"rank_basis": "best"}, "rank_basis", "应为以下之一"),
        ({"submit": "maybe"}, "submit", "应为 true 或 false"),
        ({"source": "长" * 301}, "source", "不能超过 300 个字符"),
        ({"value": "1" * 17}, "value", "16"),
        # What pydantic's Decimal would take but the schema does not admit.
        ({"value": " 5"}, "value", "应为数字"),
        ({"value": "1e3"}, "value", "应为数字"),
        ({"value": "6.12345"}, "value", "最多 4 位小数"),
        ({"growth": "6.9 "}, "growth", "应为数字"),
        ({"growth": "1.2345"}, "growth", "最多 3 位小数"),
        ({"published_rank": 3}, "rank_basis", "须说明按总量还是按增速排名"),
    ],
)
def test_bad_field_is_refused_in_chinese_naming_the_field(staff, change, field, message):
    before = Observation.objects.count()

    response = post(staff, {**GOOD, **change})

    assert response.status_code == 422, response.content
    body = response.json()
    assert message in " ".join(body["errors"][field])
    assert field in body["detail"]
    assert Observation.objects.count() == before


def test_a_missing_field_is_named(staff):
    response = post(staff, {"unit": "hy-gxq-jjhz", "value": "1"})

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["indicator"] == ["必须填写"]
    assert errors["period"] == ["必须填写"]
    assert "指标（indicator）：必须填写" in response.json()["detail"]


def test_every_unknown_code_is_named_at_once(staff):
    response = post(staff, {**GOOD, "unit": "nowhere", "indicator": "nothing"})

    assert set(response.json()["errors"]) == {"unit", "indicator"}


def test_an_observation_without_any_figure_is_refused(staff):
    response = post(staff, {**GOOD, "value": None})

    assert response.status_code == 422
    assert response.json()["detail"].startswith("数值、同比增长和公布排名至少填写一项")
    assert not Observation.objects.filter(period="2022-07").exists()


def test_a_second_figure_for_the_same_period_is_refused_however_the_period_is_spelt(staff):
    assert post(staff, GOOD).status_code == 201

    response = post(staff, {**GOOD, "period": "2022-7", "value": "13"})

    assert response.status_code == 422
    assert "已经存在" in response.json()["detail"]
    assert Observation.objects.get(period="2022-07").value == Decimal("12.5")


def test_a_body_that_is_not_json_is_refused(staff):
    response = staff.post("/api/observations", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"].startswith("请求体无法解析")
    assert not Observation.objects.filter(period="2022-07").exists()


def test_a_page_larger_than_the_maximum_is_refused_not_cut_short(staff):
    response = staff.get("/api/observations?page_size=501")

    assert response.status_code == 422
    assert response.json()["errors"] == {"page_size": ["不能大于 500"]}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("period=2022-13", "period"),
        ("period_from=2022Q5", "period_from"),
        ("period_to=someday", "period_to"),
        ("status=lost", "status"),
        ("page=0", "page"),
    ],
)
def test_bad_list_filters_are_refused_in_chinese(staff, query, field):
    response = staff.get(f"/api/observations?{query}")

    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]


def test_an_unknown_observation_action_target_is_404_not_500(staff):
    assert staff.post("/api/observations/0/submit").status_code == 404


def test_a_mistyped_path_gets_a_json_404(staff):
    response = staff.get("/api/observation")

    assert response.status_code == 404
    assert response.json()["detail"] == "没有这个接口：/api/observation"
