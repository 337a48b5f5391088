"""Keeping personal data only as long as needed (PIPL art. 19): a service's ``retention``.

``retention: {keep: 3y, after: completed, action: anonymize | delete}`` in a definition (the
service's latest version decides for all its instances). ``run`` handles the instances
whose ``after`` event is older than ``keep``:

- ``anonymize`` masks the applicant's personal data in form data, titles and flow records
  (the applicant's name → 某某; ID, phone and email masked), deletes attachments (rows and
  files) and keeps the instance, so statistics keep their counts;
- ``delete`` removes the instance with its tasks, records and files.

Instances on legal hold (留存, ``Instance.held``) are skipped and counted as held.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime

from app.db import write_transaction
from app.defs.model import keep_delta
from app.engine.states import FINISHED, Status
from app.engine.versions import service_def
from app.models import Attachment, FlowRecord, Instance, Service, ServiceVersion, utcnow
from app.storage import StorageError, for_directory

log = logging.getLogger(__name__)

PLACEHOLDER = "某某"
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
AFTER_EVENTS = ("completed", "finished", "submitted")


def mask_text(text: str, names=()) -> str:
    """Names → 某某; ID numbers, mobile numbers and emails masked."""
    if not isinstance(text, str) or not text:
        return text
    for name in names:
        if name:
            text = text.replace(name, PLACEHOLDER)
    text = _ID.sub(lambda m: m.group(1)[:4] + "*" * 10 + m.group(2)[-4:], text)
    text = _PHONE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
    return _EMAIL.sub(lambda m: "***@" + m.group(1), text)


def _mask_value(value, names):
    if isinstance(value, str):
        return mask_text(value, names)
    if isinstance(value, list):
        return [_mask_value(v, names) for v in value]
    if isinstance(value, dict):
        return {k: _mask_value(v, names) for k, v in value.items()}
    return value


def anonymized_data(sdef, data: dict, names) -> dict:
    """Form data with personal data masked and attachments dropped."""
    out = {}
    files = {f.name for f in sdef.form.input_fields() if f.type == "file"}
    autofilled = {f.name: f.autofill for f in sdef.form.input_fields() if f.autofill}
    for key, value in (data or {}).items():
        if key in files:
            out[key] = []
        elif autofilled.get(key) in ("user.name", "user.username"):
            out[key] = PLACEHOLDER
        else:
            out[key] = _mask_value(value, names)
    return out


@dataclass
class Counts:
    anonymized: int = 0
    deleted: int = 0
    held: int = 0

    def add(self, other: "Counts") -> None:
        self.anonymized += other.anonymized
        self.deleted += other.deleted
        self.held += other.held

    def line(self, label: str, dry_run: bool) -> str:
        if dry_run:
            return (f"{label}: would anonymize {self.anonymized}, would delete {self.deleted}, "
                    f"held {self.held}")
        return f"{label}: anonymized {self.anonymized}, deleted {self.deleted}, held {self.held}"


@dataclass
class Report:
    services: dict = field(default_factory=dict)       # slug → Counts
    total: Counts = field(default_factory=Counts)

    def lines(self, dry_run: bool) -> list[str]:
        return [c.line(slug, dry_run) for slug, c in self.services.items()] + [
            self.total.line("total", dry_run)]


def policy(service):
    """The retention of the service's latest version, or None."""
    version = (ServiceVersion.select().where(ServiceVersion.service == service)
               .order_by(ServiceVersion.version.desc()).first())
    return service_def(version).retention if version is not None else None


def expired(service, rule, now):
    """Instances of ``service`` whose ``after`` event is older than ``keep``."""
    cutoff = now - keep_delta(rule["keep"])
    after = rule.get("after", "completed")
    query = Instance.select().where(Instance.service == service)
    if after == "completed":
        query = query.where(Instance.status == Status.COMPLETED, Instance.finished < cutoff)
    elif after == "finished":
        query = query.where(Instance.status.in_(FINISHED), Instance.finished < cutoff)
    else:   # submitted: only finished instances are ever touched
        query = query.where(Instance.status.in_(FINISHED), Instance.submitted < cutoff)
    if rule.get("action", "anonymize") == "anonymize":
        query = query.where(Instance.anonymized.is_null())
    return query.order_by(Instance.serial)


def run(*, dry_run=False, now: datetime | None = None, upload_dir=None) -> Report:
    """Apply every service's retention; each instance in its own transaction.

    ``upload_dir``: the storage holding the attachments (app.storage), or its uploads folder;
    None leaves their files alone."""
    now = now or utcnow()
    report = Report()
    for service in Service.select().order_by(Service.slug):
        rule = policy(service)
        if not rule:
            continue
        counts = Counts()
        action = rule.get("action", "anonymize")
        for instance in expired(service, rule, now):
            if instance.held:
                counts.held += 1
            elif action == "delete":
                counts.deleted += 1
                if not dry_run:
                    delete(instance, upload_dir)
            else:
                counts.anonymized += 1
                if not dry_run:
                    anonymize(instance, upload_dir, now)
        report.services[service.slug] = counts
        report.total.add(counts)
    return report


def _delete_rows(instance) -> list[str]:
    """Delete the instance's attachment rows; the storage keys of their files."""
    keys = []
    for attachment in Attachment.select().where(Attachment.instance == instance):
        if re.fullmatch(r"[0-9a-f]{32}", attachment.stored_name or ""):
            keys.append("uploads/" + attachment.stored_name)
        attachment.delete_instance()
    return keys


def _delete_files(keys, upload_dir) -> None:
    """After the commit: a rolled-back run keeps its files."""
    if not upload_dir:
        return
    store = for_directory(upload_dir) if isinstance(upload_dir, str) else upload_dir
    for key in keys:
        try:
            store.delete(key)
        except StorageError as exc:
            log.error("retention could not delete %s: %s", key, exc)


def anonymize(instance, upload_dir=None, now=None) -> None:
    sdef = service_def(instance)
    applicant = instance.applicant
    names = [n for n in (applicant.name, applicant.username) if n]
    with write_transaction():
        keys = _delete_rows(instance)
        Instance.update(data=anonymized_data(sdef, instance.data, names),
                        title=mask_text(instance.title, names), anonymized=now or utcnow()
                        ).where(Instance.id == instance.id).execute()
        for record in FlowRecord.select().where(FlowRecord.instance == instance):
            opinion, detail = mask_text(record.opinion, names), mask_text(record.detail, names)
            if (opinion, detail) != (record.opinion, record.detail):
                FlowRecord.update(opinion=opinion, detail=detail).where(
                    FlowRecord.id == record.id).execute()
    _delete_files(keys, upload_dir)


def delete(instance, upload_dir=None) -> None:
    with write_transaction():
        keys = _delete_rows(instance)
        instance.delete_instance(recursive=True)
    _delete_files(keys, upload_dir)


def set_hold(instance, held: bool) -> None:
    """留存: a held instance is skipped by retention until the hold is lifted."""
    Instance.update(held=bool(held)).where(Instance.id == instance.id).execute()
