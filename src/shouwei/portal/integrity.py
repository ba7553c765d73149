"""Seals and checks: what a published page looked like, and whether it still does.

At publication the article's rendered HTML (whole and by part) and every file the page is built
from (its stylesheet, script and templates) are hashed with SHA-256. ``verify`` recomputes all of
it from the database and the disk and names each difference: a hijack cannot stay silent.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template import loader
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Article
from .sanitize import clean_body

# Everything the public article page loads or is rendered from.
STATIC_ASSETS = ("shouwei/portal.css", "shouwei/portal.js")
TEMPLATES = ("portal/base.html", "portal/article.html", "portal/_article_content.html")
CONTENT_TEMPLATE = "portal/_article_content.html"


def sha256(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def static_file(path: str) -> Path | None:
    found = finders.find(path)
    return Path(found) if found else None


def template_file(name: str) -> Path:
    return Path(loader.get_template(name).origin.name)


def asset_hashes() -> dict[str, str]:
    """``{"static:shouwei/portal.css": sha, "template:portal/article.html": sha, ...}``;
    a missing file hashes to "missing" so that its disappearance is reported too."""
    out = {}
    for path in STATIC_ASSETS:
        f = static_file(path)
        out[f"static:{path}"] = sha256(f.read_bytes()) if f and f.exists() else "missing"
    for name in TEMPLATES:
        out[f"template:{name}"] = sha256(template_file(name).read_bytes())
    return out


def safe_body(article: Article) -> str:
    """The body as a page shows it: sanitised again at render time."""
    return mark_safe(clean_body(article.body))  # nh3 output: the allow-list only


def render_content(article: Article) -> str:
    """The sealed block; the view count changes with every visitor, so it is left blank."""
    return loader.render_to_string(
        CONTENT_TEMPLATE, {"article": article, "body_html": safe_body(article), "view_count": ""}
    )


def part_hashes(article: Article) -> dict[str, str]:
    # In UTC: the same instant must hash the same whether it came from the database or a form.
    when = article.published_at
    published = when.astimezone(UTC).isoformat() if when else ""
    return {
        "title": sha256(escape(article.title)),
        "subtitle": sha256(escape(article.subtitle)),
        "meta": sha256("\n".join([published, article.source_unit, article.author])),
        "channel": sha256(str(article.channel_id)),
        "body": sha256(safe_body(article)),
    }


def seal(article: Article) -> None:
    """Fill the article's hashes (the caller saves it)."""
    article.content_sha256 = sha256(render_content(article))
    article.part_hashes = part_hashes(article)
    article.asset_hashes = asset_hashes()


PART_LABELS = {
    "title": "标题",
    "subtitle": "副标题",
    "meta": "发布时间/来源/作者",
    "channel": "栏目",
    "body": "正文",
    "content": "页面模板",
    "body_unsanitised": "正文（数据库中被写入了白名单以外的标记）",
}


@dataclass(frozen=True)
class Problem:
    article_id: int
    title: str
    url: str
    part: str  # a key of PART_LABELS, or "static:<path>" / "template:<name>"

    def __str__(self) -> str:
        label = PART_LABELS.get(self.part, self.part)
        return f"文章 #{self.article_id}《{self.title}》({self.url}) 已被改动：{label}"


def verify() -> list[Problem]:
    """Every difference between the published seals and what would be served now."""
    problems: list[Problem] = []
    current_assets = asset_hashes()
    for article in Article.objects.published().select_related("channel"):
        url = article.get_absolute_url()

        def report(part: str, article=article, url=url) -> None:
            problems.append(Problem(article.pk, article.title, url, part))

        parts = part_hashes(article)
        changed = [k for k, v in parts.items() if article.part_hashes.get(k) != v]
        for part in changed:
            report(part)
        if not changed and sha256(render_content(article)) != article.content_sha256:
            report("content")
        # A script added to the row is stripped when the page renders, so the body's seal still
        # matches; the row itself has been tampered with all the same.
        if article.body != clean_body(article.body):
            report("body_unsanitised")
        for path, digest in sorted(current_assets.items()):
            if article.asset_hashes.get(path) != digest:
                report(path)
    return problems


def manifest(base_url: str) -> dict:
    """The public integrity manifest: what each published page must hash to."""
    pages = []
    for article in Article.objects.published().order_by("pk"):
        pages.append(
            {
                "id": article.pk,
                "url": base_url + article.get_absolute_url(),
                "title": article.title,
                "published_at": article.published_at.isoformat(),
                "content_sha256": article.content_sha256,
                "parts": article.part_hashes,
                "assets": article.asset_hashes,
            }
        )
    return {
        "algorithm": "sha256",
        "content": (
            "SHA-256 of the page's <article> element as rendered, with the view count "
            "(<span data-views>) left empty"
        ),
        "assets": asset_hashes(),
        "pages": pages,
    }
