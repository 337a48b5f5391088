"""Hook specifications and the check that a plugin's hooks match them.

A base class (``FieldType``, ``AssigneeKind``, ``Channel`` …) marks each method a plugin may
override with ``@hookspec``; a registry decorator calls ``check_class`` before it registers a
class, and ``check_function`` for a plugin that registers a plain function (an autofill
source, a print rule). Like pluggy's specs, the check runs once at load, so a hook with the
wrong arguments stops start-up naming the plugin, class, hook and expected signature instead
of failing on the first request that calls it.
"""
from __future__ import annotations

import inspect

from plugins.registry import RegistryError

# The plugin API version (re-exported by plugins.api); here so that loading a plugin does
# not import the whole API, and with it every registry's home.
API_VERSION = "1.0"


class HookError(RegistryError):
    """A plugin's hook does not match its specification."""


def hookspec(fn):
    """Mark ``fn`` on a base class as a hook plugins may override."""
    fn.__onehall_hook__ = True
    return fn


def hooks_of(base) -> dict:
    """{name: function} of every hook declared on ``base`` and its own bases."""
    found = {}
    for klass in reversed(base.__mro__):
        for name, value in vars(klass).items():
            if getattr(value, "__onehall_hook__", False):
                found[name] = value
    return found


def signature_text(name, fn) -> str:
    """``validate(self, field, value)``: names and defaults, without annotations."""
    sig = inspect.signature(fn)
    plain = sig.replace(parameters=[p.replace(annotation=p.empty) for p in sig.parameters.values()],
                        return_annotation=sig.empty)
    return f"{name}{plain}"


def _callable_like(impl, spec) -> bool:
    """Whether ``impl`` accepts every call the app makes to ``spec``: its required
    arguments by position and its optional ones by name."""
    try:
        wanted = inspect.signature(spec).parameters.values()
        have = inspect.signature(impl)
    except (TypeError, ValueError):
        return True                     # a builtin or C function: nothing to check
    positional = [None for p in wanted if p.default is p.empty
                  and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    named = {p.name: None for p in wanted if p.default is not p.empty}
    try:
        have.bind(*positional, **named)
        return True
    except TypeError:
        return False


def check_class(cls, base, kind: str, name: str, subclass: bool = True) -> None:
    """Refuse ``cls`` (registered as ``kind`` ``name``) when an overridden hook's arguments
    differ from the hook declared on ``base`` (``subclass=False``: a class shaped like
    ``base`` need not extend it, but must have each hook)."""
    if not isinstance(cls, type) or (subclass and not issubclass(cls, base)):
        raise HookError(f"{kind} {name!r}: class {getattr(cls, '__name__', cls)!s} "
                        f"must extend plugins.api.{base.__name__}")
    for hook, spec in hooks_of(base).items():
        impl = getattr(cls, hook, None)
        if impl is None and not subclass:
            raise HookError(f"{kind} {name!r} (class {cls.__name__}): hook {hook} is missing "
                            f"(expected {signature_text(hook, spec)})")
        if impl is None or impl is spec:
            continue
        if not callable(impl) or not _callable_like(impl, spec):
            raise HookError(f"{kind} {name!r} (class {cls.__name__}): hook "
                            f"{_shown(hook, impl)} does not match {signature_text(hook, spec)}")


def check_function(fn, spec, kind: str, name: str) -> None:
    """Refuse a function registered as ``kind`` ``name`` that cannot be called like ``spec``."""
    if not callable(fn):
        raise HookError(f"{kind} {name!r}: {fn!r} is not callable")
    if not _callable_like(fn, spec):
        raise HookError(f"{kind} {name!r} ({getattr(fn, '__name__', fn)}): "
                        f"{_shown(getattr(fn, '__name__', name), fn)} "
                        f"does not match {signature_text(spec.__name__, spec)}")


def _shown(name, fn) -> str:
    try:
        return signature_text(name, fn)
    except (TypeError, ValueError):
        return name


def check_requires(plugin: str, module, required) -> None:
    """Refuse a plugin whose ``requires_api`` names another major version."""
    if required is None:
        return
    major = str(required).strip().split(".")[0]
    if major != API_VERSION.split(".")[0]:
        raise RegistryError(f"requires plugin API {required} (requires_api in {module}), "
                            f"but this OneHall provides {API_VERSION}")
