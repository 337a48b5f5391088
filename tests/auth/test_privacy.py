"""ID card numbers: masked on screen but for their owner (on request) and admins; never in
logs, URLs or error messages."""
import logging

import pytest

from app.auth.privacy import IdCardFilter, mask_record
from app.people.directory import id_card_for, import_csv
from app.people.idcards import mask_id_card, mask_id_numbers
from tests.auth.conftest import GOOD, ID_CARD, activate, text

MASKED = "3701**********1234"


def test_mask_id_card():
    assert mask_id_card(ID_CARD) == MASKED
    assert mask_id_card("370102900101123") == "3701*******1123"
    assert mask_id_card(None) == ""


@pytest.mark.parametrize("raw, expected", [
    (f"user {ID_CARD} failed", f"user {MASKED} failed"),
    ("card 11010519491231002X.", "card 1101**********002X."),
    ("old 370102900101123 id", "old 3701*******1123 id"),
    ("phone 13912345678 and serial 56924", "phone 13912345678 and serial 56924"),
    ("bank 6222021234567890123 is not an ID", "bank 6222021234567890123 is not an ID"),
    (f"/me/profile?id={ID_CARD}&x=1", f"/me/profile?id={MASKED}&x=1"),
])
def test_id_numbers_are_masked_in_text(raw, expected):
    assert mask_id_numbers(raw) == expected


def test_the_profile_shows_the_masked_number_and_reveals_it_to_the_owner_on_post(client, newcomer):
    activate(client)
    page = text(client.get("/me/profile"))
    for label in ("个人信息", "王五", "20190001", "宣传部", "13912345678", MASKED, "显示完整号码"):
        assert label in page, label
    assert ID_CARD not in page
    assert 'href="/me/profile"' in text(client.get("/"))         # 个人信息 from every page
    revealed = client.post("/me/profile")
    assert ID_CARD in text(revealed)
    assert revealed.headers["Cache-Control"] == "no-store"


def test_the_profile_needs_a_login(client):
    r = client.get("/me/profile")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_the_full_number_is_for_the_owner_and_admins_only(app, newcomer, user):
    with app.app_context():
        assert id_card_for(newcomer, newcomer) == ID_CARD
        assert id_card_for(user("admin"), newcomer) == ID_CARD
        assert id_card_for(user("t2002"), newcomer) == MASKED
        assert id_card_for(None, newcomer) == MASKED


def test_log_records_are_masked_by_any_logger(app, caplog):
    caplog.set_level(logging.INFO)
    logging.getLogger("somewhere.else").warning("checking %s for %s", ID_CARD, "王五")
    app.logger.error(f"import of {ID_CARD} failed")
    logged = caplog.text + "".join(r.getMessage() for r in caplog.records)
    assert ID_CARD not in logged and MASKED in logged


def test_exception_text_in_logs_is_masked(caplog):
    caplog.set_level(logging.ERROR)
    try:
        raise ValueError(f"bad id {ID_CARD}")
    except ValueError:
        logging.getLogger("onehall.test").exception("import failed")
    assert ID_CARD not in caplog.text and MASKED in caplog.text


def test_the_filter_class_masks_a_record_for_a_configured_handler():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "id %s", (ID_CARD,), None)
    assert IdCardFilter().filter(record) and record.getMessage() == f"id {MASKED}"
    plain = logging.LogRecord("x", logging.INFO, __file__, 1, "n=%d", (3,), None)
    assert mask_record(plain).args == (3,)          # records without numbers are left alone


def test_an_error_on_a_url_with_an_id_number_does_not_log_it(app, client, caplog):
    caplog.set_level(logging.INFO)
    client.get(f"/no-such-page/{ID_CARD}")
    assert ID_CARD not in caplog.text


def test_wrong_login_messages_do_not_echo_input(client):
    r = client.post("/login", data={"username": ID_CARD, "password": "x"})
    assert ID_CARD not in text(r).split("<form")[0]         # not in any message above the form


def test_import_errors_do_not_contain_id_numbers(app, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("username,name,type,department,roles,id_card,phone,email\n"
                    f"x1,某人,robot,宣传部,,{ID_CARD},,\n"
                    f"t2001,重复,staff,宣传部,,{ID_CARD},,\n", encoding="utf-8")
    with app.app_context():
        created, errors = import_csv(str(path))
    assert created == 0 and len(errors) == 2
    assert not any(ID_CARD in e for e in errors)


def test_the_password_never_appears_in_the_page_after_a_failed_change(client, newcomer):
    from tests.auth.conftest import INITIAL, post_login
    post_login(client, "20190001", INITIAL)
    r = client.post("/password", data={"old_password": INITIAL, "new_password": "ab19900101",
                                       "confirm": "ab19900101"})
    assert "ab19900101" not in text(r) and "19900101" not in text(r)
    assert GOOD not in text(r)
