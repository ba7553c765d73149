"""Seals and checks: what a published page looked like, and whether it still does.

At publication the article's rendered HTML (whole and by part) and every file the page is built
from (its stylesheet, script and templates) are hashed with SHA-256. ``verify`` recomputes all of
it from the database and the disk and names each difference: a hijack cannot stay silent.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import zlib
from dataclasses import dataclass
from datetime import UTC
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.template import loader
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .choices import ArticleStatus
from .models import Article, Attachment
from .sanitize import body_text, clean_body

# Everything the public article page loads or is rendered from.
STATIC_ASSETS = ("shouwei/portal.css", "shouwei/portal.js", "shouwei/scroll-cues.js")
TEMPLATES = ("portal/base.html", "portal/article.html", "portal/_article_content.html")
CONTENT_TEMPLATE = "portal/_article_content.html"


def sha256(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def static_file(path: str) -> Path | None:
    """The file WhiteNoise serves for ``path``: after collectstatic the hashed copy in
    STATIC_ROOT (the one a hijacker would change on a production server), else the source."""
    if isinstance(staticfiles_storage, ManifestFilesMixin):
        try:
            return Path(staticfiles_storage.path(staticfiles_storage.stored_name(path)))
        except ValueError:  # not in the manifest: collected before the file existed
            return None
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
    """The sealed block; the view count changes with every visitor, so it is left blank.
    Always in the site's default language: an editor publishing from the English UI and the
    worker verifying must hash the same page, the one the public manifest describes."""
    with translation.override(settings.LANGUAGE_CODE):
        return loader.render_to_string(
            CONTENT_TEMPLATE,
            {"article": article, "body_html": safe_body(article), "view_count": ""},
        )


def text_part_hashes(article: Article) -> dict[str, str]:
    """The parts of the row itself (no attachments)."""
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


ATTACHMENT_PART = "attachment:"


def attachment_part(att: Attachment) -> str:
    """What of an attachment the page shows or serves: its file's digest, name and kind."""
    return sha256(
        "\n".join([att.sha256, att.kind, att.original_name, att.content_type, att.file.name])
    )


def attachment_hashes(article: Article) -> dict[str, str]:
    """``{"attachments": digest of the list, "attachment:<pk>": digest, ...}`` for the
    attachment rows the article has now: one inserted behind the application's back has no
    seal, one changed has another digest, one deleted changes the list."""
    each = {f"{ATTACHMENT_PART}{a.pk}": attachment_part(a) for a in article.attachments.all()}
    listing = "\n".join(f"{k}={v}" for k, v in sorted(each.items()))
    return {"attachments": sha256(listing), **each}


def part_hashes(article: Article) -> dict[str, str]:
    return {**text_part_hashes(article), **attachment_hashes(article)}


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
    "page": "访客收到的文章内容（与发布时的摘要不符）",
    "page_title": "访客收到的网页标题（<title>）",
    "page_status": "页面无法正常访问",
    "body_text": "正文纯文本（站内搜索所用，与正文不符）",
    "attachments": "附件列表（增加或删除了附件）",
}


def part_label(part: str) -> str:
    if part.startswith("page_load:"):
        return f"页面加载了发布时没有的脚本或样式：{part.removeprefix('page_load:')}"
    if part.startswith("page_markup:"):
        return f"页面中多出了可执行或跳转的标记：{part.removeprefix('page_markup:')}"
    if part.startswith(ATTACHMENT_PART):
        return f"附件 #{part.removeprefix(ATTACHMENT_PART)}（增加、删除或改动了附件记录）"
    if part.startswith(ATTACHMENT_FILE):
        return f"附件 #{part.removeprefix(ATTACHMENT_FILE)} 的文件（磁盘上的文件与发布时不符）"
    if part.startswith("static:") and part.endswith((" (gzip)", " (br)")):
        return f"{part}：压缩版本与原文件不一致"
    return PART_LABELS.get(part, part)


