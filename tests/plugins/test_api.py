"""plugins.api 1.0: one registration style, hooks checked at load, requires_api, the debug
traceback, `flask plugins` over every registry, normalise never letting a bad value past
the schema, and keys that belong to their type unless shared."""
import pytest

from app.defs import validate_text
from app.defs.exceptions import DefinitionError
from app.defs.validate import validate_data
from plugins import api
from plugins.fields import FIELD_TYPES, KEYS
from tests.plugins.test_loading import _fake_distribution, _start


def test_the_api_names_its_version_and_everything_a_plugin_needs():
    assert api.API_VERSION == "1.0"
    for name in ("FieldType", "field_type_class", "AssigneeKind", "assignee_kind",
                 "autofill_source", "channel", "writer", "print_rule", "sms_gateway",
                 "shared_key", "users_with_role"):
        assert name in api.__all__ and hasattr(api, name)


def test_a_hook_with_the_wrong_arguments_stops_start_up_naming_it(tmp_path):
    _fake_distribution(tmp_path, "sloppy", """
        from plugins.api import FieldType, field_type_class

        @field_type_class("sloppy")
        class Sloppy(FieldType):
            def validate(self):
                return []
    """)
    result = _start(tmp_path, "plugins")
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode != 0 and len(lines) == 1, result.stderr
    assert lines[0].endswith("plugin 'sloppy' (sloppy_plugin): field type 'sloppy' (class Sloppy): "
                             "hook validate(self) does not match validate(self, field, value)")


def test_a_plugin_for_another_major_version_stops_start_up(tmp_path):
    _fake_distribution(tmp_path, "future", 'requires_api = "2"\n')
    result = _start(tmp_path, "plugins")
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode != 0 and len(lines) == 1, result.stderr
    assert ("plugin 'future' (future_plugin): requires plugin API 2 (requires_api in "
            "future_plugin), but this OneHall provides 1.0") in lines[0]


def test_a_plugin_for_this_major_version_loads(tmp_path):
    _fake_distribution(tmp_path, "current", 'requires_api = "1.0"\n')
    result = _start(tmp_path, "plugins")
    assert result.returncode == 0 and "current (current_plugin)" in result.stdout, result.stderr


def test_onehall_plugin_debug_prints_the_traceback(tmp_path, monkeypatch):
    _fake_distribution(tmp_path, "broken", "def helper():\n    return 1 / 0\n\nhelper()\n")
    quiet = _start(tmp_path, "plugins")
    assert "Traceback" not in quiet.stderr and "ZeroDivisionError" in quiet.stderr
    monkeypatch.setenv("ONEHALL_PLUGIN_DEBUG", "1")
    loud = _start(tmp_path, "plugins")
    assert loud.returncode != 0
    assert "Traceback" in loud.stderr and "in helper" in loud.stderr and "broken_plugin.py" in loud.stderr
    assert loud.stderr.strip().splitlines()[-1].startswith("onehall: cannot start: plugin 'broken'")


def test_flask_plugins_lists_every_registry(tmp_path):
    out = _start(tmp_path, "plugins").stdout
    assert out.startswith("plugin API 1.0\n")
    for line in ("  field types: agree,", "  assignee kinds: applicant,", "  autofill sources: now,",
                 "  channels: inapp", "  writers: csv, xlsx", "  print rules: admins, applicant,",
                 "  SMS gateways: log", "  assignee kinds: id_checker"):
        assert line in out, out


@pytest.mark.parametrize("register, message", [
    (lambda: api.autofill_source("x.bad")(lambda user: ""),
     "autofill source 'x.bad' (<lambda>): <lambda>(user) does not match autofill_source_spec(user, now)"),
    (lambda: api.print_rule("bad")(lambda instance: True),
     "print rule 'bad' (<lambda>): <lambda>(instance) does not match print_rule_spec(instance, user)"),
    (lambda: api.writer("bad")(type("NoClose", (), {"write": lambda self, values: None})),
     "export format 'bad' (class NoClose): hook close is missing (expected close(self))"),
    (lambda: api.assignee_kind("bad")(type("NotAKind", (), {})),
     "assignee kind 'bad': class NotAKind must extend plugins.api.AssigneeKind"),
])
def test_every_registration_checks_its_hooks(register, message):
    with pytest.raises(api.HookError) as exc:
        register()
    assert str(exc.value) == message


def test_function_hooks_register_with_the_same_style(app, user):
    from app.exports.policy import PRINT_RULES
    from plugins.autofill import SOURCES

    @api.autofill_source("user.motto")
    def motto(user, now):
        return "求是"

    @api.print_rule("nobody_but_admins")
    def nobody(instance, user):
        return False

    try:
        assert SOURCES.get("user.motto")(None, None) == "求是"
        assert PRINT_RULES.owner("nobody_but_admins") == __name__
        sdef = validate_text(AMOUNT.replace("form:", "print: {who: nobody_but_admins}\nform:")
                             .replace("rounded_amount", "number").replace("upper_code", "text"))
        assert sdef.print_who == "nobody_but_admins"
    finally:
        SOURCES.unregister("user.motto")
        PRINT_RULES.unregister("nobody_but_admins")


