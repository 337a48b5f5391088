"""/metrics under gunicorn with two workers (prometheus_client multiprocess mode): the counts
of every worker are summed, whichever worker answers the scrape."""
import json
import os
import shutil
import subprocess
import sys

import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import CHEAP_HASH, ROOT, TEST_ID_CARD_KEY
from tests.ops.s3server import free_port, wait_listening


def test_two_workers_counts_are_summed(tmp_path, seeded_db_file):
    shutil.copy(seeded_db_file, tmp_path / "onehall.db")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONEHALL_")}
    env.update(PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"), INSTANCE_PATH=str(tmp_path / "instance"),
               SECRET_KEY="metrics", ID_CARD_KEY=TEST_ID_CARD_KEY, PASSWORD_HASH=json.dumps(CHEAP_HASH),
               DATABASE_URL=f"sqlite:///{tmp_path / 'onehall.db'}", HUEY_URL=f"sqlite:///{tmp_path / 'huey.db'}",
               UPLOAD_DIR=str(tmp_path / "uploads"), ONEHALL_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="2",
               PYTHONPATH=ROOT)
    (tmp_path / "metrics").mkdir()
    (tmp_path / "metrics" / "counter_999999.db").write_bytes(b"stale")     # emptied at start
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "wsgi:app"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "gunicorn.log", "w"))
    try:
        wait_listening(port, proc, seconds=60)
        url = f"http://127.0.0.1:{port}"
        assert requests.get(url + "/healthz", timeout=90).status_code == 200      # workers booted
        for _ in range(40):
            with requests.Session() as fresh:                # new connections: both workers answer
                assert fresh.get(url + "/healthz", timeout=10).status_code == 200
        text = requests.get(url + "/metrics", timeout=10).text
    finally:
        proc.terminate()
        proc.wait(15)
    healthz = [s for f in text_string_to_metric_families(text) for s in f.samples
               if s.name == "onehall_http_requests_total" and s.labels.get("endpoint") == "ops.healthz"]
    assert sum(s.value for s in healthz) == 41
    pids = {p.split("_")[-1] for p in os.listdir(tmp_path / "metrics")}
    assert "999999.db" not in pids and len(pids) >= 1
    assert "onehall_queue_depth" in text and "onehall_outbox_pending" in text
