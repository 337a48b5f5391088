from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp, ValidationError

from app.auth.policy import shape_problem
from app.auth.recovery import QUESTIONS


def password_shape(form, field):
    problem = shape_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def question_choices():
    """The stored value stays the Chinese question; only the shown label is translated."""
    return [(q, _l(q)) for q in QUESTIONS]


def new_password_fields():
    return (PasswordField(_l("新密码"), validators=[DataRequired(_l("请输入新密码")), Length(max=128),
                                                   password_shape]),
            PasswordField(_l("确认密码"), validators=[EqualTo("new_password", _l("两次输入的密码不一致"))]))


class LoginForm(FlaskForm):
    username = StringField(_l("用户名（工号/学号）"), validators=[DataRequired(_l("请输入用户名")), Length(max=64)])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请输入密码")), Length(max=200)])
    remember = BooleanField(_l("记住我（14天）"))


class PasswordForm(FlaskForm):
    old_password = PasswordField(_l("原密码"), validators=[DataRequired(_l("请输入原密码")), Length(max=200)])
    new_password, confirm = new_password_fields()


class QuestionResetForm(FlaskForm):
    username = StringField(_l("帐号"), validators=[DataRequired(_l("请输入帐号")), Length(max=64)])
    question = SelectField(_l("密保问题"), choices=question_choices(),
                           validate_choice=True)
    answer = StringField(_l("密保答案"), validators=[DataRequired(_l("请输入密保答案")), Length(max=100)])
    new_password, confirm = new_password_fields()


class SmsSendForm(FlaskForm):
    username = StringField(_l("帐号"), validators=[DataRequired(_l("请输入帐号")), Length(max=64)])
    phone = StringField(_l("手机号"), validators=[DataRequired(_l("请输入手机号")),
                                               Regexp(r"^\+?[\d\- ]{6,20}$", message=_l("手机号格式不正确"))])


class SmsResetForm(FlaskForm):
    username = StringField(_l("帐号"), validators=[DataRequired(_l("请输入帐号")), Length(max=64)])
    code = StringField(_l("短信验证码"), validators=[DataRequired(_l("请输入验证码")),
                                                Regexp(r"^\d{6}$", message=_l("验证码为6位数字"))])
    new_password, confirm = new_password_fields()


class SecurityQuestionForm(FlaskForm):
    question = SelectField(_l("密保问题"), choices=question_choices())
    answer = StringField(_l("密保答案"), validators=[DataRequired(_l("请输入密保答案")), Length(
        min=2, max=100, message=_l("密保答案长度为2到100个字符"))])
    password = PasswordField(_l("当前密码"), validators=[DataRequired(_l("请输入当前密码")), Length(max=200)])
