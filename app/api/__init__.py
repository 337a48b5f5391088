"""The JSON API blueprint, /api/v1."""
from app.api.routes import bp  # noqa: F401
from app.api import stats  # noqa: E402,F401  (registers /stats on bp)
from app.api import metaschema  # noqa: E402,F401  (registers /meta-schema.json on bp)
