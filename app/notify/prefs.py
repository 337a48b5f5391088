"""Who gets which channel: users' choices (NotifySetting) over the defaults, and where each
channel reaches them (email, phone, their own or their department's 企业微信 webhook)."""
from app.models import User
from app.models.notify import DepartmentWebhook, NotifySetting
from plugins.channels import CHANNELS, Recipient


def setting_of(user) -> NotifySetting | None:
    return NotifySetting.get_or_none(NotifySetting.user == user)


def department_webhook(user) -> str:
    if not user.department_id:
        return ""
    row = DepartmentWebhook.get_or_none(DepartmentWebhook.department == user.department_id)
    return row.wecom_webhook if row else ""


def recipient(user: User, setting: NotifySetting | None = None) -> Recipient:
    personal = setting.wecom_webhook if setting else ""
    return Recipient(user_id=user.id, name=user.name, email=user.email or "",
                     phone=user.phone or "", wecom_webhook=personal or department_webhook(user))


def chosen(setting: NotifySetting | None) -> set:
    """Channel names switched on: always-on ones plus the saved choice or the defaults."""
    names = {name for name, c in CHANNELS.items() if c.always_on}
    if setting is None:
        return names | {name for name, c in CHANNELS.items() if c.default_on}
    return names | {name for name in setting.channels if name in CHANNELS}


def channels_for(user: User) -> list[str]:
    """The channels this user gets messages on: chosen, and able to reach them."""
    setting = setting_of(user)
    who = recipient(user, setting)
    return sorted(name for name in chosen(setting) if CHANNELS.get(name).address(who))


def save(user: User, channels: list[str], wecom_webhook: str) -> None:
    from app.models import utcnow
    optional = [n for n in channels if n in CHANNELS and not CHANNELS.get(n).always_on]
    (NotifySetting.insert(user=user, channels=sorted(optional), wecom_webhook=wecom_webhook,
                          updated=utcnow())
     .on_conflict(conflict_target=[NotifySetting.user],
                  update={NotifySetting.channels: sorted(optional),
                          NotifySetting.wecom_webhook: wecom_webhook,
                          NotifySetting.updated: utcnow()})
     .execute())
