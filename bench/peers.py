"""A peer beside our engine, in the same sitting: SpiffWorkflow driving the little process of
bench/engine.py (a draft filled by the applicant, submitted, approved by one approver,
completed) as BPMN, its state serialized to JSON and kept in the bench's own SQLite file
(same pragmas as the app's), against the same kind of floor as ours: bare peewee writing the
same rows in as many transactions (three per instance).

Each Spiff step runs as a web request would: in one write transaction it re-reads the stored
state, deserializes it, completes the task, serializes the workflow and writes it back with a
log row. Our engine re-reads its instance row in each step too (``_lock``); neither floor
reads, as bench/engine.py's baseline does not.
"""
import time

import peewee
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser import BpmnParser
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.util.task import TaskState

from app.db import db, write_transaction
from app.models.base import utcnow
from bench import engine
from bench.common import config, make_app, workdir

PROCESS_ID = "bench_approval"
PROCESS = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                  id="bench" targetNamespace="https://onehall.invalid/bench">
  <bpmn:process id="bench_approval" name="基准审批" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>to_fill</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="fill" name="填写申请">
      <bpmn:incoming>to_fill</bpmn:incoming><bpmn:outgoing>to_approve</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:userTask id="approve" name="审批">
      <bpmn:incoming>to_approve</bpmn:incoming><bpmn:outgoing>to_end</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>to_end</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="to_fill" sourceRef="start" targetRef="fill"/>
    <bpmn:sequenceFlow id="to_approve" sourceRef="fill" targetRef="approve"/>
    <bpmn:sequenceFlow id="to_end" sourceRef="approve" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>
