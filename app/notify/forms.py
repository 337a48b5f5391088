from flask import current_app
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import Length, ValidationError

from plugins.channels import CHANNELS
from plugins.channels.wecom import webhook_problem


def _webhook(form, field):
    url = (field.data or "").strip()
    field.data = url
    if url:
        problem = webhook_problem(url, current_app.config)
        if problem:
            raise ValidationError(problem)


def settings_form(**kwargs):
    """One checkbox per optional channel (in-app is always on) and a personal webhook."""
    class SettingsForm(FlaskForm):
        wecom_webhook = StringField("企业微信机器人 webhook 地址（不填则使用所在部门的）",
                                    validators=[Length(max=500, message="地址过长"), _webhook])

    for name, channel in CHANNELS.items():
        if not channel.always_on:
            setattr(SettingsForm, f"ch_{name}", BooleanField(channel.label))
    return SettingsForm(**kwargs)


class WebhookForm(FlaskForm):
    wecom_webhook = StringField("企业微信机器人 webhook 地址",
                                validators=[Length(max=500, message="地址过长"), _webhook])
