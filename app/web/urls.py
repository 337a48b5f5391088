"""URL helpers every blueprint shares."""
from urllib.parse import urlparse

from flask import url_for
from werkzeug.routing import IntegerConverter


def safe_next(target: str | None) -> str:
    """Only same-site relative paths: no scheme, no host, no `//evil`, no `/\\evil`."""
    home = url_for("hall.index")
    if not target or not target.startswith("/") or target.startswith("//"):
        return home
    if any(c in target for c in "\\\r\n\t") or any(ord(c) < 32 for c in target):
        return home
    parts = urlparse(target)
    if parts.scheme or parts.netloc:
        return home
    return target


MAX_ID = 2 ** 63 - 1            # the largest id a database column (BIGINT) can hold


class BoundedIntegerConverter(IntegerConverter):
    """``<int:…>`` that matches only ids a database can hold: a larger (or negative) number
    is no route at all, a 404, never an overflow in a query."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        if kwargs["max"] is None or kwargs["max"] > MAX_ID:
            kwargs["max"] = MAX_ID
        super().__init__(map, *args, **kwargs)


def init_app(app) -> None:
    """Every ``<int:…>`` of every blueprint (and plugin) is bounded; registered before any
    route is added."""
    app.url_map.converters["int"] = BoundedIntegerConverter


def bounded_int(value) -> int:
    """``request.args.get(name, default, type=bounded_int)``: a number a database can take
    (a page number, an id), else the default — never an overflow further down."""
    number = int(value)
    if not -MAX_PAGE <= number <= MAX_PAGE:
        raise ValueError(f"{number} is out of range")
    return number


MAX_PAGE = 2 ** 31 - 1          # pages and small ids; a page times its size stays far from 2^63
