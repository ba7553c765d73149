"""A report as a .docx in 公文 style (GB/T 9704; page set-up in ``core.gongwen``): the 标题 in
二号 方正小标宋, the unit and period under it, 一级标题 "一、" in 黑体, running text in 三号
仿宋 with a two-character indent, tables, charts as PNG images, the data left out, and the
数据来源 appendix numbering each figure with its sources (label, how it entered, URL).

Each figure in the text is followed by its number in superscript (the appendix's entry), so a
reader checks a figure without the HTML's links.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from shouwei.core.gongwen import (
    HEITI,
    KAITI,
    SIZE_2,
    TITLE_FONT,
    add_paragraph,
    add_run,
    chinese_date,
    set_run,
    set_up_page,
)
from shouwei.core.phrasing import chinese_number
from shouwei.core.reporting import Chart, Document, Figure, Paragraph, Table

from . import Format, register_format
from .charts import chart_png

TABLE_SIZE = Pt(12)  # 小四 in tables: a 版心 of 156 mm holds six columns of figures


def _runs(paragraph, runs, *, size=None) -> None:
    style = {} if size is None else {"size": size}
    for run in runs:
        if isinstance(run, Figure):
            add_run(paragraph, run.text, **style)
            if run.number:
                note = add_run(paragraph, f"[{run.number}]", size=Pt(9))
                note.font.superscript = True
        else:
            add_run(paragraph, run, **style)


def _table(doc, table: Table) -> None:
    word = doc.add_table(rows=1, cols=len(table.headers))
    word.style = "Table Grid"
    word.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(word.rows[0].cells, table.headers, strict=True):
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_run(p, header, font=HEITI, size=TABLE_SIZE)
    for row in table.rows:
        cells = word.add_row().cells
        for cell, value in zip(cells, row, strict=False):
            _runs(cell.paragraphs[0], [value], size=TABLE_SIZE)
    add_paragraph(doc)  # a line between the table and what follows


def _chart(doc, chart: Chart) -> None:
    p = add_paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER, exact=False)
    p.add_run().add_picture(io.BytesIO(chart_png(chart)), width=Mm(150))


def _heading(doc, text: str, *, font: str) -> None:
    p = add_paragraph(doc, indent=True)
    p.paragraph_format.keep_with_next = True
    add_run(p, text, font=font)


def render_docx(document: Document) -> bytes:
    if not any(f.number for f in document.figures()):
        document.number_figures()
    doc = WordDocument()
    set_up_page(doc)
    doc.core_properties.title = document.title
    doc.core_properties.author = document.source

    title = add_paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER, exact=False)
    title.paragraph_format.space_after = Pt(14)
    add_run(title, document.title, font=TITLE_FONT, size=SIZE_2)
    sub = add_paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=14)
    add_run(sub, f"（{document.unit_name}　{document.period_label}）", font=KAITI)

    for n, section in enumerate(document.sections, start=1):
        _heading(doc, f"{chinese_number(n)}、{section.title}", font=HEITI)
        if not section.blocks:
            p = add_paragraph(doc, indent=True)
            add_run(p, section.empty or _("本期无数据。"))
            continue
        for block in section.blocks:
            if isinstance(block, Paragraph):
                _runs(add_paragraph(doc, indent=True), block.runs)
            elif isinstance(block, Table):
                _table(doc, block)
            else:
                _chart(doc, block)

    if document.excluded:
        _heading(doc, _("（附）未审核数据（未列入本报告）"), font=KAITI)
        for line in document.excluded:
            add_run(add_paragraph(doc, indent=True), line)

    signature = add_paragraph(doc, align=WD_ALIGN_PARAGRAPH.RIGHT)
    signature.paragraph_format.space_before = Pt(28)
    add_run(signature, document.source)
    add_run(add_paragraph(doc, align=WD_ALIGN_PARAGRAPH.RIGHT), chinese_date(document.issued))

    _appendix(doc, document)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _appendix(doc, document: Document) -> None:
    """附件 数据来源: one numbered entry a figure, its sources one line each."""
    doc.add_page_break()
    head = add_paragraph(doc)
    add_run(head, _("附件"), font=HEITI)
    title = add_paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=14, exact=False)
    add_run(title, _("数据来源"), font=TITLE_FONT, size=SIZE_2)
    version = add_paragraph(doc, indent=True)
    add_run(version, _("数据版本：%(v)s") % {"v": document.data_version or "—"})
    for figure in document.figures():
        p = add_paragraph(doc, exact=False)
        p.paragraph_format.space_before = Pt(6)
        set_run(p.add_run(f"{figure.number}．{figure.text}"), font=HEITI, size=TABLE_SIZE)
        for source in figure.sources or ():
            line = add_paragraph(doc, exact=False)
            line.paragraph_format.left_indent = Pt(24)
            parts = [source.label, source.detail, source.url]
            add_run(line, "；".join(part for part in parts if part), size=TABLE_SIZE)
        if not figure.sources:
            line = add_paragraph(doc, exact=False)
            line.paragraph_format.left_indent = Pt(24)
            add_run(line, _("（计算所得，无单独记录）"), size=TABLE_SIZE)


DOCX = register_format(
    Format(
        key="docx",
        label=gettext_lazy("Word（公文）"),
        extension="docx",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        render=render_docx,
    )
)
