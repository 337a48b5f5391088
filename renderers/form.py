"""Form definition → WTForms form (rendering), and a form POST → instance data.

Rendering draws the WTForms fields through ``templates/forms/_macros.html``. Validating
data is not done here: ``app.defs.validate`` is the one validator, for web, API and engine.
"""
from __future__ import annotations

import wtforms

from app.defs.validate import (  # noqa: F401  (renderers.form.validate_data stays importable)
    _refs_by_type, display_rows, hidden_fields, is_visible, validate_data, visible_data)
from plugins.fields import FIELD_TYPES, WidgetContext, field_type


class OneHallForm(wtforms.Form):
    """Plain WTForms form; CSRF is checked site-wide by Flask-WTF's CSRFProtect."""

    class Meta:
        csrf = False

    field_kinds: dict = {}
    value_labels: dict = {}


def editable_names(form_def, editable: set[str] | None) -> set[str]:
    """The input fields a user may change: those in ``editable`` (all when None), never readonly."""
    return {f.name for f in form_def.input_fields()
            if not f.readonly and (editable is None or f.name in editable)}


def _form_class(fields, editable: set[str], departments, name="OneHallForm"):
    attrs = {"field_kinds": {f.name: field_type(f).widget_template or _kind(f) for f in fields}}
    for f in fields:
        ctx = WidgetContext(editable=f.name in editable, departments=tuple(departments))
        if f.columns:
            cols = {c.name for c in f.columns if not c.readonly} if ctx.editable else set()
            ctx.row_forms[f.name] = _form_class(f.columns, cols, departments, "RowForm")
        unbound = field_type(f).wtf_field(f, ctx)
        if unbound is not None:
            attrs[f.name] = unbound
    return type(name, (OneHallForm,), attrs)


def _kind(field) -> str:
    """The macro drawing the field: its type's ``widget``, or ``widget_for(field)`` when a type
    draws differently by its keys (a JSON Schema choice as radio buttons or a select)."""
    ftype = field_type(field)
    return ftype.widget_for(field) if hasattr(ftype, "widget_for") else ftype.widget


def _wtf_data(fields, data):
    """Stored values as WTForms' sub-forms take them: fixed positions (lists) as {"0": …}."""
    out = dict(data)
    for f in fields:
        value = out.get(f.name)
        if f.type == "tuple" and isinstance(value, list):
            value = {str(i): v for i, v in enumerate(value)}
        if f.columns and f.type in ("group", "tuple") and isinstance(value, dict):
            value = _wtf_data(f.columns, value)
        out[f.name] = value
    return {k: v for k, v in out.items() if v is not None or k in data}


def build_form(form_def, formdata=None, data=None, *, editable: set[str] | None = None,
               departments=()) -> OneHallForm:
    """A WTForms form mirroring ``form_def``; non-editable fields render disabled.

    With ``formdata`` (re-rendering a refused POST) editable fields show what was sent and
    the others keep ``data``.
    """
    allowed = editable_names(form_def, editable)
    wtform = _form_class(form_def.fields, allowed, departments)(data=_wtf_data(form_def.fields, data or {}))
    if formdata:
        for name in allowed & set(wtform._fields):
            wtform[name].process(formdata)
    wtform.value_labels = _value_labels(form_def, data or {})
    return wtform


def _value_labels(form_def, data) -> dict:
    labels = {}
    for type_name, entries in _refs_by_type(form_def, data).items():
        labels.update(FIELD_TYPES.get(type_name).value_labels({r for _, refs in entries for r in refs}))
    return labels


def parse_submission(form_def, formdata, files_tokens=None, *, editable: set[str] | None = None,
                     previous: dict | None = None) -> dict:
    """The instance data from a POST.

    Fields the user may not edit keep their ``previous`` value (for a new instance pass the
    autofill values and defaults there); a crafted POST cannot change them.
    """
    allowed, previous = editable_names(form_def, editable), previous or {}
    data = {}
    for f in form_def.input_fields():
        ftype = field_type(f)
        if f.name in allowed:
            value = ftype.from_formdata(f, formdata, f.name, files_tokens or {}, previous.get(f.name))
        else:
            value = previous.get(f.name)
        if form_def.schema and f.type == "rows" and isinstance(value, list):
            value = [row for row in value if row != {}] or None     # a row left blank is no item
        if not ftype.is_empty(value):
            data[f.name] = value
    return data