# ---------------------------------------------------------------- normalise and validate

AMOUNT = """
format: 1
id: amounts
number: 903
name: 金额
category: 综合服务
department: 宣传部
form:
  title: 金额
  fields:
    - {name: amount, label: 金额, type: rounded_amount}
    - {name: code, label: 编码, type: upper_code}
steps:
  - {id: fill, name: 填写, by: applicant}
"""


@pytest.fixture
def rounding_types():
    @api.field_type_class("rounded_amount")
    class RoundedAmount(api.FieldType):
        def value_schema(self, field, strict):
            return {"type": "number", "multipleOf": 0.01, "maximum": 100}

        def normalise(self, field, value):
            return round(value, 2) if isinstance(value, float) else value

    @api.field_type_class("upper_code")
    class UpperCode(api.FieldType):
        def value_schema(self, field, strict):
            return {"type": "string", "pattern": "^[A-Za-z]{3}$"}

        def normalise(self, field, value):
            return value.upper() if isinstance(value, str) else value

        def validate(self, field, value):
            return [] if value.isupper() else ["应为大写"]     # sees the normalised value

    yield validate_text(AMOUNT).form
    FIELD_TYPES.unregister("rounded_amount")
    FIELD_TYPES.unregister("upper_code")


def test_a_rounding_normalise_does_not_let_an_over_precise_amount_through(rounding_types):
    _, errors = validate_data(rounding_types, {"amount": 1.234}, applicant={})
    assert errors == {"amount": ["最多两位小数"]}
    clean, errors = validate_data(rounding_types, {"amount": 1.23}, applicant={})
    assert errors == {} and clean["amount"] == 1.23


def test_normalise_tidies_a_valid_value_and_validate_sees_the_result(rounding_types):
    clean, errors = validate_data(rounding_types, {"code": "abc"}, applicant={})
    assert errors == {} and clean["code"] == "ABC"
    _, errors = validate_data(rounding_types, {"code": "ab1"}, applicant={})
    assert list(errors) == ["code"] and len(errors["code"]) == 1


# ---------------------------------------------------------------- keys

KEYED = """
format: 1
id: keyed
number: 904
name: 设置项
category: 综合服务
department: 宣传部
form:
  title: 设置项
  fields:
    - {name: a, label: 甲, type: with_region, region: cn}
    - {name: b, label: 乙, type: other_region, region: 7}
steps:
  - {id: fill, name: 填写, by: applicant}
"""


@pytest.fixture
def keyed_types():
    @api.field_type_class("with_region")
    class WithRegion(api.FieldType):
        keys = {"region": {"enum": ["cn", "hk"], "title": "地区"}}

    @api.field_type_class("other_region")
    class OtherRegion(api.FieldType):
        keys = {"region": {"type": "integer", "title": "区号"}}

    yield
    FIELD_TYPES.unregister("with_region")
    FIELD_TYPES.unregister("other_region")
    KEYS.pop("colour", None)


def test_a_types_own_key_is_its_own(keyed_types):
    validate_text(KEYED)                              # one name, two meanings, each its own
    assert "region" not in KEYS
    with pytest.raises(DefinitionError) as exc:
        validate_text(KEYED.replace("type: text", "").replace(
            "- {name: b, label: 乙, type: other_region, region: 7}",
            "- {name: b, label: 乙, type: text, region: cn}"))
    problems = [str(p) for p in exc.value.problems]
    assert len(problems) == 1, problems                # named once, with the text type's keys only
    assert "key 'region' does not apply to a text field (allowed: name, type," in problems[0]
    assert "min_rows" not in problems[0]


def test_an_unknown_key_is_named_once_with_its_types_keys(keyed_types):
    with pytest.raises(DefinitionError) as exc:
        validate_text(KEYED.replace("region: cn", "regoin: cn"))
    problems = [str(p) for p in exc.value.problems]
    assert len(problems) == 1, problems
    assert "unknown key 'regoin'; did you mean 'region'? (allowed for a with_region field:" in problems[0]


def test_a_shared_key_joins_the_types_that_name_it(keyed_types):
    api.shared_key("colour", {"type": "string", "title": "颜色"})
    api.shared_key("colour", {"type": "string", "title": "颜色"})        # the same again: fine
    with pytest.raises(api.RegistryError, match="shared key 'colour' is already defined by"):
        api.shared_key("colour", {"type": "integer"})

    @api.field_type_class("coloured")
    class Coloured(api.FieldType):
        keys = {"colour": None}

    try:
        assert FIELD_TYPES.get("coloured").describe()["keys"]["colour"]["title"] == "颜色"
        with pytest.raises(api.RegistryError, match="uses key 'shade' as shared"):
            api.field_type_class("shaded")(type("Shaded", (api.FieldType,), {"keys": {"shade": None}}))
    finally:
        FIELD_TYPES.unregister("coloured")