@dataclass(frozen=True)
class Problem:
    article_id: int
    title: str
    url: str
    part: str  # a key of PART_LABELS, or "static:<path>" / "template:<name>"

    def __str__(self) -> str:
        label = part_label(self.part)
        return f"文章 #{self.article_id}《{self.title}》({self.url}) 已被改动：{label}"


def changed_parts(article: Article, parts: dict[str, str]) -> list[str]:
    """The parts of the row (``parts``: ``part_hashes(article)``) that differ from its seals;
    a sealed attachment that is gone changes the "attachments" part."""
    return [k for k, v in parts.items() if article.part_hashes.get(k) != v]


ATTACHMENT_FILE = "attachment_file:"


def file_bytes_problem(att: Attachment, data: bytes) -> str | None:
    """The file on disk against the digest taken at upload (and sealed with the page)."""
    return None if sha256(data) == att.sha256 else f"{ATTACHMENT_FILE}{att.pk}"


def attachment_files_problems(article: Article) -> list[str]:
    out = []
    for att in article.attachments.all():
        try:
            with att.file.open("rb") as fh:
                data = fh.read()
        except OSError:
            data = b""
        if problem := file_bytes_problem(att, data):
            out.append(problem)
    return out


def body_text_differs(article: Article) -> bool:
    """The stored plain text the portal search reads must be the body's: a forged
    ``body_text`` would put words in the search results that no page says."""
    return article.body_text != body_text(article.body)


def row_problems(article: Article) -> list[str]:
    """What of the row no longer matches its seal (no file is read)."""
    parts = changed_parts(article, part_hashes(article))
    if has_unsanitised_body(article):
        parts.append("body_unsanitised")
    if "body" not in parts and body_text_differs(article):  # a changed body says it already
        parts.append("body_text")
    return parts


def searchable(article: Article) -> bool:
    """Whether the search may show this article's title and text (its text parts sealed)."""
    return not (
        changed_parts(article, text_part_hashes(article))
        or has_unsanitised_body(article)
        or body_text_differs(article)
    )


def file_problems(article: Article) -> list[str]:
    """The page's templates and static files (on disk, as this process would load them)
    against the seal."""
    return [k for k, v in asset_hashes().items() if article.asset_hashes.get(k) != v]


def content_differs(article: Article) -> bool:
    """The content block, rendered now, against the seal (an intact row and intact files
    render the sealed bytes; anything else that changes them is caught here)."""
    return sha256(render_content(article)) != article.content_sha256


def last_sealed_version(article: Article) -> Article | None:
    """The article as it was when last saved through the application while published, if
    that still hashes to the seal: what to serve instead of a row changed behind its back."""
    history = article.history.filter(status=ArticleStatus.PUBLISHED).order_by(
        "-history_date", "-history_id"
    )
    wanted = {k: article.part_hashes.get(k) for k in text_part_hashes(article)}
    for record in history[:10]:
        candidate = record.instance
        candidate.view_count = article.view_count
        if text_part_hashes(candidate) == wanted and not has_unsanitised_body(candidate):
            return candidate
    return None


def sealed_attachments(article: Article) -> list[Attachment]:
    """The attachments the seal names, as sealed (rows inserted or changed later left out)."""
    return [
        a
        for a in article.attachments.all()
        if article.part_hashes.get(f"{ATTACHMENT_PART}{a.pk}") == attachment_part(a)
    ]


def has_unsanitised_body(article: Article) -> bool:
    """Markup outside the allow-list in the stored body. A script added to the row is stripped
    when the page renders, so the body's seal still matches; the row has been tampered with
    all the same."""
    return article.body != clean_body(article.body)


