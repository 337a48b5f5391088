"""Submitted data of a schema-defined form, judged by that schema as written.

The one validator is ``jsonschema``'s for the schema's draft (format checking on, RE2
patterns: ``app.defs.schemadraft``); OneHall adds only its own rules — hidden fields are
not stored, references (users, departments, attachments) must exist. Each error is keyed
by its JSON path (``contact.phone``, ``items.0.qty``) and says, in Chinese, which field by
its title and where: ``联系电话（/contact/phone）：格式不正确``.
"""
from __future__ import annotations

from app.defs import schemadraft

_FORMATS = {"date": "请输入有效的日期 (YYYY-MM-DD)", "date-time": "请输入有效的日期和时间",
            "time": "请输入有效的时间 (HH:MM)", "email": "请输入有效的电子邮箱地址",
            "idn-email": "请输入有效的电子邮箱地址", "uri": "请输入有效的网址（如 https://…）",
            "ipv4": "请输入有效的 IPv4 地址", "ipv6": "请输入有效的 IPv6 地址",
            "uuid": "请输入有效的 UUID", "hostname": "请输入有效的主机名"}
_TYPES = {"string": "文字", "number": "数字", "integer": "整数", "boolean": "是/否", "object": "一组内容",
          "array": "列表", "null": "空值"}


def _num(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _type_message(e):
    expected = e.validator_value if isinstance(e.validator_value, list) else [e.validator_value]
    if expected == ["integer"] or set(expected) == {"integer", "null"}:
        return "请输入整数"
    if {"number", "integer"} & set(expected) and not {"string"} & set(expected):
        return "请输入数字"
    return "应为" + "或".join(_TYPES.get(t, str(t)) for t in expected)


MESSAGES = {
    "minLength": lambda e: "此项为必填项" if e.validator_value <= 1 else f"至少输入{e.validator_value}个字",
    "maxLength": lambda e: f"最多可输入{e.validator_value}个字",
    "enum": lambda e: "请选择有效的选项",
    "const": lambda e: "请勾选同意" if e.validator_value is True else "请输入有效的值",
    "type": _type_message,
    "format": lambda e: _FORMATS.get(e.validator_value, "格式不正确"),
    "pattern": lambda e: "格式不正确",
    "multipleOf": lambda e: f"必须是{_num(e.validator_value)}的倍数",
    "minimum": lambda e: f"不能小于{_num(e.validator_value)}",
    "maximum": lambda e: f"不能大于{_num(e.validator_value)}",
    "exclusiveMinimum": lambda e: (f"必须大于{_num(e.validator_value)}" if not isinstance(e.validator_value, bool)
                                   else f"必须大于{_num(e.schema.get('minimum'))}"),
    "exclusiveMaximum": lambda e: (f"必须小于{_num(e.validator_value)}" if not isinstance(e.validator_value, bool)
                                   else f"必须小于{_num(e.schema.get('maximum'))}"),
    "minItems": lambda e: f"至少需要{e.validator_value}项",
    "maxItems": lambda e: f"最多{e.validator_value}项",
    "uniqueItems": lambda e: "不能重复",
    "minProperties": lambda e: f"至少填写{e.validator_value}项",
    "maxProperties": lambda e: f"最多填写{e.validator_value}项",
    "oneOf": lambda e: "请选择有效的选项" if _all_const(e.validator_value) else "不符合任何一种填写方式（或同时符合多种）",
    "anyOf": lambda e: "请选择有效的选项" if _all_const(e.validator_value) else "不符合任何一种填写方式",
    "contains": lambda e: "缺少必需的项",
    "false": lambda e: "不允许填写此项",
}
REQUIRED = "此项为必填项"
_COMPLETENESS = ("required", "minItems", "dependentRequired", "minProperties")


def _all_const(branches) -> bool:
    return isinstance(branches, list) and all(isinstance(b, dict) and "const" in b for b in branches)


class Errors:
    """{"a.b.0.c": [messages]}; messages carry the field's title and JSON pointer."""

    def __init__(self, schema, drafts=False):
        self.schema, self.drafts, self.fields = schema, drafts, {}

    def __contains__(self, key):
        return key in self.fields

    def put(self, key: str, message: str) -> None:
        messages = self.fields.setdefault(key, [])
        if message not in messages:
            messages.append(message)

    def at(self, path, message) -> None:
        self.put(".".join(str(p) for p in path) or "data", f"{title_at(self.schema, path)}"
                 f"（{pointer(path)}）：{message}")

    def add(self, error) -> None:
        if self.drafts and (error.validator in _COMPLETENESS or (
                error.validator == "minLength" and error.validator_value <= 1) or (
                error.validator == "const" and error.validator_value is True)):
            return
        path = list(error.absolute_path)
        if error.validator == "required":
            for name in error.validator_value:
                if isinstance(error.instance, dict) and name not in error.instance:
                    self.at(path + [name], REQUIRED)
        elif error.validator in ("dependentRequired", "dependencies") and isinstance(error.instance, dict):
            for name, names in (error.validator_value or {}).items():
                if name in error.instance and isinstance(names, list):
                    for other in names:
                        if other not in error.instance:
                            self.at(path + [other], f"{REQUIRED}（填写了「{title_at(self.schema, path + [name])}」时）")
            if error.validator == "dependencies" and error.context:
                for sub in error.context:
                    self.add(sub)
        elif error.validator in ("additionalProperties", "unevaluatedProperties") and isinstance(error.instance, dict):
            known = error.schema.get("properties", {})
            for name in (k for k in error.instance if k not in known):
                self.put(".".join(str(p) for p in path + [name]), f"未知字段 {name}（{pointer(path + [name])}）")
        elif error.validator in ("allOf", "if", "then", "else", "dependentSchemas") and error.context:
            for sub in error.context:
                self.add(sub)
        else:
            message = MESSAGES.get(error.validator, lambda e: "格式不正确")
            self.at(path, message(error))

    def as_dict(self):
        return dict(self.fields)


def pointer(path) -> str:
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path) if path else "/"


