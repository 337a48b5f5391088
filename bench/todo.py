"""The to-do page under load: gunicorn (2 sync workers) on loopback, a load generator in a
separate process, against a bare Flask page with one indexed 20-row query on the same db.

Also: latency growth from 1,000 instances to the full size, SQL queries per page at 10
and at 20 rows shown, and the page requested by 500 distinct users (``todo_500users_*``;
QUICK: the 100 there are) rather than the 8 hot ones, so fragment-cache misses dominate.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

from bench.common import PASSWORD, config, counted, make_app, workdir
from bench.seed import HOT, HOT_TODOS, new_rng, seed_instances, seed_users

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGE_ROWS = 20
DISTINCT = 500                # users of the second 待办 run: each page seldom hits the fragment cache
SMALL = 1000


class Server:
    """``gunicorn -w 2`` (or ``workers``) serving ``target`` on loopback port 0; the port it
    got is read back from its "Listening at" line (never picked first and released)."""

    def __init__(self, target, env, probe, workers=2):
        self.log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", "127.0.0.1:0",
             "--log-level", "info", target],
            cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=self.log)
        self.port = self._bound_port()
        self._wait(probe)

    def _bound_port(self) -> int:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.proc.poll() is None:
            with open(self.log.name, "rb") as log:
                found = re.search(rb"Listening at: http://127\.0\.0\.1:(\d+)", log.read())
            if found:
                return int(found.group(1))
            time.sleep(0.05)
        with open(self.log.name, "rb") as log:
            tail = log.read()[-2000:]
        self.stop()
        raise RuntimeError(f"gunicorn reported no port: {tail!r}")

    def _wait(self, probe):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{probe}", timeout=2):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer on port {self.port}")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
        os.unlink(self.log.name)


def load(folder, port, requests, duration) -> dict:
    spec = {"port": port, "duration": duration, "warmup": min(1.0, duration / 4),
            "connections": 4, "requests": requests}
    path = os.path.join(folder, "load.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(spec, f)
    out = subprocess.run([sys.executable, "-m", "bench.httpload", path], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    result = json.loads(out)
    if result["errors"] or not result["requests"]:
        raise RuntimeError(f"load run failed: {result}")
    return result


def logins(app, user_ids):
    """(session cookie, API token) of each hot user, through the real login form."""
    from app.people.directory import new_token
    from app.models import User
    out = []
    for uid in user_ids:
        with app.app_context():
            user = User.get_by_id(uid)
            token = new_token(user)
        client = app.test_client()
        response = client.post("/login", data={"username": user.username, "password": PASSWORD})
        if response.status_code != 302:
            raise RuntimeError(f"bench login of {user.username} failed ({response.status_code})")
        out.append((client.get_cookie("session").value, token))
    return out


def count_queries(app, cookie, token, path, headers_for) -> int:
    """SQL statements one request runs (the app's own, through peewee)."""
    client = app.test_client()
    client.set_cookie("session", cookie)
    count, response = counted(client.get, path, headers=headers_for(token))
    assert response.status_code == 200, response.status_code
    return count


def cookie_headers(cookie, token=None):
    return {"Cookie": f"session={cookie}"}


def token_headers(token, *_):
    return {"Authorization": f"Bearer {token}"}


def queries_per_page(app, cookie, token) -> dict:
    from app.engine import queries
    out, saved = {}, queries.PAGE_SIZE
    # a first request: the session's last-seen touch (once a minute) is not the page's cost
    count_queries(app, cookie, token, "/me/items?box=todo", lambda t: {})
    try:
        for rows in (10, 20):
            queries.PAGE_SIZE = rows
            out[f"queries_per_page_{rows}"] = count_queries(
                app, cookie, token, "/me/items?box=todo", lambda t: {})
            out[f"api_queries_per_page_{rows}"] = count_queries(
                app, cookie, token, "/api/v1/me/items?box=todo", token_headers)
    finally:
        queries.PAGE_SIZE = saved
    return out


def run(quick: bool) -> dict:
    total, users_count = (10_000, 100) if quick else (100_000, 1_000)
    duration = 2.0 if quick else 8.0
    with workdir() as folder:
        return _run(folder, total, users_count, duration)


def _run(folder, total, users_count, duration):
    from app.db import db
    from app.people.passwords import hash_password
    cfg = config(folder)
    app = make_app(dict(cfg, WTF_CSRF_ENABLED=False))
    rng = new_rng()
    with app.app_context():
        db.connect(reuse_if_open=True)
        users = seed_users(db, users_count, hash_password(PASSWORD))
        serial = seed_instances(db, users, SMALL, 100_000, rng, hot_todos=HOT_TODOS)
        db.close()
    hot = logins(app, users[:HOT])
    out = {}
    html = [{"path": "/me/items?box=todo", "headers": cookie_headers(c, t)} for c, t in hot]
    api = [{"path": "/api/v1/me/items?box=todo", "headers": token_headers(t)} for c, t in hot]
    bare = [{"path": f"/todo?user={u}"} for u in users[:HOT]]
    env = {"ONEHALL_BENCH_CONFIG": json.dumps(cfg), "ONEHALL_BENCH_PAGE_SIZE": str(PAGE_ROWS),
           "ONEHALL_BENCH_DB": os.path.join(folder, "bench.db")}
    server = Server("bench.todo_wsgi:app", env, "/")
    try:
        small = load(folder, server.port, html, duration)
        with app.app_context():
            db.connect(reuse_if_open=True)
            seed_instances(db, users, total - SMALL, serial, rng)
            db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            db.close()
        baseline_server = Server("bench.bare:app", env, "/health")
        try:
            baseline = load(folder, baseline_server.port, bare, duration)
        finally:
            baseline_server.stop()
        page = load(folder, server.port, html, duration)
        api_page = load(folder, server.port, api, duration)
        many = [{"path": "/me/items?box=todo", "headers": cookie_headers(c, t)}
                for c, t in logins(app, users[:DISTINCT])]
        distinct = load(folder, server.port, many, duration)      # mostly fragment-cache misses
    finally:
        server.stop()
    out.update(todo_p50_ms=page["p50_ms"], todo_p99_ms=page["p99_ms"], todo_rps=page["rps"],
               todo_rps_ratio=page["rps"] / baseline["rps"],
               todo_latency_growth=page["p50_ms"] / small["p50_ms"],
               todo_api_p50_ms=api_page["p50_ms"], todo_api_p99_ms=api_page["p99_ms"],
               todo_api_rps_ratio=api_page["rps"] / baseline["rps"],
               bare_p50_ms=baseline["p50_ms"], bare_p99_ms=baseline["p99_ms"],
               bare_rps=baseline["rps"])
    out.update({f"todo_{len(many)}users_p50_ms": distinct["p50_ms"],
                f"todo_{len(many)}users_p99_ms": distinct["p99_ms"],
                f"todo_{len(many)}users_rps_ratio": distinct["rps"] / baseline["rps"]})
    out.update(queries_per_page(app, *hot[0]))
    return out
