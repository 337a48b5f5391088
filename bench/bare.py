"""The bare baseline of the to-do page: Flask, one indexed query of 20 rows, a tiny template.

Served by gunicorn like the app (``bench.bare:app``); ONEHALL_BENCH_DB names the SQLite file.
"""
import os
import sqlite3
import threading

from flask import Flask, render_template_string, request

app = Flask(__name__)
_local = threading.local()

QUERY = """
SELECT i.serial, i.title, i.status, i.updated FROM task AS t
JOIN instance AS i ON i.id = t.instance_id
WHERE t.assignee_id = ? AND t.status = 'open' AND t.kind = 'do'
ORDER BY t.created DESC, t.id DESC LIMIT 20
"""
PAGE = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>待办事项</title>
<table>{% for r in rows %}<tr><td><a href="/instances/{{ r[0] }}">{{ r[1] }}</a></td>
<td>{{ r[3] }}</td><td>{{ r[2] }}</td><td>{{ r[0] }}</td></tr>{% endfor %}</table></html>"""


def connection():
    if getattr(_local, "conn", None) is None:
        _local.conn = sqlite3.connect(os.environ["ONEHALL_BENCH_DB"])
    return _local.conn


@app.get("/todo")
def todo():
    rows = connection().execute(QUERY, (request.args.get("user", type=int),)).fetchall()
    return render_template_string(PAGE, rows=rows)


@app.get("/health")
def health():
    return "ok"
