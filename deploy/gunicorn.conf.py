"""gunicorn settings for OneHall: ``gunicorn -c deploy/gunicorn.conf.py wsgi:app``.

With PROMETHEUS_MULTIPROC_DIR set, /metrics sums every worker's figures; this file empties
that folder at start and drops a dead worker's live gauges (prometheus_client multiprocess).
"""
import glob
import os

bind = os.environ.get("ONEHALL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
timeout = 60
forwarded_allow_ips = "127.0.0.1"       # nginx on the same host sets X-Forwarded-*
accesslog = "-"


def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for path in glob.glob(os.path.join(folder, "*.db")):
            os.remove(path)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess
        multiprocess.mark_process_dead(worker.pid)
