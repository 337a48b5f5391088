from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from app.exports.bulk import STATUS_CHOICES, WRITERS

FORMAT_LABELS = {"xlsx": "Excel (XLSX)", "csv": "CSV"}


class ExportForm(FlaskForm):
    service = SelectField("服务事项", choices=[])
    format = SelectField("文件格式", choices=[SelectChoice(k, FORMAT_LABELS.get(k, k))
                                             for k in WRITERS.names()[::-1]])
    status = SelectField("状态", choices=[SelectChoice(v, label) for v, label in STATUS_CHOICES])
    department = SelectField("申请人部门", choices=[])
    date_from = DateField("申请日期 从", validators=[Optional()])
    date_to = DateField("至", validators=[Optional()])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("结束日期不能早于开始日期")

    def filters(self) -> dict:
        return {"status": self.status.data, "department": self.department.data,
                "date_from": self.date_from.data.isoformat() if self.date_from.data else "",
                "date_to": self.date_to.data.isoformat() if self.date_to.data else ""}
