"""A document → a draft definition (the ``fields:`` spelling) and the list of guesses.

Each guess names the part of the definition it made (``target``: "name", "form.title",
"field:NAME", "column:NAME.COL", "step:ID") and says in one Chinese line what was read."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.paper import docx_reader, layout, rules, xlsx_reader
from app.paper.errors import PaperError
from app.paper.safety import DAMAGED, check_upload

READERS = {"docx": docx_reader.read, "xlsx": xlsx_reader.read}
NO_TABLE = "文件中没有找到表格：请导入含有表格的申请表（Word 表格或 Excel 工作表）"
_SCHOOL = re.compile(r"^\S{2,12}?(大学|学院)(?=\S{3,}(表|单|书)$)")
_RELATIVE = re.compile(r"所在|部门|单位|学院|院系|系（所）|系\b|二级")
_NAMED = re.compile(r"(\S{1,10}?(处|部|中心|办公室|办|馆))")
STEP_ACTIONS = ["approve", "return"]


@dataclass
class Reading:
    definition: dict
    guesses: list = field(default_factory=list)
    blocks: list = field(default_factory=list)
    kind: str = "docx"                 # what was read (after any .doc/.xls conversion)
    data: bytes = b""

    def lines(self) -> list[str]:
        return [g["text"] for g in self.guesses]

    def yaml(self) -> str:
        """The draft as the format's YAML, after the real validator (DefinitionError if not)."""
        import yaml
        from app.defs.compile import to_yaml, validate_text
        text = yaml.safe_dump(self.definition, allow_unicode=True, sort_keys=False, width=1000)
        return to_yaml(validate_text(text, "<从纸质表单导入>"))


def idcard_installed() -> bool:
    from plugins.fields import FIELD_TYPES
    return "idcard" in FIELD_TYPES


def read_blocks(kind: str, data: bytes) -> list:
    """The document's blocks; a part the parsers choke on is a damaged file, never a crash."""
    try:
        return READERS[kind](data)
    except PaperError:
        raise
    except Exception:            # lxml, zipfile, python-docx and openpyxl raise many kinds
        raise PaperError(DAMAGED)


def read_document(filename: str, data: bytes, departments=(), department: str | None = None,
                  idcard: bool = False, service_id: str | None = None, number: int = 1) -> Reading:
    """Read an upload into a draft definition; PaperError for anything we refuse."""
    kind, data = check_upload(filename, data)
    blocks = read_blocks(kind, data)
    if not any(isinstance(b, layout.Table) and b.rows for b in blocks):
        raise PaperError(NO_TABLE)
    title, items = layout.read_items(blocks, idcard)
    if not any(i.kind in ("field", "rows") for i in items):
        raise PaperError("文件中的表格里没有找到可填写的栏目（标签和空白格）")
    reading = Writer(departments, department, service_id).write(title, items, number, blocks)
    reading.kind, reading.data = kind, data
    return reading


class Writer:
    def __init__(self, departments, department, service_id):
        self.departments = sorted(set(departments or ()), key=len, reverse=True)
        self.department = department
        self.service_id = service_id
        self.guesses = []
        self.names: set[str] = set()
        self.labels: set[str] = set()

    def unique_label(self, label: str) -> str:
        """Two fields with one label confuse applicants (and the builder refuses them)."""
        n, out = 1, label
        while out in self.labels:
            n += 1
            out = f"{label}（{n}）"
        self.labels.add(out)
        return out

    def guess(self, target: str, text: str):
        self.guesses.append({"target": target, "text": text})

    def write(self, title, items, number, blocks) -> Reading:
        from designer.identifiers import slug, unique
        form_title = title or "未命名表单"
        name = _SCHOOL.sub("", form_title) or form_title
        self.guess("name", f"事项名称「{name}」、表单标题「{form_title}」（{'文件标题' if title else '未找到标题'}）")
        department = self.department or "待指定"
        if not self.department:
            self.guess("department", "主办部门未指定：请选择")
        fields = [self.field(item, slug, unique) for item in items if item.kind != "step"]
        steps = [{"id": "fill", "name": "填写申请表", "by": "applicant"}]
        for item in items:
            if item.kind == "step":
                steps.append(self.step(item, steps, department, slug, unique))
        definition = {"format": 1, "id": self.service_id or slug(name, "-", "service"), "number": number,
                      "name": name[:100], "category": "综合服务", "department": department,
                      "audience": ["staff", "student"], "form": {"title": form_title[:200], "fields": fields},
                      "steps": steps}
        return Reading(definition, self.guesses, blocks)

    def field(self, item, slug, unique) -> dict:
        if item.kind == "section":
            name = unique("shuoming", self.names, "_")
            self.names.add(name)
            out = {"name": name, "type": "section", "text": item.text[:2000]}
            if item.label:
                out["label"] = item.label
            return out
        name = unique(slug(item.label, "_", "field"), self.names, "_")
        self.names.add(name)
        label = self.unique_label(item.label[:90])
        out = {"name": name, "label": label, **item.keys}
        if item.required:
            out["required"] = True
        if item.autofill:
            out.update(autofill=item.autofill, readonly=True)
        what = rules.TYPE_NAMES.get(out["type"], out["type"])
        extra = f"，自动填充（{item.autofill}）、只读" if item.autofill else ""
        star = "，必填（标有 *）" if item.required else ""
        renamed = f"；与前面的栏目同名，已改为「{label}」" if label != item.label[:90] else ""
        self.guess(f"field:{name}", f"字段「{item.label}」：{what}（{item.why}）{extra}{star}{renamed}")
        if item.kind == "rows":
            taken = set()
            out["columns"] = []
            out["min_rows"] = 1
            labels = set()
            for column in item.columns:
                cname = unique(slug(column.label, "_", "col"), taken, "_")
                taken.add(cname)
                clabel = unique(column.label[:90], labels, "")
                labels.add(clabel)
                out["columns"].append({"name": cname, "label": clabel, **column.keys})
                kind = rules.TYPE_NAMES.get(column.keys["type"], column.keys["type"])
                self.guess(f"column:{name}.{cname}", f"明细「{item.label}」的列「{column.label}」：{kind}（{column.why}）")
        return out

    def step(self, item, steps, department, slug, unique) -> dict:
        sid = unique(slug(item.label, "_", "step"), {s["id"] for s in steps}, "_")
        by, why = self.assignee(item.text, department)
        self.guess(f"step:{sid}", f"审批步骤「{item.label}」（签字栏“{item.text.splitlines()[0][:30]}”），办理人：{why}")
        return {"id": sid, "name": item.label[:100], "by": by, "opinion": "required", "actions": list(STEP_ACTIONS)}

    def assignee(self, text: str, department: str):
        head = layout.OPINION.split(text.strip().split("\n")[0])[0]
        for name in self.departments:
            if name and name in head:
                return {"role": "dept_leader", "department": name}, f"{name}负责人（通讯录中的部门）"
        if _RELATIVE.search(head) or ("负责人" in head and "项目" not in head) or "领导" in head and "校" not in head:
            return {"role": "dept_leader", "of": "applicant"}, "申请人所在部门负责人"
        named = _NAMED.search(head)
        missing = f"「{named.group(1)}」不在通讯录中，" if named else ""
        return ({"role": "dept_admin", "department": department},
                f"{missing}未能识别，暂由主办部门管理员办理，请选择")
