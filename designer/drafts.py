"""Drafts of service definitions: create, change, validate, publish. No Flask here.

A draft is always a valid definition — except that its form may still be empty (a new
service starts with no field; publishing refuses it): every change is compiled with
``app.defs.compile.validate_text`` (the checks of ``flask defs validate``) before it is
written, so nothing invalid is ever saved over a valid draft.

Every write is a conditional UPDATE on the revision the change was based on (optimistic
concurrency): a change made from an older revision raises ``Conflict`` naming who changed
the draft and when, and changes nothing.
"""
from __future__ import annotations

import copy
import dataclasses
from datetime import datetime

import yaml

from app.db import write_transaction
from app.defs.compile import export_dict, to_yaml, validate_text
from app.defs.exceptions import DefinitionError, Problem
from app.defs.model import Form
from app.defs.store import import_text, latest_version, load_version
from app.models import Service, utcnow
from app.models.designer import ServiceDraft
from designer import identifiers, yamltext

SOURCE_PATH = "源码"
_PLACEHOLDER = {"name": "placeholder", "type": "section", "text": ""}


def problem(message: str, line: int = 1, col: int = 1, at: tuple = ()) -> DefinitionError:
    return DefinitionError([Problem(SOURCE_PATH, line, col, message, at)])


class Conflict(Exception):
    """The draft changed since the revision a change was based on (or is gone)."""

    def __init__(self, revision: int | None, by: str | None, at: datetime | None):
        self.revision, self.by, self.at = revision, by, at
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if self.revision is None:
            return "此草稿已被放弃或删除，您的修改没有保存"
        who = self.by or "其他管理员"
        return f"此草稿已被 {who} 于 {_when(self.at)} 修改，您的修改没有保存"   # 版本 N names published versions only

    def to_json(self) -> dict:
        return {"error": "conflict", "message": self.message, "by": self.by,
                "at": self.at.isoformat() + "Z" if self.at else None, "revision": self.revision}


def _when(at: datetime | None) -> str:
    from app.web.templating import CHINA, local_time
    if at is None:
        return "刚才"
    from datetime import timezone
    today = utcnow().replace(tzinfo=timezone.utc).astimezone(CHINA).date()
    local = at.replace(tzinfo=timezone.utc).astimezone(CHINA)
    return local_time(at, "%H:%M") if local.date() == today else local_time(at, "%Y-%m-%d %H:%M")


def conflict_for(draft_id: int) -> Conflict:
    current = ServiceDraft.get_or_none(ServiceDraft.id == draft_id)
    if current is None:
        return Conflict(None, None, None)
    by = current.updated_by.name if current.updated_by_id else None
    return Conflict(current.revision, by, current.updated)


def starter(slug: str, number: int, name: str, category: str, department: str,
            audience=("staff", "student")) -> dict:
    """What a new service starts from: its metadata, an empty form and the applicant's step."""
    return {
        "format": 1, "id": slug, "number": number, "name": name, "category": category,
        "department": department, "audience": list(audience),
        "form": {"title": name, "fields": []},
        "steps": [{"id": "fill", "name": "填写申请表", "by": "applicant"}],
    }


def validate(text: str, path: str = SOURCE_PATH):
    """``validate_text`` that lets a draft's form be empty (``fields: []``)."""
    try:
        return validate_text(text, path)
    except DefinitionError as exc:
        if not any(p.code == "value.empty" and p.at == ("form", "fields") for p in exc.problems):
            raise
        data = _loaded(text)
        if not (isinstance(data, dict) and isinstance(data.get("form"), dict) and data["form"].get("fields") == []):
            raise
        data["form"]["fields"] = [_PLACEHOLDER]
        sdef = validate_text(dump(data), path)
        return dataclasses.replace(sdef, form=Form(title=sdef.form.title, fields=()))


def _loaded(text):
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None


def dump(definition: dict) -> str:
    return yaml.safe_dump(definition, allow_unicode=True, sort_keys=False,
                          default_flow_style=False, width=1000)


def text_of(draft: ServiceDraft) -> str:
    """The draft as YAML: as typed in the Source tab, else as generated at the last save."""
    if draft.source is not None:
        return draft.source
    return to_yaml(validate(dump(canonical(draft.definition))))


def compiled(draft: ServiceDraft):
    return validate(text_of(draft))


# ---------------------------------------------------------------- finding and creating

def for_service(service: Service) -> ServiceDraft:
    """The service's draft, started from its latest version when there is none (or when the
    untouched draft is older than the latest version)."""
    draft = ServiceDraft.get_or_none(ServiceDraft.service == service)
    if draft is not None and (draft.dirty or draft.base_version >= service.latest_version):
        return draft
    version = latest_version(service)
    definition = export_dict(load_version(version))
    if draft is None:
        draft = ServiceDraft(service=service, slug=service.slug)
    draft.department = service.department
    draft.definition, draft.source = definition, version.source
    draft.base_version, draft.dirty, draft.updated = version.version, False, utcnow()
    draft.revision = (draft.revision or 0) + 1
    draft.save()
    return draft


def create(definition: dict, user, allowed=None) -> ServiceDraft:
    """A draft of a service that does not exist yet."""
    sdef = validate(dump(canonical(definition)))
    _check_identity(sdef, None, allowed)
    return ServiceDraft.create(slug=sdef.id, department=sdef.department, definition=export_dict(sdef),
                               source=to_yaml(sdef), dirty=True, updated_by=user, revision=1)


