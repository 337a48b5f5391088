"""Importing definition files uploaded in the browser, one report row per file."""
from __future__ import annotations

from dataclasses import dataclass, field

from app import audit
from app.defs.compile import validate_text
from app.defs.exceptions import DefinitionError
from app.defs.loader import MAX_BYTES
from app.defs.store import import_text
from app.models import Service
from designer import drafts

STATUS_LABELS = {"created": "新建服务", "new-version": "新版本", "unchanged": "未变化（与最新版本相同）",
                 "error": "错误", "denied": "无权导入"}


@dataclass
class ImportRow:
    filename: str
    status: str
    service: Service | None = None
    version: int | None = None
    problems: list = field(default_factory=list)

    @property
    def label(self):
        return STATUS_LABELS[self.status]


def import_upload(filename: str, data: bytes, user, allowed=None) -> ImportRow:
    """Validate, check the admin may manage the service (its current and its new 主办部门),
    then import; a refused file changes nothing."""
    name = filename.rsplit("/", 1)[-1][:200] or "upload.yaml"
    try:
        data = _wrapped(name, data, allowed)
        sdef = validate_text(data, name)
        existing = Service.get_or_none(Service.slug == sdef.id)
        if allowed is not None:
            departments = {sdef.department} | ({existing.department} if existing else set())
            refused = sorted(departments - set(allowed))
            if refused:
                return ImportRow(name, "denied", problems=[f"主办部门 {'、'.join(refused)} 不是您管理的部门"])
        service, version, status = import_text(data, name, user)
    except DefinitionError as exc:
        return ImportRow(name, "error", problems=[str(p) for p in exc.problems])
    drafts.after_import(service)
    if status != "unchanged":
        audit.record("import", user, f"{name}: {service.slug} 版本 {version.version}")
    return ImportRow(name, status, service=service, version=version.version)


def _wrapped(filename: str, data: bytes, allowed) -> bytes:
    """A bare JSON Schema (a ``.json`` that is not a definition) wrapped as a draft service:
    named by its title, owned by the admin's first department (SPEC §8.1)."""
    from app.defs import wrap
    if not filename.lower().endswith(".json") or len(data) > MAX_BYTES:
        return data
    schema = wrap.load_bare(data)
    if not wrap.is_bare_schema(schema):
        return data
    from app.models import Department
    departments = list(allowed) if allowed else [d.name for d in Department.select().order_by(Department.id)]
    stem = filename.rsplit(".", 1)[0]
    title = schema.get("title") if isinstance(schema.get("title"), str) and schema["title"].strip() else stem
    return wrap.wrap_text(schema, name=title[:100], department=departments[0] if departments else "办公室",
                          slug=wrap.slug_for(stem, schema.get("title")))
