"""Filled instance → print model → HTML.

The print model is a plain value: everything a printed copy shows, already turned into
display texts. Its fingerprint (sha256 over a canonical serialisation of that content, the
print date and the verification URL left out) goes into the QR code; the verification page
rebuilds the model from the current content and compares fingerprints, so a copy printed
before the content changed no longer matches.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone

VERIFY_PATH = "/verify/<int:serial>/<fingerprint>"
NOT_PRINTED_ACTIONS = ("save_draft",)
WIDE_TYPES = ("agree",)                        # printed across the whole row: ☑ + the statement


@dataclass(frozen=True)
class PrintItem:
    kind: str                                   # field | wide | rows | section
    label: str
    value: str = ""                             # field value or section text
    columns: tuple[str, ...] = ()               # rows: column labels
    rows: tuple[tuple[str, ...], ...] = ()      # rows: display texts in column order
    files: tuple[tuple[str, str], ...] = ()     # file fields: (token, filename), linked on screen


@dataclass(frozen=True)
class Approval:
    step: str
    action: str
    opinion: str
    user: str
    at: str


@dataclass(frozen=True)
class PrintModel:
    title: str
    service: str
    serial: int
    status: str
    applicant: str
    department: str
    submitted: str
    items: tuple[PrintItem, ...]
    approvals: tuple[Approval, ...]
    hidden: tuple[str, ...] = ()                # left out for this viewer; not printed
    masked: bool = False                        # sensitive values (ID numbers) printed masked
    fingerprint: str = ""
    printed_at: str = ""
    verify_url: str = ""

    def content(self) -> dict:
        """What the paper shows, minus the print date and the QR code itself."""
        data = asdict(self)
        for key in ("hidden", "masked", "fingerprint", "printed_at", "verify_url"):
            data.pop(key)
        for item in data["items"]:
            item.pop("files")               # download links, not content (the value names them)
        return data


def fingerprint(model: PrintModel) -> str:
    canonical = json.dumps(model.content(), ensure_ascii=False, sort_keys=True,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def verify_path(serial: int, fp: str) -> str:
    return f"/verify/{serial}/{fp}"


def print_model(instance, sdef, viewer=None, *, hidden=None, masked=None, base_url: str = "",
                now: datetime | None = None) -> PrintModel:
    """The print of ``instance`` as ``viewer`` may see it.

    ``hidden`` (field names) replaces the viewer's hidden fields — the verification page
    passes the set recorded when the copy was printed. ``base_url`` prefixes the
    verification URL (``https://hall.example.edu.cn``).
    """
    from app.engine import queries
    from app.engine.core import STATUS_LABELS
    from app.templating import local_time
    if hidden is None:
        hidden = queries.hidden_fields(sdef, instance, viewer) if viewer is not None else set()
    if masked is None:
        masked = not queries.may_reveal(instance, viewer)
    applicant = instance.applicant
    model = PrintModel(
        title=sdef.form.title or sdef.name, service=sdef.name, serial=instance.serial,
        status=STATUS_LABELS.get(instance.status, instance.status),
        applicant=applicant.name, department=applicant.department_name or "",
        submitted=local_time(instance.submitted),
        items=tuple(_items(sdef, instance, set(hidden), reveal=not masked)),
        approvals=tuple(_approvals(instance)), hidden=tuple(sorted(hidden)), masked=masked,
        printed_at=local_time(now or datetime.now(timezone.utc).replace(tzinfo=None)),
    )
    fp = fingerprint(model)
    return replace(model, fingerprint=fp, verify_url=base_url.rstrip("/") + verify_path(instance.serial, fp))


def _items(sdef, instance, hidden, reveal=True):
    from app.defs.validate import display_rows
    from app.engine.context import applicant_view
    rows = display_rows(sdef.form, instance.data or {}, hidden,
                        applicant=applicant_view(instance.applicant), reveal=reveal,
                        how="print_value")
    files = _files(sdef, instance, hidden)
    for field, value in rows:
        label = field.label or field.name
        if not field.is_input:
            yield PrintItem("section", label, value=value or "")
        elif field.columns:
            yield PrintItem("rows", label, columns=tuple(c.label or c.name for c in field.columns),
                            rows=tuple(tuple(str(v) for v in row) for row in value or []))
        else:
            kind = "wide" if field.type in WIDE_TYPES else "field"
            yield PrintItem(kind, label, value="" if value is None else str(value),
                            files=files.get(field.name, ()))


def _files(sdef, instance, hidden) -> dict:
    """{file field: ((token, filename), …)} of the instance's own attachments."""
    from app.models import Attachment
    data = instance.data or {}
    tokens = {f.name: [t for t in data.get(f.name) or [] if isinstance(t, str)]
              for f in sdef.form.fields if f.type == "file" and f.name not in hidden}
    wanted = [t for ts in tokens.values() for t in ts]
    if not wanted:
        return {}
    names = dict(Attachment.select(Attachment.token, Attachment.filename)
                 .where(Attachment.token.in_(wanted), Attachment.instance == instance).tuples())
    return {name: tuple((t, names[t]) for t in ts if t in names) for name, ts in tokens.items()}


def _approvals(instance):
    from app.engine import queries
    from app.engine.core import ACTION_LABELS
    from app.templating import local_time
    records = queries.flow_records(instance)
    behalf = queries.behalf_names(records)
    for record in records:
        if record.action in NOT_PRINTED_ACTIONS:
            continue
        user = record.user.name if record.user else "系统"
        if record.on_behalf_of in behalf:
            user = f"{user}（代{behalf[record.on_behalf_of]}）"
        yield Approval(step=record.step_name, action=ACTION_LABELS.get(record.action, record.action),
                       opinion=record.opinion or "", user=user, at=local_time(record.at))


# ---------------------------------------------------------------- HTML

@dataclass(frozen=True)
class QRCode:
    """A QR code as data for the template's inline SVG: its side in modules (with the quiet
    zone) and one path of unit squares — no markup built here, nothing to fetch."""
    size: int
    path: str


def qr_code(url: str, border: int = 2) -> QRCode:
    import segno
    rows = list(segno.make(url, error="m").matrix_iter(scale=1, border=border))
    path = "".join(f"M{x} {y}h1v1h-1z" for y, row in enumerate(rows)
                   for x, dark in enumerate(row) if dark)
    return QRCode(size=len(rows), path=path)


def qr_png(url: str) -> bytes:
    import io

    import segno
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def print_html(model: PrintModel, *, toolbar: dict | None = None) -> str:
    """The print page: the same HTML serves the browser (its @media print) and WeasyPrint.

    ``toolbar`` (links for the screen only) is left out of PDFs.
    """
    from flask import render_template
    return render_template("print/instance.html", m=model, qr=qr_code(model.verify_url),
                           toolbar=toolbar)
