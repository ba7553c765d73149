"""Plain text: the report as it reads, each figure followed by its number [N], and the
数据来源 appendix at the end listing each number's sources."""

from __future__ import annotations

from shouwei.core.phrasing import chinese_number
from shouwei.core.reporting import Chart, Document, Figure, Paragraph, Run, Table

from . import Format, register_format


def _run(run: Run) -> str:
    return run if isinstance(run, str) else f"{run.text}[{run.number}]"


def _cell(run: Run) -> str:
    return run if isinstance(run, str) else run.text


def appendix_lines(doc: Document, *, bullet: str = "") -> list[str]:
    lines = []
    for fig in doc.figures():
        sources = "；".join(
            " ".join(p for p in (s.label, s.url, f"（{s.detail}）" if s.detail else "") if p)
            for s in fig.sources
        )
        lines.append(f"{bullet}[{fig.number}] {fig.text}：{sources or '—'}")
    return lines


def render_text(doc: Document) -> str:
    lines = [doc.title, "", f"{doc.unit_name}　{doc.period_label}　来源：{doc.source}", ""]
    for i, section in enumerate(doc.sections, start=1):
        lines.append(f"{_ordinal_heading(i)}{section.title}")
        if not section.blocks:
            lines.append(section.empty)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                lines.append("　　" + "".join(_run(r) for r in block.runs))
            elif isinstance(block, Table):
                lines.append("\t".join(block.headers))
                lines.extend("\t".join(_cell(c) for c in row) for row in block.rows)
            elif isinstance(block, Chart):
                lines.append(f"图：{block.title}")
                for j, cat in enumerate(block.categories):
                    values = "、".join(
                        f"{s.name} {'—' if s.values[j] is None else s.values[j]}{block.unit}"
                        for s in block.series
                    )
                    lines.append(f"　{cat}：{values}")
        lines.append("")
    if doc.excluded:
        lines.append("未纳入的数据（尚未审核，未写入本报告）：")
        lines.extend(f"　{line}" for line in doc.excluded)
        lines.append("")
    lines.append("数据来源")
    lines.extend(appendix_lines(doc))
    lines.append("")
    lines.append(f"数据版本 {doc.data_version[:12]}")
    return "\n".join(lines) + "\n"


def _ordinal_heading(i: int) -> str:
    return f"{chinese_number(i)}、"


def plain_text(doc: Document) -> str:
    """The text without figure numbers: what tests and the brief read sentence by sentence."""
    out = []
    for section in doc.sections:
        out.append(section.title)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                out.append(block.plain())
        if not section.blocks:
            out.append(section.empty)
    return "\n".join(out)


def render(doc: Document) -> bytes:
    return render_text(doc).encode("utf-8")


FORMAT = register_format(
    Format(
        key="txt",
        label="纯文本",
        extension="txt",
        content_type="text/plain; charset=utf-8",
        render=render,
    )
)

__all__ = ["Figure", "appendix_lines", "plain_text", "render", "render_text"]
