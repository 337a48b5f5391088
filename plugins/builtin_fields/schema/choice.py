"""选项（JSON Schema）: ``enum`` / ``oneOf`` of ``const`` as a drop-down or radio buttons."""
from __future__ import annotations

import json

from plugins.builtin_fields.schema.base import SchemaType, choice_label, hint
from plugins.fields import common_kwargs, field_type_class


@field_type_class("choice")
class Choice(SchemaType):
    """``enum`` / ``oneOf`` of ``const``: option values are JSON, so 3, true and null keep their type."""
    label, icon = "选项（JSON Schema）", "▾"
    widget = "input"

    def widget_for(self, field):
        return "choices" if hint(field, "widget") == "radio" else "input"

    def choices(self, field):
        from wtforms.fields.choices import SelectChoice
        return [SelectChoice(json.dumps(v, ensure_ascii=False), str(label))
                for v, label in hint(field, "choices", [])]

    def wtf_field(self, field, ctx):
        from wtforms.fields.choices import SelectChoice
        kwargs = common_kwargs(field, ctx)
        if hint(field, "widget") == "radio":
            return JsonRadio(choices=self.choices(field), validate_choice=False, **kwargs)
        return JsonSelect(choices=[SelectChoice("", "请选择")] + self.choices(field),
                          validate_choice=False, **kwargs)

    def parse(self, field, values):
        raw = next((v for v in values if isinstance(v, str)), "")
        if raw == "":
            return None
        try:
            return json.loads(raw)
        except ValueError:
            return raw

    def is_empty(self, value):
        return value is None or value == ""

    def display(self, field, value, reveal=True):
        return choice_label(field, value)


# ---------------------------------------------------------------- WTForms fields with JSON values

def _json_fields():
    import wtforms

    class JsonSelect(wtforms.SelectField):
        def process_data(self, value):
            self.data = None if value is None else json.dumps(value, ensure_ascii=False)

    class JsonRadio(wtforms.RadioField):
        process_data = JsonSelect.process_data

    class JsonMulti(wtforms.SelectMultipleField):
        def process_data(self, value):
            self.data = [json.dumps(v, ensure_ascii=False) for v in value or []] \
                if isinstance(value, list) else []

    return JsonSelect, JsonRadio, JsonMulti


class _Lazy:
    """Builds the field class on first use, so importing the type imports no WTForms."""
    def __init__(self, index):
        self.index = index

    def __call__(self, *args, **kwargs):
        return _json_fields()[self.index](*args, **kwargs)


JsonSelect, JsonRadio, JsonMulti = _Lazy(0), _Lazy(1), _Lazy(2)
