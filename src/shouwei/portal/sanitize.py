"""The allow-list for article bodies: applied when an article is saved and again when it is
rendered, so a row changed behind the application's back still cannot carry a script."""

from __future__ import annotations

import html
import re

import nh3

TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "blockquote",
    "h2", "h3", "h4", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td",
    "caption", "figure", "figcaption", "img", "a", "span", "hr",
}  # fmt: skip
# No style, no on*, no class beyond the few the stylesheet knows: a body cannot restyle the
# page or overlay the site's own chrome (the usual way a hijacked page hides itself).
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
CLASSES = {"p": {"photo-caption", "lead"}, "figure": {"photo"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Elements dropped with everything inside them, not just their tags: a <title> or Word's <xml>
# settings block would otherwise leave their text ("Normal 0 false…") in the article.
CONTENT_TAGS = {"script", "style", "title", "xml"}


def clean_body(body: str) -> str:
    """Sanitised HTML: scripts, iframes, SVG, event handlers, style and javascript: URLs go.
    HTML pasted from Word or WPS is tidied first (see ``clean_word``)."""
    body = _HEADING.sub(_heading, body or "")
    if is_word_html(body):
        body = clean_word(body)
    return _allow_list(body)


# The page's <h1> is the article's title: a heading 1 in the body (Word's 标题 1, a pasted
# page) becomes <h2>; 5 and 6 become <h4>, the smallest the page styles. A cleaned body holds
# none of these tags (the allow-list drops them, and a "<" in text is escaped), so cleaning a
# stored body again changes nothing.
_HEADING = re.compile(r"<(/?)h([156])\b", re.I)
_HEADING_LEVEL = {"1": "2", "5": "4", "6": "4"}


def _heading(match: re.Match) -> str:
    return f"<{match.group(1)}h{_HEADING_LEVEL[match.group(2)]}"


def _allow_list(body: str, tags: set[str] = TAGS, classes: dict | None = None) -> str:
    return nh3.clean(
        body,
        tags=tags,
        clean_content_tags=CONTENT_TAGS,
        attributes=ATTRIBUTES,
        allowed_classes=CLASSES if classes is None else classes,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


# --- HTML from Word ------------------------------------------------------------------------
# Word's clipboard HTML (and WPS's, which copies it) carries markup that the allow-list alone
# turns into litter: <o:p>&nbsp;</o:p> empty paragraphs, a <span lang=EN-US> around every
# number, list bullets padded with &nbsp; runs, <img> pointing at the author's C:\ drive,
# class="MsoNormal". These markers are tags and attributes the allow-list never lets through,
# so a body that was cleaned once is never taken for Word again: cleaning stays idempotent,
# and a published article's sealed body is unchanged by a second cleaning.
_WORD_MARKERS = re.compile(
    r"<o:p\b|<xml\b|<w:|<v:|<!\[if\b|<!--\[if\b|class=[\"']?Mso|content=[\"']?Word\.Document",
    re.I,
)
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
_NBSP_RUN = re.compile(r"(?:\s|&nbsp;)*&nbsp;(?:\s|&nbsp;)*")
_EMPTY_BLOCK = re.compile(r"<(p|h[2-4]|li|blockquote)>(?:\s|<br>)*</\1>")
_CAPTION = re.compile(r"<p>(\s*▲)")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def is_word_html(html: str) -> bool:
    return bool(_WORD_MARKERS.search(html))


def clean_word(html: str) -> str:
    """Word's HTML reduced to the structure the article keeps: paragraphs, headings, bold and
    italic, lists, tables and links. Spans go (only their text stays), so do the &nbsp;
    padding, empty paragraphs and images that were never uploaded; a paragraph starting with ▲
    becomes a photo caption, the convention of the zone's articles."""
    html = _allow_list(html, tags=TAGS - {"span"}, classes={})
    html = _IMG_WITHOUT_SRC.sub("", html)
    html = _NBSP_RUN.sub(" ", html)
    html = _EMPTY_BLOCK.sub("", html)
    html = _CAPTION.sub(r'<p class="photo-caption">\1', html)
    return _BLANK_LINES.sub("\n", html).strip()


_BLOCK_END = re.compile(r"</(p|h[2-4]|li|tr|figcaption|blockquote)>|<br\s*/?>", re.I)
_SPACES = re.compile(r"[ \t\u3000]+")


def body_text(body: str) -> str:
    """The body as plain text (one line per paragraph), for search and feed summaries."""
    text = _BLOCK_END.sub("\n", clean_body(body))
    text = html.unescape(nh3.clean(text, tags=set()))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


_MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|&[#a-zA-Z0-9]+;")


def has_markup(text: str) -> bool:
    return bool(_MARKUP.search(text or ""))


def text_to_paragraphs(text: str) -> str:
    """Plain text → <p> per line (▲ lines become photo captions), escaped."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        cls = ' class="photo-caption"' if line.startswith("▲") else ""
        out.append(f"<p{cls}>{html.escape(line)}</p>")
    return "\n".join(out)
