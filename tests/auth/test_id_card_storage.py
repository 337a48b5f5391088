"""ID card numbers at rest: encrypted (ID_CARD_KEY, rotation with `flask users rekey`), found
by a keyed hash, migrated from plain text by `flask init-db`, never shown in full to admins'
edit forms."""
import pytest

from app import create_app
from app.db import db
from app.people.directory import add_user, users_with_id_card
from app.people.idcards import new_key
from app.models import User
from tests.auth.conftest import ID_CARD
from tests.conftest import TEST_ID_CARD_KEY, make_config

MASKED = "3701**********1234"


def raw_row(username):
    return db.execute_sql('SELECT id_card_secret, id_card_hash FROM "user" WHERE username = ?',
                          (username,)).fetchone()


def test_numbers_are_encrypted_at_rest_and_found_by_their_keyed_hash(app, tmp_path):
    add_user("20190001", name="王五", type="staff", id_card=ID_CARD)
    add_user("20190002", name="赵六", type="staff", id_card="11010519491231002x")
    secret, digest = raw_row("20190001")
    assert ID_CARD not in secret and secret.startswith("gAAAAA")
    assert ID_CARD not in digest and len(digest) == 64
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert ID_CARD.encode() not in (tmp_path / "onehall.db").read_bytes()
    assert User.get(User.username == "20190001").id_card == ID_CARD
    assert [u.username for u in users_with_id_card(ID_CARD)] == ["20190001"]
    assert [u.username for u in users_with_id_card(" 11010519491231002X ")] == ["20190002"]
    assert list(users_with_id_card("")) == []


def test_a_typed_value_that_looks_encrypted_is_encrypted_too(app, login_as):
    """Stored as typed it would fail to decrypt: every page showing that user would break."""
    add_user("20190003", name="孙七", type="staff", id_card="gAAAAAbogus-123456")
    assert User.get(User.username == "20190003").id_card == "GAAAAABOGUS-123456"
    assert raw_row("20190003")[0] != "GAAAAABOGUS-123456"
    assert login_as("admin").get("/designer/users/").status_code == 200


def _app(tmp_path, keys, **extra):
    return create_app(make_config(tmp_path, ID_CARD_KEY=keys, **extra))


def test_rotation_decrypts_with_any_key_and_rekey_moves_everything_to_the_first(app_config, tmp_path):
    old, new = TEST_ID_CARD_KEY, new_key()
    _app(tmp_path, old)
    add_user("20190001", name="王五", type="staff", id_card=ID_CARD)
    before = raw_row("20190001")
    app = _app(tmp_path, f"{new},{old}")                    # new key first, old one kept
    assert User.get(User.username == "20190001").id_card == ID_CARD
    assert [u.username for u in users_with_id_card(ID_CARD)] == ["20190001"]
    result = app.test_cli_runner().invoke(args=["users", "rekey"])
    assert result.exit_code == 0, result.output
    assert "re-encrypted" in result.output
    after = raw_row("20190001")
    assert after[0] != before[0] and after[1] != before[1]
    _app(tmp_path, [new])                                   # the old key is gone
    assert User.get(User.username == "20190001").id_card == ID_CARD
    assert [u.username for u in users_with_id_card(ID_CARD)] == ["20190001"]
    stranger = _app(tmp_path, new_key())                    # a key that decrypts nothing
    result = stranger.test_cli_runner().invoke(args=["users", "rekey"])
    assert result.exit_code == 1 and "ID_CARD_KEY" in result.output
    assert "Traceback" not in result.output


def test_a_malformed_key_is_a_clear_error_at_start(app_config, tmp_path):
    from app.people.idcards import IdCardKeyError
    with pytest.raises(IdCardKeyError, match="Fernet key"):
        _app(tmp_path, "not-a-key")


def _legacy_schema(username, number):
    """The schema before encryption: plain ``user.id_card``, no secret/hash columns."""
    db.execute_sql('DROP INDEX IF EXISTS user_id_card_hash')
    db.execute_sql('ALTER TABLE "user" DROP COLUMN id_card_hash')
    db.execute_sql('ALTER TABLE "user" DROP COLUMN id_card_secret')
    db.execute_sql('ALTER TABLE "user" ADD COLUMN id_card VARCHAR(32)')
    db.execute_sql('UPDATE "user" SET id_card = \'%s\' WHERE username = \'%s\'' % (number, username))


def _check_migration(app):
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert db.execute_sql('SELECT count(*) FROM "user" WHERE id_card IS NOT NULL').fetchone()[0] == 0
    assert User.get(User.username == "t2001").id_card == ID_CARD
    assert [u.username for u in users_with_id_card(ID_CARD)] == ["t2001"]
    assert app.test_cli_runner().invoke(args=["init-db"]).exit_code == 0   # idempotent
    assert User.get(User.username == "t2001").id_card == ID_CARD


def test_init_db_encrypts_the_plain_numbers_of_an_older_database(app):
    with app.app_context():
        db.connect(reuse_if_open=True)
        _legacy_schema("t2001", ID_CARD)
        _check_migration(app)


def test_init_db_encrypts_plain_numbers_on_postgresql(pg_app):
    with pg_app.app_context():
        db.connect(reuse_if_open=True)
        _legacy_schema("t2001", ID_CARD)
        _check_migration(pg_app)


def test_the_admins_edit_form_shows_the_number_masked_and_keeps_it_when_left_empty(app, login_as):
    person = add_user("20190001", name="王五", type="staff", department_name="宣传部", id_card=ID_CARD)
    admin = login_as("admin")
    page = admin.get(f"/designer/users/edit/?id={person.id}").get_data(as_text=True)
    assert ID_CARD not in page and MASKED in page
    form = {"username": "20190001", "name": "王五五", "type": "staff", "id_card": "",
            "phone": "", "email": "", "is_active": "y"}
    response = admin.post(f"/designer/users/edit/?id={person.id}", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    changed = User.get_by_id(person.id)
    assert changed.name == "王五五" and changed.id_card == ID_CARD
    admin.post(f"/designer/users/edit/?id={person.id}", data={**form, "id_card": "11010519491231002X"})
    assert User.get_by_id(person.id).id_card == "11010519491231002X"
    assert [u.username for u in users_with_id_card("11010519491231002X")] == ["20190001"]
