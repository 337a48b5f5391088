"""Definition text → validated, immutable ServiceDef (and back to YAML).

Stages: loader (safe YAML with positions) → meta-schema → the ``schema:`` spelling turned
into fields → cross-reference checks → ServiceDef. Every problem found at a stage is
reported together, each as ``path:line:col: message``.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import yaml

from app.defs import checks, loader, metaschema, schemadraft
from app.defs.exceptions import DefinitionError, Problem
from app.defs.schema_fields import Converter
from app.defs.model import Field, Form, ServiceDef, Step


def validate_text(text: str | bytes, path: str = "<string>") -> ServiceDef:
    """Validate and compile one definition; raise DefinitionError listing every problem."""
    return compile_text(text, path)[0]


def validate_file(path) -> ServiceDef:
    return compile_text(read_file(path), str(path))[0]


def read_file(path) -> bytes:
    path = Path(path)
    try:
        if path.stat().st_size > loader.MAX_BYTES:
            raise DefinitionError([loader.too_large(str(path), path.stat().st_size)])
        return path.read_bytes()
    except OSError as exc:
        raise DefinitionError([Problem(str(path), 1, 1, f"cannot read the file: {exc.strerror or exc}",
                                       code="file.unreadable")]) from None


def compile_text(text, path: str = "<string>"):
    """Like validate_text, but returns ``(service_def, positions)``."""
    try:
        data, positions = loader.load(text, path)
        return _compile(data, positions, path), positions
    except DefinitionError:
        raise
    except Exception as exc:    # a bug of ours must still read as a problem of this file
        raise DefinitionError([Problem(path, 1, 1, f"internal error while validating: {exc!r}",
                                       code="internal.error")]) from exc


def _compile(data, positions, path) -> ServiceDef:
    report = checks.Report(path, positions)
    _check_meta(data, report)
    _raise_if(report)
    form = data["form"]
    fields = _fields(form, report, data.get("ui_schema"))
    _raise_if(report)
    _check_references(data, fields, report)
    if not (form.get("title") or "schema" in form):
        report.add(("form",), "form needs a 'title'", code="form.needs_title")
    _raise_if(report)
    return _build(data, [f for _, f in fields])


def _raise_if(report) -> None:
    if report.problems:
        raise DefinitionError(report.problems)


def _check_meta(data, report) -> None:
    for error in metaschema.validator().iter_errors(data):
        for at, said, at_key in metaschema.messages(error, data):
            report.put(at, said, at_key)
    form = data.get("form") if isinstance(data, dict) else None
    if isinstance(form, dict) and isinstance(form.get("schema"), dict):
        for at, said in schemadraft.inspect(form["schema"]):
            report.put(("form", "schema") + at, said, bool(at) and isinstance(at[-1], str))
    if isinstance(form, dict) and "ui_schema" in data and "schema" not in form:
        report.add(("ui_schema",), "ui_schema applies to a form written as 'schema:' (a JSON Schema)", True,
                   code="form.ui_schema_without_schema")


def _fields(form: dict, report, ui_schema=None) -> list[tuple[tuple, dict]]:
    """The top-level fields as (path, dict); the ``schema:`` spelling is converted and checked."""
    if "fields" in form:
        return [(("form", "fields", i), f) for i, f in enumerate(form["fields"])]
    from plugins.fields import FIELD_TYPES
    converter = Converter(ui_schema)
    schema = schemadraft.resolved(form["schema"])
    fields = [(("form", "schema") + p, f) for p, f in converter.object_fields(schema, (), converter.ui)]
    for at, said in converter.problems:
        report.put(("form", "schema") + at, said)
    field_validator = metaschema.validator("field")
    for at, field in converter.legacy:       # the x-widget spelling: the format's own field keys
        if field.get("type") not in FIELD_TYPES.names():
            continue
        plain = _slug_names(field)
        for error in field_validator.iter_errors(plain):
            for sub, said, _ in metaschema.messages(error, plain):
                report.put(("form", "schema") + at + tuple(sub), said)
    if report.problems:
        return fields
    for at, field in _all_fields(fields):
        if field["type"] not in FIELD_TYPES:
            report.add(at + ("x-widget",), f"{field['type']!r} is not a field type "
                       f"(one of: {', '.join(sorted(FIELD_TYPES.names()))})", True,
                       code="field.unknown_type", value=field["type"])
    return fields


def _slug_names(field):
    """The field with plain names: a schema's property names may be any string."""
    out = dict(field, name="f") if isinstance(field.get("name"), str) else dict(field)
    if isinstance(field.get("columns"), list):
        out["columns"] = [_slug_names(c) if isinstance(c, dict) else c for c in field["columns"]]
    return out


def _all_fields(fields):
    for at, field in fields:
        yield at, field
        yield from _all_fields([(at, c) for c in field.get("columns") or ()])


