"""The compiled, immutable form of a service definition.

A YAML file (either form spelling) is validated and compiled once into these objects;
a version row stores ``to_dict()`` as JSON and the runtime rebuilds them with
``ServiceDef.from_dict`` — it never re-parses YAML on a request.
"""
from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

STEP_ACTIONS = ("approve", "return", "terminate", "add_signer")
AUDIENCES = ("staff", "student", "external")
AUDIENCE_LABELS = {"staff": "教职工", "student": "学生", "external": "校外人员"}
PRINT_WHO = ("participants", "assignees", "applicant", "admins")   # service-level print: {who: …}


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    label: str = ""
    required: bool = False
    readonly: bool = False
    default: Any = None
    help: str = ""
    autofill: str | None = None
    visible_when: str | None = None      # condition source text
    required_when: str | None = None     # condition: required while it holds (and the field is shown)
    options: tuple[str, ...] = ()        # select / radio / checkboxes
    max_length: int | None = None        # text / textarea (counter: 最多可输入N个字)
    pattern: str | None = None           # text: a regular expression (checked safe at import)
    minimum: float | None = None         # number / money
    maximum: float | None = None
    unit: str | None = None              # money: 万元 | 元
    min_rows: int | None = None          # rows
    max_rows: int | None = None
    columns: tuple["Field", ...] = ()
    max_files: int | None = None         # file
    max_size: int | None = None          # file: bytes
    accept: tuple[str, ...] = ()         # file: extensions like ".pdf"
    text: str = ""                       # section: static text under the heading
    extra: tuple[tuple[str, str], ...] = ()   # keys a plugin's type adds: (key, JSON text), sorted

    @property
    def is_input(self) -> bool:
        from plugins.fields import FIELD_TYPES
        return FIELD_TYPES.get(self.type).is_input if self.type in FIELD_TYPES else True

    def get(self, key: str, default=None):
        """A key of the definition, whether built in (an attribute) or a plugin's own."""
        if key in _ATTRS:
            return getattr(self, key)
        for name, text in self.extra:
            if name == key:
                return json.loads(text)
        return default

    @property
    def extra_dict(self) -> dict:
        return {k: json.loads(v) for k, v in self.extra}

    @classmethod
    def from_dict(cls, d: dict) -> "Field":
        d = dict(d)
        extra = d.pop("extra", None) or {}
        extra = dict(extra) if isinstance(extra, dict) else {k: json.loads(v) for k, v in extra}
        extra.update({k: d.pop(k) for k in list(d) if k not in _ATTRS})
        d["extra"] = tuple(sorted((k, json.dumps(v, ensure_ascii=False, sort_keys=True))
                                  for k, v in extra.items()))
        d["options"] = tuple(d.get("options") or ())
        d["accept"] = tuple(d.get("accept") or ())
        d["columns"] = tuple(cls.from_dict(c) for c in d.get("columns") or ())
        return cls(**d)


_ATTRS = frozenset(f.name for f in dataclasses.fields(Field)) - {"extra"}


def _plain_extra(field: dict) -> None:
    """In plain data a field's plugin keys are a mapping, and absent when there are none."""
    extra = field.pop("extra", ())
    if extra:
        field["extra"] = {k: json.loads(v) for k, v in extra}
    for column in field.get("columns") or ():
        _plain_extra(column)


@dataclass(frozen=True)
class Form:
    title: str
    fields: tuple[Field, ...]
    schema: str | None = None            # a schema-defined form: its JSON Schema as written (JSON text)
    ui_schema: str | None = None         # …and its react-jsonschema-form uiSchema (JSON text)

    @property
    def json_schema(self) -> dict | None:
        return json.loads(self.schema) if self.schema else None

    def input_fields(self):
        return [f for f in self.fields if f.is_input]

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    @classmethod
    def from_dict(cls, d: dict) -> "Form":
        return cls(title=d["title"], fields=tuple(Field.from_dict(f) for f in d["fields"]),
                   schema=d.get("schema"), ui_schema=d.get("ui_schema"))


