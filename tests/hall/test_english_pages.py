"""Pages rendered in English hold no Chinese outside data (issue 11, item 8).

Data — service definitions (names, labels, options, step names), people, departments, roles,
what users typed and uploaded — shows as written; everything else on the page is ours and
must be in English. Elements marked lang="zh-CN" (the 中文 link) are Chinese on purpose.
"""
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from app.engine import core
from app.models import Attachment, Department, FlowRecord, Instance, Role, User
from tests.e2e.walk import CJK, EVERY_TYPE, import_every_type, person, seal_with_file, weekly

ROOT = Path(__file__).resolve().parents[2]
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-confirm", "data-template")
SKIP = ("script", "style", "option", "textarea")


class Texts(HTMLParser):
    """Visible texts and labelling attributes, outside lang="zh-*" elements."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack, self.out = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        chinese = (attrs.get("lang") or "").startswith("zh") and tag != "html"
        skipped = tag in SKIP or chinese or any(s for _, s in self.stack)
        if not any(s for _, s in self.stack) and not chinese:
            if not (tag == "input" and attrs.get("type") == "hidden"):
                self.out += [attrs[a] for a in ATTRIBUTES if attrs.get(a)]
        if tag not in self.VOID:
            self.stack.append((tag, skipped))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not any(s for _, s in self.stack) and data.strip():
            self.out.append(data)


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def data_strings():
    """Everything on the pages that is data, longest first."""
    found = set()
    for path in list((ROOT / "definitions").glob("*.yaml")):
        found |= set(strings(yaml.safe_load(path.read_text(encoding="utf-8"))))
    found |= set(strings(yaml.safe_load(EVERY_TYPE)))
    found |= {u.name for u in User.select(User.name)} | {d.name for d in Department.select(Department.name)}
    found |= {r.name for r in Role.select(Role.name)}
    for inst in Instance.select():
        found.add(inst.title)
        found |= set(strings(inst.data))
    found |= {r.opinion for r in FlowRecord.select() if r.opinion} | {r.step_name for r in FlowRecord.select()}
    found |= {a.filename for a in Attachment.select(Attachment.filename)}
    return sorted((s for s in found if s and CJK.search(s)), key=len, reverse=True)


def leftovers(html, data):
    parser = Texts()
    parser.feed(html)
    text = "\n".join(parser.out)
    for value in data:
        text = text.replace(value, " ")
    return sorted({line.strip() for line in text.splitlines() if CJK.search(line)})


@pytest.fixture
def english(app, login_as):
    with app.app_context():
        import_every_type()
        running = weekly()
        seal, _ = seal_with_file()
        core.act(seal, person("t2002"), "terminate", opinion="材料不全")
        completed = core.act(weekly(), person("t2002"), "approve", opinion="同意")
        data = None

    def client(username=None):
        c = login_as(username) if username else app.test_client()
        c.set_cookie("lang", "en")
        return c
    with app.app_context():
        data = data_strings()
    return client, data, {"running": running.serial, "seal": seal.serial, "done": completed.serial}


PAGES = [
    (None, "GET", "/"), (None, "GET", "/services"), (None, "GET", "/services/weekly-report"),
    (None, "GET", "/services/tech-contract"), (None, "GET", "/login"),
    (None, "GET", "/password/forgot/question"), (None, "GET", "/password/forgot/sms"),
    ("t2001", "GET", "/"), ("t2001", "GET", "/services/every-type/start"),
    ("t2001", "POST", "/services/every-type/start"),
    ("t2001", "POST", "/services/seal-request/start"),
    ("t2001", "GET", "/me/items?box=done"), ("t2002", "GET", "/me/items?serial={done}"),
    ("t2001", "GET", "/instances/{running}"), ("t2002", "GET", "/instances/{running}"),
    ("t2001", "GET", "/instances/{seal}"), ("t2002", "GET", "/instances/{done}"),
    ("t2001", "GET", "/instances/{running}/print"), ("t2002", "GET", "/instances/{seal}/print"),
]


@pytest.mark.parametrize("user,method,path", PAGES)
def test_no_chinese_outside_data(english, user, method, path):
    client, data, serials = english
    url = path.format(**serials)
    if method == "POST":
        response = client(user).post(url, data={"op": "submit", "project": "长" * 30, "count": "-5",
                                                "items-0-text": "长" * 60, "document": "长" * 150})
        assert response.status_code == 422
    else:
        response = client(user).get(url)
        assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert leftovers(html, data) == []
