"""Reads for the public site. Visitors are anonymous: what they reach is what was published
(articles with status published, approved non-synthetic statistics), never a user's scope."""

from __future__ import annotations

import re
from dataclasses import dataclass

import rjieba
from django.conf import settings
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.db.models.functions import Length, Replace
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from shouwei.core import audit
from shouwei.core.models import Unit
from shouwei.indicators.choices import ObservationStatus
from shouwei.indicators.models import Observation

from .choices import ArticleStatus
from .models import Article, Attachment, Channel


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


@dataclass(frozen=True)
class Term:
    """One word of a query. ``parts``: the shorter words jieba's search mode finds inside it
    (经济运行 → 经济, 运行), so that an article saying 经济平稳运行 still matches."""

    word: str
    parts: tuple[str, ...] = ()

    def q(self) -> Q:
        found = Q(title__icontains=self.word) | Q(body_text__icontains=self.word)
        if self.parts:
            every_part = Q()
            for part in self.parts:
                every_part &= Q(title__icontains=part) | Q(body_text__icontains=part)
            found |= every_part
        return found


# Punctuation, spaces and one-character function words say nothing about what is sought.
_NOISE = re.compile(r"^[\W_]+$|^[的了和与及在是对将把被等之其或]$")
MAX_TERMS = 8


def _covering_parts(word: str) -> tuple[str, ...]:
    """The longest sub-words of ``word`` that together cover every character of it, or () when
    they do not (a word must not match on half of itself)."""
    parts = [p for p in dict.fromkeys(rjieba.cut_for_search(word)) if p != word and len(p) > 1]
    parts = [p for p in parts if not any(p != o and p in o for o in parts)]
    covered = [False] * len(word)
    for part in parts:
        at = word.find(part)
        covered[at : at + len(part)] = [True] * len(part)
    return tuple(parts) if parts and all(covered) else ()


def search_terms(query: str) -> list[Term]:
    """The query cut into words the Chinese way (jieba: 上半年高新区 → 上半年, 高新区), at most
    eight, duplicates and punctuation dropped."""
    terms: list[Term] = []
    seen: set[str] = set()
    for word in rjieba.cut(query[:MAX_QUERY]):
        word = word.strip()
        if not word or _NOISE.match(word) or word.lower() in seen:
            continue
        seen.add(word.lower())
        terms.append(Term(word, _covering_parts(word)))
        if len(terms) == MAX_TERMS:
            break
    return terms


def search(terms: list[Term]) -> QuerySet[Article]:
    """Every word of the query must appear in the title or the body text; articles with the
    words in their title come first, then the newest. Plain ``LIKE`` on both databases: a zone
    publishes thousands of articles, not millions (docs/decisions/0005-portal-search.md).
    ``terms``: ``search_terms(query)``, cut once a request."""
    qs = published()
    if not terms:
        return qs.none()
    score = Value(0)
    for term in terms:
        qs = qs.filter(term.q())
        score = score + Case(When(title__icontains=term.word, then=Value(1)), default=Value(0))
    return qs.annotate(title_hits=score).order_by("-title_hits", "-published_at", "-pk")


def highlight_words(terms: list[Term], text: str) -> list[str]:
    """What to mark in ``text``: each query word, or its parts where the word itself is not
    there (经济运行 → 经济, 运行 in 经济平稳运行); longest first, so 高新区 is marked whole."""
    lowered = text.lower()
    words: list[str] = []
    for term in terms:
        if term.word.lower() in lowered or not term.parts:
            words.append(term.word)
        else:
            words.extend(term.parts)
    return sorted(dict.fromkeys(words), key=len, reverse=True)


def highlight(text: str, terms: list[Term]) -> SafeString:
    """``text`` escaped, with the query's words wrapped in <mark> (adjacent ones in one)."""
    words = [re.escape(w) for w in highlight_words(terms, text)]
    if not words:
        return escape(text)
    spans: list[list[int]] = []
    for m in re.finditer("|".join(words), text, re.IGNORECASE):
        if spans and spans[-1][1] == m.start():
            spans[-1][1] = m.end()  # 光纤 + 陀螺 → <mark>光纤陀螺</mark>
        else:
            spans.append([m.start(), m.end()])
    out, pos = [], 0
    for start, end in spans:
        out.append(escape(text[pos:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        pos = end
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # every piece escaped above


def excerpt(text: str, terms: list[Term], width: int = 120) -> str:
    """The stretch of the body around the first match (or its beginning)."""
    flat = text.replace("\n", " ")
    lowered = flat.lower()
    first = min(
        (i for w in highlight_words(terms, flat) if (i := lowered.find(w.lower())) >= 0),
        default=0,
    )
    start = max(0, first - width // 3)
    piece = flat[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(flat) else "")


def zone() -> Unit | None:
    """The unit whose website this is: the open-data pages publish its figures.

    A portal is one organisation's site, and the visitors are anonymous, so no user's role can
    say which unit that is: a deployment names it in ``SHOUWEI_PORTAL_UNIT``. Unset (a fresh
    install, the demo), it is the root of the published data: the highest unit in the tree
    with approved, really published (non-synthetic) figures, the one with the most of them
    when two stand level (a zone that also keeps its peers' published figures for ranking
    has more of its own). One query either way."""
    if settings.SHOUWEI_PORTAL_UNIT:
        return Unit.objects.filter(code=settings.SHOUWEI_PORTAL_UNIT).first()
    depth = Length("path") - Length(Replace("path", Value("/"), Value("")))
    return (
        Unit.objects.filter(
            observations__status=ObservationStatus.APPROVED, observations__synthetic=False
        )
        .annotate(depth=depth, published=Count("observations"))
        .order_by("depth", "-published", "code")
        .first()
    )


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


# What a reviewer approves by publishing: a change to any of these since the last publication,
# or an attachment added or removed, is a change of the state being published.
CONTENT_FIELDS = ("channel", "title", "subtitle", "body", "source_unit", "author", "tags")


def changed_by(user, article: Article) -> bool:
    """Did ``user`` write the article, or change its content or attachments since it was last
    published? Whom the two-person rule of ``services.publish`` keeps from publishing it, and
    to whom the page does not offer 发布."""
    if user is None or not user.is_authenticated:
        return False
    if article.created_by_id == user.pk:
        return True
    if audit.changed_by(article, user=user, fields=CONTENT_FIELDS, since=_published):
        return True
    since = (
        article.history.filter(status=ArticleStatus.PUBLISHED)
        .order_by("-history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    touched = Attachment.history.filter(article_id=article.pk, history_user_id=user.pk)
    if since is not None:
        touched = touched.filter(history_date__gt=since)
    return touched.exists()


def _published(record) -> bool:
    return record.status == ArticleStatus.PUBLISHED
