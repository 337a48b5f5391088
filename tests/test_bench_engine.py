"""`python -m bench engine`: the measuring code runs (it is not exercised elsewhere), its
baseline writes the rows the engine writes, and the API statement figures come out."""
from app.db import db
from app.models import FlowRecord, Instance, InstanceRevision, Task


def test_the_engine_bench_and_its_baseline_write_the_same_rows(tmp_path):
    from bench import engine
    from bench.common import config, make_app
    cfg = config(str(tmp_path))
    engine_rate, baseline_rate = engine.measure(cfg, 8, rounds=2)
    assert engine_rate > 0 and baseline_rate > 0
    with make_app(cfg).app_context():
        db.connect(reuse_if_open=True)
        by_kind = {}
        for inst in Instance.select():
            kind = "engine" if inst.idempotency_key is None and inst.title.startswith("基准审批_申请人_采购") else "baseline"
            rows = (Task.select().where(Task.instance == inst).count(),
                    FlowRecord.select().where(FlowRecord.instance == inst).count(),
                    InstanceRevision.select().where(InstanceRevision.instance == inst).count(),
                    inst.status)
            by_kind.setdefault(kind, set()).add(rows)
        db.close()
    assert by_kind["engine"] == by_kind["baseline"] == {(2, 4, 1, "completed")}


def test_the_api_statement_figures_are_counted(tmp_path):
    from bench import engine
    from bench.common import config
    out = engine.api_queries(config(str(tmp_path)))
    assert 0 < out["api_submit_queries"] <= 12 and 0 < out["api_approve_queries"] <= 12, out
    if not db.is_closed():
        db.close()
