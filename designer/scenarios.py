"""A service's scenario tests in the designer: stored text, runs, and the check before 发布.

The tests run exactly as ``flask defs test`` runs them, in a child process
(``python -m app.cli.defs_hook test``) on a throwaway database with the test directory —
the demo directory, or the CSV named by ``DEFS_TEST_DIRECTORY`` — so a serving process
never rebinds its own database. A run's report is kept with the tests and reused while
the definition, the tests and the directory file are unchanged. No Flask here.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from app.db import write_transaction
from app.defs.exceptions import DefinitionError, Problem
from app.defs.scenarios import parse, store_text
from app.models.designer import ServiceScenarios

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 120
settings = {"directory": None}          # DEFS_TEST_DIRECTORY, set by designer.init_app


class TestsFailed(Exception):
    """发布 refused: a scenario test fails (or cannot run). ``report`` as ``Report.as_dict``."""

    def __init__(self, report: dict, can_override: bool):
        self.report, self.can_override = report, can_override
        super().__init__("场景测试未通过")

    def lines(self) -> list[str]:
        return failure_lines(self.report)

    def to_json(self) -> dict:
        """The 422 body of the designer's JSON APIs."""
        hint = "；系统管理员可确认后仍然发布" if self.can_override else "；请修改定义或测试用例后再发布"
        return {"error": "tests_failed", "message": "场景测试未通过，未发布" + hint,
                "problems": [{"message": line} for line in self.lines()],
                "tests": self.report, "can_override": self.can_override}


def failure_lines(report: dict) -> list[str]:
    return list(report.get("problems", [])) + [
        f"FAIL {r['name']}: " + "; ".join(r["differences"]) for r in report.get("results", []) if not r["passed"]]


def stored(slug: str) -> ServiceScenarios | None:
    return ServiceScenarios.get_or_none(ServiceScenarios.slug == slug)


def save(slug: str, text: str, user) -> ServiceScenarios:
    """Store the tests of ``slug`` after checking the file's shape; DefinitionError with
    ``测试用例:line:col`` problems otherwise. An empty text removes them."""
    text = (text or "").replace("\r\n", "\n")
    with write_transaction():
        if not text.strip():
            ServiceScenarios.delete().where(ServiceScenarios.slug == slug).execute()
            return None
        scenarios = parse(text, "测试用例")
        if scenarios.service != slug:
            line, col = scenarios.service_at
            raise DefinitionError([Problem("测试用例", line, col,
                                           f"service 应为 {slug}，不是 {scenarios.service}")])
        return store_text(slug, text, user)


def run(slug: str, definition_text: str) -> dict | None:
    """The report of the service's tests against ``definition_text``; None without tests."""
    row = stored(slug)
    if row is None:
        return None
    key = _key(definition_text, row.source)
    if row.result_key == key and row.result is not None:
        return row.result
    report = _run_child(slug, definition_text, row.source)
    with write_transaction():
        (ServiceScenarios.update(result_key=key, result=report)
         .where(ServiceScenarios.id == row.id).execute())
    return report


def check_before_publish(slug: str, definition_text: str, user, override: bool = False) -> dict | None:
    """The report when the tests pass (or an admin overrides); TestsFailed otherwise.
    Only a system admin (not a dept admin) may publish past failing tests."""
    from app.people.roles import is_admin
    report = run(slug, definition_text)
    if report is None or report.get("ok"):
        return report
    admin = is_admin(user)
    if override and admin:
        from app import audit
        audit.record("publish", user, f"{slug}: 场景测试未通过，由系统管理员确认发布 — "
                     + "; ".join(failure_lines(report))[:500])
        return report
    raise TestsFailed(report, can_override=admin)


def _key(definition_text: str, tests_text: str) -> str:
    directory = settings["directory"]
    stamp = ""
    if directory:
        try:
            stamp = f"{directory}:{os.stat(directory).st_mtime_ns}"
        except OSError:
            stamp = f"{directory}:missing"
    digest = hashlib.sha256()
    for part in (definition_text, "\0", tests_text, "\0", stamp):
        digest.update(part.encode("utf-8"))
    return digest.hexdigest()


def _run_child(slug: str, definition_text: str, tests_text: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="onehall-scenarios-") as folder:
        (Path(folder) / f"{slug}.yaml").write_text(definition_text, encoding="utf-8")
        (Path(folder) / f"{slug}.test.yaml").write_text(tests_text, encoding="utf-8")
        command = [sys.executable, "-m", "app.cli.defs_hook", "test", folder, "--json"]
        if settings["directory"]:
            command += ["--directory", settings["directory"]]
        env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        try:
            done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                                  timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return _broken(f"测试运行超过 {TIMEOUT} 秒，已停止")
        try:
            report = json.loads(done.stdout)
        except ValueError:
            reason = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["没有输出"]
            return _broken(f"测试无法运行：{reason[0][:300]}")
        prefix = folder + os.sep
        report["problems"] = [p.replace(prefix, "") for p in report.get("problems", [])]
        for result in report.get("results", []):
            result["where"] = result["where"].replace(prefix, "")
        return report


def _broken(message: str) -> dict:
    return {"results": [], "problems": [message], "passed": 0, "failed": 0, "ok": False}
