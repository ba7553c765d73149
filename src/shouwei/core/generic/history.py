"""The change history of a record: who changed which field from what to what, when, and by
which path (a web form, the API, an import, the admin, a restore of an earlier version).

``history_rows`` is the detail page's short list; ``version_rows`` the history page's one
page of versions; ``restore_data`` what the restore of a version posts to the model's form.
A page of versions costs the same few queries however long the history is: the versions and
the one before them in one query with their authors, the related records they name in one
query per field, nothing per version (tests/core/test_record_history.py counts them).
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from .. import formatting
from ..permissions import ScopedQuerySet

# The path a write came by, put on its history row when the writer gave no reason of its own
# (core.signals.on_history_record). Stored untranslated: they are data the page reads back.
SOURCE_WEB = "网页表单"
SOURCE_API = "API"
SOURCE_ADMIN = "管理后台"
CHANNELS = (SOURCE_WEB, SOURCE_API, SOURCE_ADMIN)
# The reason of a restore's history row; ``#id`` is the restored version's history id.
RESTORE_REASON = "恢复至版本 #%(id)s"
_RESTORE = re.compile(r"^恢复至版本 #(\d+)")


def channel_of(path: str | None) -> str | None:
    """The path a request's write came by, from its URL (None outside a request)."""
    if path is None:
        return None
    if path.startswith("/api/"):
        return SOURCE_API
    if path.startswith("/admin/"):
        return SOURCE_ADMIN
    return SOURCE_WEB


def _batch_reasons() -> tuple[re.Pattern, re.Pattern]:
    """The import framework's reasons (imports.base), in the languages they may be stored in:
    the reason is translated when the batch is committed."""
    imported, undone = [], []
    for lang in ("zh-hans", "en"):
        with override(lang):
            imported.append(re.escape(_("导入批次#%(pk)s：%(name)s") % {"pk": "@", "name": ""}))
            undone.append(re.escape(_("撤销导入批次#%(pk)s") % {"pk": "@"}))
    return _alternatives(undone), _alternatives(imported)


def _alternatives(parts: list[str]) -> re.Pattern:
    alternatives = "|".join(p.replace("@", r"(\d+)", 1) for p in parts)
    return re.compile(f"^(?:{alternatives})")


def history_rows(obj, limit: int = 50, *, user=None) -> list[dict]:
    """The latest ``limit`` versions with the fields each changed (simple-history)."""
    history = getattr(obj, "history", None)
    if history is None:
        return []
    records = list(_ordered(history)[: limit + 1])
    return _rows(obj, records, len(records[:limit]), user=user)


def versions(obj) -> models.QuerySet:
    """Every version of ``obj``, newest first."""
    return _ordered(obj.history)


def all_version_rows(obj, *, user=None) -> list[dict]:
    """Every version, for the export."""
    records = list(versions(obj))
    return _rows(obj, records, len(records), user=user)


def version_rows(obj, page, *, user=None) -> list[dict]:
    """The rows of one page (a Paginator page of ``versions(obj)``): its versions and the
    one just before the page's last, which its changes are measured against."""
    if not page.paginator.count:
        return []
    start = page.start_index() - 1
    records = list(versions(obj)[start : page.end_index() + 1])
    return _rows(obj, records, page.end_index() - start, user=user)


def _ordered(history) -> models.QuerySet:
    return history.select_related("history_user").order_by("-history_date", "-history_id")


