from app.center.routes import bp  # noqa: F401
