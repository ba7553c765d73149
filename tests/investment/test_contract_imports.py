"""The contracts importer: the contract services' rules row by row, all or nothing, only the
lead's own department; actual milestone dates move the lead on, and undoing moves it back."""

from datetime import date
from decimal import Decimal

import pytest

from shouwei.imports.engine import format_error
from shouwei.imports.registry import get_importer
from shouwei.imports.services import batch_commit, batch_rollback, batch_upload
from shouwei.investment import services
from shouwei.investment.models import Contract, Lead, LeadStep
from tests.factories import LeadFactory
from tests.imports.helpers import csv_bytes

pytestmark = pytest.mark.django_db

HEADERS = [
    "线索",
    "签约金额（万元）",
    "签约日期",
    "主要条款",
    "计划注册日期",
    "实际注册日期",
    "资金到位期限",
    "实际到位资金（万元）",
    "到位资金说明",
    "计划开工日期",
    "实际开工日期",
    "计划投产日期",
    "实际投产日期",
]


def row(lead, **kw):
    base = dict.fromkeys(HEADERS, "")
    base.update(
        {
            "线索": f"#{lead.pk}",
            "签约金额（万元）": "30000",
            "签约日期": "2022-05-01",
            "主要条款": "投资强度不低于300万元/亩",
            "计划注册日期": "2022-06-01",
            "资金到位期限": "2023-12-31",
            "实际到位资金（万元）": "12000",
            "计划开工日期": "2022-08-01",
            "计划投产日期": "2023-10-01",
        }
    )
    base.update(kw)
    return [base[h] for h in HEADERS]


def run(rows, user):
    batch = batch_upload(
        importer=get_importer("investment-contracts"),
        content=csv_bytes(rows, HEADERS),
        filename="contracts.csv",
        user=user,
        inline=True,
    )
    return batch, [format_error(e) for e in batch.errors]


def snapshot(lead):
    c = Contract.objects.get(lead=lead)
    fresh = Lead.objects.get(pk=lead.pk)
    return (
        c.signed_amount,
        c.signed_on,
        c.terms,
        c.funds_in_place,
        c.registration_actual,
        c.start_actual,
        fresh.stage,
        fresh.signed_on,
        LeadStep.objects.filter(lead=lead).count(),
    )


def test_a_good_file_updates_the_contracts_and_moves_the_leads_on(signed, clerk):
    rows = [
        row(signed, 签约日期="2022-05-03", 实际注册日期="2022-06-10", 实际开工日期="2022-08-15")
    ]
    batch, errors = run(rows, clerk)
    assert batch.status == "valid", errors
    batch_commit(batch=batch, user=clerk, inline=True)
    contract = Contract.objects.get(lead=signed)
    assert contract.terms == "投资强度不低于300万元/亩"
    assert contract.funds_in_place == Decimal(12000)
    assert contract.fulfilment_rate == Decimal("0.4")
    assert contract.registration_planned == date(2022, 6, 1)
    assert contract.production_planned == date(2023, 10, 1)
    assert contract.start_actual == date(2022, 8, 15)
    assert contract.import_batch_id == batch.pk
    lead = Lead.objects.get(pk=signed.pk)
    assert lead.stage == "started" and lead.signed_on == date(2022, 5, 3)
    assert lead.registered_on == date(2022, 6, 10) and lead.started_on == date(2022, 8, 15)
    step = LeadStep.objects.filter(lead=lead).latest("pk")
    assert (step.from_stage, step.to_stage) == ("signed", "started")
    assert f"导入批次#{batch.pk}" in step.reason


def test_the_lead_is_found_by_its_name_too(signed, clerk):
    batch, errors = run([row(signed, 线索=signed.project_name)], clerk)
    assert batch.status == "valid", errors


def test_undoing_the_batch_restores_the_contract_and_moves_the_lead_back(signed, clerk):
    before = Contract.objects.get(lead=signed)
    batch, _errors = run([row(signed, 实际注册日期="2022-06-10")], clerk)
    batch_commit(batch=batch, user=clerk, inline=True)
    assert Lead.objects.get(pk=signed.pk).stage == "registered"
    batch_rollback(batch=batch, user=clerk)
    after = Contract.objects.get(lead=signed)
    assert (after.terms, after.funds_in_place, after.registration_actual) == (
        before.terms,
        before.funds_in_place,
        None,
    )
    lead = Lead.objects.get(pk=signed.pk)
    assert lead.stage == "signed" and lead.registered_on is None


