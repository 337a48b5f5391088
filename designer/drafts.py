"""Drafts of service definitions: create, change, validate, publish. No Flask here.

A draft is always a valid definition: every change is compiled with
``app.defs.compile.validate_text`` (the checks of ``flask defs validate``) before it is
written, so nothing invalid is ever saved over a valid draft.
"""
from __future__ import annotations

import copy

import yaml

from app.defs.compile import export_dict, to_yaml, validate_text
from app.defs.exceptions import DefinitionError, Problem
from app.defs.store import import_text, latest_version, load_version
from app.models import Service, utcnow
from app.models.designer import ServiceDraft

SOURCE_PATH = "源码"


def problem(message: str, line: int = 1, col: int = 1) -> DefinitionError:
    return DefinitionError([Problem(SOURCE_PATH, line, col, message)])


def starter(slug: str, number: int, name: str, category: str, department: str,
            audience=("staff", "student")) -> dict:
    """The smallest valid definition a new service starts from."""
    return {
        "format": 1, "id": slug, "number": number, "name": name, "category": category,
        "department": department, "audience": list(audience),
        "form": {"title": name, "fields": [{"name": "content", "label": "申请内容", "type": "textarea",
                                            "required": True}]},
        "steps": [{"id": "fill", "name": "填写申请表", "by": "applicant"}],
    }


def dump(definition: dict) -> str:
    return yaml.safe_dump(definition, allow_unicode=True, sort_keys=False,
                          default_flow_style=False, width=1000)


def text_of(draft: ServiceDraft) -> str:
    """The draft as YAML: as typed in the Source tab, else as generated at the last save."""
    if draft.source is not None:
        return draft.source
    return to_yaml(validate_text(dump(canonical(draft.definition)), SOURCE_PATH))


def compiled(draft: ServiceDraft):
    return validate_text(text_of(draft), SOURCE_PATH)


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
    draft.save()
    return draft


def create(definition: dict, user, allowed=None) -> ServiceDraft:
    """A draft of a service that does not exist yet."""
    sdef = validate_text(dump(canonical(definition)), SOURCE_PATH)
    _check_identity(sdef, None, allowed)
    return ServiceDraft.create(slug=sdef.id, department=sdef.department, definition=export_dict(sdef),
                               source=to_yaml(sdef), dirty=True, updated_by=user)


def _check_identity(sdef, draft, allowed) -> None:
    """The id stays, the number is free, the department is one the user manages."""
    if draft is not None and sdef.id != draft.slug:
        raise problem(f"id 不能修改（本草稿为 {draft.slug}）")
    if draft is None:
        if Service.get_or_none(Service.slug == sdef.id) or ServiceDraft.get_or_none(ServiceDraft.slug == sdef.id):
            raise problem(f"id {sdef.id} 已被其他服务使用")
    clash = Service.get_or_none((Service.number == sdef.number) & (Service.slug != sdef.id))
    unpublished = ServiceDraft.select().where(ServiceDraft.slug != sdef.id, ServiceDraft.service.is_null())
    if clash is not None or any(d.definition.get("number") == sdef.number for d in unpublished):
        raise problem(f"事项编号 {sdef.number} 已被其他服务使用")
    if allowed is not None and sdef.department not in allowed:
        raise problem(f"主办部门必须是您管理的部门（{'、'.join(sorted(allowed)) or '无'}），不能是 {sdef.department}")


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


def save_definition(draft: ServiceDraft, definition: dict, user, allowed=None) -> ServiceDraft:
    """A change made through the form editors: validated, then stored (source regenerated)."""
    sdef = validate_text(dump(canonical(definition)), SOURCE_PATH)
    return _store(draft, sdef, to_yaml(sdef), user, allowed)


def save_source(draft: ServiceDraft, text: str, user, allowed=None) -> ServiceDraft:
    """A change typed in the Source tab: validated, then stored with the text as typed."""
    sdef = validate_text(text, SOURCE_PATH)
    return _store(draft, sdef, text.replace("\r\n", "\n"), user, allowed)


def _store(draft, sdef, source, user, allowed):
    _check_identity(sdef, draft, allowed)
    draft.definition, draft.source = export_dict(sdef), source
    draft.department, draft.dirty = sdef.department, True
    draft.updated, draft.updated_by = utcnow(), user
    draft.save()
    return draft


def edited(draft: ServiceDraft) -> dict:
    """A deep copy of the draft's definition for an editor to change."""
    return copy.deepcopy(draft.definition)


def discard(draft: ServiceDraft) -> None:
    """Throw the changes away (a never-published draft is deleted)."""
    draft.delete_instance()


# ---------------------------------------------------------------- publishing

def publish(draft: ServiceDraft, user):
    """发布: import the draft as a new immutable version → ``(service, version, status)``."""
    service, version, status = import_text(text_of(draft), f"{draft.slug}.yaml", user)
    draft.service, draft.base_version, draft.dirty = service, version.version, False
    draft.save()
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
