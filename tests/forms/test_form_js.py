"""static/js/conditions.js evaluates visible_when like app/defs/expr.py (run under node when
present); form.js, which uses it, offers the same evaluator as ``OneHallForms``."""
import json
import os
import re
import shutil
import subprocess

import pytest

from app.defs.expr import parse
from tests.forms import ROOT

JS = os.path.join(ROOT, "app", "static", "js")
CONDITIONS_JS, FORM_JS = os.path.join(JS, "conditions.js"), os.path.join(JS, "form.js")
PROBE = """
global.window = {}; global.document = { addEventListener: function () {} };
require(process.argv[1]); require(process.argv[2]);
var F = window.OneHallForms, cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
console.log(JSON.stringify(cases.map(function (c) {
  try { return F.truthy(F.evaluate(F.parse(c.text), c.ctx)); } catch (e) { return "error"; }
})));
"""
CTX = {"form": {"amount": 12, "text": "15", "kind": "技术服务", "tags": ["横向"], "ok": True,
                "zero": 0, "name": "Alice"},
       "applicant": {"type": "staff", "department": "CS"}}
CASES = [
    'form.amount > 10 and applicant.type == "staff"',
    "form.amount > 10 and applicant.type == 'student'",
    "form.text > 9", "form.text == 15", "form.amount == '12'",
    'form.kind in ["技术开发", "技术服务"]', 'form.kind not in ("技术开发",)',
    'not form.kind == "技术开发"', '"横向" in form.tags', '"纵向" in form.tags',
    "form.amount * 2 - 4 / 2 == 22", "-form.amount < 0", "1 < form.amount <= 12",
    "form.missing == None", "form.missing > 1", "form.ok == True", "form.zero",
    "form.amount / form.zero", "form.zero or form.ok", "(form.amount + 1) * 2 == 26",
    '"Ali" in form.name', "form.name + 'x' == 'Alicex'", "not form.missing",
    "form.amount >= 12 and not (form.kind == 'x' or form.zero)",
    "form.ok == 1", "form.zero == False", "form.text == True",
]


def test_no_eval_in_browser_code():
    for path in (CONDITIONS_JS, FORM_JS):
        source = open(path, encoding="utf-8").read()
        assert not re.search(r"\beval\s*\(|new\s+Function|Function\s*\(", source), path


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_browser_evaluator_agrees_with_server():
    cases = [{"text": text, "ctx": CTX} for text in CASES]
    out = subprocess.run(["node", "-e", PROBE, CONDITIONS_JS, FORM_JS], input=json.dumps(cases),
                         capture_output=True, text=True, timeout=30, check=True)
    browser = json.loads(out.stdout)
    server = [parse(text).test(CTX) for text in CASES]
    assert browser == server, [c for c, b, s in zip(CASES, browser, server) if b != s]


def test_every_page_with_form_js_loads_the_conditions_first():
    """form.js reads window.OneHallConditions: a page loading it alone shows no live 显示条件."""
    pages = []
    walks = [os.walk(os.path.join(ROOT, top)) for top in ("app", "designer", "renderers")]
    for folder, _dirs, files in (step for walk in walks for step in walk):
        for name in files:
            if name.endswith(".html"):
                text = open(os.path.join(folder, name), encoding="utf-8").read()
                if "js/form.js" in text:
                    pages.append(name)
                    assert 0 <= text.find("js/conditions.js") < text.find("js/form.js"), name
    assert {"start.html", "instance.html", "preview_frame.html"} <= set(pages)
