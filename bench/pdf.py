"""PDF export of the technical contract form (技术合同审批表).

- ``pdf_cold_ms``: GET /instances/<serial>/export.pdf on a fresh renderer process (spawn,
  WeasyPrint import, fonts loaded) — median of a few fresh renderers;
- ``pdf_warm_ms``: the same request once the renderer is warm (median);
- ``pdf_ratio``: warm export / WeasyPrint rendering the same HTML string directly in this
  process, measured in interleaved pairs (goal ≤ 1.2);
- ``pdf_rss_mb_1`` / ``pdf_rss_mb_200``: resident memory of the renderer process after 1 and
  after 200 exports (QUICK: after 20; ``pdf_exports`` says how many);
- ``pdf_web_rss_mb``: resident memory of this process — the web worker — after those exports
  (goal < 300 MB; it never renders).

``python -m bench pdf [--quick]`` or ``python -m bench.pdf [--quick]``.
"""
import os
import statistics
import sys
import time

from bench.common import config, workdir

DEFINITION = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                          "definitions", "tech-contract.yaml")


CONTRACT = {
    "project": "高强度纸基材料制备技术开发", "nature": "技术开发", "party_a": "山东晨鸣纸业集团",
    "party_b": "齐鲁工业大学", "amount": 85.5, "equipment": 12, "agree": True,
}


def _attachment(owner):
    import secrets
    from app.models import Attachment
    return Attachment.create(owner=owner, token=secrets.token_hex(16), field="attachments",
                             filename="技术开发合同.pdf", stored_name=secrets.token_hex(8), size=1234,
                             content_type="application/pdf", sha256="0" * 64)


def _setup(folder):
    """An app with the demo people and one contract approved by the unit leader."""
    from app import create_app
    from app.db import db
    from app.defs.store import import_paths
    from app.demo import DEMO_PASSWORD, load_demo
    from app.engine import core
    from app.models import Service, User, create_tables
    app = create_app(dict(config(folder), TESTING=True, WTF_CSRF_ENABLED=False))
    with app.app_context():
        db.connect(reuse_if_open=True)
        create_tables()
        load_demo()
        import_paths([DEFINITION])
        applicant = User.get(User.username == "t2001")
        data = dict(CONTRACT, attachments=[_attachment(applicant).token])
        inst = core.start(Service.get(Service.slug == "tech-contract"), applicant, data)
        core.act(inst, User.get(User.username == "t2002"), "approve", opinion="同意，请科研处审批")
    client = app.test_client()
    response = client.post("/login", data={"username": "t2001", "password": DEMO_PASSWORD})
    assert response.status_code == 302, "bench login failed"
    return app, client, inst.serial


def _export(client, serial) -> float:
    started = time.perf_counter()
    response = client.get(f"/instances/{serial}/export.pdf")
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200 and response.data.startswith(b"%PDF"), response.status_code
    return elapsed


def _direct(html) -> float:
    from weasyprint import HTML
    started = time.perf_counter()
    HTML(string=html).write_pdf()
    return (time.perf_counter() - started) * 1000


def _html(app, serial):
    from app.engine import core
    from app.models import Instance, User
    from app.exports.print_model import print_model
    from renderers.print import print_html
    with app.test_request_context():
        inst = Instance.get(Instance.serial == serial)
        return print_html(print_model(inst, core.service_def(inst), User.get(User.username == "t2001"),
                                      base_url="http://localhost"))


def run(quick: bool) -> dict:
    from renderers import pdf
    exports, pairs, colds = (20, 8, 1) if quick else (200, 30, 3)
    with workdir() as folder:
        app, client, serial = _setup(folder)
        cold = []
        for _ in range(colds):
            pdf.renderer().close()
            cold.append(_export(client, serial))
        rss_1 = pdf.renderer().last_rss_mb
        for _ in range(exports - 1):
            _export(client, serial)
        rss_n = pdf.renderer().last_rss_mb
        web_rss = pdf.rss_mb()
        html = _html(app, serial)
        _direct(html)
        ours, direct = [], []
        for _ in range(pairs):
            ours.append(_export(client, serial))
            direct.append(_direct(html))
        pdf.renderer().close()
    warm, base = statistics.median(ours), statistics.median(direct)
    return {"pdf_warm_ms": warm, "pdf_cold_ms": statistics.median(cold), "pdf_direct_ms": base,
            "pdf_ratio": warm / base, "pdf_rss_mb_1": rss_1, "pdf_rss_mb_200": rss_n,
            "pdf_exports": exports, "pdf_web_rss_mb": web_rss}


if __name__ == "__main__":
    for key, value in run("--quick" in sys.argv[1:]).items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}", flush=True)
