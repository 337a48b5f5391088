"""Editing a definition's YAML text without rewriting the parts that did not change.

A form editor changes the definition as data; regenerating the whole file from that data
would drop every comment, every explicit default and the author's key order, so a one-step
edit showed up as a 70-line diff. ``splice(text, old, new)`` instead keeps the original
lines of every top-level key, every field (by ``name``) and every step (by ``id``) whose
value is unchanged — and, inside a changed block-style field or step, of every key that is
unchanged — and writes fresh YAML only for what changed, at its place and indentation.
Comments directly above a kept part stay with it.

``old`` and ``new`` are the normalised definitions (``export_dict``), so a part counts as
unchanged when it means the same, however it is spelled. The caller checks the result
compiles to ``new`` and falls back to a full regeneration otherwise.
"""
from __future__ import annotations

import yaml

from app.defs.compile import _Dumper

_MISSING = object()
# which nested parts are spliced item by item, and the key that identifies an item
_MAPPINGS = {("form",)}
_SEQUENCES = {("form", "fields"): "name", ("steps",): "id"}


def splice(text: str, old: dict, new: dict) -> str | None:
    """``text`` (which says ``old``) changed to say ``new``; None when it cannot be done."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode) or root.flow_style or not root.value:
        return None
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    try:
        return "".join(_Splicer(lines).mapping(root, old, new, 0, len(lines), ()))
    except _CannotSplice:
        return None


class _Splicer:
    def __init__(self, lines):
        self.lines = lines

    def _start(self, line: int, floor: int) -> int:
        """An entry starts at its first line, or at the comment lines directly above it."""
        while line - 1 >= floor and self.lines[line - 1].lstrip().startswith("#"):
            line -= 1
        return line

    def _spans(self, starts, lo, hi):
        bounds = [self._start(s, lo) for s in starts]
        bounds = [max(b, lo) for b in bounds]
        return [(bounds[i], bounds[i + 1] if i + 1 < len(bounds) else hi) for i in range(len(bounds))]

    # ------------------------------------------------------------ mappings

    def mapping(self, node, old, new, lo, hi, path):
        keys = [k.value for k, _ in node.value]
        spans = self._spans([k.start_mark.line for k, _ in node.value], lo, hi)
        indent = node.value[0][0].start_mark.column
        out = list(self.lines[lo:spans[0][0]])
        for key in _order(keys, list(new)):
            if key not in keys:
                _append(out, _entry(key, new[key], indent, flow=None))
                continue
            i = keys.index(key)
            key_node, value_node = node.value[i]
            a, b = spans[i]
            before = old.get(key, _MISSING)
            after = new.get(key, _MISSING)
            if after is _MISSING:
                if before is _MISSING:        # an explicit default nobody touched
                    out.extend(self.lines[a:b])
                continue
            if before == after:
                out.extend(self.lines[a:b])
            elif self._nested(path + (key,), value_node, before, after):
                out.extend(self._nested_text(path + (key,), value_node, before, after, a, b))
            else:
                _append(out, _entry(key, after, indent, flow=_flow(value_node)))
        return out

    def _nested(self, path, node, before, after) -> bool:
        if path in _MAPPINGS:
            return (isinstance(node, yaml.MappingNode) and not node.flow_style and bool(node.value)
                    and isinstance(before, dict) and isinstance(after, dict))
        if path in _SEQUENCES:
            return (isinstance(node, yaml.SequenceNode) and not node.flow_style and bool(node.value)
                    and isinstance(before, list) and isinstance(after, list) and bool(after))
        return False

    def _nested_text(self, path, node, before, after, a, b):
        if path in _MAPPINGS:
            return self.mapping(node, before, after, a, b, path)
        return self.sequence(node, before, after, a, b, _SEQUENCES[path])

    # ------------------------------------------------------------ sequences

    def sequence(self, node, old, new, lo, hi, ident):
        items = node.value
        if len(items) != len(old) or not all(isinstance(i, yaml.MappingNode) for i in items):
            raise _CannotSplice
        starts = [i.start_mark.line for i in items]
        spans = self._spans(starts, lo, hi)
        first = self.lines[items[0].start_mark.line]
        dash = first.rfind("-", 0, items[0].start_mark.column)
        flows = [bool(i.flow_style) for i in items]
        by_id = {item.get(ident): k for k, item in enumerate(old)}
        out = list(self.lines[lo:spans[0][0]])
        for item in new:
            k = by_id.get(item.get(ident))
            if k is not None and old[k] == item:
                out.extend(self.lines[spans[k][0]:spans[k][1]])
            elif k is not None and not flows[k] and items[k].value[0][0].value == ident:
                # the same step/field, changed: its untouched keys keep their lines
                out.extend(self.mapping(items[k], old[k], item, spans[k][0], spans[k][1], ("item",)))
            else:
                flow = flows[k] if k is not None else sum(flows) * 2 > len(flows)
                _append(out, _item(item, max(dash, 0), flow))
        return out



class _CannotSplice(Exception):
    pass


def _append(out: list, text: str) -> None:
    """Add written text before the blank lines that end the kept text (they separate parts)."""
    at = len(out)
    while at > 0 and not out[at - 1].strip():
        at -= 1
    out.insert(at, text)


def _order(existing: list, wanted: list) -> list:
    """The keys of ``wanted`` in their existing order; a new key goes after its predecessor."""
    out = list(existing)
    for i, key in enumerate(wanted):
        if key in out:
            continue
        before = next((w for w in reversed(wanted[:i]) if w in out), None)
        out.insert(out.index(before) + 1 if before is not None else 0, key)
    return out


def _flow(node):
    """Keep a flow collection of scalars in flow style (``audience: [staff]``)."""
    return None if isinstance(node, (yaml.SequenceNode, yaml.MappingNode)) and node.flow_style else False


def _dump(value, flow) -> str:
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=flow, width=1000)


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "".join(pad + line if line.strip() else line for line in text.splitlines(keepends=True))


def _entry(key, value, indent, flow) -> str:
    """``key: value`` as block YAML; a collection of plain values in flow style unless
    ``flow`` is False (``by: {role: R, of: applicant}``, ``actions: [approve, return]``)."""
    flow = flow if isinstance(value, (list, dict)) and value else False
    return _indent(_dump({key: value}, flow), indent)


def _item(item: dict, dash: int, flow: bool) -> str:
    if flow:
        return " " * dash + "- " + yaml.dump(item, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                                             default_flow_style=True, width=10 ** 6).strip() + "\n"
    body = "".join(_entry(key, value, 0, None) for key, value in item.items())
    lines = body.splitlines(keepends=True)
    text = "- " + lines[0] + "".join("  " + ln if ln.strip() else ln for ln in lines[1:])
    return _indent(text, dash)
