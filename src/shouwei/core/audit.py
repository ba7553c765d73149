"""Audit helpers over django-simple-history: who changed what a record now is.

The two-person rules (a statistician approving a figure, a reviewer publishing an article) ask
the same question whatever path the change came by — a form, the API, an import, a correction:
did this person change the state that is about to be approved? The history answers it, because
every write path records who wrote each version (``imports.bulk`` does it for bulk writes too).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import models


def changed_by(
    obj: models.Model,
    *,
    user,
    fields: Iterable[str],
    since: Callable[[models.Model], bool] | None = None,
) -> bool:
    """Did ``user`` create ``obj`` or change one of ``fields`` in a version after the last
    one ``since`` accepts (all versions when None or none does)?"""
    attnames = [obj._meta.get_field(f).attname for f in fields]
    records = list(obj.history.order_by("history_date", "history_id"))
    start = 0
    if since is not None:
        for i, record in enumerate(records):
            if since(record):
                start = i + 1
    previous = records[start - 1] if start else None
    for record in records[start:]:
        if record.history_user_id == user.pk:
            if record.history_type == "+" or previous is None:
                return True
            if any(getattr(record, a) != getattr(previous, a) for a in attnames):
                return True
        previous = record
    return False
