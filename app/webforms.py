"""Glue between a browser POST and the engine: uploads, parsing, re-rendering with errors."""
from flask import current_app, request

from app.engine.exceptions import Invalid
from app.models import Department


def departments():
    return [d.name for d in Department.select(Department.name).order_by(Department.name)]


def submitted_data(sdef, user, editable, previous):
    """Save uploaded files, then parse the POST into form data (read-only fields from previous)."""
    from app.attachments import AttachmentError, save_upload
    from renderers.form import parse_submission
    tokens, errors = {}, {}
    for field in sdef.form.fields:
        if field.type != "file" or field.name not in editable:
            continue
        kept = [t for t in request.form.getlist(f"{field.name}-keep") if t in (previous.get(field.name) or [])]
        for upload in request.files.getlist(field.name):
            if not upload or not upload.filename:
                continue
            try:
                kept.append(save_upload(upload, field, user, current_app.config["UPLOAD_DIR"]).token)
            except AttachmentError as e:
                errors.setdefault(field.name, []).append(str(e))
        tokens[field.name] = kept
    if errors:
        raise Invalid("附件有误", fields=errors)
    return parse_submission(sdef.form, request.form, tokens, editable=editable, previous=previous)


def build(sdef, data, editable, formdata=None):
    from renderers.form import build_form
    return build_form(sdef.form, formdata=formdata, data=data, editable=editable,
                      departments=departments())
