from app.hall.routes import bp  # noqa: F401
