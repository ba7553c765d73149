"""The report as a PDF (WeasyPrint): the hy-gxq 2022H1 half-year analysis and a monthly sheet
read back with poppler (pdftotext, pdffonts, pdfinfo) — its figures, Chinese glyphs in
embedded fonts with none missing, A4, the 数据来源 appendix — the shipped font, and the
format refused clearly where Pango is missing."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from shouwei.reports.renderers import FORMATS, pdf

needs_pdf = pytest.mark.skipif(
    shutil.which("pdftotext") is None or bool(pdf.unavailable()),
    reason="needs poppler-utils and Pango (see .ci/run)",
)


def _build(django_db_blocker, kind: str, period: str):
    from django.contrib.auth import get_user_model

    from shouwei.core.models import Unit
    from shouwei.core.periods import Period
    from shouwei.reports.services import build_document
    from tests.conftest import ensure_demo

    with django_db_blocker.unblock():
        # A module fixture runs before the per-test autouse that puts the demo back after a
        # transactional test emptied the tables.
        ensure_demo()
        admin = get_user_model().objects.get(username="admin")
        unit = Unit.objects.get(code="hy-gxq")
        doc, _read = build_document(kind=kind, unit=unit, period=Period.parse(period), by=admin)
    return doc, pdf.render_pdf(doc)


def _poppler(tool: str, data: bytes, tmp: Path) -> str:
    path = tmp / "report.pdf"
    path.write_bytes(data)
    to_stdout = ["-"] if tool == "pdftotext" else []
    return subprocess.run(
        [tool, str(path), *to_stdout], capture_output=True, check=True, text=True
    ).stdout


@pytest.fixture(scope="module")
def hy_pdf(django_db_setup, django_db_blocker, tmp_path_factory):
    """hy-gxq 2022H1 as the demo admin reads it, built and rendered once for the module."""
    doc, data = _build(django_db_blocker, "half-year", "2022H1")
    tmp = tmp_path_factory.mktemp("pdf")
    return {
        "doc": doc,
        "data": data,
        # pdftotext ends each printed line with a newline: joined, a figure reads whole
        "text": _poppler("pdftotext", data, tmp).replace("\n", ""),
        "fonts": _poppler("pdffonts", data, tmp),
        "info": _poppler("pdfinfo", data, tmp),
    }


@needs_pdf
def test_the_pdf_prints_the_report_s_own_figures(hy_pdf):
    doc, text = hy_pdf["doc"], hy_pdf["text"]
    assert doc.title in text
    figures = [f for f in doc.figures() if f.value is not None]
    assert len(figures) > 10
    for figure in figures[:8] + figures[-4:]:
        assert f"{figure.text}[{figure.number}]" in text, figure.key
    for section in doc.sections:
        assert section.title in text


@needs_pdf
def test_every_glyph_is_chinese_in_an_embedded_font(hy_pdf):
    fonts = hy_pdf["fonts"].splitlines()[2:]  # past the two header lines
    assert fonts, "no font in the PDF"
    for line in fonts:
        assert "Type 3" not in line, line
        emb, sub, uni = line.split()[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), line
    assert any("Shouwei-Serif" in line for line in fonts)  # the shipped font, not the system's
    text = hy_pdf["text"]
    assert "\ufffd" not in text  # no glyph pdftotext could not map back: no .notdef box
    assert not any(0xE000 <= ord(c) <= 0xF8FF for c in text)  # nor private-use codes
    assert sum("\u4e00" <= c <= "\u9fff" for c in text) > 500


@needs_pdf
def test_the_page_is_a4_numbered_in_the_gongwen_style(hy_pdf):
    info = hy_pdf["info"]
    assert "(A4)" in info
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))
    assert pages >= 2
    text = hy_pdf["text"]
    for n in (1, pages):
        assert f"— {n} —" in text or f"—{n}—" in text


@needs_pdf
def test_the_pdf_ends_with_the_data_sources_appendix(hy_pdf):
    doc, text = hy_pdf["doc"], hy_pdf["text"]
    tail = text[text.rindex("数据来源") :]
    assert "附件" in text[text.rindex("附件") - 1 :]
    assert doc.data_version in tail
    for figure in doc.figures()[:5]:
        assert f"{figure.number}．{figure.text}" in tail
    observation = next(s for f in doc.figures() for s in f.sources if s.label.startswith("观测值"))
    assert observation.label in tail


@needs_pdf
def test_charts_are_embedded_as_images(hy_pdf):
    doc, data = hy_pdf["doc"], hy_pdf["data"]
    charts = [b for s in doc.sections for b in s.blocks if b.__class__.__name__ == "Chart"]
    assert charts
    assert data.count(b"/Subtype /Image") >= len(charts)


@needs_pdf
def test_a_monthly_sheet_renders_too(django_db_setup, django_db_blocker, tmp_path):
    doc, data = _build(django_db_blocker, "monthly", "2022-06")
    text = _poppler("pdftotext", data, tmp_path)
    assert doc.title in text and "数据来源" in text and "\ufffd" not in text
    first = next(f for f in doc.figures() if f.value is not None)
    assert first.text in text


@needs_pdf
def test_the_font_is_shipped_with_the_package_under_its_licence():
    assert pdf.SERIF_PATH.is_file() and (pdf.FONT_DIR / "OFL.txt").is_file()
    assert pdf.SERIF_PATH.stat().st_size < 3 * 2**20
    css = pdf.stylesheet()
    assert f'url("{pdf.SERIF_PATH.as_uri()}")' in css and '"Noto Serif CJK SC"' in css


def _without_pango(monkeypatch):
    def missing():
        raise OSError("cannot load library 'libpango-1.0-0': no such file")

    monkeypatch.setattr(pdf, "_import_weasyprint", missing)


def test_without_pango_the_pdf_is_refused_with_the_reason(monkeypatch, client_for, half_year):
    _without_pango(monkeypatch)
    assert "Pango" in FORMATS["pdf"].missing()
    c = client_for("admin")
    response = c.get(reverse("reports:download", args=[half_year.pk, "pdf"]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == half_year.get_absolute_url()
    html = response.content.decode()
    assert "本机无法生成 PDF" in html and "libpango-1.0-0" in html
    assert reverse("reports:download", args=[half_year.pk, "pdf"]) not in html  # no link
    assert reverse("reports:download", args=[half_year.pk, "docx"]) in html  # the others stay
    with pytest.raises(RuntimeError, match="Pango"):
        pdf.render_pdf(half_year.as_document())


def test_without_pango_the_command_refuses_before_building(monkeypatch, demo, tmp_path):
    from shouwei.reports.models import Report

    _without_pango(monkeypatch)
    before = Report.objects.count()
    with pytest.raises(CommandError, match="本机无法生成 PDF"):
        call_command(
            "report",
            "half-year",
            "--unit",
            "hy-gxq",
            "--period",
            "2022H1",
            "--format",
            "pdf",
            "-o",
            str(tmp_path / "r.pdf"),
        )
    assert Report.objects.count() == before and not (tmp_path / "r.pdf").exists()


@needs_pdf
def test_the_command_writes_a_pdf(demo, tmp_path):
    out = tmp_path / "r.pdf"
    call_command(
        "report",
        "brief",
        "--unit",
        "hy-gxq",
        "--period",
        "2022H1",
        "--format",
        "pdf",
        "-o",
        str(out),
    )
    assert out.read_bytes().startswith(b"%PDF-")
