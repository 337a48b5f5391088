"""人员: a user, by username (工号/学号); shown as name and username."""
from __future__ import annotations

from plugins.fields import FieldType, field_type_class


@field_type_class("user")
class UserField(FieldType):
    label, icon, group = "人员", "☺", "人员与附件"
    ref_message = "用户不存在"

    def refs(self, value):
        return [value] if isinstance(value, str) and value else []

    def missing_refs(self, refs, owners):
        from app.models import User
        return set(refs) - {u.username for u in User.select(User.username)
                            .where(User.username.in_(list(refs)))}

    def attrs(self, field):
        return {"autocomplete": "off", "placeholder": "工号/学号"}

    def display(self, field, value, reveal=True):
        from app.models import User
        if not value:
            return ""
        user = User.get_or_none(User.username == value)
        return f"{user.name}（{value}）" if user else str(value)
