"""``flask defs validate|import|export`` — registered by the app as ``app.cli.add_command(defs_cli)``.

The commands run inside the Flask app context when started by ``flask``; invoked directly
(tests, scripts) they use whatever database is already bound.
"""
from __future__ import annotations

import json
import sys

import click
from flask import current_app
from flask.cli import AppGroup, ScriptInfo

from app.defs.compile import compile_text, read_file, to_yaml
from app.defs.exceptions import DefinitionError
from app.defs.jsonschema_form import form_to_schema
from app.defs.store import NEW_VERSION, UNCHANGED, definition_paths, import_file, latest_version, load_version

defs_cli = AppGroup("defs", help="Validate, import and export service definitions.")


def _app_context() -> None:
    """Push the app context when a Flask ScriptInfo is around and none is active."""
    ctx = click.get_current_context()
    if current_app:
        return
    info = ctx.find_object(ScriptInfo)
    if info is not None:
        ctx.with_resource(info.load_app().app_context())


def _emit(text: str, output: str | None) -> None:
    """Write ``text`` to the file ``output``, or to standard output."""
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        click.echo(text, nl=False)


def _print_problems(error: DefinitionError) -> None:
    for problem in error.problems:
        click.echo(str(problem))


@defs_cli.command("validate", with_appcontext=False)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def validate_command(paths):
    """Check definition files (or folders of *.yaml); print path:line:col: message per problem."""
    files = definition_paths(paths)
    failed = False
    for path in files:
        try:
            compile_text(read_file(path), str(path))
        except DefinitionError as exc:
            _print_problems(exc)
            failed = True
    if failed:
        sys.exit(1)
    click.echo(f"ok: {len(files)} definitions")


@defs_cli.command("import", with_appcontext=False)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def import_command(paths):
    """Import definition files or folders; unchanged ones are left alone."""
    _app_context()
    failed = False
    for path in definition_paths(paths):
        try:
            service, version, status = import_file(path)
        except DefinitionError as exc:
            _print_problems(exc)
            failed = True
            continue
        if status != UNCHANGED:
            from app import audit
            audit.record("import", None, f"flask defs import {path}: {service.slug} 版本 {version.version}")
        label = f"new version {version.version}" if status == NEW_VERSION else status
        click.echo(f"{label}: {path}")
        _remember_scenarios(path, service.slug)
    if failed:
        sys.exit(1)


def _remember_scenarios(path, slug) -> None:
    """The definition's scenario file (NAME.test.yaml) goes with it, for the designer."""
    from app.defs.scenarios import remember_for
    remember_for(path, slug)


@defs_cli.command("export", with_appcontext=False)
@click.argument("service_id")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="write to FILE")
@click.option("--schema", "as_schema", is_flag=True, help="print the JSON Schema of the form")
@click.option("--ui-schema", "as_ui_schema", is_flag=True, help="print the form's uiSchema (schema-defined services)")
def export_command(service_id, output, as_schema, as_ui_schema=False):
    """Print the latest version of a service as YAML (or its form as JSON Schema: a service
    defined by a schema gives that schema back unchanged)."""
    _app_context()
    from app.models import Service
    service = Service.get_or_none(Service.slug == service_id)
    version = latest_version(service) if service is not None else None
    if version is None:
        click.echo(f"unknown service {service_id!r}", err=True)
        sys.exit(1)
    service_def = load_version(version)
    if as_ui_schema:
        ui = json.loads(service_def.form.ui_schema) if service_def.form.ui_schema else {}
        text = json.dumps(ui, ensure_ascii=False, indent=2) + "\n"
    elif as_schema:
        schema = service_def.form.json_schema or form_to_schema(service_def.form)
        text = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    else:
        text = to_yaml(service_def)
    _emit(text, output)


@defs_cli.command("new", with_appcontext=False)
@click.option("--from-schema", "schema_path", required=True, type=click.Path(dir_okay=False),
              help="a bare JSON Schema file (draft 4, 6, 7, 2019-09 or 2020-12)")
@click.option("--name", required=True, help="事项名称")
@click.option("--department", required=True, help="主办部门")
@click.option("--id", "slug", default=None, help="the service id (default: from the file name)")
@click.option("--ui-schema", "ui_path", default=None, type=click.Path(dir_okay=False),
              help="a react-jsonschema-form uiSchema file")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="write to FILE")
