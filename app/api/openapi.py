"""The OpenAPI 3.1 description of /api/v1, built from small helpers.

OpenAPI 3.1 schemas are JSON Schema 2020-12, so the tests validate real responses against
the component schemas (``app.api.openapi_schemas``): the description cannot drift from the
code unnoticed. This module holds the operations, their paths and the document.
"""
from app.api.openapi_schemas import (ERROR_RESPONSES, components, enum, integer, json_content,
                                     ok, ref, text)
from app.api.routes import MAX_IDEMPOTENCY_KEY, MAX_SERIAL
from app.defs.model import AUDIENCES
from app.engine.queries import BOXES

SECURED = [{"bearerAuth": []}, {"session": []}]


# ---------------------------------------------------------------- operation helpers

def errors(*codes) -> dict:
    answers = {str(code): {"$ref": f"#/components/responses/{ERROR_RESPONSES[code][0]}"}
               for code in codes}
    return {**answers, "414": {"$ref": "#/components/responses/UriTooLong"}}


def param(name: str, where: str, schema: dict, description: str, required=False) -> dict:
    return {"name": name, "in": where, "required": required or where == "path",
            "schema": schema, "description": description}


def operation(op_id, summary, responses, *, params=(), body=None, secured=True,
              description=None) -> dict:
    op = {"operationId": op_id, "summary": summary, "responses": responses,
          "tags": ["secured" if secured else "public"]}
    if description:
        op["description"] = description
    if params:
        op["parameters"] = list(params)
    if body:
        op["requestBody"] = {"required": True, "content": json_content(body)}
    op["security"] = SECURED if secured else []
    return op


# ---------------------------------------------------------------- paths

def paths() -> dict:
    return {
        "/services": {"get": _catalog()},
        "/services/{id}": {"get": operation(
            "getService", "A service's metadata, form JSON Schema and steps",
            {"200": ok("The service", ref("ServiceDetail")), **errors(401, 403, 404)},
            params=[param("id", "path", text(), "the service's slug")], secured=False)},
        "/services/{id}/instances": {"post": _start()},
        "/instances/{serial}": {"get": operation(
            "getInstance", "An instance as the caller may see it",
            {"200": ok("The instance", ref("Instance")), **errors(401, 403, 404)},
            params=[_serial()])},
        "/instances/{serial}/actions": {"post": operation(
            "actOnInstance", "Act on an instance (通过 / 退回 / 终止 / 转办 / 撤回 / 提交)",
            {"200": ok("The new state", ref("Instance")),
             **errors(400, 401, 403, 404, 409, 422, 429)},
            params=[_serial()], body=ref("ActionRequest"))},
        "/instances/{serial}/diff": {"get": operation(
            "diffInstance", "What changed between two submissions (revisions)",
            {"200": ok("The changes", ref("Diff")), **errors(401, 403, 404, 422)},
            params=[_serial(),
                    param("from", "query", integer(minimum=1, maximum=MAX_SERIAL), "a revision", True),
                    param("to", "query", integer(minimum=1, maximum=MAX_SERIAL), "a later revision",
                          True)])},
        "/services/{id}/prefill": {"get": operation(
            "prefillService", "再次申请: the caller's last submitted data for the service",
            {"200": ok("Data to start from", ref("Prefill")), **errors(401, 403, 404)},
            params=[param("id", "path", text(), "the service's slug")])},
        "/me/items/actions": {"post": operation(
            "bulkActions", "批量审批: act on several to-do items, each in its own transaction",
            {"200": ok("One result per serial", ref("BulkResult")),
             **errors(400, 401, 403, 422)}, body=ref("BulkRequest"))},
        "/me/items": {"get": _my_items()},
        "/me/delegations": {
            "get": operation("listDelegations", "委托: the caller's delegations",
                             {"200": ok("Delegations", ref("Delegations")), **errors(401, 403)}),
            "post": operation("createDelegation", "委托: hand new to-dos to a deputy for a while",
                              {"201": ok("Created", ref("Delegation")),
                               **errors(400, 401, 403, 422)}, body=ref("DelegationRequest"))},
        "/me/delegations/{id}": {"delete": operation(
            "revokeDelegation", "Revoke one of the caller's delegations",
            {"204": {"description": "Revoked"}, **errors(401, 403, 404)},
            params=[param("id", "path", integer(), "the delegation's id")])},
        "/stats": {"get": _stats()},
        "/openapi.json": {"get": operation(
            "getOpenapi", "This document", {"200": ok("OpenAPI 3.1", {"type": "object"})},
            secured=False)},
        "/meta-schema.json": {"get": operation(
            "getMetaSchema", "The definition format's meta-schema (JSON Schema 2020-12), with the "
            "field types and assignee kinds of the loaded plugins",
            {"200": {"description": "The meta-schema",
                     "content": {"application/schema+json": {"schema": {"type": "object"}}}},
             **errors()},
            secured=False)},
    }


