"""The data version: what pages cached per person (the cockpit) are keyed on.

Every write to the figures, targets, units, peer groups, roles and the domain apps' records
that the cockpit shows replaces one token in the database (``DataVersion``), after the
writing transaction commits. The token lives in the database, not in the cache: with the
default process-local cache (``locmem://``) every gunicorn worker, and ``shouwei import`` run
from a shell, still sees the others' writes at their next request.

- ORM saves and deletes of those models are seen by signal, whatever path they take
  (services, admin, the API). Bulk writes send no signal: the import commits and undoes call
  ``changed()`` themselves.
- After the commit, not inside the transaction: the row is not held locked by an import for its
  whole length (PostgreSQL would queue every approval behind it). A page rendered between the
  commit and the new token is stored under the old token, which nobody asks for again.
- While this connection has a write waiting for its commit (a test's transaction, a request
  that writes and then renders), ``pending()`` is true and the cache is neither read nor filled.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

logger = logging.getLogger(__name__)
T = TypeVar("T")

# The apps whose records the cockpit shows (figures, ranks, targets, the domain panels), and
# the core models that decide who sees what.
DATA_APPS = frozenset(
    {"indicators", "projects", "supervision", "enterprises", "investment", "evaluation"}
)
CORE_MODELS = frozenset({"unit", "peergroup", "peergroupmembership", "roleassignment"})


def current() -> str:
    """The token now (one query); made on first use."""
    from .models import DataVersion

    token = DataVersion.objects.filter(pk=1).values_list("token", flat=True).first()
    if token is None:
        try:
            with transaction.atomic():
                token = DataVersion.objects.create(
                    pk=1, token=secrets.token_hex(8), changed_at=timezone.now()
                ).token
        except IntegrityError:  # another process made it first
            token = DataVersion.objects.filter(pk=1).values_list("token", flat=True).first()
    return token or ""


def _bump() -> None:
    from .models import DataVersion

    now = timezone.now()
    token = secrets.token_hex(8)
    if not DataVersion.objects.filter(pk=1).update(token=token, changed_at=now):
        try:
            with transaction.atomic():
                DataVersion.objects.create(pk=1, token=token, changed_at=now)
        except IntegrityError:
            DataVersion.objects.filter(pk=1).update(token=token, changed_at=now)


def pending() -> bool:
    """Whether this connection's open transaction has a data write not yet committed."""
    return any(callback is _bump for _sids, callback, _robust in connection.run_on_commit)


def changed() -> None:
    """A data write: a new token once the transaction commits (at once outside one)."""
    if not pending():
        transaction.on_commit(_bump, robust=True)


def covers(model) -> bool:
    """Whether writes to ``model`` change the data version."""
    meta = model._meta
    return meta.app_label in DATA_APPS or (
        meta.app_label == "core" and meta.model_name in CORE_MODELS
    )


def _on_write(sender, raw=False, **kwargs) -> None:
    if not raw and covers(sender):
        changed()


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    post_save.connect(_on_write, dispatch_uid="shouwei.data_version.save")
    post_delete.connect(_on_write, dispatch_uid="shouwei.data_version.delete")


def person_key(user, kind: str, *parts: object) -> str:
    """A cache key for what ``user`` sees of ``kind`` now: the data version (read before the
    data, so a rendering from rows a later write changed is stored under an older token), the
    person, everything that decides what they may see (superuser, each role at each unit), the
    language and the business date. Two people, or one person before and after a role changed,
    never share a key."""
    from .clock import today
    from .permissions import scope_for

    scope = scope_for(user)
    grants = sorted((a.role, a.unit_pk, a.path) for a in scope.assignments)
    digest = hashlib.sha256(repr((scope.is_superuser, grants)).encode()).hexdigest()[:16]
    tail = ":".join(str(p) for p in parts)
    return (
        f"person:{current()}:{kind}:{user.pk}:{digest}:"
        f"{translation.get_language()}:{today().isoformat()}:{tail}"
    )


def cached_for(user, kind: str, parts: tuple, build: Callable[[], T]) -> T:
    """``build()``, kept in the cache for this person until the next data write (at most
    ``SHOUWEI_PERSON_CACHE_SECONDS``; 0: never kept)."""
    seconds = settings.SHOUWEI_PERSON_CACHE_SECONDS
    if seconds <= 0 or pending() or not getattr(user, "is_authenticated", False):
        return build()
    key = person_key(user, kind, *parts)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=seconds)
    return value
