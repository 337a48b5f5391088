"""部门: one of the directory's departments, by name."""
from __future__ import annotations

from plugins.builtin_fields.select import Select
from plugins.builtin_fields.user import UserField
from plugins.fields import FieldType, field_type_class


@field_type_class("department")
class DepartmentField(Select):
    label, icon, group = "部门", "▥", "人员与附件"
    keys = {}
    required_keys = ()
    ref_message = "部门不存在"
    refs = UserField.refs

    def value_schema(self, field, strict):
        return FieldType.value_schema(self, field, strict)

    def missing_refs(self, refs, owners):
        from app.models import Department
        return set(refs) - {d.name for d in Department.select(Department.name)
                            .where(Department.name.in_(list(refs)))}

    def choices(self, field, ctx):
        from wtforms.fields.choices import SelectChoice
        return [SelectChoice(d, d) for d in ctx.departments]
