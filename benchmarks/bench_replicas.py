"""Read replicas for real: a PostgreSQL primary and a streaming replica (``pg_basebackup -R``),
the checks that reads go where core/replicas.py says, and the replica's share of a mixed load.

    bash benchmarks/with_postgres.sh --replica python benchmarks/bench_replicas.py

Exits non-zero when a check fails. The checks pause the replica's WAL replay
(``pg_wal_replay_pause()``), so the replica is behind for certain, then:

1. a browser that has just posted (marks its notifications read) reads its next page from the
   primary: it sees its own write, while
2. another browser of the same person, who wrote nothing since, reads the replica: it still
   sees the notification unread, and the page says it shows data older than the newest;
3. a person who logs in while replay is paused is logged in on the next page (their session
   row is on the primary only; a page read from the replica would send them back to log in);
4. after replay resumes, the second browser sees the write and no notice.

Then the mixed load: the leader's cockpit, lists, the portal's pages and an API read, with a
write every tenth request, counting the queries each database served.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections import Counter
from contextlib import ExitStack

import common

os.environ.setdefault("SHOUWEI_REPLICA_LAG_NOTICE", "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests of the mixed load")
    args = parser.parse_args()
    if not os.environ.get("SHOUWEI_REPLICA_URLS"):
        sys.exit("需要只读副本：bash benchmarks/with_postgres.sh --replica python …")
    database = common.setup_django()

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    from shouwei.core import replicas
    from shouwei.core.models import Notification
    from shouwei.demo.accounts import create_demo_accounts

    print(f"# replicas on {database}; {common.machine_label()}")
    call_command("loaddemo", stdout=io.StringIO())
    passwords = {a.username: a.password for a in create_demo_accounts(reset_passwords=True)}
    User = get_user_model()
    leader = User.objects.get(username="leader")
    alias = replicas.replica_aliases()[0]

    served: Counter[str] = Counter()

    def counter(name):
        def wrapper(execute, sql, params, many, context):
            served[name] += 1
            return execute(sql, params, many, context)

        return wrapper

    def caught_up() -> None:
        target = replicas.primary_position()
        for _ in range(300):
            if replicas.replayed(alias, target):
                return
            time.sleep(0.1)
        sys.exit("副本 30 秒内未追上主库")

    def replica_sql(sql: str) -> None:
        with connections[alias].cursor() as cursor:
            cursor.execute(sql)

    failures: list[str] = []
    UNREAD = "/core/notifications/?unread=1"

    def check(ok: bool, what: str) -> None:
        print(("  ok   " if ok else "  FAIL ") + what)
        if not ok:
            failures.append(what)

    def get(client: Client, url: str) -> tuple[int, str, Counter]:
        served.clear()
        response = client.get(url)
        return response.status_code, response.content.decode(), Counter(served)

    with ExitStack() as stack:
        for name in ("default", alias):
            stack.enter_context(connections[name].execute_wrapper(counter(name)))

        Notification.objects.create(recipient=leader, title="副本检查：一条未读通知")
        writer, other = Client(), Client()
        writer.force_login(leader)
        other.force_login(leader)
        caught_up()
        status, page, where = get(other, UNREAD)
        check(
            status == 200 and where[alias] > 0 and "副本检查" in page,
            f"a reading page is served by {alias} ({where})",
        )

        replica_sql("SELECT pg_wal_replay_pause()")
        try:
            response = writer.post("/core/notifications/read-all/")
            check(response.status_code == 302, "the write is accepted")
            check(replicas.COOKIE in response.cookies, "the write sets the WAL position cookie")
            time.sleep(1.5)  # beyond SHOUWEI_REPLICA_LAG_NOTICE=1
            status, page, where = get(writer, UNREAD)
            check(
                status == 200 and where[alias] <= 1 and where["default"] > 0,
                f"the writer's next page is read from the primary ({where})",
            )
            check(status == 200 and "副本检查" not in page, "the writer sees its own write")
            check("只读副本" not in page, "the writer's page carries no lag notice")
            status, page, where = get(other, UNREAD)
            check(where[alias] > 0, f"the other browser reads the replica ({where})")
            check("副本检查" in page, "the replica still shows the notification unread")
            check("只读副本" in page, "the other browser's page says its data is behind")

            fresh = Client()
            response = fresh.post(
                "/accounts/login/",
                {"username": "staff_cyfz", "password": passwords["staff_cyfz"]},
            )
            check(response.status_code == 302, "a login while the replica is paused")
            status, page, where = get(fresh, UNREAD)
            check(status == 200, f"the next page is logged in (status {status}, {where})")
        finally:
            replica_sql("SELECT pg_wal_replay_resume()")
        caught_up()
        status, page, where = get(other, UNREAD)
        check(
            where[alias] > 0 and "只读副本" not in page and "副本检查" not in page,
            f"after replay resumes the replica serves without notice ({where})",
        )

        # The mixed load: mostly reads, one write in ten.
        from shouwei.portal.models import Article

        article = Article.objects.filter(status="published").first()
        reads = [
            "/indicators/cockpit/",
            "/projects/projects/",
            "/indicators/observations/",
            "/enterprises/enterprises/",
            "/api/indicators",
            article.get_absolute_url() if article else "/healthz",
        ]
        loader = Client()
        loader.force_login(leader)
        # force_login writes the session outside a request (no cookie): wait for the replica.
        caught_up()
        total: Counter[str] = Counter()
        statuses: Counter[int] = Counter()
        unexpected: dict[str, int] = {}
        started = time.perf_counter()
        for i in range(args.requests):
            served.clear()
            if i % 10 == 9:
                Notification.objects.create(recipient=leader, title=f"负载 {i}")
                served.clear()
                url = "/core/notifications/read-all/"
                response = loader.post(url)
            else:
                url = reads[i % len(reads)]
                response = loader.get(url)
            statuses[response.status_code] += 1
            if response.status_code >= 400 or (response.status_code == 302 and i % 10 != 9):
                unexpected[url] = (response.status_code, response.get("Location", ""))
            total.update(served)
        seconds = time.perf_counter() - started
        share = total[alias] / max(1, sum(total.values()))
        print(
            f"\nmixed load: {args.requests} requests in {seconds:.1f} s, statuses {dict(statuses)}"
        )
        print(
            f"queries: primary {total['default']}, {alias} {total[alias]}: "
            f"replica read share {share:.0%}"
        )
        check(not unexpected, f"every request of the mixed load answered ({unexpected or 'all'})")

    if failures:
        sys.exit(f"{len(failures)} check(s) failed")
    print("all replica checks passed")


if __name__ == "__main__":
    main()
