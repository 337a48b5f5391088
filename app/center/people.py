"""A colleague as people type them: 工号, 姓名, or the pickers' 「姓名（工号）」.

Used by 加签 and 委托设置; the engine still decides who may be chosen (active staff, not the
applicant, not oneself) and says so in its own words.
"""
import re

from flask_babel import gettext as _

from app.engine.exceptions import Invalid
from app.models import Department, User

PICKED = re.compile(r"[（(]\s*([^（）()\s]+)\s*[）)]\s*$")
MAX_LISTED = 8


def username_for(text: str, field: str) -> str:
    """The 工号 meant by ``text``; a name several people share raises Invalid on ``field``
    listing them (姓名（工号，部门）). Unknown text is returned as typed for the engine to refuse."""
    text = (text or "").strip()[:200]
    match = PICKED.search(text)
    if match:
        return match.group(1)
    if not text or User.select().where(User.username == text).exists():
        return text
    found = list(User.select(User.username, User.name, User.type, User.department)
                 .where(User.name == text, User.is_active == True)  # noqa: E712
                 .order_by(User.username))
    staff = [u for u in found if u.type == "staff"] or found
    if len(staff) == 1:
        return staff[0].username
    if len(staff) > 1:
        depts = dict(Department.select(Department.id, Department.name)
                     .where(Department.id.in_([u.department_id for u in staff])).tuples())
        listed = "、".join(f"{u.name}（{u.username}{'，' + depts[u.department_id] if u.department_id in depts else ''}）"
                          for u in staff[:MAX_LISTED])
        message = _("有 %(n)s 位同名的“%(name)s”：%(people)s，请输入工号或从列表中选择",
                    n=len(staff), name=text, people=listed)
        raise Invalid(message, fields={field: [message]})
    return text


def signer_usernames(values) -> list:
    """加签人 as picked from the datalist (姓名（工号）), or typed as a 工号 or a plain 姓名."""
    return [name for name in (username_for(v, "to_users") for v in values) if name]


def signer_error_index(values, messages) -> int:
    """Which 加签人 input a refusal is about: the first whose text (or 工号) it names."""
    for i, value in enumerate(values):
        value = value.strip()
        match = PICKED.search(value)
        keys = [value, match.group(1), value[:match.start()].strip()] if match else [value]
        if value and any(k and k in str(m) for k in keys for m in messages):
            return i
    return 0
