"""The reader against the corpus: label recall, type accuracy, detail tables and signature
steps, printed, with the goals asserted (≥ 95 % labels, ≥ 85 % types, every table, every step)."""
import pytest

from app.defs.compile import validate_text
from app.paper import read_document
from tests.paper.make_corpus import FORMS, write_all
from tests.paper.scoring import DEPARTMENTS, Score, score


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_all(str(tmp_path_factory.mktemp("corpus")))


def test_corpus_has_word_and_excel_forms(corpus):
    assert len(corpus) >= 12
    assert {p.rsplit(".", 1)[1] for _, p in corpus} == {"docx", "xlsx"}


def test_corpus_figures(corpus, capsys):
    total = Score()
    for form, path in corpus:
        score(form, path, total)
    recall, accuracy = total.found / total.labels, total.typed / total.found
    with capsys.disabled():
        print(f"\n纸质表单语料 {len(corpus)} 份：标签召回 {total.found}/{total.labels} = {recall:.1%}，"
              f"类型正确 {total.typed}/{total.found} = {accuracy:.1%}，明细表 {total.tables_found}/{total.tables}，"
              f"审批步骤 {total.steps_found}/{total.steps}")
        for miss in total.misses:
            print("  " + miss)
    assert recall >= 0.95 and accuracy >= 0.85
    assert total.tables_found == total.tables and total.steps_found == total.steps


@pytest.mark.parametrize("form", FORMS, ids=[f.file for f in FORMS])
def test_every_draft_validates_and_keeps_the_paper_order(form, tmp_path):
    from tests.paper.make_corpus import write
    path = write(form, str(tmp_path))
    with open(path, "rb") as handle:
        reading = read_document(form.file, handle.read(), departments=DEPARTMENTS, department="办公室")
    sdef = validate_text(reading.yaml())
    labels = [f.label for f in sdef.form.fields if f.type != "section"]
    expected = [label.replace("（可多选）", "") for label in form.fields]
    found = [label for label in labels if label in expected]
    assert found == [label for label in expected if label in found]       # paper order kept
    assert [g["target"] for g in reading.guesses].count("name") == 1
    assert len(reading.guesses) >= len(sdef.form.fields) - sum(f.type == "section" for f in sdef.form.fields)


def test_an_id_card_label_gets_the_id_card_type_when_installed(tmp_path):
    from plugins.fields import FIELD_TYPES
    from tests.paper.make_corpus import write
    form = next(f for f in FORMS if f.file == "科研项目经费预算表.docx")
    with open(write(form, str(tmp_path)), "rb") as handle:
        data = handle.read()
    plain = read_document(form.file, data, departments=DEPARTMENTS)
    field = next(f for f in plain.definition["form"]["fields"] if f.get("label") == "身份证号")
    assert field["type"] == "text" and field["pattern"] == r"^[0-9]{17}[0-9Xx]$"
    assert "idcard" in FIELD_TYPES                     # make test installs the example plugin
    typed = read_document(form.file, data, departments=DEPARTMENTS, idcard=True)
    field = next(f for f in typed.definition["form"]["fields"] if f.get("label") == "身份证号")
    assert field["type"] == "idcard"
    validate_text(typed.yaml())
