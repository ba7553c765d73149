"""``shouwei evaluate``: rank the units of a CSV by a composite index, without Django.

Example::

    shouwei evaluate peers.csv --method topsis --weights entropy \\
        --directions "城镇调查失业率:-" --mc 1000 --seed 42 -o ranks.xlsx

Output columns: 单位, 得分, 排名, and with ``--mc`` 名次中位数, 名次5%分位, 名次95%分位,
第1名概率, 前k名概率 (k from ``--k``); directions read 正向/逆向. Rows are in rank order.
``--lang en`` writes the English names instead (unit, score, rank, median_rank, rank_p05,
rank_p95, p_first, p_within_k; sheets results, indicators…; directions "higher is better" /
"lower is better"). JSON is for programs: its keys and codes are the English ones whatever
``--lang`` says, and a direction is 1 or -1 there. Warnings go to stderr; an input error prints
a message naming the row/indicator and exits with status 2.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from shouwei.evaluation.common import METHODS, MISSING_POLICIES, NORMALISATIONS
from shouwei.evaluation.data import (
    parse_directions,
    parse_targets,
    read_decision_matrix,
    read_pairwise,
    read_weights,
    weights_mapping,
)
from shouwei.evaluation.errors import EvaluationError
from shouwei.evaluation.pipeline import OBJECTIVE_WEIGHTS, Evaluation, WeightSpec, evaluate
from shouwei.evaluation.whatittakes import WhatItTakes, what_it_takes

FORMATS = ("csv", "json", "xlsx")
LANGUAGES = ("zh", "en")
EXIT_INPUT_ERROR = 2

# Column names of the CSV and .xlsx output in Chinese, the default. English (--lang en) keeps the
# names the output had before there was a choice, so scripts that read them keep working.
ZH_COLUMNS = {
    "unit": "单位",
    "score": "得分",
    "rank": "排名",
    "median_rank": "名次中位数",
    "rank_p05": "名次5%分位",
    "rank_p95": "名次95%分位",
    "p_first": "第1名概率",
    "indicator": "指标",
    "direction": "方向",
    "weight": "权重",
    "parameter": "参数",
    "value": "取值",
    "message": "提示",
    "current": "当前值",
    "required": "需达到",
    "change": "变动",
    "relative_change": "相对变动",
    "new_rank": "变动后名次",
    "how": "求解方式",
}
ZH_SHEETS = {
    "results": "结果",
    "indicators": "指标",
    "parameters": "参数",
    "warnings": "提示",
    "what_it_takes": "前进一名",
}
DIRECTION_WORDS = {
    "zh": {1: "正向", -1: "逆向"},
    "en": {1: "higher is better", -1: "lower is better"},
}
ZH_HOW = {
    "analytic": "解析求解",
    "bisection": "二分搜索",
    "zero_weight": "权重为零",
    "unreachable": "单项调整无法前进",
}
# What stderr lines start with.
PREFIXES = {
    "zh": {"error": "错误：", "note": "提示："},
    "en": {"error": "error: ", "note": "note: "},
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shouwei evaluate",
        description="综合评价：对 CSV 中的单位（第 1 列为单位名称，其后每列一个指标）"
        "计算综合得分与名次。",
    )
    parser.add_argument(
        "data", type=Path, help="数据 CSV（UTF-8、UTF-8-BOM 或 GB18030 编码，含表头）"
    )
    parser.add_argument(
        "--method", choices=METHODS, default="weighted_sum", help="集成方法（默认 weighted_sum）"
    )
    parser.add_argument(
        "--normalise",
        choices=NORMALISATIONS,
        default=None,
        help="标准化方法（默认随方法：weighted_sum/vikor 用 minmax，topsis 用 vector，"
        "geometric/efficacy 用 efficacy）",
    )
    parser.add_argument(
        "--weights",
        default="equal",
        help="权重：equal、entropy、critic、std、ahp:判断矩阵.csv，或「指标,权重」CSV 文件",
    )
    parser.add_argument(
        "--directions",
        default=None,
        help="逆向指标，如「城镇调查失业率:-」（逗号分隔），或「指标,方向」CSV 文件；"
        "未列出的为正向",
    )
    parser.add_argument(
        "--targets",
        default=None,
        help="目标/参照值（--normalise target 用），如「GDP:500」或「指标,目标值」CSV；"
        "未列出的以最优单位为参照",
    )
    parser.add_argument(
        "--missing",
        choices=MISSING_POLICIES,
        default="refuse",
        help="缺失值处理：refuse 拒绝（默认）、drop_indicator 剔除指标、impute_mean 同组均值插补",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="严格模式：权重和不为 1、常数指标等直接报错而不自动修正",
    )
    parser.add_argument("--v", type=float, default=0.5, help="VIKOR 的群体效用权重 v（默认 0.5）")
    parser.add_argument("--mc", type=int, default=0, help="蒙特卡洛抽样次数（如 1000；默认不做）")
    parser.add_argument("--seed", type=int, default=None, help="随机种子，给定即可完全复现")
    parser.add_argument(
        "--concentration",
        type=float,
        default=None,
        help="权重 Dirichlet 抽样的集中度 κ（越大越接近给定权重；默认 10×指标数）",
    )
    parser.add_argument(
        "--mc-normalise",
        default=None,
        help="蒙特卡洛中随机选用的标准化方法，逗号分隔（默认只用 --normalise）",
    )
    parser.add_argument(
        "--mc-method",
        default=None,
        help="蒙特卡洛中随机选用的集成方法，逗号分隔（默认只用 --method）",
    )
    parser.add_argument(
        "--k", type=int, default=2, help="p_within_k 中的目标名次 k（默认 2，保二）"
    )
    parser.add_argument(
        "--what-it-takes",
        metavar="UNIT",
        default=None,
        help="给出该单位前进一名所需的单项指标变化（需 --format json 或 xlsx）",
    )
    parser.add_argument("-o", "--output", type=Path, default=None, help="输出文件（默认标准输出）")
    parser.add_argument(
        "--format", choices=FORMATS, default=None, help="输出格式（默认按输出文件扩展名，否则 csv）"
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="zh",
        help="CSV/xlsx 的表头、工作表名和方向用语：zh 中文（默认）、en 英文；JSON 不受影响",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``shouwei evaluate``; returns the exit status."""
    args = build_parser().parse_args(argv)
    output_format = args.format or _format_from_suffix(args.output)
    try:
        if output_format == "xlsx" and args.output is None:
            raise EvaluationError(
                "xlsx 格式需要用 -o 指定输出文件（xlsx output needs -o FILE）", code="bad_option"
            )
        if args.what_it_takes and output_format == "csv":
            raise EvaluationError(
                "--what-it-takes 的结果需要 --format json 或 xlsx（needs json or xlsx output）",
                code="bad_option",
            )
        data = read_decision_matrix(args.data)
        result = evaluate(
            data,
            method=args.method,
            normalisation=args.normalise,
            weights=_weights_spec(args.weights, data.indicators),
            directions=parse_directions(args.directions, data.indicators),
            targets=parse_targets(args.targets, data.indicators),
            missing=args.missing,
            strict=args.strict,
            v=args.v,
            mc_draws=args.mc,
            seed=args.seed,
            concentration=args.concentration,
            mc_normalisations=_split(args.mc_normalise),
            mc_methods=_split(args.mc_method),
            k=args.k,
        )
        explanation = what_it_takes(result, args.what_it_takes) if args.what_it_takes else None
    except EvaluationError as error:
        sys.stderr.write(f"{PREFIXES[args.lang]['error']}{error}\n")
        return EXIT_INPUT_ERROR
    note = PREFIXES[args.lang]["note"]
    for warning in result.warnings:
        sys.stderr.write(f"{note}{warning}\n")
    if result.uncertainty is not None and args.seed is None:
        seed = result.uncertainty.seed
        sys.stderr.write(
            f"{note}the Monte Carlo seed was {seed}: add --seed {seed} to reproduce this result\n"
            if args.lang == "en"
            else f"{note}蒙特卡洛随机种子为 {seed}，加 --seed {seed} 可复现本次结果\n"
        )
    _write(result, explanation, output_format, args.output, lang=args.lang)
    return 0


