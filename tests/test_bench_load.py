"""`python -m bench load`: a short real run is clean, and its integrity check does catch a
double transition, a lost instance and an unrecorded decision."""
from app.db import db


def test_a_short_load_run_against_gunicorn_is_clean(tmp_path):
    from bench import load
    out = load.load_run("load", load.config(str(tmp_path)), people=10, seconds=2)
    assert out["load_integrity"] == "ok", out
    assert out["load_errors"] == 0 and out["load_instances"] > 0 and out["load_submit_requests"] > 0
    assert out["load_status_201"] >= out["load_instances"]
    assert out["load_rps"] > 0 and 0 < out["load_p50_ms"] <= out["load_p99_ms"]


def test_the_integrity_check_catches_what_a_race_would_break(tmp_path):
    from app.engine import core
    from app.models import FlowRecord, Service, Task, User
    from bench import load
    app, people = load.prepare(load.config(str(tmp_path)), 10)
    applicant = User.get(User.username == people[0][1])
    leader = User.get(User.username == next(p[1] for p in people if p[0] == "leader"))
    with app.app_context():
        db.connect(reuse_if_open=True)
        service = Service.get(Service.slug == load.SERVICE)
        first = core.start(service, applicant, {"subject": "一", "amount": 1})
        second = core.start(service, applicant, {"subject": "二", "amount": 2})
        second = core.act(second, leader, "approve", opinion="同意")
    tally = load.Tally()
    tally.serials = {first.serial, second.serial}
    tally.decided["approve"] = 1
    assert load.integrity(app, tally) == []

    clerk_task = Task.get(Task.instance == second.id, Task.status == "open")
    Task.create(instance=second.id, step="clerk", step_name=clerk_task.step_name,
                assignee=clerk_task.assignee, created=clerk_task.created)       # a second transition
    tally.serials.add(second.serial + 100)                                     # a 201 without its row
    FlowRecord.create(instance=first.id, step="leader", step_name="领导审批（或签）", action="terminate",
                      user=leader, at=first.created)                           # a decision nobody got 200 for
    problems = load.integrity(app, tally)
    text = "\n".join(problems)
    assert f"#{second.serial} (running/clerk): open to-dos {{'clerk': 2}}" in text
    assert "2 instances for 3 distinct 201 serials" in text
    assert "1 terminate records for 0 answers 200" in text
