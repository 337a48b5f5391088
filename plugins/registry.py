"""A registry is a name → object dict filled by a decorator that refuses duplicates."""


class RegistryError(KeyError):
    pass


class Registry:
    def __init__(self, kind):
        self.kind = kind
        self._items = {}

    def register(self, name, obj=None):
        """Register ``obj`` under ``name``; usable as ``@registry.register("x")``."""
        if obj is None:
            return lambda o: self.register(name, o)
        if name in self._items:
            raise RegistryError(f"{self.kind} {name!r} is already registered")
        self._items[name] = obj
        return obj

    def get(self, name):
        try:
            return self._items[name]
        except KeyError:
            raise RegistryError(f"unknown {self.kind} {name!r}") from None

    def __contains__(self, name):
        return name in self._items

    def names(self):
        return sorted(self._items)

    def items(self):
        return self._items.items()
