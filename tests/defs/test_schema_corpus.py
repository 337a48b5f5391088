"""The JSON Schema corpus (tests/defs/schemas/*.json): real-world-shaped form schemas, each
with valid and invalid data, through every stage a schema goes through in OneHall:

validate (wrapped as ``flask defs new --from-schema`` does) → the draft's own validator
agrees with the samples → import → API (201 valid / 422 invalid, each message naming the
field's title and JSON path) → form page (every property has an input) → print.
"""
import json
import re
from pathlib import Path

import pytest
from jsonschema import validators

from app.defs import wrap
from app.defs.compile import compile_text
from app.defs.formats import SCHEMA_FORMATS

CORPUS = sorted((Path(__file__).parent / "schemas").glob("*.json"))


@pytest.fixture
def api(app, user):
    from app.people.directory import new_token
    from tests.api.conftest import ApiClient
    return lambda username: ApiClient(app.test_client(), new_token(user(username)))


def load(path):
    case = json.loads(path.read_text("utf-8"))
    text = wrap.wrap_text(case["schema"], name=case.get("name") or path.stem, department="宣传部",
                          slug=wrap.slug_for("js-" + path.stem), number=50000 + CORPUS.index(path),
                          ui_schema=case.get("ui_schema"))
    return case, text


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 30


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_the_drafts_own_validator_agrees_with_the_samples(path):
    case, _ = load(path)
    schema = case["schema"]
    validator = validators.validator_for(schema)(schema, format_checker=SCHEMA_FORMATS)
    assert case["valid"] and case["invalid"]
    for data in case["valid"]:
        assert list(validator.iter_errors(data)) == [], data
    for data in case["invalid"]:
        assert list(validator.iter_errors(data)) != [], data


def input_names(fields, prefix=""):
    """For each property: the input names that stand for it on the page (a prefix for lists,
    rows and groups' children)."""
    for f in fields:
        if not f.is_input:
            continue
        name = prefix + f.name
        if f.type in ("group", "tuple"):
            yield from input_names(f.columns, name + "-")
        elif f.type == "rows":
            yield from input_names(f.columns, name + "-0-")
        elif f.type == "list":
            yield name + "-0"
        else:
            yield name


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_every_stage(path, app, api, login_as):
    case, text = load(path)
    sdef, _ = compile_text(text, path.name)                       # validate
    with app.app_context():                                        # import
        from app.defs.store import import_text
        service, _, status = import_text(text, path.name)
        assert status == "created"
    client = api("t2001")                                          # API
    serials = []
    for data in case["valid"]:
        response = client.start(sdef.id, data)
        assert response.status_code == 201, (data, response.get_json())
        serials.append(response.get_json()["serial"])
    for data in case["invalid"]:
        response = client.start(sdef.id, data)
        assert response.status_code == 422, (data, response.get_json())
        fields = response.get_json()["fields"]
        messages = [m for ms in fields.values() for m in ms]
        assert messages and all("（/" in m or m.startswith("未知字段") for m in messages), messages
    web = login_as("t2001")                                        # form page
    page = web.get(f"/services/{sdef.id}/start").get_data(as_text=True)
    names = set(re.findall(r'name="([^"]+)"', page))
    for wanted in input_names(sdef.form.fields):
        assert wanted in names, f"no input for {wanted!r}"
    for serial in serials:                                         # print
        printed = web.get(f"/instances/{serial}/print")
        assert printed.status_code == 200
        body = printed.get_data(as_text=True)
        assert "{&#34;" not in body and "{'" not in body, "nested data printed as JSON text"


def test_pdf_and_word_show_nested_data_as_tables(app, api, login_as):
    import io
    import zipfile
    path = next(p for p in CORPUS if p.stem == "03-showcase")
    case, text = load(path)
    sdef, _ = compile_text(text, path.name)
    with app.app_context():
        from app.defs.store import import_text
        import_text(text, path.name)
    serial = api("t2001").start(sdef.id, case["valid"][0]).get_json()["serial"]
    web = login_as("t2001")
    docx = web.get(f"/instances/{serial}/export.docx")
    assert docx.status_code == 200
    xml = zipfile.ZipFile(io.BytesIO(docx.data)).read("word/document.xml").decode("utf-8")
    assert "liming@qlu.edu.cn" in xml and "电子邮箱" in xml and "{&quot;" not in xml and "{'" not in xml
    pdf = web.get(f"/instances/{serial}/export.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
