"""The half-year report as a 公文 .docx (GB/T 9704): page set-up, grid, fonts, odd/even
page-number footers, charts as images, the 数据来源 appendix, the data left out."""

import io
import shutil
import subprocess

import pytest
from docx import Document as WordDocument
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from shouwei.core import gongwen
from shouwei.reports.renderers import FORMATS, load
from shouwei.reports.renderers.docx import render_docx

from .formats_document import half_year_document


@pytest.fixture(scope="module")
def word():
    document = half_year_document()
    return document, WordDocument(io.BytesIO(render_docx(document)))


def _east_asia(run):
    rpr = run._element.rPr
    return None if rpr is None or rpr.rFonts is None else rpr.rFonts.get(qn("w:eastAsia"))


def test_the_page_is_a4_with_the_gbt9704_margins(word):
    _, doc = word
    section = doc.sections[0]
    mm = [
        round(v.mm, 1)  # Word stores twips: 210 mm is 11906 twips, 210.01 mm
        for v in (
            section.page_width,
            section.page_height,
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ]
    assert mm == [210, 297, 37, 35, 28, 26]


def test_the_grid_is_28_characters_by_22_lines(word):
    _, doc = word
    grid = doc.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    assert int(grid.get(qn("w:linePitch"))) == 579
    # 28 characters of 16 pt, condensed by the body style's spacing, fit the 156 mm 版心
    spacing = doc.styles["Normal"].element.rPr.find(qn("w:spacing"))
    pitch = 16 + int(spacing.get(qn("w:val"))) / 20
    assert pitch * 28 <= Mm(156).pt < pitch * 29
    assert abs(Mm(225).pt / 22 - 28.95) < 0.1  # and 22 lines of 28.95 pt fill its height
    body = next(p for p in doc.paragraphs if p.text.startswith("上半年，全区"))
    assert body.paragraph_format.line_spacing == Pt(28.95)


def test_title_body_and_headings_use_the_gongwen_fonts(word):
    document, doc = word
    title = doc.paragraphs[0]
    assert title.text == document.title
    assert _east_asia(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    heading = next(p for p in doc.paragraphs if p.text == "一、经济运行")
    assert _east_asia(heading.runs[0]) == "黑体" and heading.runs[0].font.size == Pt(16)
    body = next(p for p in doc.paragraphs if p.text.startswith("上半年，全区"))
    assert {_east_asia(r) for r in body.runs} == {"仿宋_GB2312"}
    assert body.runs[0].font.size == Pt(16)
    headings = [p.text for p in doc.paragraphs if p.runs and _east_asia(p.runs[0]) == "黑体"]
    assert headings[:5] == [
        "一、经济运行",
        "二、重点项目",
        "三、招商引资",
        "四、科技创新",
        "五、疫情防控",
    ]


def test_page_numbers_sit_outside_on_odd_and_even_pages(word):
    _, doc = word
    assert doc.settings.element.find(qn("w:evenAndOddHeaders")) is not None
    section = doc.sections[0]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        p = footer.paragraphs[0]
        assert p.alignment.name.lower() == align
        assert "PAGE" in "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert {_east_asia(r) for r in p.runs} == {"宋体"} and p.runs[0].font.size == Pt(14)


def test_charts_are_embedded_as_png_images(word):
    document, doc = word
    charts = sum(1 for s in document.sections for b in s.blocks if type(b).__name__ == "Chart")
    images = [r for r in doc.part.rels.values() if "image" in r.reltype]
    assert charts == 3 and len(images) == charts
    assert all(r.target_part.content_type == "image/png" for r in images)


def test_the_appendix_numbers_every_figure_with_its_sources(word):
    document, doc = word
    texts = [p.text for p in doc.paragraphs]
    start = texts.index("数据来源")
    figures = document.figures()
    entries = [t for t in texts[start:] if t[:1].isdigit() and "．" in t]
    assert len(entries) == len(figures)
    for entry, figure in zip(entries, figures, strict=True):
        assert entry == f"{figure.number}．{figure.text}"
    assert any(
        "观测值 #812" in t and "/indicators/observations/800/" in t and "张三" in t for t in texts
    )
    assert "数据版本：v42-7f3a" in texts


def test_the_figures_are_in_the_text_with_their_numbers_and_nothing_excluded_is_a_figure(word):
    _document, doc = word
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "地区生产总值增长6.9%[1]" in text
    assert "本期无疫情防控数据。" in text
    assert "社会消费品零售总额（5月）：未审核，未列入" in text
    tables = doc.tables
    assert tables[0].rows[0].cells[2].text == "总投资（亿元）"
    assert tables[0].rows[2].cells[3].text.startswith("75.1%")


def test_the_format_is_registered_for_every_kind():
    load()
    assert FORMATS["docx"].render is render_docx
    assert FORMATS["docx"].extension == "docx"


def test_the_supervision_notice_shares_the_page_set_up():
    from shouwei.supervision import docx as notice_docx

    assert notice_docx.set_up_page is gongwen.set_up_page


@pytest.mark.skipif(
    not shutil.which("soffice") or not shutil.which("pdftotext"), reason="no LibreOffice/poppler"
)
def test_libreoffice_lays_it_out_on_a4_with_page_numbers(tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(render_docx(half_year_document()))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "report.pdf")], capture_output=True, text=True
    ).stdout
    assert "595.3" in info and "841.89" in info  # A4 in points
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True
    ).stdout
    text = "".join(text.split())
    assert "—1—" in text and "—2—" in text