def _check_references(data, fields, report) -> None:
    by_name = {}
    for _, field in fields:
        by_name.setdefault(field["name"], field)
    input_names = {n for n, f in by_name.items() if f["type"] != "section"}
    checks.check_fields(fields, report, input_names, schema="schema" in data["form"])
    checks.check_steps(data["steps"], report, by_name)
    checks.check_retention(data, report)
    if "title" in data:
        checks.check_title(data["title"], report, input_names)
        checks.check_title_not_hidden(data["title"], data["steps"], report)


_METADATA_STR = ("fee", "phone")


def _build(data: dict, fields: list[dict]) -> ServiceDef:
    meta = {k: v for k, v in data.items() if k not in ("form", "steps", "ui_schema")}
    for key in _METADATA_STR:
        if key in meta:
            meta[key] = str(meta[key])
    for key in ("co_departments", "audience", "keywords"):
        if key in meta:
            meta[key] = tuple(meta[key])
    form = data["form"]
    schema = form.get("schema")
    title = form.get("title") or (schema or {}).get("title") or data["name"]
    compiled_form = Form(title=str(title), fields=tuple(Field.from_dict(f) for f in fields),
                         schema=_json(schema), ui_schema=_json(data.get("ui_schema")))
    steps = tuple(Step.from_dict(s) for s in data["steps"])
    return ServiceDef(form=compiled_form, steps=steps, **meta)


def _json(value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=False)


# ---------------------------------------------------------------- digest and export

def canonical_json(service_def: ServiceDef) -> str:
    return json.dumps(service_def.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(service_def: ServiceDef) -> str:
    """sha256 of the canonical JSON of the compiled definition."""
    return hashlib.sha256(canonical_json(service_def).encode("utf-8")).hexdigest()


_TOP_ORDER = ("format", "id", "number", "name", "category", "department", "co_departments",
              "audience", "fee", "time_limit", "hours", "place", "method", "phone", "conditions",
              "recommended", "keywords", "title", "print", "retention")
_FIELD_ORDER = ("name", "label", "type") + tuple(
    f.name for f in dataclasses.fields(Field) if f.name not in ("name", "label", "type", "extra"))
_ALWAYS = {"format", "id", "number", "name", "category", "department", "type", "by"}


def _plain(value):
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _without_defaults(obj, order) -> dict:
    defaults = {f.name: f.default if f.default is not dataclasses.MISSING else dataclasses.MISSING
                for f in dataclasses.fields(obj)}
    out = {}
    for key in order:
        value = getattr(obj, key)
        if key in _ALWAYS or defaults.get(key, dataclasses.MISSING) != value:
            out[key] = _plain(value)
    return out


def _field_dict(field: Field) -> dict:
    out = _without_defaults(field, _FIELD_ORDER)
    out.update(field.extra_dict)                 # keys a plugin's type (or reuse:) adds
    if field.columns:
        out["columns"] = [_field_dict(c) for c in field.columns]
    return out


def export_dict(service_def: ServiceDef) -> dict:
    """The definition as plain data in the ``fields:`` spelling, defaults left out."""
    out = _without_defaults(service_def, _TOP_ORDER)
    form = service_def.form
    if form.schema:                      # defined by a schema: it stays that schema, unchanged
        schema = form.json_schema
        out["form"] = {"schema": schema} if schema.get("title") == form.title else \
            {"title": form.title, "schema": schema}
        if form.ui_schema:
            out["ui_schema"] = json.loads(form.ui_schema)
    else:
        out["form"] = {"title": form.title, "fields": [_field_dict(f) for f in form.fields]}
    step_order = [f.name for f in dataclasses.fields(Step)]
    out["steps"] = [_step_dict(s, step_order) for s in service_def.steps]
    if "ui_schema" in out:               # after the steps, as a definition file has it
        out["ui_schema"] = out.pop("ui_schema")
    return out


_ASSIGNEE_ORDER = ("user", "role", "field", "of", "department")


def _assignee(spec):
    """One key order for an assignee, whatever order it was read in (stored JSON sorts keys)."""
    if not isinstance(spec, dict):
        return spec
    return {k: spec[k] for k in sorted(spec, key=lambda k: (_ASSIGNEE_ORDER + (k,)).index(k))}


def _step_dict(step: Step, order) -> dict:
    out = _without_defaults(step, order)
    out["by"] = _assignee(out["by"])
    if "cc" in out:
        out["cc"] = [_assignee(c) for c in out["cc"]]
    if out.get("escalate_to") is not None:
        out["escalate_to"] = _assignee(out["escalate_to"])
    return out


class _Dumper(yaml.SafeDumper):
    """Safe dumping, with multi-line text as readable ``|`` blocks."""


def _str(dumper, value):
    style = "|" if "\n" in value and value == value.strip() and " \n" not in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def to_yaml(service_def: ServiceDef) -> str:
    return yaml.dump(export_dict(service_def), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=1000)
