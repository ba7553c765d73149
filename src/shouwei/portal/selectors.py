"""Reads for the public site. Visitors are anonymous: what they reach is what was published
(articles with status published, approved non-synthetic statistics), never a user's scope."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from shouwei.core.models import Unit
from shouwei.indicators.choices import ObservationStatus
from shouwei.indicators.models import Observation

from .choices import ArticleStatus
from .models import Article, Attachment, Channel

ZONE_CODE = "hy-gxq"


def published() -> QuerySet[Article]:
    return Article.objects.published().select_related("channel")


def attachments_for(user) -> QuerySet[Attachment]:
    """Files of published articles, for everyone; a draft's too for its editors and reviewers,
    who see its images in the editor and the preview at the address the published page uses."""
    return Attachment.objects.filter(
        Q(article__in=Article.objects.published()) | Q(article__in=Article.objects.visible_to(user))
    )


def latest(limit: int = 10) -> list[Article]:
    return list(published()[:limit])


def channel_articles(channel: Channel) -> QuerySet[Article]:
    return published().filter(channel_id__in=channel.descendant_ids())


def related(article: Article, limit: int = 5) -> list[Article]:
    """相关阅读: same channel or a shared tag, newest first."""
    q = Q(channel_id=article.channel_id)
    for tag in article.tag_list:
        q |= Q(tags__icontains=tag)
    return list(published().filter(q).exclude(pk=article.pk)[:limit])


def top_channels() -> QuerySet[Channel]:
    return Channel.objects.filter(parent__isnull=True).prefetch_related("children")


MAX_QUERY = 50


def search(query: str) -> QuerySet[Article]:
    """Every word must appear in the title or the body text (SQLite and PostgreSQL alike)."""
    words = query.split()[:5]
    qs = published()
    for word in words:
        qs = qs.filter(Q(title__icontains=word) | Q(body_text__icontains=word))
    return qs


def highlight(text: str, query: str) -> SafeString:
    """``text`` escaped, with every query word wrapped in <mark>."""
    words = [re.escape(w) for w in query.split()[:5] if w]
    if not words:
        return escape(text)
    pattern = re.compile("|".join(words), re.IGNORECASE)
    out, pos = [], 0
    for m in pattern.finditer(text):
        out.append(escape(text[pos : m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        pos = m.end()
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # every piece escaped above


def excerpt(text: str, query: str, width: int = 120) -> str:
    """The stretch of the body around the first match (or its beginning)."""
    flat = text.replace("\n", " ")
    first = min(
        (i for w in query.split()[:5] if (i := flat.lower().find(w.lower())) >= 0), default=0
    )
    start = max(0, first - width // 3)
    piece = flat[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(flat) else "")


def zone() -> Unit | None:
    return Unit.objects.filter(code=ZONE_CODE).first()


def open_observations(unit: Unit) -> QuerySet[Observation]:
    # Open data is the approved, really published figures; demo (synthetic) series never leave.
    return (
        Observation.objects.filter(unit=unit, status=ObservationStatus.APPROVED, synthetic=False)
        .select_related("indicator")
        .order_by("-period_end", "indicator__sort_order", "indicator__code")
    )


def review_log(article: Article) -> list[dict]:
    """Every change of the article's status, oldest first: who, when, and the reason given
    (a reviewer's 退回 reason). Read from the audit history, which no page can rewrite."""
    log, before = [], None
    records = (
        article.history.select_related("history_user")
        .only("status", "history_date", "history_change_reason", "history_user")
        .order_by("history_date", "history_id")
    )
    for rec in records:
        if rec.status != before:
            log.append(
                {
                    "status": ArticleStatus(rec.status).label,
                    "user": rec.history_user,
                    "date": rec.history_date,
                    "reason": rec.history_change_reason or "",
                }
            )
            before = rec.status
    return log
