"""Tests of form rendering, parsing and validation (renderers/, plugins/fields.py, uploads).

Shared helpers live here: a sample form covering every field type, a throw-away SQLite
database, and a Jinja environment over app/templates.
"""
import os

from jinja2 import Environment, FileSystemLoader

from app.defs.model import Form

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TEMPLATES = os.path.join(ROOT, "app", "templates")

ALL_TYPES = {
    "title": "齐鲁工业大学技术合同审批表",
    "fields": [
        {"name": "unit", "label": "单位", "type": "text", "required": True, "readonly": True,
         "autofill": "user.department"},
        {"name": "project", "label": "项目名称", "type": "text", "required": True, "max_length": 20},
        {"name": "code", "label": "合同编号", "type": "text", "pattern": "^[A-Z]{2}\\d{4}$"},
        {"name": "summary", "label": "内容", "type": "textarea", "max_length": 100},
        {"name": "count", "label": "人数", "type": "number", "minimum": 1, "maximum": 10},
        {"name": "amount", "label": "合同金额", "type": "money", "unit": "万元"},
        {"name": "start", "label": "开始日期", "type": "date"},
        {"name": "meet", "label": "会议时间", "type": "datetime"},
        {"name": "campus", "label": "校区", "type": "select", "options": ["长清", "历城"]},
        {"name": "nature", "label": "项目性质", "type": "radio", "required": True,
         "options": ["技术开发", "技术服务"]},
        {"name": "tags", "label": "类别", "type": "checkboxes", "options": ["横向", "纵向"]},
        {"name": "terms", "label": "承诺", "type": "section", "text": "1.保证合同技术成果法律状况的真实性。"},
        {"name": "agree", "label": "本人已认真阅读，并同意以上全部内容。", "type": "agree", "required": True},
        {"name": "docs", "label": "合同附件", "type": "file", "max_files": 2, "accept": [".pdf"]},
        {"name": "leader", "label": "项目负责人", "type": "user"},
        {"name": "dept", "label": "订立单位", "type": "department"},
        {"name": "detail", "label": "服务说明", "type": "text", "required": True,
         "visible_when": "form.nature == \"技术服务\""},
        {"name": "items", "label": "内容", "type": "rows", "min_rows": 1, "max_rows": 3,
         "columns": [{"name": "text", "label": "工作内容", "type": "textarea", "max_length": 10,
                      "required": True},
                     {"name": "hours", "label": "工时", "type": "number"}]},
    ],
}


def sample_form(**changes) -> Form:
    spec = {"title": ALL_TYPES["title"], "fields": [dict(f) for f in ALL_TYPES["fields"]]}
    spec.update(changes)
    return Form.from_dict(spec)


def fresh_db(tmp_path):
    from app.db import bind, make_database
    from app.models import create_tables
    bind(make_database("sqlite:///" + str(tmp_path / "t.db")))
    create_tables()


def make_user(username="alice", department="CS", **extra):
    from app.models import Department, User
    dept, _ = Department.get_or_create(name=department)
    return User.create(username=username, name=extra.pop("name", username.title()), type="staff",
                       department=dept, password_hash="x", **extra)


def jinja_env() -> Environment:
    """app/templates outside Flask: gettext without a catalogue (the Chinese source texts), the
    app's own template filters, and url_for for the one route the macros link to."""
    from werkzeug.routing import Map, Rule

    from app.web.templating import colon, field_error, ordered_errors, translated
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, extensions=["jinja2.ext.i18n"])
    env.install_null_translations(newstyle=True)
    env.filters.update(field_error=field_error, tr=translated, ordered_errors=ordered_errors)
    urls = Map([Rule("/attachments/<token>", endpoint="center.attachment")]).bind("localhost")
    env.globals["url_for"] = lambda endpoint, **values: urls.build(endpoint, values)
    env.globals["colon"] = colon
    from app.web.uploads import human, limit_of
    env.globals["upload_limit"] = limit_of
    env.filters["file_size"] = human
    return env


def render(template_text: str, **context) -> str:
    return jinja_env().from_string(template_text).render(**context)
