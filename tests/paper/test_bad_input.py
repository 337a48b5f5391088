"""Documents the reader refuses: one Chinese sentence each, in the CLI one line and exit 2."""
import io
import zipfile

import docx
import pytest
from click.testing import CliRunner

from app.cli.defs import defs_cli
from app.paper import PaperError, read_document
from app.paper.safety import OLE_MAGIC


def _docx(build=None) -> bytes:
    document = docx.Document()
    document.add_paragraph("学生请假审批表")
    if build:
        build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _with_table(document):
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "姓名"


def _zip(parts: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _ole(*streams: str) -> bytes:
    """The start of an OLE compound file whose directory names ``streams`` (UTF-16LE)."""
    return OLE_MAGIC + b"\0" * 504 + b"".join(s.encode("utf-16-le") + b"\0\0" for s in streams) + b"\0" * 1024


BAD = [
    ("picture.docx", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "只能导入 Word（.docx）或 Excel（.xlsx）文件"),
    ("notes.txt", b"hello", "只能导入 Word（.docx）或 Excel（.xlsx）文件"),
    ("big.docx", b"PK\x03\x04" + b"\0" * (10 * 1024 * 1024 + 1), "文件超过 10 MB"),
    ("locked.docx", _ole("EncryptionInfo", "EncryptedPackage"), "文件已加密"),
    ("macro.docm", _docx(_with_table), "含有宏"),
    ("macro.xlsm", b"PK\x03\x04", "含有宏"),
    ("hidden-macro.docx", _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>",
                                "word/vbaProject.bin": b"\0" * 10}), "含有宏"),
    ("bomb.docx", _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": b"\0" * (3 * 1024 * 1024)}),
     "解压后过大"),
    ("old.doc", _ole("WordDocument"), "另存为 .docx 后再导入"),
    ("old.xls", _ole("Workbook"), "另存为 .xlsx"),
    ("swapped.xlsx", _docx(_with_table), "只能导入 Word（.docx）或 Excel（.xlsx）文件"),
    ("no-table.docx", _docx(), "没有找到表格"),
    ("broken.docx", _zip({"[Content_Types].xml": "<Types", "word/document.xml": "<w:document"}), "已损坏"),
]


@pytest.mark.parametrize("name,data,message", BAD, ids=[b[0] for b in BAD])
def test_refused_with_one_chinese_message(name, data, message):
    with pytest.raises(PaperError) as caught:
        read_document(name, data)
    assert message in caught.value.message


CLI_BAD = BAD[3:5] + BAD[7:9] + BAD[11:12]


# ids by file name: the bytes' repr changes from run to run (a zip's timestamps), and test
# ids must be the same in every parallel worker
@pytest.mark.parametrize("name,data,message", CLI_BAD, ids=[b[0] for b in CLI_BAD])
def test_cli_says_one_line_and_exits_2(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    result = CliRunner().invoke(defs_cli, ["from-document", str(path), "-o", str(tmp_path / "out.yaml")])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert not (tmp_path / "out.yaml").exists()


def test_cli_writes_a_draft_that_validates_and_one_line_per_guess(tmp_path):
    from tests.paper.make_corpus import FORMS, write
    form = next(f for f in FORMS if f.file == "差旅费报销单.xlsx")
    path = write(form, str(tmp_path))
    out = tmp_path / "draft.yaml"
    result = CliRunner().invoke(defs_cli, ["from-document", path, "--department", "财务处", "-o", str(out)])
    assert result.exit_code == 0, result.output
    guesses = [line for line in result.output.splitlines() if line.startswith("待确认: ")]
    assert any("「金额（元）」：金额" in g for g in guesses) and any("审批步骤「财务处审批」" in g for g in guesses)
    check = CliRunner().invoke(defs_cli, ["validate", str(out)])
    assert check.exit_code == 0, check.output
    assert "department: 财务处" in out.read_text(encoding="utf-8")
    assert (tmp_path / "draft.yaml.guesses.json").exists()


def test_external_relationships_are_not_followed(tmp_path):
    """A linked (external) image in the document is left alone: nothing is fetched."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    def build(document):
        _with_table(document)
        document.part.relate_to("http://127.0.0.1:9/never.png", RT.IMAGE, is_external=True)
    reading = read_document("linked.docx", _docx(build))
    assert [f["label"] for f in reading.definition["form"]["fields"]] == ["姓名"]


def test_entities_in_an_xlsx_are_not_expanded():
    """A billion-laughs sheet is refused as damaged (defusedxml under openpyxl), not expanded."""
    import openpyxl
    book = openpyxl.Workbook()
    book.active["A1"] = "姓名"
    out = io.BytesIO()
    book.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
              '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
    parts = {}
    for name in source.namelist():
        data = source.read(name)
        if name == "xl/worksheets/sheet1.xml":
            body = data.split(b"?>", 1)[-1]
            data = laughs.encode() + body.replace(b"<sheetData>", b"<sheetData>&lol3;", 1)
        parts[name] = data
    with pytest.raises(PaperError) as caught:
        read_document("lol.xlsx", _zip(parts))
    assert "已损坏" in caught.value.message


def test_an_old_doc_is_converted_when_soffice_is_installed(tmp_path, monkeypatch):
    """A stand-in ``soffice`` on PATH (LibreOffice is not installed here) writes the .docx
    where LibreOffice would: the reader then reads the converted document."""
    converted = tmp_path / "converted.docx"
    converted.write_bytes(_docx(_with_table))
    tool = tmp_path / "bin" / "soffice"
    tool.parent.mkdir()
    tool.write_text("#!/bin/sh\nwhile [ \"$1\" != \"--outdir\" ]; do shift; done\n"
                    f"cp '{converted}' \"$2/form.docx\"\n")
    tool.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tool.parent}:/usr/bin:/bin")
    reading = read_document("old.doc", _ole("WordDocument"))
    assert reading.kind == "docx" and [f["label"] for f in reading.definition["form"]["fields"]] == ["姓名"]


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_mangled_documents_give_a_message_or_a_draft_never_a_crash(tmp_path, kind):
    import random
    from tests.paper.make_corpus import FORMS, write
    form = next(f for f in FORMS if f.file.endswith(kind))
    source = zipfile.ZipFile(write(form, str(tmp_path)))
    part = "word/document.xml" if kind == "docx" else "xl/worksheets/sheet1.xml"
    original = source.read(part)
    rng = random.Random(25)
    for _ in range(12):
        data = bytearray(original)
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(len(data))
            data[at:at + rng.randint(1, 40)] = bytes(rng.randrange(256) for _ in range(rng.randint(0, 5)))
        parts = {n: (bytes(data) if n == part else source.read(n)) for n in source.namelist()}
        try:
            reading = read_document(form.file, _zip(parts))
        except PaperError as exc:
            assert exc.message
        else:
            reading.yaml()
