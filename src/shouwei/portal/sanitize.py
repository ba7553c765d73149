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


def clean_body(body: str) -> str:
    """Sanitised HTML: scripts, iframes, SVG, event handlers, style and javascript: URLs go."""
    return nh3.clean(
        body or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        allowed_classes=CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


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