"""
APPLICANT, APPROVER = "b00001", "b00002"


class SpiffWorkflowRow(peewee.Model):
    state = peewee.TextField()           # BpmnWorkflowSerializer's JSON
    updated = peewee.DateTimeField()

    class Meta:
        database = db
        table_name = "spiff_workflow"


class SpiffTaskLog(peewee.Model):
    """One row per action, as our FlowRecord: save_draft, submit, approve, complete."""
    workflow = peewee.ForeignKeyField(SpiffWorkflowRow, backref="log", on_delete="CASCADE")
    task = peewee.CharField()
    action = peewee.CharField()
    username = peewee.CharField(null=True)
    opinion = peewee.TextField(default="")
    at = peewee.DateTimeField()

    class Meta:
        database = db
        table_name = "spiff_task_log"


class Spiff:
    """The process parsed once; each method is one step, in its own write transaction.

    ``states`` keeps the JSON written by the last instance's three steps: the floor writes
    those same texts."""

    def __init__(self):
        parser = BpmnParser()
        parser.add_bpmn_str(PROCESS.encode())
        self.spec = parser.get_spec(PROCESS_ID)
        self.serializer = BpmnWorkflowSerializer()
        self.states = [None, None, None]

    def start(self) -> int:
        with write_transaction():
            workflow = BpmnWorkflow(self.spec)
            workflow.do_engine_steps()
            fill = _ready(workflow)
            fill.set_data(applicant=APPLICANT, **engine.SUBJECT)
            now = utcnow()
            self.states[0] = self.serializer.serialize_json(workflow)
            row = SpiffWorkflowRow.create(state=self.states[0], updated=now)
            SpiffTaskLog.create(workflow=row, task=fill.task_spec.bpmn_name, action="save_draft",
                                username=APPLICANT, at=now)
        return row.id

    def submit(self, workflow_id: int) -> None:
        with write_transaction():
            workflow = self._load(workflow_id)
            fill = _ready(workflow)
            fill.set_data(**engine.SUBJECT)
            fill.run()
            workflow.do_engine_steps()
            now = utcnow()
            self.states[1] = self._store(workflow_id, workflow, now)
            SpiffTaskLog.create(workflow=workflow_id, task=fill.task_spec.bpmn_name,
                                action="submit", username=APPLICANT, at=now)

    def approve(self, workflow_id: int) -> None:
        with write_transaction():
            workflow = self._load(workflow_id)
            task = _ready(workflow)
            task.set_data(approver=APPROVER, opinion="同意")
            task.run()
            workflow.do_engine_steps()
            assert workflow.is_completed()
            now = utcnow()
            self.states[2] = self._store(workflow_id, workflow, now)
            SpiffTaskLog.create(workflow=workflow_id, task=task.task_spec.bpmn_name,
                                action="approve", username=APPROVER, opinion="同意", at=now)
            SpiffTaskLog.create(workflow=workflow_id, task="完成", action="complete", at=now)

    def _load(self, workflow_id):
        state = SpiffWorkflowRow.select(SpiffWorkflowRow.state).where(
            SpiffWorkflowRow.id == workflow_id).scalar()
        return self.serializer.deserialize_json(state)

    def _store(self, workflow_id, workflow, now) -> str:
        state = self.serializer.serialize_json(workflow)
        SpiffWorkflowRow.update(state=state, updated=now).where(
            SpiffWorkflowRow.id == workflow_id).execute()
        return state


def _ready(workflow):
    [task] = workflow.get_tasks(state=TaskState.READY, manual=True)
    return task


def drive_spiff(spiff, count):
    for _ in range(count):
        workflow_id = spiff.start()
        spiff.submit(workflow_id)
        spiff.approve(workflow_id)


def drive_floor(states, count):
    """The rows the Spiff run writes, by hand, in as many transactions; no SpiffWorkflow."""
    for _ in range(count):
        with write_transaction():
            now = utcnow()
            row = SpiffWorkflowRow.create(state=states[0], updated=now)
            SpiffTaskLog.create(workflow=row, task="填写申请", action="save_draft",
                                username=APPLICANT, at=now)
        with write_transaction():
            now = utcnow()
            SpiffWorkflowRow.update(state=states[1], updated=now).where(
                SpiffWorkflowRow.id == row.id).execute()
            SpiffTaskLog.create(workflow=row, task="填写申请", action="submit",
                                username=APPLICANT, at=now)
        with write_transaction():
            now = utcnow()
            SpiffWorkflowRow.update(state=states[2], updated=now).where(
                SpiffWorkflowRow.id == row.id).execute()
            SpiffTaskLog.create(workflow=row, task="审批", action="approve",
                                username=APPROVER, opinion="同意", at=now)
            SpiffTaskLog.create(workflow=row, task="完成", action="complete", at=now)


def measure_spiff(cfg, spiff, count, rounds=4):
    """(Spiff instances/s, floor instances/s), interleaved in rounds to share the noise."""
    app = make_app(cfg)
    with app.app_context():
        db.connect(reuse_if_open=True)
        db.create_tables([SpiffWorkflowRow, SpiffTaskLog], safe=True)
        drive_spiff(spiff, 5)                                         # warm caches
        drive_floor(spiff.states, 5)
        spent = {"spiff": 0.0, "floor": 0.0}
        per_round = max(1, count // rounds)
        for _ in range(rounds):
            for name in ("floor", "spiff"):
                started = time.perf_counter()
                if name == "spiff":
                    drive_spiff(spiff, per_round)
                else:
                    drive_floor(spiff.states, per_round)
                spent[name] += time.perf_counter() - started
        db.close()
    total = per_round * rounds
    return total / spent["spiff"], total / spent["floor"]


def compare(cfg, count, passes=2) -> dict:
    """Our engine's pair (bench.engine.measure) and Spiff's pair on the same database, in
    alternating passes so that both ratios share the sitting's noise."""
    spiff = Spiff()
    per_pass = max(4, count // passes // 4 * 4)    # both measure() run 4 rounds of a quarter
    done = dict.fromkeys(("engine", "baseline", "spiff", "floor"), 0)
    spent = dict.fromkeys(done, 0.0)
    for i in range(passes):
        for side in (("ours", "spiff") if i % 2 == 0 else ("spiff", "ours")):
            if side == "ours":
                names, rates = ("engine", "baseline"), engine.measure(cfg, per_pass)
            else:
                names, rates = ("spiff", "floor"), measure_spiff(cfg, spiff, per_pass)
            for name, rate in zip(names, rates):
                done[name] += per_pass
                spent[name] += per_pass / rate
    rate = {name: done[name] / spent[name] for name in done}
    engine_ratio = rate["engine"] / rate["baseline"]
    spiff_ratio = rate["spiff"] / rate["floor"]
    return {
        "spiff_instances_per_s": rate["spiff"],
        "spiff_floor_per_s": rate["floor"],
        "spiff_ratio": spiff_ratio,
        "spiff_state_bytes": len(spiff.states[2]),
        "peers_engine_ratio": engine_ratio,
        "engine_vs_spiff": engine_ratio / spiff_ratio,
    }


def last_workflow():
    """(the last stored Spiff workflow, deserialized; its log rows' actions) — for the tests."""
    row = SpiffWorkflowRow.select().order_by(SpiffWorkflowRow.id.desc()).get()
    actions = [r.action for r in row.log.order_by(SpiffTaskLog.id)]
    return BpmnWorkflowSerializer().deserialize_json(row.state), actions


def run(quick: bool) -> dict:
    with workdir() as folder:
        return compare(config(folder), 80 if quick else 1200)
