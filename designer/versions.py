"""Published versions of a service: who published what and when, instance counts, diffs."""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from peewee import JOIN, fn

from app.models import Instance, ServiceVersion, User


@dataclass(frozen=True)
class DiffLine:
    kind: str            # add | del | hunk | ctx | head
    text: str


def listing(service) -> list[tuple]:
    """[(version row, instance count)], newest first; the publisher is joined in."""
    counts = dict(Instance.select(Instance.version, fn.COUNT(Instance.id))
                  .where(Instance.service == service).group_by(Instance.version).tuples())
    rows = (ServiceVersion.select(ServiceVersion, User).join(User, JOIN.LEFT_OUTER)
            .where(ServiceVersion.service == service).order_by(ServiceVersion.version.desc()))
    return [(v, counts.get(v.id, 0)) for v in rows]


def definition(version) -> dict:
    """A version's definition in the ``fields:`` shape (what the publish summary compares)."""
    from app.defs.compile import export_dict
    from app.defs.store import load_version
    return export_dict(load_version(version))


def get(service, number):
    return ServiceVersion.get_or_none(ServiceVersion.service == service, ServiceVersion.version == number)


def diff(old_text: str, new_text: str, old_name: str, new_name: str) -> list[DiffLine]:
    """A unified diff of two YAML texts as typed lines (the template escapes them)."""
    out = []
    for line in difflib.unified_diff(old_text.splitlines(), new_text.splitlines(),
                                     old_name, new_name, lineterm="", n=3):
        if line.startswith(("---", "+++")):
            kind = "head"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "add"
        elif line.startswith("-"):
            kind = "del"
        else:
            kind = "ctx"
        out.append(DiffLine(kind, line))
    return out
