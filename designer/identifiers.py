"""Identifiers a department admin never has to type: pinyin slugs and 事项编号. No Flask.

    slug("领用事由")            → "lingyong-shiyou"    (a service id: [a-z0-9-])
    slug("领用事由", "_")       → "lingyong_shiyou"    (a field name or step id: [a-z][a-z0-9_-]*)
    unique(base, taken, "_")    → base, base_2, base_3 …
"""
from __future__ import annotations

import logging
import re

MAX_LENGTH = 40
_ASCII = re.compile(r"[a-z0-9]+")
_HAN = re.compile(r"[\u3400-\u9fff]")


def _pinyin(word: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin   # imported when first needed: ~0.3 s of dictionaries
    return lazy_pinyin(word, style=Style.NORMAL, errors="ignore")


def _words(text: str) -> list[str]:
    """Chinese text → words (jieba), consecutive single characters joined (领 用 → 领用)."""
    try:
        import jieba
        jieba.setLogLevel(logging.WARNING)
        parts = jieba.lcut(text, HMM=False)
    except ImportError:          # without jieba every character is a word
        parts = list(text)
    words, run = [], ""
    for part in parts:
        if len(part) == 1 and _HAN.match(part):
            run += part
            continue
        if run:
            words.append(run)
            run = ""
        words.append(part)
    if run:
        words.append(run)
    return words


def slug(text: str, sep: str = "-", fallback: str = "item") -> str:
    """The pinyin of ``text`` as a lower-case identifier, one ``sep`` between words.

    Letters and digits are kept, everything else separates words; the result starts with a
    letter (``fallback`` when nothing is left, or put before a leading digit).
    """
    words = []                       # each word as its syllables: [["lingyong"]] → [["ling", "yong"]]
    for word in _words((text or "").strip()):
        if _HAN.search(word):
            syllables = [re.sub(r"[^a-z0-9]", "", p.lower())
                         for p in _pinyin(word)]
            words.append([p for p in syllables if p])
        else:
            words.extend([p] for p in _ASCII.findall(word.lower()))
    out = _fit([w for w in words if w], sep, MAX_LENGTH)
    if not out:
        return fallback
    return out if out[0].isalpha() else f"{fallback}{sep}{out}"


def _fit(words: list[list[str]], sep: str, limit: int) -> str:
    """Whole words while they fit; a first word too long keeps whole syllables (never half a one)."""
    out = ""
    for word in words:
        whole = "".join(word)
        candidate = f"{out}{sep}{whole}" if out else whole
        if len(candidate) <= limit:
            out = candidate
            continue
        if not out:
            for syllable in word:
                if len(out) + len(syllable) > limit:
                    out = out or syllable[:limit]          # one Latin word longer than the limit
                    break
                out += syllable
        break
    return out


def unique(base: str, taken, sep: str = "-") -> str:
    """``base``, else ``base-2``, ``base-3`` … whichever is not in ``taken``."""
    taken = set(taken)
    if base not in taken:
        return base
    n = 2
    while f"{base}{sep}{n}" in taken:
        n += 1
    return f"{base}{sep}{n}"


def field_names(definition: dict) -> set[str]:
    """Every field and column name of a definition (``fields:`` spelling)."""
    names = set()
    for field in (definition.get("form") or {}).get("fields") or []:
        names.add(field["name"])
        names.update(c["name"] for c in field.get("columns") or [])
    return names


def field_name(label: str, definition: dict, columns=None) -> str:
    """A new field's name from its label, unique in the form (or among ``columns``)."""
    taken = {c["name"] for c in columns} if columns is not None else field_names(definition)
    return unique(slug(label, "_", "field"), taken, "_")


def step_id(name: str, definition: dict) -> str:
    return unique(slug(name, "_", "step"), {s["id"] for s in definition.get("steps") or []}, "_")


# ---------------------------------------------------------------- services (database)

def taken_service_ids() -> set[str]:
    from app.models import Service
    from app.models.designer import ServiceDraft
    return ({s for (s,) in Service.select(Service.slug).tuples()}
            | {s for (s,) in ServiceDraft.select(ServiceDraft.slug).tuples()})


def service_id(name: str) -> str:
    """A service id from its 事项名称, unique among services and drafts."""
    return unique(slug(name, "-", "service"), taken_service_ids(), "-")


def _numbers() -> dict[int, str]:
    """{事项编号: 事项名称} of every service and every unpublished draft, all departments."""
    from app.models import Service
    from app.models.designer import ServiceDraft
    owners = {}
    for draft in ServiceDraft.select().where(ServiceDraft.service.is_null()):
        number = draft.definition.get("number")
        if isinstance(number, int):
            owners[number] = draft.definition.get("name") or draft.slug
    for number, name in Service.select(Service.number, Service.name).tuples():
        owners[number] = name
    return owners


def next_number() -> int:
    """The next free 事项编号: one past the highest in use (all departments)."""
    return max(_numbers(), default=0) + 1


def number_owner(number: int, except_slug: str | None = None) -> str | None:
    """The name of the service (or unpublished draft) holding ``number``, else None."""
    from app.models import Service
    from app.models.designer import ServiceDraft
    query = Service.select(Service.name).where(Service.number == number)
    if except_slug:
        query = query.where(Service.slug != except_slug)
    row = query.first()
    if row is not None:
        return row.name
    for draft in ServiceDraft.select().where(ServiceDraft.service.is_null()):
        if draft.slug != except_slug and draft.definition.get("number") == number:
            return draft.definition.get("name") or draft.slug
    return None
