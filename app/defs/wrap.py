"""A bare JSON Schema (as other tools wrote it) wrapped into a draft service definition.

The schema goes under ``form: {schema: …}`` unchanged; the definition gets the two steps
every service starts from: the applicant fills the form, the applicant's department
leader approves (``flask defs new --from-schema``, the designer's 导入 of a ``.json``).
"""
from __future__ import annotations

import json
import re
import zlib

import yaml


def is_bare_schema(data) -> bool:
    """A JSON Schema rather than a OneHall definition (which has ``format`` and ``form``)."""
    return isinstance(data, dict) and "form" not in data and "format" not in data and (
        "properties" in data or "$schema" in data or data.get("type") == "object")


def slug_for(*candidates) -> str:
    for text in candidates:
        slug = re.sub(r"[^a-z0-9]+", "-", str(text or "").lower()).strip("-")
        if slug and slug[0].isalpha():
            return slug[:60]
    return "schema-form"


def wrap(schema: dict, *, name: str, department: str, slug: str | None = None,
         number: int | None = None, ui_schema: dict | None = None, category: str = "综合服务") -> dict:
    slug = slug or slug_for(schema.get("$id", "").rsplit("/", 1)[-1].split(".")[0], schema.get("title"), name)
    definition = {
        "format": 1, "id": slug,
        "number": number if number is not None else 10000 + zlib.crc32(slug.encode()) % 80000,
        "name": name, "category": category, "department": department,
        "form": {"schema": schema},
        "steps": [
            {"id": "fill", "name": "填写申请", "by": "applicant"},
            {"id": "leader", "name": "所在单位领导审批", "by": {"role": "dept_leader", "of": "applicant"},
             "opinion": "optional", "actions": ["approve", "return"]},
        ],
    }
    if ui_schema:
        definition["ui_schema"] = ui_schema
    return definition


def wrap_text(schema: dict, **kwargs) -> str:
    """The wrapped definition as YAML; the schema itself is written as JSON (flow style),
    so what was pasted reads back exactly."""
    definition = wrap(schema, **kwargs)
    return yaml.safe_dump(definition, allow_unicode=True, sort_keys=False, width=1000)


def load_bare(data: bytes | str):
    """The JSON document in ``data``, or None when it is not JSON."""
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None
