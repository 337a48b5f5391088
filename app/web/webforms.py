"""Glue between a browser POST and the engine: uploads, parsing, re-rendering with errors."""
from flask import request

from app.engine.exceptions import Invalid
from app.models import Attachment, Department


def departments():
    return [d.name for d in Department.select(Department.name).order_by(Department.name)]


def pending_tokens(user, field, tokens) -> list:
    """Of ``tokens``, the user's own uploads for ``field`` not yet part of any instance: files
    accepted by a POST that came back with errors, kept server-side until the form is saved."""
    tokens = [t for t in tokens if isinstance(t, str)]
    if not tokens:
        return []
    found = {a.token for a in Attachment.select(Attachment.token).where(
        Attachment.token.in_(tokens), Attachment.owner == user.id,
        Attachment.instance.is_null(), Attachment.field == field.name)}
    return [t for t in tokens if t in found]


def submitted_data(sdef, user, editable, previous, *, submit=False):
    """Save uploaded files, then parse the POST into form data (read-only fields from previous).

    A refused upload raises Invalid with every error of the form at once (for 提交 the other
    fields are validated too) and ``data`` holding what was sent, accepted files included,
    so the page can show it all again.
    """
    from app.storage.attachments import AttachmentError, save_upload
    from renderers.form import parse_submission
    tokens, errors = {}, {}
    for field in sdef.form.fields:
        if field.type != "file" or field.name not in editable:
            continue
        kept = pending_tokens(user, field, request.form.getlist(f"{field.name}-keep"))
        for upload in request.files.getlist(field.name):
            if not upload or not upload.filename:
                continue
            try:
                kept.append(save_upload(upload, field, user).token)
            except AttachmentError as e:
                errors.setdefault(field.name, []).append(str(e))
        tokens[field.name] = kept
    data = parse_submission(sdef.form, request.form, tokens, editable=editable, previous=previous)
    if errors:
        if submit:
            for key, messages in _value_errors(sdef, user, data).items():
                errors.setdefault(key, []).extend(m for m in messages if m not in errors.get(key, []))
        refused = Invalid("附件有误", fields=errors)
        refused.data = data
        raise refused
    return data


def _value_errors(sdef, user, data) -> dict:
    from app.engine.context import applicant_view
    from app.defs.validate import validate_data
    return validate_data(sdef.form, data, applicant=applicant_view(user))[1]


def build(sdef, data, editable, formdata=None, posted=None):
    """The form to render; with ``posted`` (a refused POST's data) file fields list the
    files already accepted, so nothing chosen is lost."""
    from renderers.form import build_form
    if sdef.form.schema and posted:      # a refused POST: show the typed values it was read into
        data, formdata = dict(data or {}, **posted), None
    wtform = build_form(sdef.form, formdata=formdata, data=data, editable=editable,
                        departments=departments())
    if posted:
        files = [f for f in sdef.form.fields if f.type == "file" and f.name in wtform._fields
                 and f.name in (editable or ())]
        for field in files:
            wtform[field.name].data = [t for t in posted.get(field.name) or [] if isinstance(t, str)]
        tokens = {t for field in files for t in wtform[field.name].data}
        if tokens:
            labels = dict(wtform.value_labels)
            labels.update(Attachment.select(Attachment.token, Attachment.filename)
                          .where(Attachment.token.in_(list(tokens))).tuples())
            wtform.value_labels = labels
    return wtform
