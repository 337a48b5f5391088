"""Template filters and globals shared by every blueprint."""
from datetime import timedelta, timezone

from app.defs.model import AUDIENCE_LABELS, format_duration
from app.engine.core import ACTION_LABELS, STATUS_LABELS

CHINA = timezone(timedelta(hours=8))


def local_time(value, fmt="%Y-%m-%d %H:%M"):
    if not value:
        return ""
    return value.replace(tzinfo=timezone.utc).astimezone(CHINA).strftime(fmt)


TASK_STATUS_LABELS = {"open": "办理中...", "done": "已办理", "closed": "已关闭", "cc": "抄送"}


def N_(text):
    """Marks a string for the catalogue (pybabel) without translating it here."""
    return text


# The engine keeps its labels in Chinese and imports no Flask; these lines let pybabel
# extract them so the filters below can translate them (tests/hall/test_i18n.py checks).
RUNTIME_LABELS = (
    N_("齐鲁工业大学 一网通 线上办事大厅"),
    N_("草稿"), N_("办理中"), N_("已退回"), N_("已完成"), N_("已终止"),
    N_("存草稿"), N_("提交"), N_("通过"), N_("退回"), N_("终止"), N_("撤回"), N_("转办"), N_("关闭"),
    N_("办结"), N_("改派"), N_("版本迁移"), N_("催办"), N_("加签"), N_("教职工"), N_("学生"), N_("校外人员"), N_("已办理"), N_("已关闭"), N_("抄送"),
    N_("您没有权限发起该流程"), N_("该服务已停用"), N_("回访答复"),
)


def translated(text):
    """gettext for a label chosen at run time; a plain str, so Jinja still escapes it."""
    from flask_babel import gettext
    return gettext(text) if text else ""


def audience_label(codes):
    from flask_babel import get_locale
    sep = ", " if str(get_locale()) == "en" else "、"
    return sep.join(translated(AUDIENCE_LABELS.get(c, c)) for c in codes)


_KEEP_UNITS = {"d": ("天", "days"), "天": ("天", "days"), "w": ("周", "weeks"), "周": ("周", "weeks"),
               "m": ("个月", "months"), "个月": ("个月", "months"), "月": ("个月", "months"),
               "y": ("年", "years"), "年": ("年", "years")}


def keep_period(text) -> str:
    """A retention period for people: 3y → 3年 (3 years in English)."""
    import re
    from flask_babel import get_locale
    m = re.match(r"^(\d+)\s*(d|w|m|y|天|周|个月|月|年)$", str(text or "").strip())
    if not m:
        return str(text or "")
    zh, en = _KEEP_UNITS[m.group(2)]
    if str(get_locale()) == "en":
        return f"{m.group(1)} {en[:-1] if m.group(1) == '1' else en}"
    return f"{m.group(1)}{zh}"


def init_app(app):
    app.jinja_env.filters.update(
        keep_period=keep_period,
        local_time=local_time,
        status_label=lambda s: translated(STATUS_LABELS.get(s, s)),
        action_label=lambda a: translated(ACTION_LABELS.get(a, a)),
        task_status_label=lambda s: translated(TASK_STATUS_LABELS.get(s, s)),
        audience_label=audience_label,
        duration=format_duration,
        tr=translated,
    )
    from app.engine.queries import is_overdue
    app.jinja_env.globals["is_overdue"] = is_overdue

    @app.context_processor
    def globals_():
        from flask import current_app
        from flask_login import current_user
        counts = {}
        if current_user.is_authenticated:
            from app.engine.queries import box_counts
            counts = box_counts(current_user)
        from flask_babel import get_locale, gettext
        return {"site_name": gettext(current_app.config["SITE_NAME"]), "badge_counts": counts,
                "locale": str(get_locale() or "zh_CN")}
