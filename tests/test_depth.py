"""The inner loop runs a quarter of each property test's examples; make test and CI run all."""
import pytest

from tests import depth


@pytest.mark.parametrize("env, expected", [
    ({}, "quick"),
    ({"CI": "true"}, "full"),
    ({"ONEHALL_TEST_DEPTH": "full"}, "full"),                    # what `make test` sets
    ({"CI": "true", "ONEHALL_TEST_DEPTH": "quick"}, "quick"),   # asked for explicitly
    ({"ONEHALL_TEST_DEPTH": "deep"}, "quick"),                  # an unknown word changes nothing
])
def test_the_depth_follows_ci_and_the_setting(monkeypatch, env, expected):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("ONEHALL_TEST_DEPTH", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert depth.depth() == expected


def test_quick_runs_a_quarter_but_never_under_25(monkeypatch):
    monkeypatch.setenv("ONEHALL_TEST_DEPTH", "quick")
    assert [depth.examples(n) for n in (400, 300, 120, 60, 20)] == [100, 75, 30, 25, 20]
    monkeypatch.setenv("ONEHALL_TEST_DEPTH", "full")
    assert [depth.examples(n) for n in (400, 300, 120, 60, 20)] == [400, 300, 120, 60, 20]


def test_make_test_runs_at_full_depth():
    from pathlib import Path
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text()
    assert "ONEHALL_TEST_DEPTH=full $(BIN)/python -m pytest" in makefile
