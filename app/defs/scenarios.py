"""Scenario tests of definitions (``flask defs test``).

A ``NAME.test.yaml`` file beside a definition (or in a ``tests/`` folder beside it) states
what happens when a given applicant submits given data::

    service: weekly-report
    cases:
      - name: 宣传部职工提交后到部门领导
        as: {user: t2001}                  # or a persona: {type: staff, department: 宣传部}
        data: {items: [{text: 本周工作}]}
        expect: {valid: true, steps: [fill, leader], assignees: {leader: [t2002]}}

Each case is evaluated by the engine's own functions — the form as it opens
(``initial_data``), what the first step may edit (``editable_fields``), validation
(``core._validate``), ``visible_when`` (``hidden_fields``), step conditions
(``step_applies``) and assignee resolution (``plugins.assignees.resolve``) — against a
directory on a throwaway database (``app.defs.testdb``). Nothing here re-implements a rule.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jsonschema import Draft202012Validator

from app.defs.compile import compile_text, read_file
from app.defs.exceptions import DefinitionError, Problem
from app.defs.loader import load

TEST_SUFFIX = ".test.yaml"
_NAMES = {"type": "array", "items": {"type": "string", "minLength": 1}}
CASE_SCHEMA = {
    "type": "object", "required": ["name", "as", "expect"], "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "as": {"oneOf": [
            {"type": "object", "required": ["user"], "additionalProperties": False,
             "properties": {"user": {"type": "string", "minLength": 1}}},
            {"type": "object", "required": ["type"], "additionalProperties": False,
             "properties": {"type": {"enum": ["staff", "student", "external"]},
                            "department": {"type": "string", "minLength": 1},
                            "name": {"type": "string", "minLength": 1}}}]},
        "data": {"type": "object"},
        "expect": {
            "type": "object", "minProperties": 1, "additionalProperties": False,
            "properties": {"allowed": {"type": "boolean"}, "valid": {"type": "boolean"},
                           "errors": _NAMES, "steps": _NAMES, "visible": _NAMES, "hidden": _NAMES,
                           "assignees": {"type": "object", "additionalProperties": _NAMES}}},
    },
}
FILE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "OneHall scenario tests (NAME.test.yaml, run by flask defs test)",
    "type": "object", "required": ["service", "cases"], "additionalProperties": False,
    "properties": {"service": {"type": "string", "minLength": 1},
                   "cases": {"type": "array", "minItems": 1, "items": CASE_SCHEMA}},
}


@dataclass
class Case:
    name: str
    line: int
    applicant: dict                 # {user: U} or {type, department, name}
    data: dict
    expect: dict
    at: str = ""                    # path:line of the case, for messages about it
    as_at: tuple = (1, 1)           # where its ``as:`` is


@dataclass
class Scenarios:
    path: str
    service: str
    cases: list
    service_at: tuple = (1, 1)


@dataclass
class CaseResult:
    name: str
    where: str
    differences: list = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.differences

    def line(self) -> str:
        if self.passed:
            return f"PASS {self.name}"
        return f"FAIL {self.name}: " + "; ".join(self.differences)


@dataclass
class Report:
    results: list = field(default_factory=list)
    problems: list = field(default_factory=list)      # errors in the test files themselves

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def failed(self) -> int:
        return len(self.results) - self.passed

    @property
    def ok(self) -> bool:
        return not self.failed and not self.problems

    def summary(self) -> str:
        tail = f", {len(self.problems)} errors in test files" if self.problems else ""
        return f"{self.passed} passed, {self.failed} failed{tail}"

    def as_dict(self) -> dict:
        return {"results": [{"name": r.name, "where": r.where, "passed": r.passed,
                             "differences": r.differences} for r in self.results],
                "problems": [str(p) for p in self.problems],
                "passed": self.passed, "failed": self.failed, "ok": self.ok}


# ---------------------------------------------------------------- reading test files

def file_schema_json() -> str:
    """The test-file schema as committed in ``definitions/scenario-schema.json`` (for editors)."""
    import json
    return json.dumps(FILE_SCHEMA, ensure_ascii=False, indent=2) + "\n"


def parse(text, path: str = "<string>") -> Scenarios:
    """A test file → Scenarios; DefinitionError with path:line:col for every problem."""
    data, positions = load(text, path)
    problems = []
    for error in Draft202012Validator(FILE_SCHEMA).iter_errors(data):
        where = tuple(error.absolute_path)
        line, col = positions.value(where)
        at = ".".join(str(p) for p in where) or "the file"
        problems.append(Problem(path, line, col, f"{at}: {_schema_message(error)}"))
    if problems:
        raise DefinitionError(problems)
    cases = []
    for i, raw in enumerate(data["cases"]):
        line = positions.value(("cases", i))[0]
        cases.append(Case(name=raw["name"], line=line, applicant=raw["as"], data=raw.get("data") or {},
                          expect=raw["expect"], at=f"{path}:{line}",
                          as_at=positions.value(("cases", i, "as"))))
    names = [c.name for c in cases]
    dupes = [c for i, c in enumerate(cases) if c.name in names[:i]]
    if dupes:
        raise DefinitionError([Problem(path, c.line, 1, f"duplicate case name {c.name!r}") for c in dupes])
    return Scenarios(path=path, service=data["service"], cases=cases,
                     service_at=positions.value(("service",)))


def _schema_message(error) -> str:
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown key(s)")
    if error.validator == "oneOf" and list(error.absolute_path)[-1:] == ["as"]:
        return "'as' must be {user: USERNAME} or a persona {type: staff|student|external, department: D}"
    return error.message


def scenario_files(paths) -> list[Path]:
    """The scenario files for ``paths``: a folder → its ``*.test.yaml`` and those in its
    ``tests/`` folder; a definition ``X.yaml`` → ``X.test.yaml`` beside it or in ``tests/``;
    a ``.test.yaml`` file → itself."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(path.glob("*" + TEST_SUFFIX)) + sorted((path / "tests").glob("*" + TEST_SUFFIX))
        elif path.name.endswith(TEST_SUFFIX):
            found.append(path)
        else:
            stem = path.name.rsplit(".", 1)[0]
            found += [p for p in (path.with_name(stem + TEST_SUFFIX),
                                  path.parent / "tests" / (stem + TEST_SUFFIX)) if p.is_file()]
    seen, out = set(), []
    for path in found:
        if path.resolve() not in seen:
            seen.add(path.resolve())
            out.append(path)
    return out


