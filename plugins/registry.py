"""A registry is a name → object dict filled by a decorator that refuses duplicates.

Each entry remembers the module that registered it, so a clash names both plugins.
"""
import sys


class RegistryError(KeyError):
    def __str__(self):          # KeyError would print the message with quotes around it
        return str(self.args[0]) if self.args else ""


def _caller_module(depth=3) -> str:
    try:
        return sys._getframe(depth).f_globals.get("__name__", "?")
    except ValueError:
        return "?"


_READY = [False]       # every plugin loaded: reads need not check again


class Registry:
    def __init__(self, kind):
        self.kind = kind
        self._items = {}
        self._owners = {}
        self.version = 0        # bumped by every change: caches built from a registry key on it

    def register(self, name, obj=None, *, owner=None):
        """Register ``obj`` under ``name``; usable as ``@registry.register("x")``."""
        if obj is None:
            owner = owner or _caller_module(2)
            return lambda o: self.register(name, o, owner=owner)
        owner = owner or getattr(obj, "__module__", None) or _caller_module(2)
        if name in self._items:
            raise RegistryError(f"{self.kind} {name!r} is already registered by {self._owners[name]}")
        self._items[name] = obj
        self._owners[name] = owner
        self.version += 1
        return obj

    def unregister(self, name) -> None:
        """Remove an entry (tests that register a throw-away plugin clean up with this)."""
        self._items.pop(name, None)
        self._owners.pop(name, None)
        self.version += 1

    def owner(self, name) -> str:
        return self._owners.get(name, "?")

    @staticmethod
    def _ensure():
        if not _READY[0]:
            import plugins
            _READY[0] = plugins.ensure_loaded()

    def get(self, name):
        self._ensure()
        try:
            return self._items[name]
        except KeyError:
            raise RegistryError(f"unknown {self.kind} {name!r} (registered: {', '.join(self.names())})") from None

    def __contains__(self, name):
        self._ensure()
        return name in self._items

    def __iter__(self):
        self._ensure()
        return iter(self._items)

    def names(self):
        self._ensure()
        return sorted(self._items)

    def items(self):
        self._ensure()
        return self._items.items()

    def values(self):
        self._ensure()
        return self._items.values()
