"""render_form / render_readonly draw every field type with escaped values."""
import re

import pytest

from renderers.form import build_form, display_rows
from tests.forms import fresh_db, make_user, render, sample_form

FORM_TEMPLATE = ('{% from "forms/_macros.html" import render_form %}'
                 '{{ render_form(form, wtform, editable, errors, applicant=applicant) }}')
READONLY_TEMPLATE = '{% from "forms/_macros.html" import render_readonly %}{{ render_readonly(rows, "T") }}'


def draw(form, data=None, editable=None, errors=None, formdata=None, applicant=None):
    wtform = build_form(form, formdata=formdata, data=data, editable=editable,
                        departments=["CS", "宣传部"])
    return render(FORM_TEMPLATE, form=form, wtform=wtform, editable=editable,
                  errors=errors or {}, applicant=applicant or {"type": "staff"})


@pytest.fixture
def html():
    return draw(sample_form(), data={"unit": "CS", "items": [{"text": "a"}, {"text": "b"}]})


def test_text_number_money_date_datetime_inputs(html):
    assert re.search(r'<input[^>]*maxlength="20"[^>]*name="project"[^>]*type="text"', html)
    assert re.search(r'<input[^>]*name="count"[^>]*type="number"', html)
    assert re.search(r'<input[^>]*name="amount"[^>]*step="0.01"[^>]*type="number"', html)
    assert '<span class="oh-unit">万元</span>' in html
    assert re.search(r'<input[^>]*name="start"[^>]*type="date"', html)
    assert re.search(r'<input[^>]*name="meet"[^>]*type="datetime-local"', html)


def test_textarea_has_counter(html):
    assert re.search(r'<textarea[^>]*maxlength="100"[^>]*name="summary"', html)
    assert "最多可输入100个字" in html


def test_select_radio_checkboxes(html):
    assert '<select class="oh-input" id="campus" name="campus">' in html
    assert '<option value="长清">长清</option>' in html
    assert len(re.findall(r'<input id="nature-\d" name="nature" type="radio"', html)) == 2
    assert len(re.findall(r'<input id="tags-\d" name="tags" type="checkbox"', html)) == 2
    assert 'class="oh-option"' in html


def test_department_select_lists_departments(html):
    assert '<select class="oh-input" id="dept" name="dept">' in html
    assert '<option value="宣传部">宣传部</option>' in html


def test_agree_section_file_user(html):
    assert re.search(r'<input id="agree" name="agree" type="checkbox"', html)
    assert "本人已认真阅读，并同意以上全部内容。" in html
    assert '<h3 class="oh-section-title">承诺</h3>' in html
    assert "1.保证合同技术成果法律状况的真实性。" in html
    assert re.search(r'<input accept=".pdf"[^>]*multiple name="docs" type="file"', html)
    assert "最多2个附件" in html
    assert re.search(r'<input[^>]*name="leader"[^>]*type="text"', html)


def test_required_star_and_readonly_disabled(html):
    assert re.search(r'项目名称<span class="oh-required"', html)
    assert re.search(r'<input class="oh-input" disabled id="unit" maxlength="500" name="unit" type="text" value="CS">', html)


def test_rows_table_with_buttons(html):
    assert 'data-rows="items" data-min="1" data-max="3"' in html
    assert 'name="items-0-text"' in html and 'name="items-1-text"' in html
    assert 'name="items-1-hours"' in html
    for label in ("新增", "删除", "上移"):
        assert f'data-row-action="{"add" if label == "新增" else "delete" if label == "删除" else "up"}">{label}<' in html
    assert 'data-row-action="append">新增<' in html


def test_visible_when_attribute_and_applicant(html):
    assert 'data-visible-when="form.nature == &#34;技术服务&#34;"' in html
    assert "data-applicant='{\"type\": \"staff\"}'" in html


