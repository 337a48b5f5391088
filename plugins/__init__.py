"""Plugins: installed distributions declaring entry points in the group ``onehall.plugins``.

An entry point names a module (importing it registers its field types, assignee kinds,
autofill sources, channels … through the registries' decorators) or a callable, which is
called once with no arguments. The built-ins are declared the same way in pyproject.toml,
so OneHall loads its own field types exactly as it loads a third party's.

A plugin that fails to import, or registers a name that is already taken, stops start-up
with ``PluginError``: one line naming the plugin and the problem (``ONEHALL_PLUGIN_DEBUG=1``
prints its traceback as well). What a plugin may import is ``plugins.api``.
"""
from __future__ import annotations

import importlib.metadata
import os
import sys
import threading
import traceback

GROUP = "onehall.plugins"
BUILTIN_PREFIX = "plugins."
_lock = threading.RLock()
_loaded: dict[str, str] = {}          # entry-point name → its value, once loaded
_state = {"loading": False, "done": False}
_scans: dict[tuple, list] = {}        # where distributions may be (sys.path, mtimes) → group's entry points


class PluginError(RuntimeError):
    """A plugin could not be loaded; the message is one line meant for the operator."""


def entry_points() -> list:
    """This group's entry points: the built-ins first, then the others by name.

    Reading every installed distribution's metadata takes ~10 ms; the answer is kept until
    ``sys.path`` or one of its folders changes (installing or removing a distribution adds
    or deletes an entry in its folder), so each new app does not read them all again."""
    where = _path_state()
    found = _scans.get(where)
    if found is None:
        eps = {ep.name: ep for ep in importlib.metadata.entry_points(group=GROUP)}
        found = sorted(eps.values(), key=lambda ep: (not ep.value.startswith(BUILTIN_PREFIX), ep.name))
        _scans.clear()
        _scans[where] = found
    return list(found)


def _path_state() -> tuple:
    state = []
    for entry in sys.path:
        try:
            state.append((entry, os.stat(entry or ".").st_mtime_ns))
        except OSError:
            state.append((entry, None))
    return tuple(state)


def load(app=None) -> dict[str, str]:
    """Load every plugin once per process; returns {name: module} of the loaded ones."""
    with _lock:
        if _state["loading"]:           # a registry read while plugins are being imported
            return dict(_loaded)
        _state["loading"] = True
        try:
            _load_all()
        finally:
            _state["loading"] = False
        _state["done"] = True
        return dict(_loaded)


def ensure_loaded() -> bool:
    """Registries call this before a read, so code used without an app still sees plugins.
    True once every plugin is loaded."""
    if not _state["done"] and not _state["loading"]:
        load()
    return _state["done"]


def _load_all() -> None:
    eps = entry_points()
    if not any(ep.value.startswith(BUILTIN_PREFIX) for ep in eps):
        raise PluginError("the built-in plugins are not installed: run `pip install -e .` "
                          "in the OneHall checkout (`make run` and `make test` do this)")
    for ep in eps:
        if ep.name not in _loaded:
            _load_one(ep)


def _load_one(ep) -> None:
    from plugins.hooks import check_requires
    from plugins.registry import RegistryError
    try:
        obj = ep.load()
        module = sys.modules.get(ep.module)
        check_requires(ep.name, ep.module, getattr(module, "requires_api", None))
        if callable(obj):
            obj()
    except RegistryError as exc:
        _debug()
        raise PluginError(f"plugin {ep.name!r} ({ep.value}): {exc}") from None
    except Exception as exc:
        _debug()
        raise PluginError(f"plugin {ep.name!r} ({ep.value}) failed to load: "
                          f"{type(exc).__name__}: {exc}") from None
    _loaded[ep.name] = ep.value


def _debug() -> None:
    """With ONEHALL_PLUGIN_DEBUG=1 the failing plugin's traceback goes to stderr too."""
    if os.environ.get("ONEHALL_PLUGIN_DEBUG", "").strip() not in ("", "0"):
        traceback.print_exc(file=sys.stderr)


def loaded() -> dict[str, str]:
    return dict(_loaded)
