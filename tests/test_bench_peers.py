"""`python -m bench peers`: a short run gives positive figures from both sides, and the Spiff
side really drives its BPMN process to the end with its state in the bench's database."""
from app.db import db


def test_a_short_peers_run_completes_spiff_workflows_beside_the_engine(tmp_path):
    from bench import peers
    out = peers.compare(peers.config(str(tmp_path)), count=16)
    for key in ("spiff_instances_per_s", "spiff_floor_per_s", "spiff_ratio",
                "peers_engine_ratio", "engine_vs_spiff", "spiff_state_bytes"):
        assert out[key] > 0, out
    assert out["engine_vs_spiff"] == out["peers_engine_ratio"] / out["spiff_ratio"]

    db.connect(reuse_if_open=True)
    try:
        workflow, actions = peers.last_workflow()
        assert workflow.is_completed()
        assert actions == ["save_draft", "submit", "approve", "complete"]
        stored = peers.SpiffWorkflowRow.select().count()
        assert stored == 2 * 2 * (5 + 8)        # two passes, Spiff and floor: warm-up, 4 rounds of 2
        assert {r.task for r in peers.SpiffTaskLog.select()} == {"填写申请", "审批", "完成"}
    finally:
        db.close()
