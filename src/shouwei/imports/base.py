"""The import framework's public API: what an app declares to get template, upload, preview,
all-or-nothing commit and rollback for its records.

An importer is a class; the framework owns files, headers, row numbers, error lists, progress,
transactions and history. An app writes::

    class LeadImporter(Importer):
        label = "招商线索"
        model = Lead
        columns = (
            Column("unit", "单位代码", parse=parsers.code, required=True, choices="units"),
            Column(
                "amount", "金额（万元）", parse=parsers.decimal(max_digits=20, decimal_places=2)
            ),
        )

        def natural_key(self, values): ...          # duplicate rows within one file
        def prepare(self, rows, *, user): ...       # bulk look-ups, one query per chunk
        def resolve(self, row, *, user): ...        # codes → objects, permission, create/update

    register_importer("leads", LeadImporter)      # in the app's importers.py (autodiscovered)
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db import models
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from shouwei.core.permissions import ADD, CHANGE, DELETE, may

from . import parsers
from .bulk import create_with_history, delete_with_history, record_history

CREATE = "create"
UPDATE = "update"
WRITE_CHUNK = 1000


@dataclass(frozen=True)
class Column:
    """One column of the import sheet.

    ``choices`` names a code list from ``Importer.code_lists`` (a drop-down fed by the 代码表
    sheet) or gives the allowed words themselves (a short in-cell list).
    """

    key: str
    header: str
    parse: Callable[[Any], Any] = parsers.text
    required: bool = False
    choices: str | tuple[str, ...] | None = None
    help_text: str = ""
    format: str = ""
    example: str = ""
    width: int = 14
    # Text-formatted in the template so Excel keeps "2022-06" and "6.9%" as typed instead of
    # turning them into a date or 0.069.
    as_text: bool = False


@dataclass
class CodeList:
    """Codes a drop-down offers, listed on the template's 代码表 sheet."""

    key: str
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[Any, ...]]


@dataclass
class Row:
    """One data row: its line as the user sees it in Excel, parsed values, and what to write."""

    line: int
    values: dict[str, Any]
    # CREATE: the new record's field values (built into an instance only at commit, so a dry
    # run of 50,000 rows constructs no model instances). UPDATE: the existing instance, changed.
    target: Any = None
    action: str = CREATE


class RowError(Exception):
    """Problems with one row: (column key or None for the whole row, Chinese message)."""

    def __init__(self, *problems: tuple[str | None, str]):
        super().__init__("; ".join(m for _k, m in problems))
        self.problems = problems


