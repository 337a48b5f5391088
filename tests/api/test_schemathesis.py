"""Schemathesis over /api/v1/openapi.json against the app on a live port: generated valid and
invalid requests (coverage, fuzzing and stateful phases, every check) find no server error,
no answer outside the description, no invalid request accepted and no valid one refused.

Deterministic (``--generation-deterministic``) and bounded (``--max-examples``, a quarter of
it in the quick inner loop, see tests/depth.py): about half a minute at full depth. tests/api/data/schemathesis.toml says which answers to schema-valid bodies are
legitimate beyond the defaults, and why.
"""
import json
import os
import subprocess
import sys

from app.people.directory import new_token
from app.models import User
from tests.depth import examples

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = os.path.join(HERE, "data", "schemathesis.toml")
MAX_EXAMPLES = examples(60)


def test_the_api_agrees_with_its_description(live_server, tmp_path):
    with live_server.app.app_context():
        token = new_token(User.get(User.username == "t2001"))
    report = tmp_path / "schemathesis.json"
    command = [os.path.join(os.path.dirname(sys.executable), "schemathesis"),
               "--config-file", CONFIG, "run", f"{live_server.url}/api/v1/openapi.json",
               "--header", f"Authorization: Bearer {token}", "--checks", "all",
               "--max-examples", str(MAX_EXAMPLES), "--generation-deterministic",
               "--workers", "1", "--continue-on-failure", "--request-timeout", "30",
               "--report", "json", "--report-json-path", str(report)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=280, cwd=tmp_path,
                         env={**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"})
    summary = json.loads(report.read_text())
    cases = summary["test_cases"]
    print(f"schemathesis: {cases['generated']} cases, {cases['with_failures']} with failures, "
          f"{len(summary['errors'])} errors")
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert summary["operations"]["tested"] == summary["operations"]["total"] >= 9
    assert cases["generated"] >= 8 * MAX_EXAMPLES          # 500 and more at full depth
    assert cases["with_failures"] == 0 and summary["failures"] == [] and summary["errors"] == []
