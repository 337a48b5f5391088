"""Message texts: Jinja templates notify/messages/<kind>[.<channel>].txt — first line the
subject, the rest the text — with the instance title, 流水号, step name and an absolute link.

The title and step come from what people typed; a line break in them would cut the subject
short (and a CR in an email header makes every send fail), so they are put on one line."""
from flask import current_app

from app.engine.states import STATUS_LABELS
from plugins.channels import Message

KIND_LABELS = {"todo": "待办", "returned": "退回", "completed": "办结", "terminated": "终止",
               "cc": "抄送", "overdue": "超期提醒", "remind": "催办", "password_changed": "账号安全",
               "password_reset": "账号安全"}


def absolute_link(path: str, config) -> str:
    base = (config.get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    return f"{base}{path}" if path else base + "/"


def one_line(text) -> str:
    """Any run of whitespace or control characters (CR, LF, U+2028, tabs …) → one space."""
    cleaned = "".join(c if c.isprintable() else " " for c in str(text or ""))
    return " ".join(cleaned.split())


def render(notification, config) -> Message:
    instance = notification.instance
    link = absolute_link(notification.link, config)
    template = current_app.jinja_env.select_template([
        f"notify/messages/{notification.kind}.{notification.channel}.txt",
        f"notify/messages/{notification.kind}.txt"])
    text = template.render(
        n=notification, instance=instance, user=notification.user, link=link,
        title=one_line(instance.title if instance else notification.title),
        serial=instance.serial if instance else "", step=one_line(notification.step_name),
        status=STATUS_LABELS.get(instance.status, "") if instance else "",
        extra=notification.extra or {}, site_name=config.get("SITE_NAME", ""))
    subject, _, body = text.strip().partition("\n")
    return Message(subject=one_line(subject)[:300], text=body.strip(), link=link)
