"""Query-count checks for tests (NetBox's ``utilities/testing/query_counts.py``, smaller).

Two checks, because each catches what the other misses:

* ``assert_query_count(name, baseline_file)`` pins the number of SQL queries a block runs to a
  number recorded in ``tests/<app>/query_counts.json``; a change fails the test until someone
  re-records on purpose with ``SHOUWEI_RECORD_QUERY_COUNTS=1``. It catches a page that got
  slower by a fixed amount (a forgotten ``select_related`` on a detail page).
* ``count_queries(fn)`` counts the queries of one call, so that a test can compare a page with
  N rows against the same page with 5N rows: the two must be equal, or the page runs a query
  per row (N+1), whatever the baseline says.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

RECORD_ENV_VAR = "SHOUWEI_RECORD_QUERY_COUNTS"


class QueryCountMismatch(AssertionError):
    """The block ran a different number of queries than its baseline."""


def recording() -> bool:
    return os.environ.get(RECORD_ENV_VAR, "").strip().lower() in {"1", "true", "yes"}


def _read(path: Path) -> dict[str, int]:
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if text.strip() else {}


def _record(path: Path, name: str, count: int) -> None:
    # Written at once under an exclusive lock, so two recording runs cannot clobber each
    # other's entries and an interrupted run keeps what it recorded.
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        fh.seek(0)
        content = fh.read()
        data = json.loads(content) if content.strip() else {}
        data[name] = count
        fh.seek(0)
        fh.truncate()
        json.dump(data, fh, indent=2, sort_keys=True, ensure_ascii=False)
        fh.write("\n")


def _listing(captured: list[dict]) -> str:
    return "\n".join(f"  {i}. {q['sql'][:300]}" for i, q in enumerate(captured, 1))


@contextmanager
def assert_query_count(name: str, baseline_file: str | Path) -> Iterator[CaptureQueriesContext]:
    """Fail unless the block runs exactly the number of queries recorded under ``name``.

    With ``SHOUWEI_RECORD_QUERY_COUNTS=1`` the count is written to ``baseline_file`` instead.
    A name with no baseline fails, so a new page cannot slip in unpinned.
    """
    path = Path(baseline_file)
    ctx = CaptureQueriesContext(connection)
    with ctx:
        yield ctx
    actual = len(ctx.captured_queries)
    if recording():
        _record(path, name, actual)
        return
    baseline = _read(path)
    if name not in baseline:
        raise QueryCountMismatch(
            f"{path}: no query-count baseline for {name!r} (ran {actual} queries). "
            f"Record it with {RECORD_ENV_VAR}=1.\n{_listing(ctx.captured_queries)}"
        )
    expected = baseline[name]
    if actual != expected:
        raise QueryCountMismatch(
            f"{path}: {name!r} ran {actual} queries, baseline {expected}. If the change is "
            f"intended, re-record with {RECORD_ENV_VAR}=1.\n{_listing(ctx.captured_queries)}"
        )


def count_queries(fn: Callable[[], object]) -> tuple[int, list[str]]:
    """Run ``fn`` and return how many queries it ran, with their SQL (for failure messages)."""
    ctx = CaptureQueriesContext(connection)
    with ctx:
        fn()
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def assert_queries_constant(fetch: Callable[[], object], grow: Callable[[], object]) -> int:
    """Fail if ``fetch`` runs more queries after ``grow`` added rows than before (N+1).

    Returns the query count, so the caller can also pin it with ``assert_query_count``.
    """
    before, _sql = count_queries(fetch)
    grow()
    after, sql = count_queries(fetch)
    if after != before:
        listing = "\n".join(f"  {i}. {q[:300]}" for i, q in enumerate(sql, 1))
        raise QueryCountMismatch(
            f"queries grew with the rows: {before} before, {after} after adding rows "
            f"(a query per row: add select_related/prefetch_related).\n{listing}"
        )
    return after
