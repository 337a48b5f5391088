"""Hot queries whose SQL peewee writes once, not on every request.

peewee turns a query into SQL by walking its tree each time it runs (100–400 µs for the
wide selects of a list page); the 待办 page runs six. A ``PreparedQuery`` builds its query
once per database with a stand-in value for each parameter, keeps the SQL and which
parameters the stand-ins became, and on each call runs that SQL with the real values. Rows
come back as the query itself gives them (models with their joins, tuples, …).

    TODO_PAGE = PreparedQuery(lambda user, limit: box_query(user, "todo").limit(limit),
                              user=int, limit=int)
    rows = list(TODO_PAGE(user=7, limit=20))

Values are passed as the database stores them (a user's id, not the user). The builder
must use every parameter in the SQL (checked when it is first built); what it leaves
constant stays constant. Statements still go through ``Database.execute_sql``, so they are
logged and counted like any other.
"""
import weakref

from peewee import SQL, Select, fn

from app.db import db

_STAND_INS = {
    int: lambda n: -7_304_519_000_000 - n,        # no id, limit or offset is ever this
    str: lambda n: f"\x00onehall-stand-in-{n}\x00",
}


class PreparedQuery:
    def __init__(self, build, **kinds):
        self.build, self.kinds = build, kinds
        self._built = weakref.WeakKeyDictionary()     # database → (query, sql, slots)

    def __call__(self, **values):
        """The rows of the query built for ``values`` (a cursor wrapper: iterate it)."""
        database = db.obj
        built = self._built.get(database)
        if built is None:
            built = self._built[database] = self._prepare(database)
        query, sql, slots = built
        params = [values[name] if name is not None else constant for name, constant in slots]
        return query._get_cursor_wrapper(database.execute_sql(sql, params))

    def first(self, **values):
        return next(iter(self(**values)), None)

    def _prepare(self, database):
        stand_ins = {name: _STAND_INS[kind](n) for n, (name, kind) in enumerate(self.kinds.items())}
        query = self.build(**stand_ins)
        sql, params = database.get_sql_context().sql(query).query()
        slots = [(_named(p, stand_ins), p) for p in params]
        unused = set(stand_ins) - {name for name, _ in slots}
        if unused:
            raise ValueError(f"the prepared query does not use {sorted(unused)}")
        return query, sql, slots


def _named(param, stand_ins):
    for name, value in stand_ins.items():
        if type(param) is type(value) and param == value:
            return name
    return None


def counting(query):
    """The statement peewee's ``query.count()`` runs, for a plain select (no grouping,
    DISTINCT or window: its columns do not change the number of rows)."""
    wrapped = query.order_by().alias("_wrapped").select(SQL("1"))
    return Select([wrapped], [fn.COUNT(SQL("1"))]).limit(1).tuples()
