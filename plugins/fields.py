"""Field types: the registry, the base class every type extends, and the shared keys.

A field type describes itself, so the meta-schema, ``defs validate``, the form renderer,
prints and exports and the designer's palette all read one source:

- ``label`` (Chinese, shown in the designer's palette), ``icon``, ``group``;
- ``keys``: the definition keys the type accepts beyond the common ones, each a JSON Schema
  fragment that belongs to this type alone, or ``None`` to accept a shared key (``KEYS``,
  extended with ``shared_key``); ``required_keys``; ``in_rows`` (may be a column of rows);
- ``value_schema(field, strict)``: the JSON Schema of a stored value (``strict``: required);
- ``parse(field, values)`` / ``from_formdata(…)``: coerce what a form POST sent;
- ``normalise(field, value)``, then ``validate(field, value)``: see ``FieldType``'s doc;
- ``mask(field, value)``: applied by ``plugins.masking`` for viewers who may not see it;
- ``display`` / ``print_value`` / ``export_value``: text for pages, prints and exports;
- ``widget`` (the macro of ``templates/forms/_macros.html``) or ``widget_template`` (a
  plugin's own, ``app.web.plugin_widgets``) and ``wtf_field`` (its WTForms field). WTForms is imported only inside ``wtf_field``: the engine and the
  definition checks use field types without pulling in any web library.

The built-in types live in ``plugins/builtin_fields/``, one module each; a plugin's type is one class
decorated with ``@field_type_class("name")``, imported from ``plugins.api``.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field

from plugins.hooks import hookspec
from plugins.registry import Registry, RegistryError

FIELD_TYPES = Registry("field type")

# Keys every input field accepts, in the order the designer shows them.
COMMON_KEYS = ("name", "type", "label", "required", "readonly", "default", "help", "autofill",
               "visible_when", "required_when", "reuse")
SECTION_KEYS = ("name", "type", "label", "text", "help", "visible_when")

# Shared key definitions (JSON Schema fragments, ``title`` for the designer's property panel).
KEYS: dict[str, dict] = {
    "name": {"$ref": "#/$defs/slug", "title": "内部名称（自动生成）", "x-advanced": True},
    "type": {"title": "字段类型"},
    "label": {"type": "string", "title": "标题"},
    "required": {"type": "boolean", "title": "必填"},
    "readonly": {"type": "boolean", "title": "只读"},
    "default": {"type": ["string", "number", "boolean", "array", "null"], "title": "默认值"},
    "help": {"type": "string", "title": "填写说明"},
    "autofill": {"type": "string", "title": "自动填充", "x-choices": "autofill"},
    "visible_when": {"$ref": "#/$defs/condition", "title": "显示条件"},
    "required_when": {"$ref": "#/$defs/condition", "title": "必填条件",
                      "description": "满足条件时必填（未勾选“必填”时使用）"},
    "reuse": {"type": "boolean", "title": "再次申请时沿用", "x-advanced": True,
              "description": "false：再次申请时不从上一份申请带入此项"},
    "options": {"type": "array", "minItems": 1, "uniqueItems": True,
                "items": {"type": "string", "minLength": 1}, "title": "选项"},
    "max_length": {"type": "integer", "minimum": 1, "title": "最多字数"},
    "pattern": {"type": "string", "minLength": 1, "maxLength": 200, "title": "格式规则（供 IT 填写）",
                "x-advanced": True},
    "minimum": {"type": "number", "title": "最小值"},
    "maximum": {"type": "number", "title": "最大值"},
    "unit": {"enum": ["万元", "元"], "title": "单位"},
    "min_rows": {"type": "integer", "minimum": 0, "title": "最少行数"},
    "max_rows": {"type": "integer", "minimum": 1, "title": "最多行数"},
    "columns": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/column"}, "title": "列"},
    "max_files": {"type": "integer", "minimum": 1, "title": "最多文件数"},
    "max_size": {"type": "integer", "minimum": 1, "title": "单个文件大小上限", "x-scale": [1048576, "MB"],
                 "description": "YAML 中以字节计（10485760 即 10 MB）；设计器中按 MB 填写"},
    "accept": {"type": "array", "uniqueItems": True, "title": "允许的文件类型", "x-choices": "file_kinds",
               "items": {"type": "string", "pattern": "^\\.[A-Za-z0-9]{1,10}$",
                         "x-error": "{value} is not a file extension like .pdf", "x-code": "value.extension"}},
    "text": {"type": "string", "title": "说明文字"},
}
_KEY_OWNERS: dict[str, str] = {name: __name__ for name in KEYS}


def field_type(field) -> "FieldType":
    """The FieldType instance for a definition Field."""
    return FIELD_TYPES.get(field.type)


def field_type_class(name):
    """Class decorator: register one instance of the class as field type ``name``.

    The class's hooks are checked against ``FieldType``'s first, and its keys: a key given
    as ``None`` must be a shared one (``KEYS``), any other belongs to this type alone."""
    def register(cls):
        from plugins.hooks import check_class
        check_class(cls, FieldType, "field type", name)
        _check_keys(name, cls)
        _check_widget(name, cls)
        instance = cls()
        instance.name = name
        FIELD_TYPES.register(name, instance, owner=cls.__module__)
        return cls
    return register


def shared_key(name: str, schema: dict, *, owner: str | None = None) -> None:
    """Declare a key every type may accept by naming it with ``None`` in its ``keys``.

    One name means one thing: a second, different definition is refused."""
    if name in KEYS and KEYS[name] != schema:
        raise RegistryError(f"shared key {name!r} is already defined by {_KEY_OWNERS[name]}")
    KEYS.setdefault(name, schema)
    _KEY_OWNERS.setdefault(name, owner or _caller())


def _caller() -> str:
    import sys
    return sys._getframe(2).f_globals.get("__name__", "?")


def _check_keys(type_name, cls) -> None:
    """A plugin's keys are its own; OneHall's built-in types (``plugins.*``) share theirs,
    so one built-in key means one thing for every built-in type."""
    builtin = cls.__module__.startswith("plugins.")
    for key, schema in (cls.keys or {}).items():
        if builtin and schema is not None:
            try:
                shared_key(key, schema, owner=cls.__module__)
            except RegistryError:
                raise RegistryError(f"field type {type_name!r} redefines key {key!r} "
                                    f"(defined by {_KEY_OWNERS[key]})") from None
            continue
        if schema is None and key not in KEYS:
            raise RegistryError(f"field type {type_name!r} uses key {key!r} as shared (None), "
                                f"but no shared key {key!r} is declared (plugins.api.shared_key)")
        if schema is not None and not isinstance(schema, dict):
            raise RegistryError(f"field type {type_name!r}: key {key!r} must be a JSON Schema "
                                f"fragment (a dict) or None")


def _check_widget(type_name, cls) -> None:
    template = getattr(cls, "widget_template", None)
    if template and (not isinstance(template, str) or "/" not in template or ".." in template):
        raise RegistryError(f"field type {type_name!r}: widget_template {template!r} must name a "
                            f"template in the plugin's templates/ folder, like \"my_plugin/widget.html\"")


@dataclass
class WidgetContext:
    """What building a WTForms field may need beyond the definition."""
    editable: bool = True
    departments: tuple = ()
    row_forms: dict = dc_field(default_factory=dict)


class FieldType:
    """The base of every field type. Methods marked ``@hookspec`` are the hooks a type may
    override; their arguments are checked when the type is registered.

    The order of calls for a submitted value (``validate_data``):
    ``parse``/``from_formdata`` (web forms only) → ``is_empty`` (empty values are dropped)
    → ``normalise`` → the schema (``value_schema``) on the value as sent *and* on the
    normalised value → ``validate`` on the normalised value → ``refs``/``missing_refs`` →
    stored. A normalise may tidy a value (case, spaces, separators) but never makes an
    invalid one valid: 1.234 rounded to 1.23 still fails ``multipleOf: 0.01``.

    For a viewer who may not see the value in full (anyone but the owner and admins) a
    type that masks (it overrides ``mask`` or says ``sensitive``) gets ``mask(field, value)``
    applied by OneHall before the value reaches ``display``/``print_value``/
    ``export_value``, the API's data, titles, lists and notifications.
    """
    name = ""               # set by @field_type_class
    label = ""              # Chinese name in the designer's palette
    icon = "▭"
    group = "基础字段"       # palette group: 基础字段 | 选择 | 人员与附件 | 布局 | plugins' own
    description = ""        # one Chinese sentence under the palette entry
    keys: dict = {}         # key → JSON Schema fragment of this type's own key; None: a shared key
    required_keys: tuple = ()
    in_rows = True          # may be a column of a rows field
    is_input = True         # False for layout-only types (section)
    sensitive = False       # mask for others even without overriding mask() (kept for 1.0)
    widget = "input"        # a built-in control of templates/forms/_macros.html
    widget_template = ""    # or a Jinja template in the plugin's templates/ ("my_plugin/widget.html")
    widget_js = ""          # and an ES module in the plugin package's static/ folder ("widget.js")
    unit = "项"             # counting noun for 至少/最多 messages on list values
    key_depth = 1           # error keys keep this many path parts: name, or name.index.column
    ref_message = ""

    # ------------------------------------------------------------ self-description

    def accepted_keys(self) -> tuple:
        base = COMMON_KEYS if self.is_input else SECTION_KEYS
        return tuple(base) + tuple(k for k in self.keys if k not in base)

    def own_keys(self) -> dict:
        """{key: schema} of the keys that belong to this type alone."""
        return {k: v for k, v in (self.keys or {}).items() if v is not None}

    def key_schema(self, key) -> dict:
        own = (self.keys or {}).get(key)
        return own if own is not None else KEYS.get(key, {})

    @property
    def masks(self) -> bool:
        """Whether values are masked for viewers who may not see them in full."""
        return self.sensitive or type(self).mask is not FieldType.mask

    @hookspec
    def describe(self) -> dict:
        """Plain data for the designer: name, label, icon, group and the keys' schemas."""
        return {"name": self.name, "label": self.label or self.name, "icon": self.icon,
                "group": self.group, "description": self.description,
                "in_rows": self.in_rows, "is_input": self.is_input,
                "required_keys": list(self.required_keys),
                "keys": {k: self.key_schema(k) for k in self.accepted_keys()}}

    # ------------------------------------------------------------ values

    @hookspec
    def value_schema(self, field, strict: bool) -> dict:
        """The JSON Schema of a stored value; ``strict`` when the field is required."""
        core = {"type": "string"}
        if strict:
            core["minLength"] = 1
        return core

    @hookspec
    def normalise(self, field, value):
        """The value as stored (``x`` → ``X``); runs before ``validate``, see the class doc."""
        return value

    @hookspec
    def validate(self, field, value) -> list[str]:
        """Checks beyond the schema, run on values the schema accepted: Chinese messages."""
        return []

    @hookspec
    def refs(self, value) -> list[str]:
        """Values naming things that must exist (users, departments, attachments)."""
        return []

    @hookspec
    def missing_refs(self, refs: set[str], owners: set[str]) -> set[str]:
        return set()

    @hookspec
    def value_labels(self, refs: set[str]) -> dict[str, str]:
        """Display names for stored references, e.g. attachment token → filename."""
        return {}

    @hookspec
    def from_formdata(self, field, formdata, key, tokens=None, previous=None):
        return self.parse(field, formdata.getlist(key))

    @hookspec
    def parse(self, field, values):
        """What a web form POST sent (a list of strings) → the value, never rounded or cut."""
        return _first(values) or None

    @hookspec
    def is_empty(self, value) -> bool:
        return value is None or value == "" or value == []

    @hookspec
    def mask(self, field, value):
        """The value as a viewer who may not see it in full gets it, everywhere."""
        return value

    @hookspec
    def display(self, field, value, reveal: bool = True) -> str:
        """Text for pages. ``reveal`` is False when ``value`` was already masked."""
        if value is None:
            return ""
        return str(value)

    @hookspec
    def print_value(self, field, value, reveal: bool = True):
        return self.display(field, value, reveal)

    @hookspec
    def export_value(self, field, value, reveal: bool = True) -> str:
        shown = self.display(field, value, reveal)
        return "" if shown is None else str(shown)

    # ------------------------------------------------------------ widget

    @hookspec
    def attrs(self, field) -> dict:
        """HTML attributes of the input (maxlength, placeholder, inputmode …)."""
        return {}

    @hookspec
    def wtf_field(self, field, ctx):
        import wtforms
        return wtforms.StringField(**common_kwargs(field, ctx, **self.attrs(field)))


def _first(values):
    for v in values:
        if isinstance(v, str):
            return v.strip()
    return ""


def common_kwargs(field, ctx, default=None, **render):
    """Keyword arguments every WTForms field gets: label, help, default, HTML attributes."""
    render = {k: v for k, v in render.items() if v is not None}
    if not ctx.editable:
        render["disabled"] = True
    return {"label": field.label, "description": field.help, "render_kw": render,
            "default": field.default if default is None else default}


def palette() -> list[dict]:
    """Every registered type's description: the built-ins in their order, then plugins' types."""
    types = [t for t in FIELD_TYPES.values() if not getattr(t, "schema_only", False)]
    return [t.describe() for t in sorted(types, key=lambda t: not FIELD_TYPES.owner(t.name)
                                         .startswith("plugins."))]