def model_problems(instance: models.Model, *, exclude: tuple[str, ...] = ()) -> list:
    """The model's own validation (field validators and ``clean``) as a row's problems, so an
    importer never keeps a second copy of a rule the form applies. Relations the importer has
    resolved, uniqueness (checked across the file and against existing rows) and database
    constraints are left to the importer and the commit."""
    from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

    relations = tuple(
        f.name for f in instance._meta.concrete_fields if f.is_relation and f.name not in exclude
    )
    try:
        instance.full_clean(
            exclude=[*exclude, *relations], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        return [
            (None if field == NON_FIELD_ERRORS else field, message)
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return []


class ImportConflict(Exception):
    """Something changed between the preview and the commit; the message says what."""


@dataclass
class WriteResult:
    created: int = 0
    updated: int = 0


class Importer(ABC):
    """Base class of every importer. Subclasses declare; the framework runs."""

    key: ClassVar[str] = ""  # set by register_importer
    label: ClassVar[str]
    model: ClassVar[type[models.Model]]
    columns: ClassVar[tuple[Column, ...]]
    help_text: ClassVar[str] = ""
    sheet_title: ClassVar[str] = "数据"
    # The foreign key on ``model`` that records which batch wrote a record (lineage, rollback).
    batch_field: ClassVar[str] = "import_batch"
    # Fields bulk_update writes for rows that update an existing record.
    update_fields: ClassVar[tuple[str, ...]] = ()
    # Relations ``describe`` reads, loaded with the records a rollback checks.
    select_related: ClassVar[tuple[str, ...]] = ()

    # --- declarations ------------------------------------------------------------------------
    def can_start(self, user) -> bool:
        """May the user import at all? Row-level checks happen in ``resolve``."""
        return may(user, self.model, ADD)

    def code_lists(self, *, user) -> list[CodeList]:
        """Code lists for the template's drop-downs, limited to what this user may use."""
        return []

    def natural_key(self, values: dict[str, Any]) -> tuple | None:
        """Two rows with the same key in one file are duplicates (None: no check)."""
        return None

    def describe_key(self, key: tuple) -> str:
        return " / ".join(str(k) for k in key)

    # --- per run ------------------------------------------------------------------------------
    def prepare(self, rows: list[Row], *, user) -> None:  # noqa: B027 (optional hook)
        """Load what ``resolve`` needs for these rows in bulk (called once per chunk)."""

    @abstractmethod
    def resolve(self, row: Row, *, user) -> None:
        """Turn codes into objects, check the user may write this row, and set ``row.target``:
        a dict of field values for a new record, or the existing instance with the changes
        applied and ``row.action = UPDATE``. Raise ``RowError`` naming the column for anything
        wrong."""

    def stamp(self, *, batch, user) -> dict[str, Any]:
        """Fields every written record gets, known only at commit (the batch, the user)."""
        return {self.batch_field: batch}

    def check_before_write(self, rows: list[Row], *, user) -> None:  # noqa: B027 (optional)
        """Inside the commit transaction: raise ImportConflict if the preview went stale."""

    def write_rows(self, rows: list[Row], *, batch, user) -> WriteResult:
        """Write every row in the caller's transaction, with history, in chunks."""
        self.check_before_write(rows, user=user)
        stamp = self.stamp(batch=batch, user=user)
        reason = _("导入批次#%(pk)s：%(name)s") % {"pk": batch.pk, "name": batch.original_name}
        creates = [self.model(**r.target, **stamp) for r in rows if r.action == CREATE]
        updates = [r.target for r in rows if r.action == UPDATE]
        for obj in updates:
            for name, value in stamp.items():
                setattr(obj, name, value)
        history = {"user": user, "reason": reason, "chunk": WRITE_CHUNK}
        # Updates first: afterwards every record pointing at this batch is one it created.
        if updates:
            self.model._default_manager.bulk_update(
                updates, [*self.update_fields, *stamp], batch_size=WRITE_CHUNK
            )
            record_history(self.model, updates, history_type="~", **history)
        if creates:
            updated = {obj.pk for obj in updates}
            create_with_history(
                self.model,
                creates,
                lookup={self.batch_field: batch},
                exclude=updated,
                **history,
            )
        return WriteResult(created=len(creates), updated=len(updates))

    # --- rollback -----------------------------------------------------------------------------
    def locked_reason(self, instance) -> str | None:
        """Why a record written by the batch may no longer be undone (None: it may)."""
        return None

    def describe(self, instance) -> str:
        return str(instance)

    def rollback(self, *, batch, user) -> WriteResult:
        """Delete what the batch created and restore what it updated to the version before it,
        from the history the commit wrote; runs in the caller's transaction. Refuses
        (ImportConflict) when any record has moved on since: locked (e.g. approved) or
        rewritten by a later batch."""
        history = self.model.history.model
        pk_name = self.model._meta.pk.attname
        batch_attname = self.model._meta.get_field(self.batch_field).attname
        first_marks: dict[Any, tuple[int, str]] = {}
        for obj_pk, history_id, kind in (
            history.objects.filter(**{batch_attname: batch.pk}, history_type__in=("+", "~"))
            .order_by("history_id")
            .values_list(pk_name, "history_id", "history_type")
        ):
            first_marks.setdefault(obj_pk, (history_id, kind))
        ids = list(first_marks)
        current = {}
        for start in range(0, len(ids), WRITE_CHUNK):
            current.update(
                (obj.pk, obj)
                for obj in self.model._default_manager.select_for_update()
                .select_related(*self.select_related)
                .filter(pk__in=ids[start : start + WRITE_CHUNK])
            )
        created_pks = [pk for pk, (_h, k) in first_marks.items() if k == "+" and pk in current]
        may_undo = self._permitted(user, DELETE, created_pks) | self._permitted(
            user, CHANGE, [pk for pk in current if pk not in set(created_pks)]
        )
        blocked: list[tuple[Any, str]] = []
        for obj in current.values():
            why = self.locked_reason(obj)
            if why is None and obj.pk not in may_undo:
                # Undoing a record is changing or deleting it: the record's own contract says
                # whether this user may, whoever wrote the batch.
                why = _("您无权修改或删除这条记录")
            if why is None and getattr(obj, batch_attname) != batch.pk:
                why = _("已被导入批次#%(pk)s修改，请先撤销该批次") % {
                    "pk": getattr(obj, batch_attname) or "—"
                }
            if why:
                blocked.append((obj, why))
        created = [current[pk] for pk, (_h, k) in first_marks.items() if k == "+" and pk in current]
        updated = {pk: h for pk, (h, k) in first_marks.items() if k == "~" and pk in current}
        restored = self._previous_versions(updated)
        missing = set(updated) - {obj.pk for obj in restored}
        blocked += [(current[pk], _("找不到导入前的版本")) for pk in missing]
        if blocked:
            visible = self._permitted(user, "view", [obj.pk for obj, _w in blocked[:20]])
            shown = "；".join(
                f"{self.describe(obj) if obj.pk in visible else f'#{obj.pk}'}（{why}）"
                for obj, why in blocked[:20]
            )
            more = len(blocked) - 20
            raise ImportConflict(
                _("不能撤销：%(n)s条记录在导入后已变化：%(list)s")
                % {"n": len(blocked), "list": shown + (f"…还有{more}条" if more > 0 else "")}
            )
        history = {"user": user, "reason": _("撤销导入批次#%(pk)s") % {"pk": batch.pk}}
        # The created records go before the updated ones come back: a restored version may
        # hold a unique place a created one took meanwhile (a stoppage the batch resumed is
        # open again, and the one-open-stoppage constraint needs the batch's new one gone).
        try:
            delete_with_history(self.model, created, chunk=WRITE_CHUNK, **history)
        except ProtectedError as exc:
            raise _referenced(exc.protected_objects) from None
        except RestrictedError as exc:
            raise _referenced(exc.restricted_objects) from None
        if restored:
            fields = [f.name for f in self.model._meta.concrete_fields if not f.primary_key]
            self.model._default_manager.bulk_update(restored, fields, batch_size=WRITE_CHUNK)
            record_history(self.model, restored, history_type="~", chunk=WRITE_CHUNK, **history)
        return WriteResult(created=len(created), updated=len(restored))

    def _permitted(self, user, action: str, pks: list) -> set:
        """Which of these records the user may ``action`` (one query per thousand)."""
        allowed: set = set()
        for start in range(0, len(pks), WRITE_CHUNK):
            allowed.update(
                self.model._default_manager.restrict(user, action)
                .filter(pk__in=pks[start : start + WRITE_CHUNK])
                .values_list("pk", flat=True)
            )
        return allowed

    def _previous_versions(self, first_history: dict[Any, int]) -> list:
        """For each record, the version just before the batch's own history record."""
        history = self.model.history.model
        pk_name = self.model._meta.pk.attname
        out = []
        ids = list(first_history)
        for start in range(0, len(ids), WRITE_CHUNK):
            chunk = ids[start : start + WRITE_CHUNK]
            seen: set = set()
            for rec in (
                history.objects.filter(**{f"{pk_name}__in": chunk})
                .exclude(history_type="-")
                .order_by(pk_name, "-history_id")
            ):
                obj_pk = getattr(rec, pk_name)
                if obj_pk in seen or rec.history_id >= first_history[obj_pk]:
                    continue
                seen.add(obj_pk)
                out.append(rec.instance)
        return out


def _referenced(blockers) -> ImportConflict:
    names = "；".join(str(obj) for obj in list(blockers)[:5])
    return ImportConflict(_("不能撤销：导入的记录已被其他数据引用（%(names)s）") % {"names": names})
