"""Helpers for walking the applicant's and approver's pages in Chromium (issue 11 tests)."""
import io
import re

from app.defs.store import import_text
from app.engine import core
from app.models import Service, User
from tests.conftest import PASSWORD

EVERY_TYPE = """
format: 1
id: every-type
number: 9011
name: 全字段测试
category: 综合服务
department: 宣传部
audience: [staff]
title: "{service}_{applicant.name}"
form:
  title: 全字段测试表
  fields:
    - {name: unit, label: 单位, type: text, required: true, autofill: user.department, readonly: true}
    - {name: project, label: 项目名称, type: text, required: true, max_length: 20}
    - {name: summary, label: 内容摘要, type: textarea, max_length: 100, help: 简要说明}
    - {name: count, label: 人数, type: number, minimum: 1, maximum: 10}
    - {name: amount, label: 金额, type: money, unit: 万元, minimum: 0}
    - {name: start, label: 开始日期, type: date}
    - {name: meet, label: 会议时间, type: datetime}
    - {name: campus, label: 校区, type: select, options: [长清, 历城]}
    - {name: nature, label: 项目性质, type: radio, required: true, options: [技术开发, 技术服务]}
    - {name: tags, label: 类别, type: checkboxes, options: [横向, 纵向]}
    - {name: terms, label: 承诺, type: section, text: 保证材料真实。}
    - {name: agree, label: 本人已认真阅读，并同意以上全部内容。, type: agree, required: true}
    - {name: docs, label: 附件, type: file, max_files: 2, accept: [.pdf]}
    - {name: leader, label: 负责人, type: user}
    - {name: dept, label: 订立单位, type: department}
    - name: items
      label: 明细
      type: rows
      min_rows: 1
      max_rows: 5
      columns:
        - {name: text, label: 工作内容, type: textarea, max_length: 50, required: true}
        - {name: hours, label: 工时, type: number}
steps:
  - {id: fill, name: 填写申请, by: applicant}
  - id: leader
    name: 部门审批
    by: {role: dept_leader, of: applicant}
    opinion: required
    actions: [approve, return, terminate]
"""

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def person(username) -> User:
    return User.get(User.username == username)


def service(slug) -> Service:
    return Service.get(Service.slug == slug)


def import_every_type():
    import_text(EVERY_TYPE, "every-type.yaml")


def weekly(text="整理本周宣传稿件，更新学校主页新闻栏目，并联系各学院通讯员收集下周的活动预告", submit=True):
    return core.start(service("weekly-report"), person("t2001"),
                      {"items": [{"text": text}, {"text": "完成校报第十二期排版"}]}, submit=submit)


def upload(filename="盖章文件.pdf", content=PDF, username="t2001"):
    """An attachment for 用印申请's file field, saved the way the web form saves uploads."""
    from flask import current_app
    from werkzeug.datastructures import FileStorage

    from app.storage.attachments import save_upload
    from app.defs.store import latest_version, load_version
    form = load_version(latest_version(service("seal-request"))).form
    return save_upload(FileStorage(io.BytesIO(content), filename=filename), form.field("attachments"),
                       person(username), current_app.config["UPLOAD_DIR"])


def seal_with_file(filename="盖章文件.pdf", content=PDF, submit=True, **data):
    """A 用印申请 of t2001 with one uploaded PDF."""
    seal = service("seal-request")
    attachment = upload(filename, content)
    values = {"phone": "13800000000", "seal_type": "学校公章", "document": "合作协议", "copies": 2,
              "purpose": "对外合作", "is_contract": "否", "attachments": [attachment.token]}
    values.update(data)
    return core.start(seal, person("t2001"), values, submit=submit), attachment


def log_in(page, base, username, password=PASSWORD):
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
