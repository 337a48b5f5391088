"""Load YAML (or JSON) text safely into plain data, remembering where every value came from.

The text is first scanned as a stream of events (iterative, so hostile nesting cannot
exhaust the stack) to refuse aliases, unknown tags, deep nesting and node floods; then
``yaml.compose`` with the SafeLoader builds the node tree that we turn into dicts, lists
and scalars ourselves, recording 1-based (line, col) for every path.
"""
from __future__ import annotations

import math

import yaml

from app.defs.exceptions import DefinitionError, Problem

MAX_BYTES = 256 * 1024
MAX_DEPTH = 30
MAX_NODES = 20_000

_CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map")}


class Positions:
    """(line, col) of values and mapping keys, keyed by path tuples like ('steps', 0, 'by')."""

    def __init__(self):
        self.values: dict[tuple, tuple[int, int]] = {}
        self.keys: dict[tuple, tuple[int, int]] = {}

    def value(self, path) -> tuple[int, int]:
        """Where the value at ``path`` starts; falls back to the nearest recorded ancestor."""
        path = tuple(path)
        while path and path not in self.values:
            path = path[:-1]
        return self.values.get(path, (1, 1))

    def key(self, path) -> tuple[int, int]:
        """Where the mapping key naming ``path`` starts (else where its value starts)."""
        path = tuple(path)
        return self.keys.get(path) or self.value(path)


def _mark(node_or_event) -> tuple[int, int]:
    mark = node_or_event.start_mark
    return mark.line + 1, mark.column + 1


class _Loader:
    def __init__(self, text: str, path: str):
        self.text = text
        self.path = path
        self.positions = Positions()
        self.problems: list[Problem] = []
        self._scalars = yaml.SafeLoader("")

    def fail(self, where, message, code, at=(), **params):
        line, col = where
        raise DefinitionError([Problem(self.path, line, col, message, at, code, params)])

    def scan(self) -> None:
        depth = nodes = 0
        for event in yaml.parse(self.text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                self.fail(_mark(event), "YAML aliases (&/*) are not allowed", "yaml.alias")
            tag = getattr(event, "tag", None)
            if tag is not None and tag not in ALLOWED_TAGS:
                shown = "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag
                self.fail(_mark(event), f"YAML tag {shown!r} is not allowed (only plain YAML values)",
                          "yaml.tag", value=shown)
            if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                nodes += 1
                if nodes > MAX_NODES:
                    self.fail(_mark(event), f"too many values (more than {MAX_NODES})", "yaml.too_many_values",
                              n=MAX_NODES)
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    self.fail(_mark(event), f"nesting is too deep (more than {MAX_DEPTH} levels)", "yaml.too_deep",
                              n=MAX_DEPTH)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1

    def build(self, node, path: tuple):
        self.positions.values[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node, path):
        result = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(_mark(key_node), "a mapping key must be a plain string", "yaml.key_not_text")
            key = key_node.value
            if key in result:
                self.fail(_mark(key_node), f"duplicate key {key!r}", "yaml.duplicate_key", path + (key,), value=key)
            self.positions.keys[path + (key,)] = _mark(key_node)
            result[key] = self.build(value_node, path + (key,))
        return result

    def _scalar(self, node):
        tag = node.tag
        if tag not in ALLOWED_TAGS or tag == _CORE + "str":
            return node.value           # timestamps, '=' and the like stay strings
        if tag == _CORE + "null":
            return None
        try:
            value = self._scalars.construct_object(node)
        except (ValueError, yaml.YAMLError) as exc:
            self.fail(_mark(node), f"invalid value {node.value[:40]!r}: {exc}", "yaml.bad_value", value=node.value[:40])
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(_mark(node), "infinite or NaN numbers are not allowed", "yaml.not_finite")
        return value


def _yaml_problem(path: str, text: str, exc: yaml.YAMLError) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return Problem(path, line, col, f"YAML error: unacceptable character #x{exc.character:04x}",
                       code="yaml.bad_character", params={"char": f"#x{exc.character:04x}"})
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    code = "yaml.invalid"
    if isinstance(exc, yaml.MarkedYAMLError):
        parts = [p for p in (exc.context, exc.problem) if p]
        message = "YAML syntax error: " + (", ".join(parts) or "invalid YAML")
        code = "yaml.syntax"
        if "expected <block end>" in message or "mapping values are not allowed" in message:
            message += " (check the indentation)"
            code = "yaml.indentation"
    else:
        message = "YAML error: " + (str(exc).splitlines() or ["invalid YAML"])[0]
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return Problem(path, line, col, message, code=code, params={"line": line})


def too_large(path: str, size: int) -> Problem:
    return Problem(path, 1, 1, f"file is too large ({size} bytes; the limit is {MAX_BYTES})",
                   code="file.too_large", params={"size_kb": -(-size // 1024), "limit_kb": MAX_BYTES // 1024})


def decode(data: bytes | str, path: str) -> str:
    """Bytes → text, refusing oversized or non-UTF-8 input."""
    size = len(data.encode("utf-8", "surrogatepass")) if isinstance(data, str) else len(data)
    if size > MAX_BYTES:
        raise DefinitionError([too_large(path, size)])
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DefinitionError([Problem(path, 1, 1, f"file is not UTF-8 text (byte {exc.start})",
                                       code="file.not_utf8", params={"byte": exc.start})]) from None


def load(text: str | bytes, path: str = "<string>"):
    """Return ``(data, positions)``; raise DefinitionError for anything hostile or broken."""
    text = decode(text, path)
    loader = _Loader(text, path)
    try:
        loader.scan()
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise DefinitionError([_yaml_problem(path, text, exc)]) from None
    except RecursionError:
        raise DefinitionError([Problem(path, 1, 1, "nesting is too deep", code="yaml.too_deep",
                                       params={"n": MAX_DEPTH})]) from None
    if root is None:
        raise DefinitionError([Problem(path, 1, 1, "the definition is empty", code="yaml.empty")])
    return loader.build(root, ()), loader.positions
