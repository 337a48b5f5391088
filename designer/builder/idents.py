"""Identifiers the builder generates so that nobody types one: the service id, 事项编号,
field names and step ids, from the Chinese names by pinyin.

One function per identifier, so a shared generator can replace these in one place.
"""
from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

from app.models import Service
from app.models.designer import ServiceDraft

MAX_NAME = 40


def _ascii(text: str, style=Style.NORMAL) -> str:
    words = lazy_pinyin(text or "", style=style, errors=lambda chars: list(chars))
    return re.sub(r"[^a-z0-9]+", "", "".join(w.lower() for w in words))


def _unique(base: str, taken, sep: str) -> str:
    taken = set(taken)
    if base not in taken:
        return base
    n = 2
    while f"{base}{sep}{n}" in taken:
        n += 1
    return f"{base}{sep}{n}"


def slug_base(text: str, fallback: str, style=Style.NORMAL) -> str:
    """``[a-z][a-z0-9]*`` from Chinese or Latin text (a leading digit gets the fallback)."""
    base = _ascii(text, style)[:MAX_NAME]
    if not base or not base[0].isalpha():
        base = fallback + base
    return base[:MAX_NAME]


def service_id(name: str) -> str:
    """宣传品领用申请 → xcplysq (initials), unique among services and drafts."""
    base = slug_base(name, "service", Style.FIRST_LETTER)
    taken = {s for (s,) in Service.select(Service.slug).tuples()}
    taken |= {s for (s,) in ServiceDraft.select(ServiceDraft.slug).tuples()}
    return _unique(base, taken, "-")


def next_number() -> int:
    """The next free 事项编号 after every published and drafted one."""
    numbers = [n for (n,) in Service.select(Service.number).tuples() if n is not None]
    numbers += [d.get("number") or 0 for (d,) in ServiceDraft.select(ServiceDraft.definition).tuples()]
    return max(numbers, default=0) + 1


def field_name(label: str, taken) -> str:
    """领用事由 → lingyongshiyou, unique among ``taken``."""
    return _unique(slug_base(label, "field"), taken, "_")


def step_id(name: str, taken) -> str:
    return _unique(slug_base(name, "step", Style.FIRST_LETTER), taken, "_")


def fill_missing(definition: dict) -> dict:
    """Names for fields and columns and ids for steps that have none (in place)."""
    fields = definition.get("form", {}).get("fields", [])
    taken = {f.get("name") for f in fields if f.get("name")}
    for f in fields:
        if not f.get("name"):
            f["name"] = field_name(f.get("label") or "", taken)
            taken.add(f["name"])
        columns = f.get("columns") or []
        col_taken = {c.get("name") for c in columns if c.get("name")}
        for c in columns:
            if not c.get("name"):
                c["name"] = field_name(c.get("label") or "", col_taken)
                col_taken.add(c["name"])
    steps = definition.get("steps", [])
    step_taken = {s.get("id") for s in steps if s.get("id")}
    for s in steps:
        if not s.get("id"):
            s["id"] = step_id(s.get("name") or "", step_taken)
            step_taken.add(s["id"])
    return definition
