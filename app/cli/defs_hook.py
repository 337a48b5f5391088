"""``python -m app.cli.defs_hook validate|test|lint [ARGS…]`` — the ``flask defs`` commands for
a definitions repository that has no OneHall app of its own (the pre-commit hooks in
``.pre-commit-hooks.yaml`` run this through ``scripts/pre-commit-hook``).

The app it builds lives in a temporary folder: its database, queue and keys are throwaway,
so a hook never reads or writes a real OneHall installation.
"""
from __future__ import annotations

import shutil
import sys
import tempfile

COMMANDS = ("validate", "test", "lint")


def main(argv=None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in COMMANDS:
        print(f"usage: python -m app.cli.defs_hook {{{'|'.join(COMMANDS)}}} [FILE…]", file=sys.stderr)
        return 2
    if args[0] == "validate" and len(args) == 1:
        return 0                                 # pre-commit found no definition to check
    folder = tempfile.mkdtemp(prefix="onehall-hook-")
    try:
        from app import create_app
        from app.cli import defs_tools  # noqa: F401  (registers `test` and `lint`)
        from app.cli.defs import defs_cli
        from app.people.idcards import new_key
        app = create_app({
            "SECRET_KEY": "onehall-hook", "ID_CARD_KEY": new_key(),
            "DATABASE_URL": f"sqlite:///{folder}/onehall.db", "HUEY_URL": f"sqlite:///{folder}/huey.db",
            "UPLOAD_DIR": f"{folder}/uploads",
        })
        with app.app_context():
            try:
                defs_cli.main(args, prog_name="onehall-defs", standalone_mode=True)
            except SystemExit as exit_:
                return int(exit_.code or 0)
        return 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
