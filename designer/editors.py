"""The metadata form's data ↔ the definition (基本信息 beside the builder), losslessly.

Fields and steps are edited in the builder (designer/builder); the tabbed field and step
editors that once converted them through form data are retired.
"""
from __future__ import annotations


def _lines(text) -> list[str]:
    return [part.strip() for part in (text or "").replace(",", "\n").splitlines() if part.strip()]


def _keep_order(chosen, original) -> list:
    original = list(original or [])
    chosen = list(chosen)
    if sorted(chosen) == sorted(original):
        return original
    return chosen


# ---------------------------------------------------------------- the service's metadata

META_TEXT = ("name", "category", "department", "fee", "time_limit", "hours", "place", "method",
             "phone", "conditions", "title")
META_LISTS = ("co_departments", "audience")


def meta_to_data(definition: dict) -> dict:
    data = {key: definition.get(key, "") for key in META_TEXT}
    data.update({key: list(definition.get(key, [])) for key in META_LISTS})
    data.update(number=definition["number"], recommended=bool(definition.get("recommended")),
                keywords=", ".join(definition.get("keywords", [])),
                form_title=definition["form"]["title"])
    if "audience" not in definition:
        data["audience"] = ["staff", "student"]
    return data


def apply_meta(definition: dict, data: dict) -> dict:
    """The metadata form's data written into a copy of the definition."""
    out = dict(definition)
    out["number"] = data["number"]
    for key in META_TEXT:
        value = (data.get(key) or "").strip() if key != "conditions" else (data.get(key) or "").strip("\n")
        if key == "time_limit":
            value = "".join(value.split())          # "3 天" → "3天"
        if value or key in ("name", "category", "department"):
            out[key] = value
        else:
            out.pop(key, None)
    for key in META_LISTS:
        out[key] = _keep_order(data.get(key) or [], definition.get(key))
        if not out[key] and key == "co_departments":
            out.pop(key)
    out["recommended"] = bool(data.get("recommended"))
    out["keywords"] = _lines(data.get("keywords"))
    if not out["keywords"]:
        out.pop("keywords")
    out["form"] = dict(definition["form"], title=(data.get("form_title") or "").strip())
    return out
