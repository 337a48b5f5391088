"""The components of the OpenAPI description of /api/v1: schemas, error responses, security.

OpenAPI 3.1 schemas are JSON Schema 2020-12, so the tests validate real responses against
the component schemas below (``app.api.openapi`` builds the document and its paths).
"""
from app.api.routes import ACTIONS, BULK_ACTIONS, MAX_OPINION
from app.defs.model import AUDIENCES
from app.engine.states import ACTION_LABELS, STATUS_LABELS, Action as A

JSON = "application/json"


# ---------------------------------------------------------------- schema helpers

def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required=(), additional=None, doc=None, **properties) -> dict:
    schema = {"type": "object", "properties": properties, "required": list(required)}
    if additional is not None:
        schema["additionalProperties"] = additional
    if doc:
        schema["description"] = doc
    return schema


def strict(required=(), **properties) -> dict:
    return obj(required, additional=False, **properties)


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def text(**extra) -> dict:
    return {"type": "string", **extra}


def integer(**extra) -> dict:
    return {"type": "integer", **extra}


def boolean() -> dict:
    return {"type": "boolean"}


def enum(values) -> dict:
    return {"type": "string", "enum": list(values)}


def timestamp() -> dict:
    return text(format="date-time", description="UTC, ISO 8601 with a trailing Z")


def json_content(schema: dict) -> dict:
    return {JSON: {"schema": schema}}


def ok(description: str, schema: dict) -> dict:
    return {"description": description, "content": json_content(schema)}


# ---------------------------------------------------------------- components

ERROR_RESPONSES = {
    400: ("BadRequest", "Malformed JSON, or a missing/invalid CSRF token on a session write"),
    401: ("Unauthorized", "No valid bearer token and no signed-in session (public "
                          "operations answer 401 only to an invalid bearer token)"),
    403: ("Forbidden", "Not allowed: not yours to act, outside the service's audience, "
                       "or a session still on its initial password"),
    404: ("NotFound", "Unknown, or not visible to the caller"),
    409: ("Conflict", "Someone else acted first, or the item moved on"),
    422: ("Invalid", "Invalid input; `fields` maps field names (rows: name.index.column) "
                     "to messages. Form data is checked against the service's own form "
                     "(`form` of GET /services/{id}): a body of the right shape whose `data` "
                     "misses a required field of that form is also answered 422"),
    429: ("TooManyRequests", "Done too often (催办: once an hour per step)"),
}
URI_TOO_LONG = {"description": "Request line too long: answered by the web server (gunicorn) "
                               "before the app, not in the JSON error shape"}


def schemas() -> dict:
    return {
        "Error": strict(
            ("error", "message", "fields"), error=text(description="machine-readable code"),
            message=text(description="a message for people"),
            fields=obj(additional=array(text()),
                       doc="per-field messages; rows as name.index.column")),
        "CatalogItem": obj(
            ("id", "number", "name", "category", "department", "audience", "recommended"),
            id=text(description="the service's slug"), number=integer(), name=text(),
            category=text(), department=text(), audience=array(enum(AUDIENCES)),
            recommended=boolean()),
        "Catalog": obj(("items", "total"), items=array(ref("CatalogItem")), total=integer()),
        "Step": obj(("id", "name", "mode", "actions", "opinion"), id=text(), name=text(),
                    mode=enum(("any", "all")),
                    actions=array(enum((A.APPROVE, A.RETURN, A.TERMINATE))),
                    opinion=enum(("required", "optional", "none"))),
        "ServiceDetail": _service_detail(),
        "StartRequest": strict(
            (), data=obj(doc="form data, checked against the service's form (`form` of "
                             "GET /services/{id}); omitted fields get defaults and autofill; "
                             "with `submit` true a missing required field is a 422"),
            submit={"type": "boolean", "default": True,
                    "description": "false saves a draft (存草稿)"}),
        "StartResult": obj(("serial", "status", "step"), serial=integer(),
                           status=enum(STATUS_LABELS), step=nullable(text())),
        "ActionRequest": _action_request(),
        "FlowRecord": obj(("step", "action", "user", "at", "opinion", "detail"), step=text(),
                          action=text(), user=nullable(text(description="username")),
                          on_behalf_of=nullable(text(description="委托: the delegator's username")),
                          at=timestamp(), opinion=text(),
                          detail=text(description="what the page shows beside the opinion: "
                                                  "前加签：王五、赵六 · 转办给 … · 版本迁移 v1 → v2")),
        "DelegationRequest": strict(
            ("to_user", "start", "end"),
            to_user=text(minLength=1, description="the deputy's username (an active staff "
                                                  "account other than the caller)"),
            start={"anyOf": [text(format="date"), text(format="date-time")],
                   "description": "YYYY-MM-DD (from 00:00 China time) or ISO 8601"},
            end={"anyOf": [text(format="date"), text(format="date-time")],
                 "description": "YYYY-MM-DD (through that day) or ISO 8601"},
            services=nullable(dict(array(text()), description="service slugs; null = all")),
            move_open=nullable(boolean())),
        "Delegation": obj(("id", "to_user", "start", "end", "services", "active"),
                          id=integer(), to_user=text(), to_name=text(), start=timestamp(),
                          end=timestamp(), services=nullable(array(text())), active=boolean()),
        "Delegations": obj(("items", "total"), items=array(ref("Delegation")), total=integer()),
        "Milestone": obj(("id", "name", "state"), id=text(), name=text(),
                         state=enum(("done", "current", "future"))),
        "Instance": _instance(),
        "BoxItem": obj(("serial", "title", "service", "status", "step", "created", "updated"),
                       serial=integer(), title=text(), service=text(),
                       status=enum(STATUS_LABELS), step=nullable(text()),
                       created=timestamp(), updated=timestamp(), due=nullable(timestamp()),
                       overdue=boolean()),
        "Diff": obj(("changes",), changes=array(obj(
            ("field", "label", "before", "after"), field=text(description="name, or name.index for a row"),
            label=text(), before={}, after={}))),
        "Prefill": obj(("data", "from_serial"), data=obj(doc="fields to start a new application with"),
                       from_serial=nullable(integer())),
        "BulkRequest": strict(("serials", "action"),
                              serials={"type": "array", "minItems": 1, "maxItems": 100,
                                       "items": integer(minimum=1)},
                              action=enum(BULK_ACTIONS),
                              opinion=nullable(text(maxLength=2000))),
        "BulkResult": obj(("results",), results=array(obj(
            ("serial", "status", "error"), serial=integer(),
            status={"type": "integer", "enum": [200, 403, 404, 409, 422]},
            error=nullable(text())))),
        "BoxPage": obj(("items", "total", "page"), items=array(ref("BoxItem")),
                       total=integer(), page=integer(minimum=1), page_size=integer()),
        **_stats_schemas(),
    }


