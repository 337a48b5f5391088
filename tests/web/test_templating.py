"""Templates' gettext (app/web/templating.py): the request's language, escaping, format strings.

The catalogue is looked up once per request and kept beside Flask-Babel's locale; these
tests fail if a page kept the language of an earlier request or ignored ``force_locale``.
"""
from flask_babel import force_locale

from tests.hall.helpers import weekly


def render(app, source, lang=None, **values):
    headers = {"Cookie": f"lang={lang}"} if lang else {}
    with app.test_request_context("/", headers=headers):
        return app.jinja_env.from_string(source).render(**values)


def test_the_language_switch_changes_the_same_clients_page(app, login_as):
    with app.app_context():
        weekly()
    leader = login_as("t2002")
    for lang, wanted, unwanted in (("zh_CN", "每页 10 条, 共1条", "10 per page"),
                                   ("en", "10 per page, 1 in all", "每页 10 条"),
                                   ("zh_CN", "待办事项", "To do")):
        leader.set_cookie("lang", lang)
        html = leader.get("/me/items?box=todo").get_data(as_text=True)
        assert wanted in html and unwanted not in html, lang


def test_variables_are_escaped_and_the_text_is_a_format_string(app):
    source = "{{ _('选择 %(title)s（流水号 %(serial)s）', title=t, serial=7) }}|{{ _('以下服务90%%的办结用时超过其预计时限') }}"
    zh = render(app, source, t="<b>甲</b>")
    assert zh == "选择 &lt;b&gt;甲&lt;/b&gt;（流水号 7）|以下服务90%的办结用时超过其预计时限"
    en = render(app, source, lang="en", t="<b>甲</b>")
    assert en == ("Select &lt;b&gt;甲&lt;/b&gt; (serial 7)|the 90th percentile of these "
                  "services' time to complete exceeds their time limit")


def test_force_locale_inside_a_request_is_obeyed(app):
    template = app.jinja_env.from_string("{{ _('待办事项') }}")
    with app.test_request_context("/"):
        before = template.render()
        with force_locale("en"):
            forced = template.render()
        after = template.render()
    assert (before, forced, after) == ("待办事项", "To do", "待办事项")


def test_ngettext_in_templates(app):
    source = "{{ ngettext('%(num)s天', '%(num)s天', 3) }}"
    assert render(app, source) == "3天"
    assert render(app, source, lang="en") == "3 days"


def test_a_label_of_a_constant_follows_each_request(app, login_as):
    """items.html's ``'returned'|status_label`` is compiled by a Chinese request first."""
    from app.engine import core
    from tests.hall.helpers import person
    with app.app_context():
        core.act(weekly(), person("t2002"), "return", opinion="请补充")
    applicant = login_as("t2001")
    assert "已退回" in applicant.get("/me/items?box=in_progress").get_data(as_text=True)
    applicant.set_cookie("lang", "en")
    html = applicant.get("/me/items?box=in_progress").get_data(as_text=True)
    assert '<span class="tag warn">Returned</span>' in html and "已退回" not in html
