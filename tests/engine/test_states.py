"""Statuses, the transition table and available_actions: one answer to "what may I do now"."""
import subprocess
import sys

import pytest

from app.engine import core, states
from app.engine.exceptions import Conflict
from app.engine.machine import TABLE, available_actions
from app.engine.states import InstanceStatus
from tests.conftest import ROOT


def test_the_engine_imports_no_flask_wtforms_or_renderers():
    code = ("import sys, app.engine.core, app.engine.queries, app.engine.states, app.defs.validate;"
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'flask', 'wtforms', 'renderers', 'werkzeug', 'jinja2', 'designer', 'flask_login'}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_every_status_of_the_table_is_a_status():
    for t in TABLE:
        assert isinstance(t.source, InstanceStatus)
        assert t.targets and all(isinstance(e, InstanceStatus) for e in t.targets)
    assert not {t.source for t in TABLE} & {InstanceStatus.COMPLETED, InstanceStatus.TERMINATED}


def test_applicant_approver_and_admin_each_get_their_actions(chain, user):
    applicant, leader, admin, other = user("t2001"), user("t2002"), user("admin"), user("s2023001")
    draft = core.start(chain, applicant, {"subject": "采购"}, submit=False)
    assert available_actions(draft, applicant) == ["save_draft", "submit"]
    assert available_actions(draft, leader) == []
    inst = core.submit(draft, applicant, None)
    assert available_actions(inst, applicant) == ["withdraw", "remind"]
    assert available_actions(inst, leader) == ["approve", "return", "terminate", "transfer"]
    assert available_actions(inst, admin) == ["reassign"]
    assert available_actions(inst, other) == []
    inst = core.act(inst, leader, "approve", opinion="同意")
    assert available_actions(inst, leader) == []             # acted: nothing left for them here
    assert "withdraw" not in available_actions(inst, applicant)   # someone acted: too late


def test_a_returned_item_offers_the_applicant_resubmission(chain, user):
    applicant, leader = user("t2001"), user("t2002")
    inst = core.start(chain, applicant, {"subject": "采购"})
    inst = core.act(inst, leader, "return", opinion="补充材料")
    assert inst.status == states.InstanceStatus.RETURNED
    assert available_actions(inst, applicant) == ["save_draft", "submit"]
    assert available_actions(inst, leader) == []


def test_finished_instances_offer_nothing_and_the_engine_refuses(chain, user):
    applicant, leader = user("t2001"), user("t2002")
    inst = core.start(chain, applicant, {"subject": "采购"})
    inst = core.act(inst, leader, "terminate", opinion="不同意")
    assert available_actions(inst, leader) == [] and available_actions(inst, applicant) == []
    with pytest.raises(Conflict):
        core.withdraw(inst, applicant)
    with pytest.raises(Conflict):
        core.save_draft(inst, applicant, {"subject": "改"})


def test_pages_and_api_offer_what_available_actions_says(chain, user, app, login_as):
    from app.people.directory import new_token
    inst = core.start(chain, user("t2001"), {"subject": "采购"})
    page = login_as("t2002").get(f"/instances/{inst.serial}").get_data(as_text=True)
    assert 'value="approve"' in page and 'value="terminate"' in page
    api = app.test_client()
    body = api.get(f"/api/v1/instances/{inst.serial}",
                   headers={"Authorization": f"Bearer {new_token(user('t2002'))}"}).get_json()
    assert body["actions"] == ["approve", "return", "terminate", "transfer"]
    mine = api.get(f"/api/v1/instances/{inst.serial}",
                   headers={"Authorization": f"Bearer {new_token(user('t2001'))}"}).get_json()
    assert mine["actions"] == ["withdraw", "remind"]