def _hours() -> dict:
    return nullable({"type": "number", "minimum": 0})


def _stats_schemas() -> dict:
    counts = {name: integer(minimum=0) for name in
              ("started", "completed", "terminated", "running", "overdue")}
    percentiles = strict(("median", "p90"), median=_hours(), p90=_hours())
    rating = strict(("average", "count"),
                    average=nullable({"type": "number", "minimum": 1, "maximum": 5}),
                    count=integer(minimum=0))
    return {
        "StatsHours": {**percentiles, "description": "hours from submission to completion; "
                                                    "linear interpolation between ranks"},
        "StatsRating": rating,
        "StatsStep": strict(("id", "name", "median_hours", "p90_hours", "overdue"),
                            id=text(), name=text(), median_hours=_hours(), p90_hours=_hours(),
                            overdue=integer(minimum=0, description="open to-dos past their due date")),
        "StatsService": strict(
            ("id", "name", "department", *counts, "hours_to_complete", "steps", "rating",
             "time_limit_hours", "slow"),
            id=text(description="the service's slug"), name=text(), department=text(), **counts,
            hours_to_complete=ref("StatsHours"), steps=array(ref("StatsStep")),
            rating=ref("StatsRating"),
            time_limit_hours=nullable({"type": "number", "minimum": 0}),
            slow=boolean()),
        "StatsTotals": strict((*counts, "hours_to_complete", "rating"), **counts,
                              hours_to_complete=ref("StatsHours"), rating=ref("StatsRating")),
        "Stats": strict(("from", "to", "services", "totals"),
                        **{"from": text(format="date"), "to": text(format="date")},
                        services=array(ref("StatsService")), totals=ref("StatsTotals")),
    }


def _service_detail() -> dict:
    return obj(
        ("id", "number", "name", "category", "department", "audience", "form", "steps"),
        id=text(), number=integer(), name=text(), category=text(), department=text(),
        format=integer(), co_departments=array(text()), audience=array(enum(AUDIENCES)),
        fee=text(), time_limit=nullable(text(description="Nh | Nd | Nw")), hours=text(),
        place=text(), method=text(), phone=text(), conditions=text(),
        recommended=boolean(), keywords=array(text()), title=text(),
        form={"type": "object", "description": "the form as a JSON Schema (draft 2020-12)"},
        steps=array(ref("Step")))


def _action_request() -> dict:
    return strict(
        ("action",),
        action={**enum(ACTIONS),
                "description": "approve / return / terminate / transfer by the current "
                               "assignee (add_signer: 加签 with to_users and position); "
                               "submit / save_draft / withdraw / remind (催办, once an hour "
                               "per step, else 429) by the applicant"},
        opinion=nullable(text(maxLength=MAX_OPINION)),
        data=nullable(obj(doc="form fields the acting step may edit")),
        to_step=nullable(text(description="return: the earlier step to return to")),
        to_user=nullable(text(description="transfer: the username to hand the task to")),
        field_notes=nullable(obj(additional=text(maxLength=500),
                                 doc="return: a note per field name, shown to the applicant")),
        to_users=nullable(dict(array(text()), description="add_signer: usernames to add")),
        position=nullable(enum(("before", "after", "parallel"))))


def _instance() -> dict:
    return obj(
        ("serial", "service", "title", "status", "step", "data", "records", "actions", "milestones"),
        serial=integer(description="流水号"), service=text(description="the service's slug"),
        title=text(), status=enum(STATUS_LABELS),
        step=nullable(text(description="the current step's id")),
        data=obj(doc="form data as the caller may see it"),
        records=array(ref("FlowRecord")),
        actions=dict(array(enum(ACTION_LABELS)),
                     description="what the caller may do now (the engine's available_actions)"),
        field_notes=obj(additional=text(), doc="the latest 退回's note per field, else {}"),
        revisions=array(obj(("revision", "at", "by"), revision=integer(minimum=1),
                            at=timestamp(), by=nullable(text()))),
        milestones=array(ref("Milestone")))


def components() -> dict:
    return {
        "schemas": schemas(),
        "responses": {**{name: ok(description, ref("Error"))
                         for name, description in ERROR_RESPONSES.values()},
                      "UriTooLong": URI_TOO_LONG},
        "securitySchemes": {
            "bearerAuth": {"type": "http", "scheme": "bearer",
                           "description": "a token from `flask users token USERNAME`"},
            "session": {"type": "apiKey", "in": "cookie", "name": "session",
                        "description": "the browser session; writes also need the "
                                       "X-CSRFToken header"},
        },
    }
