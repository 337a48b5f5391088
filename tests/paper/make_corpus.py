"""A corpus of paper forms shaped like those Chinese universities publish, each with what a
reader should find in it: its fields (label → type), its detail tables and signature steps.

    python -m tests.paper.make_corpus OUT_DIR      # writes the .docx / .xlsx files

A form is a title, paragraphs and table rows; a row is a list of cells, a cell a string or
(text, colspan[, rowspan]); a row given as {"cells": [...], "tall": True} is a tall row.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

T = {"tall": True}
SIGN = "签字：            年    月    日"
SEAL = "签章：            年    月    日"


@dataclass
class Form:
    file: str
    title: str
    rows: list
    fields: dict                               # label → type
    steps: list                                # step names, in order
    tables: dict = field(default_factory=dict)  # detail tables: tuple of column labels → types
    before: list = field(default_factory=list)
    after: list = field(default_factory=list)
    more: list = field(default_factory=list)   # (caption paragraph, rows) of a second table


def tall(*cells):
    return {"cells": list(cells), "tall": True}


FORMS = [
    Form("技术合同审批表.docx", "齐鲁工业大学技术合同审批表", [
        ["*项目名称", ("", 3)],
        ["单位", "", "项目负责人", ""],
        ["项目性质", ("□技术开发  □技术服务  □技术咨询", 3)],
        ["甲方", "", "联系电话", ""],
        ["*合同金额（万元）", "", "其中设备费（万元）", ""],
        tall("合同主要内容", ("", 3)),
        [("所在单位意见：\n\n\n负责人签字：          年    月    日", 4)],
        [("科研处意见：\n\n\n" + SEAL, 4)],
        ["财务处意见", (SIGN, 3)],
    ], {"项目名称": "text", "单位": "text", "项目负责人": "text", "项目性质": "radio", "甲方": "text",
        "联系电话": "text", "合同金额（万元）": "money", "其中设备费（万元）": "money", "合同主要内容": "textarea"},
        ["所在单位审批", "科研处审批", "财务处审批"]),
    Form("学生请假审批表.docx", "学生请假审批表", [
        ["姓名", "", "学号", ""],
        ["学院", "", "专业班级", ""],
        ["联系电话", "", "家长电话", ""],
        ["请假类型", ("□病假  □事假  □其他", 3)],
        ["*请假开始日期", "", "*请假结束日期", ""],
        ["请假天数", "", "离校去向", ""],
        tall("*请假事由", ("", 3)),
        [("学生签字：              年    月    日", 4)],
        ["辅导员意见", (SIGN, 3)],
        ["学院意见", (SEAL, 3)],
    ], {"姓名": "text", "学号": "text", "学院": "text", "专业班级": "text", "联系电话": "text",
        "家长电话": "text", "请假类型": "radio", "请假开始日期": "date", "请假结束日期": "date",
        "请假天数": "number", "离校去向": "text", "请假事由": "textarea"},
        ["辅导员审批", "学院审批"],
        after=["注：请假三天以内由辅导员审批，三天以上须经学院审批。"]),
    Form("固定资产领用单.xlsx", "固定资产领用单", [
        ["领用部门", "", "领用人", "", "领用日期", ""],
        ["序号", "资产名称", "规格型号", "数量", "单价（元）", "金额（元）"],
        ["", "", "", "", "", ""], ["", "", "", "", "", ""], ["", "", "", "", "", ""],
        ["合计金额（元）", ("", 5)],
        tall("用途说明", ("", 5)),
        ["部门负责人意见", (SIGN, 5)],
        ["资产管理处意见", (SIGN, 5)],
    ], {"领用部门": "text", "领用人": "text", "领用日期": "date", "合计金额（元）": "money", "用途说明": "textarea"},
        ["部门负责人审批", "资产管理处审批"],
        tables={("资产名称", "规格型号", "数量", "单价（元）", "金额（元）"): ("text", "text", "number", "money", "money")}),
    Form("出差审批表.docx", "教职工出差审批表", [
        ["出差人", "", "工号", ""],
        ["所在部门", "", "职务/职称", ""],
        ["出差地点", "", "出差天数", ""],
        ["出发日期", "", "返回日期", ""],
        ["交通工具（可多选）", ("□飞机  □火车  □汽车  □其他", 3)],
        ["预计费用（元）", "", "经费来源", ""],
        tall("*出差事由", ("", 3)),
        ["部门负责人意见", (SIGN, 3)],
        ["分管校领导意见", (SIGN, 3)],
    ], {"出差人": "text", "工号": "text", "所在部门": "text", "职务/职称": "text", "出差地点": "text",
        "出差天数": "number", "出发日期": "date", "返回日期": "date", "交通工具": "checkboxes",
        "预计费用（元）": "money", "经费来源": "text", "出差事由": "textarea"},
        ["部门负责人审批", "分管校领导审批"],
        before=["说明：教职工因公出差须事先填写本表，经批准后方可出差。"]),
    Form("用印申请表.docx", "用印申请表", [
        ["用印部门", "", "经办人", ""],
        ["联系电话", "", "用印日期", ""],
        ["用印类型", ("○学校公章  ○党委印章  ○校长签名章", 3)],
        ["用印份数", "", "文件名称", ""],
        tall("用印事由", ("", 3)),
        ["附件材料", ("", 3)],
        [("部门负责人意见：\n\n" + SIGN, 4)],
        [("办公室意见：\n\n" + SIGN, 4)],
    ], {"用印部门": "text", "经办人": "text", "联系电话": "text", "用印日期": "date", "用印类型": "radio",
        "用印份数": "number", "文件名称": "text", "用印事由": "textarea", "附件材料": "file"},
        ["部门负责人审批", "办公室审批"]),
    Form("场地借用申请表.xlsx", "教学场地借用申请表", [
        ["借用单位", "", "负责人", "", "联系电话", ""],
        ["活动名称", ("", 5)],
        ["借用场地", "", "参加人数", "", "借用时间", ""],
        tall("活动内容", ("", 5)),
        ["所需设备（可多选）", ("□投影仪  □音响  □话筒", 5)],
        ["单位意见", (SEAL, 5)],
        ["保卫处意见", (SIGN, 5)],
        ["后勤管理处意见", (SIGN, 5)],
    ], {"借用单位": "text", "负责人": "text", "联系电话": "text", "活动名称": "text", "借用场地": "text",
        "参加人数": "number", "借用时间": "datetime", "活动内容": "textarea", "所需设备": "checkboxes"},
        ["单位审批", "保卫处审批", "后勤管理处审批"]),
    Form("差旅费报销单.xlsx", "差旅费报销单", [
        ["报销人", "", "工号", "", "所在部门", ""],
        ["*报销事由", ("", 5)],
        [("费用明细", 6)],
        ["日期", "费用项目", "单据张数", "金额（元）", ("备注", 2)],
        ["", "", "", "", ("", 2)], ["", "", "", "", ("", 2)], ["", "", "", "", ("", 2)], ["", "", "", "", ("", 2)],
        ["合计金额（元）", ("", 5)],
        ["附件", ("", 5)],
        ["部门负责人审核", (SIGN, 5)],
        ["财务处审核", (SIGN, 5)],
    ], {"报销人": "text", "工号": "text", "所在部门": "text", "报销事由": "textarea", "合计金额（元）": "money",
        "附件": "file"},
        ["部门负责人审批", "财务处审批"],
        tables={("日期", "费用项目", "单据张数", "金额（元）", "备注"): ("date", "text", "number", "money", "textarea")}),
    Form("学生证明开具申请表.docx", "学生证明开具申请表", [
        tall("用途说明", ("", 3)),
        ["所需份数", "", "领取方式", "□自取  □邮寄"],
        ["学院意见", (SEAL, 3)],
        ["教务处意见", (SEAL, 3)],
    ], {"姓名": "text", "学号": "text", "学院": "text", "证明类型": "radio", "电子邮箱": "text",
        "用途说明": "textarea", "所需份数": "number", "领取方式": "radio"},
        ["学院审批", "教务处审批"],
        before=["姓名：__________    学号：__________    学院：______________",
                "证明类型：□在读证明  □成绩证明  □学位证明",
                "电子邮箱：________________（证明电子版发送至此）"]),
    Form("公务接待审批单.docx", "公务接待审批单", [
        ["接待部门", "", "经办人", ""],
        ["来宾单位", "", "来宾人数", ""],
        ["接待日期", "", "陪同人数", ""],
        ["*接待费用预算（元）", "", "经费卡号", ""],
        tall("接待事由", ("", 3)),
    ], {"接待部门": "text", "经办人": "text", "来宾单位": "text", "来宾人数": "number", "接待日期": "date",
        "陪同人数": "number", "接待费用预算（元）": "money", "经费卡号": "text", "接待事由": "textarea"},
        ["部门负责人审批", "办公室审批"],
        tables={("姓名", "单位", "职务"): ("text", "text", "text")},
        more=[("来宾名单", [["姓名", "单位", "职务"], ["", "", ""], ["", "", ""], ["", "", ""]]),
              ("", [["部门负责人意见", (SIGN, 2)], ["办公室意见", (SIGN, 2)]])]),
    Form("学生宿舍调换申请表.xlsx", "学生宿舍调换申请表", [
        ["姓名", "", "学号", "", "性别", "□男 □女", "学院", ""],
        ["手机", "", "现住宿舍", "", "拟调宿舍", "", "调换日期", ""],
        tall("调换原因", ("", 7)),
        ["辅导员意见", (SIGN, 7)],
        ["学生工作处意见", (SEAL, 7)],
    ], {"姓名": "text", "学号": "text", "性别": "radio", "学院": "text", "手机": "text", "现住宿舍": "text",
        "拟调宿舍": "text", "调换日期": "date", "调换原因": "textarea"},
        ["辅导员审批", "学生工作处审批"]),
    Form("科研项目经费预算表.docx", "科研项目经费预算表", [
        ["*项目名称", ("", 3)],
        ["项目负责人", "", "身份证号", ""],
        ["电子邮箱", "", "手机", ""],
        ["支出科目", "金额（万元）", ("测算依据", 2)],
        ["", "", ("", 2)], ["", "", ("", 2)], ["", "", ("", 2)],
        ["经费总额（万元）", ("", 3)],
        [("学院意见：\n\n" + SEAL, 4)],
        [("科研处意见：\n\n" + SEAL, 4)],
        [("财务处意见：\n\n" + SEAL, 4)],
    ], {"项目名称": "text", "项目负责人": "text", "身份证号": "text", "电子邮箱": "text", "手机": "text",
        "经费总额（万元）": "money"},
        ["学院审批", "科研处审批", "财务处审批"],
        tables={("支出科目", "金额（万元）", "测算依据"): ("text", "money", "text")}),
    Form("教职工请假审批表.docx", "教职工请假审批表", [
        ["所在单位意见", ("\n\n" + SIGN, 3)],
        ["人事处意见", ("\n\n" + SEAL, 3)],
    ], {"姓名": "text", "工号": "text", "请假事由": "textarea", "请假天数": "number", "请假开始日期": "date",
        "联系电话": "text"},
        ["所在单位审批", "人事处审批"],
        before=["本人__________（姓名），工号__________，因__________（请假事由）需请假______（请假天数）天，",
                "自______年____月____日（请假开始日期）起。联系电话：______________。",
                "申请人签字：__________"]),
    Form("会议室预约登记表.xlsx", "会议室预约登记表", [
        ["预约部门", "", "联系人", "", "联系电话", ""],
        ["会议名称", ("", 5)],
        ["会议日期", "", "开始时间", "", "参会人数", ""],
        ["会议室", ("○第一会议室  ○第二会议室  ○报告厅", 5)],
        ["备注", ("", 5)],
        ["部门负责人意见", (SIGN, 5)],
    ], {"预约部门": "text", "联系人": "text", "联系电话": "text", "会议名称": "text", "会议日期": "date",
        "开始时间": "datetime", "参会人数": "number", "会议室": "radio", "备注": "textarea"},
        ["部门负责人审批"], before=["齐鲁工业大学"]),
    # --- shapes added after the reader was written (its first figures on them are in the notes)
    Form("学术会议资助申请表.docx", "研究生参加学术会议资助申请表", [
        [("申请人\n信息", 1, 2), "姓名：", "", "学号：", ""],
        ["导师：", "", "手机：", ""],
        ["会议名称：", ("", 3), ""],
        ["资助类型：□注册费 □差旅费 □住宿费（可多选）", ("", 4)],
        ["会议开始日期", "", "申请金额（元）", ("", 2)],
        tall("论文题目及摘要", ("", 4)),
        [("导师意见：\n\n导师签字：            年    月    日", 5)],
        [("学院意见：\n\n负责人签字（盖章）：       年    月    日", 5)],
        [("研究生院意见：\n\n" + SEAL, 5)],
    ], {"姓名": "text", "学号": "text", "导师": "text", "手机": "text", "会议名称": "text",
        "资助类型": "checkboxes", "会议开始日期": "date", "申请金额（元）": "money", "论文题目及摘要": "textarea"},
        ["导师审批", "学院审批", "研究生院审批"]),
    Form("实验室安全准入登记表.xlsx", "实验室安全准入登记表", [
        ["姓名", "", "工号/学号", "", "所在学院", ""],
        ["实验室名称", ("", 3), "房间号", ""],
        ["是否参加安全培训", ("○是  ○否", 5)],
        ["培训考试成绩", "", "准入日期", "", "电子邮箱", ""],
        tall("拟开展实验内容", ("", 5)),
        ["实验室负责人意见", (SIGN, 5)],
        ["实验室与设备管理处意见", (SEAL, 5)],
    ], {"姓名": "text", "工号/学号": "text", "所在学院": "text", "实验室名称": "text", "房间号": "text",
        "是否参加安全培训": "radio", "培训考试成绩": "number", "准入日期": "date", "电子邮箱": "text",
        "拟开展实验内容": "textarea"},
        ["实验室负责人审批", "实验室与设备管理处审批"],
        after=["注：本表一式两份，实验室与设备管理处、所在学院各留存一份。"]),
    Form("校园卡补办申请表.docx", "校园卡补办申请表", [
        ["姓名", "", "学号/工号", ""],
        ["身份证号", "", "联系电话", ""],
        ["补办原因", ("□丢失  □损坏  □其他", 3)],
        ["卡务中心意见", ("", 3)],
        ["", ("经办人签字：          年    月    日", 3)],
    ], {"姓名": "text", "学号/工号": "text", "身份证号": "text", "联系电话": "text", "补办原因": "radio",
        "补办日期": "date"},
        ["卡务中心审批"],
        after=["补办日期：______年____月____日", "申请人（签字）：__________"]),
    Form("横向项目结题申请表.xlsx", "横向科研项目结题申请表", [
        ["项目编号", "项目名称", "合同金额（万元）", "到账经费（万元）"],
        ["", "", "", ""],
        ["项目负责人", "", "结题日期", ""],
        tall("项目完成情况", ("", 3)),
        ["附件材料", ("", 3)],
        ["学院意见", (SEAL, 3)],
        ["科研处意见", (SEAL, 3)],
    ], {"项目编号": "text", "项目名称": "text", "合同金额（万元）": "money", "到账经费（万元）": "money",
        "项目负责人": "text", "结题日期": "date", "项目完成情况": "textarea", "附件材料": "file"},
        ["学院审批", "科研处审批"]),
]


# ------------------------------------------------------------------ writing

def _cells(row):
    spec = row["cells"] if isinstance(row, dict) else row
    out = []
    for cell in spec:
        text, colspan, rowspan = (cell + (1,) * (3 - len(cell))) if isinstance(cell, tuple) else (cell, 1, 1)
        out.append((text, colspan, rowspan))
    return out, isinstance(row, dict) and row.get("tall")


def _width(rows):
    return max(sum(c[1] for c in _cells(r)[0]) for r in rows)


def write_docx(form: Form, path: str):
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt
    document = docx.Document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(form.title)
    run.bold, run.font.size = True, Pt(18)
    for text in form.before:
        document.add_paragraph(text)
    tables = [("", form.rows)] + list(form.more)
    for caption, rows in tables:
        if caption:
            document.add_paragraph(caption)
        width = _width(rows)
        table = document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        taken = set()                   # grid slots covered by a cell merged down from above
        for r, row in enumerate(rows):
            cells, is_tall = _cells(row)
            if is_tall:
                table.rows[r].height = Cm(3)
            c = 0
            for text, colspan, rowspan in cells:
                while (r, c) in taken:
                    c += 1
                taken.update((r + i, c + j) for i in range(1, rowspan) for j in range(colspan))
                cell = table.cell(r, c)
                if colspan > 1 or rowspan > 1:
                    cell = cell.merge(table.cell(r + rowspan - 1, c + colspan - 1))
                lines = text.split("\n")
                cell.paragraphs[0].text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)
                c += colspan
    for text in form.after:
        document.add_paragraph(text)
    document.save(path)


def write_xlsx(form: Form, path: str):
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, Side
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = form.title[:30]
    width = _width(form.rows)
    thin = Side(style="thin")
    r = 1
    for text in form.before + [form.title]:
        sheet.cell(r, 1, text).font = Font(bold=True, size=16 if text == form.title else 12)
        sheet.cell(r, 1).alignment = Alignment(horizontal="center")
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        r += 1
    taken = set()
    for row in form.rows:
        cells, is_tall = _cells(row)
        if is_tall:
            sheet.row_dimensions[r].height = 80
        c = 1
        for text, colspan, rowspan in cells:
            while (r, c) in taken:
                c += 1
            taken.update((r + i, c + j) for i in range(1, rowspan) for j in range(colspan))
            sheet.cell(r, c, text or None).border = Border(thin, thin, thin, thin)
            sheet.cell(r, c).alignment = Alignment(wrap_text=True, vertical="center")
            if colspan > 1 or rowspan > 1:
                sheet.merge_cells(start_row=r, start_column=c, end_row=r + rowspan - 1, end_column=c + colspan - 1)
            c += colspan
        r += 1
    for text in form.after:
        sheet.cell(r, 1, text)
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        r += 1
    book.save(path)


def write(form: Form, folder: str) -> str:
    path = os.path.join(folder, form.file)
    (write_docx if form.file.endswith(".docx") else write_xlsx)(form, path)
    return path


def write_all(folder: str) -> list[tuple[Form, str]]:
    os.makedirs(folder, exist_ok=True)
    return [(form, write(form, folder)) for form in FORMS]


if __name__ == "__main__":
    for form, path in write_all(sys.argv[1] if len(sys.argv) > 1 else "corpus"):
        print(path)