def _format_from_suffix(path: Path | None) -> str:
    suffix = path.suffix.lower().lstrip(".") if path is not None else ""
    return suffix if suffix in FORMATS else "csv"


def _split(text: str | None) -> list[Any] | None:
    if text is None:
        return None
    return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]


def _weights_spec(text: str, indicators: Sequence[str]) -> WeightSpec:
    if text in OBJECTIVE_WEIGHTS:
        return text
    if text.startswith("ahp:"):
        return read_pairwise(text[len("ahp:") :], indicators)
    path = Path(text)
    if path.is_file():
        return weights_mapping(indicators, read_weights(path, indicators))
    raise EvaluationError(
        f"--weights「{text}」既不是 equal/entropy/critic/std/ahp:文件，也不是存在的权重文件"
        f"（--weights '{text}' is neither a method nor an existing file）",
        code="bad_option",
    )


def result_rows(result: Evaluation) -> list[dict[str, Any]]:
    """One dict per unit, in rank order (ties in input order)."""
    rows = []
    mc = result.uncertainty
    for i, unit in enumerate(result.units):
        row: dict[str, Any] = {
            "unit": unit,
            "score": float(result.scores[i]),
            "rank": int(result.ranks[i]),
        }
        if mc is not None:
            row |= {
                "median_rank": int(mc.median_rank[i]),
                "rank_p05": int(mc.rank_p05[i]),
                "rank_p95": int(mc.rank_p95[i]),
                "p_first": float(mc.p_first[i]),
                "p_within_k": float(mc.p_within_k[i]),
            }
        rows.append(row)
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["rank"], i))
    return [rows[i] for i in order]


