"""Operators' endpoints: ``/healthz``, ``/readyz`` and ``/metrics`` (Prometheus text).

Request counts and latency are recorded per endpoint by two cheap hooks (a clock read and
a cached histogram child per endpoint). Outbox and queue figures are read when scraped.
Under gunicorn with several workers set ``PROMETHEUS_MULTIPROC_DIR`` (an empty folder,
before start) and use ``deploy/gunicorn.conf.py``: each worker writes its figures there and
``/metrics`` sums them (prometheus_client's multiprocess mode).
"""
from __future__ import annotations

import hmac
import logging
import os
import time

from flask import Blueprint, Response, abort, current_app, g, jsonify, request
from prometheus_client import (CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, disable_created_metrics,
                               generate_latest)
from prometheus_client.core import GaugeMetricFamily

log = logging.getLogger(__name__)
bp = Blueprint("ops", __name__)
MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
disable_created_metrics()                # no *_created series: start times are not what operators chart
BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter("onehall_http_requests_total", "HTTP requests answered, per endpoint, method and status",
                   ("endpoint", "method", "status"))
LATENCY = Histogram("onehall_http_request_duration_seconds", "Time to answer a request, per endpoint",
                    ("endpoint",), buckets=BUCKETS)
_latency_children: dict = {}
_request_children: dict = {}


# ---------------------------------------------------------------- health

@bp.route("/healthz")
def healthz():
    """200 while the process serves requests; touches nothing else."""
    return Response("ok\n", mimetype="text/plain")


@bp.route("/readyz")
def readyz():
    """200 when the database and the queue answer, else 503 naming which do not."""
    checks = {"database": _check_database, "queue": _check_queue}
    results, failed = {}, []
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:           # any failure of a dependency means "not ready"
            results[name] = f"{type(exc).__name__}: {exc}"[:300]
            failed.append(name)
            log.warning("readyz: %s not ready: %s", name, results[name])
    body = {"ready": not failed, "failed": failed, **results}
    return jsonify(body), (503 if failed else 200)


def _check_database():
    from app.db import db, is_sqlite
    opened = db.connect(reuse_if_open=True)
    try:
        db.execute_sql("SELECT 1").fetchone()
    finally:
        if opened and not is_sqlite():
            db.close()                      # back to the pool


def _check_queue():
    from app.queue import huey
    huey.storage.queue_size()


# ---------------------------------------------------------------- metrics

@bp.route("/metrics")
def metrics():
    if not _may_scrape():
        abort(403)
    registry = CollectorRegistry()
    if MULTIPROCESS:
        from prometheus_client import multiprocess
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(_Backlog())
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def _may_scrape() -> bool:
    token = current_app.config.get("METRICS_TOKEN") or ""
    sent = request.headers.get("Authorization", "")
    if token and sent.startswith("Bearer ") and hmac.compare_digest(sent[7:].strip().encode(), token.encode()):
        return True
    allowed = {a.strip() for a in str(current_app.config.get("METRICS_ALLOW") or "").split(",") if a.strip()}
    # Both the client (after ProxyFix) and the peer that connected must be allowed: a spoofed
    # X-Forwarded-For sent straight to gunicorn fails on the peer, a scrape relayed by a
    # local proxy on the forwarded client.
    peer = request.environ.get("werkzeug.proxy_fix.orig", {}).get("REMOTE_ADDR", request.remote_addr)
    return request.remote_addr in allowed and peer in allowed


class _Backlog:
    """Outbox rows waiting to be sent and tasks waiting in the queue, read at scrape time."""

    def collect(self):
        from app.models.notify import Notification
        from app.queue import huey
        outbox = GaugeMetricFamily("onehall_outbox_pending", "Notifications waiting to be sent (pending or sending)")
        queue = GaugeMetricFamily("onehall_queue_depth", "Tasks waiting in the huey queue")
        try:
            outbox.add_metric([], Notification.select().where(
                Notification.status.in_(("pending", "sending"))).count())
        except Exception as exc:
            log.warning("metrics: outbox count failed: %s", exc)
        try:
            queue.add_metric([], huey.storage.queue_size())
        except Exception as exc:
            log.warning("metrics: queue size failed: %s", exc)
        yield outbox
        yield queue


PROBES = {"ops.healthz": healthz, "ops.readyz": readyz}


def _start():
    """First hook of every request. The probes answer here, before the others run: no
    session, no login, and no database connection unless /readyz opens one to test it."""
    g.ops_started = time.perf_counter()
    probe = PROBES.get(request.endpoint)
    if probe is not None:
        return probe()


def _record(response):
    started = g.pop("ops_started", None)
    if started is not None:
        endpoint = request.endpoint or "(unmatched)"
        child = _latency_children.get(endpoint)
        if child is None:
            child = _latency_children[endpoint] = LATENCY.labels(endpoint)
        child.observe(time.perf_counter() - started)
        key = (endpoint, request.method, response.status_code)
        counter = _request_children.get(key)
        if counter is None:
            counter = _request_children[key] = REQUESTS.labels(endpoint, request.method, str(response.status_code))
        counter.inc()
    return response


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_record)
