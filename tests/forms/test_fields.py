"""The field-type registry covers the definition format and refuses duplicates."""
import pytest

from app.defs.metaschema import build_meta_schema
from plugins.fields import FIELD_TYPES, FieldType, field_type_class
from plugins.registry import RegistryError
from tests.forms import sample_form


def test_every_format_type_is_registered():
    format_types = build_meta_schema(builtin_only=True)["$defs"]["field"]["properties"]["type"]["enum"]
    assert set(format_types) <= set(FIELD_TYPES.names())
    assert len(format_types) == 15
    assert all(isinstance(t, FieldType) for _, t in FIELD_TYPES.items())


def test_duplicate_refused():
    with pytest.raises(RegistryError):
        field_type_class("text")(type("Again", (FieldType,), {}))


def test_display_values():
    form = sample_form()
    show = {f.name: FIELD_TYPES.get(f.type).display for f in form.fields}
    f = form.field
    assert show["amount"](f("amount"), 3) == "3.00万元"
    assert show["amount"](f("amount"), None) == ""
    assert show["agree"](f("agree"), True).endswith("已勾选同意")
    assert show["meet"](f("meet"), "2024-01-02T03:04") == "2024-01-02 03:04"
    assert show["terms"](f("terms"), None) == "1.保证合同技术成果法律状况的真实性。"
    assert show["items"](f("items"), [{"text": "a"}, {"hours": 2}]) == [["a", ""], ["", "2"]]