def verify() -> list[Problem]:
    """Every difference between the published seals and what would be served now: the rows
    and files re-hashed, and each page fetched through the application as a visitor gets it."""
    problems: list[Problem] = []
    current_assets = asset_hashes()
    visitor = _Visitor()
    served_assets = visitor.assets()
    for article in Article.objects.published().select_related("channel"):
        url = article.get_absolute_url()
        reported: set[str] = set()

        def report(part: str, article=article, url=url, reported=reported) -> None:
            if part not in reported:
                reported.add(part)
                problems.append(Problem(article.pk, article.title, url, part))

        parts = part_hashes(article)
        changed = changed_parts(article, parts)
        for part in changed:
            report(part)
        if not changed and sha256(render_content(article)) != article.content_sha256:
            report("content")
        if has_unsanitised_body(article):
            report("body_unsanitised")
        if "body" not in reported and body_text_differs(article):
            report("body_text")
        for part in attachment_files_problems(article):
            report(part)
        for path, digest in sorted(current_assets.items()):
            if article.asset_hashes.get(path) != digest:
                report(path)
        for path, digest in sorted(served_assets.items()):
            if digest == COPY_DIFFERS or digest != article.asset_hashes.get(path, digest):
                report(path)
        # The served page is compared with the seals only while the row and the files are
        # intact: a changed one changes the page too (the page then serves the last sealed
        # version or a notice), and its parts above already say what changed.
        if not reported:
            for part in visitor.page_problems(article):
                report(part)
    return problems


@dataclass(frozen=True)
class Reseal:
    """What ``reseal_files`` found: the files whose digests differ from the seals, the articles
    whose seals take them (or would, on a dry run), and those refused because their row changed."""

    changed_files: list[str]
    resealed: list[int]
    refused: list[Problem]


def reseal_files(*, apply: bool) -> Reseal:
    """After an upgrade ships new portal templates or static files, take the files as they are
    now into every published page's seal, so that ``verify`` reports tampering from then on
    instead of the release.

    Only the files: an article whose row no longer matches its own seal (a changed title or
    body, markup outside the allow-list) is refused and left as it is. Those are edits behind
    the application's back, to be investigated and republished through review, never blessed
    by a deployment step.
    """
    current = asset_hashes()
    changed: set[str] = set()
    resealed: list[int] = []
    refused: list[Problem] = []
    for article in Article.objects.published().select_related("channel"):
        url = article.get_absolute_url()
        tampered = changed_parts(article, part_hashes(article))
        if has_unsanitised_body(article):
            tampered.append("body_unsanitised")
        if tampered:
            refused.extend(Problem(article.pk, article.title, url, part) for part in tampered)
            continue
        files = {k for k, v in current.items() if article.asset_hashes.get(k) != v}
        content = sha256(render_content(article))
        if not files and content == article.content_sha256:
            continue
        changed |= files
        resealed.append(article.pk)
        if apply:
            # update(): a seal is not an edit, so neither updated_at nor the history moves.
            Article.objects.filter(pk=article.pk).update(
                content_sha256=content, asset_hashes=current
            )
    return Reseal(sorted(changed), resealed, refused)


# --- what a visitor is served ------------------------------------------------------------------

# What portal/base.html writes after an article's title in <title>.
SITE_NAME = "衡阳国家高新技术产业开发区"
# "bot": services.is_bot() keeps the check's requests out of the 浏览量.
VERIFY_USER_AGENT = "shouwei-verify-bot"
_ARTICLE_ELEMENT = re.compile(r'<article class="article"[^>]*>.*?</article>\n', re.S)
_VIEW_COUNT = re.compile(r"(<span data-views>)[^<]*(</span>)")
_COMPRESSED = {"gzip": gzip.decompress}
COPY_DIFFERS = "differs"  # a compressed copy that does not unpack to the file served plain


