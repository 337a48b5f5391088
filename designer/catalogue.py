"""Defs problem codes → Chinese templates (the designer's words for ``Problem.code``).

A template's ``{key}`` is the label of the control the problem is at (执行条件, 预计时限…);
``{value_label}``, ``{kind_label}``, ``{low_label}``, ``{high_label}`` are the Chinese names of
those params; every other ``{name}`` is a param of the problem as reported by ``app.defs``.
"""

CATALOGUE = {
    "value.not_text": "{key}必须是文字",
    "field.duplicate_name": "字段名 {value} 与其他字段重复",
    "field.unknown_autofill": "没有“{value}”这个自动填充来源",
    "field.required_and_required_when": "已勾选“必填”，不需要再设必填条件（二者选一）",
    "field.low_above_high": "{low_label}（{a}）不能大于{high_label}（{b}）",
    "field.bad_default": "默认值 {value} 不是这个字段的有效值",
    "column.no_condition": "明细表的列不能单独设置条件（每一行都显示这一列），请把条件设在明细表上",
    "condition.unknown_field": "条件引用了不存在的字段 {name}",
    "condition.invalid": "条件的写法有误",
    "condition.function_call": "条件中不能调用函数",
    "condition.not_allowed": "条件中含有不允许的写法（只能用比较、and/or/not、in 和加减乘除）",
    "condition.indexing": "条件中不能使用下标 [...]（字段名可写成 form[\"字段名\"]）",
    "condition.is": "条件中不能用 is，请用 == 或 !=",
    "condition.literal": "条件中只能写数字、带引号的文字和 True/False/None",
    "condition.unknown_name": "条件中的 {name} 无法识别：请写 form.字段名 或 applicant.属性",
    "condition.unknown_applicant_attribute": "申请人没有属性 {name}（可用：{allowed}）",
    "condition.name_not_allowed": "条件中不能使用 {name}",
    "condition.only_form_applicant": "条件中只能使用 form.字段名 和 applicant.属性",
    "condition.arithmetic": "条件中只能使用 + - * / 四种运算",
    "condition.syntax": "条件的写法有误（检查括号、引号和比较符号）",
    "condition.too_long": "条件太长了",
    "condition.empty": "条件是空的",
    "condition.not_text": "条件必须是文字",
    "step.first_not_applicant": "第一步必须由申请人填写表单",
    "step.first_has_condition": "第一步（申请人填写）不能设置执行条件",
    "step.duplicate_id": "步骤标识 {value} 与其他步骤重复",
    "step.unknown_field": "{key}中的字段 {value} 已不存在",
    "step.return_to_later": "只能退回到本步之前的步骤，{value} 不在本步之前",
    "step.return_to_without_return": "设置了“可退回到”，请在允许的操作中勾选“退回”",
    "assignee.unknown_field": "办理人所用的用户字段 {value} 不存在",
    "assignee.not_a_user_field": "办理人所用的字段 {value} 必须是“用户”类型",
    "title.unbalanced": "申请标题模板中的 {{ 和 }} 不成对",
    "title.unknown_placeholder": "申请标题模板中的 {{{value}}} 无法识别（可用 {{service}}、{{serial}}、"
                                 "{{applicant.name}}、{{form.字段名}}）",
}
