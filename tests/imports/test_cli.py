"""`shouwei import observations FILE [--dry-run] [--user USERNAME]`."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shouwei.imports.models import ImportBatch, ImportStatus
from shouwei.indicators.models import Observation

from .helpers import csv_bytes, row, xlsx_bytes

pytestmark = pytest.mark.django_db


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_dry_run_prints_counts_and_writes_nothing(demo, tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_bytes(xlsx_bytes([row(period="2023-01"), row(period="2023-02")]))
    out, _err = _run("observations", str(path), "--dry-run")
    assert "2 行数据，将新增 2 条，将更新 0 条，错误 0 处" in out
    assert "没有写入任何数据" in out
    assert not Observation.objects.filter(period__startswith="2023").exists()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.VALID and batch.created_by == demo["admin"]


def test_it_commits_as_the_given_user(demo, tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(
        csv_bytes(
            [row(unit="hy-gxq-cyfz", indicator="industrial_va", period="2023-03")],
            encoding="gb18030",
        )
    )
    out, _err = _run("observations", str(path), "--user", "staff_cyfz")
    assert "已导入：新增 1 条，更新 0 条" in out
    obs = Observation.objects.get(period="2023-03")
    assert obs.entered_by == demo["staff_cyfz"] and obs.source == "导入：data.csv"
    assert ImportBatch.objects.get().status == ImportStatus.COMMITTED


def test_errors_are_listed_in_chinese_and_exit_with_code_1(demo, tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_bytes(xlsx_bytes([row(period="2023-04"), row(unit="hy-xxx", value="abc")]))
    with pytest.raises(CommandError) as exc:
        _run("observations", str(path))
    assert exc.value.returncode == 1
    assert "校验未通过" in str(exc.value)
    assert not Observation.objects.filter(period="2023-04").exists()


def test_errors_go_to_stderr_naming_row_and_column(demo, tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_bytes(xlsx_bytes([row(unit="hy-xxx"), row(period="2023-02", value="abc")]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "observations", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "第2行 “单位代码”：单位“hy-xxx”不存在",
        "第3行 “数值”：“abc”不是数字",
    ]


def test_a_user_without_rights_for_the_units_is_refused(demo, tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_bytes(xlsx_bytes([row(unit="hy-gxq-jjhz", period="2023-05")]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import",
            "observations",
            str(path),
            "--user",
            "staff_cyfz",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "第2行 “单位代码”：您无权以" in err.getvalue()


def test_a_user_who_may_not_import_at_all_is_refused(demo, tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_bytes(xlsx_bytes([row()]))
    with pytest.raises(CommandError, match="您无权导入观测值"):
        _run("observations", str(path), "--user", "leader")


def test_an_unknown_importer_user_or_file_is_a_clear_error(demo, tmp_path):
    with pytest.raises(CommandError, match=r"没有“nothing”这种导入；可用：.*observations"):
        _run("nothing", "x.xlsx")
    with pytest.raises(CommandError, match="用户“nobody”不存在"):
        _run("observations", "x.xlsx", "--user", "nobody")
    with pytest.raises(CommandError, match="无法读取文件"):
        _run("observations", str(tmp_path / "missing.xlsx"))


def test_without_a_superuser_the_user_must_be_named(db, tmp_path):
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(is_superuser=True).update(is_superuser=False)
    path = tmp_path / "data.xlsx"
    path.write_bytes(xlsx_bytes([row()]))
    with pytest.raises(CommandError, match="没有超级用户"):
        _run("observations", str(path))


def test_a_file_refused_as_a_whole_is_reported(demo, tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_bytes(b"plain text")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "observations", str(path), stdout=io.StringIO(), stderr=err)
    assert "不是有效的 .xlsx 工作簿" in err.getvalue()
