"""``flask defs from-document``: the work behind the command (registered in app.cli.defs)."""
from __future__ import annotations

import json
import os

import click

from app.defs.exceptions import DefinitionError
from app.paper.errors import PaperError
from app.paper.reading import idcard_installed, read_document


def directory_departments() -> list[str]:
    """Department names of the directory, when a database is bound (else none)."""
    try:
        from app.models import Department
        return [name for (name,) in Department.select(Department.name).tuples()]
    except Exception:            # no app, no database, no table: guess without the directory
        return []


def from_document(path, department, output, emit) -> int:
    try:
        with open(path, "rb") as handle:
            data = handle.read(11 * 1024 * 1024)
    except OSError:
        click.echo(f"无法读取文件：{path}", err=True)
        return 2
    try:
        reading = read_document(os.path.basename(path), data, directory_departments(), department,
                                idcard=idcard_installed())
        text = reading.yaml()
    except PaperError as exc:
        click.echo(exc.message, err=True)
        return 2
    except DefinitionError as exc:           # a bug of ours: say so in one line, keep nothing
        click.echo(f"生成的草稿未通过校验：{exc.problems[0]}", err=True)
        return 1
    for line in reading.lines():
        click.echo(f"待确认: {line}", err=not output)
    emit(text, output)
    if output:
        with open(output + ".guesses.json", "w", encoding="utf-8") as handle:
            json.dump(reading.guesses, handle, ensure_ascii=False, indent=1)
        click.echo(f"已写入 {output}（{len(reading.guesses)} 项待确认，见 {output}.guesses.json）")
    return 0
