"""Accounts: login, sessions, lock-out, password policy and recovery, 个人信息."""
from app.auth.routes import bp  # noqa: F401


def init_app(app):
    """Cookie security, the real client address behind proxies, ID-number-free logs."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    from app.auth.privacy import install_log_masking, setup_onehall_logger
    from app.auth.sessions import SessionInterface
    app.session_interface = SessionInterface()
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    from app.auth import oidc
    oidc.init_app(app)                      # 统一身份认证 through an OpenID Connect provider
    install_log_masking()
    setup_onehall_logger()
    _cli(app)


def _cli(app):
    import click

    @app.cli.group("accounts")
    def accounts():
        """Account housekeeping."""

    @accounts.command("purge")
    def purge():
        """Delete stale lock-out counters, expired SMS codes and ended sessions."""
        from app.auth.housekeeping import purge_all
        click.echo(purge_all())
