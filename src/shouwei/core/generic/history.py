"""The change history a detail page shows: who changed which field from what to what."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

from ..permissions import ScopedQuerySet


def history_rows(obj, limit: int = 50, *, user=None) -> list[dict]:
    """Change history with the fields each version changed (simple-history)."""
    history = getattr(obj, "history", None)
    if history is None:
        return []
    records = list(
        history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    deltas = []
    for i, rec in enumerate(records[:limit]):
        prev = records[i + 1] if i + 1 < len(records) else None
        changed = rec.diff_against(prev).changes if prev and rec.history_type == "~" else []
        deltas.append((rec, [(obj._meta.get_field(c.field), c.old, c.new) for c in changed]))
    shown = _history_values(deltas, user=user)
    return [
        {
            "date": rec.history_date,
            "user": rec.history_user,
            "type": {"+": _("创建"), "~": _("修改"), "-": _("删除")}[rec.history_type],
            "reason": rec.history_change_reason,
            "changes": [(f.verbose_name, shown(f, old), shown(f, new)) for f, old, new in changes],
        }
        for rec, changes in deltas
    ]


def _history_values(deltas, *, user=None):
    """A function showing a stored value as a reader knows it: the related record's name
    (not its key), a choice's label, 是/否. Related records are fetched once per field for
    the whole history, not once per change."""
    keys: dict[models.ForeignKey, set] = {}
    for _rec, changes in deltas:
        for f, old, new in changes:
            if isinstance(f, models.ForeignKey):
                keys.setdefault(f, set()).update(v for v in (old, new) if v is not None)
    names = {f: _related_names(f.related_model, pks, user) for f, pks in keys.items()}

    def shown(f, value):
        if value is None:
            return None
        if f in names:
            # A related record deleted since keeps its key in the history.
            return names[f].get(value, f"#{value}")
        if f.choices:
            return dict(f.flatchoices).get(value, value)
        if isinstance(f, models.BooleanField):
            return _("是") if value else _("否")
        return value

    return shown


def _related_names(model, pks, user) -> dict:
    """Names of related records a history mentions, looked up within what the user may read:
    a record they may not see keeps its key (#12), not its name."""
    qs = model._default_manager.filter(pk__in=pks)
    if isinstance(qs, ScopedQuerySet):
        qs = qs.visible_to(user)
    return {o.pk: str(o) for o in qs}
