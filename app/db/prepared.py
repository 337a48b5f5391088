"""Prepared SQL for the hot statements of the engine and of every request.

peewee builds a statement's SQL string on every execution, walking its query tree: 60–100 µs
of Python for a small statement, several hundred for a list page's wide select — more than
SQLite then takes to run it. A ``Statement`` lets peewee build the SQL once per kind of
database, from a query whose variable parts are named slots, and afterwards only binds
values: the same SQL, the same parameters, none of the walk. Statements still go through
``Database.execute_sql``, so they are logged and counted like any other.

Slots are bound through their field's ``db_value`` (JSON, booleans, foreign keys), as peewee
itself does; constants written into the query are converted when it is built.

    CLAIM = Statement(lambda s: Task.update(status=s.status).where(Task.id == s.id),
                      status=Task.status, id=Task.id)
    CLAIM.execute(status="done", id=17).rowcount
    TODO = Statement(lambda s: box_query(s.user, "todo").limit(s.limit), user=None, limit=None)
    list(TODO.rows(user=7, limit=20))        # rows as the query gives them: models with joins

Every long-lived statement registers itself with ``.named("part.what", slot=example …)``
in ``STATEMENTS``; tests/engine/test_prepared_registry.py runs each one on SQLite and on
PostgreSQL and compares its rows with what plain peewee gives for the same query built with
the example values in place of the slots (``plain``). An example may be a callable: it gets
the test's sample rows (``instance``, ``user``, ``service`` …) and returns the value.

The engine (no Flask) and the blueprints share this module; it imports peewee and app.db only.
"""
from __future__ import annotations

from types import SimpleNamespace

import peewee

from app.db import db

STATEMENTS: dict[str, "Statement"] = {}


class _Slot:
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name


class _Slots:
    def __init__(self, names):
        for name in names:
            setattr(self, name, peewee.Value(_Slot(name), converter=False))


class Statement:
    """A query built by ``build(slots)`` once per database class; ``fields`` names each slot
    and the field whose ``db_value`` converts its values (None: bound as given)."""

    name = None
    examples: dict = {}

    def __init__(self, build, **fields):
        self._build = build
        self._fields = fields
        self._compiled = {}

    def named(self, name: str, **examples):
        """Register the statement as ``name`` with example values for its slots."""
        if name in STATEMENTS:
            raise ValueError(f"prepared statement {name!r} is registered twice")
        unknown = set(examples) - set(self._fields)
        if unknown:
            raise ValueError(f"{name}: examples for slots it does not have: {sorted(unknown)}")
        self.name, self.examples = name, examples
        STATEMENTS[name] = self
        return self

    def slots(self) -> tuple[str, ...]:
        return tuple(self._fields)

    def complete(self, values: dict) -> dict:
        """``values`` with whatever the statement fills in itself (an Insert's defaults)."""
        return values

    def plain(self, **values):
        """The same query built by peewee with ``values`` in place of the slots, each bound
        as peewee binds a value compared with its field (``Value(db_value(v))``)."""
        bound = {name: value if field is None or value is None
                 else peewee.Value(field.db_value(value), converter=False)
                 for (name, field), value in ((item, values[item[0]])
                                             for item in self._fields.items())}
        return self._build(SimpleNamespace(**bound))

    def _compile(self, database):
        query = self._build(_Slots(self._fields))
        sql, params = database.get_sql_context().sql(query).query()
        order = []
        for param in params:
            if isinstance(param, _Slot):
                field = self._fields[param.name]
                order.append((param.name, field.db_value if field is not None else None))
            else:
                order.append((None, param))
        missing = set(self._fields) - {name for name, _ in order if name}
        if missing:
            raise ValueError(f"slots not used by the statement: {sorted(missing)}")
        compiled = self._compiled[type(database)] = (sql, tuple(order), query)
        return compiled

    def sql(self) -> str:
        database = db.obj
        return (self._compiled.get(type(database)) or self._compile(database))[0]

    def rows(self, **values):
        """The rows as the built query itself gives them (model objects with their joined
        rows, tuples, dicts …): iterate the result."""
        database = db.obj
        query = (self._compiled.get(type(database)) or self._compile(database))[2]
        # peewee 4 has no public way to wrap a cursor it did not execute itself.
        return query._get_cursor_wrapper(self.execute(**values))

    def first_row(self, **values):
        return next(iter(self.rows(**values)), None)

    def execute(self, **values):
        """The database cursor of the statement run with ``values`` bound to its slots."""
        database = db.obj
        sql, order, _ = self._compiled.get(type(database)) or self._compile(database)
        params = []
        for name, convert in order:
            if name is None:
                params.append(convert)
            else:
                value = values[name]
                params.append(convert(value) if convert is not None and value is not None
                              else value)
        return database.execute_sql(sql, params)

    def scalar(self, **values):
        row = self.execute(**values).fetchone()
        return row[0] if row is not None else None


