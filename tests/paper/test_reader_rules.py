"""Single rules of the reader on small hand-made documents."""
import io

import docx

from app.paper import read_document


def _read(build, departments=("财务处",)):
    document = docx.Document()
    document.add_heading("经费借款申请单", level=1)
    build(document)
    out = io.BytesIO()
    document.save(out)
    return read_document("form.docx", out.getvalue(), departments=departments)


def _table(document, rows):
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    return table


def test_a_leaders_signature_line_under_the_table_is_a_step_the_applicants_is_not():
    def build(document):
        _table(document, [["借款事由：", ""], ["借款金额（元）*", ""]])
        document.add_paragraph("借款人签字：____________")
        document.add_paragraph("部门负责人（签字）：          年    月    日")
        document.add_paragraph("财务处审核（盖章）：          年    月    日")
    reading = _read(build)
    fields = [(f["label"], f["type"], f.get("required", False)) for f in reading.definition["form"]["fields"]]
    assert fields == [("借款事由", "textarea", False), ("借款金额（元）", "money", True)]
    steps = reading.definition["steps"]
    assert [s["name"] for s in steps] == ["填写申请表", "部门负责人审批", "财务处审批"]
    assert steps[1]["by"] == {"role": "dept_leader", "of": "applicant"}
    assert steps[2]["by"] == {"role": "dept_leader", "department": "财务处"}
    assert all(s["opinion"] == "required" for s in steps[1:])
    assert reading.definition["name"] == "经费借款申请单"


def test_unknown_office_is_left_for_the_admin_and_said_so():
    def build(document):
        _table(document, [["姓名", ""], ["图书馆意见", "签字：    年  月  日"]])
    reading = _read(build)
    step = reading.definition["steps"][1]
    assert step["by"]["role"] == "dept_admin"
    line = next(g["text"] for g in reading.guesses if g["target"] == f"step:{step['id']}")
    assert "「图书馆」不在通讯录中" in line and "请选择" in line


def test_ids_are_pinyin_words_never_cut_mid_word():
    def build(document):
        _table(document, [["报销事由", ""], ["报销事由", ""]])
    reading = _read(build)
    fields = reading.definition["form"]["fields"]
    assert [f["name"] for f in fields] == ["baoxiao_shiyou", "baoxiao_shiyou_2"]
    assert [f["label"] for f in fields] == ["报销事由", "报销事由（2）"]      # one label, one field
    assert "已改为「报销事由（2）」" in reading.guesses[-1]["text"]


def test_wingdings_boxes_and_content_controls_are_read_as_choices():
    """Word forms often draw □ as a Wingdings symbol (<w:sym>), or put text in a content control."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    def build(document):
        table = _table(document, [["性别", ""], ["联系人", ""]])
        p = table.cell(0, 1).paragraphs[0]._p
        for word in ("男", "女"):
            p.append(parse_xml(f'<w:r {nsdecls("w")}><w:sym w:font="Wingdings" w:char="F0A8"/></w:r>'))
            p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve">{word} </w:t></w:r>'))
        label = table.cell(1, 0).paragraphs[0]._p
        for child in list(label):
            if child.tag.endswith("}r"):
                label.remove(child)
        label.append(parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtContent><w:r><w:t>联系人</w:t></w:r>'
                               '</w:sdtContent></w:sdt>'))
    fields = _read(build).definition["form"]["fields"]
    assert fields[0]["label"] == "性别" and fields[0]["type"] == "radio" and fields[0]["options"] == ["男", "女"]
    assert fields[1]["label"] == "联系人"


def test_a_value_cell_holding_only_a_unit_is_a_blank_of_that_kind():
    def build(document):
        _table(document, [["借款金额", "            元", "预计天数", "      天"], ["项目名称", "", "附件张数", "   张"]])
    fields = [(f["label"], f["type"]) for f in _read(build).definition["form"]["fields"]]
    assert fields == [("借款金额", "money"), ("预计天数", "number"), ("项目名称", "text"), ("附件张数", "number")]


def test_a_date_range_cell_gives_a_start_and_an_end_date():
    def build(document):
        _table(document, [["请假时间", "自    年   月   日  至    年   月   日"], ["请假天数", ""]])
    fields = [(f["label"], f["type"]) for f in _read(build).definition["form"]["fields"]]
    assert fields == [("请假时间（开始）", "date"), ("请假时间（结束）", "date"), ("请假天数", "number")]
