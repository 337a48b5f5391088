"""The compiled definition of an instance's version, parsed once per process, with the
steps 加签 added for the instances that have them."""
import json
from dataclasses import replace

from app.defs.model import Step
from app.defs.store import load_version
from app.engine.exceptions import NotFound
from app.models import ServiceVersion

_DEFS: dict = {}


def service_def(instance_or_version):
    """The compiled definition of an instance's version (or of a version row).

    Only the version's id and digest are read per call; the compiled JSON is parsed once
    per process (versions never change, and the digest guards against reused ids)."""
    if isinstance(instance_or_version, ServiceVersion):
        if instance_or_version.compiled is not None:
            return load_version(instance_or_version)
        version_id, digest = instance_or_version.id, instance_or_version.digest
    else:
        memo = getattr(instance_or_version, "_service_def", None)
        if memo and memo[0] == instance_or_version.version_id:
            return _with_inserted(instance_or_version, memo[1])
        version_id, digest = instance_or_version.version_id, None
    if digest is None:
        known = getattr(instance_or_version, "_version_digest", None)
        digest = known[1] if known and known[0] == version_id else None
    if digest is None:
        row = (ServiceVersion.select(ServiceVersion.digest)
               .where(ServiceVersion.id == version_id).tuples().first())
        if row is None:
            raise NotFound("该服务版本不存在")
        digest = row[0]
    key = (version_id, digest)
    sdef = _DEFS.get(key)
    if sdef is None:
        if len(_DEFS) >= 1024:
            _DEFS.clear()
        sdef = _DEFS[key] = load_version(ServiceVersion.get_by_id(version_id))
    if not isinstance(instance_or_version, ServiceVersion):
        instance_or_version._service_def = (version_id, sdef)
        return _with_inserted(instance_or_version, sdef)
    return sdef


def remember_digest(instance, digest) -> None:
    """The digest of the instance's version, read with the instance: ``service_def`` then
    needs no query when the definition is compiled in this process already."""
    instance._version_digest = (instance.version_id, digest)


_INSERTED: dict = {}


def _with_inserted(instance, sdef):
    """An instance's definition with the steps 加签 added (most instances have none)."""
    inserted = getattr(instance, "inserted", None)
    if not inserted:
        return sdef
    key = (id(sdef), json.dumps(inserted, sort_keys=True, ensure_ascii=False))
    found = _INSERTED.get(key)
    if found is None or found[0] is not sdef:
        if len(_INSERTED) >= 1024:
            _INSERTED.clear()
        found = _INSERTED[key] = (sdef, with_inserted(sdef, inserted))
    return found[1]


def with_inserted(sdef, inserted):
    """The definition with the steps 加签 added after others (the version itself is untouched)."""
    steps = list(sdef.steps)
    for item in inserted or []:
        at = next((i for i, s in enumerate(steps) if s.id == item["after"]), None)
        if at is None:
            continue
        while at + 1 < len(steps) and steps[at + 1].id.startswith("jiaqian-"):
            at += 1                               # after earlier additions to the same step
        steps.insert(at + 1, Step.from_dict(item["step"]))
    return replace(sdef, steps=tuple(steps))
