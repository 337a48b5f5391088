"""Every test under tests/e2e/ drives a real browser: marked ``e2e`` so that
``pytest -m "not e2e"`` is the fast inner loop (``make test`` still runs everything)."""
import pathlib

import pytest

HERE = pathlib.Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.e2e)
