"""The guide's password policy — letters and digits, longer than 6 — plus what a bank adds:
not the initial password, not containing the username or the birth date of the ID card,
not a common password, not the current password. Each refusal says why (Chinese msgids,
translated at request time; English in app/translations).
"""
import functools
import os
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.people.passwords import check_password, initial_password

COMMON_FILE = os.path.join(os.path.dirname(__file__), "data", "common-passwords.txt")
RULE_TEXT = _l("*密码必须由英文字母、数字组成并且密码长度必须大于6位")


@functools.cache
def common_passwords() -> frozenset:
    with open(COMMON_FILE, encoding="utf-8") as f:
        return frozenset(line.strip().lower() for line in f if line.strip() and not line.startswith("#"))


def shape_problem(new: str) -> str | None:
    """The checks that need no account (run by the form before anything is counted)."""
    if len(new) <= 6:
        return _("密码长度必须大于6位")
    if not re.fullmatch(r"[A-Za-z0-9]+", new) or not re.search(r"[A-Za-z]", new) or not re.search(r"\d", new):
        return _("密码必须由英文字母和数字组成（须同时包含字母和数字）")
    if new.lower() in common_passwords():
        return _("密码过于常见，容易被猜到，请换一个")
    return None


def birth_dates(id_card: str | None) -> list[str]:
    """YYYYMMDD and YYMMDD of an 18- or 15-digit ID card number."""
    if not id_card:
        return []
    if len(id_card) == 18:
        full = id_card[6:14]
    elif len(id_card) == 15:
        full = "19" + id_card[6:12]
    else:
        return []
    return [full, full[2:]] if full.isdigit() else []


def password_problem(user, new: str) -> str | None:
    problem = shape_problem(new)
    if problem:
        return problem
    lowered = new.lower()
    initial = initial_password(user.id_card)
    if initial and initial.lower() in lowered:
        return _("密码不能包含初始密码（身份证后六位）")
    if user.username and user.username.lower() in lowered:
        return _("密码不能包含用户名（工号/学号）")
    if any(date in new for date in birth_dates(user.id_card)):
        return _("密码不能包含身份证号中的出生日期")
    if check_password(user.password_hash, new):
        return _("新密码不能与当前密码相同")
    return None
