"""Plugins load from the ``onehall.plugins`` entry points; a broken one stops start-up with
one clear line; a third party's field type and assignee kind join the format."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

import plugins
from app.defs import validate_text
from app.defs.exceptions import DefinitionError
from app.defs.metaschema import META_SCHEMA_PATH, build_meta_schema
from plugins.assignees import ASSIGNEE_KINDS, AssigneeKind, assignee_kind, describe
from plugins.fields import FIELD_TYPES, FieldType, field_type_class
from tests.conftest import ROOT


def test_builtins_are_loaded_through_the_entry_point_group():
    values = {ep.name: ep.value for ep in plugins.entry_points()}
    assert values["fields"] == "plugins.builtin_fields"
    assert values["assignees"] == "plugins.assignees"
    assert values["idcard"] == "onehall_idcard"              # the example plugin, installed by make test
    assert set(values) <= set(plugins.load())


def test_shipped_meta_schema_is_the_builtins_build():
    """definitions/meta-schema.json is what `flask defs meta-schema --builtin-only` writes."""
    shipped = json.loads(META_SCHEMA_PATH.read_text(encoding="utf-8"))
    assert shipped == build_meta_schema(builtin_only=True)
    assert "idcard" not in shipped["$defs"]["field"]["properties"]["type"]["enum"]
    assert "idcard" in build_meta_schema()["$defs"]["field"]["properties"]["type"]["enum"]


def _fake_distribution(tmp_path, name, module_source):
    """An installed distribution (a .dist-info with entry_points.txt) that declares a plugin."""
    (tmp_path / f"{name}_plugin.py").write_text(textwrap.dedent(module_source), encoding="utf-8")
    info = tmp_path / f"{name}_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[onehall.plugins]\n{name} = {name}_plugin\n")


def _start(tmp_path, *args):
    env = dict(os.environ, PYTHONPATH=f"{tmp_path}{os.pathsep}{ROOT}", FLASK_APP="wsgi",
               DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}", HUEY_URL=f"sqlite:///{tmp_path / 'q.db'}")
    return subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_plugin_that_fails_to_import_stops_start_up_with_one_line(tmp_path):
    _fake_distribution(tmp_path, "broken", "import no_such_module_here\n")
    result = _start(tmp_path, "plugins")
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "plugin 'broken' (broken_plugin) failed to load" in lines[0]
    assert "no_such_module_here" in lines[0] and "Traceback" not in result.stderr


def test_a_plugin_registering_a_taken_name_stops_start_up_naming_both(tmp_path):
    _fake_distribution(tmp_path, "dup", """
        from plugins.fields import FieldType, field_type_class

        @field_type_class("text")
        class MyText(FieldType):
            label = "我的文本"
    """)
    result = _start(tmp_path, "plugins")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert ("plugin 'dup' (dup_plugin): field type 'text' is already registered by "
            "plugins.builtin_fields.text") in result.stderr


def test_flask_plugins_lists_what_each_plugin_registered(tmp_path):
    result = _start(tmp_path, "plugins")
    assert result.returncode == 0, result.stderr
    assert "idcard (onehall_idcard)" in result.stdout
    assert "  field types: idcard" in result.stdout and "  assignee kinds: id_checker" in result.stdout
    assert "fields (plugins.builtin_fields)" in result.stdout


@pytest.fixture
def phone_and_ldap():
    """A third party's field type `phone` and assignee kind `ldap_group`, registered at run time."""
    @field_type_class("phone")
    class Phone(FieldType):
        label = "手机号"
        keys = {"region": {"enum": ["cn", "hk"], "title": "地区"}}

        def validate(self, field, value):
            return [] if value.isdigit() and len(value) == 11 else ["请输入11位手机号"]

    @assignee_kind("ldap_group")
    class LdapGroup(AssigneeKind):
        label, syntax = "LDAP 组", "{ldap_group: G}"
        schema = {"type": "object", "required": ["ldap_group"], "additionalProperties": False,
                  "properties": {"ldap_group": {"type": "string", "minLength": 1}}}

        def resolve(self, spec, ctx):
            return []

        def describe(self, spec, form=None):
            return f"LDAP 组“{spec['ldap_group']}”的成员"

    yield
    FIELD_TYPES.unregister("phone")
    ASSIGNEE_KINDS.unregister("ldap_group")
    from plugins.fields import KEYS
    KEYS.pop("region", None)


PLUGGED = """
format: 1
id: plugged
number: 901
name: 插件测试
category: 综合服务
department: 宣传部
form:
  title: 插件测试
  fields:
    - {name: mobile, label: 手机, type: phone, region: cn, required: true}
steps:
  - {id: fill, name: 填写, by: applicant}
  - {id: it, name: 审批, by: {ldap_group: it-staff}}
"""


def test_a_plugins_field_type_and_assignee_kind_pass_validate(phone_and_ldap):
    sdef = validate_text(PLUGGED)
    field = sdef.form.field("mobile")
    assert field.type == "phone" and field.get("region") == "cn"
    assert describe(sdef.steps[1].by) == "LDAP 组“it-staff”的成员"


def test_a_plugins_type_checks_values_and_keys(phone_and_ldap):
    from app.defs.validate import validate_data
    sdef = validate_text(PLUGGED)
    _, errors = validate_data(sdef.form, {"mobile": "123"}, applicant={})
    assert errors == {"mobile": ["请输入11位手机号"]}
    with pytest.raises(DefinitionError) as exc:
        validate_text(PLUGGED.replace("region: cn", "region: us"))
    assert "region" in str(exc.value.problems[0])


def test_an_unknown_field_type_names_the_registered_ones():
    with pytest.raises(DefinitionError) as exc:
        validate_text(PLUGGED.replace("type: phone, region: cn", "type: phone"))
    message = str(exc.value.problems[0])
    assert "'phone' is not a field type (one of: text, textarea," in message
    assert "idcard" in message                               # every loaded plugin's type is named
