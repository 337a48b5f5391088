"""Builds the print model of one instance (``renderers.print.PrintModel``) from the database:
the viewer's hidden fields, the display texts, the attachments and the approval history.
The renderers get the finished value and run no query themselves.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from app.defs.validate import display_rows
from app.engine import queries
from app.engine.context import applicant_view
from app.engine.core import ACTION_LABELS, STATUS_LABELS
from app.engine.states import Action
from app.models import Attachment
from app.web.templating import local_time
from renderers.print import Approval, PrintItem, PrintModel, fingerprint, verify_path

NOT_PRINTED_ACTIONS = (Action.SAVE_DRAFT,)
WIDE_TYPES = ("agree",)                        # printed across the whole row: ☑ + the statement


def print_model(instance, sdef, viewer=None, *, hidden=None, masked=None, base_url: str = "",
                now: datetime | None = None) -> PrintModel:
    """The print of ``instance`` as ``viewer`` may see it.

    ``hidden`` (field names) replaces the viewer's hidden fields — the verification page
    passes the set recorded when the copy was printed. ``base_url`` prefixes the
    verification URL (``https://hall.example.edu.cn``).
    """
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
