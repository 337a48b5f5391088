"""Notify fixtures: a real SMTP server (aiosmtpd), a scripted local webhook server, and a
real huey consumer (threads) over the test's SQLite queue file."""
import json
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller



class BoundController(Controller):
    """aiosmtpd's Controller on port 0: the port the kernel gave is read back from the bound
    socket before the first connection (a port picked and released first may be taken by
    another process before the server binds it)."""

    def __init__(self, handler, **kwargs):
        super().__init__(handler, hostname="127.0.0.1", port=0, **kwargs)

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def wait_until(predicate, timeout=15.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {predicate}")


class Inbox:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos),
                                  message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"

    def to(self, address):
        return [m for rcpts, m in self.messages if address in rcpts]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = BoundController(inbox)
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


class Webhook:
    """A local HTTP server: answers each POST with the next scripted status (the last repeats)."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.bodies = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                hook.bodies.append((self.path, self.headers.get("Content-Type"),
                                    json.loads(self.rfile.read(length))))
                status = hook.statuses.pop(0) if len(hook.statuses) > 1 else hook.statuses[0]
                answer = {"errcode": 0 if status == 200 else 500, "errmsg": "ok"}
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/cgi-bin/webhook/send?key=test"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook():
    servers = []

    def make(*statuses):
        servers.append(Webhook(statuses or (200,)))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


@pytest.fixture
def app_config(app_config, smtp):
    app_config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, MAIL_FROM="hall@example.edu.cn",
                      BASE_URL="https://hall.example.edu.cn", WECOM_WEBHOOK_HOSTS="127.0.0.1",
                      NOTIFY_RETRY_SECONDS=0.05, NOTIFY_MAX_ATTEMPTS=3, NOTIFY_LEASE_SECONDS=300)
    return app_config


class Consumer:
    """A real huey consumer (two worker threads and the scheduler) over the app's queue."""

    def __init__(self):
        self.consumer = None

    def start(self, workers=2):
        from app.queue import huey
        saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
        self.consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True,
                                             initial_delay=0.02, max_delay=0.2,
                                             check_worker_health=False)
        self.consumer.start()
        for sig, handler in saved.items():          # keep pytest's Ctrl-C handling
            signal.signal(sig, handler)
        return self

    def stop(self):
        if self.consumer is not None:
            self.consumer.stop(graceful=True)
            self.consumer = None


@pytest.fixture
def consumer(app):
    c = Consumer()
    yield c
    c.stop()
