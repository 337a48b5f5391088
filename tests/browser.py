"""Browser fixtures (a pytest plugin of tests/conftest.py): the real app on a real port, one Debian Chromium for the session.

Never `playwright install`: Playwright drives /usr/bin/chromium (installed by `make test`).
Screenshots go to test-artifacts/ (kept by CI as artefacts).
"""
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from app import create_app
from tests.conftest import ROOT, make_config

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = os.path.join(ROOT, "test-artifacts")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `sudo apt-get install -y chromium` (make test does it as root)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(10)


@pytest.fixture
def live_server(tmp_path, seeded_db_file):
    """The app on a free port over a fresh copy of the seeded database."""
    shutil.copy(seeded_db_file, tmp_path / "onehall.db")
    config = make_config(tmp_path, TESTING=False, WTF_CSRF_ENABLED=True)
    app = create_app(config)
    with LiveServer(app) as server:
        yield server


@pytest.fixture
def page_factory(browser, request):
    """new_page(width=1280) → a page in a fresh context (its own cookies)."""
    contexts = []

    def new_page(width=1280, height=900):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


def shot(page, name):
    """Keep a screenshot of the page as a test artefact."""
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"), full_page=True)


def pytest_collection_modifyitems(config, items):
    """A test that drives Chromium anywhere is ``e2e`` too (tests/e2e/ is marked as a whole)."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.e2e)
