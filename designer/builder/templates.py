"""从模板新建: the service templates shipped under ``definitions/templates/`` (each a
published-quality definition with its scenario tests in ``tests/NAME.test.yaml``). A new
service copies one: its own id and 事项编号 are generated, the admin's department hosts it."""
from __future__ import annotations

from pathlib import Path

from app.defs.compile import export_dict, validate_text

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "definitions" / "templates"


def _paths() -> dict[str, Path]:
    return {p.stem: p for p in sorted(TEMPLATES_DIR.glob("*.yaml")) if not p.name.endswith(".test.yaml")}


def listing() -> list[dict]:
    """Each template in words: id, name, category, its fields' labels and its steps' names."""
    out = []
    for name, path in _paths().items():
        sdef = validate_text(path.read_text(encoding="utf-8"), str(path))
        out.append({"id": name, "name": sdef.name, "category": sdef.category,
                    "fields": [f.label for f in sdef.form.fields],
                    "steps": [s.name + ("（按条件）" if s.when else "") for s in sdef.steps]})
    return sorted(out, key=lambda t: t["name"])


def starter(name: str, department: str) -> dict | None:
    """The definition a new service from template ``name`` starts with; None if unknown."""
    path = _paths().get(name)
    if path is None:
        return None
    definition = export_dict(validate_text(path.read_text(encoding="utf-8"), str(path)))
    definition.update(id="", number=0, department=department)
    definition.pop("co_departments", None)
    return definition
