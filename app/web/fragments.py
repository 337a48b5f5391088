"""Fragments of a page kept once rendered: a row of a list is rendered again only when
something it shows changed.

``fragments(template, macro)`` (a template global) gives the macro back, remembered: each
call's HTML is kept under the macro, the request's language and URL root, and the values
of its arguments — a model row counts by all its columns and the rows joined to it, a dict
or list by its items. The key holds every input, so nothing has to be invalidated: a
changed title, status, count or role makes a new key. The macro must show its arguments
only (no user, clock, request or CSRF token of its own); arguments that cannot make a key
(a set) render without the memo.

Keys must come from a bounded set of values: a value that is different on nearly every
request (the page's own URL, a timestamp) would fill the store with fragments nobody asks
for again and push out the rows that are. Such a value is passed as ``Late(value)``: the
fragment is rendered and kept with a placeholder in its place, and the value is put in
(URL-quoted as a query value, so it stays safe inside attributes) each time the fragment is given out.

Each process keeps at most LIMIT fragments per template environment, dropping the least
recently used; the store is shared by the threads of a process and guarded by a lock.
"""
import threading
import weakref
from collections import OrderedDict
from urllib.parse import quote_plus

from flask import current_app, request
from flask_babel import get_locale
from markupsafe import Markup

LIMIT = 4096
_KEPT = weakref.WeakKeyDictionary()          # Jinja environment → _Store
_CREATE = threading.Lock()


class Late:
    """An argument that is not part of the key: rendered as a placeholder, put in when the
    fragment is given out. Only for values used inside URLs (they are URL-quoted)."""
    __slots__ = ("value", "slot")

    def __init__(self, value, slot=0):
        self.value, self.slot = value, slot

    @property
    def placeholder(self):
        return f"__late{self.slot}__"


class _Store:
    """At most ``limit`` fragments, least recently used dropped first; thread-safe."""

    def __init__(self, limit):
        self.limit = limit
        self._items = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            html = self._items.get(key)
            if html is not None:
                self._items.move_to_end(key)
            return html

    def put(self, key, html):
        with self._lock:
            self._items[key] = html
            self._items.move_to_end(key)
            while len(self._items) > self.limit:
                self._items.popitem(last=False)

    def __len__(self):
        with self._lock:
            return len(self._items)


def _store(env) -> _Store:
    store = _KEPT.get(env)
    if store is None:
        with _CREATE:
            store = _KEPT.get(env)
            if store is None:
                store = _KEPT[env] = _Store(LIMIT)
    return store


def fragments(template: str, macro: str):
    env = current_app.jinja_env
    kept = _store(env)
    render = getattr(env.get_template(template).module, macro)
    prefix = (template, macro, str(get_locale()), request.script_root)

    def fragment(*args):
        late = [(i, arg) for i, arg in enumerate(args) if isinstance(arg, Late)]
        if late:
            args = list(args)
            for i, arg in late:
                arg.slot = i
                args[i] = arg.placeholder
        try:
            key = prefix + tuple(map(fingerprint, args))
            html = kept.get(key)
        except TypeError:                    # no key (a set, mixed dict keys): render each time
            html, key = render(*args), None
        if html is None:
            html = render(*args)
            kept.put(key, html)
        for _, arg in late:
            value = quote_plus(str(arg.value), safe="!$()*,/:;?@") if arg.value is not None else ""
            # Markup is safe here: ``html`` is the macro's autoescaped output, and the value put
            # in is URL-quoted — & " ' < > and spaces are all %-encoded, so nothing the visitor
            # typed into the URL can close an attribute or open a tag (test_fragment_store.py).
            html = Markup(str(html).replace(arg.placeholder, value))
        return html
    return fragment


def fingerprint(value):
    """A model row as the values of its columns and of the rows joined to it; a dict or list
    as its items; else the value itself."""
    if isinstance(value, dict):
        return (dict, tuple(sorted((k, fingerprint(v)) for k, v in value.items())))
    if isinstance(value, (list, tuple)):
        return (type(value), tuple(map(fingerprint, value)))
    data = getattr(value, "__data__", None)
    if data is None:
        return value
    joined = getattr(value, "__rel__", None) or {}
    return (type(value), tuple(data.items()),
            tuple((name, fingerprint(row)) for name, row in joined.items()))