def definitions_near(test_path: Path, cache: dict) -> dict:
    """{service id: (ServiceDef or DefinitionError, path)} of the definitions in the test
    file's folder (and, for a ``tests/`` folder, the folder above it)."""
    folder = test_path.parent
    folders = [folder] + ([folder.parent] if folder.name == "tests" else [])
    found = {}
    for where in folders:
        key = where.resolve()
        if key not in cache:
            cache[key] = _compile_folder(where)
        for slug, item in cache[key].items():
            found.setdefault(slug, item)
    return found


def _compile_folder(folder: Path) -> dict:
    from app.defs.store import definition_paths
    out = {}
    for path in definition_paths([folder]):
        try:
            sdef = compile_text(read_file(path), str(path))[0]
        except DefinitionError as exc:
            slug = _declared_id(path)
            if slug:
                out.setdefault(slug, (exc, path))
            continue
        out.setdefault(sdef.id, (sdef, path))
    return out


def _declared_id(path: Path) -> str | None:
    try:
        data, _ = load(read_file(path), str(path))
    except DefinitionError:
        return None
    return data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None


# ---------------------------------------------------------------- running

def run_paths(paths) -> Report:
    """Run every scenario file found for ``paths``; the directory must already be bound
    (``app.defs.testdb.throwaway``)."""
    report, cache = Report(), {}
    files = scenario_files(paths)
    for missing in [p for p in map(Path, paths) if not p.exists()]:
        report.problems.append(Problem(str(missing), 1, 1, "no such file or folder"))
    for path in files:
        try:
            scenarios = parse(read_file(path), str(path))
        except DefinitionError as exc:
            report.problems.extend(exc.problems)
            continue
        known = definitions_near(path, cache)
        sdef, def_path = known.get(scenarios.service, (None, None))
        line, col = scenarios.service_at
        if sdef is None:
            report.problems.append(Problem(str(path), line, col,
                                           f"unknown service {scenarios.service!r} (no definition "
                                           f"with that id beside {path.name})"))
            continue
        if isinstance(sdef, DefinitionError):
            report.problems.append(Problem(str(path), line, col,
                                           f"the definition {def_path} is invalid: run flask defs validate"))
            continue
        run_scenarios(sdef, scenarios, report)
    return report


def run_scenarios(sdef, scenarios: Scenarios, report: Report | None = None) -> Report:
    """Evaluate every case of ``scenarios`` against the compiled definition ``sdef``."""
    from app.defs.evaluate import UnknownApplicant, evaluate_case
    report = report or Report()
    if scenarios.service != sdef.id:
        line, col = scenarios.service_at
        report.problems.append(Problem(scenarios.path, line, col,
                                       f"the test file is for {scenarios.service!r}, not {sdef.id!r}"))
        return report
    for case in scenarios.cases:
        try:
            differences = evaluate_case(sdef, case)
        except UnknownApplicant as exc:
            report.problems.append(Problem(scenarios.path, *case.as_at, f"case {case.name!r}: {exc}"))
            continue
        report.results.append(CaseResult(case.name, case.at, differences))
    return report


# ---------------------------------------------------------------- kept with the service

def store_text(slug: str, text: str, user=None):
    """Keep ``text`` as the service's scenario tests (the designer shows and runs them)."""
    from app.models import utcnow
    from app.models.designer import ServiceScenarios
    row = ServiceScenarios.get_or_none(ServiceScenarios.slug == slug) or ServiceScenarios(slug=slug)
    row.source, row.updated, row.updated_by = text, utcnow(), user
    row.result_key = row.result = None
    row.save()
    return row


def remember_for(definition_path, slug: str) -> Path | None:
    """After ``flask defs import``: keep the scenario file found for the definition (when it
    is for that service), so the designer runs it before each 发布."""
    for path in scenario_files([definition_path]):
        try:
            text = read_file(path).decode("utf-8-sig")
            if parse(text, str(path)).service != slug:
                continue
        except (DefinitionError, UnicodeDecodeError):
            continue
        store_text(slug, text)
        return path
    return None