def _indicator_rows(result: Evaluation) -> list[dict[str, Any]]:
    return [
        {
            "indicator": name,
            "direction": int(result.directions[j]),
            "weight": float(result.weights[j]),
        }
        for j, name in enumerate(result.indicators)
    ]


def _what_it_takes_rows(explanation: WhatItTakes) -> list[dict[str, Any]]:
    return [
        {
            "indicator": c.indicator,
            "direction": c.direction,
            "current": c.current,
            "required": c.required,
            "change": c.change,
            "relative_change": c.relative_change,
            "new_rank": c.new_rank,
            "how": c.how,
        }
        for c in explanation.changes
    ]


def _document(result: Evaluation, explanation: WhatItTakes | None) -> dict[str, Any]:
    document: dict[str, Any] = {
        "parameters": result.parameters,
        "indicators": _indicator_rows(result),
        "dropped": list(result.dropped),
        "higher_is_better": result.higher_is_better,
        "warnings": [{"code": w.code, "message": w.message} for w in result.warnings],
        "results": result_rows(result),
    }
    if result.ahp is not None:
        document["ahp"] = {
            "lambda_max": result.ahp.lambda_max,
            "consistency_index": result.ahp.consistency_index,
            "random_index": result.ahp.random_index,
            "consistency_ratio": result.ahp.consistency_ratio,
        }
    if explanation is not None:
        document["what_it_takes"] = {
            "unit": explanation.unit,
            "rank": explanation.rank,
            "message": explanation.message,
            "cheapest": explanation.cheapest.indicator if explanation.cheapest else None,
            "changes": _what_it_takes_rows(explanation),
        }
    return document


def _for_people(rows: list[dict[str, Any]], lang: str, *, k: int) -> list[dict[str, Any]]:
    """The rows as a person reads them in ``lang``: column names, directions, how a change was
    found. The machine rows (JSON) keep their English keys and codes."""
    columns = {**ZH_COLUMNS, "p_within_k": f"前{k}名概率"} if lang == "zh" else {}
    out = []
    for row in rows:
        shown = dict(row)
        if "direction" in shown:
            shown["direction"] = DIRECTION_WORDS[lang][shown["direction"]]
        if "how" in shown and lang == "zh":
            shown["how"] = ZH_HOW[shown["how"]]
        out.append({columns.get(key, key): value for key, value in shown.items()})
    return out


def _csv_text(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _write(
    result: Evaluation,
    explanation: WhatItTakes | None,
    output_format: str,
    path: Path | None,
    *,
    lang: str,
) -> None:
    if output_format == "xlsx" and path is not None:
        _write_xlsx(result, explanation, path, lang=lang)
        return
    if output_format == "json":
        text = json.dumps(_document(result, explanation), ensure_ascii=False, indent=2) + "\n"
        encoding = "utf-8"
    else:
        text = _csv_text(_for_people(result_rows(result), lang, k=_k(result)))
        # Excel opens a UTF-8 CSV correctly (Chinese unit names) only with a byte-order mark.
        encoding = "utf-8-sig"
    if path is None:
        sys.stdout.write(text)
    else:
        path.write_text(text, encoding=encoding)


def _k(result: Evaluation) -> int:
    return result.uncertainty.k if result.uncertainty is not None else 2


def _write_xlsx(
    result: Evaluation, explanation: WhatItTakes | None, path: Path, *, lang: str
) -> None:
    sheets: list[tuple[str, list[dict[str, Any]]]] = [
        ("results", result_rows(result)),
        ("indicators", _indicator_rows(result)),
        (
            "parameters",
            [
                {"parameter": key, "value": json.dumps(value, ensure_ascii=False)}
                for key, value in result.parameters.items()
            ],
        ),
    ]
    if result.warnings:
        sheets.append(("warnings", [{"message": w.message} for w in result.warnings]))
    if explanation is not None:
        sheets.append(("what_it_takes", _what_it_takes_rows(explanation)))
    workbook = xlsxwriter.Workbook(str(path))
    try:
        for name, rows in sheets:
            title = ZH_SHEETS[name] if lang == "zh" else name
            _sheet(workbook, title, _for_people(rows, lang, k=_k(result)))
    finally:
        workbook.close()


def _sheet(workbook: Any, name: str, rows: list[dict[str, Any]]) -> None:
    sheet = workbook.add_worksheet(name)
    header = list(rows[0]) if rows else []
    sheet.write_row(0, 0, header)
    for r, row in enumerate(rows, start=1):
        for c, key in enumerate(header):
            value = row[key]
            if value is None:
                continue
            if isinstance(value, str):
                # write() would take "=…" for a formula: a unit name from the input file must
                # stay text (the same rule as shouwei.core.exports.safe_text, which this
                # Django-free engine cannot import).
                if value[:1] in ("=", "+", "@", "-", "\t", "\r") and not _numeric(value):
                    value = "'" + value
                sheet.write_string(r, c, value)
            else:
                sheet.write(r, c, value)


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
