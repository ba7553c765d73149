"""Writes: saving (a version each time), the two-person review, attachments, view counting."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from shouwei.core import uploads
from shouwei.core.permissions import ADD, CHANGE, PUBLISH, SUBMIT, WITHDRAW, may, require

from . import cache as page_cache
from . import integrity, selectors
from .choices import ArticleStatus, AttachmentKind
from .models import (
    EDITABLE_STATUSES,
    PORTAL_ROLES,
    RETURN,
    Article,
    ArticleVersion,
    ArticleView,
    Attachment,
    Channel,
)
from .sanitize import body_text, clean_body, has_markup

security_log = logging.getLogger("shouwei.security")
NO_RIGHT = "没有门户网站的编辑或审核权限"
EDIT_ROLES = PORTAL_ROLES


def _require(user, action: str, article: Article) -> None:
    require(user, action, article, NO_RIGHT)


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
    by,
    channel: Channel,
    title: str,
    body: str,
    subtitle: str = "",
    source_unit: str = "衡阳高新区",
    author: str = "",
    tags: str = "",
    published_at=None,
    instance: Article | None = None,
) -> Article:
    """Create (no ``instance``) or change a draft. The body is sanitised here; the page
    sanitises it again. The editing pages' view set calls it for both."""
    user, article = by, instance
    if article is None:
        _require(user, ADD, Article())
    elif article.status in EDITABLE_STATUSES:
        _require(user, CHANGE, article)
    elif not may(user, Article, CHANGE):
        raise PermissionDenied(NO_RIGHT)
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
    article._history_user = user
    article.save()
    _snapshot(article, user)
    return article


@transaction.atomic
def submit_for_review(*, by, article: Article) -> Article:
    if article.status != ArticleStatus.DRAFT:
        raise ValidationError({"status": "只有草稿可以送审"})
    _require(by, SUBMIT, article)
    article.status = ArticleStatus.IN_REVIEW
    article.save(update_fields=["status", "updated_at"])
    _snapshot(article, by)
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
def publish(*, by, article: Article) -> Article:
    """Two-person rule: a reviewer who neither wrote the article nor changed what is about to
    be published — its text, or its pictures and attachments — publishes it."""
    if article.status != ArticleStatus.IN_REVIEW:
        raise ValidationError({"status": "只有待审核的文章可以发布"})
    _require(by, PUBLISH, article)
    if selectors.changed_by(by, article):
        raise PermissionDenied("不能审核发布自己撰写或修改过的文章（双人审核）")
    published = _seal_and_publish(article, by)
    security_log.info(
        "published article #%s by %s",
        article.pk,
        by,
        extra={"event": "publication", "user_id": by.pk, "username": by.get_username()},
    )
    return published


@transaction.atomic
def publish_demo(*, article: Article) -> Article:
    """The demo loader's publication: no people exist yet when the demo loads."""
    article.status = ArticleStatus.IN_REVIEW
    return _seal_and_publish(article, None)


@transaction.atomic
def withdraw(*, by, article: Article) -> Article:
    if article.status != ArticleStatus.PUBLISHED:
        raise ValidationError({"status": "只有已发布的文章可以撤回"})
    _require(by, WITHDRAW, article)
    article.status = ArticleStatus.WITHDRAWN
    article.save(update_fields=["status", "updated_at"])
    _snapshot(article, by)
    return article


@transaction.atomic
def return_to_draft(*, by, article: Article, reason: str = "") -> Article:
    """退回修改: an article in review goes back to draft (a reviewer sending it back, or its
    author taking back a submission). Its content does not change, so no version is taken —
    and none may be: a version saved as draft by the reviewer would bar them from publishing
    the corrected text. The history keeps who returned it, when and why."""
    if article.status != ArticleStatus.IN_REVIEW:
        raise ValidationError({"status": "只有待审核的文章可以退回修改"})
    _require(by, RETURN, article)
    reason = (reason or "").strip()
    _check_text("reason", reason, "退回理由")
    if len(reason) > 100:
        raise ValidationError({"reason": "退回理由不能超过 100 字"})
    article.status = ArticleStatus.DRAFT
    article._change_reason = reason or "退回修改"
    article.save(update_fields=["status", "updated_at"])
    return article


# --- attachments -----------------------------------------------------------------------------


