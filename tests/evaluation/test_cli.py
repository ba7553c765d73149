"""`shouwei evaluate` end to end, through the installed console script, with no Django set-up."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

SHOUWEI = str(Path(sys.executable).parent / "shouwei")
DATA = (
    "园区,规模工业增加值增速,实际使用外资,城镇调查失业率\n"
    "衡阳高新区,9.8,1.2,4.1\n"
    "松木经开区,8.1,0.9,4.8\n"
    "白沙园区,10.5,0.4,5.2\n"
    "综保区,6.0,1.5,3.9\n"
)


def run(*args, cwd):
    # No DJANGO_SETTINGS_MODULE, no data directory: the evaluation must not need them.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd)}
    return subprocess.run(
        [SHOUWEI, "evaluate", *args], capture_output=True, text=True, cwd=cwd, env=env
    )


@pytest.fixture
def data_csv(tmp_path):
    path = tmp_path / "peers.csv"
    path.write_bytes(DATA.encode("gb18030"))
    return path


def test_csv_output_has_score_rank_and_monte_carlo_columns(tmp_path, data_csv):
    out = tmp_path / "ranks.csv"
    done = run(
        str(data_csv),
        "--method",
        "topsis",
        "--weights",
        "entropy",
        "--directions",
        "城镇调查失业率:-",
        "--mc",
        "500",
        "--seed",
        "42",
        "-o",
        str(out),
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [
        "单位",
        "得分",
        "排名",
        "名次中位数",
        "名次5%分位",
        "名次95%分位",
        "第1名概率",
        "前2名概率",
    ]
    assert [int(r["排名"]) for r in rows] == [1, 2, 3, 4]
    assert {r["单位"] for r in rows} == {"衡阳高新区", "松木经开区", "白沙园区", "综保区"}
    for r in rows:
        assert int(r["名次5%分位"]) <= int(r["名次中位数"]) <= int(r["名次95%分位"])
        assert 0.0 <= float(r["第1名概率"]) <= float(r["前2名概率"]) <= 1.0
    again = tmp_path / "again.csv"
    run(
        str(data_csv),
        "--method",
        "topsis",
        "--weights",
        "entropy",
        "--directions",
        "城镇调查失业率:-",
        "--mc",
        "500",
        "--seed",
        "42",
        "-o",
        str(again),
        cwd=tmp_path,
    )
    assert again.read_text(encoding="utf-8-sig") == out.read_text(encoding="utf-8-sig")


def test_json_output_carries_parameters_weights_warnings_and_what_it_takes(tmp_path, data_csv):
    done = run(
        str(data_csv),
        "--method",
        "weighted_sum",
        "--weights",
        "critic",
        "--mc",
        "200",
        "--what-it-takes",
        "松木经开区",
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    seed = document["parameters"]["monte_carlo"]["seed"]
    assert f"--seed {seed}" in done.stderr
    assert [i["indicator"] for i in document["indicators"]] == [
        "规模工业增加值增速",
        "实际使用外资",
        "城镇调查失业率",
    ]
    assert abs(sum(i["weight"] for i in document["indicators"]) - 1) < 1e-12
    assert document["what_it_takes"]["unit"] == "松木经开区"
    assert len(document["what_it_takes"]["changes"]) == 3


def test_xlsx_output_has_results_indicators_and_parameters_sheets(tmp_path, data_csv):
    out = tmp_path / "ranks.xlsx"
    done = run(
        str(data_csv),
        "--method",
        "vikor",
        "--mc",
        "100",
        "--seed",
        "1",
        "-o",
        str(out),
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    book = load_workbook(out, read_only=True)
    assert book.sheetnames[:3] == ["结果", "指标", "参数"]
    rows = list(book["结果"].iter_rows(values_only=True))
    assert rows[0][:3] == ("单位", "得分", "排名")
    assert [r[2] for r in rows[1:]] == sorted(r[2] for r in rows[1:])


def _sheet_rows(path, name):
    rows = list(load_workbook(path, read_only=True)[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_directions_read_forward_and_reverse_in_chinese(tmp_path, data_csv):
    out = tmp_path / "ranks.xlsx"
    done = run(
        str(data_csv),
        "--directions",
        "城镇调查失业率:-",
        "--what-it-takes",
        "松木经开区",
        "-o",
        str(out),
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    directions = {r["指标"]: r["方向"] for r in _sheet_rows(out, "指标")}
    assert directions == {
        "规模工业增加值增速": "正向",
        "实际使用外资": "正向",
        "城镇调查失业率": "逆向",
    }
    changes = _sheet_rows(out, "前进一名")
    assert {r["方向"] for r in changes} == {"正向", "逆向"}
    assert {r["求解方式"] for r in changes} <= {
        "解析求解",
        "二分搜索",
        "权重为零",
        "单项调整无法前进",
    }


def test_lang_en_writes_the_english_names(tmp_path, data_csv):
    csv_out, xlsx_out = tmp_path / "ranks.csv", tmp_path / "ranks.xlsx"
    for out in (csv_out, xlsx_out):
        args = ["--directions", "城镇调查失业率:-", "--mc", "100", "--seed", "3", "--lang", "en"]
        done = run(str(data_csv), *args, "-o", str(out), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    with csv_out.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == [
        "unit",
        "score",
        "rank",
        "median_rank",
        "rank_p05",
        "rank_p95",
        "p_first",
        "p_within_k",
    ]
    assert load_workbook(xlsx_out, read_only=True).sheetnames == [
        "results",
        "indicators",
        "parameters",
    ]
    directions = {r["indicator"]: r["direction"] for r in _sheet_rows(xlsx_out, "indicators")}
    assert directions["城镇调查失业率"] == "lower is better"
    assert directions["实际使用外资"] == "higher is better"


def test_json_keeps_its_keys_and_numeric_directions_in_either_language(tmp_path, data_csv):
    documents = []
    for lang in ("zh", "en"):
        args = ["--directions", "城镇调查失业率:-", "--format", "json", "--lang", lang]
        done = run(str(data_csv), *args, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        documents.append(json.loads(done.stdout))
    assert documents[0] == documents[1]
    assert [i["direction"] for i in documents[0]["indicators"]] == [1, 1, -1]
    assert list(documents[0]["results"][0])[:3] == ["unit", "score", "rank"]


@pytest.mark.parametrize(
    ("method", "fmt"),
    [
        ("weighted_sum", "csv"),
        ("geometric", "json"),
        ("topsis", "xlsx"),
        ("vikor", "csv"),
        ("efficacy", "json"),
    ],
)
def test_every_method_runs_from_the_command_line(tmp_path, data_csv, method, fmt):
    out = tmp_path / f"{method}.{fmt}"
    done = run(str(data_csv), "--method", method, "--format", fmt, "-o", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 0


def test_bad_input_exits_2_with_a_chinese_message_naming_the_cell(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("园区,GDP\n甲,1\n乙,一百\n", encoding="utf-8")
    done = run(str(path), cwd=tmp_path)
    assert done.returncode == 2
    assert "错误：第 3 行（乙）「GDP」列的值「一百」不是数字" in done.stderr
    assert done.stdout == ""


def test_an_inconsistent_ahp_matrix_stops_the_run(tmp_path, data_csv):
    ahp = tmp_path / "ahp.csv"
    ahp.write_text(
        ",规模工业增加值增速,实际使用外资,城镇调查失业率\n"
        "规模工业增加值增速,1,9,1/9\n实际使用外资,1/9,1,9\n城镇调查失业率,9,1/9,1\n",
        encoding="utf-8",
    )
    done = run(str(data_csv), "--weights", f"ahp:{ahp}", cwd=tmp_path)
    assert done.returncode == 2
    assert "CR = " in done.stderr and "> 0.1" in done.stderr


def test_strict_refuses_weights_not_summing_to_one(tmp_path, data_csv):
    weights = tmp_path / "w.csv"
    weights.write_text(
        "指标,权重\n规模工业增加值增速,0.5\n实际使用外资,0.3\n城镇调查失业率,0.3\n",
        encoding="utf-8",
    )
    lenient = run(str(data_csv), "--weights", str(weights), cwd=tmp_path)
    assert lenient.returncode == 0 and "提示：权重之和为 1.1" in lenient.stderr
    strict = run(str(data_csv), "--weights", str(weights), "--strict", cwd=tmp_path)
    assert strict.returncode == 2 and "严格模式" in strict.stderr
