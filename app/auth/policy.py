"""The guide's password policy: letters and digits, longer than 6 — plus what a bank adds."""
import re

from app.passwords import initial_password

COMMON = {"password1", "abc12345", "qwerty123", "a1234567", "abcd1234", "1qaz2wsx",
          "passw0rd", "aa123456", "a123456789", "woaini1314", "qq123456", "admin123"}


def password_problem(user, new: str) -> str | None:
    if len(new) <= 6:
        return "密码长度必须大于6位"
    if not re.fullmatch(r"[A-Za-z0-9]+", new) or not re.search(r"[A-Za-z]", new) or not re.search(r"\d", new):
        return "密码必须由英文字母和数字组成"
    lowered = new.lower()
    if initial_password(user.id_card) and lowered == initial_password(user.id_card).lower():
        return "新密码不能与初始密码相同"
    if user.username.lower() in lowered:
        return "密码不能包含用户名"
    if user.id_card and len(user.id_card) == 18 and user.id_card[6:14] in new:
        return "密码不能包含出生日期"
    if lowered in COMMON:
        return "密码过于常见，请换一个"
    return None