def new_command(schema_path, name, department, slug, ui_path, output):
    """Wrap a bare JSON Schema into a draft definition (applicant step + the applicant's
    department leader); the result is validated, problems printed as path:line:col."""
    from pathlib import Path

    from app.defs import wrap
    texts = {}
    for label, path in (("schema", schema_path), ("ui", ui_path)):
        if path is None:
            continue
        try:
            texts[label] = json.loads(read_file(path))
        except DefinitionError as exc:
            _print_problems(exc)
            sys.exit(1)
        except ValueError as exc:
            click.echo(f"{path}:{getattr(exc, 'lineno', 1)}:{getattr(exc, 'colno', 1)}: not JSON: "
                       f"{getattr(exc, 'msg', exc)}")
            sys.exit(1)
    schema = texts["schema"]
    if not wrap.is_bare_schema(schema):
        click.echo(f"{schema_path}:1:1: not a bare JSON Schema (an object with 'properties'); "
                   "a OneHall definition is imported with 'flask defs import'")
        sys.exit(1)
    text = wrap.wrap_text(schema, name=name, department=department, ui_schema=texts.get("ui"),
                          slug=slug or wrap.slug_for(Path(schema_path).stem, schema.get("title"), name))
    try:
        compile_text(text, output or schema_path)
    except DefinitionError as exc:
        _print_problems(exc)
        sys.exit(1)
    _emit(text, output)


@defs_cli.command("meta-schema", with_appcontext=False)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="write to FILE")
@click.option("--builtin-only", is_flag=True,
              help="only the built-in field types and assignee kinds (what definitions/ ships)")
def meta_schema_command(output, builtin_only):
    """Print the format's meta-schema, with the field types and assignee kinds of every
    loaded plugin."""
    from app.defs.metaschema import build_meta_schema
    text = json.dumps(build_meta_schema(builtin_only), ensure_ascii=False, indent=2) + "\n"
    _emit(text, output)


@defs_cli.command("migrate", with_appcontext=False)
@click.argument("service_id")
@click.option("--to", "to_version", required=True, help="the version number to move to")
@click.option("--serials", default=None, help="only these 流水号, comma-separated (omit for all)")
@click.option("--dry-run", is_flag=True, help="report what would happen; move nothing")
def migrate_command(service_id, to_version, serials, dry_run):
    """Move running instances of a service to another of its versions.

    Prints ``SERIAL: ok`` or ``SERIAL: blocked: <reason>`` per instance; exit 0 when all
    listed are ok, 3 when some are blocked, 1 when the service or version is unknown."""
    _app_context()
    from app.engine import migrate
    from app.engine.exceptions import EngineError
    from app.models import Service
    service = Service.get_or_none(Service.slug == service_id)
    if service is None:
        click.echo(f"unknown service {service_id!r}", err=True)
        sys.exit(1)
    wanted = _serials(serials)
    try:
        version = migrate.target_version(service, to_version)
        outcomes, moved = migrate.run(service, version, wanted, dry_run=dry_run)
    except EngineError as exc:
        click.echo(exc.message, err=True)
        sys.exit(1)
    for outcome in outcomes:
        click.echo(outcome.line())
    verb = "would move" if dry_run else "moved"
    click.echo(f"{service_id}: {verb} {len([o for o in outcomes if o.ok]) if dry_run else len(moved)}, "
               f"blocked {len([o for o in outcomes if not o.ok])}")
    _audit("migrate", f"{service_id} → v{version.version}: moved {len(moved)}", dry_run)
    sys.exit(3 if any(not o.ok for o in outcomes) else 0)


def _serials(text):
    """``--serials``: None (omitted) means all; an empty or bad list is a usage error (exit 2),
    never "all" and never a traceback."""
    from app.engine.core import parse_serial
    if text is None:
        return None
    items = [s for s in text.replace(" ", "").split(",") if s]
    if not items:
        raise click.UsageError("--serials is empty: list the 流水号 to move, or leave the option "
                               "out to move every running instance")
    bad = [s for s in items if parse_serial(s) is None]
    if bad:
        raise click.UsageError(f"--serials: not a 流水号: {', '.join(b[:30] for b in bad[:5])}")
    return [parse_serial(s) for s in items]


def _audit(kind, detail, dry_run=False):
    """An audit record when the audit log exists (it is optional for these commands)."""
    if dry_run:
        return
    try:
        from app import audit
    except ImportError:
        return
    audit.record(kind, None, detail)


@defs_cli.command("from-document", with_appcontext=False)
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--department", default=None, help="主办部门 of the draft")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="write the YAML to FILE (and the guesses to FILE.guesses.json)")
def from_document_command(path, department, output):
    """Read a paper form (.docx / .xlsx) into a draft definition; print one line per guess.
    Exit 2 with one line when the document cannot be read."""
    from app.paper import cli as paper_cli
    _app_context()
    sys.exit(paper_cli.from_document(path, department, output, _emit))
