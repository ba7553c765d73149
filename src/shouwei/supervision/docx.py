"""督办单 as a .docx in 公文 style (GB/T 9704-2012 《党政机关公文格式》, simplified for a
supervision notice): the 版头 (the issuing office's name in red 方正小标宋, with a red rule under
it), the 文号 (发文字号) centred above the rule, the 标题, the 主送 department, the 正文 in 仿宋
三号 with a two-character first-line indent, and the 落款 and 成文日期 right-aligned.

The fonts are named with their common fallbacks (方正小标宋简体 → 宋体, 仿宋_GB2312 → 仿宋): Word
and LibreOffice substitute what a machine lacks, and the text stays CJK either way.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from shouwei.core import clock
from shouwei.core.gongwen import (
    HEITI,
    SIZE_2,
    TITLE_FONT,
    chinese_date,
    set_up_page,
)
from shouwei.core.gongwen import add_paragraph as _paragraph
from shouwei.core.gongwen import add_run as _run

RED = RGBColor(0xC0, 0x00, 0x00)

__all__ = ["chinese_date", "notice_document"]


def _red_rule(paragraph) -> None:
    """A red line under the paragraph (the 版头's 分隔线)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", "18"),
        ("w:space", "4"),
        ("w:color", "C00000"),
    ):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def notice_document(notice) -> bytes:
    doc = Document()
    set_up_page(doc)  # GB/T 9704: A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm

    head = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    _run(head, notice.issuer, font=TITLE_FONT, size=Pt(36), colour=RED)
    number = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=18)
    _run(number, notice.number or _("（草稿，下发时编号）"))
    _red_rule(number)

    title = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=18)
    _run(title, _("督办通知单"), font=TITLE_FONT, size=SIZE_2)

    recipient = _paragraph(doc)
    _run(recipient, f"{notice.unit.name}：")

    body = [
        (_("一、督办事项"), notice.task),
        (_("二、督办原因"), notice.reason),
        (
            _("三、办理要求"),
            _("请于 %(d)s 前将办理情况书面答复，逾期未答复的按绩效考评办法扣分。")
            % {"d": chinese_date(notice.deadline)},
        ),
    ]
    for heading, text in body:
        p = _paragraph(doc, indent=True)
        _run(p, heading, font=HEITI)
        p = _paragraph(doc, indent=True)
        _run(p, text)

    _paragraph(doc, space_after=24)
    signature = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _run(signature, notice.issuer)
    issued = notice.issued_on or clock.today()
    dated = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _run(dated, chinese_date(issued))

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