def test_errors_under_fields_and_cells():
    html = draw(sample_form(), errors={"project": ["此项为必填项"], "items.0.text": ["最多可输入10个字"]})
    assert re.search(r'<input aria-describedby="project-error" aria-invalid="true"[^>]*name="project"[^>]*>'
                     r'.*?<div class="oh-errors" id="project-error"><p class="oh-error">此项为必填项</p>', html, re.S)
    assert re.search(r'<textarea aria-describedby="items-0-text-error" aria-invalid="true"[^>]*name="items-0-text"'
                     r'.*?<div class="oh-errors" id="items-0-text-error"><p class="oh-error">最多可输入10个字</p>',
                     html, re.S)


def test_not_editable_fields_disabled_and_rows_without_buttons():
    html = draw(sample_form(), data={"items": [{"text": "x"}]}, editable={"project"})
    assert re.search(r'<input class="oh-input" id="project" maxlength="20" name="project"', html)
    assert re.search(r'<textarea aria-labelledby="items-col-text items-0-no" class="oh-input" disabled[^>]*name="items-0-text"', html)
    assert "data-row-action" not in html


def test_everything_is_escaped():
    evil = '<script>alert(1)</script>'
    form = sample_form(title=evil)
    html = draw(form, data={"project": evil, "summary": evil, "items": [{"text": evil}]},
                errors={"project": [evil]}, applicant={"name": evil + "'"})
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_formdata_rerender_keeps_readonly_values():
    from werkzeug.datastructures import MultiDict
    post = MultiDict({"project": "新的", "unit": "HACK", "items-0-text": "row"})
    html = draw(sample_form(), data={"unit": "CS", "tags": ["横向"]}, formdata=post)
    assert 'value="新的"' in html and 'value="CS"' in html and "HACK" not in html
    assert re.search(r'name="items-0-text"[^>]*>\s*row</textarea>', html)


def test_kept_attachments_are_listed(tmp_path):
    from app.models import Attachment
    fresh_db(tmp_path)
    owner = make_user()
    Attachment.create(owner=owner, token="t1", field="docs", filename="合同<1>.pdf",
                      stored_name="a" * 32, size=3, content_type="application/pdf", sha256="0" * 64)
    html = draw(sample_form(), data={"docs": ["t1"]})
    assert '<input type="hidden" name="docs-keep" value="t1" data-token>' in html
    assert "合同&lt;1&gt;.pdf" in html


def test_readonly_table(tmp_path):
    fresh_db(tmp_path)
    make_user("bob", name="Bob <b>")
    form = sample_form()
    data = {"unit": "CS", "amount": 12.5, "tags": ["横向", "纵向"], "agree": True, "leader": "bob",
            "meet": "2024-05-01T09:30", "items": [{"text": "<i>一</i>", "hours": 2}]}
    rows = display_rows(form, data, hidden={"project"})
    shown = {f.name: v for f, v in rows}
    assert "project" not in shown and "detail" not in shown
    assert shown["amount"] == "12.50万元"
    assert shown["tags"] == "横向、纵向"
    assert shown["meet"] == "2024-05-01 09:30"
    assert shown["leader"] == "Bob <b>（bob）"
    assert shown["items"] == [["<i>一</i>", "2"]]
    html = render(READONLY_TEMPLATE, rows=rows)
    assert '<table class="oh-readonly">' in html and '<table class="oh-subtable">' in html
    assert "&lt;i&gt;一&lt;/i&gt;" in html and "Bob &lt;b&gt;" in html
    assert "<i>" not in html


def test_display_rows_evaluates_visibility_with_applicant():
    form = sample_form()
    rows = display_rows(form, {"nature": "技术服务", "detail": "x"}, applicant={})
    assert "detail" in {f.name for f, _ in rows}
    rows = display_rows(form, {"nature": "技术开发", "detail": "x"}, applicant={})
    assert "detail" not in {f.name for f, _ in rows}


def test_macros_work_through_flask(tmp_path):
    from flask import render_template_string

    from app import create_app
    from tests.conftest import make_config
    app = create_app(make_config(tmp_path))
    form = sample_form()
    with app.test_request_context("/"):
        html = render_template_string(FORM_TEMPLATE, form=form, wtform=build_form(form),
                                      editable=None, errors={}, applicant={})
    assert 'name="items-0-text"' in html
