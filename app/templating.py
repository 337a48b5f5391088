"""Template filters and globals shared by every blueprint."""
from datetime import timedelta, timezone

from app.defs.model import AUDIENCE_LABELS, format_duration
from app.engine.core import ACTION_LABELS, STATUS_LABELS

CHINA = timezone(timedelta(hours=8))


def local_time(value, fmt="%Y-%m-%d %H:%M"):
    if not value:
        return ""
    return value.replace(tzinfo=timezone.utc).astimezone(CHINA).strftime(fmt)


def init_app(app):
    app.jinja_env.filters.update(
        local_time=local_time,
        status_label=lambda s: STATUS_LABELS.get(s, s),
        action_label=lambda a: ACTION_LABELS.get(a, a),
        audience_label=lambda codes: "、".join(AUDIENCE_LABELS.get(c, c) for c in codes),
        duration=format_duration,
    )

    @app.context_processor
    def globals_():
        from flask import current_app
        from flask_login import current_user
        counts = {}
        if current_user.is_authenticated:
            from app.engine.queries import box_counts
            counts = box_counts(current_user)
        return {"site_name": current_app.config["SITE_NAME"], "badge_counts": counts}
