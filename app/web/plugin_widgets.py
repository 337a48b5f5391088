"""Widgets that plugins bring: a field type's ``widget_template`` and ``widget_js``.

``widget_template = "my_plugin/widget.html"`` names a Jinja template in the ``templates/``
folder of the type's top-level package; it is rendered with ``field`` (the definition
field), ``wf`` (the bound WTForms field: ``wf.name``, ``wf.id``, ``wf.data``), ``can_edit``,
``aria`` (attributes the input should carry: ``aria_invalid``, ``aria_describedby``,
``required`` …), ``errors`` (this field's messages) and ``attrs`` (the type's ``attrs()``).
``widget_js = "widget.js"`` names an ES module in the package's ``static/`` folder; it is
served at ``/plugins/static/PACKAGE/widget.js`` and loaded once per page with this
request's CSP nonce. The widget sits in a full-width ``div.oh-plugin-widget``; its
input takes OneHall's look with ``class_="oh-input"``. OneHall's own templates stay untouched: ``forms/_macros.html`` looks
the widget up and calls ``plugin_widget``.
"""
from __future__ import annotations

import os
import sys

from flask import Blueprint, abort, g, render_template, send_from_directory, url_for
from jinja2 import ChoiceLoader, FileSystemLoader
from markupsafe import Markup

bp = Blueprint("plugin_assets", __name__, url_prefix="/plugins/static")


def package_folder(ftype) -> str:
    """The directory of the top-level package that defines ``ftype``'s class."""
    top = type(ftype).__module__.split(".")[0]
    module = sys.modules.get(top)
    paths = list(getattr(module, "__path__", ()) or ())
    return paths[0] if paths else os.path.dirname(getattr(module, "__file__", "") or "")


def _widget_types():
    from plugins.fields import FIELD_TYPES
    return [t for t in FIELD_TYPES.values() if t.widget_template or t.widget_js]


def _static_folders() -> dict[str, str]:
    """{package: its static/ folder} of the packages whose types ship a widget_js."""
    return {type(t).__module__.split(".")[0]: os.path.join(package_folder(t), "static")
            for t in _widget_types() if t.widget_js}


@bp.route("/<package>/<path:filename>")
def asset(package, filename):
    folder = _static_folders().get(package)
    if folder is None:
        abort(404)
    response = send_from_directory(folder, filename)
    if filename.endswith(".js"):
        response.mimetype = "text/javascript"
    return response


def plugin_widget(kind, field, wf, can_edit, aria, errors=None):
    """The markup of a plugin's widget, and its script the first time the page needs it."""
    from plugins.fields import FIELD_TYPES
    ftype = FIELD_TYPES.get(field.type)
    if kind != ftype.widget_template:
        abort(500)                      # a kind nobody registered: a bug, not bad input
    html = render_template(ftype.widget_template, field=field, wf=wf, can_edit=can_edit,
                           aria=aria or {}, errors=errors or [], attrs=ftype.attrs(field),
                           ftype=ftype)
    # Markup is safe here: ``html`` is the plugin's template rendered by Jinja with autoescape
    # on (every value it shows is escaped there), and Markup.format escapes the type's name.
    box = Markup('<div class="oh-plugin-widget" data-widget="{}">{}</div>').format(ftype.name, Markup(html))
    return box + _script(ftype)


def _script(ftype) -> Markup:
    if not ftype.widget_js:
        return Markup("")
    emitted = g.setdefault("plugin_scripts", set())
    if ftype.widget_js in emitted:
        return Markup("")
    emitted.add(ftype.widget_js)
    from app.web.security import csp_nonce
    src = url_for("plugin_assets.asset", package=type(ftype).__module__.split(".")[0],
                  filename=ftype.widget_js)
    # Markup.format escapes both values (a url_for path and the request's nonce).
    return Markup('<script type="module" src="{}" nonce="{}"></script>').format(src, csp_nonce())


def init_app(app) -> None:
    folders = sorted({os.path.join(package_folder(t), "templates")
                      for t in _widget_types() if t.widget_template})
    if folders:
        app.jinja_env.loader = ChoiceLoader([app.jinja_env.loader, FileSystemLoader(folders)])
    app.add_template_global(plugin_widget)
    app.register_blueprint(bp)
