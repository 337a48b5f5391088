"""GET /api/v1/meta-schema.json (SPEC §8.7): the definition format's meta-schema, public.

Editors (the YAML language server) fetch it to complete and check definition keys; it
includes the field types and assignee kinds of the plugins this server loaded."""
import json

from flask import Response

from app.api.routes import bp


@bp.get("/meta-schema.json")
def meta_schema():
    from app.defs.metaschema import build_meta_schema
    body = json.dumps(build_meta_schema(), ensure_ascii=False, indent=2) + "\n"
    response = Response(body, mimetype="application/schema+json")
    response.headers["Access-Control-Allow-Origin"] = "*"      # editors fetch it from anywhere
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response
