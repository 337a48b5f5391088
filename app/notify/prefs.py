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


_CHOICES = []


def _choices_statement():
    """The user's saved choice and both webhooks in one prepared query (it runs inside every
    transition that notifies someone)."""
    if not _CHOICES:
        from peewee import JOIN

        from app.db.prepared import Statement
        _CHOICES.append(Statement(
            lambda s: (User.select(NotifySetting.channels, NotifySetting.wecom_webhook,
                                   DepartmentWebhook.wecom_webhook)
                       .join(NotifySetting, JOIN.LEFT_OUTER, on=(NotifySetting.user == User.id))
                       .switch(User)
                       .join(DepartmentWebhook, JOIN.LEFT_OUTER,
                             on=(DepartmentWebhook.department == User.department))
                       .where(User.id == s.user)),
            user=User.id))
    return _CHOICES[0]


def channels_for(user: User) -> list[str]:
    """The channels this user gets messages on: chosen, and able to reach them."""
    row = _choices_statement().execute(user=user.id).fetchone() or (None, None, None)
    setting = None
    if row[0] is not None:
        setting = NotifySetting(channels=NotifySetting.channels.python_value(row[0]),
                                wecom_webhook=row[1] or "")
    who = Recipient(user_id=user.id, name=user.name, email=user.email or "",
                    phone=user.phone or "", wecom_webhook=(row[1] or "") or (row[2] or ""))
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
