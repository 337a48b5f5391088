"""Guessing rules: a label (and the shape of its blank) → a field's type and keys, each
guess with the reason shown to the admin. Data, not an if-chain, where it can be."""
from __future__ import annotations

import re

CHOICE_MARKS = "□☐○◯〇▢"
_CHOICE = re.compile(rf"[{CHOICE_MARKS}]\s*([^{CHOICE_MARKS}\s：:，,；;（）()]+)")
_STRIP = re.compile(r"[\s*＊:：]+")
_BLANKS = re.compile(r"_{2,}|＿{2,}")

PHONE = r"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}|[0-9]{7,8})$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"
ID_CARD = r"^[0-9]{17}[0-9Xx]$"

# (words in the label, field keys, why) — the first rule that matches wins
TYPE_RULES = [
    (("身份证号", "身份证件号", "证件号码"), "idcard", "身份证号"),
    (("电话", "手机", "联系方式"), {"type": "text", "pattern": PHONE}, "电话号码"),
    (("邮箱", "电子邮件", "Email", "E-mail", "email"), {"type": "text", "pattern": EMAIL}, "电子邮箱"),
    (("金额", "费用", "万元", "（元）", "(元)", "单价", "总价", "预算", "合计"), {"type": "money"}, "金额"),
    (("数量", "人数", "天数", "份数", "件数", "张数", "次数", "台数", "学时", "学分", "成绩", "分数", "得分",
      "年龄", "面积"), {"type": "number", "minimum": 0}, "数字"),
    (("附件", "材料", "扫描件", "证明文件"), {"type": "file", "max_files": 5}, "附件"),
    (("日期", "年月日", "出生年月"), {"type": "date"}, "日期"),
    (("时间",), {"type": "datetime"}, "日期时间"),
    (("理由", "事由", "说明", "内容", "情况", "原因", "简介", "备注", "摘要", "用途"), {"type": "textarea"}, "多行文本"),
]
MONEY_SUFFIX = ("费", "元")
PLAIN_SUFFIX = ("项目", "类别", "来源", "名称", "卡号", "编号", "账号", "科目")

# profile labels → autofill source (the label with 所在 / 申请人 / 名称 taken off)
PROFILE = {"姓名": "user.name", "申请人": "user.name", "工号": "user.username", "职工号": "user.username",
           "学号": "user.username", "报销人": "user.name", "出差人": "user.name",
           "领用人": "user.name", "请假人": "user.name", "单位": "user.department", "部门": "user.department",
           "学院": "user.department", "联系电话": "user.phone"}
_PROFILE_PREFIX = re.compile(r"^(所在|申请人|申请|学生|教师|本人)")
_PROFILE_SUFFIX = re.compile(r"(名称)$")

# a value cell holding only a unit ("        元") is a blank of that kind
UNIT_CELLS = {"元": {"type": "money"}, "万元": {"type": "money", "unit": "万元"},
              **{u: {"type": "number", "minimum": 0} for u in ("天", "人", "份", "个", "件", "台", "小时", "次", "张")}}

TYPE_NAMES = {"text": "单行文本", "textarea": "多行文本", "number": "数字", "money": "金额", "date": "日期",
              "datetime": "日期时间", "radio": "单选", "checkboxes": "多选", "file": "附件", "rows": "明细表",
              "idcard": "身份证号", "section": "说明文字"}


def clean_label(text: str) -> tuple[str, bool]:
    """(label, required): colons, spaces and stars stripped; a star means required."""
    required = "*" in text or "＊" in text
    label = _STRIP.sub("", _BLANKS.sub("", text))
    label = re.sub(r"[（(](必填|选填)[）)]", "", label)
    return label.strip("·.。、"), required


def choices(text: str) -> list[str]:
    return [m.strip() for m in _CHOICE.findall(text) if m.strip()]


def has_choices(text: str) -> bool:
    return len(choices(text)) >= 2


def profile_source(label: str) -> str | None:
    core = _PROFILE_SUFFIX.sub("", _PROFILE_PREFIX.sub("", label)) or label
    return PROFILE.get(core) or PROFILE.get(label)


def field_keys(label: str, *, tall: bool = False, options=(), multiple: bool = False,
               idcard: bool = False, column: bool = False) -> tuple[dict, str]:
    """(keys of the field without name/label, why) for a label and its blank."""
    if options:
        kind = "checkboxes" if multiple or "可多选" in label or "多选" in label else "radio"
        return {"type": kind, "options": list(dict.fromkeys(options))}, f"选项 {'、'.join(options)}"
    if label.endswith(PLAIN_SUFFIX):
        return {"type": "text"}, f"标签以“{next(w for w in PLAIN_SUFFIX if label.endswith(w))}”结尾 → 单行文本"
    for words, keys, why in TYPE_RULES:
        if any(w in label for w in words):
            if keys == "idcard":
                keys = {"type": "idcard"} if idcard else {"type": "text", "pattern": ID_CARD}
            keys = dict(keys)
            if keys["type"] == "money" and "元" not in label:
                keys["unit"] = "元"          # a label saying （元） / （万元） already names its unit
            if column and keys["type"] == "file":
                continue
            return keys, f"标签含“{next(w for w in words if w in label)}”→ {why}"
    if label.endswith(MONEY_SUFFIX):
        return {"type": "money", "unit": "元"}, f"标签以“{label[-1]}”结尾 → 金额"
    if tall and not column:
        return {"type": "textarea"}, "空白格较高 → 多行文本"
    return {"type": "text"}, "未见特殊类型的线索"


def is_label(text: str) -> bool:
    """A cell that names a blank: short, not a sentence, not a signature line."""
    label, _ = clean_label(text)
    if not label or len(label) > 20 or "\n" in text.strip():
        return False
    if has_choices(text) or re.fullmatch(r"[0-9.\-/ ]+", label):
        return False
    return not any(w in label for w in ("签字", "签章", "盖章", "签名")) and label not in ("年月日",)
