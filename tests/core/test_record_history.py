"""The record history page and the restore of a version (issue 16, deliverable 3): every
version with who, when, from where and what changed; the restore writes through the model's
write contract, is recorded in the history and the security log, and refuses cleanly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from shouwei.core.choices import Role
from shouwei.core.models import SecurityEvent, Unit
from shouwei.core.services import record_delete
from shouwei.core.testing import assert_queries_constant, assert_query_count
from shouwei.imports.models import ImportStatus
from shouwei.indicators import services
from shouwei.indicators.choices import ObservationStatus
from shouwei.indicators.models import Indicator, Observation
from tests.factories import user_with_role
from tests.imports.helpers import last_batch, row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

BASELINE = "tests/core/query_counts.json"
FIELDS = (
    "unit",
    "indicator",
    "period",
    "value",
    "growth",
    "published_rank",
    "rank_group",
    "rank_basis",
    "reporting_unit",
    "source",
    "note",
)


@pytest.fixture(autouse=True)
def import_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SHOUWEI_IMPORT_INLINE_ROWS = 1_000_000


def history_url(obs) -> str:
    return reverse("indicators:observation_history", args=[obs.pk])


def restore_url(obs) -> str:
    return reverse("indicators:observation_restore", args=[obs.pk])


def _import(client, value: str):
    upload(client, xlsx_bytes([row("hy-gxq", "industrial_va", "2023-03", value)]))
    batch = last_batch()
    client.post(reverse("imports:batch_commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED, batch.errors
    return batch


def _form_data(obs, **changes) -> dict:
    data = {k: v for k, v in model_to_dict(obs, fields=FIELDS).items() if v is not None}
    return data | changes


def _edit(obs, by, **changes) -> Observation:
    fields = {name: getattr(obs, name) for name in FIELDS} | changes
    return services.observation_update(by=by, instance=obs, **fields)


@pytest.fixture
def draft(demo):
    """产业发展局's draft figure for the zone: 6.9, then 7.1 (two versions by its clerk)."""
    clerk = demo["staff_cyfz"]
    obs = services.observation_create(
        unit=Unit.objects.get(code="hy-gxq"),
        indicator=Indicator.objects.get(code="industrial_va"),
        period="2023-04",
        value=Decimal("6.9"),
        by=clerk,
    )
    return _edit(obs, clerk, value=Decimal("7.1"))


def _versions(obs):
    return list(obs.history.order_by("history_id"))


# --- the page ------------------------------------------------------------------------------
def test_web_and_import_changes_show_who_when_and_which_import(client_for, demo):
    clerk = client_for("staff_cyfz")
    first = _import(clerk, "6.9")
    obs = Observation.objects.get(import_batch=first)
    response = clerk.post(
        reverse("indicators:observation_edit", args=[obs.pk]), _form_data(obs, value="7.1")
    )
    assert response.status_code == 302
    second = _import(clerk, "7.3")

    page = clerk.get(history_url(obs))
    assert page.status_code == 200
    rows = page.context["versions"]
    assert [r["source"] for r in rows] == [f"导入 #{second.pk}", "网页表单", f"导入 #{first.pk}"]
    assert rows[0]["source_url"] == second.get_absolute_url()
    assert rows[2]["source_url"] == first.get_absolute_url()
    assert ("数值", "7.1", "7.3") in rows[0]["changes"]
    assert ("数值", "6.9", "7.1") in rows[1]["changes"]  # the one number formatter: not 6.900
    assert all(r["user"] == demo["staff_cyfz"] for r in rows)
    assert rows[1]["date"] == obs.history.get(history_id=rows[1]["id"]).history_date
    html = page.content.decode()
    assert f'href="{first.get_absolute_url()}"' in html and "网页表单" in html
    # The detail page links here.
    detail = clerk.get(reverse("indicators:observation_detail", args=[obs.pk]))
    assert history_url(obs) in detail.content.decode()


def test_an_api_submission_is_marked_as_the_api(api_for, client_for, draft):
    response = api_for("staff_cyfz").post(f"/api/observations/{draft.pk}/submit")
    assert response.status_code == 200
    rows = client_for("staff_cyfz").get(history_url(draft)).context["versions"]
    # The service gives its own reason (提交审核), which the page shows instead of a channel.
    assert rows[0]["reason"] == "提交审核"
    assert ("状态", "草稿", "已提交") in rows[0]["changes"]


