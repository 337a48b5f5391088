"""The designer's forms (Flask-WTF: every one carries the CSRF token)."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (BooleanField, IntegerField, SelectField, SelectMultipleField, StringField,
                     TextAreaField, widgets)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, StopValidation

from app.defs.model import AUDIENCE_LABELS

SERVICE_ID = Regexp(r"^[a-z0-9][a-z0-9-]*$", message="只含小写字母、数字和 -")


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
