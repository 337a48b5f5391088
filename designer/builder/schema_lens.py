"""The builder's view of a schema-defined form: a JSON Schema ⇄ builder-fields projection.

``project`` lists the properties as the builder's field cards (groups with their children);
``apply`` makes one edit (change, add, remove, move) on a copy of the schema as written,
touching only the keys the edit concerns, so the rest stays byte-for-byte equal and key order
is kept (``flask defs export --schema`` gives the edited schema). Constructs the builder does
not edit — conditions, object alternatives, tuples, ``$ref`` s, lists, rows — are projected
as read-only blocks (在源码中修改).
"""
from __future__ import annotations

import copy

from designer import identifiers

SOURCE_NOTE = "在源码中修改"
ADDABLE = {"text": "单行文本", "number": "数字", "date": "日期", "choice": "单选", "boolean": "是/否"}
_CONDITIONS = (("if", "条件（if/then/else）"), ("dependentSchemas", "条件（dependentSchemas）"),
               ("dependencies", "依赖（dependencies）"), ("dependentRequired", "依赖必填（dependentRequired）"),
               ("allOf", "组合（allOf）"), ("oneOf", "多选一（oneOf）"), ("anyOf", "多选一（anyOf）"))


class LensError(ValueError):
    """An edit the builder cannot make; the message is for the admin (Chinese)."""


# ---------------------------------------------------------------- schema → fields

def project(schema: dict) -> list[dict]:
    """The builder's cards for the root object's properties (and its read-only blocks)."""
    return _object(schema, [])


def _object(node: dict, path: list) -> list[dict]:
    props = node.get("properties") if isinstance(node.get("properties"), dict) else {}
    required = set(_names(node.get("required")))
    cards = [_card(name, prop, path + [name], name in required) for name, prop in props.items()]
    for key, label in _CONDITIONS:
        if key in node:
            cards.append({"path": path + [key], "name": key, "label": label, "kind": "readonly",
                          "editable": False, "note": SOURCE_NOTE, "block": True})
    return cards


def _card(name: str, prop, path: list, required: bool) -> dict:
    prop = prop if isinstance(prop, dict) else {}
    kind, note = kind_of(prop)
    card = {"path": path, "name": name, "label": prop.get("title") or name, "help": prop.get("description") or "",
            "required": required, "kind": kind, "editable": note is None, "note": note}
    if kind == "text":
        card.update(min_length=prop.get("minLength"), max_length=prop.get("maxLength"))
    if kind == "choice":
        card["options"] = _options(prop)
    if kind == "group":
        card["children"] = _object(prop, path)
    return card


def kind_of(prop: dict) -> tuple[str, str | None]:
    """(kind, None) for what the builder edits; ("readonly", note) for what it shows only."""
    if "$ref" in prop:
        return "readonly", f"引用的定义（$ref），{SOURCE_NOTE}"
    kind = prop.get("type")
    kind = next((k for k in kind if k != "null"), None) if isinstance(kind, list) else kind
    if "enum" in prop or _consts(prop) is not None:
        return "choice", None
    if kind == "object" or (kind is None and "properties" in prop):
        return "group", None
    if kind == "array":
        return "readonly", f"列表或表格，{SOURCE_NOTE}"
    if any(k in prop for k in ("oneOf", "anyOf", "allOf", "if")):
        return "readonly", f"多种填写方式，{SOURCE_NOTE}"
    if kind == "string":
        return ("date" if prop.get("format") == "date" else "text"), None
    if kind in ("number", "integer"):
        return "number", None
    if kind == "boolean":
        return "boolean", None
    return "readonly", SOURCE_NOTE


def _consts(prop: dict):
    for key in ("oneOf", "anyOf"):
        alts = prop.get(key)
        if isinstance(alts, list) and alts and all(isinstance(a, dict) and "const" in a for a in alts):
            return key
    return None


