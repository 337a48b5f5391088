"""What the builder page needs to draw itself, as plain data for its JSON block: the field
palette and assignee kinds (from the plugin registries), autofill sources, the admin's
departments, categories in use, and the empty definition a new service starts from."""
from __future__ import annotations

from app.defs.model import AUDIENCE_LABELS
from app.engine.states import ACTION_LABELS, STEP_ACTIONS
from app.models import Department, Role, Service
from designer import scope
from designer.builder.lookups import role_label
from plugins.assignees import kinds
from plugins.fields import palette

AUTOFILL_LABELS = {
    "user.name": "申请人姓名", "user.username": "申请人工号/学号", "user.department": "申请人所在单位",
    "user.phone": "申请人手机号", "user.email": "申请人邮箱", "user.type": "申请人类型",
    "today": "今天的日期", "now": "当前时间", "week.range": "教学周次",
}
OPINIONS = [["required", "必填"], ["optional", "可选"], ["none", "不需要"]]
ACTIONS = [[str(a), ACTION_LABELS[a]] for a in STEP_ACTIONS]
MODES = [["any", "或签（一人办理即可）"], ["all", "会签（每人都要通过）"]]
DEFAULT_CATEGORY = "综合服务"
# 允许的文件类型 as people name them → the extensions a file field's ``accept`` lists.
FILE_KINDS = [["PDF", [".pdf"]], ["Word", [".doc", ".docx"]], ["Excel", [".xls", ".xlsx"]],
              ["图片", [".jpg", ".jpeg", ".png"]]]


def palette_data() -> list[dict]:
    """The palette with each type's key order kept (JSON objects are sent with sorted keys)."""
    return [dict(t, order=list(t["keys"])) for t in palette()]


def palette_groups(types: list[dict]) -> list[tuple[str, list[dict]]]:
    """Types grouped by ``group``, groups in the order their first type registered."""
    groups: dict[str, list[dict]] = {}
    for t in types:
        groups.setdefault(t["group"], []).append(t)
    return list(groups.items())


def autofill_choices() -> list[list[str]]:
    from plugins.autofill import SOURCES
    return [[name, AUTOFILL_LABELS.get(name, name)] for name in SOURCES.names()]


def starter(department: str) -> dict:
    """A new service: no fields yet, the applicant fills the form."""
    return {"format": 1, "id": "", "number": 0, "name": "", "category": DEFAULT_CATEGORY,
            "department": department, "audience": ["staff", "student"],
            "form": {"title": "", "fields": []},
            "steps": [{"id": "fill", "name": "填写申请", "by": "applicant"}]}


def default_department(user, departments) -> str:
    own = user.department.name if getattr(user, "department_id", None) else None
    return own if own in departments else (departments[0] if departments else "")


def page_data(user, state, published_names) -> dict:
    departments = scope.department_choices(user)
    categories = sorted({c for (c,) in Service.select(Service.category).distinct().tuples() if c}
                        | {DEFAULT_CATEGORY})
    types = palette_data()
    return {"palette": types, "kinds": kinds(), "autofill": autofill_choices(),
            "departments": departments, "categories": categories,
            "audiences": [[k, v] for k, v in AUDIENCE_LABELS.items()],
            "opinions": OPINIONS, "actions": ACTIONS, "modes": MODES, "file_kinds": FILE_KINDS,
            "starter": starter(default_department(user, departments)),
            "role_labels": {code: role_label(code, name) for code, name in Role.select(Role.code, Role.name).tuples()},
            "samples": sample_applicants(user),
            "all_departments": [name for (name,) in Department.select(Department.name).order_by(Department.name).tuples()],
            "state": state, "published_names": published_names}


def sample_applicants(user) -> list[list[str]]:
    """Whom the admin may preview as (预览): [username, "李明（宣传部）"]."""
    return [[u.username, f"{u.name}（{u.department_name or '无部门'}）"] for u in scope.user_choices(user)]
