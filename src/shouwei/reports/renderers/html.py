"""HTML: the print-friendly page. Every figure is a link to its lineage — the record it was
read from (its first source's page), or its entry in the 数据来源 appendix when it has no page —
and the appendix at the end numbers each figure with all its sources.

``document_html`` gives the document's body, for the report page (charts as ECharts elements
drawn by static/shouwei/report-charts.js from JSON data islands: the CSP allows no inline
script); ``render`` a whole standalone file (charts as their data tables: it opens and prints
anywhere, without scripts).
"""

from __future__ import annotations

import json

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from shouwei.core.reporting import Chart, Document, Paragraph, Run, Table

from . import Format, register_format


def _run(run: Run) -> str:
    if isinstance(run, str):
        return escape(run)
    first = next((s.url for s in run.sources if s.url), "")
    href = first or f"#src-{run.number}"
    return format_html(
        '<a class="figure" id="fig-{n}" href="{href}" data-key="{key}" '
        'title="[{n}] {label}">{text}</a>',
        n=run.number,
        href=href,
        key=run.key,
        label="；".join(s.label for s in run.sources),
        text=run.text,
    )


def _runs(runs: list[Run]) -> str:
    return "".join(_run(r) for r in runs)


def _chart(chart: Chart, *, scripts: bool, index: int) -> str:
    rows = format_html_join(
        "",
        "<tr><th>{}</th>{}</tr>",
        (
            (
                cat,
                mark_safe(
                    "".join(
                        format_html("<td>{}</td>", "—" if s.values[i] is None else s.values[i])
                        for s in chart.series
                    )
                ),
            )
            for i, cat in enumerate(chart.categories)
        ),
    )
    head = mark_safe("".join(format_html("<th>{}</th>", s.name) for s in chart.series))
    table = format_html(
        '<table class="table table-sm chart-data"><thead><tr><th></th>{}</tr></thead>'
        "<tbody>{}</tbody></table>",
        head,
        rows,
    )
    if not scripts:
        return format_html(
            '<figure class="report-chart-figure"><figcaption>{}</figcaption>{}</figure>',
            chart.title,
            table,
        )
    data_id = f"report-chart-{index}"
    data = {
        "title": chart.title,
        "kind": chart.kind,
        "categories": chart.categories,
        "unit": chart.unit,
        "series": [{"name": s.name, "values": s.values} for s in chart.series],
    }
    # json.dumps then escaped "<" ">" "&": a data island that cannot close its script tag.
    text = (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    return format_html(
        '<figure class="report-chart-figure"><figcaption>{title}</figcaption>'
        '<div class="chart" data-report-chart="{id}" role="img" aria-label="{title}"></div>'
        '<script id="{id}" type="application/json">{data}</script>'
        '<details class="d-print-none"><summary>数据</summary>{table}</details></figure>',
        title=chart.title,
        id=data_id,
        data=mark_safe(text),
        table=table,
    )


def _table(table: Table) -> str:
    head = "".join(format_html("<th>{}</th>", h) for h in table.headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{_run(c)}</td>" for c in row) + "</tr>" for row in table.rows
    )
    return (
        f'<table class="table table-sm report-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def appendix_html(doc: Document) -> str:
    items = []
    for fig in doc.figures():
        sources = "".join(
            format_html(
                "<li>{label}{detail}</li>",
                label=format_html('<a href="{}">{}</a>', s.url, s.label) if s.url else s.label,
                detail=format_html("（{}）", s.detail) if s.detail else "",
            )
            for s in fig.sources
        )
        items.append(
            format_html(
                '<li id="src-{n}"><a href="#fig-{n}">[{n}]</a> {text}<ul>{sources}</ul></li>',
                n=fig.number,
                text=fig.text,
                sources=mark_safe(sources or "<li>—</li>"),
            )
        )
    return (
        '<section class="appendix"><h2>数据来源</h2><ol class="list-unstyled">'
        + "".join(items)
        + "</ol></section>"
    )


def document_html(doc: Document, *, scripts: bool = True) -> SafeString:
    parts = [format_html('<h1 class="report-title">{}</h1>', doc.title)]
    parts.append(
        format_html(
            '<p class="report-meta">{unit} · {period} · 来源：{source}</p>',
            unit=doc.unit_name,
            period=doc.period_label,
            source=doc.source,
        )
    )
    charts = 0
    for _number, section in enumerate(doc.sections, start=1):
        parts.append(
            format_html('<section id="section-{}"><h2>{}</h2>', section.key, section.title)
        )
        if not section.blocks:
            parts.append(format_html('<p class="empty">{}</p>', section.empty))
        for block in section.blocks:
            if isinstance(block, Paragraph):
                parts.append(f"<p>{_runs(block.runs)}</p>")
            elif isinstance(block, Table):
                parts.append(_table(block))
            else:
                charts += 1
                parts.append(_chart(block, scripts=scripts, index=charts))
        parts.append("</section>")
    if doc.excluded:
        parts.append(
            '<section class="excluded"><h2>未纳入的数据</h2>'
            "<p>以下数据尚未审核，未写入本报告：</p><ul>"
        )
        parts.extend(format_html("<li>{}</li>", line) for line in doc.excluded)
        parts.append("</ul></section>")
    parts.append(appendix_html(doc))
    parts.append(format_html('<p class="report-version">数据版本 {}</p>', doc.data_version[:12]))
    return mark_safe("".join(parts))


def public_html(doc: Document, images: dict[str, str]) -> str:
    """The document as the portal article's body (``reports.publishing``): its sections,
    paragraphs and tables with the figures as plain text — no lineage link, no appendix, no
    list of unapproved data: the public gets no internal URL and no internal record — and each
    chart as the picture ``images[chart.key]`` (its portal attachment's URL; its data table
    while there is none). Only the markup the portal's allow-list keeps; the title and the
    date are the article's own fields."""
    parts = []
    for section in doc.sections:
        parts.append(format_html("<h2>{}</h2>", section.title))
        if not section.blocks:
            parts.append(format_html("<p>{}</p>", section.empty))
        for block in section.blocks:
            if isinstance(block, Paragraph):
                parts.append(format_html("<p>{}</p>", block.plain()))
            elif isinstance(block, Table):
                parts.append(_public_table(block))
            elif block.key in images:
                parts.append(
                    format_html(
                        '<figure class="photo"><img src="{src}" alt="{title}">'
                        "<figcaption>{title}</figcaption></figure>",
                        src=images[block.key],
                        title=block.title,
                    )
                )
            else:
                parts.append(_chart(block, scripts=False, index=0))
    parts.append(
        format_html(
            "<p>本文数据来自{source}，{unit}{period}（{issued}生成，数据版本 {version}）。</p>",
            source=doc.source,
            unit=doc.unit_name,
            period=doc.period_label,
            issued=f"{doc.issued.year}年{doc.issued.month}月{doc.issued.day}日",
            version=doc.data_version[:12],
        )
    )
    return "\n".join(parts)


def _public_table(table: Table) -> str:
    head = format_html_join("", "<th>{}</th>", ((h,) for h in table.headers))
    rows = format_html_join(
        "",
        "<tr>{}</tr>",
        (
            (
                format_html_join(
                    "", "<td>{}</td>", ((c if isinstance(c, str) else c.text,) for c in row)
                ),
            )
            for row in table.rows
        ),
    )
    return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", head, rows)


PRINT_CSS = """
body { font-family: "FangSong", "仿宋", "仿宋_GB2312", serif; max-width: 48em; margin: 2em auto;
  font-size: 16pt; line-height: 1.8; color: #000; }
h1 { font-family: "FZXiaoBiaoSong-B05S", "方正小标宋简体", "SimSun", serif; text-align: center;
  font-size: 22pt; }
h2 { font-family: "SimHei", "黑体", sans-serif; font-size: 16pt; }
a.figure { color: inherit; text-decoration: underline dotted; }
table { border-collapse: collapse; font-size: 12pt; }
td, th { border: 1px solid #999; padding: 2px 6px; }
.appendix { font-size: 12pt; }
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
"""


def render(doc: Document) -> bytes:
    page = format_html(
        '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>{title}</title>'
        "<style>{css}</style></head><body>{body}</body></html>",
        title=doc.title,
        css=mark_safe(PRINT_CSS),
        body=document_html(doc, scripts=False),
    )
    return str(page).encode("utf-8")


FORMAT = register_format(
    Format(
        key="html",
        label="HTML",
        extension="html",
        content_type="text/html; charset=utf-8",
        render=render,
    )
)
