"""Print HTML → PDF through WeasyPrint, in a separate renderer process.

WeasyPrint's memory grows with every document it lays out, so web workers never render:
they send the HTML over a pipe to a renderer process, replaced after ``max_tasks``
documents. Renderers use the ``spawn`` start method (safe from threaded servers) and import
nothing but WeasyPrint and this module.

Time: a document gets ``timeout`` seconds (PDF_TIMEOUT); past that its renderer is killed
and ``RenderTimeout`` raised. A renderer whose parent died exits by itself: its pipe reaches
EOF when it is idle, and a watchdog thread sees the new parent pid when it is busy.

Resources: the only URLs a document may load are the project's own static assets under
``STATIC_BASE`` (app/static/**). ``file:``, ``http(s):``, ``data:`` and everything else a
user may have typed into a field are refused by ``StaticOnlyFetcher``.
"""
from __future__ import annotations

import functools
import gc
import mimetypes
import os
import threading
import time
from multiprocessing import get_context

STATIC_DIR = os.path.realpath(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                           "app", "static"))
STATIC_BASE = "https://onehall.invalid/"      # base_url of every document; never contacted
DEFAULT_MAX_TASKS = 100
DEFAULT_TIMEOUT = 20          # seconds per document (PDF_TIMEOUT)
START_TIMEOUT = 60            # seconds for a new renderer to import WeasyPrint and say it is ready


class FetchRefused(ValueError):
    pass


def static_file(url: str) -> str | None:
    """The file under app/static that ``url`` names, or None (anything else is refused)."""
    prefix = STATIC_BASE + "static/"
    if not url.startswith(prefix):
        return None
    relative = url[len(prefix):].split("?", 1)[0].split("#", 1)[0]
    if not relative or "\\" in relative or "%" in relative:
        return None
    path = os.path.realpath(os.path.join(STATIC_DIR, relative))
    if not path.startswith(STATIC_DIR + os.sep) or not os.path.isfile(path):
        return None
    return path


