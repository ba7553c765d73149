"""The leads importer: the same rules as the form, all or nothing, scoped to the department."""

from decimal import Decimal

import pytest

from shouwei.imports.engine import format_error
from shouwei.imports.registry import get_importer
from shouwei.imports.services import batch_commit, batch_rollback, batch_upload
from shouwei.investment.models import Lead, LeadStep
from tests.imports.helpers import csv_bytes

pytestmark = pytest.mark.django_db

HEADERS = [
    "项目名称",
    "投资方",
    "招商渠道",
    "行业代码",
    "产业链环节",
    "计划投资（万元）",
    "500强榜单",
    "榜单年度",
    "上榜企业",
    "来源活动",
    "所属部门代码",
    "线索日期",
    "确认不是重复",
]


def row(**kw):
    base = {
        "项目名称": "冷链物流园项目",
        "投资方": "衡阳冷链物流有限公司",
        "招商渠道": "以商招商",
        "行业代码": "G59",
        "产业链环节": "",
        "计划投资（万元）": "20000",
        "500强榜单": "",
        "榜单年度": "",
        "上榜企业": "",
        "来源活动": "",
        "所属部门代码": "hy-gxq-jjhz",
        "线索日期": "2022-07-01",
        "确认不是重复": "",
    }
    base.update(kw)
    return [base[h] for h in HEADERS]


def run(rows, user):
    batch = batch_upload(
        importer=get_importer("investment-leads"),
        content=csv_bytes(rows, HEADERS),
        filename="leads.csv",
        user=user,
        inline=True,
    )
    return batch, "\n".join(format_error(e) for e in batch.errors)


def test_leads_import_at_the_lead_stage(demo):
    rows = [
        row(),
        row(项目名称="电子信息孵化器", 投资方="另一家孵化器有限公司", 产业链环节="电子信息·模组"),
    ]
    batch, errors = run(rows, demo["staff_jjhz"])
    assert batch.status == "valid", errors
    batch_commit(batch=batch, user=demo["staff_jjhz"], inline=True)
    lead = Lead.objects.get(project_name="冷链物流园项目")
    assert lead.stage == "lead" and lead.planned_investment == Decimal(20000)
    assert str(Lead.objects.get(project_name="电子信息孵化器").chain_link) == "电子信息·模组"


def test_unknown_channel_chain_link_and_500_class_are_refused(demo):
    rows = [
        row(招商渠道="抽奖招商"),
        row(项目名称="项目乙", 投资方="投资方乙", 产业链环节="电子信息·外星环节"),
        row(项目名称="项目丙", 投资方="投资方丙", **{"500强榜单": "宇宙500强"}),
        row(
            项目名称="项目丁",
            投资方="投资方丁",
            **{"500强榜单": "世界500强", "榜单年度": "2022", "上榜企业": "不在榜上的公司"},
        ),
    ]
    batch, errors = run(rows, demo["staff_jjhz"])
    assert batch.status == "invalid"
    assert "抽奖招商" in errors
    assert "产业链环节“电子信息·外星环节”不存在" in errors
    assert "宇宙500强" in errors
    assert "500强榜单中没有" in errors
    assert not Lead.objects.filter(project_name__in=["项目乙", "项目丙", "项目丁"]).exists()


def test_a_duplicate_of_an_existing_lead_names_it(demo):
    existing = Lead.objects.get(short_name="杭州铂科电子")
    rows = [row(项目名称=existing.project_name, 投资方=existing.investor, 确认不是重复="是")]
    batch, errors = run(rows, demo["staff_jjhz"])
    assert batch.status == "invalid" and f"#{existing.pk}" in errors


def test_a_near_same_name_needs_the_confirmation(demo):
    rows = [row(项目名称="杭州铂科电子（二期）项目", 投资方="新投资方有限公司")]
    _batch, errors = run(rows, demo["staff_jjhz"])
    assert "相近" in errors and "杭州铂科电子项目" in errors
    batch, errors = run([[*rows[0][:-1], "是"]], demo["staff_jjhz"])
    assert batch.status == "valid", errors


def test_another_department_cannot_import_for_jjhz(demo):
    batch, _errors = run([row()], demo["staff_cyfz"])
    assert batch.status != "valid"
    assert not Lead.objects.filter(project_name="冷链物流园项目").exists()


def test_an_event_channel_without_its_event_is_refused(demo):
    _batch, errors = run([row(招商渠道="重大活动签约")], demo["staff_jjhz"])
    assert "来源活动" in errors


def test_an_imported_lead_starts_its_timeline_like_one_made_on_the_page(demo):
    user = demo["staff_jjhz"]
    batch, errors = run([row()], user)
    assert batch.status == "valid", errors
    batch_commit(batch=batch, user=user, inline=True)
    lead = Lead.objects.get(project_name="冷链物流园项目")

    steps = list(lead.steps.values_list("from_stage", "to_stage", "on", "by"))
    assert steps == [("", "lead", lead.lead_on, user.pk)]
    assert lead.steps.get().history.count() == 1

    batch_rollback(batch=batch, user=user)
    assert not Lead.objects.filter(project_name="冷链物流园项目").exists()
    assert not LeadStep.objects.filter(lead_id=lead.pk).exists()