@pytest.mark.parametrize(
    ("change", "column", "why"),
    [
        ({"签约金额（万元）": ""}, "签约金额（万元）", "必填"),
        ({"签约日期": ""}, "签约日期", "必填"),
        ({"签约金额（万元）": "0"}, "签约金额（万元）", "签约金额须大于零"),
        ({"签约日期": "2099-01-01"}, "签约日期", "晚于今天"),
        ({"签约日期": "2021-01-01"}, "签约日期", "不能早于线索日期"),
        ({"签约日期": "下个月"}, "签约日期", "不是日期"),
        ({"实际到位资金（万元）": "30000.01"}, "到位资金说明", "超过签约金额"),
        ({"实际开工日期": "2099-01-01"}, "实际开工日期", "晚于今天"),
        ({"实际注册日期": "2022-04-30"}, "实际注册日期", "早于签约日期"),
        ({"线索": "#999999"}, "线索", "不存在或您无权访问"),
        ({"线索": "没有这个项目"}, "线索", "不存在或您无权访问"),
    ],
)
def test_a_bad_row_names_its_row_field_and_reason_and_writes_nothing(
    signed, clerk, change, column, why
):
    before = snapshot(signed)
    batch, errors = run([row(signed, **change)], clerk)
    assert batch.status == "invalid"
    assert any(e.startswith(f"第2行 “{column}”：") and why in e for e in errors), errors
    assert snapshot(signed) == before


def test_funds_above_the_signed_amount_pass_with_a_note(signed, clerk):
    extra = {"实际到位资金（万元）": "31000", "到位资金说明": "增资"}
    batch, errors = run([row(signed, **extra)], clerk)
    assert batch.status == "valid", errors


def test_an_unsigned_lead_is_signed_on_the_board_not_by_import(lead, clerk):
    batch, errors = run([row(lead)], clerk)
    assert batch.status == "invalid"
    assert any("第2行 “线索”：" in e and "尚未签约" in e for e in errors), errors
    assert not Contract.objects.filter(lead=lead).exists()


def test_a_lost_lead_is_refused(signed, clerk):
    Lead.objects.filter(pk=signed.pk).update(lost=True, lost_reason="投资方撤回")
    _batch, errors = run([row(signed)], clerk)
    assert any("已流失" in e for e in errors), errors


def test_an_actual_date_on_the_board_cannot_be_cleared_by_import(signed, clerk):
    services.lead_move(by=clerk, lead=signed, to_stage="registered", on=date(2022, 6, 10))
    before = snapshot(signed)
    _batch, errors = run([row(signed)], clerk)
    assert any(e.startswith("第2行 “实际注册日期”：") and "不能在导入中清空" in e for e in errors)
    assert snapshot(signed) == before


@pytest.mark.parametrize("second", ["number", "name"])
def test_the_same_lead_twice_in_one_file_is_refused(signed, clerk, second):
    before = snapshot(signed)
    again = f"#{signed.pk}" if second == "number" else signed.project_name
    batch, errors = run([row(signed), row(signed, 线索=again)], clerk)
    assert batch.status == "invalid" and any(e.startswith("第3行") for e in errors), errors
    assert snapshot(signed) == before


def test_another_department_cannot_import_the_contract(signed, demo):
    before = snapshot(signed)
    batch, errors = run([row(signed)], demo["staff_cyfz"])
    assert batch.status != "valid"
    assert any("第2行 “线索”：" in e for e in errors), errors
    assert snapshot(signed) == before


def test_a_name_shared_by_two_leads_asks_for_the_number(signed, clerk):
    LeadFactory(project_name=signed.project_name, investor="另一家投资方有限公司")
    _batch, errors = run([row(signed, 线索=signed.project_name)], clerk)
    assert any("请填线索编号" in e for e in errors), errors
