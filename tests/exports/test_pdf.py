"""PDF export: A4, embedded Chinese font, the text; nothing outside our static assets is read."""
import http.server
import subprocess
import threading

import pytest


def pdf_text(data, tmp_path, name="out.pdf"):
    path = tmp_path / name
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    attachments = subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True, text=True,
                                 check=True).stdout
    return text, fonts, info, attachments


@pytest.fixture
def recording_server():
    """A local HTTP server that records every request it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { background: red; }")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_pdf_is_a4_with_an_embedded_chinese_font_and_the_form(contract, login_as, tmp_path):
    response = login_as("t2001").get(f"/instances/{contract.serial}/export.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text, fonts, info, _ = pdf_text(response.data, tmp_path)
    assert "Noto-Sans-CJK-SC" in fonts and " yes " in fonts.splitlines()[2]
    assert "595.276 x 841.89 pts (A4)" in info
    for expected in ("齐鲁工业大学技术合同审批表", "项目名称", "高强度纸基材料制备技术开发", "甲方",
                     "山东晨鸣纸业集团", "85.50万元", "项目负责人承诺", "所在单位负责人审核",
                     "同意，请科研处审批", "张华", str(contract.serial), "打印日期"):
        assert expected in text, expected


def test_hostile_field_values_neither_leak_nor_fetch(start_contract, login_as, tmp_path, recording_server):
    url, hits = recording_server
    inst = start_contract(
        project='<img src="file:///etc/passwd"><link rel=attachment href=file:///etc/passwd>',
        party_a=f'<img src="{url}/img"><link rel=stylesheet href="{url}/css">',
        party_b=f"{url}/plain",
    )
    response = login_as("t2001").get(f"/instances/{inst.serial}/export.pdf")
    assert response.status_code == 200
    text, _, _, attachments = pdf_text(response.data, tmp_path)
    assert "root:" not in text and "0 embedded files" in attachments
    assert '<img src="file:///etc/passwd">' in text.replace("\n", "")    # shown as the text typed
    assert hits == []


def test_the_fetcher_refuses_everything_but_our_static_assets(tmp_path, recording_server):
    """Even raw HTML (not escaped) cannot make the renderer read files or the network."""
    from renderers.pdf import html_to_pdf
    url, hits = recording_server
    html = f"""<html lang="zh-CN"><head>
      <link rel="stylesheet" href="{url}/style.css">
      <link rel="stylesheet" href="/static/css/app.css">
      <link rel="attachment" href="file:///etc/passwd">
      <link rel="attachment" href="/static/../../../etc/passwd">
      <link rel="attachment" href="/static/css/app.css">
      </head><body style='font-family: "Noto Sans CJK SC"'>
      <p>核验</p><img src="file:///etc/passwd"><img src="{url}/img.png">
      <img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E">
      <iframe src="file:///etc/passwd"></iframe><object data="file:///etc/hostname"></object>
      <div style="background: url({url}/bg.png)">背景</div></body></html>"""
    text, _, _, attachments = pdf_text(html_to_pdf(html), tmp_path)
    assert hits == [] and "root:" not in text
    lines = attachments.splitlines()
    assert lines[0] == "1 embedded files" and "app.css" in lines[1]     # our own asset only
    assert "核验" in text


def test_static_file_resolution():
    from renderers.pdf import STATIC_BASE, static_file
    assert static_file(STATIC_BASE + "static/css/app.css").endswith("app/static/css/app.css")
    for bad in (STATIC_BASE + "static/../__init__.py", STATIC_BASE + "static/%2e%2e/x",
                STATIC_BASE + "static/", STATIC_BASE + "app/__init__.py", "file:///etc/passwd",
                "https://evil.example/static/css/app.css", STATIC_BASE + "static/css/nope.css"):
        assert static_file(bad) is None, bad


def test_a_renderer_that_dies_is_replaced(contract, login_as):
    import os
    import signal

    from renderers.pdf import renderer
    client = login_as("t2001")
    assert client.get(f"/instances/{contract.serial}/export.pdf").status_code == 200
    os.kill(renderer().last_pid, signal.SIGKILL)
    response = client.get(f"/instances/{contract.serial}/export.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