def test_another_units_clerk_gets_404_on_the_history_page(draft):
    outsider = user_with_role(Role.STAFF, Unit.objects.get(code="hy-smjk"), username="smjk-h")
    client = Client()
    client.force_login(outsider)
    assert client.get(history_url(draft)).status_code == 404
    assert client.get(history_url(draft) + "?export=xlsx").status_code == 404


def test_a_published_figure_shows_its_history_to_its_own_units_only(client_for, demo, draft):
    services.observation_submit(observation=draft, by=demo["staff_cyfz"])
    draft.refresh_from_db()
    services.observation_approve(observation=draft, by=demo["statistician"])
    outsider = user_with_role(Role.STAFF, Unit.objects.get(code="hy-smjk"), username="smjk-p")
    client = Client()
    client.force_login(outsider)
    assert client.get(reverse("indicators:observation_detail", args=[draft.pk])).status_code == 200
    assert client.get(history_url(draft)).status_code == 404
    assert client_for("statistician").get(history_url(draft)).status_code == 200


def test_the_history_exports_to_excel(client_for, draft):
    response = client_for("staff_cyfz").get(history_url(draft) + "?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_page_is_paginated(client_for, demo, draft):
    for i in range(55):
        draft = _edit(draft, demo["staff_cyfz"], note=f"第{i}次")
    client = client_for("staff_cyfz")
    first = client.get(history_url(draft))
    assert len(first.context["versions"]) == 50
    last = client.get(history_url(draft) + "?page=2")
    assert [r["type"] for r in last.context["versions"]][-1] == "创建"
    assert len(last.context["versions"]) == 57 - 50


def test_the_page_runs_the_same_queries_for_n_and_5n_versions(client_for, demo, draft):
    client = client_for("staff_cyfz")
    clerk = demo["staff_cyfz"]
    state = {"obs": draft}

    def grow():
        for i in range(8):
            # Each by another account: the page names each version's author.
            author = user_with_role(Role.STAFF, Unit.objects.get(code="hy-gxq-cyfz"))
            state["obs"] = _edit(state["obs"], author, value=Decimal(f"7.{i}"), note=str(i))

    def fetch():
        response = client.get(history_url(draft))
        assert response.status_code == 200
        return response

    for i in range(2):
        state["obs"] = _edit(state["obs"], clerk, value=Decimal(f"8.{i}"))
    assert_queries_constant(fetch, grow)
    with assert_query_count("indicators:observation_history:staff_cyfz", BASELINE):
        fetch()


# --- restore -------------------------------------------------------------------------------
def test_an_admin_restores_a_version_through_the_contract(client_for, demo, draft):
    created, _changed = _versions(draft)
    response = client_for("admin").post(
        restore_url(draft), {"version": created.history_id, "confirm": "1"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.value == Decimal("6.9")
    latest = draft.history.order_by("-history_id").first()
    assert latest.history_user == demo["admin"]
    assert latest.history_change_reason == f"恢复至版本 #{created.history_id}"
    event = SecurityEvent.objects.filter(kind="restore").latest("pk")
    assert f"version #{created.history_id}" in event.message and event.user_id == demo["admin"].pk
    page = client_for("admin").get(history_url(draft))
    assert page.context["versions"][0]["source"] == f"恢复至版本 #{created.history_id}"
    assert page.context["versions"][0]["restored_from"] == created.history_id


def test_restoring_a_submitted_figure_sends_it_back_to_draft(client_for, demo, draft):
    created, _changed = _versions(draft)
    services.observation_submit(observation=draft, by=demo["staff_cyfz"])
    client_for("admin").post(restore_url(draft), {"version": created.history_id, "confirm": "1"})
    draft.refresh_from_db()
    # The service's rule: a submitted figure that changes goes back to draft, so the
    # statistician does not approve something other than what was submitted.
    assert (draft.value, draft.status) == (Decimal("6.9"), ObservationStatus.DRAFT)
    reason = draft.history.order_by("-history_id").first().history_change_reason
    assert reason.startswith(f"恢复至版本 #{created.history_id}") and "退回草稿" in reason


def test_an_approved_figure_is_not_restored(client_for, demo, draft):
    created, _changed = _versions(draft)
    services.observation_submit(observation=draft, by=demo["staff_cyfz"])
    draft.refresh_from_db()
    services.observation_approve(observation=draft, by=demo["statistician"])
    count = draft.history.count()
    response = client_for("admin").post(
        restore_url(draft), {"version": created.history_id, "confirm": "1"}, follow=True
    )
    assert "更正" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.value, draft.status) == (Decimal("7.1"), ObservationStatus.APPROVED)
    assert draft.history.count() == count


def test_an_admin_role_holder_of_the_zone_may_restore(draft):
    zone_admin = user_with_role(Role.ADMIN, Unit.objects.get(code="hy-gxq"), username="gxq-adm")
    client = Client()
    client.force_login(zone_admin)
    created, _changed = _versions(draft)
    assert client.post(restore_url(draft), {"version": created.history_id, "confirm": "1"})
    draft.refresh_from_db()
    assert draft.value == Decimal("6.9")


@pytest.mark.parametrize(
    "who, status", [("staff_cyfz", 403), ("statistician", 403), ("leader", 403)]
)
def test_non_admins_are_refused_and_nothing_changes(client_for, draft, who, status):
    created, _changed = _versions(draft)
    response = client_for(who).post(
        restore_url(draft), {"version": created.history_id, "confirm": "1"}
    )
    assert response.status_code == status
    draft.refresh_from_db()
    assert draft.value == Decimal("7.1") and draft.history.count() == 2


def test_another_units_user_gets_404_on_restore(draft):
    outsider = user_with_role(Role.STAFF, Unit.objects.get(code="hy-smjk"), username="smjk-r")
    client = Client()
    client.force_login(outsider)
    created, _changed = _versions(draft)
    response = client.post(restore_url(draft), {"version": created.history_id, "confirm": "1"})
    assert response.status_code == 404


def test_get_on_restore_is_405(client_for, draft):
    assert client_for("admin").get(restore_url(draft)).status_code == 405


def _refused(client, obs, data) -> str:
    before = (obs.value, obs.history.count())
    response = client.post(restore_url(obs), data, follow=True)
    assert response.status_code == 200
    obs.refresh_from_db()
    assert (obs.value, obs.history.count()) == before
    return " ".join(str(m) for m in response.context["messages"])


def test_refusals_change_nothing(client_for, demo, draft):
    admin = client_for("admin")
    created, _changed = _versions(draft)
    assert "确认" in _refused(admin, draft, {"version": created.history_id})
    assert "没有该历史版本" in _refused(admin, draft, {"version": "999999999", "confirm": "1"})
    assert "没有该历史版本" in _refused(admin, draft, {"version": "x", "confirm": "1"})
    other = services.observation_create(
        unit=Unit.objects.get(code="hy-gxq"),
        indicator=Indicator.objects.get(code="industrial_va"),
        period="2023-05",
        value=Decimal("1"),
        by=demo["staff_cyfz"],
    )
    theirs = other.history.get().history_id
    assert "没有该历史版本" in _refused(admin, draft, {"version": theirs, "confirm": "1"})


def test_a_version_naming_a_record_that_no_longer_exists_is_refused(client_for, draft):
    created, _changed = _versions(draft)
    # The version named a unit deleted since (the history keeps its key).
    type(created).objects.filter(history_id=created.history_id).update(reporting_unit_id=987654)
    message = _refused(client_for("admin"), draft, {"version": created.history_id, "confirm": "1"})
    assert "已不存在" in message and "987654" in message


def test_a_deleted_record_is_not_restored(client_for, demo, draft):
    created, _changed = _versions(draft)
    pk = draft.pk
    record_delete(by=demo["staff_cyfz"], instance=draft)
    response = client_for("admin").post(
        reverse("indicators:observation_restore", args=[pk]),
        {"version": created.history_id, "confirm": "1"},
        follow=True,
    )
    assert "已被删除" in response.content.decode()
    assert not Observation.objects.filter(pk=pk).exists()


def test_the_restore_button_is_for_admins_only(client_for, draft):
    assert client_for("admin").get(history_url(draft)).context["restore_url"]
    assert client_for("staff_cyfz").get(history_url(draft)).context["restore_url"] is None
    assert (
        restore_url(draft) not in client_for("staff_cyfz").get(history_url(draft)).content.decode()
    )
