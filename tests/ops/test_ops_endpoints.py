"""/healthz, /readyz (503 naming what is down) and /metrics (Prometheus text, restricted)."""
import re

import pytest
from prometheus_client.parser import text_string_to_metric_families

from app import create_app
from app.models.notify import Notification
from tests.conftest import login, make_config


def samples(text):
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_healthz_and_readyz_answer_while_everything_is_up(client):
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json() == {
        "ready": True, "failed": [], "database": "ok", "queue": "ok"}


def test_readyz_names_the_queue_when_redis_does_not_answer(app_config):
    app = create_app(dict(app_config, HUEY_URL="redis://127.0.0.1:9/0"))
    response = app.test_client().get("/readyz")
    body = response.get_json()
    assert response.status_code == 503 and body["failed"] == ["queue"] and body["database"] == "ok"
    assert "ConnectionError" in body["queue"]
    assert app.test_client().get("/healthz").status_code == 200      # still serving


def test_readyz_names_the_database_when_postgresql_does_not_answer(tmp_path):
    app = create_app(make_config(tmp_path, DATABASE_URL="postgresql://onehall@127.0.0.1:9/onehall"))
    response = app.test_client().get("/readyz")
    body = response.get_json()
    assert response.status_code == 503 and body["failed"] == ["database"] and body["queue"] == "ok"
    assert "OperationalError" in body["database"]
    assert app.test_client().get("/healthz").status_code == 200


def test_metrics_count_requests_per_endpoint_and_read_the_backlog(app):
    from app.exports.tasks import run_export
    me = login(app.test_client(), "t2001")
    for _ in range(3):
        assert me.get("/me/items?box=todo").status_code in (200, 302)
    run_export(0)                                     # a task waits: no worker runs here
    with app.app_context():
        pending = Notification.select().where(Notification.status.in_(("pending", "sending"))).count()
    response = app.test_client().get("/metrics")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    got = samples(response.get_data(as_text=True))
    login_posts = [v for (name, labels), v in got.items() if name == "onehall_http_requests_total"
                   and dict(labels).get("endpoint") == "auth.login" and dict(labels)["method"] == "POST"]
    assert login_posts and login_posts[0] >= 1
    counts = [v for (name, labels), v in got.items() if name == "onehall_http_request_duration_seconds_count"
              and dict(labels).get("endpoint") == "center.items"]
    assert counts and counts[0] >= 3
    assert got[("onehall_outbox_pending", ())] == pending
    assert got[("onehall_queue_depth", ())] >= 1


def test_metrics_only_for_allowed_addresses_or_the_token(app_config):
    app = create_app(dict(app_config, METRICS_TOKEN="s3cret-token", METRICS_ALLOW="127.0.0.1, 10.0.0.9"))
    c = app.test_client()
    outside = {"REMOTE_ADDR": "10.0.0.5"}
    assert c.get("/metrics", environ_base=outside).status_code == 403
    assert c.get("/metrics", environ_base=outside, headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert c.get("/metrics", environ_base=outside,
                 headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
    assert c.get("/metrics", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 200
    behind_proxy = create_app(dict(app_config, TRUSTED_PROXIES=1)).test_client()
    spoofed = behind_proxy.get("/metrics", environ_base=outside, headers={"X-Forwarded-For": "127.0.0.1"})
    relayed = behind_proxy.get("/metrics", headers={"X-Forwarded-For": "10.0.0.5"})   # via a local proxy
    assert spoofed.status_code == 403 and relayed.status_code == 403
    assert behind_proxy.get("/metrics").status_code == 200
    no_token = create_app(dict(app_config, METRICS_TOKEN=""))
    assert no_token.test_client().get("/metrics", environ_base=outside,
                                      headers={"Authorization": "Bearer "}).status_code == 403
