"""Saving the builder's changes with a revision check: a stale save is refused with who
changed the draft and when, never written over their change.

The revision is the draft's ``updated`` timestamp as text, compared in the UPDATE's WHERE
clause. ``save`` and ``revision_of`` are the only functions the views call, so a revision
column can replace the timestamp here alone.
"""
from __future__ import annotations

from datetime import datetime

from app.defs.compile import export_dict, to_yaml, validate_text
from app.models import utcnow
from app.models.designer import ServiceDraft
from designer import drafts
from designer.builder import idents


class Conflict(Exception):
    """The draft changed since ``revision``: ``by`` (a name) saved it ``at``."""

    def __init__(self, draft: ServiceDraft):
        self.by = draft.updated_by.name if draft.updated_by_id else ""
        self.at = draft.updated
        self.revision = revision_of(draft)
        super().__init__(f"{self.by or '其他人'}于{self.at:%Y-%m-%d %H:%M}修改了此草稿")


def revision_of(draft: ServiceDraft) -> str:
    return draft.updated.isoformat(timespec="microseconds")


def _parse(revision) -> datetime | None:
    try:
        return datetime.fromisoformat(str(revision))
    except ValueError:
        return None


def prepare(definition: dict) -> dict:
    """Generated names for what has none; the form's title defaults to the service's name."""
    definition = idents.fill_missing(definition)
    form = definition.setdefault("form", {})
    if not form.get("title"):
        form["title"] = definition.get("name") or ""
    return definition


def save(draft: ServiceDraft, definition: dict, revision, user, allowed=None) -> str:
    """Validate and store ``definition`` if the draft is still at ``revision`` → the new
    revision. Raises DefinitionError (invalid) or Conflict (stale)."""
    sdef = validate_text(drafts.dump(drafts.canonical(prepare(definition))), drafts.SOURCE_PATH)
    drafts._check_identity(sdef, draft, allowed)   # the same identity rules as every save
    now = utcnow()
    expected = _parse(revision)
    changed = (ServiceDraft.update(definition=export_dict(sdef), source=to_yaml(sdef),
                                   department=sdef.department, dirty=True, updated=now,
                                   updated_by=user)
               .where(ServiceDraft.id == draft.id, ServiceDraft.updated == expected)
               .execute()) if expected is not None else 0
    fresh = ServiceDraft.get_by_id(draft.id)
    if not changed:
        raise Conflict(fresh)
    return revision_of(fresh)


def create(definition: dict, user, allowed=None) -> ServiceDraft:
    """A new service's first save: its id and 事项编号 generated, then a draft."""
    definition = prepare(definition)
    definition["id"] = idents.service_id(definition.get("name") or "")
    definition["number"] = idents.next_number()
    return drafts.create(definition, user, allowed)
