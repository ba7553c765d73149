"""Indicators, observations, rankings, targets and the cockpit on the Hengyang demo."""

import pytest


@pytest.fixture
def api(api_for):
    return api_for("leader")


def items(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["items"]


# --- indicators -----------------------------------------------------------------------------


def test_indicators_filter_by_category(api):
    found = [i["code"] for i in items(api.get("/api/indicators?category=economy"))]

    assert found == ["gdp", "industrial_va", "service_revenue", "retail_sales"]


def test_indicator_detail_by_code(api):
    body = api.get("/api/indicators/registered_unemployment_rate").json()

    assert body["direction"] == "lower"
    assert body["measure"] == "%"
    assert body["owner_unit"] == "hy-gxq-shsy"
    assert body["category_label"] == "民生保障"


def test_unknown_indicator_is_404_in_chinese(api):
    response = api.get("/api/indicators/nope")

    assert response.status_code == 404
    assert "没有代码为“nope”的指标" in response.json()["detail"]


def test_indicators_with_an_unknown_category_are_refused_in_chinese(api):
    response = api.get("/api/indicators?category=weather")

    assert response.status_code == 422
    assert response.json()["errors"]["category"][0].startswith("应为以下之一")


# --- observations ---------------------------------------------------------------------------


def test_observations_filter_by_unit_indicator_and_period(api):
    found = items(api.get("/api/observations?unit=hy-gxq&indicator=gdp&period=2022H1"))

    assert len(found) == 1
    gdp = found[0]
    assert gdp["growth"] == "6.9"
    assert gdp["value"] is None
    assert gdp["published_rank"] == 1
    assert gdp["rank_group"] == "hy-5d2p"
    assert gdp["period_label"] == "2022年1—6月"
    assert gdp["status"] == "approved"


def test_observations_period_filter_accepts_the_spellings_of_a_period(api):
    by_code = items(api.get("/api/observations?unit=hy-zh&indicator=gdp&period=2022-05"))
    by_chinese = items(api.get("/api/observations?unit=hy-zh&indicator=gdp&period=2022年5月"))

    assert [o["id"] for o in by_code] == [o["id"] for o in by_chinese]
    assert len(by_code) == 1


def test_observations_filter_by_period_range(api):
    found = items(
        api.get("/api/observations?unit=hy-zh&indicator=gdp&period_from=2022-01&period_to=2022-03")
    )

    assert [o["period"] for o in found] == ["2022-03", "2022-02", "2022-01"]


def test_observations_filter_by_category(api):
    found = items(api.get("/api/observations?unit=hy-gxq&category=innovation&page_size=500"))

    assert {o["indicator"]["code"] for o in found} == {
        "tech_sme_registered",
        "rd_expenditure",
        "tech_contract_turnover",
        "new_provincial_rd_platforms",
        "new_talent_teams",
        "phd_recruited",
    }


def test_observations_filter_by_status(api_for, demo):
    staff = api_for("staff_jjhz")
    staff.post(
        "/api/observations",
        {"unit": "hy-gxq-jjhz", "indicator": "jjhz-signed", "period": "2022-07", "value": "3"},
        content_type="application/json",
    )

    drafts = items(staff.get("/api/observations?status=draft"))

    assert [(o["unit"]["code"], o["period"]) for o in drafts] == [("hy-gxq-jjhz", "2022-07")]


def test_observations_are_paginated(api):
    first = api.get("/api/observations?page_size=50").json()
    second = api.get("/api/observations?page_size=50&page=2").json()

    assert len(first["items"]) == 50
    assert first["count"] == second["count"] > 100
    assert not {o["id"] for o in first["items"]} & {o["id"] for o in second["items"]}


def test_observations_filter_by_unknown_unit_is_404(api):
    response = api.get("/api/observations?unit=atlantis")

    assert response.status_code == 404
    assert "atlantis" in response.json()["detail"]


def test_observation_detail(api):
    gdp = items(api.get("/api/observations?unit=hy-gxq&indicator=gdp&period=2022H1"))[0]

    body = api.get(f"/api/observations/{gdp['id']}").json()

    assert body == gdp


def test_missing_observation_is_404_in_chinese(api):
    response = api.get("/api/observations/999999")

    assert response.status_code == 404
    assert response.json()["detail"] == "没有编号为 999999 的观测值，或您无权查看"


# --- rankings -------------------------------------------------------------------------------


def test_ranking_of_gdp_growth_puts_the_zone_first(api):
    response = api.get("/api/rankings?group=hy-5d2p&indicator=gdp&period=2022H1&basis=growth")

    assert response.status_code == 200
    body = response.json()
    assert body["computed"] is True
    first = body["entries"][0]
    assert first["unit"]["code"] == "hy-gxq"
    assert first["figure"] == "6.9"
    assert first["computed_rank"] == 1
    assert first["published_rank"] == 1
    assert first["source"] == "computed"
    assert first["mismatch"] is False
    assert [e["rank"] for e in body["entries"]] == sorted(e["rank"] for e in body["entries"])
    assert len(body["entries"]) == 7


def test_ranking_of_industrial_growth_agrees_with_the_published_second_place(api):
    body = api.get("/api/rankings?group=hy-5d2p&indicator=industrial_va&period=2022H1").json()

    zone = next(e for e in body["entries"] if e["unit"]["code"] == "hy-gxq")
    assert (zone["computed_rank"], zone["published_rank"], zone["mismatch"]) == (2, 2, False)


def test_ranking_with_only_a_published_rank_says_so(api):
    body = api.get(
        "/api/rankings?group=hy-5d2p&indicator=civilised_city_assessment&period=2022H1&basis=value"
    ).json()

    assert body["computed"] is False
    zone = body["entries"][0]
    assert (zone["unit"]["code"], zone["rank"], zone["source"]) == ("hy-gxq", 1, "published")
    assert all(e["source"] == "missing" for e in body["entries"][1:])


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("group=nope&indicator=gdp&period=2022H1", 404, "比较组"),
        ("group=hy-5d2p&indicator=nope&period=2022H1", 404, "指标"),
        ("group=hy-5d2p&indicator=gdp&period=2022H3", 422, "无法识别的期间"),
        ("group=hy-5d2p&indicator=gdp&period=2022H1&basis=best", 422, "应为以下之一"),
        ("group=hy-5d2p&indicator=gdp", 422, "必须填写"),
    ],
)
def test_ranking_refuses_bad_parameters_in_chinese(api, query, status, message):
    response = api.get(f"/api/rankings?{query}")

    assert response.status_code == status
    assert message in response.json()["detail"]


