"""`flask init-db`, `flask users …`, `flask demo` (and `flask defs …` from app.cli.defs)."""
import click
from flask.cli import AppGroup

from app.db import db

users_cli = AppGroup("users", help="Manage users.")
exports_cli = AppGroup("exports", help="Bulk export files.")


def init_app(app):
    from app.cli import defs_tools  # noqa: F401  (adds `flask defs test` and `flask defs lint`)
    from app.cli.defs import defs_cli
    app.cli.add_command(init_db)
    app.cli.add_command(demo)
    app.cli.add_command(users_cli)
    app.cli.add_command(defs_cli)
    app.cli.add_command(worker)
    app.cli.add_command(plugins_command)
    app.cli.add_command(retention_cli)
    app.cli.add_command(exports_cli)


retention_cli = AppGroup("retention", help="Keep personal data only as long as each service says.")


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="count what would be anonymized or deleted; change nothing")
def retention_run(dry_run):
    """Anonymize or delete the instances whose retention period is over (skips 留存 holds)."""
    from app.queue.retention import run_and_record
    with db.connection_context():
        for line in run_and_record(dry_run):
            click.echo(line)


@click.command("plugins")
def plugins_command():
    """List the loaded plugins and what each registered in every registry."""
    import plugins
    from plugins.api import API_VERSION, registries
    found = registries()
    click.echo(f"plugin API {API_VERSION}")
    claimed = {label: set() for label, _ in found}
    for name, value in plugins.loaded().items():
        module = value.split(":")[0]
        click.echo(f"{name} ({value})")
        for label, registry in found:
            mine = [n for n in registry.names()
                    if registry.owner(n) == module or registry.owner(n).startswith(module + ".")]
            claimed[label].update(mine)
            if mine:
                click.echo(f"  {label}: {', '.join(mine)}")
    click.echo("built into OneHall (not plugins)")
    for label, registry in found:
        rest = [n for n in registry.names() if n not in claimed[label]]
        if rest:
            click.echo(f"  {label}: {', '.join(rest)}")


@exports_cli.command("purge")
def exports_purge():
    """Delete export files older than EXPORT_KEEP_DAYS (the worker also does it hourly)."""
    from flask import current_app

    from app.exports.jobs import keep_days, purge_old_exports
    with db.connection_context():
        removed = purge_old_exports(current_app.config)
    click.echo(f"{removed} export files older than {keep_days(current_app.config):g} days deleted")


@click.command("worker")
@click.option("--workers", default=2, show_default=True)
@click.option("--no-periodic", is_flag=True, help="leave the hourly/daily tasks to another host's worker")
def worker(workers, no_periodic):
    """Run the huey consumer that delivers notifications and background jobs."""
    from app.notify.tasks import sweep
    from app.queue import huey
    sweep()                 # at once: rows written while no consumer ran, leases of a killed one
    click.echo(f"huey consumer: {huey.storage.__class__.__name__} queue {huey.name!r}, "
               f"{workers} thread workers (several consumers may share a Redis queue)")
    huey.create_consumer(workers=workers, worker_type="thread", periodic=not no_periodic).run()


@click.command("init-db")
def init_db():
    """Create or upgrade the schema (idempotent)."""
    from app.models import create_tables
    with db.connection_context():
        create_tables()
    click.echo("database ready")


@click.command("demo")
def demo():
    """Load demo departments, users and roles (skips those that exist)."""
    from app.demo import DEMO_PASSWORD, load_demo
    with db.connection_context():
        created = load_demo()
    for username, name in created:
        click.echo(f"  {username:<10} {name}")
    click.echo(f"{len(created)} demo users created (password: {DEMO_PASSWORD})")


@users_cli.command("add")
@click.argument("username")
@click.option("--name", required=True)
@click.option("--type", "type_", type=click.Choice(["staff", "student", "external"]), required=True)
@click.option("--department", default=None)
@click.option("--roles", default="")
@click.option("--id-card", default=None)
@click.option("--phone", default=None)
@click.option("--email", default=None)
def users_add(username, name, type_, department, roles, id_card, phone, email):
    """Add a user; the initial password is the last six characters of the ID card."""
    from app.people.directory import DirectoryError, add_user
    if not id_card:
        raise click.UsageError("--id-card is required: the initial password is its last six characters")
    try:
        with db.connection_context():
            add_user(username, name=name, type=type_, department_name=department,
                     roles=[r for r in roles.split(",") if r.strip()], id_card=id_card,
                     phone=phone, email=email)
    except DirectoryError as e:
        raise click.ClickException(str(e))
    click.echo(f"user {username} created")


@users_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def users_import(path):
    """Import users from CSV: username,name,type,department,roles,id_card,phone,email."""
    from app.people.directory import import_csv
    with db.connection_context():
        created, errors = import_csv(path)
    for line in errors:
        click.echo(line, err=True)
    click.echo(f"{created} users created, {len(errors)} rejected")
    if errors:
        raise SystemExit(1)


@users_cli.command("rekey")
def users_rekey():
    """Re-encrypt every ID card number with the first key of ID_CARD_KEY."""
    from app.people.directory import rekey_id_cards
    from app.people.idcards import IdCardKeyError
    try:
        with db.connection_context():
            count = rekey_id_cards()
    except IdCardKeyError as exc:
        raise click.ClickException(str(exc))
    click.echo(f"{count} ID card numbers re-encrypted with the first key")


@users_cli.command("token")
@click.argument("username")
def users_token(username):
    """Print a new API token for USERNAME."""
    from app.people.directory import new_token
    from app.models import User
    with db.connection_context():
        user = User.get_or_none(User.username == username)
        if user is None:
            raise click.ClickException(f"no user {username}")
        click.echo(new_token(user))
