"""A refused definition's problems, at the builder's controls: ``designer.problems`` says
each in Chinese with its definition path; ``target`` names the control that edits that
path — a field (or a column of a rows field), a step, or the basic information."""
from __future__ import annotations

from designer import problems as explained


def target(path) -> dict:
    """The control a definition path belongs to."""
    path = list(path)
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


def as_json(exc, definition: dict) -> list[dict]:
    """Every problem: where (in words), the message in Chinese, the original, the control."""
    return [dict(e.to_json(), target=target(e.at)) for e in explained.explain_all(exc, definition)]
