"""公文 page set-up for .docx (GB/T 9704-2012 《党政机关公文格式》), shared by every document
the platform writes in that style (the 督办单, the half-year analysis).

- A4; 天头 (top) 37 mm, bottom 35 mm, 订口 (left) 28 mm, right 26 mm: a 版心 of 156 × 225 mm.
- 正文 三号 (16 pt) 仿宋, 28 characters × 22 lines. The grid, computed:
  - line pitch: 225 mm = 637.8 pt / 22 lines = 28.99 pt; the customary value 28.95 pt
    (579 twips) keeps 22 lines on the page with rounding to spare. Body paragraphs use exact
    line spacing of 28.95 pt and the section's ``w:docGrid w:linePitch="579"``.
  - character pitch: 156 mm = 442.2 pt / 28 = 15.79 pt, 0.21 pt narrower than a 16 pt
    character. The body style condenses every character by 0.25 pt (``w:spacing w:val="-5"``,
    in twentieths of a point): 28 × 15.75 pt = 441 pt fits the 版心 with 1.2 pt to spare.
    The grid is ``w:type="lines"``, not ``"linesAndChars"`` with a ``w:charSpace``: LibreOffice
    sizes that character grid from another font size and set each 16 pt character on two
    cells (14 to a line, 39 pages instead of 32; seen here, rendered and looked at), while
    condensed spacing lays out the same in Word, WPS and LibreOffice.
- Fonts: Word has no fallback list, so each role names one font (the first of its GB/T 9704
  list) in ``w:rFonts w:eastAsia``; a machine without it substitutes (LibreOffice and Word
  both fall back to a CJK font, the text stays Chinese). Nothing is embedded.
  标题 方正小标宋简体 (then 方正小标宋_GBK, 华文中宋, 宋体), 正文 仿宋_GB2312 (then 仿宋),
  一级标题 黑体, 二级标题 楷体_GB2312 (then 楷体), 页码 宋体.
- 页码: "— 1 —" in 四号 (14 pt) 宋体 at the bottom outside: odd pages right, even pages left
  (different odd and even footers, each with a PAGE field).
"""

from __future__ import annotations

from datetime import date

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
LINE_PITCH = Pt(28.95)
LINE_PITCH_TWIPS = 579  # 28.95 pt × 20
CHAR_SPACING = -5  # twentieths of a point: 16 − 0.25 = 15.75 pt, × 28 = 441 pt ≤ 442.2 pt
CHARS_PER_LINE = 28
LINES_PER_PAGE = 22


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def set_up_page(doc) -> None:
    """A4, the GB/T 9704 margins, the 28 × 22 grid and the odd/even page-number footers on
    every section of ``doc``; the default run is 三号 仿宋."""
    styles = doc.styles["Normal"]
    styles.font.name = BODY_FONT
    styles.font.size = SIZE_3
    r_pr = styles.element.get_or_add_rPr()
    r_pr.get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    spacing = r_pr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        r_pr.append(spacing)
    spacing.set(qn("w:val"), str(CHAR_SPACING))
    settings = doc.settings.element
    if settings.find(qn("w:evenAndOddHeaders")) is None:
        settings.append(OxmlElement("w:evenAndOddHeaders"))
    for section in doc.sections:
        section.page_height, section.page_width = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(23)  # the 页码's line starts about 7 mm under the 版心
        sect_pr = section._sectPr
        grid = sect_pr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            sect_pr.append(grid)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
        _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
        _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph, align) -> None:
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    # 一字线 with one space each side, and one character in from the 版心's edge
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = Pt(14)
    else:
        fmt.left_indent = Pt(14)
    set_run(paragraph.add_run("— "), font=SONGTI, size=SIZE_4)
    run = paragraph.add_run()
    set_run(run, font=SONGTI, size=SIZE_4)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        if kind is None:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    set_run(paragraph.add_run(" —"), font=SONGTI, size=SIZE_4)


def set_run(run, *, font: str = BODY_FONT, size=SIZE_3, bold: bool = False, colour=None):
    run.font.name = font
    run.font.size = size
    run.font.bold = bold
    if colour is not None:
        run.font.color.rgb = colour
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return run


def add_run(paragraph, text: str, **style):
    return set_run(paragraph.add_run(text), **style)


def add_paragraph(doc, *, align=None, indent: bool = False, space_after=0, exact: bool = True):
    """A paragraph on the grid: exact 28.95 pt lines, a two-character first-line indent for
    running text."""
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    if align is not None:
        p.alignment = align
    if indent:
        fmt.first_line_indent = Pt(32)  # two characters of 三号
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(space_after)
    if exact:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_PITCH
    return p