def title_at(schema, path) -> str:
    """The title of the schema a data path lands in (else the property name, else 表单)."""
    node, name = schema, None
    for part in path:
        node, name = _step(node, part), part
    if isinstance(node, dict) and isinstance(node.get("title"), str) and node["title"]:
        return node["title"]
    if isinstance(name, int):
        return f"第{name + 1}项"
    return str(name) if name is not None else "表单"


def _step(node, part):
    if not isinstance(node, dict):
        return {}
    if isinstance(part, int):
        prefix = node.get("prefixItems")
        items = prefix if isinstance(prefix, list) else node.get("items")
        if isinstance(items, list):
            return items[part] if part < len(items) else {}
        return items if isinstance(items, dict) else {}
    for source in [node] + _branches(node):
        props = source.get("properties") if isinstance(source, dict) else None
        if isinstance(props, dict) and isinstance(props.get(part), dict):
            return props[part]
    return {}


def _branches(node):
    out = []
    for key in ("allOf", "oneOf", "anyOf"):
        out.extend(b for b in node.get(key) or [] if isinstance(b, dict))
    for key in ("then", "else"):
        if isinstance(node.get(key), dict):
            out.append(node[key])
    for key in ("dependentSchemas", "dependencies"):
        out.extend(b for b in (node.get(key) or {}).values() if isinstance(b, dict))
    return out


def validate(form_def, data: dict, hidden: set, drafts: bool) -> tuple[dict, Errors]:
    """(data without hidden fields, errors) — references are checked by the caller."""
    clean = {k: v for k, v in data.items() if k not in hidden}
    for field in form_def.fields:
        if field.columns and field.type == "group" and isinstance(clean.get(field.name), dict):
            clean[field.name] = _shown(field, clean[field.name])
    schema = schemadraft.resolved_text(form_def.schema)
    errors = Errors(schema, drafts=drafts)
    for error in schemadraft.validator_for_text(form_def.schema).iter_errors(clean):
        errors.add(error)
    return clean, errors


def _shown(group, value: dict) -> dict:
    """A group's object without the properties its own if/then/else (or dependencies) does
    not bring for this object (``x_shown_when``, judged on the group's data) — at any depth."""
    from app.defs.expr import ExprError, parse
    out = dict(value)
    for column in group.columns:
        condition = column.get("x_shown_when")
        if condition and column.name in out:
            try:
                shown = parse(condition).test({"form": value, "applicant": {}})
            except ExprError:
                shown = False
            if not shown:
                del out[column.name]
                continue
        if column.columns and column.type == "group" and isinstance(out.get(column.name), dict):
            out[column.name] = _shown(column, out[column.name])
    return out
