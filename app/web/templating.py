"""Template filters and globals shared by every blueprint."""
import re
from datetime import timedelta, timezone

from flask import g
from flask_babel import get_translations
from jinja2 import pass_context
from markupsafe import Markup

from app.defs.model import AUDIENCE_LABELS, format_duration
from app.engine.core import ACTION_LABELS, STATUS_LABELS

CHINA = timezone(timedelta(hours=8))


def local_time(value, fmt="%Y-%m-%d %H:%M"):
    if not value:
        return ""
    return value.replace(tzinfo=timezone.utc).astimezone(CHINA).strftime(fmt)


TASK_STATUS_LABELS = {"open": "办理中...", "waiting": "等待加签人办理", "done": "已办理", "closed": "已关闭",
                      "cc": "抄送"}


def N_(text):
    """Marks a string for the catalogue (pybabel) without translating it here."""
    return text


# The engine keeps its labels in Chinese and imports no Flask; these lines let pybabel
# extract them so the filters below can translate them (tests/hall/test_i18n.py checks).
RUNTIME_LABELS = (
    N_("齐鲁工业大学 一网通 线上办事大厅"),
    N_("草稿"), N_("办理中"), N_("已退回"), N_("已完成"), N_("已终止"),
    N_("存草稿"), N_("提交"), N_("通过"), N_("退回"), N_("终止"), N_("撤回"), N_("转办"), N_("关闭"),
    N_("办结"), N_("改派"), N_("版本迁移"), N_("催办"), N_("加签"), N_("教职工"), N_("学生"), N_("校外人员"), N_("已办理"), N_("已关闭"), N_("抄送"), N_("等待加签人办理"),
    N_("您没有权限发起该流程"), N_("该服务已停用"), N_("回访答复"),
    N_("转交"), N_("跳过"),
)


# Field error messages come from the validators in Chinese (with numbers inside); the
# page translates them here, fixed texts by gettext and the numbered ones by pattern.
FIELD_ERRORS = (
    N_("此项为必填项"), N_("请输入数字"), N_("格式不正确"), N_("请选择有效的选项"), N_("请勾选同意"),
    N_("请输入有效的值"), N_("不能重复选择"), N_("最多两位小数"), N_("请输入有效的日期 (YYYY-MM-DD)"),
    N_("请输入有效的日期和时间 (YYYY-MM-DD HH:MM)"), N_("附件无效或不属于申请人"), N_("用户不存在"),
    N_("部门不存在"), N_("请填写审批意见"), N_("不能退回到该步骤"), N_("文件名无效"),
    N_("文件内容与扩展名不符"), N_("不能上传空文件"), N_("表单填写有误，请检查标出的字段"), N_("附件有误"),
)
ERROR_PATTERNS = tuple((re.compile(pattern), msgid) for pattern, msgid in (
    (r"^至少输入(?P<n>\d+)个字$", N_("至少输入%(n)s个字")),
    (r"^最多可输入(?P<n>\d+)个字$", N_("最多可输入%(n)s个字")),
    (r"^必须是(?P<n>[-\d.e+]+)的倍数$", N_("必须是%(n)s的倍数")),
    (r"^至少需要(?P<n>\d+)项$", N_("至少需要%(n)s项")),
    (r"^至少需要(?P<n>\d+)个附件$", N_("至少需要%(n)s个附件")),
    (r"^至少需要(?P<n>\d+)行$", N_("至少需要%(n)s行")),
    (r"^最多(?P<n>\d+)项$", N_("最多%(n)s项")),
    (r"^最多(?P<n>\d+)个附件$", N_("最多%(n)s个附件")),
    (r"^最多(?P<n>\d+)行$", N_("最多%(n)s行")),
    (r"^不能小于(?P<n>[-\d.e+]+)$", N_("不能小于%(n)s")),
    (r"^不能大于(?P<n>[-\d.e+]+)$", N_("不能大于%(n)s")),
    (r"^必须大于(?P<n>[-\d.e+]+)$", N_("必须大于%(n)s")),
    (r"^必须小于(?P<n>[-\d.e+]+)$", N_("必须小于%(n)s")),
    (r"^未知字段 (?P<name>.+)$", N_("未知字段 %(name)s")),
    (r"^不支持的文件类型，仅允许：(?P<types>.+)$", N_("不支持的文件类型，仅允许：%(types)s")),
    (r"^文件过大，最大 (?P<size>.+)$", N_("文件过大，最大 %(size)s")),
))


def field_error(message):
    """One validation message in the page's language."""
    from flask_babel import gettext
    text = str(message or "")
    for pattern, msgid in ERROR_PATTERNS:
        found = pattern.match(text)
        if found:
            return gettext(msgid, **found.groupdict())
    return gettext(text) if text else ""


def _english() -> bool:
    from flask_babel import get_locale
    return str(get_locale()) == "en"


