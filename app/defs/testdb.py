"""A throwaway SQLite database holding a test directory, bound for the duration of a block.

``flask defs test`` and ``flask defs lint`` evaluate definitions against a directory (who
holds which role where) without touching the app's database: the models are bound to a
temporary file for the block and bound back afterwards, and the file is deleted. Meant for
one-shot processes (the CLI, the designer's test subprocess), not for a serving thread.
"""
from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager

CHEAP_HASH = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}   # nobody signs in here


class DirectoryProblem(ValueError):
    """The directory file could not be loaded; ``lines`` are ``path:line: message``."""

    def __init__(self, lines):
        self.lines = list(lines)
        super().__init__("\n".join(self.lines))


@contextmanager
def throwaway(directory_csv: str | None = None):
    """Bind a new temporary database with the demo directory (or the users of
    ``directory_csv``, columns as ``flask users import``) for the block."""
    from app.people import passwords
    from app.db import db, make_database
    from app.models import create_tables
    previous, hasher = db.obj, passwords._hasher
    folder = tempfile.mkdtemp(prefix="onehall-defs-test-")
    database = make_database(f"sqlite:///{folder}/directory.db")
    db.initialize(database)
    passwords.configure(CHEAP_HASH)
    try:
        with database.connection_context():
            create_tables()
            _load_directory(directory_csv)
            yield database
    finally:
        passwords._hasher = hasher
        if not database.is_closed():
            database.close()
        db.initialize(previous)
        shutil.rmtree(folder, ignore_errors=True)


def _load_directory(directory_csv):
    if directory_csv is None:
        from app.demo import load_demo
        load_demo()
        return
    from app.people.directory import import_csv
    try:
        _, errors = import_csv(directory_csv)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DirectoryProblem([f"{directory_csv}:1: cannot read the directory: {exc}"]) from None
    if errors:
        raise DirectoryProblem(errors)
