"""`flask defs migrate`: running instances move to another version, with a dry-run report."""
import threading

import pytest

from app.db import db
from app.defs.store import import_text
from app.engine import core, migrate
from app.engine.exceptions import Conflict
from app.models import FlowRecord, Instance, Task
from tests.engine.conftest import CHAIN, chain, open_assignees  # noqa: F401  (chain: a fixture)

V2_EXTRA = CHAIN.replace("    - {name: note, label: 备注, type: textarea}",
                         "    - {name: note, label: 备注, type: textarea}\n"
                         "    - {name: phone, label: 联系电话, type: text}")
V2_NO_LEADER = CHAIN.replace("  - id: leader\n    name: 单位领导审批", "  - id: head\n    name: 负责人审批") \
                    .replace("return_to: [leader]", "return_to: [head]")
V2_REQUIRED = CHAIN.replace("    - {name: note, label: 备注, type: textarea}",
                            "    - {name: note, label: 备注, type: textarea}\n"
                            "    - {name: budget, label: 经费卡号, type: text, required: true}")


def new_version(text):
    _, version, status = import_text(text, "test-chain.yaml")
    assert status == "new-version"
    return version


def cli(app, *args):
    return app.test_cli_runner().invoke(args=["defs", "migrate", *args])


@pytest.fixture
def mix(chain, user):
    """One draft, one at 单位领导审批, one returned to the applicant, one completed."""
    applicant, leader = user("t2001"), user("t2002")
    draft = core.start(chain, applicant, {"subject": "草稿"}, submit=False)
    at_leader = core.start(chain, applicant, {"subject": "待审"})
    returned = core.act(core.start(chain, applicant, {"subject": "退回"}), leader, "return", opinion="补")
    done = core.start(chain, applicant, {"subject": "完成", "amount": 1})
    done = core.act(done, leader, "approve", opinion="同意")
    done = core.act(done, user("t3002"), "approve")
    assert done.status == "completed"
    return {"draft": draft, "leader": at_leader, "returned": returned, "done": done}


