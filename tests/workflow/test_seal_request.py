"""The shipped 用印申请: the office director approves only contracts over 50万元."""
import pytest

from app.engine import core
from app.engine.exceptions import Invalid
from app.models import Instance
from tests.api.conftest import upload
from tests.workflow.conftest import open_do, records


def seal_data(app, service, applicant, **extra):
    sdef = core.service_def(service.versions.first())
    token = upload(sdef.form.field("attachments"), applicant, app).token
    data = {"phone": "13800000000", "seal_type": "合同专用章", "document": "技术服务合同",
            "copies": 2, "purpose": "对外签约", "attachments": [token]}
    data.update(extra)
    return data


def drive(inst, user, *approvers):
    for name in approvers:
        inst = core.act(inst, user(name), "approve", opinion="同意")
    return inst


@pytest.mark.parametrize("extra", [{"is_contract": "是", "contract_amount": 50},
                                   {"is_contract": "是", "contract_amount": 12.5},
                                   {"is_contract": "否"}])
def test_small_contracts_and_other_documents_skip_the_director(app, service, user, extra):
    seal = service("seal-request")
    inst = core.start(seal, user("t2001"), seal_data(app, seal, user("t2001"), **extra))
    assert inst.step == "leader" and open_do(inst) == ["t2002"]
    inst = drive(inst, user, "t2002")
    assert inst.step == "seal" and open_do(inst) == ["t3002"]
    inst = drive(inst, user, "t3002")
    assert inst.status == "completed"
    assert [r[0] for r in records(inst)] == ["fill", "leader", "seal", "end"]


def test_contracts_over_500k_need_the_office_director(app, service, user):
    seal = service("seal-request")
    inst = core.start(seal, user("t2001"), seal_data(app, seal, user("t2001"), is_contract="是",
                                                     contract_amount=80))
    inst = drive(inst, user, "t2002")
    assert inst.step == "director" and open_do(inst) == ["t3001"]
    inst = drive(inst, user, "t3001")
    assert inst.step == "seal"
    inst = drive(inst, user, "t3002")
    assert [r[0] for r in records(inst)] == ["fill", "leader", "director", "seal", "end"]


def test_amount_is_required_for_a_contract_and_dropped_otherwise(app, service, user):
    seal = service("seal-request")
    applicant = user("t2001")
    with pytest.raises(Invalid) as e:
        core.start(seal, applicant, seal_data(app, seal, applicant, is_contract="是"))
    assert e.value.fields == {"contract_amount": ["此项为必填项"]}
    inst = core.start(seal, applicant, seal_data(app, seal, applicant, is_contract="否",
                                                 contract_amount=900))
    assert "contract_amount" not in Instance.get_by_id(inst.id).data   # hidden: not stored
    assert drive(inst, user, "t2002").step == "seal"                   # and cannot route


def test_form_page_carries_the_live_condition(login_as):
    page = login_as("t2001").get("/services/seal-request/start").get_data(as_text=True)
    assert "是否为合同" in page and "合同金额" in page
    assert 'data-visible-when="form.is_contract == &#34;是&#34;"' in page or \
        "data-visible-when=\"form.is_contract == &quot;是&quot;\"" in page
