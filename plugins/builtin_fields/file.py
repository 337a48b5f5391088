"""附件: uploaded files; the value is a list of attachment tokens."""
from __future__ import annotations

from plugins.fields import FieldType, common_kwargs, field_type_class


@field_type_class("file")
class File(FieldType):
    """Its value is a list of attachment tokens."""
    label, icon, group = "附件", "⇪", "人员与附件"
    keys = {"max_files": None, "max_size": None, "accept": None}
    in_rows = False
    widget = "file"
    unit = "个附件"
    ref_message = "附件无效或不属于申请人"

    def value_schema(self, field, strict):
        core = {"type": "array", "items": {"type": "string"}}
        if strict:
            core["minItems"] = 1
        if field.max_files:
            core["maxItems"] = field.max_files
        if field.max_size:
            core["x-max-size"] = field.max_size
        if field.accept:
            core["x-accept"] = list(field.accept)
        return core

    def wtf_field(self, field, ctx):
        from plugins.widgets import AttachmentsField
        return AttachmentsField(**common_kwargs(field, ctx, default=[], accept=",".join(field.accept) or None))

    def refs(self, value):
        return [t for t in value if isinstance(t, str)] if isinstance(value, list) else []

    def missing_refs(self, refs, owners):
        from app.models import Attachment, User
        found = (Attachment.select(Attachment.token).join(User)
                 .where(Attachment.token.in_(list(refs)), User.username.in_(list(owners))))
        return set(refs) - {a.token for a in found}

    def value_labels(self, refs):
        from app.models import Attachment
        return dict(Attachment.select(Attachment.token, Attachment.filename)
                    .where(Attachment.token.in_(list(refs))).tuples())

    def from_formdata(self, field, formdata, key, tokens=None, previous=None):
        """Kept tokens (``KEY-keep`` inputs, only those already stored) + new ``tokens[KEY]``."""
        stored = set(previous) if isinstance(previous, list) else set()
        kept = [t for t in formdata.getlist(key + "-keep") if t in stored]
        return list(dict.fromkeys(kept + list((tokens or {}).get(key, []))))

    def display(self, field, value, reveal=True):
        if not value:
            return ""
        names = self.value_labels(set(self.refs(value)))
        return "、".join(names.get(t, "(已删除的附件)") for t in value)