class _PageScan(HTMLParser):
    """The page's <title>, and every element that loads code or a stylesheet, or could run
    code or take the visitor elsewhere (the usual furniture of a hijacked page)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.loads: list[str] = []
        self.foreign: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "title" and not self.title:
            # The document's own; the QR code's <svg> has a <title> of its own further down.
            self._in_title = True
        elif tag == "script":
            if a.get("src"):
                self.loads.append(a["src"])
            else:
                self.foreign.append("<script>")
        elif tag == "link" and "stylesheet" in a.get("rel", "").lower().split():
            self.loads.append(a.get("href", ""))
        elif tag in ("iframe", "frame", "object", "embed", "base"):
            self.foreign.append(f"<{tag}>")
        elif tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            self.foreign.append('<meta http-equiv="refresh">')

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def _unpacked(decode, body: bytes) -> bytes | None:
    """The bytes a compressed copy unpacks to; None when it does not unpack at all."""
    errors: tuple[type[BaseException], ...] = (OSError, EOFError, zlib.error)
    try:
        import brotli
    except ImportError:
        pass
    else:
        errors += (brotli.error,)
    try:
        return decode(body)
    except errors:
        return None


def _static_url(path: str) -> str | None:
    from django.templatetags.static import static

    try:
        return static(path)
    except ValueError:  # not in collectstatic's manifest: reported as missing
        return None


class _Visitor:
    """Requests through the whole application in this process (middleware, page cache,
    WhiteNoise), as an anonymous visitor of the site's first allowed host: what is checked is
    what a visitor is sent, not a re-rendering beside it."""

    def __init__(self) -> None:
        from django.test import Client

        hosts = [h.lstrip(".") for h in settings.ALLOWED_HOSTS if h.lstrip(".") not in ("", "*")]
        self.client = Client(
            raise_request_exception=False,  # a page that fails is reported, not raised
            HTTP_HOST=hosts[0] if hosts else "localhost",
            HTTP_USER_AGENT=VERIFY_USER_AGENT,
            HTTP_ACCEPT_LANGUAGE=settings.LANGUAGE_CODE,
        )
        # Behind TLS (secure cookies on) visitors arrive over https, and the page cache keys
        # on the scheme.
        self.secure = settings.SESSION_COOKIE_SECURE

    def get(self, url: str, **headers) -> tuple[int, bytes, str]:
        # No response.close() here: the test client has closed it already (a streamed file
        # once read to the end), with its database-connection handlers unhooked; closing it
        # again would fire request_finished with them, and drop this process's connection.
        response = self.client.get(url, secure=self.secure, **headers)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response.status_code, body, response.get("Content-Encoding", "")

    def assets(self) -> dict[str, str]:
        """``{"static:<path>": sha256 of the bytes served}``; a compressed copy (WhiteNoise
        sends the .br/.gz file made by collectstatic to browsers that accept it) that does not
        unpack to the same bytes is listed as ``COPY_DIFFERS``."""
        decoders = dict(_COMPRESSED)
        try:
            import brotli
        except ImportError:
            pass
        else:
            decoders["br"] = brotli.decompress
        out = {}
        for path in STATIC_ASSETS:
            url = _static_url(path)
            if url is None:
                out[f"static:{path}"] = "missing"
                continue
            status, plain, _ = self.get(url, HTTP_ACCEPT_ENCODING="identity")
            out[f"static:{path}"] = sha256(plain) if status == 200 else "missing"
            for encoding, decode in decoders.items() if status == 200 else ():
                status, body, used = self.get(url, HTTP_ACCEPT_ENCODING=encoding)
                if status == 200 and used == encoding and _unpacked(decode, body) != plain:
                    out[f"static:{path} ({encoding})"] = COPY_DIFFERS
        return out

    def page_problems(self, article: Article) -> list[str]:
        status, body, _ = self.get(article.get_absolute_url())
        if status != 200:
            return ["page_status"]
        page = body.decode("utf-8", "replace")
        parts = []
        element = _ARTICLE_ELEMENT.search(page)
        blanked = _VIEW_COUNT.sub(r"\1\2", element.group(0)) if element else ""
        if sha256(blanked) != article.content_sha256:
            parts.append("page")
        scan = _PageScan()
        scan.feed(page)
        suffix = f" - {SITE_NAME}"
        title = scan.title.removesuffix(suffix)
        if title == scan.title or sha256(escape(title)) != article.part_hashes.get("title"):
            parts.append("page_title")
        expected = {_static_url(path) for path in STATIC_ASSETS}
        parts += [f"page_load:{url}" for url in scan.loads if url not in expected]
        parts += [f"page_markup:{tag}" for tag in scan.foreign]
        return parts


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
            "SHA-256 of the page's <article> element as rendered in the site's default "
            "language (Chinese), with the view count (<span data-views>) left empty"
        ),
        "assets": asset_hashes(),
        "pages": pages,
    }
