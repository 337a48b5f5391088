"""How many generated examples each property and fuzz test runs: all of them, or a quarter.

``make test`` and CI (``CI=true``) run every example (``ONEHALL_TEST_DEPTH=full``); a plain
``pytest`` run, the inner loop, runs a quarter of each test's examples (never under 25),
as Hypothesis suggests with a quick profile for development and a thorough one for CI.
Each test still meets its floor (``tests/fuzzfloor.py``) on the examples it ran; the run's
header (``-v``) says which depth it used, and a quick run says so again at its end. ``ONEHALL_TEST_DEPTH=full pytest …`` runs all of
them anywhere; ``quick`` asks for the quarter even under CI=true.
"""
import os

FULL, QUICK = "full", "quick"


def depth() -> str:
    chosen = os.environ.get("ONEHALL_TEST_DEPTH", "").strip().lower()
    if chosen in (FULL, QUICK):
        return chosen
    return FULL if os.environ.get("CI", "").lower() == "true" else QUICK


def examples(full: int) -> int:
    """``full`` at full depth, else a quarter of it (at least 25, at most ``full``)."""
    return full if depth() == FULL else min(full, max(25, full // 4))


def pytest_report_header(config):
    if depth() == FULL:
        return "test depth: full (every generated example)"
    return ("test depth: quick (a quarter of each property test's examples; "
            "make test and CI=true run them all, as does ONEHALL_TEST_DEPTH=full)")


def pytest_terminal_summary(terminalreporter):
    if depth() != FULL:
        terminalreporter.write_line("test depth: quick, a quarter of each property test's examples "
                                    "(ONEHALL_TEST_DEPTH=full or make test runs them all)", yellow=True)
