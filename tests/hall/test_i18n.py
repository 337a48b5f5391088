"""Chinese by default, English available: the lang cookie, Accept-Language, the catalogue."""
import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from app.defs.model import AUDIENCE_LABELS
from app.engine.core import ACTION_LABELS, STATUS_LABELS
from tests.hall.helpers import weekly

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "app" / "translations" / "en" / "LC_MESSAGES"


def _sources(folder, pattern="**/*"):
    return [str(p.relative_to(ROOT)) for p in sorted((ROOT / folder).glob(pattern)) if p.suffix in (".py", ".html")]


# The files marked for translation: every string in them must have an English text.
MARKED = (["app/templates/base.html", "app/web/templating.py", "app/exports/templates/exports/_buttons.html"]
          + _sources("app/hall") + _sources("app/center") + _sources("app/auth")
          + _sources("app/notify/templates/notify", "*.html"))     # not messages/: they go out in Chinese
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "N_": None,
            "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


def english(client):
    client.set_cookie("lang", "en")
    return client


def test_chinese_is_the_default(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-CN">' in html and "推荐服务" in html and "Recommended" not in html


def test_english_page_shows_english_labels(client):
    html = english(client).get("/").get_data(as_text=True)
    assert '<html lang="en">' in html
    for label in ("Recommended services", "Service categories", "Popular services", "For students",
                  "Service center", "Search for a service", "Log in"):
        assert label in html, label
    assert "推荐服务" not in html
    guide = client.get("/services/weekly-report").get_data(as_text=True)
    for label in ("Service name", "Service no.", "Co-departments", "Audience", "Staff", "Apply now"):
        assert label in guide, label
    assert "工作周报" in guide                                   # data stays as written


def test_english_personal_center(app, login_as):
    with app.app_context():
        weekly()
    leader = english(login_as("t2002"))
    html = leader.get("/me/items").get_data(as_text=True)
    for label in ("To do", "Copied to me", "My favourites", "Serial no.", "Current status",
                  "10 per page, 1 in all", "Previous", "Next"):
        assert label in html, label


def test_export_buttons_in_english_and_chinese(app, login_as):
    with app.app_context():
        serial = weekly().serial
    applicant = login_as("t2001")
    assert "导出PDF" in applicant.get(f"/instances/{serial}").get_data(as_text=True)
    html = english(applicant).get(f"/instances/{serial}").get_data(as_text=True)
    assert ">Print<" in html and ">Export PDF<" in html and ">Export Word<" in html and "导出PDF" not in html


def test_accept_language_english_and_unknown_cookie(client):
    html = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert "Recommended services" in html
    html = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "推荐服务" in html
    client.set_cookie("lang", "../../etc")
    assert "推荐服务" in client.get("/").get_data(as_text=True)


def test_language_switch_link_sets_the_cookie_and_returns(client):
    html = client.get("/services").get_data(as_text=True)
    assert 'href="/lang/en?next=/services' in html and ">English</a>" in html and ">中文</a>" in html
    r = client.get("/lang/en?next=/services")
    assert r.status_code == 302 and r.headers["Location"] == "/services"
    assert "lang=en" in r.headers["Set-Cookie"] and "SameSite=Lax" in r.headers["Set-Cookie"]
    assert "Service center" in client.get("/services").get_data(as_text=True)
    client.get("/lang/zh_CN")
    assert "服务中心" in client.get("/services").get_data(as_text=True)
    r = client.get("/lang/en?next=//evil.example/")
    assert r.headers["Location"] == "/"
    r = client.get("/lang/klingon")
    assert r.status_code == 302 and "Set-Cookie" not in r.headers


def _catalogue():
    with open(CATALOGUE / "messages.po", "rb") as f:
        return read_po(f, locale="en")


def _key(message):
    return (message.context, message.id if isinstance(message.id, str) else message.id[0])


def _text(message):
    """The English text; plural forms as a tuple (read_mo gives a list, read_po a tuple)."""
    return message.string if isinstance(message.string, str) else tuple(message.string)


@pytest.mark.parametrize("path", MARKED)
def test_every_marked_string_has_an_english_text(path):
    method = "jinja2" if path.endswith(".html") else "python"
    options = {"extensions": "jinja2.ext.i18n"} if method == "jinja2" else {}
    po = {_key(m): m.string if isinstance(m.string, str) else all(m.string) for m in _catalogue() if m.id}
    missing = [msg for _, msg, _, ctx in extract_from_file(method, ROOT / path, keywords=KEYWORDS,
                                                            options=options)
               if not po.get((ctx, msg if isinstance(msg, str) else msg[0]))]
    assert not missing, f"{path}: add to messages.po (pybabel update) and translate: {missing}"


def test_compiled_catalogue_matches_the_po_file():
    """The .mo is committed: it must be the compilation of the .po (see README, 界面语言)."""
    with open(CATALOGUE / "messages.mo", "rb") as f:
        mo = {_key(m): _text(m) for m in read_mo(f) if m.id}
    po = {_key(m): _text(m) for m in _catalogue() if m.id and m.string and not m.fuzzy}
    assert mo == po, "run: .venv/bin/pybabel compile -d app/translations"


def test_runtime_labels_are_all_translated():
    po = {m.id: m.string for m in _catalogue() if m.id and not m.context}
    for label in [*STATUS_LABELS.values(), *ACTION_LABELS.values(), *AUDIENCE_LABELS.values()]:
        assert po.get(label), f"{label} has no English text (add it to templating.RUNTIME_LABELS)"


def test_po_file_is_valid_utf8_without_fuzzy_entries():
    catalogue = _catalogue()
    assert not catalogue.fuzzy and not [m.id for m in catalogue if m.fuzzy and m.id]
    io.StringIO((CATALOGUE / "messages.po").read_text(encoding="utf-8"))