def _check_identity(sdef, draft, allowed) -> None:
    """The id stays, the number is free, the department is one the user manages."""
    if draft is not None and sdef.id != draft.slug:
        raise problem(f"服务标识不能修改（本草稿为 {draft.slug}）", at=("id",))
    if draft is None and sdef.id in identifiers.taken_service_ids():
        raise problem(f"服务标识 {sdef.id} 已被其他服务使用", at=("id",))
    owner = identifiers.number_owner(sdef.number, except_slug=sdef.id)
    if owner is not None:
        raise problem(f"事项编号 {sdef.number} 已被“{owner}”使用，请换一个（下一个空闲编号是 "
                      f"{identifiers.next_number()}）", at=("number",))
    if allowed is not None and sdef.department not in allowed:
        raise problem(f"主办部门必须是您管理的部门（{'、'.join(sorted(allowed)) or '无'}），不能是 {sdef.department}",
                      at=("department",))


# ---------------------------------------------------------------- changing

_ASSIGNEE_ORDER = ("user", "role", "of", "department", "field")


def _assignee(spec):
    if not isinstance(spec, dict):
        return spec
    return {k: spec[k] for k in sorted(spec, key=lambda k: (_ASSIGNEE_ORDER + (k,)).index(k))}


def canonical(definition: dict) -> dict:
    """Assignee mappings in one key order (``{role, department}``), whatever order they were
    stored in, so regenerated YAML differs only where the definition does."""
    steps = []
    for step in definition.get("steps", []):
        step = dict(step, by=_assignee(step["by"]))
        if "cc" in step:
            step["cc"] = [_assignee(c) for c in step["cc"]]
        steps.append(step)
    return dict(definition, steps=steps)


def save_definition(draft: ServiceDraft, definition: dict, user, allowed=None,
                    revision: int | None = None) -> ServiceDraft:
    """A change made through the form editors (or the builder's JSON): validated, then
    stored. The YAML keeps the text of every part the change did not touch.

    ``revision`` is the revision the change was based on (default: the one ``draft`` was
    read at); raises ``Conflict`` when the draft has moved on, DefinitionError when invalid.
    """
    sdef = validate(dump(canonical(definition)))
    return _store(draft, sdef, _regenerated(draft, sdef), user, allowed, revision)


def _regenerated(draft, sdef) -> str:
    target = export_dict(sdef)
    old_text = text_of(draft)
    text = yamltext.splice(old_text, draft.definition, target) if draft.source is not None else None
    if text is not None:
        try:
            if export_dict(validate(text)) == target:
                return text
        except DefinitionError:
            pass
    return to_yaml(sdef)


def save_source(draft: ServiceDraft, text: str, user, allowed=None, revision: int | None = None) -> ServiceDraft:
    """A change typed in the Source tab: validated, then stored with the text as typed."""
    sdef = validate(text)
    return _store(draft, sdef, text.replace("\r\n", "\n"), user, allowed, revision)


def _store(draft, sdef, source, user, allowed, revision):
    _check_identity(sdef, draft, allowed)
    based_on = draft.revision if revision is None else int(revision)
    values = {"definition": export_dict(sdef), "source": source, "department": sdef.department,
              "dirty": True, "updated": utcnow(), "updated_by": getattr(user, "id", user),
              "revision": based_on + 1}
    with write_transaction():
        changed = (ServiceDraft.update(**values)
                   .where(ServiceDraft.id == draft.id, ServiceDraft.revision == based_on).execute())
    if not changed:
        raise conflict_for(draft.id)
    for key, value in values.items():
        setattr(draft, key, value)
    return draft


def edited(draft: ServiceDraft) -> dict:
    """A deep copy of the draft's definition for an editor to change."""
    return copy.deepcopy(draft.definition)


def discard(draft: ServiceDraft) -> None:
    """Throw the changes away (a never-published draft is deleted)."""
    draft.delete_instance()


# ---------------------------------------------------------------- publishing

def publish(draft: ServiceDraft, user, revision: int | None = None, override_tests: bool = False):
    """发布: import the draft as a new immutable version → ``(service, version, status)``.

    With ``revision``, only that revision of the draft is published (else ``Conflict``).
    The service's scenario tests run first: a failure raises ``scenarios.TestsFailed``
    unless a system admin publishes with ``override_tests``."""
    if revision is not None and int(revision) != draft.revision:
        raise conflict_for(draft.id)
    from designer import scenarios
    scenarios.check_before_publish(draft.slug, text_of(draft), user, override_tests)
    service, version, status = import_text(text_of(draft), f"{draft.slug}.yaml", user)
    with write_transaction():
        changed = (ServiceDraft.update(service=service, base_version=version.version, dirty=False,
                                       revision=ServiceDraft.revision + 1)
                   .where(ServiceDraft.id == draft.id, ServiceDraft.revision == draft.revision).execute())
        if status != "unchanged":
            from app import audit
            audit.record("publish", user, f"{service.slug} 版本 {version.version}")
    if changed:     # else someone saved a newer change meanwhile: it stays unpublished
        draft.service, draft.base_version, draft.dirty = service, version.version, False
        draft.revision += 1
    return service, version, status


def after_import(service: Service) -> None:
    """An imported version replaces an untouched draft (an edited one is kept, and an
    unpublished draft of the same id becomes the service's draft)."""
    (ServiceDraft.update(service=service)
     .where(ServiceDraft.slug == service.slug, ServiceDraft.service.is_null()).execute())
    (ServiceDraft.delete().where(ServiceDraft.service == service, ServiceDraft.dirty == False)  # noqa: E712
     .execute())


def exported_yaml(sdef) -> str:
    return to_yaml(sdef)
