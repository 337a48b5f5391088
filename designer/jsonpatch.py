"""JSON Patch (RFC 6902) over a definition: add, remove, replace, move, copy, test.

The builder sends small changes — ``{"op": "replace", "path": "/steps/2/name", "value": "…"}``,
``{"op": "move", "from": "/form/fields/3", "path": "/form/fields/0"}`` — instead of the whole
definition. ``apply(document, ops)`` returns the changed document (the input is not touched).
"""
from __future__ import annotations

import copy


class PatchError(ValueError):
    pass


def _tokens(pointer) -> list[str]:
    if not isinstance(pointer, str) or (pointer and not pointer.startswith("/")):
        raise PatchError(f"路径 {pointer!r} 不是 JSON Pointer（如 /form/fields/0/label）")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def _index(container: list, token: str, adding: bool) -> int:
    if adding and token == "-":
        return len(container)
    if not token.isdigit():
        raise PatchError(f"列表下标 {token!r} 无效")
    index = int(token)
    if index > len(container) or (index == len(container) and not adding):
        raise PatchError(f"列表下标 {index} 超出范围")
    return index


def _parent(document, tokens):
    node = document
    for token in tokens[:-1]:
        if isinstance(node, list):
            node = node[_index(node, token, False)]
        elif isinstance(node, dict) and token in node:
            node = node[token]
        else:
            raise PatchError(f"路径中的 {token!r} 不存在")
    return node


def _get(document, pointer):
    tokens = _tokens(pointer)
    if not tokens:
        return document
    parent, last = _parent(document, tokens), tokens[-1]
    if isinstance(parent, list):
        return parent[_index(parent, last, False)]
    if isinstance(parent, dict) and last in parent:
        return parent[last]
    raise PatchError(f"{pointer} 不存在")


def _add(document, pointer, value):
    tokens = _tokens(pointer)
    if not tokens:
        return value
    parent, last = _parent(document, tokens), tokens[-1]
    if isinstance(parent, list):
        parent.insert(_index(parent, last, True), value)
    elif isinstance(parent, dict):
        parent[last] = value
    else:
        raise PatchError(f"不能在 {pointer} 添加")
    return document


def _remove(document, pointer):
    tokens = _tokens(pointer)
    if not tokens:
        raise PatchError("不能删除整个定义")
    parent, last = _parent(document, tokens), tokens[-1]
    if isinstance(parent, list):
        return parent.pop(_index(parent, last, False))
    if isinstance(parent, dict) and last in parent:
        return parent.pop(last)
    raise PatchError(f"{pointer} 不存在")


def apply(document, ops):
    if not isinstance(ops, list):
        raise PatchError("patch 必须是操作的列表")
    document = copy.deepcopy(document)
    for op in ops:
        if not isinstance(op, dict) or "path" not in op:
            raise PatchError("每个操作需要 op 和 path")
        kind, path = op.get("op"), op["path"]
        if kind in ("add", "replace", "test") and "value" not in op:
            raise PatchError(f"{kind} 需要 value")
        if kind == "add":
            document = _add(document, path, copy.deepcopy(op["value"]))
        elif kind == "remove":
            _remove(document, path)
        elif kind == "replace":
            _get(document, path)
            _remove(document, path)
            document = _add(document, path, copy.deepcopy(op["value"]))
        elif kind in ("move", "copy"):
            value = copy.deepcopy(_get(document, op.get("from")))
            if kind == "move":
                _remove(document, op["from"])
            document = _add(document, path, value)
        elif kind == "test":
            if _get(document, path) != op["value"]:
                raise PatchError(f"{path} 的值与 test 不符")
        else:
            raise PatchError(f"不支持的操作 {kind!r}")
    return document
