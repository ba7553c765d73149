"""Periodic jobs of the portal (run by ``shouwei worker``, see core.schedule)."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import timedelta

from django.core.cache import cache

from shouwei.core import alerts
from shouwei.core.schedule import periodic

from . import integrity

logger = logging.getLogger("shouwei.security")

# How many affected pages an alert about a shared file lists by name.
LISTED_PAGES = 20


@periodic("portal.verify", every=timedelta(minutes=10))
def verify_portal() -> int:
    """``shouwei portal verify`` every ten minutes: a hijacked page is known within minutes."""
    problems = integrity.verify()
    for p in problems:
        logger.warning("portal integrity: %s", p)
    alert_operators(problems)
    return len(problems)


def alert_operators(problems: list[integrity.Problem]) -> int:
    """One alert per changed file (it changes every page built from it) and one per page
    otherwise, each naming the page and the part. The key holds the parts: while an alert is
    unread the same finding is not repeated, and a further change alerts again."""
    files: dict[str, list[integrity.Problem]] = defaultdict(list)
    pages: dict[int, list[integrity.Problem]] = defaultdict(list)
    for p in problems:
        if p.part.startswith(("static:", "template:")):
            files[p.part].append(p)
        else:
            pages[p.article_id].append(p)
    created = 0
    for part, affected in sorted(files.items()):
        names = [f"《{p.title}》 {p.url}" for p in affected[:LISTED_PAGES]]
        more = len(affected) - len(names)
        created += alerts.alert_operators(
            title=f"门户网站文件被改动：{integrity.part_label(part)}",
            body=f"{len(affected)} 个已发布页面由该文件构成：\n"
            + "\n".join(names)
            + (f"\n……另有 {more} 个" if more else ""),
            url=affected[0].url,
            key=f"portal.verify:{part}",
        )
    for article_id, found in sorted(pages.items()):
        first = found[0]
        parts = sorted({p.part for p in found})
        created += alerts.alert_operators(
            title=f"门户网站页面被改动：《{first.title}》",
            body="改动部分：" + "；".join(integrity.part_label(p) for p in parts),
            url=first.url,
            key=f"portal.verify:article:{article_id}:{'+'.join(parts)}",
        )
    return created


def alert_tampered(article, parts: list[str]) -> None:
    """A page or file found changed while being served: logged every time, alerted once per
    finding within ten minutes (the cache remembers), so a busy page does not flood the bell."""
    problems = [
        integrity.Problem(article.pk, article.title, article.get_absolute_url(), part)
        for part in parts
    ]
    for p in problems:
        logger.warning("portal integrity (served): %s", p)
    key = f"portal:tamper-alerted:{article.pk}:{'+'.join(sorted(parts))}"
    if cache.add(key, 1, timeout=600):
        alert_operators(problems)
