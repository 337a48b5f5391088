"""The designer's forms (Flask-WTF: every one carries the CSRF token)."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (BooleanField, FieldList, Form, FormField, IntegerField, SelectField,
                     SelectMultipleField, StringField, TextAreaField, widgets)
from wtforms.validators import (DataRequired, InputRequired, Length, NumberRange, Optional, Regexp,
                                StopValidation, ValidationError)

from app.defs.checks import autofill_sources
from app.defs.model import AUDIENCE_LABELS, STEP_ACTIONS
from designer.editors import ASSIGNEE_KINDS
from designer.labels import TYPE_LABELS

SLUG = Regexp(r"^[a-z][a-z0-9_-]*$", message="以小写字母开头，只含小写字母、数字、- 或 _")
SERVICE_ID = Regexp(r"^[a-z0-9][a-z0-9-]*$", message="只含小写字母、数字和 -")
ACTION_LABELS = {"approve": "通过", "return": "退回", "terminate": "终止", "add_signer": "加签"}


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class AtLeastOne:
    """Like DataRequired for a group of checkboxes, without the HTML ``required`` flag (which
    would make the browser demand every box)."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if not field.data:
            raise StopValidation(self.message)


class NewServiceForm(FlaskForm):
    id = StringField("服务标识", validators=[Optional(), Length(max=100), SERVICE_ID],
                     description="留空则按事项名称自动生成拼音标识（如 lingyong-shiyou），发布后不能修改")
    number = IntegerField("事项编号", validators=[InputRequired(message="请填写事项编号"), NumberRange(min=1)],
                          description="已自动分配下一个空闲编号，可以修改")
    name = StringField("事项名称", validators=[DataRequired(), Length(max=200)])
    category = StringField("服务类别", validators=[DataRequired(), Length(max=100)])
    department = SelectField("主办部门", validators=[DataRequired()])
    audience = MultiCheckboxField("服务对象", choices=list(AUDIENCE_LABELS.items()),
                                  validators=[AtLeastOne("至少选择一类服务对象")])


class MetadataForm(FlaskForm):
    number = IntegerField("事项编号", validators=[InputRequired(), NumberRange(min=1)])
    name = StringField("事项名称", validators=[DataRequired(), Length(max=200)])
    category = StringField("服务类别", validators=[DataRequired(), Length(max=100)])
    department = SelectField("主办部门", validators=[DataRequired()])
    co_departments = MultiCheckboxField("协办部门", choices=[])
    audience = MultiCheckboxField("服务对象", choices=list(AUDIENCE_LABELS.items()),
                                  validators=[AtLeastOne("至少选择一类服务对象")])
    fee = StringField("收费标准")
    time_limit = StringField("预计时限", validators=[Optional(), Regexp(r"^\s*\d{1,4}\s*([hdw]|小时|天|周|个工作日)\s*$", message="如 3天、2周、48小时、5个工作日")],
                             description="如 3天、2周、48小时、5个工作日（不含周六周日）")
    hours = StringField("办理时间")
    place = StringField("办理地点")
    method = StringField("办理方式")
    phone = StringField("咨询电话")
    conditions = TextAreaField("办理条件")
    recommended = BooleanField("推荐服务")
    keywords = StringField("关键词", description="用逗号分隔")
    title = StringField("申请标题模板", description="如 {service}_{applicant.name}_{form.project}")
    form_title = StringField("表单标题", validators=[DataRequired()])


class FieldForm(FlaskForm):
    name = StringField("字段名", validators=[Optional(), Length(max=64), SLUG],
                       description="留空则按标签自动生成拼音字段名；已有申请的字段改名后旧数据不再显示")
    type = SelectField("类型", choices=[])
    label = StringField("标签", description="申请人看到的字段名称，如 领用事由")
    required = BooleanField("必填")
    readonly = BooleanField("只读")
    default = TextAreaField("默认值", description="多选：每行一个选项；同意声明：true/false")
    help = StringField("帮助文字")
    autofill = SelectField("自动填充", choices=[], validate_choice=False)
    visible_when = StringField("显示条件", description='如 form.amount > 10 and applicant.type == "staff"')
    options = TextAreaField("选项", description="每行一个（下拉、单选、多选）")
    max_length = IntegerField("最大字数", validators=[Optional(), NumberRange(min=1)])
    pattern = StringField("格式（正则表达式）")
    minimum = StringField("最小值")
    maximum = StringField("最大值")
    unit = SelectField("金额单位", choices=[("", "—"), ("万元", "万元"), ("元", "元")], validate_choice=False)
    min_rows = IntegerField("最少行数", validators=[Optional(), NumberRange(min=0)])
    max_rows = IntegerField("最多行数", validators=[Optional(), NumberRange(min=1)])
    max_files = IntegerField("最多文件数", validators=[Optional(), NumberRange(min=1)])
    max_size = IntegerField("单个文件上限（字节）", validators=[Optional(), NumberRange(min=1)])
    accept = StringField("允许的扩展名", description="如 .pdf, .docx")
    text = TextAreaField("说明文字（分节）")

    def validate_label(self, field):
        if not (field.data or "").strip() and not (self.name.data or "").strip() and self.type.data != "section":
            raise ValidationError("请填写标签")

    def __init__(self, *args, column=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.autofill.choices = [("", "—")] + [(s, s) for s in sorted(autofill_sources())]
        self.type.choices = list(TYPE_LABELS.items())
        if column:
            from designer.editors import column_types
            self.type.choices = [(t, TYPE_LABELS[t]) for t in column_types()]


class AssigneeForm(Form):
    kind = SelectField("办理人", choices=[("", "—")] + list(ASSIGNEE_KINDS.items()), validate_choice=False)
    user = StringField("用户名")
    role = StringField("角色")
    department = StringField("部门")
    field = StringField("用户字段")


class StepForm(FlaskForm):
    id = StringField("步骤标识", validators=[Optional(), Length(max=64), SLUG],
                     description="留空则按步骤名称自动生成拼音标识")
    name = StringField("步骤名称", validators=[DataRequired()])
    by = FormField(AssigneeForm, label="办理人")
    mode = SelectField("会签/或签", choices=[("any", "或签（一人办理即可）"), ("all", "会签（全部办理人都要通过）")])
    when = StringField("执行条件", description="为空则总是执行；条件为假时跳过本步")
    opinion = SelectField("办理意见", choices=[("optional", "可填"), ("required", "必填"), ("none", "不填")])
    actions = MultiCheckboxField("允许的操作", choices=[(a, ACTION_LABELS[a]) for a in STEP_ACTIONS])
    return_to = MultiCheckboxField("可退回到", choices=[], description="不选则只能退回申请人")
    custom_edit = BooleanField("指定本步可修改的字段")
    edit = MultiCheckboxField("可修改的字段", choices=[])
    hidden = MultiCheckboxField("本步不可见的字段", choices=[])
    cc = FieldList(FormField(AssigneeForm), label="抄送", min_entries=1)


class SourceForm(FlaskForm):
    source = TextAreaField("YAML")


class PublishForm(FlaskForm):
    pass


class ImportForm(FlaskForm):
    files = MultipleFileField("定义文件（.yaml，可多选）")


class CsvImportForm(FlaskForm):
    file = FileField("用户 CSV 文件")


class ReassignForm(FlaskForm):
    task = IntegerField(validators=[InputRequired()])
    to_user = StringField("改派给（用户名）", validators=[DataRequired()])
