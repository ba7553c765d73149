"""One bulk writer for every synthetic table: ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

``bulk_create`` would do, but on SQLite Django caps a statement at 999 parameters (45
observations) and prepares every value of every row through the SQL compiler: 324,000 rows
took over a minute. Here SQLite runs one prepared statement per row (``executemany``, no
network in between) and PostgreSQL gets COPY, three times faster there than ``executemany``
or multi-row INSERTs (measured: 6,000 rows in 0.6 s against 1.9 s and 2.7 s).

The rows skip ``save()``, signals and the audit history (nobody entered them): whatever a
model's ``save()`` would derive, the generator sets itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, models, transaction

BATCH_SIZE = 2000

# Fields whose Python values both drivers take as they are; the others (dates, decimals…) go
# through the field's own preparation for the database.
_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


# The open ``bulk_loading`` block: per table, the statements that restore what was dropped.
_deferred: ContextVar[dict[str, list[str]] | None] = ContextVar("shouwei_deferred", default=None)


@contextmanager
def bulk_loading() -> Iterator[None]:
    """Inside the block, a table that ``defer_upkeep`` names (``RowWriter`` does on its first
    write) loses its non-unique indexes and, on PostgreSQL, its foreign keys; at the end they
    are built again from the table's rows in one pass each, and the table is analysed.

    Why: updating an index row by row costs several times building it once (the GIN index of
    an observation's ``shouwei_bigrams`` most of all), and Django's foreign keys are
    ``DEFERRABLE INITIALLY DEFERRED``, so every row queues a check that runs at COMMIT, one
    lookup per row and key: profiled on 1,080,000 observations and as many stored ranks, the
    COMMIT alone took a minute. Adding the key back checks every row in one join.

    Unique indexes and the primary key stay, so a duplicate still fails where it is written.
    The block is one transaction: if it fails, the drops roll back with the rows (both
    databases have transactional DDL). A nested block restores what was dropped inside it.
    Dropping takes the tables' exclusive locks until the transaction ends (on PostgreSQL
    those of the tables the keys point at too): it is for loading a database nobody is using
    meanwhile (``loaddemo --scale``, the benchmarks), not a live one."""
    dropped: dict[str, list[str]] = {}
    token = _deferred.set(dropped)
    try:
        with transaction.atomic():
            yield
            _deferred.reset(token)
            token = None
            _restore(dropped)
    finally:
        if token is not None:
            _deferred.reset(token)


def defer_upkeep(model: type[models.Model]) -> None:
    """Drop the non-unique indexes (and on PostgreSQL the foreign keys) of ``model``'s table
    until the open ``bulk_loading`` block ends; nothing outside one, or when already done."""
    dropped = _deferred.get()
    table = model._meta.db_table
    if dropped is None or table in dropped:
        return
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                [qn(table)],
            )
            keys = cursor.fetchall()
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i WHERE i.indrelid = %s::regclass "
                "AND NOT i.indisunique AND NOT i.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
                "ORDER BY 1",
                [qn(table)],
            )
            indexes = cursor.fetchall()
        else:
            keys = []
            # origin "c": made by CREATE INDEX (not for a UNIQUE or PRIMARY KEY constraint).
            cursor.execute(f"PRAGMA index_list({qn(table)})")
            names = sorted(row[1] for row in cursor.fetchall() if not row[2] and row[3] == "c")
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND name IN ({', '.join(['%s'] * len(names)) or 'NULL'}) ORDER BY name",
                names,
            )
            indexes = [(qn(name), sql) for name, sql in cursor.fetchall()]
        if keys:
            _check_deferred_now(cursor)
        for name, _definition in keys:
            cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {name}")
    dropped[table] = [sql for _name, sql in indexes] + [
        f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}"
        for name, definition in keys
    ]


def _check_deferred_now(cursor) -> None:
    # PostgreSQL refuses to ALTER a table with checks still queued in the transaction (rows
    # written earlier in it, say by a test's factories): run them now, then defer again.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _restore(dropped: dict[str, list[str]]) -> None:
    if not dropped:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _check_deferred_now(cursor)
            # Room to sort a million rows in memory (the default is 64 MB); this transaction only.
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for table, statements in dropped.items():
            for sql in statements:
                cursor.execute(sql)
            # The planner's statistics were of the table before the load.
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _plain(field: models.Field) -> bool:
    if isinstance(field, _PLAIN):
        return True
    # PostgreSQL takes dates and decimals as they are (its adapt_*field_value return the
    # value): preparing them was a third of a million-request load's CPU. A datetime still
    # goes through the field (time zone).
    return connection.vendor == "postgresql" and (
        type(field) is models.DateField or isinstance(field, models.DecimalField)
    )


class RowWriter:
    """Batched writes of rows of ``model`` that differ only in the ``varying`` fields.

    Every other column takes the value a new instance has (``constants`` overriding), so a
    field added later with a default is filled in here too. Rows are tuples in ``varying``
    order, holding Python values (a foreign key as its id).
    """

    def __init__(
        self,
        model: type[models.Model],
        *,
        varying: tuple[str, ...],
        constants: dict[str, object] | None = None,
    ):
        template = model(**(constants or {}))
        self.model = model
        meta = model._meta
        self.fields = {f.name: f for f in meta.concrete_fields if not f.primary_key}
        unknown = set(varying) - set(self.fields)
        if unknown:
            raise ValueError(f"{meta.label} 没有字段 {sorted(unknown)}")
        self.constants = tuple(
            f.get_db_prep_save(f.pre_save(template, add=True), connection)
            for name, f in self.fields.items()
            if name not in varying
        )
        self._prep = [
            (n, self.fields[name])
            for n, name in enumerate(varying)
            if not _plain(self.fields[name])
        ]
        qn = connection.ops.quote_name
        names = [*varying, *(name for name in self.fields if name not in varying)]
        columns = ", ".join(qn(self.fields[name].column) for name in names)
        table = qn(meta.db_table)
        params = ", ".join(["%s"] * len(names))
        self.insert_sql = f"INSERT INTO {table} ({columns}) VALUES ({params})"
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"

    def prep(self, name: str, value):
        return self.fields[name].get_db_prep_save(value, connection)

    def row(self, *values) -> tuple:
        """A row whose values are already prepared (see ``prep``)."""
        return values + self.constants

    def _prepared(self, values: tuple) -> tuple:
        if not self._prep:
            return values + self.constants
        out = list(values)
        for n, field in self._prep:
            if out[n] is not None:
                out[n] = field.get_db_prep_save(out[n], connection)
        return (*out, *self.constants)

    def write(self, rows: Iterable[tuple]) -> int:
        """Prepare and insert ``rows`` (Python values in ``varying`` order); return how many."""
        batch: list[tuple] = []
        count = 0
        for values in rows:
            batch.append(self._prepared(values))
            if len(batch) >= 20_000:
                self.insert(batch)
                count += len(batch)
                batch = []
        self.insert(batch)
        return count + len(batch)

    def insert(self, rows: list[tuple]) -> None:
        """Insert rows already prepared (``row``)."""
        if not rows:
            return
        defer_upkeep(self.model)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The psycopg 3 cursor under Django's wrapper.
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            for start in range(0, len(rows), BATCH_SIZE):
                cursor.executemany(self.insert_sql, rows[start : start + BATCH_SIZE])


class PartialData(ValueError):
    """Some but not all of an app's synthetic rows exist: a second run refuses rather than
    guess which rows are missing."""


def existing(what: str, have: int, want: int) -> bool:
    """True when an earlier run wrote exactly ``want`` rows (skip), False when none (write);
    otherwise refuse with the numbers."""
    if have == 0:
        return False
    if have == want:
        return True
    raise PartialData(
        f"已有 {have:,} 条模拟{what}，与本次规模的 {want:,} 条不符："
        "请在空库上生成，或使用与上次相同的规模和选项"
    )
