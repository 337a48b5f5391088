"""OneHall's runtime. ``create_app`` builds the Flask app (``app.factory``).

Importing a part of the package (``app.engine``, ``app.defs``, ``app.models``) imports no
Flask: the factory is loaded only when an app is created.
"""


def create_app(test_config=None):
    from app.factory import create_app as build
    return build(test_config)
