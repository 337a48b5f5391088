"""Masking in one place: every output that shows a field's value to a viewer who may not see
it in full asks here, so a type's ``mask()`` holds on pages, lists, the API, prints, exports
and notifications alike.

Who may see values in full is decided by the caller (``app.engine.queries.may_reveal``: the
owner and admins, not department admins); this module only applies the type's mask. A rows
field masks each cell whose column type masks.
"""
from __future__ import annotations

from plugins.fields import FIELD_TYPES


def _type(field):
    return FIELD_TYPES.get(field.type) if field is not None and field.type in FIELD_TYPES else None


def masked_value(field, value):
    """``value`` as a viewer who may not see it in full gets it."""
    ftype = _type(field)
    if value is None or ftype is None:
        return value
    if ftype.masks:
        return ftype.mask(field, value)
    columns = getattr(field, "columns", None)
    if columns and isinstance(value, list):
        return [_masked_row(columns, row) for row in value]
    return value


def _masked_row(columns, row):
    if not isinstance(row, dict):
        return row
    out = dict(row)
    for column in columns:
        if column.name in out:
            out[column.name] = masked_value(column, out[column.name])
    return out


def mask_data(form, data: dict) -> dict:
    """A copy of ``data`` with every masking field's value masked (rows cell by cell)."""
    out = dict(data or {})
    for field in form.input_fields():
        if out.get(field.name) is not None:
            out[field.name] = masked_value(field, out[field.name])
    return out


def masks_field(field) -> bool:
    """Whether ``field``'s type masks, or one of its rows columns does."""
    ftype = _type(field)
    if ftype is not None and ftype.masks:
        return True
    return any(masks_field(c) for c in getattr(field, "columns", None) or ())


def any_masked(form) -> bool:
    """Whether some field of ``form`` masks: lets callers skip the permission query."""
    return any(masks_field(f) for f in form.input_fields())


def shown(field, value, reveal: bool, how: str = "display"):
    """The text of ``value`` for one output: ``display`` (pages), ``print_value`` (prints) or
    ``export_value`` (exports); masked first when ``reveal`` is False."""
    ftype = FIELD_TYPES.get(field.type)
    if not reveal:
        value = masked_value(field, value)
    return getattr(ftype, how)(field, value, reveal)