def duration(text):
    """预计时限 in the page's language: 2w / 2周 → 2周 / 2 weeks, 5个工作日 → 5 working days."""
    from flask_babel import ngettext
    shown = format_duration(text)
    m = re.match(r"^(\d+)(小时|天|周|个工作日)$", shown or "")
    if not _english() or not m:
        return shown
    n = int(m.group(1))
    return {"小时": lambda: ngettext("%(num)s小时", "%(num)s小时", n),
            "天": lambda: ngettext("%(num)s天", "%(num)s天", n),
            "周": lambda: ngettext("%(num)s周", "%(num)s周", n),
            "个工作日": lambda: ngettext("%(num)s个工作日", "%(num)s个工作日", n)}[m.group(2)]()


def colon() -> str:
    """The colon after a label: full-width in Chinese (a global, so imported macros have it)."""
    return ": " if _english() else "："


def list_join(values):
    """A list of names: 、 in Chinese, commas in English."""
    return (", " if _english() else "、").join(str(v) for v in values or [])


def ordered_errors(errors, form_def):
    """(key, messages) of a refused form in the order of its fields (rows by row, then column)."""
    names = [f.name for f in form_def.fields]

    def rank(key):
        parts = key.split(".")
        if key == "_":
            return (-1, 0, 0)
        field = form_def.field(parts[0])
        if field is None:
            return (len(names), 0, 0)
        row = int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else -1
        columns = [c.name for c in field.columns or ()]
        column = columns.index(parts[2]) if row >= 0 and parts[2] in columns else -1
        return (names.index(parts[0]), row, column)
    return sorted((errors or {}).items(), key=lambda item: rank(item[0]))


def translated(text):
    """gettext for a label chosen at run time; a plain str, so Jinja still escapes it."""
    return catalogue().ugettext(text) if text else ""


def catalogue():
    """This request's translations: Flask-Babel's, looked up once per request and locale.

    ``flask_babel.get_translations()`` finds the request's babel state three times and
    names the locale anew on each call (~10 µs); a list page asks ~150 times. The result is
    kept beside Flask-Babel's own locale in ``g`` and used while that locale object is still
    the request's (``force_locale`` and ``refresh`` replace it, so they are obeyed)."""
    try:
        state = g.get("_flask_babel")
    except RuntimeError:                    # no app context: Flask-Babel's fallback
        return get_translations()
    kept = getattr(state, "onehall_catalogue", None)
    if kept is not None and kept[0] is getattr(state, "babel_locale", None):
        return kept[1]
    translations = get_translations()
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    if locale is not None:
        state.onehall_catalogue = (locale, translations)
    return translations


@pass_context
def jinja_gettext(context, string, **variables):
    """``_()`` / ``gettext()`` in templates, as Jinja's new-style gettext does it (escaped
    variables, the text always a format string) in one call instead of three."""
    text = catalogue().ugettext(string)
    if context.eval_ctx.autoescape:
        # Markup is safe here: the text is our own catalogue's (msgids in our templates,
        # msgstrs in app/translations), never user input; ``Markup % variables`` escapes
        # every variable, exactly as Jinja's own new-style gettext does.
        text = Markup(text)
    if not variables and "%" not in text:
        return text
    return text % variables


@pass_context
def jinja_ngettext(context, singular, plural, num, **variables):
    variables.setdefault("num", num)
    text = catalogue().ungettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        text = Markup(text)                 # safe as in jinja_gettext: our text, escaped variables
    return text % variables


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


def per_request(language_filter):
    """A filter whose text depends on the request's language. Jinja folds a filter of a
    constant (``'returned'|status_label``) into the compiled template, in the language of
    the request that compiled it; a ``pass_context`` filter it leaves to each render."""
    @pass_context
    def in_this_request(_context, *args, **kwargs):
        return language_filter(*args, **kwargs)
    return in_this_request


def init_app(app):
    # After Flask-Babel installed Jinja's i18n extension (extensions.init_app): the same
    # callables, cheaper (catalogue()).
    app.jinja_env.globals.update(_=jinja_gettext, gettext=jinja_gettext, ngettext=jinja_ngettext)
    app.jinja_env.filters.update(
        local_time=local_time,
        ordered_errors=ordered_errors,
        **{name: per_request(f) for name, f in dict(
            keep_period=keep_period,
            status_label=lambda s: translated(STATUS_LABELS.get(s, s)),
            action_label=lambda a: translated(ACTION_LABELS.get(a, a)),
            task_status_label=lambda s: translated(TASK_STATUS_LABELS.get(s, s)),
            audience_label=audience_label,
            duration=duration,
            list_join=list_join,
            tr=translated,
            field_error=field_error,
        ).items()},
    )
    from app.engine.queries import is_overdue
    from app.web.fragments import Late, fragments
    app.jinja_env.globals["is_overdue"] = is_overdue
    app.jinja_env.globals["fragments"] = fragments
    app.jinja_env.globals["late"] = Late
    app.jinja_env.globals["colon"] = colon

    @app.context_processor
    def globals_():
        from flask import current_app
        from flask_login import current_user
        counts = {}
        user = current_user._get_current_object()
        if user.is_authenticated:
            from app.engine.queries import box_counts
            counts = box_counts(user)
        from flask_babel import get_locale, gettext
        return {"site_name": gettext(current_app.config["SITE_NAME"]), "badge_counts": counts,
                "locale": str(get_locale() or "zh_CN")}
