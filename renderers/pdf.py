"""Print HTML → PDF through WeasyPrint, in a separate renderer process.

WeasyPrint's memory grows with every document it lays out, so web workers never render:
they send the HTML to a small process pool whose processes are replaced after
``max_tasks`` documents. The pool uses the ``spawn`` start method (safe from threaded
servers) and imports nothing but WeasyPrint and this module.

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
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context

STATIC_DIR = os.path.realpath(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                           "app", "static"))
STATIC_BASE = "https://onehall.invalid/"      # base_url of every document; never contacted
DEFAULT_MAX_TASKS = 100
DEFAULT_TIMEOUT = 120


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


def _warm_job() -> tuple[float, int]:
    return rss_mb(), os.getpid()


class Renderer:
    """A pool of renderer processes, each replaced after ``max_tasks`` documents (a backstop:
    the collection after every document already keeps a renderer's memory flat)."""

    def __init__(self, processes: int = 1, max_tasks: int = DEFAULT_MAX_TASKS,
                 timeout: float = DEFAULT_TIMEOUT):
        self.processes, self.max_tasks, self.timeout = processes, max_tasks, timeout
        self.last_rss_mb, self.last_pid = 0.0, None
        self._lock = threading.Lock()
        self._pool = None

    def _executor(self):
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=self.processes, mp_context=get_context("spawn"),
                                                 initializer=_init_renderer,
                                                 max_tasks_per_child=self.max_tasks)
            return self._pool

    def render(self, html: str) -> bytes:
        """The PDF of ``html``; a renderer that died is replaced and the document retried once."""
        for attempt in (1, 2):
            try:
                future = self._executor().submit(_render_job, html)
                pdf, self.last_rss_mb, self.last_pid = future.result(self.timeout)
                return pdf
            except BrokenProcessPool:
                self._discard()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def warm(self) -> float:
        rss, self.last_pid = self._executor().submit(_warm_job).result(self.timeout)
        return rss

    def _discard(self):
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self):
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


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


def render_pdf(html: str, *, processes: int = 1, max_tasks: int = DEFAULT_MAX_TASKS) -> bytes:
    """Print HTML → PDF bytes, rendered out of this process."""
    return renderer(processes, max_tasks).render(html)