@functools.cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves app/static/** from disk; every other URL raises (WeasyPrint skips it)."""

        def __init__(self):
            super().__init__(allowed_protocols=["https"], allow_redirects=False)

        def fetch(self, url, headers=None):
            path = static_file(url)
            if path is None:
                raise FetchRefused(f"resource refused: {url[:80]}")
            with open(path, "rb") as f:
                body = f.read()
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticOnlyFetcher


def StaticOnlyFetcher():     # noqa: N802 - reads like the class it builds
    return _fetcher_class()()


def html_to_pdf(html: str) -> bytes:
    """Render in this process (the renderer processes call this)."""
    from weasyprint import HTML
    return HTML(string=html, base_url=STATIC_BASE, url_fetcher=StaticOnlyFetcher()).write_pdf()


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux /proc)."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


def _init_renderer() -> None:
    """Import WeasyPrint, then freeze what is alive so the per-document gc only scans new objects."""
    import weasyprint  # noqa: F401
    gc.collect()
    gc.freeze()


def _render_job(html: str) -> tuple[bytes, float, int]:
    """One document; a full collection afterwards frees the reference cycles WeasyPrint leaves
    (without it a renderer grows by hundreds of MB within a few dozen documents)."""
    pdf = html_to_pdf(html)
    gc.collect()
    return pdf, rss_mb(), os.getpid()


def _warm_job(_=None) -> tuple[float, int]:
    return rss_mb(), os.getpid()


JOBS = {"render": _render_job, "warm": _warm_job}


def _watch_parent(parent_pid: int, interval: float = 0.5) -> None:
    """Exit as soon as the process that started us is gone (we were re-parented), even in
    the middle of a document: an orphaned renderer must not live on."""
    def watch():
        while os.getppid() == parent_pid:
            time.sleep(interval)
        os._exit(0)
    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _serve(conn, parent_pid: int) -> None:
    """A renderer process: answer (job, payload) messages until None, or until the pipe
    from the parent reaches EOF (the parent died)."""
    _watch_parent(parent_pid)
    _init_renderer()
    conn.send(("ready", os.getpid()))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        if message is None:
            return
        job, payload = message
        try:
            conn.send(("ok", JOBS[job](payload)))
        except Exception as e:          # reported to the caller, the process stays usable
            conn.send(("error", f"{type(e).__name__}: {e}"))


class RenderTimeout(TimeoutError):
    """The document took longer than the time limit; its renderer was killed."""


class RendererDied(RuntimeError):
    pass


class _Process:
    """One renderer process and our end of its pipe."""

    def __init__(self, start_timeout: float):
        ctx = get_context("spawn")
        self.conn, child_end = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child_end, os.getpid()), daemon=True,
                                   name="onehall-pdf-renderer")
        self.process.start()
        child_end.close()
        self.pid, self.done = self.process.pid, 0
        try:
            if self.conn.poll(start_timeout):
                kind, _ = self.conn.recv()
                if kind == "ready":
                    return
        except (EOFError, OSError):
            pass
        self.kill()
        raise RendererDied("the PDF renderer did not start")

    def call(self, job: str, payload, timeout: float):
        try:
            self.conn.send((job, payload))
            ready = self.conn.poll(timeout)
            if ready:
                kind, value = self.conn.recv()
        except (EOFError, OSError) as e:
            raise RendererDied(str(e) or "the PDF renderer died") from e
        if not ready:
            raise RenderTimeout(f"no PDF after {timeout:g} s")
        self.done += 1
        if kind == "error":
            raise RuntimeError(value)
        return value

    def kill(self):
        if self.process.is_alive():
            self.process.kill()
        self.process.join(10)
        self.conn.close()

    def stop(self):
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(5)
        self.kill()


class Renderer:
    """Up to ``processes`` renderer processes, each replaced after ``max_tasks`` documents (a
    backstop: the collection after every document already keeps a renderer's memory flat).

    A document that takes longer than ``timeout`` seconds raises ``RenderTimeout`` and its
    renderer is killed (a new one starts for the next document); a renderer that died is
    replaced and the document tried once more.
    """

    def __init__(self, processes: int = 1, max_tasks: int = DEFAULT_MAX_TASKS,
                 timeout: float = DEFAULT_TIMEOUT, start_timeout: float = START_TIMEOUT):
        self.processes, self.max_tasks, self.timeout = processes, max_tasks, timeout
        self.start_timeout = start_timeout
        self.last_rss_mb, self.last_pid = 0.0, None
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max(int(processes), 1))
        self._idle: list[_Process] = []
        self._all: set[_Process] = set()

    def _take(self) -> _Process:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        proc = _Process(self.start_timeout)
        with self._lock:
            self._all.add(proc)
        return proc

    def _give_back(self, proc: _Process) -> None:
        if proc.done >= self.max_tasks:
            self._drop(proc, graceful=True)
            return
        with self._lock:
            self._idle.append(proc)

    def _drop(self, proc: _Process, graceful=False) -> None:
        with self._lock:
            self._all.discard(proc)
        proc.stop() if graceful else proc.kill()

    def _call(self, job: str, payload, timeout: float):
        with self._slots:
            for attempt in (1, 2):
                proc = self._take()
                try:
                    value = proc.call(job, payload, timeout)
                except RenderTimeout:
                    self._drop(proc)
                    raise
                except RendererDied:
                    self._drop(proc)
                    if attempt == 2:
                        raise
                    continue
                except BaseException:
                    self._give_back(proc)
                    raise
                self._give_back(proc)
                return value
        raise AssertionError("unreachable")

    def render(self, html: str, timeout: float | None = None) -> bytes:
        """The PDF of ``html`` within ``timeout`` seconds (default: the renderer's)."""
        pdf, self.last_rss_mb, self.last_pid = self._call("render", html, timeout or self.timeout)
        return pdf

    def warm(self) -> float:
        rss, self.last_pid = self._call("warm", None, self.start_timeout)
        return rss

    def pids(self) -> list[int]:
        with self._lock:
            return sorted(p.pid for p in self._all)

    def close(self):
        with self._lock:
            procs, self._all, self._idle = list(self._all), set(), []
        for proc in procs:
            proc.stop()


_renderer: Renderer | None = None
_renderer_pid: int | None = None
_renderer_lock = threading.Lock()


def renderer(processes: int = 1, max_tasks: int = DEFAULT_MAX_TASKS) -> Renderer:
    """This process's renderer pool (a forked web worker gets its own)."""
    global _renderer, _renderer_pid
    with _renderer_lock:
        if _renderer is None or _renderer_pid != os.getpid():
            _renderer, _renderer_pid = Renderer(processes, max_tasks), os.getpid()
        return _renderer


def render_pdf(html: str, *, processes: int = 1, max_tasks: int = DEFAULT_MAX_TASKS,
               timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Print HTML → PDF bytes, rendered out of this process within ``timeout`` seconds
    (``RenderTimeout`` otherwise)."""
    return renderer(processes, max_tasks).render(html, timeout)
