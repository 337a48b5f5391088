"""Fixtures of the exports tests: a technical contract (技术合同审批表) filled and approved once."""
import secrets

import pytest

CONTRACT = {
    "project": "高强度纸基材料制备技术开发", "nature": "技术开发", "party_a": "山东晨鸣纸业集团",
    "party_b": "齐鲁工业大学", "amount": 85.5, "equipment": 12, "agree": True,
}


def attachment_for(owner, filename="技术开发合同.pdf"):
    from app.models import Attachment
    return Attachment.create(owner=owner, token=secrets.token_hex(16), field="attachments",
                             filename=filename, stored_name=secrets.token_hex(8), size=1234,
                             content_type="application/pdf", sha256="0" * 64)


@pytest.fixture
def start_contract(app, user, service):
    """start_contract(**overrides) → a submitted contract of 李明 (t2001), at 所在单位负责人审核."""
    from app.engine import core

    def make(applicant="t2001", **overrides):
        with app.app_context():
            owner = user(applicant)
            data = dict(CONTRACT, attachments=[attachment_for(owner).token], **overrides)
            return core.start(service("tech-contract"), owner, data)
    return make


@pytest.fixture
def contract(app, start_contract, user):
    """Approved by the unit leader 张华 (t2002) with an opinion; now at 科研处审批 (吴刚 t6001)."""
    from app.engine import core
    inst = start_contract()
    with app.app_context():
        core.act(inst, user("t2002"), "approve", opinion="同意，请科研处审批")
        return core.get_instance(inst.serial)


@pytest.fixture
def huey_immediate(app):
    from app.queue import huey
    huey.immediate = True
    yield huey
    huey.immediate = False


TRIP = """
format: 1
id: trip-print
number: 9101
name: 出差审批
category: 测试
department: 宣传部
audience: [staff]
title: "{service}_{applicant.name}"
form:
  title: 齐鲁工业大学出差审批表
  fields:
    - {name: subject, label: 事由, type: text, required: true}
    - {name: secret, label: 内部备注, type: textarea}
    - {name: kind, label: 类型, type: radio, options: [出差, 会议]}
    - {name: place, label: 会议地点, type: text, visible_when: 'form.kind == "会议"'}
    - name: trips
      label: 行程
      type: rows
      columns:
        - {name: day, label: 日期, type: date}
        - {name: city, label: 城市, type: text}
    - {name: note, label: 注意事项, type: section, text: 请如实填写行程。}
steps:
  - {id: fill, name: 填写申请, by: applicant}
  - id: leader
    name: 单位领导审批
    by: {role: dept_leader, of: applicant}
    hidden: [secret]
    cc: [{user: t3001}]
  - id: office
    name: 办公室备案
    by: {user: t3002}
PRINT_RULES
"""


def trip_definition(service_print="", leader_print=""):
    text = TRIP.replace("PRINT_RULES", "")
    if service_print:
        text = text.replace('title: "{service}', f"print: {{who: {service_print}}}\ntitle: \"{{service}}", 1)
    if leader_print:
        text = text.replace("    hidden: [secret]", f"    hidden: [secret]\n    print: {leader_print}", 1)
    return text


@pytest.fixture
def start_trip(app, user):
    """start_trip(service_print=…, leader_print=…, **data) → a trip of 李明 at 单位领导审批 (张华)."""
    from app.defs.store import import_text
    from app.engine import core

    def make(service_print="", leader_print="", **data):
        with app.app_context():
            service, _, _ = import_text(trip_definition(service_print, leader_print), "trip.yaml")
            values = {"subject": "赴济南参加学术会议", "secret": "预算紧张，仅限一人", "kind": "出差",
                      "trips": [{"day": "2026-05-01", "city": "济南"}, {"day": "2026-05-03", "city": "青岛"}]}
            values.update(data)
            return core.start(service, user("t2001"), values)
    return make
