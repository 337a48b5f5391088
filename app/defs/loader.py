"""Load YAML (or JSON) text safely into plain data, remembering where every value came from.

The text is first parsed into a stream of events (iterative, so hostile nesting cannot
exhaust the stack) to refuse aliases, unknown tags, deep nesting and node floods; then
PyYAML's composer builds the node tree from those same events (the text is parsed once),
and we turn the nodes into dicts, lists and scalars ourselves, recording 1-based (line, col)
for every path.

libyaml parses the events when PyYAML has it (``CParser``: some fifteen times faster than
the pure-Python parser). The pure-Python ``SafeLoader`` stays the reference, and reads the
text again whenever libyaml's answer could differ from its own:

- libyaml refused the text, or one of our checks did: the Python loader's messages and
  positions are the ones users and the catalogue know;
- a tab, an ASCII ``?`` or a byte-order mark anywhere (libyaml accepts tabs, and ``?``
  inside a flow collection's plain value, where Python does not; it skips a BOM that
  Python keeps as text);
- an empty value (libyaml places it at the next token; Python right after its ``:``/``-``,
  where the user left it empty);
- a block scalar header not followed by a space (libyaml accepts ``|#``).

So what a user is told never depends on how PyYAML was built;
``tests/defs/test_loader_agreement.py`` holds the two to the same answer on the shipped
definitions, the templates and generated texts.
"""
from __future__ import annotations

import math
import re

import yaml

from app.defs.exceptions import DefinitionError, Problem

MAX_BYTES = 256 * 1024
MAX_DEPTH = 30
MAX_NODES = 20_000

_CORE = "tag:yaml.org,2002:"
FAST_PARSER = getattr(yaml, "CSafeLoader", None)      # None when PyYAML was built without libyaml
_READ_BY_PYTHON = re.compile("[\t?\ufeff]")
_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*(?:[ \r\n\x85\u2028\u2029]|$)")
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


class _ReadAgain(Exception):
    """libyaml's answer for this text might differ from the Python loader's: ask that one."""


class _Replay(yaml.composer.Composer, yaml.resolver.Resolver):
    """PyYAML's composer and resolver fed with events already parsed (and checked) by scan."""

    def __init__(self, events: list):
        self.events, self.at = events, 0
        yaml.composer.Composer.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    def check_event(self, *choices):
        if self.at >= len(self.events):
            return False
        return not choices or isinstance(self.events[self.at], choices)

    def peek_event(self):
        return self.events[self.at]

    def get_event(self):
        self.at += 1
        return self.events[self.at - 1]


class _Loader:
    def __init__(self, text: str, path: str, parser=yaml.SafeLoader):
        self.text = text
        self.path = path
        self.parser = parser
        self.positions = Positions()
        self.problems: list[Problem] = []
        self._scalars = yaml.SafeLoader("")

    def fail(self, where, message, code, at=(), **params):
        line, col = where
        raise DefinitionError([Problem(self.path, line, col, message, at, code, params)])

    def scan(self) -> list:
        """The text's events, once each is checked; bounded by MAX_NODES."""
        depth = nodes = 0
        events = []
        fast = self.parser is not yaml.SafeLoader
        for event in yaml.parse(self.text, Loader=self.parser):
            events.append(event)
            if fast and isinstance(event, yaml.ScalarEvent) and (
                    event.start_mark.index == event.end_mark.index
                    or event.style in ("|", ">")
                    and not _BLOCK_HEADER.match(self.text, event.start_mark.index)):
                raise _ReadAgain()
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
        return events

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


def load(text: str | bytes, path: str = "<string>", parser=None):
    """Return ``(data, positions)``; raise DefinitionError for anything hostile or broken.

    ``parser`` picks PyYAML's (tests compare them); by default libyaml when it can answer
    exactly as the Python parser would, else the Python parser."""
    text = decode(text, path)
    if parser is None and FAST_PARSER is not None and not _READ_BY_PYTHON.search(text):
        try:
            return _load(text, path, FAST_PARSER)
        except Exception:           # noqa: BLE001  refused, or an answer that might differ:
            pass                    # the Python parser reads it and says what and where
    return _load(text, path, parser or yaml.SafeLoader)


def _load(text: str, path: str, parser):
    loader = _Loader(text, path, parser)
    try:
        root = _Replay(loader.scan()).get_single_node()
    except yaml.YAMLError as exc:
        if parser is not yaml.SafeLoader:
            raise
        raise DefinitionError([_yaml_problem(path, text, exc)]) from None
    except RecursionError:
        raise DefinitionError([Problem(path, 1, 1, "nesting is too deep", code="yaml.too_deep",
                                       params={"n": MAX_DEPTH})]) from None
    if root is None:
        raise DefinitionError([Problem(path, 1, 1, "the definition is empty", code="yaml.empty")])
    return loader.build(root, ()), loader.positions