def _options(prop: dict) -> list[list]:
    key = _consts(prop)
    if key:
        return [[a["const"], a.get("title") or _text(a["const"])] for a in prop[key]]
    names = prop.get("enumNames") if isinstance(prop.get("enumNames"), list) else []
    values = prop.get("enum") if isinstance(prop.get("enum"), list) else []
    return [[v, names[i] if i < len(names) else _text(v)] for i, v in enumerate(values)]


def _text(value) -> str:
    return "" if value is None else str(value)


def _names(value) -> list:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


# ---------------------------------------------------------------- edits

def apply(schema: dict, op: dict) -> dict:
    """A copy of ``schema`` with the one edit ``op`` made → raises LensError when it cannot be."""
    if not isinstance(op, dict):
        raise LensError("缺少修改内容")
    schema = copy.deepcopy(schema)
    action = op.get("op")
    if action == "update":
        _update(schema, _path(op.get("path")), op.get("set") or {})
    elif action == "add":
        _add(schema, _path(op.get("parent"), empty=True), op.get("field") or {}, op.get("index"))
    elif action == "remove":
        _remove(schema, _path(op.get("path")))
    elif action == "move":
        _move(schema, _path(op.get("path")), op.get("to"))
    else:
        raise LensError("不支持的修改")
    return schema


def _path(value, empty=False) -> list:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or (not value and not empty):
        raise LensError("没有找到要修改的字段")
    return value


def _object_at(schema: dict, path: list) -> dict:
    node = schema
    for name in path:
        props = node.get("properties")
        node = props.get(name) if isinstance(props, dict) else None
        if not isinstance(node, dict):
            raise LensError("没有找到要修改的字段")
        if kind_of(node)[0] != "group":
            raise LensError(f"「{node.get('title') or name}」不是分组，{SOURCE_NOTE}")
    return node


def _parent_and_prop(schema: dict, path: list) -> tuple[dict, dict]:
    parent = _object_at(schema, path[:-1])
    prop = (parent.get("properties") or {}).get(path[-1])
    if not isinstance(prop, dict):
        raise LensError("没有找到要修改的字段")
    return parent, prop


def _update(schema: dict, path: list, changes: dict) -> None:
    parent, prop = _parent_and_prop(schema, path)
    kind, note = kind_of(prop)
    if note and set(changes) - {"label", "help", "required"}:
        raise LensError(f"「{prop.get('title') or path[-1]}」{note}")
    if "label" in changes:
        label = str(changes["label"] or "").strip()
        if not label:
            raise LensError("请填写字段标题")
        prop["title"] = label
    if "help" in changes:
        _set(prop, "description", str(changes["help"] or "").strip() or None)
    if "required" in changes:
        _required(parent, path[-1], bool(changes["required"]))
    if "min_length" in changes or "max_length" in changes:
        if kind != "text":
            raise LensError("只有文本字段可以设置字数")
        low, high = (_count(changes.get(k, prop.get(s))) for k, s in (("min_length", "minLength"),
                                                                      ("max_length", "maxLength")))
        if low is not None and high is not None and low > high:
            raise LensError("最少字数不能大于最多字数")
        if "min_length" in changes:
            _set(prop, "minLength", low)
        if "max_length" in changes:
            _set(prop, "maxLength", high)
    if "options" in changes:
        if kind != "choice":
            raise LensError("只有选择字段可以设置选项")
        _set_options(schema, prop, changes["options"])


def _set(node: dict, key: str, value) -> None:
    """Change one key in place (order kept), add it at the end, or drop it (None)."""
    if value is None:
        node.pop(key, None)
    else:
        node[key] = value


def _count(value):
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise LensError("字数须为整数") from None
    if number < 0 or str(number) != str(value).strip():
        raise LensError("字数须为不小于 0 的整数")
    return number


def _required(parent: dict, name: str, on: bool) -> None:
    names = parent.get("required") if isinstance(parent.get("required"), list) else None
    if on and (names is None or name not in names):
        if names is None:
            parent["required"] = [name]
        else:
            names.append(name)
    elif not on and names is not None and name in names:
        names.remove(name)
        if not names:               # draft 4 refuses an empty list
            del parent["required"]