def test_dry_run_lists_running_and_returned_only_and_moves_nothing(app, mix):
    v2 = new_version(V2_EXTRA)
    result = cli(app, "test-chain", "--to", "2", "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f"{mix['leader'].serial}: ok" in lines and f"{mix['returned'].serial}: ok" in lines
    assert str(mix["draft"].serial) not in result.output and str(mix["done"].serial) not in result.output
    assert Instance.get(Instance.serial == mix["leader"].serial).version_id != v2.id


def test_migration_moves_ok_ones_keeps_tasks_and_records_it(app, mix, user):
    v2 = new_version(V2_EXTRA)
    result = cli(app, "test-chain", "--to", "2")
    assert result.exit_code == 0, result.output
    inst = Instance.get(Instance.serial == mix["leader"].serial)
    assert inst.version_id == v2.id and inst.step == "leader"
    assert open_assignees(inst) == ["t2002"]                 # the open to-do stays
    record = FlowRecord.select().where(FlowRecord.instance == inst, FlowRecord.action == "migrate").get()
    assert record.detail == "版本迁移 v1 → v2"
    after = core.act(inst, user("t2002"), "approve", opinion="同意")   # goes on in the new version
    assert after.step == "keeper"
    draft = Instance.get(Instance.serial == mix["draft"].serial)
    assert draft.version_id != v2.id                          # drafts are never moved


def test_a_step_gone_blocks_and_exit_code_is_3(app, mix):
    new_version(V2_NO_LEADER)
    result = cli(app, "test-chain", "--to", "2")
    assert result.exit_code == 3, result.output
    assert f"{mix['leader'].serial}: blocked: 当前步骤“单位领导审批”在新版本中不存在" in result.output
    assert f"{mix['returned'].serial}: ok" in result.output     # at the applicant's step: fine
    assert Instance.get(Instance.serial == mix["leader"].serial).version.version == 1
    assert Instance.get(Instance.serial == mix["returned"].serial).version.version == 2


def test_a_now_required_empty_field_blocks(app, mix):
    new_version(V2_REQUIRED)
    result = cli(app, "test-chain", "--to", "2", "--serials", str(mix["leader"].serial), "--dry-run")
    assert result.exit_code == 3
    assert result.output.splitlines()[0] == (f"{mix['leader'].serial}: blocked: "
                                             "字段“经费卡号”在新版本中为必填，但没有填写")


def test_a_version_of_another_service_or_none_is_refused(app, mix, service):
    result = cli(app, "test-chain", "--to", "7")
    assert result.exit_code == 1 and "没有版本 7" in result.output
    result = cli(app, "weekly-report", "--to", "1", "--serials", str(mix["leader"].serial), "--dry-run")
    assert result.exit_code == 3 and "不是该服务正在办理的事项" in result.output
    assert cli(app, "no-such-service", "--to", "1").exit_code == 1


def test_a_step_map_moves_an_instance_to_the_renamed_step(app, mix, chain):
    v2 = new_version(V2_NO_LEADER)
    outcomes, moved = migrate.run(chain, v2, [mix["leader"].serial], step_map={"leader": "head"})
    assert moved == [mix["leader"].serial], outcomes
    inst = Instance.get(Instance.serial == mix["leader"].serial)
    assert inst.step == "head" and Task.get(Task.instance == inst, Task.status == "open").step == "head"


def _race(app_obj, serial, version_id):
    barrier, outcomes = threading.Barrier(2), {}

    def approve():
        with app_obj.app_context():
            db.connect(reuse_if_open=True)
            try:
                from app.models import User
                inst = core.get_instance(serial)
                barrier.wait()
                core.act(inst, User.get(User.username == "t2002"), "approve", opinion="同意",
                         expected_step=inst.step)
                outcomes["approve"] = "ok"
            except Conflict:
                outcomes["approve"] = "conflict"
            finally:
                db.close()

    def move():
        with app_obj.app_context():
            db.connect(reuse_if_open=True)
            try:
                from app.models import ServiceVersion
                inst = core.get_instance(serial)
                barrier.wait()
                migrate.migrate(inst, ServiceVersion.get_by_id(version_id))
                outcomes["migrate"] = "ok"
            except Conflict:
                outcomes["migrate"] = "conflict"
            finally:
                db.close()

    threads = [threading.Thread(target=approve), threading.Thread(target=move)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


def _check_one_serial_order(serial, outcomes):
    inst = Instance.get(Instance.serial == serial)
    records = [r.action for r in FlowRecord.select().where(FlowRecord.instance == inst)
               .order_by(FlowRecord.id)]
    assert records.count("approve") == 1 and inst.step == "keeper", (outcomes, records)
    if outcomes["migrate"] == "ok":       # migrated first, then approved in the new version
        assert records.index("migrate") < records.index("approve") and inst.version.version == 2
    else:                                  # approved first: the migration saw it and backed off
        assert outcomes["migrate"] == "conflict" and "migrate" not in records
        assert inst.version.version == 1
    assert outcomes["approve"] == "ok"


@pytest.mark.parametrize("round_", range(3))
def test_approve_and_migrate_at_once_on_sqlite(app, chain, user, round_):
    serial = core.start(chain, user("t2001"), {"subject": "抢"}).serial
    v2 = new_version(V2_EXTRA)
    db.close()
    outcomes = _race(app, serial, v2.id)
    db.connect(reuse_if_open=True)
    _check_one_serial_order(serial, outcomes)


@pytest.mark.postgres
def test_approve_and_migrate_at_once_on_postgres(pg_app, user):
    service, _, _ = import_text(CHAIN, "test-chain.yaml")
    serial = core.start(service, user("t2001"), {"subject": "抢"}).serial
    v2 = new_version(V2_EXTRA)
    outcomes = _race(pg_app, serial, v2.id)
    _check_one_serial_order(serial, outcomes)
