"""The PDF renderer's limits: a document past PDF_TIMEOUT gets a clear answer and its renderer
is killed; a renderer whose parent died exits by itself (idle or in the middle of a page)."""
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from tests.conftest import ROOT


def gone(pid) -> bool:
    """No such process any more (or only its zombie, waiting for init to reap it)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            return any(line.startswith("State:") and "Z" in line for line in f)
    except FileNotFoundError:
        return True


def wait_gone(pid, timeout=10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if gone(pid):
            return True
        time.sleep(0.1)
    return False


def long_trip(start_trip):
    return start_trip(trips=[{"day": "2026-05-01", "city": f"第{i}站" + "城市" * 20} for i in range(400)])


def test_a_pdf_past_the_time_limit_gets_a_clear_message_and_its_renderer_is_killed(
        app, contract, start_trip, login_as):
    from renderers.pdf import renderer
    client = login_as("t2001")
    assert client.get(f"/instances/{contract.serial}/export.pdf").status_code == 200
    busy = renderer().last_pid
    slow = long_trip(start_trip)
    app.config["PDF_TIMEOUT"] = 1
    started = time.monotonic()
    response = client.get(f"/instances/{slow.serial}/export.pdf")
    assert time.monotonic() - started < 10
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "PDF 生成超时（超过 1 秒）" in page and "Traceback" not in page
    assert wait_gone(busy, 5), "the renderer that ran out of time is still alive"
    assert busy not in renderer().pids()
    app.config["PDF_TIMEOUT"] = 20
    again = client.get(f"/instances/{contract.serial}/export.pdf")           # a new renderer
    assert again.status_code == 200 and again.data.startswith(b"%PDF")


PARENT = textwrap.dedent("""
    import sys, threading, time
    sys.path.insert(0, {root!r})
    from renderers.pdf import renderer

    if __name__ == "__main__":
        r = renderer()
        r.warm()
        if sys.argv[1] == "busy":
            rows = "".join(f"<tr><td>第{{i}}行</td><td>{{'内容' * 30}}</td></tr>" for i in range(5000))
            html = f'<html lang="zh-CN"><body><table>{{rows}}</table></body></html>'
            threading.Thread(target=lambda: r.render(html), daemon=True).start()
            time.sleep(1.5)
        print(r.last_pid, flush=True)
        time.sleep(120)
""")


@pytest.mark.parametrize("state", ["idle", "busy"])
def test_a_renderer_whose_parent_was_killed_exits_by_itself(tmp_path, state):
    script = tmp_path / "parent.py"
    script.write_text(PARENT.format(root=ROOT))
    parent = subprocess.Popen([sys.executable, str(script), state], stdout=subprocess.PIPE, text=True)
    try:
        child = int(parent.stdout.readline())
        assert not gone(child)
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        assert wait_gone(child, 5), f"renderer {child} outlived its parent ({state})"
    finally:
        parent.kill()
        parent.wait(10)
        if "child" in locals() and not gone(child):
            os.kill(child, signal.SIGKILL)
