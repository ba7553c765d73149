"""Free-text search served by an index on PostgreSQL: character bigrams in a GIN index.

A list's ``q`` means "the text appears in one of the search fields" (``icontains``) on every
database. On PostgreSQL a model may also carry a GIN index over the bigrams (pairs of
adjacent characters) of its own search columns, ``shouwei_bigrams(col, …)``: any text that
contains the query contains each of the query's bigrams, so ``bigrams(row) @> bigrams(query)``
is a necessary condition the index answers, and the ``icontains`` beside it keeps the rows
exactly those of a plain scan. It needs no extension and no locale: ``pg_trgm`` skips every
Chinese character in a ``C``-ctype database (docs/decisions/0005, 0009), and a jieba cut
would match words, not substrings.

Fields across a foreign key (``indicator__name``) are matched in the related table first, one
query per key, and become ``indicator_id IN (…)``: each arm of the search's ``OR`` is then an
index condition, and PostgreSQL combines them (BitmapOr) instead of scanning every row.
SQLite keeps the plain ``icontains`` over the joins (docs/decisions/0009).
"""

from __future__ import annotations

from django.db import connections, models
from django.db.migrations.operations.base import Operation
from django.db.models import Q

FUNCTION = "shouwei_bigrams"

# upper(): Django's icontains on PostgreSQL is UPPER(col) LIKE UPPER(pattern), so the bigrams
# are those of the upper-cased text on both sides of the test. NULL parts add nothing.
CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}(VARIADIC parts text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(p, i, 2)), '{{}}')
  FROM unnest(parts) AS u(part), upper(u.part) AS p, generate_series(1, length(p) - 1) AS i
