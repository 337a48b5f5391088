"""A refused definition's problems, pointed at the builder's controls.

The checks prefix each message with the path of the value it concerns
(``form.fields[2].visible_when: …``); the builder shows the message beside the control
that edits that value: a field (or a column of a rows field), a step, or the service's
basic information.
"""
from __future__ import annotations

import re

_PREFIX = re.compile(r"^(?P<path>[A-Za-z_][\w.\[\]-]*): (?P<message>.+)$", re.S)
_PART = re.compile(r"([A-Za-z_][\w-]*)|\[(\d+)\]")


def parse_path(text: str) -> list:
    """"form.fields[2].columns[0].label" → ["form", "fields", 2, "columns", 0, "label"]"""
    return [int(index) if index else name for name, index in _PART.findall(text)]


def target(path: list) -> dict:
    """The control a data path belongs to."""
    if path[:2] == ["form", "fields"] and len(path) > 2 and isinstance(path[2], int):
        out = {"kind": "field", "index": path[2], "key": _key(path[3:])}
        if len(path) > 4 and path[3] == "columns" and isinstance(path[4], int):
            out.update(column=path[4], key=_key(path[5:]))
        return out
    if path[:1] == ["steps"] and len(path) > 1 and isinstance(path[1], int):
        return {"kind": "step", "index": path[1], "key": _key(path[2:])}
    if path[:1] == ["steps"]:
        return {"kind": "steps", "key": None}
    if path[:1] == ["form"]:
        return {"kind": "form", "key": _key(path[1:])}
    return {"kind": "meta", "key": _key(path)}


def _key(rest: list):
    return rest[0] if rest and isinstance(rest[0], str) else None


def describe(problem) -> dict:
    """One problem as JSON: its message without the path prefix, and where it belongs."""
    match = _PREFIX.match(problem.message)
    if not match:
        return {"where": "", "message": problem.message, "target": {"kind": "meta", "key": None}}
    path = parse_path(match["path"])
    return {"where": match["path"], "message": match["message"], "target": target(path)}


def as_json(exc) -> list[dict]:
    return [describe(p) for p in exc.problems]
