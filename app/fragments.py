"""Fragments of a page kept once rendered: a row of a list is rendered again only when
something it shows changed.

``fragments(template, macro)`` (a template global) gives the macro back, remembered: each
call's HTML is kept under the macro, the request's language and URL root, and the values
of its arguments — a model row counts by all its columns and the rows joined to it, a dict
or list by its items. The key holds every input, so nothing has to be invalidated: a
changed title, status, count or role makes a new key. The macro must show its arguments
only (no user, clock, request or CSRF token of its own); arguments that cannot make a key
(a set) render without the memo.

Each process keeps at most LIMIT fragments per template environment, dropping the oldest.
"""
import weakref

from flask import current_app, request
from flask_babel import get_locale

LIMIT = 4096
_KEPT = weakref.WeakKeyDictionary()          # Jinja environment → {key: Markup}


def fragments(template: str, macro: str):
    env = current_app.jinja_env
    kept = _KEPT.get(env)
    if kept is None:
        kept = _KEPT[env] = {}
    render = getattr(env.get_template(template).module, macro)
    prefix = (template, macro, str(get_locale()), request.script_root)

    def fragment(*args):
        try:
            key = prefix + tuple(map(fingerprint, args))
            html = kept.get(key)
        except TypeError:                    # no key (a set, mixed dict keys): render each time
            return render(*args)
        if html is None:
            html = render(*args)
            if len(kept) >= LIMIT:
                kept.pop(next(iter(kept), None), None)
            kept[key] = html
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
