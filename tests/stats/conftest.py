import pytest

from tests.stats import history


@pytest.fixture
def seeded(app):
    """The history of tests/stats/history.py written into the test database."""
    with app.app_context():
        from app.db import db
        db.connect(reuse_if_open=True)
        return history.seed()
