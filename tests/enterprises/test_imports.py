"""Enterprises and assignments through the shared import framework: the USCC checked per row
with the expected check character named, the contract and the model's rules per row."""

from shouwei.enterprises.models import Enterprise, LiaisonAssignment
from shouwei.imports.engine import format_error
from shouwei.imports.registry import get_importer
from shouwei.imports.services import batch_commit, batch_upload
from tests.imports.helpers import csv_bytes

ENTERPRISE = [
    "统一社会信用代码",
    "企业名称",
    "行业代码",
    "规模",
    "重点企业",
    "所在街道代码",
    "服务部门代码",
]
ASSIGNMENT = [
    "干部登录名",
    "派出单位代码",
    "企业统一社会信用代码",
    "项目代码",
    "开始日期",
    "结束日期",
]


def run(key, headers, rows, user):
    batch = batch_upload(
        importer=get_importer(key),
        content=csv_bytes(rows, headers),
        filename="t.csv",
        user=user,
        inline=True,
    )
    return batch, [format_error(e) for e in batch.errors]


def _row(code, name="导入企业"):
    return [code, name, "C39", "规上", "是", "hy-gxq-hx", "hy-gxq-cyfz"]


def test_a_wrong_check_character_is_refused_naming_the_expected_one(zone):
    batch, errors = run("enterprises", ENTERPRISE, [_row("914403001922038217")], zone.dispatcher)
    assert batch.status == "invalid"
    assert any("第 18 位应为 6" in e for e in errors), errors


def test_lower_case_codes_are_imported_in_capitals(zone):
    batch, errors = run("enterprises", ENTERPRISE, [_row("9144030071526726xg")], zone.dispatcher)
    assert batch.status == "valid", errors
    batch_commit(batch=batch, user=zone.dispatcher, inline=True)
    assert Enterprise.objects.get(uscc="9144030071526726XG").name == "导入企业"


def test_a_code_twice_in_one_file_is_refused(zone):
    rows = [_row("9144030071526726XG"), _row("9144030071526726xg", "又一家")]
    batch, errors = run("enterprises", ENTERPRISE, rows, zone.dispatcher)
    assert batch.status == "invalid" and errors


def test_an_existing_code_updates_the_enterprise(zone):
    code = zone.enterprise.uscc
    batch, errors = run("enterprises", ENTERPRISE, [_row(code, "改名后的企业")], zone.dispatcher)
    assert batch.status == "valid", errors
    batch_commit(batch=batch, user=zone.dispatcher, inline=True)
    zone.enterprise.refresh_from_db()
    assert zone.enterprise.name == "改名后的企业"


def test_another_department_cannot_import_enterprises_it_does_not_serve(zone):
    batch, errors = run("enterprises", ENTERPRISE, [_row("91350100M000100Y43")], zone.clerk)
    assert batch.status == "invalid" and any("无权" in e for e in errors), errors
    assert not Enterprise.objects.filter(uscc="91350100M000100Y43").exists()


def test_assignments_import_and_refuse_an_overlap(zone):
    row = ["t-cadre", "hy-gxq-cyfz", zone.enterprise.uscc, "", "2022-01-01", ""]
    batch, errors = run("enterprise-assignments", ASSIGNMENT, [row], zone.dispatcher)
    assert batch.status == "valid", errors
    batch_commit(batch=batch, user=zone.dispatcher, inline=True)
    assert LiaisonAssignment.objects.filter(cadre=zone.cadre, enterprise=zone.enterprise).exists()
    again = ["t-cadre", "hy-gxq-cyfz", zone.enterprise.uscc, "", "2022-03-01", "2022-04-01"]
    batch, errors = run("enterprise-assignments", ASSIGNMENT, [again], zone.dispatcher)
    assert batch.status == "invalid" and any("不能重叠" in e for e in errors), errors


def test_an_assignment_naming_a_bad_uscc_names_the_expected_check(zone):
    row = ["t-cadre", "hy-gxq-cyfz", "9144030071526726XH", "", "2022-01-01", ""]
    batch, errors = run("enterprise-assignments", ASSIGNMENT, [row], zone.dispatcher)
    assert batch.status == "invalid" and any("应为 G" in e for e in errors), errors
