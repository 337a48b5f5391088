"""存草稿 saves whatever was typed; validation is for 提交 (issue 11, item 4)."""
import pytest

from app.engine import core
from app.engine.exceptions import Invalid
from app.models import Attachment, Service, User

SEAL = {"phone": "13800000000", "seal_type": "学校公章", "document": "合作协议",
        "purpose": "对外合作", "is_contract": "否"}


def person(username):
    return User.get(User.username == username)


def test_a_draft_keeps_invalid_values_and_submit_still_refuses_them(app):
    with app.app_context():
        seal = Service.get(Service.slug == "seal-request")
        draft = core.start(seal, person("t2001"), dict(SEAL, copies=0, document="长" * 150),
                           submit=False)
        assert draft.status == "draft" and draft.data["copies"] == 0
        draft = core.save_draft(draft, person("t2001"), dict(SEAL, copies="abc"))
        assert core.get_instance(draft.serial).data["copies"] == "abc"
        with pytest.raises(Invalid) as refused:
            core.submit(draft, person("t2001"), None)
        assert {"copies", "attachments"} <= set(refused.value.fields)


def test_a_draft_still_refuses_someone_elses_attachment(app):
    with app.app_context():
        other = Attachment.create(owner=person("t2002"), token="f" * 32, field="attachments",
                                  filename="a.pdf", stored_name="0" * 32, size=1, sha256="0" * 64,
                                  content_type="application/pdf")
        seal = Service.get(Service.slug == "seal-request")
        with pytest.raises(Invalid) as refused:
            core.start(seal, person("t2001"), dict(SEAL, attachments=[other.token]), submit=False)
        assert set(refused.value.fields) == {"attachments"}
