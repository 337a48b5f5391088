"""GET /api/v1/stats (SPEC §7.2): the figures of 统计分析 as JSON."""
from flask import jsonify, request

from app.api.auth import caller, login_required
from app.api.routes import bp
from app.engine.exceptions import Invalid, NotAllowed
from app.stats.access import Denied, scope_for
from app.stats.figures import figures
from app.stats.periods import BadPeriod, custom, today_local

PARAMS = ("from", "to", "department", "service")


@bp.get("/stats")
@login_required
def stats():
    args = request.args
    try:
        scope = scope_for(caller(), args.get("department", ""), args.get("service", ""))
    except Denied as e:
        raise NotAllowed(str(e)) from None
    try:
        window = custom(args.get("from", "").strip(), args.get("to", "").strip(), today_local())
    except BadPeriod as e:
        raise Invalid("参数有误", fields=e.fields) from None
    return jsonify(figures(scope, window, detail=False).as_api())