def _rows(obj, records: list, shown_count: int, *, user) -> list[dict]:
    deltas = []
    for i, rec in enumerate(records[:shown_count]):
        prev = records[i + 1] if i + 1 < len(records) else None
        changed = rec.diff_against(prev).changes if prev and rec.history_type == "~" else []
        deltas.append((rec, prev, [(obj._meta.get_field(c.field), c.old, c.new) for c in changed]))
    shown = _history_values(deltas, user=user)
    undone, imported = _batch_reasons()
    return [
        {
            "id": rec.history_id,
            "date": rec.history_date,
            "user": rec.history_user,
            "type": {"+": _("创建"), "~": _("修改"), "-": _("删除")}[rec.history_type],
            "history_type": rec.history_type,
            "reason": None if rec.history_change_reason in CHANNELS else rec.history_change_reason,
            "changes": [(f.verbose_name, shown(f, old), shown(f, new)) for f, old, new in changes],
            **_source(rec, prev, undone, imported),
        }
        for rec, prev, changes in deltas
    ]


def _source(rec, prev, undone: re.Pattern, imported: re.Pattern) -> dict:
    """Where a version came from: ``source`` as the page shows it, ``source_url`` a link (the
    import batch), ``restored_from`` the history id a restore went back to."""
    reason = rec.history_change_reason or ""
    if m := _RESTORE.match(reason):
        return {"source": _("恢复至版本 #%(id)s") % {"id": m[1]}, "restored_from": int(m[1])}
    if m := undone.match(reason):
        return _batch_source(_("撤销导入 #%(pk)s"), _group(m))
    if m := imported.match(reason):
        return _batch_source(_("导入 #%(pk)s"), _group(m))
    # A record whose batch changed in this version came from that batch, whatever the reason.
    batch = getattr(rec, "import_batch_id", None)
    if batch is not None and (prev is None or prev.import_batch_id != batch):
        return _batch_source(_("导入 #%(pk)s"), batch)
    labels = {SOURCE_WEB: _("网页表单"), SOURCE_API: _("API"), SOURCE_ADMIN: _("管理后台")}
    if reason in labels:
        return {"source": labels[reason]}
    # Written by a service outside a request (the worker, a command) or before sources were
    # recorded: the reason, when there is one, says what it was.
    return {"source": _("系统") if rec.history_user_id is None else "—"}


def _group(match: re.Match) -> int:
    """The batch number, from whichever language's alternative matched."""
    return int(next(g for g in match.groups() if g))


def _batch_source(label: str, pk: int) -> dict:
    return {"source": label % {"pk": pk}, "source_url": reverse("imports:batch_detail", args=[pk])}


def _history_values(deltas, *, user=None):
    """A function showing a stored value as a reader knows it: the related record's name
    (not its key), a choice's label, 是/否, a figure through the one number formatter (6.9, not
    6.900). Related records are fetched once per field for the whole history, not once per
    change."""
    keys: dict[models.ForeignKey, set] = {}
    for _rec, _prev, changes in deltas:
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
        if isinstance(f, models.DecimalField) and isinstance(value, Decimal):
            return formatting.format_trimmed(value, f.decimal_places)
        return value

    return shown


def _related_names(model, pks, user) -> dict:
    """Names of related records a history mentions, looked up within what the user may read:
    a record they may not see keeps its key (#12), not its name."""
    qs = model._default_manager.filter(pk__in=pks)
    if isinstance(qs, ScopedQuerySet):
        qs = qs.visible_to(user)
    return {o.pk: str(o) for o in qs}


def export_rows(rows: list[dict]) -> list[list]:
    """A header and one line per changed field (or per version that changed none), for the
    shared xlsx writer."""
    out: list[list] = [
        [
            _("版本"),
            _("时间"),
            _("操作人"),
            _("类型"),
            _("来源"),
            _("原因"),
            _("字段"),
            _("原值"),
            _("新值"),
        ]
    ]
    for r in rows:
        head = [
            r["id"],
            timezone.localtime(r["date"]).strftime("%Y-%m-%d %H:%M:%S"),
            str(r["user"]) if r["user"] else _("系统"),
            r["type"],
            r["source"],
            r["reason"] or "",
        ]
        for label, old, new in r["changes"] or [(None, None, None)]:
            out.append(
                [
                    *head,
                    str(label or ""),
                    "" if old is None else str(old),
                    "" if new is None else str(new),
                ]
            )
    return out