# --- targets --------------------------------------------------------------------------------


def test_targets_filter_by_unit_and_year(api):
    found = items(api.get("/api/targets?unit=hy-gxq&year=2022"))

    assert len(found) == 8
    assert all(t["unit"]["code"] == "hy-gxq" and t["light"] is None for t in found)
    assert items(api.get("/api/targets?unit=hy-gxq&year=2021")) == []


def test_targets_carry_the_cockpit_light_for_a_period(api):
    found = {t["name"]: t for t in items(api.get("/api/targets?unit=hy-gxq&period=2022H1"))}

    gdp = found["地区生产总值增速排名"]
    assert gdp["label"] == "第一"
    assert gdp["light"]["colour"] == "green"
    assert gdp["light"]["reason"] == "第1名，守住保底目标第1名"
    assert found["全国国家高新区综合排名"]["light"]["colour"] == "grey"


def test_targets_of_every_visible_unit_get_their_own_light(api):
    found = items(api.get("/api/targets?period=2022H1"))

    units = {t["unit"]["code"] for t in found}
    assert {"hy-gxq", "hy-zbq"} <= units
    assert all(t["light"] is not None for t in found)


# --- cockpit --------------------------------------------------------------------------------


def test_cockpit_gives_gdp_growth_and_rank(api):
    response = api.get("/api/cockpit?unit=hy-gxq&period=2022H1")

    assert response.status_code == 200
    body = response.json()
    assert body["unit"]["code"] == "hy-gxq"
    assert body["period_label"] == "2022年1—6月"
    economy = next(c for c in body["categories"] if c["code"] == "economy")
    assert economy["label"] == "经济运行"
    gdp = next(card for card in economy["cards"] if card["indicator"]["code"] == "gdp")
    assert gdp["observation"]["growth"] == "6.9"
    assert gdp["rank"]["rank"] == 1
    assert gdp["group"] == {"code": "hy-5d2p", "name": "五区两园"}
    assert gdp["group_size"] == 7
    assert [t["light"]["colour"] for t in gdp["targets"]] == ["green"]


def test_cockpit_lists_every_target_with_a_light(api):
    body = api.get("/api/cockpit?unit=hy-gxq&period=2022H1").json()

    assert len(body["targets"]) == 8
    assert {t["light"]["colour"] for t in body["targets"]} <= {"green", "yellow", "red", "grey"}


def test_cockpit_of_a_department_is_404(api):
    response = api.get("/api/cockpit?unit=hy-gxq-cyfz&period=2022H1")

    assert response.status_code == 404
    assert "驾驶舱" in response.json()["detail"]


def test_cockpit_needs_a_valid_period(api):
    response = api.get("/api/cockpit?unit=hy-gxq&period=2022-13")

    assert response.status_code == 422
    assert response.json()["errors"]["period"] == ["期间“2022-13”的月份应在 1—12 之间"]
