"""Count the SQL a block of code runs, through peewee's own logger.

    with count_queries() as counter:
        client.get("/me/items")
    assert counter.count == 7

    assert_same_query_count(lambda: client.get(url_a), lambda: client.get(url_b))

peewee logs every statement (``(sql, params)``) on the "peewee" logger at DEBUG level
before running it, whatever the database; we listen there (as playhouse.test_utils does).
"""
import logging
from contextlib import contextmanager

LOGGER = logging.getLogger("peewee")


class _Counter(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.queries = []

    def emit(self, record):
        if isinstance(record.msg, tuple) and record.msg:
            self.queries.append(record.msg[0])

    @property
    def count(self):
        return len(self.queries)

    def selects(self):
        return [q for q in self.queries if q.lstrip().upper().startswith("SELECT")]


@contextmanager
def count_queries():
    counter = _Counter()
    level = LOGGER.level
    LOGGER.setLevel(logging.DEBUG)          # setLevel also clears isEnabledFor's cache
    LOGGER.addHandler(counter)
    try:
        yield counter
    finally:
        LOGGER.removeHandler(counter)
        LOGGER.setLevel(level)


@contextmanager
def assert_query_count(expected):
    """Fail when the block runs a different number of statements than ``expected``."""
    with count_queries() as counter:
        yield counter
    assert counter.count == expected, _report(counter, f"expected {expected} queries")


def queries_of(action) -> "_Counter":
    with count_queries() as counter:
        action()
    return counter


def assert_same_query_count(small, large):
    """The page with more rows runs exactly as many queries as the one with fewer (no N+1)."""
    a, b = queries_of(small), queries_of(large)
    assert a.count == b.count, _report(b, f"{a.count} queries for the small case, {b.count} for the large")
    return a.count


def _report(counter, headline):
    return headline + ":\n" + "\n".join(f"  {q[:160]}" for q in counter.queries)
