"""统计分析: how each department's services perform (page, exports; the API lives in app.api)."""
from app.stats.routes import bp  # noqa: F401
