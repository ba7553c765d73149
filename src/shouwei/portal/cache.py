"""Cached public pages, on Django's cache framework (``CACHES["default"]``).

A published article page is the page the public hammers, and rendering it costs a dozen queries
and a QR code; the cached copy costs a couple of cache reads. Correctness rules:

- Every key carries the site's *page generation*, a random token kept in the same cache.
  Anything that can change what the public sees (an article published, withdrawn or edited, an
  attachment, a channel) replaces the token, so every page is looked up under a key nobody has
  written yet. Invalidation is one write to the shared cache: it reaches every worker process
  and machine that uses that cache, and none of it lives in one process's memory. (With the
  process-local ``locmem://`` backend each process has its own token: fine for one process,
  see docs/operator-guide.md for more.)
- One token for the whole site rather than one per article: a publication changes the 相关阅读
  list of other articles, the home page and the channel lists as well, and publications are a
  few a day, so re-rendering everything after one costs nothing worth the bookkeeping.
- The key does not hold the article's seal: knowing the seal means reading the row, and a cache
  hit must not touch the database beyond counting the view.
- What else changes the bytes is in the key: language (LocaleMiddleware), scheme, host and path
  (the QR code and the page address are absolute). Only anonymous renderings of the canonical
  address are stored, and a CSRF token in the page is put back per request (``store``).
  字体 and 老年模式 are applied by portal.js from localStorage/a cookie in the browser; the
  server renders the same HTML for everyone, so they are not in the key.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

GENERATION_KEY = "portal:generation"


def article_seconds() -> int:
    """How long an article page is kept; 0 switches all page caching off."""
    return settings.SHOUWEI_PORTAL_CACHE_SECONDS


def listing_seconds() -> int:
    # The home page also shows open data, which changes when statistics are approved in
    # another app: keep it briefly rather than hook invalidation into every approval.
    return min(settings.SHOUWEI_PORTAL_LIST_CACHE_SECONDS, article_seconds())


def generation() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        # add(): two processes starting together agree on one token (the first one written).
        cache.add(GENERATION_KEY, secrets.token_hex(8), timeout=None)
        token = cache.get(GENERATION_KEY) or ""
    return token


def invalidate() -> None:
    """Make every cached page unreachable, now and again when the transaction commits.

    Now: a test or a shell without a transaction sees it at once. After the commit: a page
    rendered meanwhile by another request still read the old rows, and may have been stored
    under the token set "now"; the second token retires it.
    """
    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=None)


def page_key(request: HttpRequest, kind: str, *parts: object) -> str:
    """The key of one page as this request would see it.

    Read the generation before the database: a page rendered from rows read after a change
    committed is then stored under a key of the generation that change set, never of an older one.
    """
    # The path too: the home page answers at / and at /portal/, and its language switch
    # returns the visitor to the address they came by.
    address = f"{request.scheme}://{request.get_host()}{request.path}"
    host = hashlib.sha256(address.encode()).hexdigest()[:16]
    tail = ":".join(str(p) for p in parts)
    return f"portal:page:{generation()}:{kind}:{tail}:{translation.get_language()}:{host}"


# Django's {% csrf_token %} writes the visitor's own token into a form (the language switch):
# a shared page carries a placeholder instead, and each request gets its own token put back.
_CSRF_INPUT = re.compile(rb'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">')
_CSRF_PLACEHOLDER = b"@@shouwei-csrf-token@@"


def cached_response(request: HttpRequest, key: str | None) -> HttpResponse | None:
    content = cache.get(key) if key is not None else None
    if content is None:
        return None
    if _CSRF_PLACEHOLDER in content:
        content = content.replace(_CSRF_PLACEHOLDER, get_token(request).encode("ascii"))
    return HttpResponse(content, content_type="text/html; charset=utf-8")


def _shareable(request: HttpRequest, response: HttpResponse, params: tuple[str, ...]) -> bool:
    """Whether this rendering may be served to anyone else.

    Only the page's canonical address is stored: templates echo the request's own address
    (the language switch's ``next``), and another visitor's query string must not be served
    to everyone. Only an anonymous rendering: nothing a signed-in person sees is shared.
    """
    return (
        response.status_code == 200  # never a 404: a page published later must show
        and not response.streaming
        and all(k in params and len(request.GET.getlist(k)) == 1 for k in request.GET)
        and not getattr(getattr(request, "user", None), "is_authenticated", False)
    )


def store(
    request: HttpRequest,
    key: str | None,
    response: HttpResponse,
    seconds: int,
    params: tuple[str, ...] = (),
) -> HttpResponse:
    """Keep a page for ``seconds`` when it may be shared; ``params`` are the query parameters
    that are part of ``key``."""
    if key is not None and seconds > 0 and _shareable(request, response, params):
        content = response.content
        for token in set(_CSRF_INPUT.findall(content)):
            content = content.replace(token, _CSRF_PLACEHOLDER)
        cache.set(key, content, timeout=seconds)
    return response


def cached_page(
    request: HttpRequest,
    key: str | None,
    seconds: int,
    render: Callable[[], HttpResponse],
    params: tuple[str, ...] = (),
) -> HttpResponse:
    """The stored bytes for ``key``, or ``render()``, kept for next time."""
    if seconds <= 0:
        return render()
    return cached_response(request, key) or store(request, key, render(), seconds, params)


def view_seen(*, article_id: int, visitor: str, seconds: int) -> bool:
    """True when this visitor's view of the article today is already known to the cache.

    A fast path only: the database's unique (article, day, visitor) row stays the rule, so an
    evicted or process-local mark costs one refused INSERT, never a second count.
    """
    return not cache.add(f"portal:viewed:{article_id}:{visitor}", 1, timeout=max(seconds, 1))


def connect_signals() -> None:
    """Invalidate on every ORM write to what the public pages show, whatever path it takes
    (the services, the editing pages, the admin). ``view_count`` is bumped with
    ``QuerySet.update``, which sends no signal: counting a view leaves the cache alone. A row
    changed with raw SQL behind the application's back is not seen here: the cached page keeps
    showing what was published, and ``shouwei portal verify`` reports the row."""
    from django.db.models.signals import post_delete, post_save, pre_save

    from .choices import ArticleStatus
    from .models import Article, Attachment, Channel

    def remember_status(sender, instance, **kwargs) -> None:
        instance._portal_stored_status = (
            Article.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
            if instance.pk
            else None
        )

    def article_changed(sender, instance, **kwargs) -> None:
        # Drafts and articles in review are not public: saving them (editors save often)
        # must not empty the cache. Published before or after the change is what matters.
        before = getattr(instance, "_portal_stored_status", ArticleStatus.PUBLISHED)
        if ArticleStatus.PUBLISHED in (before, instance.status):
            invalidate()

    def attachment_changed(sender, instance, **kwargs) -> None:
        if Article.objects.published().filter(pk=instance.article_id).exists():
            invalidate()

    def channel_changed(sender, **kwargs) -> None:
        invalidate()

    # weak=False: the receivers are local functions, which nothing else keeps alive.
    for signal, receiver, model, name in (
        (pre_save, remember_status, Article, "article-pre"),
        (post_save, article_changed, Article, "article"),
        (post_delete, article_changed, Article, "article-delete"),
        (post_save, attachment_changed, Attachment, "attachment"),
        (post_delete, attachment_changed, Attachment, "attachment-delete"),
        (post_save, channel_changed, Channel, "channel"),
        (post_delete, channel_changed, Channel, "channel-delete"),
    ):
        signal.connect(receiver, sender=model, weak=False, dispatch_uid=f"portal-cache-{name}")


def check_shared_cache(app_configs=None, **kwargs) -> list:
    """``shouwei check --deploy``: invalidation reaches only the processes sharing the cache."""
    from django.core.checks import Warning

    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith("LocMemCache") and article_seconds() > 0:
        return [
            Warning(
                "门户网站页面缓存在各进程自己的内存中（SHOUWEI_CACHE_URL=locmem://）：有多个 "
                "Web 进程时，撤回或修改的文章在其他进程中最多仍显示 "
                f"{article_seconds()} 秒。",
                hint="多进程部署请设置 SHOUWEI_CACHE_URL=redis://…、memcached://… 或 file://"
                "（见 docs/operator-guide.md「Cache」）。",
                id="portal.W001",
            )
        ]
    return []
