"""Retention: personal data kept only as long as each service says (time injected, never slept)."""
import os
from datetime import datetime, timedelta

import pytest

from app.defs import DefinitionError, validate_text
from app.defs.store import import_text
from app.engine import core, retention
from app.models import Attachment, FlowRecord, Instance, Task
from tests.engine.conftest import CHAIN

KEPT = CHAIN.replace('title: "{service}_{applicant.name}_{form.subject}"',
                     'title: "{service}_{applicant.name}_{form.subject}"\n'
                     'retention: {keep: 1y, after: completed, action: anonymize}') \
            .replace("    - {name: note, label: 备注, type: textarea}",
                     "    - {name: note, label: 备注, type: textarea}\n"
                     "    - {name: who, label: 联系人, type: text, autofill: user.name}\n"
                     "    - {name: files, label: 附件, type: file}")
DELETED = KEPT.replace("action: anonymize", "action: delete")
NOW = datetime(2030, 6, 1)


def finish(inst, user, when):
    inst = core.act(inst, user("t2002"), "approve", opinion="同意，李明请联系 13812345678")
    inst = core.act(inst, user("t3002"), "approve")
    Instance.update(finished=when, submitted=when - timedelta(days=3)).where(Instance.id == inst.id).execute()
    return Instance.get_by_id(inst.id)


def attach(owner, upload_dir):
    import secrets
    os.makedirs(upload_dir, exist_ok=True)
    stored = secrets.token_hex(16)
    with open(os.path.join(upload_dir, stored), "wb") as f:
        f.write(b"%PDF-1.4 test")
    return Attachment.create(owner=owner, token=secrets.token_hex(16), field="files",
                             filename="身份证复印件.pdf", stored_name=stored, size=13,
                             content_type="application/pdf", sha256="0" * 64)


@pytest.fixture
def history(app, user, app_config):
    """Three completed applications of 李明: 2 years old, 2 years old but held, 1 month old."""
    service, _, _ = import_text(KEPT, "test-chain.yaml")
    upload_dir = app_config["UPLOAD_DIR"]
    out = {}
    for key, age in (("old", 730), ("held", 730), ("recent", 30)):
        owner = user("t2001")
        token = attach(owner, upload_dir).token
        inst = core.start(service, owner, {"subject": f"李明 370102199001011234 {key}",
                                           "amount": 1, "files": [token],
                                           "note": "邮箱 liming@example.edu.cn"})
        out[key] = finish(inst, user, NOW - timedelta(days=age))
    retention.set_hold(out["held"], True)
    return service, out, upload_dir


def test_dry_run_counts_and_changes_nothing(app, history):
    service, insts, _ = history
    report = retention.run(dry_run=True, now=NOW)
    assert report.lines(True)[-1] == "total: would anonymize 1, would delete 0, held 1"
    assert "李明" in Instance.get_by_id(insts["old"].id).title


def test_anonymize_masks_personal_data_deletes_files_and_keeps_the_count(app, history):
    service, insts, upload_dir = history
    stored = Attachment.get(Attachment.instance == insts["old"].id).stored_name
    report = retention.run(now=NOW, upload_dir=upload_dir)
    assert report.services["test-chain"].anonymized == 1 and report.total.held == 1
    old = Instance.get_by_id(insts["old"].id)
    assert old.anonymized is not None and old.status == "completed"
    assert "李明" not in old.title and "某某" in old.title
    assert old.data["subject"] == "某某 3701**********1234 old"
    assert old.data["who"] == "某某" and old.data["files"] == []
    assert old.data["note"] == "邮箱 ***@example.edu.cn"
    opinion = FlowRecord.get(FlowRecord.instance == old.id, FlowRecord.action == "approve",
                             FlowRecord.step == "leader").opinion
    assert opinion == "同意，某某请联系 138****5678"
    assert not os.path.exists(os.path.join(upload_dir, stored))
    assert not Attachment.select().where(Attachment.instance == old.id).exists()
    assert Instance.select().where(Instance.service == service).count() == 3   # counts kept
    held, recent = Instance.get_by_id(insts["held"].id), Instance.get_by_id(insts["recent"].id)
    assert "李明" in held.title and "李明" in recent.title
    again = retention.run(now=NOW, upload_dir=upload_dir)        # nothing left to do
    assert again.total.anonymized == 0


def test_delete_removes_the_instance_and_its_files(app, history):
    service, insts, upload_dir = history
    import_text(DELETED, "test-chain.yaml")                        # the latest version decides
    report = retention.run(now=NOW, upload_dir=upload_dir)
    assert report.lines(False)[-1] == "total: anonymized 0, deleted 1, held 1"
    assert Instance.get_or_none(Instance.id == insts["old"].id) is None
    assert not Task.select().where(Task.instance == insts["old"].id).exists()
    assert Instance.get_or_none(Instance.id == insts["held"].id) is not None


def test_cli_prints_a_line_per_service_and_a_total(app, history):
    result = app.test_cli_runner().invoke(args=["retention", "run", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "test-chain: would anonymize" in result.output
    assert result.output.splitlines()[-1].startswith("total: would anonymize")


def test_keep_shorter_than_the_time_limit_is_refused():
    text = KEPT.replace("keep: 1y", "keep: 2d")             # time_limit is 3d
    with pytest.raises(DefinitionError) as exc:
        validate_text(text)
    assert "retention.keep (2d) is shorter than the time limit (3d)" in str(exc.value.problems[0])
    with pytest.raises(DefinitionError):
        validate_text(KEPT.replace("keep: 1y", "keep: forever"))


def test_the_guide_tells_applicants_how_long_data_is_kept(app, history, client):
    page = client.get("/services/test-chain").get_data(as_text=True)
    assert "数据保留" in page
    assert "您的申请在办结之日后保留1年，到期后对其中的个人信息做匿名化处理" in page
    client.get("/lang/en")
    english = client.get("/services/test-chain").get_data(as_text=True)
    assert "Your application is kept for 1 year after the day it is completed" in english
    other = client.get("/services/weekly-report").get_data(as_text=True)
    assert "本事项未设定保留期限" in other or "sets no retention period" in other