$$
"""
DROP_FUNCTION = f"DROP FUNCTION IF EXISTS {FUNCTION}(VARIADIC text[])"


def index_name(table: str) -> str:
    return f"{table}_bigrams"[:63]


class CreateBigramFunction(Operation):
    """Create ``shouwei_bigrams`` on PostgreSQL; nothing on other databases."""

    reversible = True
    reduces_to_sql = True

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(CREATE_FUNCTION)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(DROP_FUNCTION)

    def describe(self):
        return f"Create the {FUNCTION} function (PostgreSQL only)"


class CreateBigramIndex(Operation):
    """A GIN index over ``shouwei_bigrams(fields…)`` of one model, on PostgreSQL only (SQLite
    has no GIN, and Django's ``GinIndex`` would be created there too). The fields must be the
    model's own text search fields in the order its filter set declares them: the query's
    expression has to be the index's for the planner to use it."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str, fields: tuple[str, ...] | list[str]):
        self.model_name = model_name
        self.fields = tuple(fields)

    def deconstruct(self):
        return (
            self.__class__.__qualname__,
            [],
            {"model_name": self.model_name, "fields": self.fields},
        )

    def state_forwards(self, app_label, state):
        pass

    def _sql(self, app_label, schema_editor, state):
        model = state.apps.get_model(app_label, self.model_name)
        quote = schema_editor.quote_name
        table = model._meta.db_table
        columns = ", ".join(quote(model._meta.get_field(f).column) for f in self.fields)
        return table, quote(index_name(table)), columns

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table, name, columns = self._sql(app_label, schema_editor, to_state)
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {schema_editor.quote_name(table)} "
            f"USING gin ({FUNCTION}({columns}))"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        _, name, _ = self._sql(app_label, schema_editor, from_state)
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    def describe(self):
        return f"Create a bigram GIN index on {self.model_name} ({', '.join(self.fields)})"


class CreateSearchStatistics(Operation):
    """The planner statistics a model's search needs, on PostgreSQL only:

    - statistics on ``upper(col)`` of its own text search fields (``CREATE STATISTICS`` on
      expressions, PostgreSQL 14+). ``icontains`` compiles to ``UPPER(col) LIKE '%…%'``; with
      no statistics on that expression the planner guesses a few rows for it, multiplies that
      by the bigram index's share, and expects one row where a common term ("2022-06", in
      1/36 of the observations) matches 9,024: it then joins the small tables by nested loops
      over a sequential scan each, per row (0.9 s for page 1 at province scale).
    - a larger statistics target on the foreign keys that the search turns into ``IN (…)``
      (search_q): with more distinct keys than the default 100 most-common values, a key with
      no rows (a department's unit, matched by its name) is estimated at the average of the
      rest, and the planner walked the whole list in its sort order to find 26 rows (0.4 s).
    """

    reversible = True
    reduces_to_sql = True

    def __init__(
        self,
        model_name: str,
        fields: tuple[str, ...] | list[str],
        keys: tuple[str, ...] | list[str] = (),
        target: int = 1000,
    ):
        self.model_name = model_name
        self.fields = tuple(fields)
        self.keys = tuple(keys)
        self.target = target

    def deconstruct(self):
        return (
            self.__class__.__qualname__,
            [],
            {
                "model_name": self.model_name,
                "fields": self.fields,
                "keys": self.keys,
                "target": self.target,
            },
        )

    def state_forwards(self, app_label, state):
        pass

    def _applies(self, schema_editor) -> bool:
        connection = schema_editor.connection
        return connection.vendor == "postgresql" and connection.pg_version >= 140000

    def _names(self, app_label, schema_editor, state):
        model = state.apps.get_model(app_label, self.model_name)
        quote = schema_editor.quote_name
        table = model._meta.db_table
        columns = [quote(model._meta.get_field(f).column) for f in self.fields]
        keys = [quote(model._meta.get_field(f).column) for f in self.keys]
        return quote(table), quote(f"{table}_search_upper"[:63]), columns, keys

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if not self._applies(schema_editor):
            return
        table, name, columns, keys = self._names(app_label, schema_editor, to_state)
        if columns:
            expressions = ", ".join(f"(upper({c}::text))" for c in columns)
            # One expression alone is allowed; two or more also get the ndistinct and
            # dependency kinds, which need the expressions to be distinct: fine here.
            schema_editor.execute(
                f"CREATE STATISTICS IF NOT EXISTS {name} ON {expressions} FROM {table}"
            )
        for key in keys:
            schema_editor.execute(
                f"ALTER TABLE {table} ALTER COLUMN {key} SET STATISTICS {int(self.target)}"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if not self._applies(schema_editor):
            return
        table, name, _columns, keys = self._names(app_label, schema_editor, from_state)
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {name}")
        for key in keys:
            schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN {key} SET STATISTICS -1")

    def describe(self):
        return f"Create the search statistics of {self.model_name} (PostgreSQL only)"


class BigramsContain(models.Func):
    """``shouwei_bigrams(col, …) @> shouwei_bigrams(value)``: the index's side of the test."""

    output_field = models.BooleanField()

    def as_sql(self, compiler, connection, **extra):
        *columns, value = self.get_source_expressions()
        parts, params = [], []
        for col in columns:
            sql, p = compiler.compile(col)
            parts.append(sql)
            params.extend(p)
        value_sql, value_params = compiler.compile(value)
        sql = f"{FUNCTION}({', '.join(parts)}) @> {FUNCTION}(({value_sql})::text)"
        return sql, (*params, *value_params)


def own_text_fields(model: type[models.Model], search_fields: tuple[str, ...]) -> tuple[str, ...]:
    """The model's own text columns among the search fields, in their declared order: the
    columns of its bigram index."""
    out = []
    for name in search_fields:
        if "__" in name:
            continue
        field = model._meta.get_field(name)
        if isinstance(field, (models.CharField, models.TextField)):
            out.append(name)
    return tuple(out)


def search_q(
    model: type[models.Model],
    search_fields: tuple[str, ...],
    value: str,
    *,
    db: str,
    indexed: bool,
) -> Q:
    """The condition "``value`` is in one of ``search_fields``" (icontains), as the database
    at hand answers it fastest; the rows are the same on every database."""
    plain = Q()
    for f in search_fields:
        plain |= Q(**{f"{f}__icontains": value})
    if connections[db].vendor != "postgresql" or not indexed:
        return plain
    own = own_text_fields(model, search_fields)
    q = Q()
    if own:
        own_match = Q()
        for f in own:
            own_match |= Q(**{f"{f}__icontains": value})
        # A one-character query has no bigram: the index cannot narrow it.
        if len(value) >= 2:
            own_match &= Q(BigramsContain(*(models.F(f) for f in own), models.Value(value)))
        q |= own_match
    # Fields across one foreign key are looked up in the related table once, one query per
    # key: the planner then sees the few matching ids (and no arm at all when none match),
    # where a sub-select would leave it guessing a tenth of the table and walking the whole
    # list in its sort order instead.
    across: dict[str, Q] = {}
    for f in search_fields:
        if f in own:
            continue
        head, _, rest = f.partition("__")
        field = model._meta.get_field(head)
        if rest and field.many_to_one and field.concrete:
            across[head] = across.get(head, Q()) | Q(**{f"{rest}__icontains": value})
        else:
            q |= Q(**{f"{f}__icontains": value})
    for head, match in across.items():
        field = model._meta.get_field(head)
        ids = list(
            field.related_model._base_manager.using(db)
            .filter(match)
            .order_by()
            .values_list(field.target_field.attname, flat=True)
        )
        if ids:
            q |= Q(**{f"{field.attname}__in": ids})
    # Nothing matched anywhere: an empty Q would match every row.
    return q if q else Q(pk__in=[])
