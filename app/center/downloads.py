"""An uploaded file, downloaded from the personal center by those who may see it."""
from flask import abort, send_file
from flask_login import current_user

from app.center.routes import bp
from app.engine import core, queries
from app.models import Attachment


@bp.route("/attachments/<token>")
def attachment(token):
    """An uploaded file, to its owner and to those who may see its field on its instance
    (404 to anyone else); always a download under its original name, never sniffed."""
    from app.storage.attachments import AttachmentNotFound, open_attachment
    from app.storage import StorageError
    user = current_user._get_current_object()
    row = Attachment.get_or_none(Attachment.token == str(token)[:64])
    if row is None or not _may_open(row, user):
        abort(404)
    try:
        data, filename = open_attachment(row.token, user)
    except AttachmentNotFound:
        abort(404)
    except StorageError:
        abort(503, description="文件存储暂时不可用，请稍后重试")
    response = send_file(data, as_attachment=True, download_name=filename,
                         mimetype="application/octet-stream")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _may_open(row, user) -> bool:
    if row.owner_id == user.id:
        return True
    if not row.instance_id:
        return False
    inst = row.instance
    if not queries.can_view(inst, user):
        return False
    sdef = core.service_def(inst)
    if row.field in queries.hidden_fields(sdef, inst, user):
        return False
    return row.token in (queries.visible_data(sdef, inst, user).get(row.field) or [])
