"""The builder's one way to write a draft: ``designer.drafts``' revision-checked save
(a stale revision raises ``drafts.Conflict`` naming who changed the draft and when), after
generating what the admin never types (field names, step ids, the service id and 事项编号)
with ``designer.identifiers``."""
from __future__ import annotations

from app.defs.exceptions import DefinitionError, Problem
from designer import drafts, identifiers, jsonpatch

Conflict = drafts.Conflict


def revision_of(draft) -> int:
    return draft.revision


def _revision(value) -> int:
    """The revision a change was based on; anything unreadable counts as stale (0)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def prepare(definition: dict) -> dict:
    """Names for fields and columns and ids for steps that have none (from their Chinese
    labels); the form's title defaults to the service's name. In place."""
    form = definition.setdefault("form", {})
    if "schema" in form and form.get("fields") == []:
        del form["fields"]                      # the page's editor state for a schema form
    fields = [] if "schema" in form else form.setdefault("fields", [])   # a schema stays a schema
    for f in fields:
        f.setdefault("name", "")
        for c in f.get("columns") or []:
            c.setdefault("name", "")
    for f in fields:
        if not f["name"]:
            f["name"] = identifiers.field_name(f.get("label") or "", definition)
        for c in f.get("columns") or []:
            if not c["name"]:
                c["name"] = identifiers.field_name(c.get("label") or "", definition, columns=f["columns"])
    steps = definition.setdefault("steps", [])
    for s in steps:
        s.setdefault("id", "")
    for s in steps:
        if not s["id"]:
            s["id"] = identifiers.step_id(s.get("name") or "", definition)
    if not definition["form"].get("title") and "schema" not in definition["form"]:
        definition["form"]["title"] = definition.get("name") or ""
    return definition


def duplicate_labels(definition: dict) -> list[Problem]:
    """Two fields (or two columns of one 明细表) with one label: every picker would list it
    twice, so both are marked."""
    out = []

    def check(items, at):
        seen: dict[str, list[int]] = {}
        for i, item in enumerate(items):
            label = str(item.get("label") or "").strip()
            if label and (item.get("type") != "section"):
                seen.setdefault(label, []).append(i)
        for label, indexes in seen.items():
            if len(indexes) < 2:
                continue
            for i in indexes:
                others = "、".join(f"第 {j + 1} 个" for j in indexes if j != i)
                path = at + (i, "label")
                out.append(Problem(".".join(map(str, path)), 0, 0,
                                   f"标题“{label}”与{others}{'列' if len(at) > 2 else '字段'}相同，请改成不同的标题", at=path))

    fields = (definition.get("form") or {}).get("fields") or []
    check(fields, ("form", "fields"))
    for i, f in enumerate(fields):
        check(f.get("columns") or [], ("form", "fields", i, "columns"))
    return out


def _refuse_duplicates(definition: dict) -> None:
    problems = duplicate_labels(definition)
    if problems:
        raise DefinitionError(problems)


def save(draft, definition: dict, revision, user, allowed=None) -> int:
    """Validate and store ``definition`` if the draft is still at ``revision`` → the new
    revision. Raises DefinitionError (invalid) or Conflict (stale)."""
    _refuse_duplicates(definition)
    saved = drafts.save_definition(draft, prepare(definition), user, allowed, revision=_revision(revision))
    return saved.revision


def patched(draft, patch, revision) -> dict:
    """The draft's definition with a JSON Patch (RFC 6902) applied, for IT's scripts — only
    on the revision the patch was made from (else Conflict); ``jsonpatch.PatchError`` when
    it does not apply."""
    if _revision(revision) != draft.revision:
        raise drafts.conflict_for(draft.id)
    return jsonpatch.apply(drafts.edited(draft), patch)


def publish(draft, revision, user, override_tests=False):
    """(service, version, status) of publishing exactly ``revision`` (else Conflict)."""
    return drafts.publish(draft, user, revision=_revision(revision), override_tests=override_tests)


def create(definition: dict, user, allowed=None):
    """A new service's first save: its id and 事项编号 generated, then a draft."""
    _refuse_duplicates(definition)
    definition = prepare(definition)
    definition["id"] = identifiers.service_id(definition.get("name") or "")
    definition["number"] = identifiers.next_number()
    return drafts.create(definition, user, allowed)


def save_reordered(draft, definition: dict, revision, user, allowed=None) -> int:
    """``save`` for a change only of key order (a schema's properties moved): the YAML is
    written anew from the definition, since splicing the old text sees no difference."""
    from app.defs.compile import to_yaml
    sdef = drafts.validate(drafts.dump(drafts.canonical(prepare(definition))))
    saved = drafts.save_source(draft, to_yaml(sdef), user, allowed, revision=_revision(revision))
    return saved.revision
