"""The app as gunicorn serves it in the to-do benchmark: ``bench.todo_wsgi:app``.

ONEHALL_BENCH_CONFIG holds the config (JSON); ONEHALL_BENCH_PAGE_SIZE the rows per page.
"""
import json
import os

from app import create_app
from app.engine import queries

app = create_app(json.loads(os.environ["ONEHALL_BENCH_CONFIG"]))
queries.PAGE_SIZE = int(os.environ.get("ONEHALL_BENCH_PAGE_SIZE", queries.PAGE_SIZE))
