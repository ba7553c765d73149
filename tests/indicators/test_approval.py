"""Approval: draft → submitted → approved (→ corrected, with history), in services and pages."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shouwei.core.models import Unit
from shouwei.indicators import services
from shouwei.indicators.choices import ObservationStatus
from shouwei.indicators.models import Indicator, Observation


@pytest.fixture
def draft(demo):
    return services.observation_create(
        unit=Unit.objects.get(code="hy-gxq"),
        indicator=Indicator.objects.get(code="industrial_va"),
        period="2022Q3",
        growth=Decimal("10.2"),
        by=demo["staff_cyfz"],
    )


@pytest.fixture
def submitted(demo, draft):
    return services.observation_submit(observation=draft, by=demo["staff_cyfz"])


@pytest.fixture
def approved(demo, submitted):
    return services.observation_approve(observation=submitted, by=demo["statistician"])


def test_staff_creates_a_draft_reported_by_the_indicators_owner(demo, draft):
    assert draft.status == ObservationStatus.DRAFT
    assert draft.reporting_unit.code == "hy-gxq-cyfz"
    assert draft.entered_by == demo["staff_cyfz"]


def test_staff_cannot_create_for_a_unit_and_indicator_outside_its_scope(demo):
    with pytest.raises(PermissionDenied):
        services.observation_create(
            unit=Unit.objects.get(code="hy-gxq"),
            indicator=Indicator.objects.get(code="gdp"),  # reported by 统计中心
            period="2022Q3",
            growth=Decimal("1"),
            by=demo["staff_jjhz"],
        )
    assert not Observation.objects.filter(period="2022Q3").exists()


def test_staff_submits_its_draft(submitted):
    assert submitted.status == ObservationStatus.SUBMITTED
    assert submitted.submitted_at is not None


def test_only_drafts_can_be_submitted(demo, submitted):
    with pytest.raises(ValidationError):
        services.observation_submit(observation=submitted, by=demo["staff_cyfz"])


def test_another_department_cannot_submit_the_draft(demo, draft):
    with pytest.raises(PermissionDenied):
        services.observation_submit(observation=draft, by=demo["staff_jjhz"])


def test_statistician_approves(demo, approved):
    approved.refresh_from_db()
    assert approved.status == ObservationStatus.APPROVED
    assert approved.approved_by == demo["statistician"]
    assert approved.approved_at is not None


@pytest.mark.parametrize("username", ["staff_cyfz", "leader", "supervisor"])
def test_only_a_statistician_approves(demo, submitted, username):
    with pytest.raises(PermissionDenied):
        services.observation_approve(observation=submitted, by=demo[username])
    submitted.refresh_from_db()
    assert submitted.status == ObservationStatus.SUBMITTED


def test_approving_a_draft_is_refused(demo, draft):
    with pytest.raises(ValidationError):
        services.observation_approve(observation=draft, by=demo["statistician"])


def test_approved_observation_is_not_editable_by_anyone_but_through_a_correction(demo, approved):
    for username in ("staff_cyfz", "statistician", "leader"):
        assert not Observation.objects.editable_by(demo[username]).filter(pk=approved.pk)


@pytest.mark.parametrize("username", ["staff_cyfz", "statistician"])
def test_approved_observation_edit_page_is_refused(client_for, approved, username):
    url = reverse("indicators:observation_edit", args=[approved.pk])
    c = client_for(username)
    assert c.get(url).status_code in (403, 404)
    response = c.post(url, {"unit": approved.unit_id, "growth": "99"})
    assert response.status_code in (403, 404)
    approved.refresh_from_db()
    assert approved.growth == Decimal("10.2")


def test_approved_observation_cannot_be_deleted(client_for, approved):
    url = reverse("indicators:observation_delete", args=[approved.pk])
    assert client_for("staff_cyfz").post(url).status_code == 403
    assert Observation.objects.filter(pk=approved.pk).exists()


def test_correction_keeps_the_old_value_in_history_with_the_reason(demo, approved):
    corrected = services.observation_correct(
        observation=approved,
        by=demo["statistician"],
        reason="统计局反馈口径调整",
        growth=Decimal("10.8"),
    )
    assert corrected.growth == Decimal("10.8")
    assert corrected.status == ObservationStatus.APPROVED
    latest, before = corrected.history.order_by("-history_date", "-history_id")[:2]
    assert latest.history_change_reason == "更正：统计局反馈口径调整"
    assert before.growth == Decimal("10.2")
    assert latest.growth == Decimal("10.8")


def test_correcting_one_figure_keeps_the_others(demo, approved):
    Observation.objects.filter(pk=approved.pk).update(value=Decimal("120.5"))
    approved.refresh_from_db()
    corrected = services.observation_correct(
        observation=approved, by=demo["statistician"], reason="数值笔误", value=Decimal("121")
    )
    assert (corrected.value, corrected.growth) == (Decimal("121"), Decimal("10.2"))


def test_correction_needs_a_reason_and_a_statistician(demo, approved):
    with pytest.raises(ValidationError):
        services.observation_correct(
            observation=approved, by=demo["statistician"], reason="  ", growth=Decimal("1")
        )
    with pytest.raises(PermissionDenied):
        services.observation_correct(
            observation=approved, by=demo["staff_cyfz"], reason="改", growth=Decimal("1")
        )
    approved.refresh_from_db()
    assert approved.growth == Decimal("10.2")


def test_correcting_an_unapproved_observation_is_refused(demo, submitted):
    with pytest.raises(ValidationError):
        services.observation_correct(
            observation=submitted, by=demo["statistician"], reason="改", growth=Decimal("1")
        )


def test_correction_cannot_remove_every_figure(demo, approved):
    with pytest.raises(ValidationError):
        services.observation_correct(
            observation=approved, by=demo["statistician"], reason="清空", growth=None
        )
    approved.refresh_from_db()
    assert approved.growth == Decimal("10.2")


def test_reject_needs_a_reason_and_returns_to_draft(demo, submitted):
    with pytest.raises(ValidationError):
        services.observation_reject(observation=submitted, by=demo["statistician"], reason=" ")
    rejected = services.observation_reject(
        observation=submitted, by=demo["statistician"], reason="增速与月报不符"
    )
    assert rejected.status == ObservationStatus.DRAFT
    assert rejected.history.first().history_change_reason == "退回：增速与月报不符"


def test_staff_cannot_reject(demo, submitted):
    with pytest.raises(PermissionDenied):
        services.observation_reject(observation=submitted, by=demo["staff_cyfz"], reason="不对")


# --- the same through the pages ------------------------------------------------------------


def _post(client, action, obs, data=None):
    return client.post(reverse(f"indicators:observation_{action}", args=[obs.pk]), data or {})


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_web_submit_then_approve(client_for, draft):
    response = _post(client_for("staff_cyfz"), "submit", draft)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ObservationStatus.SUBMITTED
    assert _post(client_for("statistician"), "approve", draft).status_code == 302
    draft.refresh_from_db()
    assert draft.status == ObservationStatus.APPROVED


def test_web_approve_by_staff_is_403(client_for, submitted):
    response = _post(client_for("staff_cyfz"), "approve", submitted)
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == ObservationStatus.SUBMITTED


def test_web_approve_of_a_draft_shows_a_message(client_for, draft):
    response = _post(client_for("statistician"), "approve", draft)
    assert response.status_code == 302
    assert any("已提交" in m for m in _messages(response))
    draft.refresh_from_db()
    assert draft.status == ObservationStatus.DRAFT


def test_web_action_on_an_invisible_draft_is_404(client_for, draft):
    assert _post(client_for("staff_jjhz"), "submit", draft).status_code == 404


def test_web_actions_refuse_get(client_for, submitted):
    url = reverse("indicators:observation_approve", args=[submitted.pk])
    assert client_for("statistician").get(url).status_code == 405


def test_web_reject_without_reason_changes_nothing(client_for, submitted):
    response = _post(client_for("statistician"), "reject", submitted, {"reason": ""})
    assert response.status_code == 302
    assert any("原因" in m for m in _messages(response))
    submitted.refresh_from_db()
    assert submitted.status == ObservationStatus.SUBMITTED


def test_web_reject_with_reason(client_for, submitted):
    _post(client_for("statistician"), "reject", submitted, {"reason": "请核对"})
    submitted.refresh_from_db()
    assert submitted.status == ObservationStatus.DRAFT


def test_web_correction_keeps_history_and_shows_it(client_for, approved):
    c = client_for("statistician")
    response = _post(c, "correct", approved, {"growth": "10.9", "reason": "统计局终审数"})
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.growth == Decimal("10.9")
    page = c.get(approved.get_absolute_url()).content.decode()
    assert "更正：统计局终审数" in page
    # The old and the new figure, through the one number formatter (10.2, not 10.200).
    assert "<del>10.2</del> → 10.9" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"value": "一百", "reason": "笔误"}, "数值"),
        ({"growth": "abc", "reason": "笔误"}, "同比增长"),
        ({"growth": "NaN", "reason": "笔误"}, "同比增长"),
        ({"value": "1" * 30, "reason": "笔误"}, "数值"),
        ({"published_rank": "0", "growth": "1", "reason": "笔误"}, "公布排名"),
        ({"published_rank": "第一", "growth": "1", "reason": "笔误"}, "公布排名"),
        ({"growth": "1"}, "原因"),
    ],
)
def test_web_correction_with_bad_input_names_the_field_and_changes_nothing(
    client_for, approved, data, field
):
    response = _post(client_for("statistician"), "correct", approved, data)
    assert response.status_code == 302
    messages = _messages(response)
    assert any(field in m for m in messages), messages
    approved.refresh_from_db()
    assert approved.growth == Decimal("10.2")


def test_web_correction_removing_every_figure_shows_a_message(client_for, approved):
    response = _post(client_for("statistician"), "correct", approved, {"reason": "清空"})
    assert response.status_code == 302
    assert _messages(response)
    approved.refresh_from_db()
    assert approved.growth == Decimal("10.2")


def test_web_correction_by_staff_is_403(client_for, approved):
    response = _post(client_for("staff_cyfz"), "correct", approved, {"growth": "1", "reason": "x"})
    assert response.status_code == 403
    approved.refresh_from_db()
    assert approved.growth == Decimal("10.2")


def test_a_statistician_cannot_approve_a_figure_they_entered(demo):
    own = services.observation_create(
        unit=Unit.objects.get(code="hy-gxq"),
        indicator=Indicator.objects.get(code="retail_sales"),
        period="2022Q3",
        growth=Decimal("2.0"),
        by=demo["statistician"],
        status=ObservationStatus.SUBMITTED,
    )
    with pytest.raises(PermissionDenied, match="不能审核自己填报"):
        services.observation_approve(observation=own, by=demo["statistician"])
    own.refresh_from_db()
    assert own.status == ObservationStatus.SUBMITTED


def test_editing_a_submitted_figure_returns_it_to_draft(demo, client_for, submitted):
    url = reverse("indicators:observation_edit", args=[submitted.pk])
    data = {
        "unit": submitted.unit_id,
        "indicator": submitted.indicator_id,
        "period": submitted.period,
        "growth": "10.9",
        "reporting_unit": submitted.reporting_unit_id,
    }
    response = client_for("staff_cyfz").post(url, data)
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ObservationStatus.DRAFT
    assert submitted.growth == Decimal("10.9")
    assert submitted.history.first().history_change_reason == "提交后修改，退回草稿待重新提交"
