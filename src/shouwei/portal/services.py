"""Writes: saving (a version each time), the two-person review, attachments, view counting."""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import unicodedata
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from shouwei.core.choices import Role
from shouwei.core.permissions import scope_for

from . import integrity
from .choices import ArticleStatus, AttachmentKind
from .models import Article, ArticleVersion, ArticleView, Attachment, Channel
from .sanitize import body_text, clean_body, has_markup

EDIT_ROLES = (Role.EDITOR, Role.REVIEWER)
EDITABLE_STATUSES = (ArticleStatus.DRAFT, ArticleStatus.WITHDRAWN)


def _require_role(user, *roles: str) -> None:
    if not scope_for(user).has_role(*roles):
        raise PermissionDenied("没有门户网站的编辑或审核权限")


def _snapshot(article: Article, user) -> ArticleVersion:
    last = article.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return ArticleVersion.objects.create(
        article=article,
        number=last + 1,
        title=article.title,
        subtitle=article.subtitle,
        body=article.body,
        tags=article.tags,
        status=article.status,
        saved_by=user,
    )


def _check_text(field: str, value: str, label: str) -> None:
    if has_markup(value):
        raise ValidationError({field: f"{label}只能是纯文本，不能包含 HTML 标记或实体"})


@transaction.atomic
def save_article(
    *,
    user,
    channel: Channel,
    title: str,
    body: str,
    subtitle: str = "",
    source_unit: str = "衡阳高新区",
    author: str = "",
    tags: str = "",
    published_at=None,
    article: Article | None = None,
) -> Article:
    """Create or change a draft. The body is sanitised here; the page sanitises it again."""
    _require_role(user, *EDIT_ROLES)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "标题不能为空"})
    for field, value, label in (
        ("title", title, "标题"),
        ("subtitle", subtitle, "副标题"),
        ("source_unit", source_unit, "来源"),
        ("author", author, "作者"),
        ("tags", tags, "标签"),
    ):
        _check_text(field, value, label)
    cleaned = clean_body(body)
    if not body_text(cleaned):
        raise ValidationError({"body": "正文不能为空（清洗后没有可显示的内容）"})
    if article is None:
        article = Article(created_by=user)
    elif article.status not in EDITABLE_STATUSES:
        raise ValidationError({"status": f"{article.get_status_display()}的文章不能修改，请先撤回"})
    article.channel = channel
    article.title, article.subtitle = title, subtitle.strip()
    article.source_unit, article.author = source_unit.strip(), author.strip()
    article.tags, article.published_at = tags.strip(), published_at or article.published_at
    article.body, article.body_text = cleaned, body_text(cleaned)
    article.status = ArticleStatus.DRAFT
    article.save()
    _snapshot(article, user)
    return article


@transaction.atomic
def submit_for_review(*, user, article: Article) -> Article:
    _require_role(user, *EDIT_ROLES)
    if article.status != ArticleStatus.DRAFT:
        raise ValidationError({"status": "只有草稿可以送审"})
    article.status = ArticleStatus.IN_REVIEW
    article.save(update_fields=["status", "updated_at"])
    _snapshot(article, user)
    return article


def _seal_and_publish(article: Article, reviewer) -> Article:
    article.status = ArticleStatus.PUBLISHED
    article.reviewed_by = reviewer
    article.published_at = article.published_at or timezone.now()
    integrity.seal(article)
    article.save()
    _snapshot(article, reviewer)
    return article


@transaction.atomic
def publish(*, user, article: Article) -> Article:
    """Two-person rule: a reviewer who is not the article's author publishes it."""
    _require_role(user, Role.REVIEWER)
    if article.status != ArticleStatus.IN_REVIEW:
        raise ValidationError({"status": "只有待审核的文章可以发布"})
    if (
        article.created_by_id == user.pk
        or article.versions.filter(saved_by=user, status=ArticleStatus.DRAFT).exists()
    ):
        raise PermissionDenied("不能审核发布自己撰写或修改过的文章（双人审核）")
    return _seal_and_publish(article, user)


@transaction.atomic
def publish_demo(*, article: Article) -> Article:
    """The demo loader's publication: no people exist yet when the demo loads."""
    article.status = ArticleStatus.IN_REVIEW
    return _seal_and_publish(article, None)


@transaction.atomic
def withdraw(*, user, article: Article) -> Article:
    _require_role(user, Role.REVIEWER)
    if article.status != ArticleStatus.PUBLISHED:
        raise ValidationError({"status": "只有已发布的文章可以撤回"})
    article.status = ArticleStatus.WITHDRAWN
    article.save(update_fields=["status", "updated_at"])
    _snapshot(article, user)
    return article


