"""Account notices: when a password is changed or reset, its owner hears of it (in-app and
their channels, through the outbox) — so someone whose password was changed by another
person learns of it at once.

Call inside the transaction that stores the password: the notice exists if and only if
the change does. A department's shared 企业微信 robot is not used for these (a personal
notice does not belong in a group chat); a personal robot is.
"""
import uuid

from app.models import User
from app.notify import outbox, prefs

PASSWORD_CHANGED, PASSWORD_RESET = "password_changed", "password_reset"
LINK = "/password"


def _channels(user: User) -> list[str]:
    setting = prefs.setting_of(user)
    personal_robot = bool(setting and setting.wecom_webhook)
    return [c for c in prefs.channels_for(user) if c != "wecom" or personal_robot]


def password_notice(user: User, kind: str, how: str = "") -> list[int]:
    """Outbox rows telling ``user`` their password was changed (``how``: by what means)."""
    if kind not in (PASSWORD_CHANGED, PASSWORD_RESET):
        raise ValueError(f"not an account notice: {kind}")
    key = f"{kind}:user:{user.id}:{uuid.uuid4().hex}"
    return outbox.write(user, kind, key, extra={"how": how}, link=LINK, channels=_channels(user))
