"""发布 summary: what a draft changes against the last published version, in words. No Flask.

    compare(old, new) → {"meta": [...], "fields": [...], "steps": [...], "empty": bool}
    lines(summary)    → {"基本信息": ["预计时限 3天→5天"], "字段": ["新增 领用类型（单选）", …], "步骤": […]}

``old``/``new`` are definitions in the normalised ``fields:`` shape (``export_dict``), so
only changes of meaning show, never spelling. Fields are matched by ``name`` and steps by
``id``: a renamed field reads as one deleted and one added.
"""
from __future__ import annotations

from app.defs.model import AUDIENCE_LABELS
from app.defs.timelimit import format_limit
from app.engine.states import ACTION_LABELS as ALL_ACTION_LABELS, STEP_ACTIONS
from designer.labels import FIELD_LABELS, META_LABELS, STEP_LABELS, TYPE_LABELS

SECTIONS = (("meta", "基本信息"), ("fields", "字段"), ("steps", "步骤"))
ACTION_LABELS = {a: ALL_ACTION_LABELS[a] for a in STEP_ACTIONS}
MODE_LABELS = {"any": "或签", "all": "会签"}
OPINION_LABELS = {"required": "必填", "optional": "可填", "none": "不填"}
_STEP_DEFAULTS = {"mode": "any", "opinion": "optional", "actions": ["approve", "return"]}
_EMPTY = "（无）"


def compare(old: dict | None, new: dict) -> dict:
    old = old or {}
    out = {"meta": _meta(old, new),
           "fields": _items(_fields(old), _fields(new), "name", _field_change),
           "steps": _items(old.get("steps") or [], new.get("steps") or [], "id", _step_change),
           "first": not old}
    out["empty"] = not (out["meta"] or out["fields"] or out["steps"])
    return out


def lines(summary: dict) -> dict[str, list[str]]:
    """The summary as short sentences per section (sections without changes left out)."""
    out = {}
    for key, title in SECTIONS:
        said = [_sentence(key, c) for c in summary[key]]
        if said:
            out[title] = said
    return out


def for_draft(draft) -> dict:
    """The draft against its service's latest version (everything is new when unpublished)."""
    from app.defs.compile import export_dict
    from app.defs.store import latest_version, load_version
    old = None
    if draft.service_id:
        latest = latest_version(draft.service)
        old = export_dict(load_version(latest)) if latest else None
    result = compare(old, draft.definition)
    result["lines"] = lines(result)
    return result


# ---------------------------------------------------------------- metadata

_META_KEYS = ("number", "name", "category", "department", "co_departments", "audience", "fee",
              "time_limit", "hours", "place", "method", "phone", "conditions", "recommended",
              "keywords", "title", "print", "retention")


def _meta(old, new) -> list[dict]:
    out = []
    old_form, new_form = old.get("form") or {}, new.get("form") or {}
    pairs = [(k, old.get(k), new.get(k)) for k in _META_KEYS]
    pairs.append(("form_title", old_form.get("title"), new_form.get("title")))
    for key, before, after in pairs:
        if before != after and (old or after not in (None, "", [], False)):
            label = "表单标题" if key == "form_title" else META_LABELS.get(key, key)
            out.append({"key": key, "label": label, "before": _meta_text(key, before),
                        "after": _meta_text(key, after)})
    return out


def _meta_text(key, value) -> str:
    if key == "time_limit":
        return format_limit(value) or _EMPTY
    if key == "audience":
        return "、".join(AUDIENCE_LABELS.get(a, a) for a in value or []) or _EMPTY
    return _text(value)


# ---------------------------------------------------------------- fields and steps

def _fields(definition) -> list[dict]:
    return list((definition.get("form") or {}).get("fields") or [])


def _items(old: list, new: list, ident: str, change) -> list[dict]:
    before = {item[ident]: item for item in old}
    after = {item[ident]: item for item in new}
    out = []
    for item in new:
        if item[ident] not in before:
            out.append(_entry("added", item, ident))
        else:
            details = change(before[item[ident]], item)
            if details:
                out.append(dict(_entry("changed", item, ident), details=details))
    for item in old:
        if item[ident] not in after:
            out.append(_entry("removed", item, ident))
    common_old = [i[ident] for i in old if i[ident] in after]
    common_new = [i[ident] for i in new if i[ident] in before]
    if common_old != common_new:
        out.append({"change": "reordered", ident: None, "label": "", "order": [
            (after[i].get("label") or after[i].get("name") or i) for i in common_new]})
    return out


