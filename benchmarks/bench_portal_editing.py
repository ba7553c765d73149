"""The portal's editing side: the body cleaner on what editors paste, and the editing pages'
SQL queries and latency with the portal demo and with many articles and versions.

    python benchmarks/bench_portal_editing.py                                  # SQLite, temp dir
    bash benchmarks/with_postgres.sh python benchmarks/bench_portal_editing.py  # PostgreSQL

Pages are fetched through ``django.test.Client`` as an editor. The query count of each page must
be the same at both sizes (tests/portal/query_counts.json pins it at demo size).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import common

WORD = Path(__file__).resolve().parents[1] / "tests" / "portal" / "data" / "word_clipboard.html"


def time_calls(fn, repeat: int) -> common.Timing:
    fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return common.Timing(samples)


def cleaner(repeat: int) -> list[dict]:
    from shouwei.portal.demo import seed_article
    from shouwei.portal.sanitize import clean_body, text_to_paragraphs

    word = WORD.read_text(encoding="utf-8")
    seed = text_to_paragraphs(seed_article()["text"])
    inputs = {
        f"Word clipboard sample ({len(word) / 1024:.1f} KiB)": word,
        f"seed article, already clean ({len(seed) / 1024:.1f} KiB)": seed,
        f"Word sample × 20 ({len(word) * 20 / 1024:.0f} KiB)": word * 20,
    }
    rows = []
    for label, html in inputs.items():
        timing = time_calls(lambda html=html: clean_body(html), repeat)
        rows.append({"input": label, "p50_ms": round(timing.p50_ms, 2)})
        print(f"clean_body  {label:<40} p50 {timing.p50_ms:8.2f} ms")
    return rows


def generate(editor, articles: int, versions: int):
    """``articles`` drafts and published articles across the channels (bulk, no versions), and
    one article saved ``versions`` times through the service (a version each)."""
    from shouwei.portal.choices import ArticleStatus
    from shouwei.portal.models import Article, Channel
    from shouwei.portal.sanitize import body_text
    from shouwei.portal.services import save_article

    channels = list(Channel.objects.all())
    statuses = [ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW, ArticleStatus.WITHDRAWN]
    body = "<p>" + "高新区重点项目建设稳步推进。" * 20 + "</p>"
    Article.objects.bulk_create(
        [
            Article(
                channel=channels[i % len(channels)],
                title=f"模拟文章{i:05d}",
                body=body,
                body_text=body_text(body),
                status=statuses[i % len(statuses)],
                created_by=editor,
            )
            for i in range(articles)
        ],
        batch_size=2000,
    )
    article = None
    for n in range(versions):
        paragraphs = "".join(f"<p>第{p}段，第{n if p == n % 30 else 0}稿。</p>" for p in range(30))
        article = save_article(
            user=editor,
            channel=channels[0],
            title=f"反复修改的文章（第{n}稿）",
            body=paragraphs,
            article=article,
        )
    return article


def measure(client, url: str, requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} 返回 {response.status_code}")

    get()
    with CaptureQueriesContext(connection) as captured:
        get()
    queries = len(captured)
    timing = time_calls(get, requests)
    return {
        "queries": queries,
        "p50_ms": round(timing.p50_ms, 1),
        "p95_ms": round(timing.p95_ms, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000, help="synthetic articles")
    parser.add_argument("--versions", type=int, default=200, help="versions of one article")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()

    database = common.setup_django()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from shouwei.core.choices import Role
    from shouwei.core.models import RoleAssignment, Unit
    from shouwei.portal.demo import load_portal_demo
    from shouwei.portal.models import Article, Channel

    print(f"# portal editing on {database}; {common.machine_label()}")
    results = {"database": database, "cleaner": cleaner(args.requests * 5), "pages": []}
    load_portal_demo()
    zone = Unit.objects.create(code="hy-gxq", name="衡阳高新区", kind="zone")
    editor = get_user_model().objects.create_user("bench-editor")
    RoleAssignment.objects.create(user=editor, unit=zone, role=Role.EDITOR)
    client = Client()
    client.force_login(editor)
    seed = Article.objects.get(title__startswith="衡阳高新区全方位践行")
    for dataset in ("portal demo", f"+{args.articles} articles, one with {args.versions} versions"):
        target = seed
        if dataset != "portal demo":
            started = time.perf_counter()
            target = generate(editor, args.articles, args.versions)
            common.refresh_statistics()
            print(f"# generated in {time.perf_counter() - started:.1f} s")
        listing = reverse("portal_manage:article_list")
        last = target.versions.order_by("-number").first().number
        pages = {
            "article list, page 1": listing,
            "article list, search 重点项目": f"{listing}?q=重点项目",
            "article list, channel 信息公开 + drafts": (
                f"{listing}?channel={Channel.objects.get(slug='xxgk').pk}&status=draft"
            ),
            "article detail (versions, review log)": reverse(
                "portal_manage:article_detail", args=[target.pk]
            ),
            "edit page": reverse("portal_manage:article_edit", args=[target.pk])
            if target.status in ("draft", "withdrawn")
            else None,
            "version diff (last version)": reverse(
                "portal_manage:article_version", args=[target.pk, last]
            ),
            "preview": reverse("portal_manage:article_preview", args=[target.pk]),
        }
        for label, url in pages.items():
            if url is None:
                continue
            row = {"dataset": dataset, "page": label, **measure(client, url, args.requests)}
            results["pages"].append(row)
            print(
                f"{dataset:<44} {label:<40} {row['queries']:>3} queries  "
                f"p50 {row['p50_ms']:>8} ms  p95 {row['p95_ms']:>8} ms"
            )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