def _catalog() -> dict:
    return operation(
        "listServices", "The catalog of enabled services",
        {"200": ok("Matching services", ref("Catalog")), **errors(401, 403, 422)},
        params=[param("q", "query", text(), "name, keyword, department or pinyin initials"),
                param("category", "query", text(), "服务类别, exact"),
                param("department", "query", text(), "主办部门, exact"),
                param("audience", "query", enum(AUDIENCES), "服务对象"),
                param("initial", "query", text(pattern="^[A-Za-z]$"),
                      "first letter of the name's pinyin initials")],
        secured=False)


def _start() -> dict:
    serial = {"serial": "$response.body#/serial"}
    created = ok("Created (or, for a repeated Idempotency-Key, the instance the first "
                 "request created)", ref("StartResult"))
    created["links"] = {
        "GetInstance": {"operationId": "getInstance", "parameters": serial},
        "ActOnInstance": {"operationId": "actOnInstance", "parameters": serial},
    }
    return operation(
        "startInstance", "Start an instance: submit it, or save a draft",
        {"201": created,
         **errors(400, 401, 403, 404, 422)},
        params=[param("id", "path", text(), "the service's slug"),
                param("Idempotency-Key", "header", text(maxLength=MAX_IDEMPOTENCY_KEY),
                      "a repeat with the same key returns the same instance")],
        body=ref("StartRequest"))


def _my_items() -> dict:
    return operation(
        "listMyItems", "The caller's personal-center boxes",
        {"200": ok("One page of items, newest first", ref("BoxPage")),
         **errors(401, 403, 422)},
        params=[param("box", "query", {**enum(BOXES), "default": "todo"},
                      "待办 / 进行中 / 已完成 / 抄送 / 草稿"),
                param("q", "query", text(), "search in titles and service names"),
                param("serial", "query", integer(minimum=1, maximum=MAX_SERIAL), "流水号"),
                param("page", "query", integer(minimum=1, maximum=MAX_SERIAL, default=1),
                      "page number (past the last page: no items)")])


def _stats() -> dict:
    day = text(format="date", pattern=r"^\d{4}-\d{2}-\d{2}$")
    return operation(
        "getStats", "统计分析: how services perform over instances submitted in a window",
        {"200": ok("Per service and in total", ref("Stats")), **errors(401, 403, 422)},
        params=[param("from", "query", day, "first day (China time), default 29 days before `to`"),
                param("to", "query", day, "last day, inclusive (default today)"),
                param("department", "query", text(), "主办部门, exact; outside the caller's → 403"),
                param("service", "query", text(), "a service's slug")],
        description="Admins see every service, a dept_admin their department's, anyone else "
                    "403. Drafts never count; `overdue` counts running instances past their "
                    "due date; a window longer than three years or with `from` after `to` is 422.")


def _serial() -> dict:
    return param("serial", "path", integer(minimum=1, maximum=MAX_SERIAL),
                 "the instance's serial number (流水号)")


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {"title": "OneHall API", "version": "1.0.0",
                 "description": "The online service hall's JSON API. Every error is "
                                "`{error, message, fields}`."},
        "servers": [{"url": "/api/v1"}],
        "tags": [{"name": "public", "description": "no authentication needed"},
                 {"name": "secured", "description": "bearer token or session"}],
        "paths": paths(),
        "components": components(),
    }