class PreparedQuery(Statement):
    """A Statement whose builder takes the slots as keyword arguments and whose call gives
    the rows as the query gives them; values are bound as given (a user's id, not the user).

        TODO_PAGE = PreparedQuery(lambda user, limit: box_query(user, "todo").limit(limit),
                                  user=int, limit=int)
        list(TODO_PAGE(user=7, limit=20))
    """

    def __init__(self, build, **kinds):
        super().__init__(lambda s: build(**{name: getattr(s, name) for name in kinds}),
                         **{name: None for name in kinds})

    def __call__(self, **values):
        return self.rows(**values)

    def first(self, **values):
        return self.first_row(**values)


class Insert(Statement):
    """``INSERT INTO model (every column) VALUES (…) RETURNING id``; columns not given take
    their field's default at each call (a callable default is called then, as peewee does)."""

    def __init__(self, model):
        fields = {f.name: f for f in model._meta.sorted_fields if not f.primary_key}
        super().__init__(lambda s: model.insert({f: getattr(s, n) for n, f in fields.items()})
                         .returning(model._meta.primary_key), **fields)
        self.model = model
        self._fields_by_name = fields
        self._defaults = {n: f.default for n, f in fields.items()}
        self._many = {}

    def _complete(self, values):
        for name, default in self._defaults.items():
            if name not in values:
                values[name] = default() if callable(default) else default
        return values

    def complete(self, values: dict) -> dict:
        return self._complete(dict(values))

    def run(self, **values) -> int:
        return self.execute(**self._complete(values)).fetchone()[0]

    def create(self, **values):
        """Insert and return the model object (for listeners), like ``Model.create``."""
        values = self._complete(values)
        new_id = self.execute(**values).fetchone()[0]
        return self._object(values, new_id)

    def _object(self, values, new_id):
        obj = self.model(__no_default__=1, **values)
        obj.id = new_id
        obj._dirty.clear()               # as peewee's own row objects (it has no public clear)
        return obj

    def create_many(self, rows: list[dict], key: tuple) -> list:
        """Insert ``rows`` in one statement and return their model objects, in order.

        The new ids are matched to the rows by the ``key`` columns the statement returns
        (the order of RETURNING rows is not promised); rows whose key is not unique in the
        batch are inserted one by one instead."""
        rows = [self._complete(dict(r)) for r in rows]
        keys = [tuple(_plain(r[k]) for k in key) for r in rows]
        if len(rows) < 2 or len(set(keys)) != len(keys):
            return [self.create(**r) for r in rows]
        statement = self._many.get((len(rows), key))
        if statement is None:
            statement = self._many[(len(rows), key)] = self._many_statement(len(rows), key)
        values = {f"{n}_{i}": r[n] for i, r in enumerate(rows) for n in self._fields_by_name}
        ids = {tuple(found[1:]): found[0] for found in statement.execute(**values).fetchall()}
        return [self._object(r, ids[k]) for r, k in zip(rows, keys)]

    def _many_statement(self, count, key):
        model, fields = self.model, self._fields_by_name
        slots = {f"{n}_{i}": f for i in range(count) for n, f in fields.items()}
        returning = [model._meta.primary_key] + [fields[k] for k in key]
        return Statement(lambda s: model.insert_many(
            [{f: getattr(s, f"{n}_{i}") for n, f in fields.items()} for i in range(count)])
            .returning(*returning), **slots)


def _plain(value):
    """A key column's value as the database returns it (a model object → its id)."""
    return value.id if hasattr(value, "_meta") else value


class Columns:
    """Every column of a model, in the order ``columns()`` selects them; ``make`` turns the
    matching slice of a row into a model object as peewee makes them (None for the all-NULL
    slice of an outer join)."""

    def __init__(self, model):
        self.model = model
        self.fields = list(model._meta.sorted_fields)
        self._convert = [(f.name, f.python_value) for f in self.fields]
        self.width = len(self.fields)

    def columns(self):
        return self.fields

    def make(self, row, start=0):
        values = row[start:start + self.width]
        if values[0] is None:                       # the primary key: no row joined
            return None
        data = {name: (convert(value) if value is not None else None)
                for (name, convert), value in zip(self._convert, values)}
        obj = self.model(__no_default__=1, **data)
        obj._dirty.clear()               # as peewee's own row objects (it has no public clear)
        return obj


class SelectRows(Statement):
    """A SELECT of every column of ``model`` (``build(query, slots)`` filters it); ``first``
    and ``all`` give model objects made as peewee makes them."""

    def __init__(self, model, build, **fields):
        self.model = model
        self._columns = Columns(model)
        super().__init__(lambda s: build(model.select(*self._columns.columns()), s), **fields)

    def first(self, **values):
        row = self.execute(**values).fetchone()
        return self._columns.make(row) if row is not None else None

    def all(self, **values) -> list:
        return [self._columns.make(row) for row in self.execute(**values).fetchall()]


def counting(query):
    """The statement peewee's ``query.count()`` runs, for a plain select (no grouping,
    DISTINCT or window: its columns do not change the number of rows)."""
    wrapped = query.order_by().alias("_wrapped").select(peewee.SQL("1"))
    return peewee.Select([wrapped], [peewee.fn.COUNT(peewee.SQL("1"))]).limit(1).tuples()
