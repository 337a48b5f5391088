"""Importing definitions into the catalog and versions."""
from pathlib import Path

import pytest

from app.db import bind, db, make_database
from app.defs import DefinitionError, validate_file
from app.defs.store import (import_paths, import_text, initials, latest_version, load_version)
from app.models import Service, ServiceVersion, create_tables

DEFINITIONS = Path(__file__).resolve().parents[2] / "definitions"
WEEKLY = (DEFINITIONS / "weekly-report.yaml").read_text("utf-8")


@pytest.fixture
def database(tmp_path):
    bind(make_database("sqlite:///" + str(tmp_path / "t.db")))
    db.connect(reuse_if_open=True)
    create_tables()
    yield db
    db.close()


def test_initials():
    assert initials("工作周报") == "gzzb"
    assert initials("网络及多媒体故障报修") == "wljdmtgzbx"
    assert initials("开具党员证明申请") == "kjdyzmsq"
    assert initials("CS 技术（合同）2") == "csjsht2"


def test_initials_keep_letters_and_digits_only():
    assert initials("办事大厅意见建议反馈") == "bsdtyjjyfk"
    assert initials("A/B 测试-2") == "abcs2"


def test_import_creates_then_is_unchanged_then_versions(database):
    service, version, status = import_text(WEEKLY, "weekly-report.yaml")
    assert status == "created" and version.version == 1
    assert (service.slug, service.number, service.name, service.category) == ("weekly-report", 59, "工作周报", "综合服务")
    assert service.audience == "staff" and service.recommended and service.initials == "gzzb"
    assert "周报" in service.keywords and service.latest_version == 1
    assert version.source == WEEKLY and len(version.digest) == 64

    again = import_text(WEEKLY + "\n# only a comment changed\n", "weekly-report.yaml")
    assert again[2] == "unchanged" and again[1].id == version.id
    assert ServiceVersion.select().count() == 1

    changed = WEEKLY.replace("name: 所在单位领导审批", "name: 单位领导审批")
    service, version2, status = import_text(changed, "weekly-report.yaml")
    assert status == "new-version" and version2.version == 2
    assert Service.get(Service.slug == "weekly-report").latest_version == 2
    assert latest_version(service).id == version2.id
    assert load_version(version2).steps[1].name == "单位领导审批"
    assert load_version(version.id).steps[1].name == "所在单位领导审批"
    assert load_version(version.id) is load_version(version)


def test_a_number_used_by_another_service_is_refused_at_number(database):
    import_text(WEEKLY, "weekly-report.yaml")
    other = WEEKLY.replace("id: weekly-report", "id: weekly-report-2")
    with pytest.raises(DefinitionError) as caught:
        import_text(other, "other.yaml")
    problem = caught.value.problems[0]
    assert (problem.path, problem.line, problem.col) == ("other.yaml", 4, 9)
    assert "59 is already used" in problem.message
    assert Service.select().count() == 1


def test_invalid_text_writes_nothing(database):
    with pytest.raises(DefinitionError):
        import_text(WEEKLY.replace("type: date", "type: dat"), "bad.yaml")
    assert Service.select().count() == 0


def test_import_paths_folder_and_files(database, tmp_path):
    results = import_paths([DEFINITIONS])
    assert [Path(p).name for p, _ in results] == sorted(p.name for p in DEFINITIONS.glob("*.yaml"))
    assert {status for _, status in results} == {"created"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\n", encoding="utf-8")
    results = import_paths([DEFINITIONS / "feedback.yaml", bad])
    assert results[0] == (str(DEFINITIONS / "feedback.yaml"), "unchanged")
    assert isinstance(results[1][1], DefinitionError)
    assert load_version(latest_version(Service.get(Service.slug == "feedback"))) == validate_file(
        DEFINITIONS / "feedback.yaml")
