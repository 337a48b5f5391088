"""Definition problems in plain Chinese, at the control they belong to. No Flask.

``app.defs`` reports a problem as ``path:line:col: steps[2].when: invalid condition (col 5):
function calls are not allowed`` with a ``code`` and ``params`` — the English for IT and the
源码 tab, the code for us. ``explain(problem, definition)`` gives the definition path of the
control (``("steps", 2, "when")``), where that is in words (步骤“部门领导审批”的执行条件)
and what is wrong in Chinese, said from the code by ``designer/catalogue.py`` (条件中不能调用
函数). ``chinese(at, message, definition, code, params)`` is the bare translation.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass

from app.defs.metaschema import where
from designer.catalogue import AT_PATH, CATALOGUE, JSON_TYPES
from designer.labels import FIELD_LABELS, META_LABELS, STEP_LABELS, TYPE_LABELS

_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Explained:
    at: tuple            # the definition path: ("steps", 2, "when"); () when unknown
    control: str         # the same as text: steps[2].when
    where: str           # in words: 步骤“部门领导审批”的执行条件
    message: str         # what is wrong, in Chinese
    detail: str          # the original message (for IT)
    line: int = 0
    col: int = 0

    def to_json(self) -> dict:
        return {"path": list(self.at), "control": self.control, "where": self.where,
                "message": self.message, "detail": self.detail, "line": self.line}

    def __str__(self) -> str:
        return f"{self.where}：{self.message}" if self.where else self.message


def key_label(at: tuple) -> str:
    """The label of the control at ``at`` (字段名, 执行条件, 预计时限 …); "" when the key is
    not one of the format's (a misspelt key has no label)."""
    keys = [p for p in at if isinstance(p, str)]
    if not keys:
        return ""
    last = keys[-1]
    if at[:1] == ("steps",) and len(at) > 1:
        if last in ("user", "role", "of", "department", "field"):
            return STEP_LABELS["cc" if "cc" in keys else "by"]
        return STEP_LABELS.get(last, "")
    if at in (("form", "title"), ("form", "fields")):
        return {"title": "表单标题", "fields": "表单字段"}[at[1]]
    if at[:2] == ("form", "fields"):
        return FIELD_LABELS.get(last, "")
    return META_LABELS.get(last, "")


def describe(at: tuple, definition: dict | None) -> str:
    """Where ``at`` is, in words: 字段“附件”的必填 / 步骤“审批”的办理人 / 基本信息的预计时限."""
    definition = definition or {}
    if len(at) >= 3 and at[:2] == ("form", "fields") and isinstance(at[2], int):
        fields = (definition.get("form") or {}).get("fields") or []
        field = _item(fields, at[2])
        name = f"字段“{field.get('label') or field.get('name') or at[2] + 1}”"
        rest = at[3:]
        if len(rest) >= 2 and rest[0] == "columns" and isinstance(rest[1], int):
            column = _item(field.get("columns") or [], rest[1])
            name += f"的列“{column.get('label') or column.get('name') or rest[1] + 1}”"
            rest = rest[2:]
        label = FIELD_LABELS.get(rest[0]) if rest and isinstance(rest[0], str) else None
        return name + (f"的{label}" if label else "")
    if len(at) >= 2 and at[0] == "steps" and isinstance(at[1], int):
        step = _item(definition.get("steps") or [], at[1])
        name = f"步骤“{step.get('name') or step.get('id') or at[1] + 1}”"
        label = key_label(at) if len(at) > 2 else ""
        return name + (f"的{label}" if label else "")
    if at == ("form", "fields"):
        return "表单字段"
    if at[:1] == ("form",) and len(at) > 1:
        label = key_label(at) if at[1] != "title" else ""
        return "表单" + (f"的{label}" if label else "")
    return key_label(at) if at else ""


def _item(items, index) -> dict:
    item = items[index] if isinstance(items, list) and 0 <= index < len(items) else {}
    return item if isinstance(item, dict) else {}


def _word(text: str) -> str:
    """A key, a field type or a step key in Chinese (itself when it is none of those)."""
    return (TYPE_LABELS.get(text) or FIELD_LABELS.get(text) or STEP_LABELS.get(text)
            or META_LABELS.get(text) or text)


# codes whose ``value`` (and ``suggestion``) is a key of the format: labelled as the key beside ``at``
_KEY_CODES = {"key.unknown", "key.misspelt", "key.not_for_type", "key.missing", "key.missing_for_type",
              "yaml.duplicate_key"}


def _labels(values: dict, at: tuple = (), code: str = "") -> dict:
    out = dict(values)
    for name in ("low", "high", "value", "suggestion"):
        if values.get(name) is not None:
            beside = key_label(at[:-1] + (str(values[name]),)) if at and code in _KEY_CODES else ""
            out[f"{name}_label"] = beside or _word(str(values[name]))
    if values.get("kind") is not None:
        out["kind_label"] = TYPE_LABELS.get(str(values["kind"])) or str(values["kind"])
    for name in ("expected", "got", "item_type"):
        if values.get(name) is not None:
            kinds = values[name] if isinstance(values[name], list) else [values[name]]
            out[f"{name}_label"] = "或".join(JSON_TYPES.get(str(k), str(k)) for k in kinds)
    return out


class _Params(dict):
    def __missing__(self, name):        # a param a plugin's problem did not give: said plainly
        return "这一项"


def chinese(at: tuple, message: str, definition: dict | None = None, code: str = "",
            params: dict | None = None) -> str:
    """The problem about the control at ``at`` in plain Chinese, from its ``code`` and
    ``params`` by the catalogue. A problem without a code is one of the designer's own,
    already in Chinese; anything else is said plainly (its English stays in ``detail``)."""
    at = tuple(at)
    template = AT_PATH.get((code, at)) or CATALOGUE.get(code)
    if template is not None:
        values = _Params(_labels(dict(params or {}, key=key_label(at) or ("这一项" if at else "定义")), at, code))
        return string.Formatter().vformat(template, (), values)
    prefix = f"{where(at)}: " if at else ""
    text = message[len(prefix):] if prefix and message.startswith(prefix) else message
    if _HAN.match(text):            # already said in Chinese (the designer's own checks)
        return text
    return f"{key_label(at) or '这一项'}的填写有误"


def explain(problem, definition: dict | None = None) -> Explained:
    at = _control_of(problem)
    return Explained(at=at, control=where(at), where=describe(at, definition),
                     message=chinese(at, problem.message, definition, getattr(problem, "code", ""),
                                     getattr(problem, "params", None)), detail=problem.message,
                     line=getattr(problem, "line", 0), col=getattr(problem, "col", 0))


def _control_of(problem) -> tuple:
    """The path of the control to mark: a missing key's own control, not its owner's."""
    at = tuple(getattr(problem, "at", ()) or ())
    params = getattr(problem, "params", None) or {}
    if getattr(problem, "code", "") in ("key.missing", "key.missing_for_type") and params.get("value"):
        return at + (str(params["value"]),)
    return at


def explain_all(error, definition: dict | None = None) -> list[Explained]:
    """Every problem of a DefinitionError, explained."""
    return [explain(p, definition) for p in error.problems]
