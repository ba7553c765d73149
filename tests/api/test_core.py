"""Units and peer groups on the Hengyang demo."""

import pytest


@pytest.fixture
def api(api_for):
    return api_for("leader")


def codes(response) -> list[str]:
    return [item["code"] for item in response.json()["items"]]


def test_units_list_is_paginated_with_a_count(api):
    body = api.get("/api/units?page_size=5").json()

    assert len(body["items"]) == 5
    assert body["count"] > 5


def test_units_filter_by_kind(api):
    response = api.get("/api/units?kind=department")

    assert response.status_code == 200
    assert "hy-gxq-cyfz" in codes(response)
    assert all(u["kind"] == "department" for u in response.json()["items"])


def test_units_filter_by_parent_lists_direct_children(api):
    found = codes(api.get("/api/units?parent=hy&page_size=500"))

    assert "hy-gxq" in found
    assert "hy-gxq-cyfz" not in found


def test_units_search_by_name(api):
    assert codes(api.get("/api/units?q=高新区&kind=zone")) == ["hy-gxq"]


def test_units_filter_by_unknown_parent_is_404(api):
    response = api.get("/api/units?parent=nowhere")

    assert response.status_code == 404
    assert "nowhere" in response.json()["detail"]


def test_unit_detail_by_code(api):
    body = api.get("/api/units/hy-gxq").json()

    assert body["name"] == "衡阳国家高新技术产业开发区"
    assert body["kind_label"] == "开发区/高新区"
    assert body["parent"] == "hy"


def test_unknown_unit_is_404_in_chinese(api):
    response = api.get("/api/units/atlantis")

    assert response.status_code == 404
    assert response.json()["detail"] == "没有代码为“atlantis”的单位，或您无权查看"


def test_peer_groups_list_and_detail(api):
    assert codes(api.get("/api/peer-groups")) == ["hy-5d2p", "hy-class-b"]
    assert api.get("/api/peer-groups/hy-5d2p").json()["name"] == "五区两园"
    assert api.get("/api/peer-groups/nope").status_code == 404


def test_peer_group_members_for_a_year(api):
    members = api.get("/api/peer-groups/hy-5d2p/members?year=2022").json()

    assert len(members) == 7
    assert members[0]["code"] == "hy-gxq"


def test_peer_group_has_no_members_in_a_year_without_membership(api):
    assert api.get("/api/peer-groups/hy-class-b/members?year=2021").json() == []


def test_peer_group_members_need_a_year(api):
    response = api.get("/api/peer-groups/hy-5d2p/members")

    assert response.status_code == 422
    assert response.json()["errors"] == {"year": ["必须填写"]}