# --- attachments -----------------------------------------------------------------------------

IMAGE_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}
FILE_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
}
_SAFE_CHARS = re.compile(r"[^\w\u4e00-\u9fff（）()\-. ]+")


def safe_filename(name: str) -> str:
    """The last path component only, without control characters or leading dots:
    ``../../etc/passwd`` → ``passwd``, ``..\\..\\a.pdf`` → ``a.pdf``."""
    name = unicodedata.normalize("NFKC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _SAFE_CHARS.sub("_", name).strip(" .")
    return name[-150:] or "file"


def _sniff(data: bytes) -> str | None:
    """The real type from the first bytes, whatever the name or browser claims."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    return None


def _reencode_image(data: bytes, kind: str) -> bytes:
    """Decode and encode again: drops EXIF (GPS, camera) and anything smuggled after the
    image data; a file that does not decode is not an image."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            out = io.BytesIO()
            fmt = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}[kind]
            if fmt == "JPEG" and img.mode not in ("RGB", "L"):
                img = img.convert("RGB")
            img.save(out, format=fmt)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ValidationError({"file": "图片文件无法解码，已拒绝"}) from exc
    return out.getvalue()


@transaction.atomic
def add_attachment(
    *, user, article: Article, name: str, data: bytes, image: bool, caption: str = ""
) -> Attachment:
    _require_role(user, *EDIT_ROLES)
    limit = settings.SHOUWEI_PORTAL_UPLOAD_MAX_BYTES
    if len(data) > limit:
        raise ValidationError(
            {"file": f"文件过大：{len(data) / 1048576:.1f} MB，上限 {limit / 1048576:.0f} MB"}
        )
    _check_text("caption", caption, "图片说明")
    original = safe_filename(name)
    ext = os.path.splitext(original)[1].lower().lstrip(".")
    sniffed = _sniff(data)
    if image:
        if sniffed not in IMAGE_TYPES:
            raise ValidationError(
                {"file": f"“{original}”不是 PNG/JPEG/GIF/WebP 图片（SVG、HTML 等一律拒绝）"}
            )
        data, ext, content_type = _reencode_image(data, sniffed), sniffed, IMAGE_TYPES[sniffed]
        ext = "jpg" if ext == "jpeg" else ext
        kind = AttachmentKind.IMAGE
    else:
        expected = {"pdf": "pdf", "docx": "zip", "xlsx": "zip", "doc": "ole", "xls": "ole"}
        if ext not in FILE_TYPES or expected[ext] != sniffed:
            raise ValidationError(
                {"file": f"“{original}”的类型不允许或与内容不符；只接受 PDF、Word、Excel"}
            )
        content_type, kind = FILE_TYPES[ext], AttachmentKind.FILE
    att = Attachment(
        article=article,
        kind=kind,
        original_name=original,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        caption=caption.strip(),
    )
    att.file.save(f"{secrets.token_hex(12)}.{ext}", ContentFile(data), save=False)
    att.save()
    return att


# --- views -----------------------------------------------------------------------------------

BOT_MARKERS = (
    "bot", "spider", "crawl", "slurp", "bingpreview", "facebookexternalhit", "headless",
    "python-requests", "python-urllib", "curl", "wget", "httpclient", "go-http-client",
    "java/", "okhttp", "scrapy", "phantomjs", "selenium", "yisouspider", "sogou", "bytespider",
)  # fmt: skip


def is_bot(user_agent: str) -> bool:
    ua = (user_agent or "").lower()
    return not ua or any(marker in ua for marker in BOT_MARKERS)


def visitor_key(*, ip: str, user_agent: str, day: date) -> str:
    # Salted with the secret key and the day: the stored value cannot be turned back into an
    # address, and one day's marks say nothing about another day's.
    raw = f"{settings.SECRET_KEY}|{day.isoformat()}|{ip}|{user_agent}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def record_view(*, article: Article, ip: str, user_agent: str) -> bool:
    """Count a view once per visitor per article per day; bots are not counted."""
    if is_bot(user_agent):
        return False
    day = timezone.localdate()
    try:
        with transaction.atomic():
            ArticleView.objects.create(
                article=article, day=day, visitor=visitor_key(ip=ip, user_agent=user_agent, day=day)
            )
    except IntegrityError:
        return False
    # F(): concurrent views add up; update() leaves the history and the seal alone.
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)
    return True