@transaction.atomic
def add_attachment(
    *, by, article: Article, name: str, data: bytes, image: bool, caption: str = ""
) -> Attachment:
    if article.status not in EDITABLE_STATUSES:
        # A published page changes only through withdrawal, editing and a second review.
        raise ValidationError(
            {"file": f"{article.get_status_display()}的文章不能增加图片或附件，请先撤回"}
        )
    _check_text("caption", caption, "图片说明")
    limit = settings.SHOUWEI_PORTAL_UPLOAD_MAX_BYTES
    if image:
        checked, kind = uploads.check_image(name, data, limit=limit), AttachmentKind.IMAGE
    else:
        checked, kind = uploads.check_document(name, data, limit=limit), AttachmentKind.FILE
    original, data, ext, content_type = (
        checked.original_name,
        checked.data,
        checked.extension,
        checked.content_type,
    )
    _require(by, CHANGE, article)
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
    att._history_user = by  # the two-person rule reads who added it (changed_what_is_published)
    att.save()
    return att


@transaction.atomic
def remove_attachment(*, by, attachment: Attachment) -> None:
    """From a draft or withdrawn article only, and never an image its body still shows. The
    stored file is kept (the row stays in the history), so nothing an older version showed
    is lost."""
    article = attachment.article
    if article.status not in EDITABLE_STATUSES:
        raise ValidationError(
            {"file": f"{article.get_status_display()}的文章不能删除图片或附件，请先撤回"}
        )
    if attachment.get_absolute_url() in article.body:
        raise ValidationError({"file": f"正文中仍在使用“{attachment}”，请先从正文中删除"})
    _require(by, CHANGE, article)
    attachment._history_user = by
    attachment.delete()


# --- drafts from another app's document ----------------------------------------------------


@dataclass(frozen=True)
class DraftImage:
    """A picture a drafted article shows: its file name, PNG/JPEG bytes and caption."""

    key: str
    name: str
    data: bytes
    caption: str = ""


@transaction.atomic
def draft_with_images(
    *,
    by,
    channel_slug: str,
    title: str,
    body: Callable[[dict[str, str]], str],
    images: list[DraftImage],
    source_unit: str,
    source_report=None,
    source_data_version: str = "",
) -> Article:
    """A DRAFT article written by ``by`` from another app's document (a built report): saved,
    its pictures uploaded as its attachments, then its body (``body(urls)``, ``urls`` mapping
    each image's key to its attachment's URL) saved again with them. Everything goes through
    ``save_article`` and ``add_attachment``: the body is sanitised, the images checked, the
    versions and the history name ``by``, and the two-person rule keeps ``by`` from
    publishing it. Nothing is published here."""
    channel = Channel.objects.filter(slug=channel_slug).first()
    if channel is None:
        raise ValidationError({"channel": f"门户没有代码为“{channel_slug}”的栏目"})
    if source_report is not None:
        # One article per build: a second press would leave two drafts of the same report.
        earlier = Article.objects.filter(source_report=source_report).first()
        if earlier is not None:
            raise ValidationError(
                {"source_report": f"该报告已生成门户文章“{earlier.title}”（#{earlier.pk}）"}
            )
    article = save_article(
        by=by, channel=channel, title=title, body=body({}), source_unit=source_unit
    )
    urls = {}
    for image in images:
        att = add_attachment(
            by=by,
            article=article,
            name=image.name,
            data=image.data,
            image=True,
            caption=image.caption[:200],
        )
        urls[image.key] = att.get_absolute_url()
    article.source_report = source_report
    article.source_data_version = source_data_version[:64]
    return save_article(
        by=by,
        channel=channel,
        title=title,
        body=body(urls),
        source_unit=source_unit,
        instance=article,
    )


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


def record_view(*, article_id: int, ip: str, user_agent: str) -> bool:
    """Count a view once per visitor per article per day; bots are not counted.

    Takes the id, not the row: a page served from the cache has not read the article."""
    if is_bot(user_agent):
        return False
    now = timezone.localtime()
    day = now.date()
    visitor = visitor_key(ip=ip, user_agent=user_agent, day=day)
    midnight = datetime.combine(day + timedelta(days=1), time.min, tzinfo=now.tzinfo)
    # A refresh within the day is answered from the cache's mark, without a refused INSERT
    # (which on SQLite would still take the write lock).
    if page_cache.view_seen(
        article_id=article_id, visitor=visitor, seconds=int((midnight - now).total_seconds())
    ):
        return False
    try:
        with transaction.atomic():
            ArticleView.objects.create(article_id=article_id, day=day, visitor=visitor)
    except IntegrityError:
        return False
    # F(): concurrent views add up; update() leaves the history, the seal and the page cache
    # alone (no signal).
    Article.objects.filter(pk=article_id).update(view_count=F("view_count") + 1)
    return True
