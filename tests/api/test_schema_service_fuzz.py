"""Schemathesis against the API of a schema-defined service: bodies generated from the
service's own form schema (valid ones and, in the negative phase, invalid ones) are answered
201 or 422 — never a server error."""
import json
import os
import subprocess
import sys
from pathlib import Path

from app.defs import schemadraft, wrap
from app.people.directory import new_token
from app.models import User
from tests.depth import examples

MAX_EXAMPLES = examples(120)          # a quarter in the quick inner loop (tests/depth.py)
SHOWCASE = Path(__file__).resolve().parents[1] / "defs" / "schemas" / "03-showcase.json"


def openapi(schema: dict) -> dict:
    form = {k: v for k, v in schemadraft.resolved(schema).items() if k not in ("$schema", "$defs")}
    body = {"type": "object", "required": ["data"], "additionalProperties": False,
            "properties": {"data": form, "submit": {"type": "boolean"}}}
    answers = {str(code): {"description": "answer"} for code in (201, 400, 409, 422, 429)}
    return {"openapi": "3.1.0", "info": {"title": "showcase", "version": "1"},
            "paths": {"/api/v1/services/showcase/instances": {"post": {
                "operationId": "startShowcase",
                "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
                "responses": answers}}}}


def test_no_generated_submission_is_a_server_error(live_server, tmp_path):
    case = json.loads(SHOWCASE.read_text("utf-8"))
    text = wrap.wrap_text(case["schema"], name=case["name"], department="宣传部", slug="showcase",
                          number=59999, ui_schema=case.get("ui_schema"))
    with live_server.app.app_context():
        from app.defs.store import import_text
        import_text(text, "showcase.yaml")
        token = new_token(User.get(User.username == "t2001"))
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(openapi(case["schema"]), ensure_ascii=False), "utf-8")
    report = tmp_path / "report.json"
    command = [os.path.join(os.path.dirname(sys.executable), "schemathesis"), "run", str(spec),
               "--url", live_server.url, "--header", f"Authorization: Bearer {token}",
               "--checks", "not_a_server_error,status_code_conformance", "--max-examples", str(MAX_EXAMPLES),
               "--generation-deterministic", "--workers", "1", "--continue-on-failure",
               "--phases", "examples,coverage,fuzzing",
               "--report", "json", "--report-json-path", str(report)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=280, cwd=tmp_path,
                         env={**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"})
    summary = json.loads(report.read_text())
    print(f"schemathesis: {summary['test_cases']['generated']} cases")
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert summary["test_cases"]["generated"] >= 100 * MAX_EXAMPLES // 120
    assert summary["failures"] == [] and summary["errors"] == []
