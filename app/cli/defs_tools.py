"""``flask defs test`` and ``flask defs lint`` — IT's toolchain; added to the ``defs`` group
when this module is imported (``app.cli.init_app`` does). The work is done by
``app.defs.scenarios`` / ``app.defs.lint`` on a throwaway directory (``app.defs.testdb``)."""
from __future__ import annotations

import json
import sys

import click

from app.cli.defs import _app_context, defs_cli

DEFAULT_PATHS = ("definitions",)
_DIRECTORY = click.option("--directory", "directory_csv", type=click.Path(dir_okay=False),
                          help="users.csv (columns as `flask users import`) instead of the demo directory")


@defs_cli.command("test", with_appcontext=False)
@click.argument("paths", nargs=-1, type=click.Path())
@_DIRECTORY
@click.option("--json", "as_json", is_flag=True, help="print the report as JSON")
def test_command(paths, directory_csv, as_json):
    """Run the scenario files NAME.test.yaml beside definitions (default: definitions/).

    Prints PASS/FAIL per case and `N passed, M failed`; exit 0 when all pass, else 1."""
    _app_context()
    from app.defs.scenarios import run_paths
    from app.defs.testdb import DirectoryProblem, throwaway
    try:
        with throwaway(directory_csv):
            report = run_paths(paths or DEFAULT_PATHS)
    except DirectoryProblem as exc:
        for line in exc.lines:
            click.echo(line, err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for problem in report.problems:
            click.echo(str(problem))
        for result in report.results:
            click.echo(result.line())
        if not report.results and not report.problems:
            click.echo("no scenario files (NAME.test.yaml) found")
        click.echo(report.summary())
    sys.exit(0 if report.ok else 1)


@defs_cli.command("lint", with_appcontext=False)
@click.argument("paths", nargs=-1, type=click.Path())
@_DIRECTORY
@click.option("--strict", is_flag=True, help="exit 1 when there is any warning")
def lint_command(paths, directory_csv, strict):
    """Warn about unreachable steps, conditions over fields never shown and steps nobody
    handles for some allowed applicant (default: definitions/). Exit 0 with warnings
    unless --strict; 1 when a definition is invalid."""
    _app_context()
    from app.defs.compile import compile_text, read_file
    from app.defs.exceptions import DefinitionError
    from app.defs.lint import lint
    from app.defs.store import definition_paths
    from app.defs.testdb import DirectoryProblem, throwaway
    invalid, found, files = False, [], definition_paths(paths or DEFAULT_PATHS)
    try:
        with throwaway(directory_csv):
            for path in files:
                try:
                    sdef, positions = compile_text(read_file(path), str(path))
                except DefinitionError as exc:
                    for problem in exc.problems:
                        click.echo(str(problem))
                    invalid = True
                    continue
                found += lint(sdef, positions, str(path))
    except DirectoryProblem as exc:
        for line in exc.lines:
            click.echo(line, err=True)
        sys.exit(1)
    for warning in found:
        click.echo(str(warning))
    click.echo(f"{len(found)} warnings in {len(files)} definitions")
    sys.exit(1 if invalid or (strict and found) else 0)
