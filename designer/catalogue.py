"""Defs problem codes → Chinese templates (the designer's words for ``Problem.code``).

Every code ``app.defs`` can report is here (a test walks them). A template's ``{key}`` is
the label of the control the problem is at (执行条件, 预计时限…); ``{value_label}``,
``{kind_label}``, ``{suggestion_label}``, ``{low_label}``, ``{high_label}`` are the Chinese
names of those params, ``{expected_label}`` / ``{got_label}`` / ``{item_type_label}`` the
Chinese names of JSON types; every other ``{name}`` is a param as reported by ``app.defs``.
Words of the definition language a person types (``form.字段名``, ``and``) stay in “”.
"""

CATALOGUE = {
    # ---- the definition file itself (app/defs/loader.py, compile.py)
    "file.too_large": "定义太大了（{size_kb} KB，上限为 {limit_kb} KB）",
    "file.not_utf8": "文件不是 UTF-8 编码的文字，请另存为 UTF-8",
    "file.unreadable": "无法读取定义文件",
    "internal.error": "校验时出现内部错误，请联系系统管理员",
    "yaml.empty": "定义是空的",
    "yaml.syntax": "源码第 {line} 行附近的写法有误（检查冒号后的空格、引号和括号是否成对）",
    "yaml.indentation": "源码第 {line} 行附近的缩进有误（同一层的设置项要对齐）",
    "yaml.invalid": "源码无法读取",
    "yaml.bad_character": "源码中有不允许的字符（{char}）",
    "yaml.alias": "源码中不能使用“&”和“*”引用",
    "yaml.tag": "源码中不能使用类型标记 {value}，请直接写值",
    "yaml.too_many_values": "定义太大了（超过 {n} 个值）",
    "yaml.too_deep": "定义的层次太深（超过 {n} 层）",
    "yaml.key_not_text": "设置项的名称必须是文字",
    "yaml.duplicate_key": "“{value_label}”写了两次，请删去一个",
    "yaml.bad_value": "{value} 不是有效的值",
    "yaml.not_finite": "不能填写无穷大或非数字",
    # ---- the format's meta-schema (app/defs/metaschema.py, definitions/meta-schema.json)
    "key.unknown": "不认识的设置项 {value}",
    "key.misspelt": "不认识的设置项 {value}，是不是“{suggestion_label}”？",
    "key.not_for_type": "{kind_label}字段没有“{value_label}”这一项",
    "key.missing": "请填写“{value_label}”",
    "key.missing_for_type": "{kind_label}字段需要填写“{value_label}”",
    "value.wrong_type": "{key}的填写方式不对：应为{expected_label}，现在是{got_label}",
    "value.not_a_choice": "{key}不是可选的值之一",
    "value.must_be": "{key}只能是 {expected}",
    "value.empty": "{key}不能为空",
    "value.too_few": "{key}至少要有 {n} 项",
    "value.duplicates": "{key}中有重复的项",
    "value.too_long": "{key}太长了（最多 {n} 个字）",
    "value.too_small": "{key}不能小于 {n}",
    "value.too_large": "{key}不能大于 {n}",
    "value.bad_format": "{key}的格式不对",
    "value.invalid": "{key}的写法不对",
    "value.not_text": "{key}必须是文字",
    "value.format_version": "格式版本必须是 1",
    "value.service_id": "服务标识只能含小写字母、数字和 -，不能是 {value}",
    "value.name": "标识 {value} 不可用：须以小写字母开头，只含小写字母、数字、_ 或 -",
    "value.time_limit": "预计时限“{value}”看不懂：请写成 3天、3个工作日、72小时 或 2周",
    "value.retention": "保存期限“{value}”看不懂：请写成 180天、6个月 或 3年",
    "value.extension": "文件类型 {value} 要写成以点开头的扩展名",
    "form.fields_or_schema": "表单需要字段",
    "form.schema_not_object": "表单的 JSON Schema 必须是一组键值设置",
    "form.needs_title": "请填写表单标题",
    "form.ui_schema_without_schema": "只有用 JSON Schema 写成的表单才能有界面设置",
    "field.unknown_type": "没有“{value}”这种字段类型",
    "column.unknown_type": "明细表的列不能是“{value_label}”类型",
    "assignee.invalid": "请选择办理人",
    "number.taken": "事项编号 {value} 已被其他服务使用",
    # ---- a form written as a JSON Schema (app/defs/schemadraft.py, schema_fields.py)
    "schema.not_mapping": "表单的 JSON Schema 必须是一组键值设置",
    "schema.unknown_draft": "不认识的 JSON Schema 版本 {value}",
    "schema.invalid": "不是有效的 JSON Schema：“{keyword}”的写法不对",
    "schema.required_not_a_list": "必填项要写在上一层的“required”列表中",
    "schema.root_not_object": "表单的 JSON Schema 最外层必须是“type: object”",
    "schema.unrenderable": "表单无法显示“{keyword}”，请逐项列出可填的内容",
    "schema.free_form_properties": "表单无法显示任意名称的属性：请逐项列出，并写“additionalProperties: false”",
    "schema.remote_ref": "不能引用外部的定义 {value}：请复制到“$defs”中再引用",
    "schema.recursive_ref": "{value} 引用了自身，无法显示为表单：请写出固定的层数",
    "schema.dangling_ref": "引用 {value} 指向的内容不存在",
    "schema.widget_not_text": "“x-widget”必须是字段类型的名称",
    "schema.unshowable_items": "元素为{item_type_label}的列表无法显示为表单：请用文字、数字或对象作为元素",
    # ---- regular expressions (app/defs/checks.py, regex.py)
    "regex.too_long": "格式规则太长了（{length} 个字符，上限为 {limit}）",
    "regex.invalid": "格式规则的写法有误，或用了不支持的反向引用、环视",
    # ---- cross-references (app/defs/checks.py)
    "field.duplicate_name": "字段名 {value} 与其他字段重复",
    "field.unknown_autofill": "没有“{value}”这个自动填充来源",
    "field.required_and_required_when": "已勾选“必填”，不需要再设必填条件（二者选一）",
    "field.low_above_high": "{low_label}（{a}）不能大于{high_label}（{b}）",
    "field.bad_default": "默认值 {value} 不是这个字段的有效值",
    "column.no_condition": "明细表的列不能单独设置条件（每一行都显示这一列），请把条件设在明细表上",
    "step.first_not_applicant": "第一步必须由申请人填写表单",
    "step.first_has_condition": "第一步（申请人填写）不能设置执行条件",
    "step.duplicate_id": "步骤标识 {value} 与其他步骤重复",
    "step.unknown_field": "{key}中的字段 {value} 已不存在",
    "step.return_to_later": "只能退回到本步之前的步骤，{value} 不在本步之前",
    "step.return_to_without_return": "设置了“可退回到”，请在允许的操作中勾选“退回”",
    "step.escalate_without_self_approval": "设置了“升级给”，本人审批时的处理方式须为“升级”",
    "assignee.unknown_field": "办理人所用的用户字段 {value} 不存在",
    "assignee.not_a_user_field": "办理人所用的字段 {value} 必须是“用户”类型",
    "title.unbalanced": "申请标题模板中的 {{ 和 }} 不成对",
    "title.unknown_placeholder": "申请标题模板中的 {{{value}}} 无法识别（可用“{{service}}”“{{serial}}”"
                                 "“{{applicant.name}}”“{{form.字段名}}”）",
    "title.shows_hidden_field": "申请标题显示了字段 {value}，但步骤“{step}”隐藏了它（标题在每个列表中都会显示）",
    "retention.shorter_than_time_limit": "保存期限（{keep}）短于预计时限（{limit}）：办结前数据就会被删除",
    # ---- conditions (app/defs/expr.py, checks.py)
    "condition.unknown_field": "条件引用了不存在的字段 {name}",
    "condition.invalid": "条件的写法有误",
    "condition.function_call": "条件中不能调用函数",
    "condition.not_allowed": "条件中含有不允许的写法（只能用比较、“and”“or”“not”“in”和加减乘除）",
    "condition.indexing": "条件中不能使用下标“[...]”（字段名可写成“form[\"字段名\"]”）",
    "condition.is": "条件中不能用“is”，请用“==”或“!=”",
    "condition.literal": "条件中只能写数字、带引号的文字和“True”“False”“None”",
    "condition.unknown_name": "条件中的 {name} 无法识别：请写“form.字段名”或“applicant.属性”",
    "condition.unknown_applicant_attribute": "申请人没有属性 {name}（可用：{allowed}）",
    "condition.name_not_allowed": "条件中不能使用 {name}",
    "condition.only_form_applicant": "条件中只能使用“form.字段名”和“applicant.属性”",
    "condition.arithmetic": "条件中只能使用 + - * / 四种运算",
    "condition.syntax": "条件的写法有误（检查括号、引号和比较符号）",
    "condition.too_long": "条件太长了",
    "condition.empty": "条件是空的",
    "condition.not_text": "条件必须是文字",
}

# A code said differently at one place: an empty form is a form without fields yet.
AT_PATH = {
    ("value.empty", ("form", "fields")): "表单还没有字段，请先添加第一个字段",
}

# JSON types (the meta-schema's ``type``) in words.
JSON_TYPES = {"object": "一组设置", "array": "列表", "string": "文字", "integer": "整数",
              "number": "数字", "boolean": "是或否", "null": "空值"}