@dataclass(frozen=True)
class Step:
    id: str
    name: str
    by: Any                              # "applicant" | {"user": U} | {"role": R[, "of": "applicant" | "department": D]} | {"field": F}
    mode: str = "any"                    # any (或签) | all (会签)
    when: str | None = None              # condition source text; the step is skipped when false
    opinion: str = "optional"            # required | optional | none
    actions: tuple[str, ...] = ("approve", "return")
    return_to: tuple[str, ...] = ()      # earlier step ids a return may target; () = the applicant only
    edit: tuple[str, ...] | None = None  # None = default (only the applicant's first step edits)
    hidden: tuple[str, ...] = ()
    cc: tuple[Any, ...] = ()
    print: bool = True                   # false: nobody but admins prints/exports while at this step
    self_approval: str = "escalate"      # escalate | skip | allow: when the applicant would hold this step
    escalate_to: Any = None              # assignee spec; None = dept_admin holders of the service's department

    @classmethod
    def from_dict(cls, d: dict) -> "Step":
        d = dict(d)
        for key in ("actions", "return_to", "hidden", "cc"):
            if key in d and d[key] is not None:
                d[key] = tuple(d[key])
        if d.get("edit") is not None:
            d["edit"] = tuple(d["edit"])
        return cls(**d)


@dataclass(frozen=True)
class ServiceDef:
    id: str
    number: int
    name: str
    category: str
    department: str
    form: Form
    steps: tuple[Step, ...]
    format: int = 1
    co_departments: tuple[str, ...] = ()
    audience: tuple[str, ...] = ("staff", "student")
    fee: str = "0"
    time_limit: str | None = None        # Nh | Nd | Nw | N小时 | N天 | N周 | N个工作日
    hours: str = ""
    place: str = ""
    method: str = ""
    phone: str = ""
    conditions: str = ""
    recommended: bool = False
    keywords: tuple[str, ...] = ()
    title: str = "{service}_{applicant.name}"
    print: dict | None = None            # {who: participants|assignees|applicant|admins}; None = participants
    retention: dict | None = None        # {keep: 3y, after: completed, action: anonymize|delete}

    @property
    def print_who(self) -> str:
        return (self.print or {}).get("who", PRINT_WHO[0])

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def step_index(self, step_id: str) -> int:
        return next(i for i, s in enumerate(self.steps) if s.id == step_id)

    @property
    def time_limit_delta(self) -> timedelta | None:
        """None also for working days: use ``app.defs.timelimit.due_date``."""
        return parse_duration(self.time_limit)

    def to_dict(self) -> dict:
        """Plain data; ``print`` keys at their default are left out (digests stay stable)."""
        d = dataclasses.asdict(self)
        for f in d["form"]["fields"]:
            _plain_extra(f)
        for key in ("schema", "ui_schema"):
            if d["form"].get(key) is None:
                d["form"].pop(key, None)
        if d.get("print") is None:
            d.pop("print", None)
        if d.get("retention") is None:
            d.pop("retention", None)
        for step in d["steps"]:
            if step.get("print") is True:
                step.pop("print")
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "ServiceDef":
        d = dict(d)
        d["form"] = Form.from_dict(d["form"])
        d["steps"] = tuple(Step.from_dict(s) for s in d["steps"])
        for key in ("co_departments", "audience", "keywords"):
            d[key] = tuple(d.get(key) or ())
        return cls(**d)


def parse_duration(text: str | None) -> timedelta | None:
    """The time limit as a fixed length (None for working days: see ``timelimit.due_date``)."""
    from app.defs.timelimit import delta
    return delta(text)


def format_duration(text: str | None) -> str:
    """14d → 14天, 2w → 2周, 48h → 48小时 (for the guide's 预计时限)."""
    from app.defs.timelimit import format_limit
    return format_limit(text)


_KEEP = re.compile(r"^(\d{1,3})\s*(d|w|m|y|天|周|个月|月|年)$")
_KEEP_DAYS = {"d": 1, "天": 1, "w": 7, "周": 7, "m": 30, "个月": 30, "月": 30, "y": 365, "年": 365}


def keep_delta(text: str) -> timedelta:
    """A retention period: 180d, 6m, 3y (or 180天, 6个月, 3年); a month is 30 days, a year 365."""
    m = _KEEP.match(str(text).strip())
    if not m:
        raise ValueError(f"invalid retention period {text!r} (like 180d, 6m or 3y)")
    return timedelta(days=int(m.group(1)) * _KEEP_DAYS[m.group(2)])
