"""The rules of the issue's "Bad input" list, each refused with a clear message and no write."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shouwei.core import clock
from shouwei.core.models import Unit
from shouwei.investment import services
from shouwei.investment.models import Contract, FortuneListEntry, Lead, LeadStep

pytestmark = pytest.mark.django_db


def messages_of(exc) -> str:
    return " ".join(exc.value.messages)


# --- stages ---------------------------------------------------------------------------------
def test_a_stage_moved_backwards_without_a_reason_is_refused(reviewed, clerk):
    with pytest.raises(ValidationError) as exc:
        services.lead_move(by=clerk, lead=reviewed, to_stage="contact", on=date(2022, 4, 20))
    assert "须说明原因" in messages_of(exc)
    reviewed.refresh_from_db()
    assert reviewed.stage == "negotiation"


def test_a_stage_moved_backwards_with_a_reason_is_on_the_timeline(reviewed, clerk):
    services.lead_move(
        by=clerk, lead=reviewed, to_stage="intent", on=date(2022, 4, 20), reason="企业重新评估选址"
    )
    reviewed.refresh_from_db()
    assert reviewed.stage == "intent" and reviewed.negotiation_on is None
    step = reviewed.steps.order_by("-pk").first()
    assert step.backwards and step.reason == "企业重新评估选址"


def test_signing_without_an_amount_is_refused(reviewed, clerk):
    with pytest.raises(ValidationError) as exc:
        services.lead_move(by=clerk, lead=reviewed, to_stage="signed", on=date(2022, 5, 1))
    assert "签约金额" in messages_of(exc)
    assert not Contract.objects.filter(lead=reviewed).exists()


def test_signing_without_a_date_is_refused(reviewed, clerk):
    with pytest.raises(ValidationError) as exc:
        services.lead_move(
            by=clerk, lead=reviewed, to_stage="signed", on=None, signed_amount=Decimal(100)
        )
    assert "日期" in messages_of(exc)
    assert not Contract.objects.filter(lead=reviewed).exists()


def test_a_signing_date_in_the_future_is_refused(reviewed, clerk):
    tomorrow = clock.today() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.lead_move(
            by=clerk, lead=reviewed, to_stage="signed", on=tomorrow, signed_amount=Decimal(100)
        )
    assert "晚于今天" in messages_of(exc)
    assert not Contract.objects.filter(lead=reviewed).exists()


def test_a_contract_edited_to_a_future_signing_date_is_refused(signed, clerk):
    contract = signed.contract_record
    with pytest.raises(ValidationError) as exc:
        services.contract_update(
            by=clerk, instance=contract, signed_on=clock.today() + timedelta(days=1)
        )
    assert "晚于今天" in messages_of(exc)


def test_a_contract_without_an_amount_is_refused(signed, clerk):
    with pytest.raises(ValidationError) as exc:
        services.contract_update(by=clerk, instance=signed.contract_record, signed_amount=None)
    assert "签约金额" in messages_of(exc)


def test_signing_creates_the_contract_and_dates_the_stage(signed):
    assert signed.stage == "signed" and signed.signed_on == date(2022, 5, 1)
    assert signed.contract_record.signed_amount == Decimal(30000)


def test_signing_without_a_passed_review_needs_an_override_reason(lead, clerk):
    with pytest.raises(ValidationError) as exc:
        services.lead_move(
            by=clerk, lead=lead, to_stage="signed", on=date(2022, 5, 1), signed_amount=Decimal(1)
        )
    assert "准入评审" in messages_of(exc)
    services.lead_move(
        by=clerk,
        lead=lead,
        to_stage="signed",
        on=date(2022, 5, 1),
        signed_amount=Decimal(1),
        override_reason="党工委会议研究同意先行签约",
    )
    assert "破格签约" in LeadStep.objects.filter(lead=lead).order_by("-pk").first().reason


def test_a_later_stage_needs_the_signing_first(reviewed, clerk):
    with pytest.raises(ValidationError) as exc:
        services.lead_move(by=clerk, lead=reviewed, to_stage="started", on=date(2022, 5, 1))
    assert "签约" in messages_of(exc)


def test_a_signed_lead_cannot_go_back_before_signing(signed, clerk):
    with pytest.raises(ValidationError) as exc:
        services.lead_move(
            by=clerk, lead=signed, to_stage="negotiation", on=date(2022, 5, 2), reason="解约"
        )
    assert "流失" in messages_of(exc)


def test_registration_start_and_production_fulfil_the_contract(signed, clerk):
    services.lead_move(by=clerk, lead=signed, to_stage="registered", on=date(2022, 5, 10))
    services.lead_move(by=clerk, lead=signed, to_stage="started", on=date(2022, 6, 1))
    contract = Contract.objects.get(lead=signed)
    assert contract.registration_actual == date(2022, 5, 10)
    assert contract.start_actual == date(2022, 6, 1)


def test_losing_a_lead_needs_a_reason(lead, clerk):
    with pytest.raises(ValidationError):
        services.lead_lose(by=clerk, lead=lead, on=date(2022, 3, 1), reason=" ")
    services.lead_lose(by=clerk, lead=lead, on=date(2022, 3, 1), reason="落户他地")
    lead.refresh_from_db()
    assert lead.lost and lead.lost_reason == "落户他地"


# --- duplicates -----------------------------------------------------------------------------
def _new(clerk, **kw):
    fields = {
        "project_name": "智能终端产业园项目",
        "investor": "衡阳测试科技有限公司",
        "channel": "business",
        "industry": "C39",
        "planned_investment": Decimal(1000),
        "lead_on": date(2022, 3, 1),
        "owner_unit": Unit.objects.get(code="hy-gxq-jjhz"),
    }
    return services.lead_create(by=clerk, **(fields | kw))


def test_a_duplicate_investor_and_project_is_refused_naming_the_lead(clerk):
    first = _new(clerk)
    with pytest.raises(ValidationError) as exc:
        _new(clerk, not_duplicate=True)
    assert f"#{first.pk}" in messages_of(exc) and "相同投资方和项目" in messages_of(exc)
    assert Lead.objects.filter(project_name="智能终端产业园项目").count() == 1


def test_the_same_investor_with_another_project_asks_for_confirmation(clerk):
    first = _new(clerk)
    with pytest.raises(ValidationError) as exc:
        _new(clerk, project_name="完全不同的物流中心")
    assert "智能终端产业园项目" in messages_of(exc) and f"#{first.pk}" in messages_of(exc)
    assert _new(clerk, project_name="完全不同的物流中心", not_duplicate=True).pk


def test_a_near_same_project_name_says_which_lead_it_resembles(clerk):
    first = _new(clerk)
    with pytest.raises(ValidationError) as exc:
        _new(clerk, project_name="智能终端产业园（一期）项目", investor="另一家投资有限公司")
    assert "相近" in messages_of(exc) and f"#{first.pk}" in messages_of(exc)


def test_a_different_project_name_is_not_taken_for_a_duplicate(clerk):
    _new(clerk)
    assert _new(clerk, project_name="冷链物流园", investor="另一家投资有限公司").pk


# --- unknown codes ---------------------------------------------------------------------------
def test_an_unknown_channel_is_refused(clerk):
    with pytest.raises(ValidationError) as exc:
        _new(clerk, channel="lottery")
    assert "channel" in exc.value.message_dict


def test_an_unknown_chain_link_is_refused_by_the_form(clerk):
    from shouwei.investment.forms import LeadForm

    form = LeadForm(data={"chain_link": 999999}, user=clerk)
    assert not form.is_valid()
    assert "chain_link" in form.errors


def test_an_unknown_500_class_is_refused(clerk):
    entry = FortuneListEntry(year=2022, list_class="global1000", company="某公司")
    entry.owner_unit = Unit.objects.get(code="hy-gxq-jjhz")
    with pytest.raises(ValidationError) as exc:
        entry.full_clean()
    assert "list_class" in exc.value.message_dict


def test_an_event_channel_needs_its_event(clerk):
    with pytest.raises(ValidationError) as exc:
        _new(clerk, channel="event")
    assert "source_event" in exc.value.message_dict


# --- funds -----------------------------------------------------------------------------------
def test_funds_in_place_above_the_signed_amount_need_a_note(signed, clerk):
    contract = signed.contract_record
    with pytest.raises(ValidationError) as exc:
        services.contract_update(by=clerk, instance=contract, funds_in_place=Decimal(30001))
    assert "funds_note" in exc.value.message_dict
    contract.refresh_from_db()
    assert contract.funds_in_place == 0
    services.contract_update(
        by=clerk, instance=contract, funds_in_place=Decimal(30001), funds_note="企业增资"
    )
    contract.refresh_from_db()
    assert contract.funds_in_place == Decimal(30001)
    assert contract.fulfilment_rate > 1


def test_funds_equal_to_the_signed_amount_need_no_note(signed, clerk):
    services.contract_update(by=clerk, instance=signed.contract_record, funds_in_place=30000)
    assert Contract.objects.get(lead=signed).fulfilment_rate == 1


# --- scope -----------------------------------------------------------------------------------
def test_another_departments_user_cannot_edit_a_lead(lead, demo):
    with pytest.raises(PermissionDenied):
        services.lead_update(by=demo["staff_cyfz"], instance=lead, project_name="改名")
    lead.refresh_from_db()
    assert lead.project_name != "改名"


def test_another_departments_user_cannot_move_a_lead(lead, demo):
    with pytest.raises(PermissionDenied):
        services.lead_move(
            by=demo["staff_cyfz"], lead=lead, to_stage="contact", on=date(2022, 2, 1)
        )


def test_another_departments_user_gets_no_edit_page(lead, client_for):
    response = client_for("staff_cyfz").post(f"/investment/leads/{lead.pk}/edit/", {})
    assert response.status_code == 404
    assert client_for("staff_cyfz").get(f"/investment/leads/{lead.pk}/move/").status_code == 404


def test_the_zone_leader_reads_but_does_not_edit(lead, client_for, demo):
    leader = client_for("leader")
    assert leader.get(lead.get_absolute_url()).status_code == 200
    assert leader.post(f"/investment/leads/{lead.pk}/move/", {}).status_code == 403


def test_a_new_lead_is_created_at_the_lead_stage_with_its_first_step(clerk):
    lead = _new(clerk)
    assert lead.stage == "lead"
    assert list(lead.steps.values_list("to_stage", flat=True)) == ["lead"]
