"""Markdown: headings, paragraphs with each figure linked to its first source (or to its
appendix entry), tables, charts as their data tables, and the 数据来源 appendix."""

from __future__ import annotations

from shouwei.core.reporting import Chart, Document, Paragraph, Run, Table

from . import Format, register_format

_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]|<>#"})


def _esc(text: str) -> str:
    return str(text).translate(_SPECIAL)


def _run(run: Run) -> str:
    if isinstance(run, str):
        return _esc(run)
    url = next((s.url for s in run.sources if s.url), "") or f"#src-{run.number}"
    return f"[{_esc(run.text)}]({url})<sup>{run.number}</sup>"


def render_markdown(doc: Document) -> str:
    lines = [
        f"# {_esc(doc.title)}",
        "",
        f"{_esc(doc.unit_name)} · {doc.period_label} · 来源：{_esc(doc.source)}",
        "",
    ]
    for section in doc.sections:
        lines += [f"## {_esc(section.title)}", ""]
        if not section.blocks:
            lines += [_esc(section.empty), ""]
        for block in section.blocks:
            if isinstance(block, Paragraph):
                lines += ["".join(_run(r) for r in block.runs), ""]
            elif isinstance(block, Table):
                lines.append("| " + " | ".join(_esc(h) for h in block.headers) + " |")
                lines.append("|" + "---|" * len(block.headers))
                lines += ["| " + " | ".join(_run(c) for c in row) + " |" for row in block.rows]
                lines.append("")
            elif isinstance(block, Chart):
                lines += [f"**{_esc(block.title)}**", ""]
                lines.append("| | " + " | ".join(_esc(s.name) for s in block.series) + " |")
                lines.append("|---|" + "---|" * len(block.series))
                for j, cat in enumerate(block.categories):
                    cells = " | ".join(
                        "—" if s.values[j] is None else f"{s.values[j]}{block.unit}"
                        for s in block.series
                    )
                    lines.append(f"| {_esc(cat)} | {cells} |")
                lines.append("")
    if doc.excluded:
        lines += ["## 未纳入的数据", "", "以下数据尚未审核，未写入本报告：", ""]
        lines += [f"- {_esc(line)}" for line in doc.excluded]
        lines.append("")
    lines += ["## 数据来源", ""]
    for fig in doc.figures():
        sources = "；".join(
            (f"[{_esc(s.label)}]({s.url})" if s.url else _esc(s.label))
            + (f"（{_esc(s.detail)}）" if s.detail else "")
            for s in fig.sources
        )
        lines.append(
            f'{fig.number}. <a id="src-{fig.number}"></a>{_esc(fig.text)}：{sources or "—"}'
        )
    lines += ["", f"数据版本 {doc.data_version[:12]}", ""]
    return "\n".join(lines)


def render(doc: Document) -> bytes:
    return render_markdown(doc).encode("utf-8")


FORMAT = register_format(
    Format(
        key="md",
        label="Markdown",
        extension="md",
        content_type="text/markdown; charset=utf-8",
        render=render,
    )
)
