"""The suite keeps the rules of issue 29, so a test cannot go quietly empty again:

- "today" comes from the app's clock in China time (``app.stats.periods.today_local``) or an
  injected ``now``, never from the machine's calendar (``date.today()``, ``datetime.now()``)
  or the UTC date (``utcnow().date()``), which is yesterday in China from 16:00 to 24:00 UTC;
- a property test never ``return``s early (``assume()`` discards, tests/fuzzfloor.py counts);
- Flask-Admin filter arguments are looked up by column, not hard-coded as ``flt0_7``.
"""
import ast
import pathlib
import re

TESTS = pathlib.Path(__file__).parent
CALENDAR = re.compile(r"\bdate\.today\(\)|\bdatetime\.(now|today)\(\)|utcnow\(\)\.date\(\)")
FILTER_ARG = re.compile(r"[?&\"']flt\d+_\d+=")


def sources():
    for path in sorted(TESTS.rglob("*.py")):
        if path.name != "test_suite_honesty.py":
            yield path, path.read_text("utf-8")


def test_no_test_reads_the_calendar_outside_the_apps_clock():
    found = [f"{p.relative_to(TESTS)}:{n}: {line.strip()}" for p, text in sources()
             for n, line in enumerate(text.splitlines(), 1) if CALENDAR.search(line)]
    assert not found, "use today_local() / an injected now:\n" + "\n".join(found)


def test_no_flask_admin_filter_index_is_hard_coded():
    found = [f"{p.relative_to(TESTS)}:{n}" for p, text in sources()
             for n, line in enumerate(text.splitlines(), 1) if FILTER_ARG.search(line)]
    assert not found, found


def _bare_returns(function):
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Return) and node.value is None:
            yield node.lineno
        stack.extend(ast.iter_child_nodes(node))


def test_no_property_test_returns_early():
    found = []
    for path, text in sources():
        if "hypothesis" not in text:
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test") and any(
                    isinstance(d, ast.Call) and getattr(d.func, "id", "") == "given" for d in node.decorator_list):
                found += [f"{path.relative_to(TESTS)}:{line} ({node.name})" for line in _bare_returns(node)]
    assert not found, "use assume() and a Floor (tests/fuzzfloor.py):\n" + "\n".join(found)