def _entry(change, item, ident) -> dict:
    out = {"change": change, ident: item[ident], "label": item.get("label") or item.get("name") or item[ident]}
    if "type" in item:
        out.update(type=item["type"], type_label=TYPE_LABELS.get(item["type"], item["type"]))
    return out


def _field_change(old: dict, new: dict) -> list[dict]:
    out = []
    for key in _keys(old, new):
        if key == "columns":
            continue
        if old.get(key) != new.get(key):
            out.append(_detail(key, FIELD_LABELS.get(key, key), _field_text(key, old.get(key)),
                               _field_text(key, new.get(key))))
    for column in _items(old.get("columns") or [], new.get("columns") or [], "name", _field_change):
        column = dict(column, key="columns")
        out.append(column)
    return out


def _field_text(key, value) -> str:
    if key in ("required", "readonly", "reuse"):
        return "是" if value else "否"
    if key == "type":
        return TYPE_LABELS.get(value, value)
    return _text(value)


def _step_change(old: dict, new: dict) -> list[dict]:
    out = []
    for key in _keys(old, new):
        before, after = old.get(key, _STEP_DEFAULTS.get(key)), new.get(key, _STEP_DEFAULTS.get(key))
        if before != after:
            out.append(_detail(key, STEP_LABELS.get(key, key), _step_text(key, before), _step_text(key, after)))
    return out


def _step_text(key, value) -> str:
    from plugins.assignees import describe
    if value is None or value == []:
        return _EMPTY
    if key == "by":
        return describe(value)
    if key == "cc":
        return "、".join(describe(v) for v in value)
    if key == "actions":
        return "、".join(ACTION_LABELS.get(a, a) for a in value)
    if key == "mode":
        return MODE_LABELS.get(value, value)
    if key == "opinion":
        return OPINION_LABELS.get(value, value)
    return _text(value)


def _keys(old: dict, new: dict) -> list:
    return list(dict.fromkeys(list(old) + list(new)))


def _detail(key, label, before, after) -> dict:
    return {"key": key, "label": label, "before": before, "after": after}


def _text(value) -> str:
    if value is None or value == "" or value == []:
        return _EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "，".join(f"{k}: {_text(v)}" for k, v in value.items())
    text = str(value)
    return text if len(text) <= 40 else text[:38] + "…"


# ---------------------------------------------------------------- sentences

_VERBS = {"added": "新增", "changed": "修改", "removed": "删除"}


def _change_words(label, before, after) -> str:
    """预计时限 3天→5天; 帮助文字：新填 …; 帮助文字：清空（原为 …）."""
    if before == _EMPTY:
        return f"{label}：{after}"
    if after == _EMPTY:
        return f"{label}：清空（原为 {before}）"
    return f"{label} {before}→{after}"


def _sentence(section: str, change: dict) -> str:
    if section == "meta":
        return _change_words(change["label"], change["before"], change["after"])
    if change["change"] == "reordered":
        return "调整顺序：" + "、".join(change["order"])
    verb = _VERBS[change["change"]]
    name = change["label"]
    if change["change"] == "added" and change.get("type_label") and section == "fields":
        return f"{verb} {name}（{change['type_label']}）"
    if change["change"] != "changed":
        return f"{verb} {name}"
    return f"{verb} {name}：" + "；".join(_detail_words(d) for d in change["details"])


def _detail_words(detail: dict) -> str:
    if detail.get("key") == "columns":          # a column of a rows field
        if detail["change"] == "reordered":
            return "调整列顺序"
        words = f"{_VERBS[detail['change']]}列 {detail['label']}"
        if detail["change"] == "changed":
            words += "（" + "，".join(_detail_words(d) for d in detail["details"]) + "）"
        return words
    return _change_words(detail["label"], detail["before"], detail["after"])
