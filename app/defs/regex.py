"""Definition patterns run under RE2, a linear-time engine: no input can hold a worker.

Python's ``re`` backtracks (``^\\w*\\w*…\\w*!$`` on 36 letters takes minutes); RE2 never
does. Patterns are written in the usual syntax; Python's ``\\uXXXX`` escapes are accepted
and turned into RE2's ``\\x{XXXX}``. Features RE2 cannot run in linear time (back-references,
look-around) are refused when the definition is validated.
"""
from __future__ import annotations

import functools
import re

import re2

_PY_ESCAPES = re.compile(r"(?<!\\)((?:\\\\)*)\\(u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))")


def _options():
    options = re2.Options()
    options.log_errors = False
    return options


def _translate(pattern: str) -> str:
    return _PY_ESCAPES.sub(lambda m: f"{m.group(1)}\\x{{{m.group(3) or m.group(4)}}}", pattern)


@functools.lru_cache(maxsize=1024)
def compile_pattern(pattern: str):
    """The compiled RE2 pattern; raises ``ValueError`` with RE2's reason."""
    try:
        return re2.compile(_translate(pattern), _options())
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise ValueError(str(reason)) from None


def search(pattern: str, text: str) -> bool:
    return compile_pattern(pattern).search(text) is not None


def problem(pattern: str):
    """Why RE2 cannot run ``pattern`` (back-references, look-around…) as a ``Finding``, or None."""
    from app.defs.exceptions import Finding
    try:
        compile_pattern(pattern)
    except ValueError as exc:
        return Finding(f"RE2 cannot compile the pattern ({exc}); write it without back-references "
                       "and look-around (RE2 runs every pattern in linear time)", "regex.invalid")
    return None


def pattern_keyword(validator, pattern, instance, schema):
    """JSON Schema's ``pattern`` run under RE2 (linear time): a definition's regex can never
    hold a worker. A jsonschema keyword function (``validators.extend(…, {"pattern": …})``)."""
    from jsonschema import ValidationError
    if not validator.is_type(instance, "string"):
        return
    try:
        matched = search(pattern, instance)
    except ValueError:
        matched = False
    if not matched:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")
