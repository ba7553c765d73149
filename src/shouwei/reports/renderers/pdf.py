"""A report as a PDF, laid out by WeasyPrint from HTML and a print stylesheet in the 公文 style
of the .docx (GB/T 9704; ``core.gongwen`` for the figures): A4, margins top 37 mm, bottom
35 mm, left 28 mm, right 26 mm, 三号 body with a two-character indent and a 28.95 pt line,
一级标题 "一、", page numbers "— 1 —" at the bottom outside (odd pages right, even left),
tables, charts as the PNG images the .docx embeds, each figure followed by its number in
superscript (a link to its entry), and the 数据来源 appendix on a page of its own.

Fonts (docs/decisions/0010-pdf-font.md): the PDF must read the same on a server with no
Chinese font, so the stylesheet's @font-face names the fonts the package ships — the body in
``NotoSerifSC-GB2312.otf`` (Noto Serif CJK SC cut to GB2312 and the package's own characters,
written by ``.ci/subset-pdf-font``), headings in ``NotoSansSC-Regular.ttf`` (the charts' font,
complete: any character outside the subset falls back to it) — then the usual system CJK
fonts. WeasyPrint embeds only the glyphs used.

WeasyPrint loads Pango from the system when imported; without it (``OSError``) the format
stays registered but ``unavailable`` gives the reason, and the pages and ``shouwei report``
show it instead of failing.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from django.utils.html import escape, format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwei.core.gongwen import chinese_date
from shouwei.core.phrasing import chinese_number
from shouwei.core.reporting import Chart, Document, Figure, Paragraph, Run, Table

from . import Format, register_format
from .charts import FONT_PATH as SANS_PATH
from .charts import chart_png

FONT_DIR = SANS_PATH.parent
SERIF_PATH = FONT_DIR / "NotoSerifSC-GB2312.otf"

# The stylesheet is for print only (WeasyPrint reads it as @media print). Sizes: 二号 22 pt,
# 三号 16 pt, 四号 14 pt, 小四 12 pt; the body's line of 28.95 pt gives 22 lines in the 225 mm
# 版心 as in the .docx.
CSS = """
@font-face { font-family: "Shouwei Serif"; src: url("%(serif)s"); }
@font-face { font-family: "Shouwei Sans"; src: url("%(sans)s"); }
@page {
  size: A4;
  margin: 37mm 26mm 35mm 28mm;
  @bottom-right { content: none; }
}
@page :right {
  @bottom-right {
    content: "— " counter(page) " —"; font: 14pt "Shouwei Serif", serif;
    vertical-align: top; padding-top: 7mm; margin-right: 1em;
  }
}
@page :left {
  @bottom-left {
    content: "— " counter(page) " —"; font: 14pt "Shouwei Serif", serif;
    vertical-align: top; padding-top: 7mm; margin-left: 1em;
  }
}
html { font-size: 16pt; }
body {
  font-family: "Shouwei Serif", "Shouwei Sans", "FangSong", "仿宋_GB2312", "Noto Serif CJK SC",
    "Source Han Serif SC", "SimSun", "Noto Sans CJK SC", serif;
  line-height: 28.95pt; color: #000; margin: 0; text-align: justify;
}
h1, .annex-title {
  font-size: 22pt; line-height: 1.5; text-align: center; font-weight: normal;
  margin: 0 0 14pt;
}
.meta { text-align: center; margin: 0 0 14pt; }
h2, .annex {
  font-family: "Shouwei Sans", "SimHei", "黑体", "Noto Sans CJK SC", sans-serif;
  font-size: 16pt; font-weight: normal; margin: 0; text-indent: 2em;
  break-after: avoid;
}
p { margin: 0; text-indent: 2em; orphans: 2; widows: 2; }
a { color: inherit; text-decoration: none; }
sup { font-size: 9pt; line-height: 0; vertical-align: super; }
table {
  border-collapse: collapse; margin: 6pt auto 28.95pt; font-size: 12pt; line-height: 1.4;
  text-align: center;
}
th { font-family: "Shouwei Sans", "SimHei", sans-serif; font-weight: normal; }
td, th { border: 0.5pt solid #000; padding: 2pt 5pt; }
tr { break-inside: avoid; }
figure { margin: 6pt 0; text-align: center; break-inside: avoid; }
figure img { width: 150mm; }
.signature { text-align: right; text-indent: 0; }
.signature.first { margin-top: 28pt; }
.appendix { break-before: page; overflow-wrap: anywhere; }  /* the digest, the URLs */
.appendix .annex { text-indent: 0; }
.appendix .entry {
  font-family: "Shouwei Sans", "SimHei", sans-serif; font-size: 12pt; line-height: 1.6;
  text-indent: 0; margin-top: 6pt;
}
.appendix .source {
  font-size: 12pt; line-height: 1.6; text-indent: 0; margin-left: 24pt; text-align: left;
}
"""


@lru_cache(maxsize=1)
def _import_weasyprint():
    """The weasyprint module. Raises OSError (Pango or GObject missing) or ImportError."""
    import weasyprint

    return weasyprint


def unavailable() -> str:
    """Why the PDF cannot be rendered on this machine; "" when it can."""
    try:
        _import_weasyprint()
    except (OSError, ImportError):
        return _(
            "本机无法生成 PDF：缺少 Pango 排版库（libpango-1.0-0、libpangoft2-1.0-0），"
            "请联系管理员安装；其他格式可以照常下载"
        )
    return ""


def _run(run: Run) -> str:
    if isinstance(run, Figure):
        if not run.number:
            return escape(run.text)
        return format_html(
            '{text}<sup><a href="#src-{n}">[{n}]</a></sup>', text=run.text, n=run.number
        )
    return escape(run)


def _table(table: Table) -> str:
    head = "".join(format_html("<th>{}</th>", h) for h in table.headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{_run(c)}</td>" for c in row) + "</tr>" for row in table.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _chart(chart: Chart) -> str:
    data = base64.b64encode(chart_png(chart)).decode("ascii")
    return format_html(
        '<figure><img src="data:image/png;base64,{data}" alt="{title}"></figure>',
        data=data,
        title=chart.title,
    )


def _appendix(document: Document) -> str:
    parts = [
        '<section class="appendix">',
        format_html('<p class="annex">{}</p>', _("附件")),
        format_html('<p class="annex-title">{}</p>', _("数据来源")),
        format_html("<p>{}</p>", _("数据版本：%(v)s") % {"v": document.data_version or "—"}),
    ]
    for figure in document.figures():
        parts.append(
            format_html(
                '<p class="entry" id="src-{n}">{n}．{text}</p>', n=figure.number, text=figure.text
            )
        )
        for source in figure.sources or ():
            line = "；".join(p for p in (source.label, source.detail, source.url) if p)
            parts.append(format_html('<p class="source">{}</p>', line))
        if not figure.sources:
            parts.append(format_html('<p class="source">{}</p>', _("（计算所得，无单独记录）")))
    parts.append("</section>")
    return "".join(parts)


def stylesheet() -> str:
    return CSS % {"serif": SERIF_PATH.as_uri(), "sans": SANS_PATH.as_uri()}


def document_html(document: Document) -> str:
    """The whole page WeasyPrint lays out (no script, no external resource but the fonts)."""
    parts = [
        format_html("<h1>{}</h1>", document.title),
        format_html(
            '<p class="meta">（{unit}　{period}）</p>',
            unit=document.unit_name,
            period=document.period_label,
        ),
    ]
    for n, section in enumerate(document.sections, start=1):
        parts.append(format_html("<h2>{}、{}</h2>", chinese_number(n), section.title))
        if not section.blocks:
            parts.append(format_html("<p>{}</p>", section.empty or _("本期无数据。")))
        for block in section.blocks:
            if isinstance(block, Paragraph):
                parts.append("<p>" + "".join(_run(r) for r in block.runs) + "</p>")
            elif isinstance(block, Table):
                parts.append(_table(block))
            else:
                parts.append(_chart(block))
    if document.excluded:
        parts.append(format_html("<h2>{}</h2>", _("（附）未审核数据（未列入本报告）")))
        parts.extend(format_html("<p>{}</p>", line) for line in document.excluded)
    parts.append(format_html('<p class="signature first">{}</p>', document.source))
    parts.append(format_html('<p class="signature">{}</p>', chinese_date(document.issued)))
    parts.append(_appendix(document))
    return (
        '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">'
        f"<title>{escape(document.title)}</title>"
        f'<meta name="author" content="{escape(document.source)}">'
        f"<style>{stylesheet()}</style></head><body>{''.join(parts)}</body></html>"
    )


def render_pdf(document: Document) -> bytes:
    reason = unavailable()
    if reason:
        raise RuntimeError(reason)
    if not any(f.number for f in document.figures()):
        document.number_figures()
    weasyprint = _import_weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    html = weasyprint.HTML(string=document_html(document), base_url=FONT_DIR.as_uri() + "/")
    return html.write_pdf(font_config=fonts)


PDF = register_format(
    Format(
        key="pdf",
        label=gettext_lazy("PDF（公文）"),
        extension="pdf",
        content_type="application/pdf",
        render=render_pdf,
        unavailable=unavailable,
    )
)
