"""Importing definitions into the catalog: Service rows and their immutable versions."""
from __future__ import annotations

import re
from pathlib import Path

import peewee

from app.db import db
from app.defs.compile import compile_text, digest, read_file
from app.defs.exceptions import DefinitionError, Problem
from app.defs.model import ServiceDef
from app.models import Service, ServiceVersion, utcnow

CREATED, NEW_VERSION, UNCHANGED = "created", "new-version", "unchanged"


def initials(name: str) -> str:
    """Pinyin initials for the catalog's 首字母 filter: 工作周报 → gzzb."""
    import pypinyin     # here, not at the top: its dictionaries take ~0.3 s to import, which
                        # every `flask …` command and worker paid whether or not it imported
    letters = pypinyin.lazy_pinyin(name, style=pypinyin.Style.FIRST_LETTER)
    return re.sub(r"[^a-z0-9]", "", "".join(letters).lower())[:100]


def latest_version(service: Service) -> ServiceVersion | None:
    return (ServiceVersion.select().where(ServiceVersion.service == service)
            .order_by(ServiceVersion.version.desc()).first())


def import_text(text, path: str = "<string>", user=None):
    """Validate and import one definition → ``(service, version, status)``.

    status is "created", "new-version" or "unchanged" (same compiled digest as the latest
    version: nothing is written).
    """
    service_def, positions = compile_text(text, path)
    source = text.decode("utf-8-sig") if isinstance(text, bytes) else text

    def number_taken():
        line, col = positions.value(("number",))
        return DefinitionError([Problem(path, line, col,
                                        f"number: {service_def.number} is already used by another service",
                                        ("number",), "number.taken", {"value": service_def.number})])

    try:
        with db.atomic():
            return _store(service_def, source, user, number_taken)
    except peewee.IntegrityError:
        raise number_taken() from None


def _store(service_def: ServiceDef, source: str, user, number_taken):
    clash = Service.get_or_none((Service.number == service_def.number) & (Service.slug != service_def.id))
    if clash is not None:
        raise number_taken()
    service = Service.get_or_none(Service.slug == service_def.id)
    status = CREATED if service is None else NEW_VERSION
    latest = latest_version(service) if service is not None else None
    new_digest = digest(service_def)
    if latest is not None and latest.digest == new_digest:
        return service, latest, UNCHANGED
    service = service or Service(slug=service_def.id)
    _fill_catalog(service, service_def, (latest.version if latest else 0) + 1)
    service.save()
    version = ServiceVersion.create(service=service, version=service.latest_version, source=source,
                                    compiled=service_def.to_dict(), digest=new_digest,
                                    created_by=user)
    return service, version, status


def _fill_catalog(service: Service, d: ServiceDef, version: int) -> None:
    service.number = d.number
    service.name = d.name
    service.category = d.category
    service.department = d.department
    service.audience = ",".join(d.audience)
    service.recommended = d.recommended
    service.keywords = " ".join(d.keywords)
    service.initials = initials(d.name)
    service.latest_version = version
    service.updated = utcnow()


def definition_paths(paths) -> list[Path]:
    """Files as given; a folder stands for every *.yaml in it, sorted, except the scenario
    files (``*.test.yaml``, run by ``flask defs test``)."""
    found = []
    for path in map(Path, paths):
        found.extend(sorted(p for p in path.glob("*.yaml") if not p.name.endswith(".test.yaml"))
                     if path.is_dir() else [path])
    return found


def import_file(path, user=None):
    return import_text(read_file(path), str(path), user)


def import_paths(paths, user=None) -> list:
    """Import files and folders → ``[(path, status or DefinitionError)]``; one bad file stops nothing."""
    results = []
    for path in definition_paths(paths):
        try:
            results.append((str(path), import_file(path, user)[2]))
        except DefinitionError as exc:
            results.append((str(path), exc))
    return results


_CACHE: dict[tuple[int, str], ServiceDef] = {}
_CACHE_SIZE = 1024


def load_version(version) -> ServiceDef:
    """The compiled definition of a version row (or id); cached, versions never change.

    The cache key includes the digest, so ids reused by another database (tests) are safe.
    """
    if not isinstance(version, ServiceVersion):
        version = ServiceVersion.get_by_id(version)
    key = (version.id, version.digest)
    service_def = _CACHE.get(key)
    if service_def is None:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        service_def = _CACHE[key] = ServiceDef.from_dict(version.compiled)
    return service_def
