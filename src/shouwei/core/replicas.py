"""Read replicas: pages that only read are served from PostgreSQL streaming replicas, every
write and everything inside a write transaction from the primary, and a person who has just
saved reads their own write.

Set ``SHOUWEI_REPLICA_URLS`` (comma-separated database URLs of hot-standby replicas of
``SHOUWEI_DATABASE_URL``); the settings then add the aliases ``replica1``, ``replica2``… and
install ``ReplicaRouter`` and ``ReplicaMiddleware``. Without it nothing here runs.

Which database a read goes to:

* outside a request (the worker, ``shouwei`` commands, migrations): the primary — a job reads
  what it is about to write;
* a request that is not GET or HEAD (a form posted, an API write), and any read after the
  request wrote something, or inside a transaction on the primary: the primary;
* otherwise a replica, the same one for the whole request, so one page is one snapshot.

Read-your-own-writes: a request that wrote ends by reading the primary's WAL position
(``pg_current_wal_insert_lsn()``) into a cookie. The next requests of that browser use only a
replica that has replayed at least that position (``pg_last_wal_replay_lsn()``, one cheap
query), and the primary when none has — so a person never sees a page older than their own last
save, however far a replica lags. Everyone else is served by the replicas, and a page served by
a replica that lags by more than ``SHOUWEI_REPLICA_LAG_NOTICE`` seconds says so (the banner in
base.html). A replica that cannot be reached is left out for ``RETRY_SECONDS`` and the request
goes to the primary.
"""

from __future__ import annotations

import logging
import random
import time
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger("shouwei")

PRIMARY = "default"
COOKIE = "shouwei_wal"
# The cookie only has to outlive the replicas' lag; an hour is far beyond any lag worth
# serving from, and keeps a stale cookie from pinning a browser to the primary for good.
COOKIE_AGE = 3600
RETRY_SECONDS = 30
SAFE_METHODS = frozenset({"GET", "HEAD"})

# Replica aliases that failed, with the monotonic time after which they are tried again.
_down: dict[str, float] = {}


def replica_aliases() -> list[str]:
    return [a for a in settings.DATABASES if a.startswith("replica")]


@dataclass
class RequestRouting:
    """What the router knows about the request being served."""

    reads_from_replica: bool
    # The primary's WAL position after this browser's last write ("" when none is known).
    wrote_at: str = ""
    wrote: bool = False
    written: set[str] = field(default_factory=set)
    chosen: str | None = None
    fell_back: bool = False

    def alias(self) -> str:
        if not self.reads_from_replica or self.wrote:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        if self.chosen is None:
            self.chosen = _pick(self.wrote_at)
            self.fell_back = self.chosen == PRIMARY
        return self.chosen


_routing: ContextVar[RequestRouting | None] = ContextVar("shouwei_replica_routing", default=None)


def current() -> RequestRouting | None:
    return _routing.get()


def _pick(wrote_at: str) -> str:
    """A replica that has replayed ``wrote_at`` (any replica when it is ""), else the
    primary. The replicas are tried in random order, so the reads spread over them."""
    now = time.monotonic()
    candidates = [a for a in replica_aliases() if _down.get(a, 0) <= now]
    random.shuffle(candidates)
    for alias in candidates:
        if not wrote_at:
            return alias
        try:
            if replayed(alias, wrote_at):
                return alias
        except DatabaseError:
            logger.warning("replica %s unreachable; reading from the primary", alias, exc_info=True)
            _down[alias] = now + RETRY_SECONDS
            connections[alias].close()
    return PRIMARY


def replayed(alias: str, lsn: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
        return bool(cursor.fetchone()[0])


def primary_position() -> str:
    """Where the primary's WAL ends, this session's commits included. The insert position,
    not ``pg_current_wal_lsn()`` (the write position): with ``synchronous_commit=off`` a commit
    can be in the WAL buffers, not yet written, and a replica that replayed up to the write
    position would still lack it (seen here: a session saved, the replica "caught up", the
    session missing)."""
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        return cursor.fetchone()[0]


def lag_seconds(alias: str) -> float:
    """How far behind the primary a replica's data is: 0 when it has replayed all it has
    received, else the age of the last transaction it replayed."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
            " ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
        )
        value = cursor.fetchone()[0]
    return float(value or 0)


def _valid_lsn(text: str) -> bool:
    # A WAL position is two hexadecimal numbers, "16/B374D848": anything else in the cookie
    # (edited by hand) is ignored rather than sent to the database.
    hi, sep, lo = text.partition("/")
    return (
        bool(sep)
        and 0 < len(hi) <= 8
        and 0 < len(lo) <= 8
        and all(c in "0123456789ABCDEFabcdef" for c in hi + lo)
    )


class ReplicaRouter:
    """Database router: writes to the primary, reads as ``RequestRouting`` decides."""

    def db_for_read(self, model, **hints) -> str:
        routing = _routing.get()
        return PRIMARY if routing is None else routing.alias()

    def db_for_write(self, model, **hints) -> str:
        routing = _routing.get()
        if routing is not None:
            routing.wrote = True
            routing.written.add(model._meta.label)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # Replicas hold the primary's rows: an object read from one may point at one read from
        # the other.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == PRIMARY


class ReplicaMiddleware:
    """Sets the request's routing, and after a write the cookie with the primary's WAL
    position. Placed first, before the session is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        wrote_at = request.COOKIES.get(COOKIE, "")
        routing = RequestRouting(
            reads_from_replica=request.method in SAFE_METHODS,
            wrote_at=wrote_at if _valid_lsn(wrote_at) else "",
        )
        token = _routing.set(routing)
        try:
            response = self.get_response(request)
        finally:
            _routing.reset(token)
        if routing.wrote and _pins(request.method, routing.written):
            try:
                response.set_cookie(
                    COOKIE,
                    primary_position(),
                    max_age=COOKIE_AGE,
                    httponly=True,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
            except DatabaseError:
                logger.warning("WAL position not read after a write", exc_info=True)
        return response


def _pins(method: str, written: set[str]) -> bool:
    """Whether what the request wrote must be read back by the browser's next requests. A page
    view saves its session now and then to slide the idle timeout (core.session_expiry): a replica
    that has not replayed that save still holds the same session, valid, so reading it there
    is harmless — and pinning every browser to the primary after every page would leave the
    replicas idle. A form's session write (a login, a logout) pins."""
    return method not in SAFE_METHODS or bool(written - {"sessions.Session"})


def lag_notice(request) -> dict:
    """Context processor: ``replica_lag`` (seconds, or None) when this page was read from a
    replica lagging more than ``SHOUWEI_REPLICA_LAG_NOTICE`` seconds. A callable, so that a
    page without the banner does not ask."""

    routing = _routing.get()

    def lag() -> int | None:
        if routing is None or routing.chosen in (None, PRIMARY):
            return None
        try:
            seconds = lag_seconds(routing.chosen)
        except DatabaseError:
            return None
        return round(seconds) if seconds > settings.SHOUWEI_REPLICA_LAG_NOTICE else None

    return {"replica_lag": lag}
