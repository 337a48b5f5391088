"""Plain helpers shared by the hall and personal-center tests: real engine calls, no mocks."""
import re
from pathlib import Path

from app.defs.store import import_text
from app.engine import core
from app.models import Instance, Service, User

WEEKLY = "weekly-report"
ROOT = Path(__file__).resolve().parents[2]


def person(username) -> User:
    return User.get(User.username == username)


def weekly(username="t2001", text="本周工作", submit=True, slug=WEEKLY) -> Instance:
    """A 工作周报 instance (or of a copy, see extra_services) by a staff member."""
    service = Service.get(Service.slug == slug)
    return core.start(service, person(username), {"items": [{"text": text}]}, submit=submit)


def completed_weekly(username="t2001", text="本周工作") -> Instance:
    inst = weekly(username, text)
    return core.act(inst, person("t2002"), "approve", opinion="同意")


def extra_services(count, start_number=1000):
    """``count`` more services like 工作周报, named 测试服务N (pinyin initials csfw…)."""
    source = (ROOT / "definitions" / "weekly-report.yaml").read_text(encoding="utf-8")
    for i in range(count):
        text = (source.replace("id: weekly-report", f"id: extra-{i}")
                .replace("number: 59", f"number: {start_number + i}")
                .replace("name: 工作周报", f"name: 测试服务{i}"))
        import_text(text, f"extra-{i}.yaml")


def section(html, marker):
    """The HTML of the <section> holding ``marker`` (to assert on one block of a page)."""
    start = html.index(marker)
    begin = html.rfind("<section", 0, start)
    return html[begin:html.index("</section>", start)]


def rows_of(html, table_class):
    body = re.search(rf'<table class="[^"]*{table_class}[^"]*">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
