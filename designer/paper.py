"""从纸质表单导入 in the designer: a draft from an uploaded form, its guesses 待确认 until the
admin accepts or changes them, and the original kept beside it. No Flask here."""
from __future__ import annotations

import copy

from app import audit
from app.db import write_transaction
from app.models import Department
from app.models.designer import PaperImport
from app.paper import PaperError, read_blocks, read_document
from app.paper.reading import idcard_installed
from designer import identifiers
from designer.builder import store

__all__ = ["PaperError", "create", "pending", "accept", "blocks_of", "record_for"]


def record_for(draft) -> PaperImport | None:
    return PaperImport.get_or_none(PaperImport.draft == draft.id)


def create(filename: str, data: bytes, department: str, user, allowed=None):
    """A draft read from ``data`` (PaperError for a document we refuse; nothing is written)."""
    name = (filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200] or "form"
    departments = [d for (d,) in Department.select(Department.name).tuples()]
    reading = read_document(name, data, departments, department, idcard=idcard_installed(),
                            number=identifiers.next_number())
    with write_transaction():
        draft = store.create(reading.definition, user, allowed)
        guesses = []
        for guess in reading.guesses:
            target = guess["target"]
            guesses.append({"target": target, "text": guess["text"], "accepted": False,
                            "snapshot": part(draft.definition, target)})
        PaperImport.create(draft=draft, filename=name, kind=reading.kind, original=reading.data, guesses=guesses,
                           created_by=user)
    audit.record("import", user, f"从纸质表单导入 {name} → 草稿 {draft.slug}（{len(guesses)} 项待确认）")
    return draft


def part(definition: dict, target: str):
    """The piece of ``definition`` a guess made (None once it is gone)."""
    kind, _, key = target.partition(":")
    if target == "name":
        return {"name": definition.get("name"), "title": (definition.get("form") or {}).get("title")}
    if target == "department":
        return definition.get("department")
    fields = (definition.get("form") or {}).get("fields") or []
    if kind == "field":
        found = next((f for f in fields if f.get("name") == key), None)
        return {k: v for k, v in found.items() if k != "columns"} if found else None
    if kind == "column":
        fname, _, cname = key.partition(".")
        parent = next((f for f in fields if f.get("name") == fname), None) or {}
        return copy.deepcopy(next((c for c in parent.get("columns") or [] if c.get("name") == cname), None))
    if kind == "step":
        return copy.deepcopy(next((s for s in definition.get("steps") or [] if s.get("id") == key), None))
    return None


def pending(draft, record: PaperImport | None = None) -> list[dict]:
    """The guesses still 待确认: not accepted, and what they made is still as they made it."""
    record = record or record_for(draft)
    if record is None:
        return []
    steps = [s.get("id") for s in draft.definition.get("steps") or []]
    out = []
    for guess in record.guesses:
        if guess.get("accepted") or part(draft.definition, guess["target"]) != guess["snapshot"]:
            continue
        kind, _, key = guess["target"].partition(":")
        item = {"target": guess["target"], "text": guess["text"], "kind": kind or guess["target"]}
        if kind in ("field", "column"):
            item["field"] = key.partition(".")[0]
        if kind == "step":
            item["step"] = steps.index(key)
        out.append(item)
    return out


def accept(draft, targets, user) -> int:
    """Mark guesses accepted (all when ``targets`` is None) → how many were accepted now."""
    record = record_for(draft)
    if record is None:
        return 0
    wanted = None if targets is None else set(targets)
    guesses, count = copy.deepcopy(record.guesses), 0
    for guess in guesses:
        if not guess.get("accepted") and (wanted is None or guess["target"] in wanted):
            guess["accepted"], count = True, count + 1
    if count:
        PaperImport.update(guesses=guesses).where(PaperImport.id == record.id).execute()
    return count


def blocks_of(record: PaperImport) -> list:
    """The original's blocks (title, paragraphs, tables) to show beside the draft."""
    try:
        return read_blocks(record.kind, bytes(record.original))
    except PaperError:
        return []
