"""Under CI=true a skipped test is a failed test.

A skip is how a check goes quietly empty: a missing program (node), an unset
ONEHALL_TEST_POSTGRES, a test server that did not start. Locally a skip stays a skip (and is
listed by -ra); in CI each one fails, named, with its reason, so the run cannot pass while
testing less than it claims. xfail is not a skip and is left alone.
"""
import os

import pytest


def ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if ci() and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = (f"skipped under CI=true, which counts as a failure: {_reason(report)}\n"
                           "Install what the test needs (make test does it) or fix the skip.")
    return report


@pytest.hookimpl(tryfirst=True)
def pytest_collectreport(report):
    if ci() and report.skipped:          # a module skipped as a whole (allow_module_level, importorskip)
        report.outcome = "failed"
        report.longrepr = f"{report.nodeid} skipped under CI=true: {_reason(report)}"


def pytest_sessionfinish(session, exitstatus):
    """The catch-all: any skip that still got through fails the run under CI."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if ci() and skipped and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if reporter:
            reporter.write_line(f"CI=true: {len(skipped)} skipped test(s) fail the run: "
                                + ", ".join(r.nodeid for r in skipped), red=True)
