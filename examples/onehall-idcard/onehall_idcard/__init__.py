"""OneHall plugin: field type ``idcard`` and assignee kind ``id_checker``.

``idcard`` is a mainland resident ID number (居民身份证号码, GB 11643-1999): 18 characters,
17 digits and a check character (0–9 or X) computed with ISO 7064 MOD 11-2. It defines
``mask()``, so OneHall shows it masked (3701**********1234) to everyone but the applicant
and admins — on pages, in lists and titles, the API, prints, exports and notifications.
It brings its own widget: a template and a small script that checks the digit as one types.

``id_checker`` routes a step to the holders of the role ``id_checker`` (证件核验员) in the
applicant's department (``{id_checker: applicant}``) or in a named one
(``{id_checker: 宣传部}``).
"""
from plugins.api import AssigneeKind, FieldType, assignee_kind, field_type_class, users_with_role

requires_api = "1"

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
ROLE = "id_checker"


def check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def problem(value: str) -> str | None:
    """Why ``value`` is not a valid ID number (in Chinese), or None."""
    if len(value) != 18:
        return "身份证号应为18位"
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        return "身份证号格式不正确（前17位为数字，最后一位为数字或X）"
    if check_char(value[:17]) != value[17]:
        return "校验码不正确"
    return None


def mask(value: str) -> str:
    return value[:4] + "*" * (len(value) - 8) + value[-4:] if len(value) > 8 else "*" * len(value)


@field_type_class("idcard")
class IdCard(FieldType):
    label = "身份证号"
    icon = "▤"
    group = "人员与附件"
    description = "居民身份证号码，18位，自动校验最后一位校验码；除申请人和管理员外均显示为掩码"
    keys = {"allow_foreign": {"type": "boolean", "title": "允许港澳台居民居住证号码",
                              "description": "830000/810000/820000 开头的居住证号码同样校验"}}
    widget_template = "onehall_idcard/widget.html"
    widget_js = "idcard.js"

    def value_schema(self, field, strict):
        return {"type": "string", "minLength": 1 if strict else 0, "maxLength": 18}

    def parse(self, field, values):
        text = next((v for v in values if isinstance(v, str)), "").strip()
        return text or None

    def normalise(self, field, value):
        return value.strip().upper() if isinstance(value, str) else value

    def validate(self, field, value):
        reason = problem(value) if isinstance(value, str) else "格式不正确"
        if not reason and value[:2] in ("81", "82", "83") and not field.get("allow_foreign"):
            reason = "此处不接受港澳台居民居住证号码"
        return [reason] if reason else []

    def mask(self, field, value):
        return mask(value) if isinstance(value, str) else value

    def attrs(self, field):
        return {"maxlength": 18, "autocomplete": "off", "inputmode": "text",
                "placeholder": "18位身份证号码"}


@assignee_kind("id_checker")
class IdChecker(AssigneeKind):
    label, syntax = "证件核验员", "{id_checker: applicant} or {id_checker: DEPARTMENT}"
    schema = {"type": "object", "required": ["id_checker"], "additionalProperties": False,
              "properties": {"id_checker": {"type": "string", "minLength": 1, "title": "部门",
                                            "description": "applicant：申请人所在单位"}}}
    presets = (("申请人所在单位的证件核验员", {"id_checker": "applicant"}),)

    def resolve(self, spec, ctx):
        where = spec["id_checker"]
        department = ctx.applicant.department_name if where == "applicant" else where
        return users_with_role(ROLE, department) if department else []

    def describe(self, spec, form=None):
        where = spec["id_checker"]
        return ("申请人所在单位" if where == "applicant" else where) + "的证件核验员"
