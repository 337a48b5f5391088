"""Field type ``idcard``: a mainland resident ID number (居民身份证号码, GB 11643-1999).

18 characters: 17 digits and a check character (0–9 or X) computed with ISO 7064 MOD 11-2.
Shown masked (3701**********1234) to everyone but the applicant and admins: on pages,
in lists, prints and exports, and in the API's data.
"""
from plugins.fields import FieldType, field_type_class

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


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
    sensitive = True

    def value_schema(self, field, strict):
        return {"type": "string", "minLength": 1 if strict else 0, "maxLength": 18}

    def parse(self, field, values):
        text = next((v for v in values if isinstance(v, str)), "").strip().upper()
        return text or None

    def normalise(self, field, value):
        return value.strip().upper() if isinstance(value, str) else value

    def validate(self, field, value):
        reason = problem(value) if isinstance(value, str) else "格式不正确"
        return [reason] if reason else []

    def mask(self, field, value):
        return mask(value) if isinstance(value, str) else value

    def attrs(self, field):
        return {"maxlength": 18, "autocomplete": "off", "inputmode": "text",
                "placeholder": "18位身份证号码"}
