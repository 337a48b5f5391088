"""`.pre-commit-hooks.yaml`: a department's definitions repository runs onehall-validate and
onehall-test through `pre-commit` itself (try-repo against a throwaway git repository)."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

from pre_commit.clientlib import load_manifest

ROOT = Path(__file__).resolve().parents[2]
DEFINITIONS = ROOT / "definitions"


def test_the_manifest_is_valid_for_pre_commit_and_names_both_hooks():
    hooks = {h["id"]: h for h in load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}
    assert set(hooks) == {"onehall-validate", "onehall-test"}
    for hook in hooks.values():
        script = ROOT / hook["entry"].split()[0]
        assert script.is_file() and os.access(script, os.X_OK)
    assert hooks["onehall-validate"]["exclude"] == r"\.test\.ya?ml$"


def git(repo, *args):
    subprocess.run(["git", "-c", "user.name=IT", "-c", "user.email=it@example.edu.cn", *args],
                   cwd=repo, check=True, capture_output=True)


def test_try_repo_passes_a_valid_definition_and_fails_a_wrong_scenario(tmp_path):
    repo = tmp_path / "dept-definitions"
    repo.mkdir()
    git(repo, "init", "-q")
    shutil.copy(DEFINITIONS / "weekly-report.yaml", repo)
    scenario = (DEFINITIONS / "tests" / "weekly-report.test.yaml").read_text(encoding="utf-8")
    (repo / "weekly-report.test.yaml").write_text(scenario.replace("leader: [t2002]", "leader: [t1002]"),
                                                  encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "definitions")
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
               ONEHALL_HOOK_PYTHON=sys.executable)
    result = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "--all-files"],
                            cwd=repo, env=env, capture_output=True, text=True, timeout=300)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    lines = [line for line in out.splitlines() if line.startswith("OneHall")]
    assert any("(flask defs validate)" in line and line.endswith("Passed") for line in lines), out
    assert any("(flask defs test)" in line and line.endswith("Failed") for line in lines), out
    assert "FAIL 宣传部职工提交后到部门领导: assignees.leader: expected [t1002], got [t2002]" in out
    assert "1 passed, 1 failed" in out