def _set_options(schema: dict, prop: dict, options) -> None:
    if not isinstance(options, list) or not options:
        raise LensError("请至少填写一个选项")
    pairs = []
    for o in options:
        value, label = (o[0], o[1]) if isinstance(o, list) and len(o) == 2 else (o, o)
        if isinstance(value, str):
            value = value.strip()
        if value in ("", None) or not isinstance(value, (str, int, float, bool)):
            raise LensError("选项不能为空")
        pairs.append((value, str(label or value).strip()))
    if len({repr(v) for v, _ in pairs}) != len(pairs):
        raise LensError("选项不能重复")
    key = _consts(prop)
    if key:
        old = {repr(a["const"]): a for a in prop[key]}
        prop[key] = [_const(old.get(repr(v)), v, t) for v, t in pairs]
        return
    plain = all(_text(v) == t for v, t in pairs)
    if _draft4(schema) or "enumNames" in prop or plain:
        prop["enum"] = [v for v, _ in pairs]
        if "enumNames" in prop or not plain:
            prop["enumNames"] = [t for _, t in pairs]
        return
    prop.pop("enum", None)
    prop["oneOf"] = [{"const": v, "title": t} for v, t in pairs]


def _const(old, value, title) -> dict:
    if old is None:
        return {"const": value, "title": title}
    old = dict(old)
    old["title"] = title
    return old


def _draft4(schema: dict) -> bool:
    return "draft-04" in str(schema.get("$schema") or "")


def _new_prop(schema: dict, field: dict) -> dict:
    kind, label = field.get("kind") or field.get("type"), str(field.get("label") or "").strip()
    if kind not in ADDABLE:
        raise LensError("不支持添加这种字段")
    if not label:
        raise LensError("请填写字段标题")
    if kind == "choice":
        prop = {"type": "string", "title": label}
        _set_options(schema, prop, field.get("options") or ["选项一", "选项二"])
        return prop
    return {"text": {"type": "string", "title": label}, "number": {"type": "number", "title": label},
            "date": {"type": "string", "format": "date", "title": label},
            "boolean": {"type": "boolean", "title": label}}[kind]


def _add(schema: dict, parent_path: list, field: dict, index=None) -> None:
    parent = _object_at(schema, parent_path)
    prop = _new_prop(schema, field)
    props = parent.get("properties")
    if not isinstance(props, dict):
        props = parent["properties"] = {}
    name = str(field.get("name") or "").strip() or identifiers.unique(
        identifiers.slug(prop["title"], "_", "field"), set(props), "_")
    if name in props:
        raise LensError(f"已有名为“{name}”的字段")
    items = list(props.items())
    at = len(items) if not isinstance(index, int) or not 0 <= index <= len(items) else index
    items.insert(at, (name, prop))
    parent["properties"] = dict(items)
    if field.get("required"):
        _required(parent, name, True)


def _remove(schema: dict, path: list) -> None:
    parent, prop = _parent_and_prop(schema, path)
    name = path[-1]
    for key, label in _CONDITIONS:
        if key in parent and _mentions(parent[key], name):
            raise LensError(f"「{prop.get('title') or name}」被{label}用到，{SOURCE_NOTE}")
    del parent["properties"][name]
    _required(parent, name, False)


def _mentions(node, name: str) -> bool:
    if isinstance(node, dict):
        return name in node or any(_mentions(v, name) for v in node.values())
    if isinstance(node, list):
        return name in node or any(_mentions(v, name) for v in node)
    return False


def _move(schema: dict, path: list, to) -> None:
    parent, _ = _parent_and_prop(schema, path)
    items = list(parent["properties"].items())
    if not isinstance(to, int) or isinstance(to, bool) or not 0 <= to < len(items):
        raise LensError("无法移到这个位置")
    here = next(i for i, (n, _) in enumerate(items) if n == path[-1])
    items.insert(to, items.pop(here))
    parent["properties"] = dict(items)
