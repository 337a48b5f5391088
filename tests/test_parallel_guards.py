"""The run's guards still hold when tests run in parallel workers (pytest.ini's ``-n``):
under CI=true a skipped test or module fails the run (tests/skipguard.py), and a run that
selects no test at all exits 5, so ``make test`` stops."""
import os
import subprocess
import sys

from tests.conftest import ROOT

TESTS = '''\
import pytest


def test_needs_a_server():
    pytest.skip("no server here")


def test_plain():
    pass
'''
SKIPPED_MODULE = 'import pytest\n\npytest.skip("not on this machine", allow_module_level=True)\n'


def run_pytest(folder, *args, ci=False):
    (folder / "pytest.ini").write_text("[pytest]\naddopts = -p xdist.plugin -p no:cacheprovider -n 2\n")
    (folder / "conftest.py").write_text('pytest_plugins = ("tests.skipguard",)\n')
    (folder / "test_some.py").write_text(TESTS)
    (folder / "test_elsewhere.py").write_text(SKIPPED_MODULE)
    env = dict(os.environ, CI="true" if ci else "false", PYTEST_DISABLE_PLUGIN_AUTOLOAD="1",
               PYTHONPATH=os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")])))
    result = subprocess.run([sys.executable, "-m", "pytest", *args], cwd=folder, env=env,
                            capture_output=True, text=True, timeout=240)
    out = result.stdout + result.stderr
    assert "created: 2/2 workers" in out, out
    return result.returncode, out


def test_under_ci_a_skip_in_a_worker_fails_the_run_naming_it(tmp_path):
    code, out = run_pytest(tmp_path, ci=True)
    assert code == 1, out
    assert "FAILED test_some.py::test_needs_a_server - skipped under CI=true" in out
    assert "test_elsewhere.py skipped under CI=true: not on this machine" in out
    assert "1 failed, 1 passed, 1 error" in out


def test_outside_ci_a_skip_stays_a_skip(tmp_path):
    code, out = run_pytest(tmp_path)
    assert code == 0, out
    assert "1 passed, 2 skipped" in out


def test_a_run_that_selects_no_test_exits_5(tmp_path):
    code, out = run_pytest(tmp_path, "-k", "no_test_has_this_name")
    assert code == 5, out
    assert "2 workers [0 items]" in out
