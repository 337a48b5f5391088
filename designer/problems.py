"""Definition problems in plain Chinese, at the control they belong to. No Flask.

``app.defs`` reports a problem as ``path:line:col: steps[2].when: invalid condition (col 5):
function calls are not allowed`` — right for IT and the 源码 tab, useless to a department
admin. ``explain(problem, definition)`` turns it into the definition path of the control
(``("steps", 2, "when")``), where that is in words (步骤“部门领导审批”的执行条件) and what is
wrong in Chinese (条件中不能调用函数). ``chinese(at, message, definition)`` is the bare
translation, for the builder to reuse.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from app.defs.metaschema import where
from designer.catalogue import CATALOGUE
from designer.labels import FIELD_LABELS, META_LABELS, STEP_LABELS, TYPE_LABELS

_Q = r"'(?P<{}>[^']*)'"
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _q(name):
    return _Q.format(name)


# Problems with a ``code`` are said from designer/catalogue.py; these patterns cover the rest
# (the meta-schema's, the regular expressions' and the loader's messages, which carry no code yet).
# (English pattern, Chinese template); {key} is the label of the control, {field}/{value}… groups
_MESSAGES = [
    (r"invalid condition \(col (?P<col>\d+)\): (?P<why>.*)", "条件的写法有误（{why}）"),   # coded ones: catalogue
    (r"the pattern is too long.*", "格式（正则表达式）太长了"),
    (r"invalid regular expression: .*", "格式（正则表达式）的写法有误"),
    (r"the pattern may backtrack catastrophically.*", "格式（正则表达式）含有嵌套的重复，校验时可能极慢，请简化"),
    (r"form needs a 'title'", "请填写表单标题"),
    (r"form needs either 'fields' or 'schema'.*", "表单需要字段"),
    (r"unknown key " + _q("value") + r".*", "不认识的设置项 {value}"),
    (r"key " + _q("value") + r" does not apply to a (?P<kind>\w+) field.*", "{kind_label}字段没有“{value_label}”这一项"),
    (r"a (?P<kind>\w+) field needs " + _q("value"), "{kind_label}字段需要填写“{value_label}”"),
    (r"missing required key " + _q("value"), "请填写“{value_label}”"),
    (r".* is not a duration.*", "预计时限的写法如 3天、2周、48小时、5个工作日（或 48h、14d、2w）"),
    (r".* is not a valid field name.*", "字段名须以小写字母开头，只含小写字母、数字、_ 或 -"),
    (r".* is not a valid name.*", "标识须以小写字母开头，只含小写字母、数字、_ 或 -"),
    (r".* is not a valid service id.*", "服务标识只能含小写字母、数字和 -"),
    (r".* is not a file extension like \.pdf", "扩展名要写成 .pdf 这样"),
    (r".* is not a field type.*", "没有这种字段类型"),
    (r".* cannot be a column type.*", "明细表的列不能是这种类型"),
    (r"an assignee is .*", "请选择办理人"),
    (r"format must be 1", "格式版本必须是 1"),
    (r"must not be empty", "{key}不能为空"),
    (r"needs at least (?P<n>\d+) items", "{key}至少要有 {n} 项"),
    (r"has duplicate items", "{key}中有重复的项"),
    (r"is too long \(at most (?P<n>\d+) characters\)", "{key}太长了（最多 {n} 个字）"),
    (r"must be at least (?P<n>\S+)", "{key}不能小于 {n}"),
    (r"must be at most (?P<n>\S+)", "{key}不能大于 {n}"),
    (r"expected .*, got .*", "{key}的填写方式不对"),
    (r".* is not one of: .*", "{key}不是可选的值之一"),
    (r".* does not match .*", "{key}的格式不对"),
]
_COMPILED = [(re.compile(p + r"$", re.S), t) for p, t in _MESSAGES]


@dataclass(frozen=True)
class Explained:
    at: tuple            # the definition path: ("steps", 2, "when"); () when unknown
    control: str         # the same as text: steps[2].when
    where: str           # in words: 步骤“部门领导审批”的执行条件
    message: str         # what is wrong, in Chinese
    detail: str          # the original message (for IT)
    line: int = 0

    def to_json(self) -> dict:
        return {"path": list(self.at), "control": self.control, "where": self.where,
                "message": self.message, "detail": self.detail, "line": self.line}

    def __str__(self) -> str:
        return f"{self.where}：{self.message}" if self.where else self.message


def key_label(at: tuple) -> str:
    """The label of the control at ``at`` (字段名, 执行条件, 预计时限 …)."""
    keys = [p for p in at if isinstance(p, str)]
    if not keys:
        return ""
    last = keys[-1]
    if at[:1] == ("steps",):
        if last in ("user", "role", "of", "department", "field"):
            return STEP_LABELS["cc" if "cc" in keys else "by"]
        return STEP_LABELS.get(last, last)
    if at == ("form", "title"):
        return "表单标题"
    if at == ("form", "fields"):
        return "表单字段"
    if at[:2] == ("form", "fields"):
        return FIELD_LABELS.get(last, last)
    return META_LABELS.get(last, last)


def describe(at: tuple, definition: dict | None) -> str:
    """Where ``at`` is, in words: 字段“附件”的必填 / 步骤“审批”的办理人 / 基本信息的预计时限."""
    definition = definition or {}
    if len(at) >= 3 and at[:2] == ("form", "fields") and isinstance(at[2], int):
        fields = (definition.get("form") or {}).get("fields") or []
        field = fields[at[2]] if at[2] < len(fields) else {}
        name = f"字段“{field.get('label') or field.get('name') or at[2] + 1}”"
        rest = at[3:]
        if len(rest) >= 2 and rest[0] == "columns" and isinstance(rest[1], int):
            columns = field.get("columns") or []
            column = columns[rest[1]] if rest[1] < len(columns) else {}
            name += f"的列“{column.get('label') or column.get('name') or rest[1] + 1}”"
            rest = rest[2:]
        return name + (f"的{FIELD_LABELS.get(rest[0], rest[0])}" if rest and isinstance(rest[0], str) else "")
    if len(at) >= 2 and at[0] == "steps" and isinstance(at[1], int):
        steps = definition.get("steps") or []
        step = steps[at[1]] if at[1] < len(steps) else {}
        name = f"步骤“{step.get('name') or step.get('id') or at[1] + 1}”"
        return name + (f"的{key_label(at)}" if len(at) > 2 else "")
    if at == ("form", "fields"):
        return "表单字段"
    if at:
        return key_label(at)
    return ""


def _labels(values: dict) -> dict:
    out = dict(values)
    for name in ("low", "high", "value", "kind"):
        if values.get(name) is not None:
            text = str(values[name])
            out[f"{name}_label"] = (TYPE_LABELS.get(text) if name == "kind" else None) \
                or FIELD_LABELS.get(text) or STEP_LABELS.get(text) or META_LABELS.get(text) or text
    return out


def chinese(at: tuple, message: str, definition: dict | None = None, code: str = "",
            params: dict | None = None) -> str:
    """The defs problem about the control at ``at`` in plain Chinese: from its ``code`` and
    ``params`` by the catalogue, else from the English ``message`` (without its
    ``steps[2].when:`` prefix) by the patterns."""
    at = tuple(at)
    if code in CATALOGUE:
        return CATALOGUE[code].format(**_labels(dict(params or {}, key=key_label(at) or "这一项")))
    prefix = f"{where(at)}: " if at else ""
    text = message[len(prefix):] if prefix and message.startswith(prefix) else message
    if _HAN.match(text):            # already said in Chinese (the designer's own checks)
        return text
    if at == ("form", "fields") and text == "must not be empty":
        return "表单还没有字段，请先添加第一个字段"
    for pattern, template in _COMPILED:
        m = pattern.match(text)
        if not m:
            continue
        groups = m.groupdict()
        return template.format(**_labels(dict(groups, key=key_label(at) or "这一项")))
    return f"填写有误（{text}）"


def explain(problem, definition: dict | None = None) -> Explained:
    at = tuple(getattr(problem, "at", ()) or ())
    return Explained(at=at, control=where(at), where=describe(at, definition),
                     message=chinese(at, problem.message, definition, getattr(problem, "code", ""),
                                     getattr(problem, "params", None)), detail=problem.message,
                     line=getattr(problem, "line", 0))


def explain_all(error, definition: dict | None = None) -> list[Explained]:
    """Every problem of a DefinitionError, explained."""
    return [explain(p, definition) for p in error.problems]
