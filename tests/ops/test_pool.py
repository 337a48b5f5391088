"""PostgreSQL connections are pooled per process: requests reuse them and give them back."""
import psycopg2
from playhouse.pool import PooledPostgresqlDatabase

from app import create_app
from app.db import db
from tests.conftest import login, make_config, seed_database


def backends(url):
    name = url.rsplit("/", 1)[1]
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    try:
        cur = admin.cursor()
        cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (name,))
        return cur.fetchone()[0]
    finally:
        admin.close()


def test_requests_reuse_the_pooled_connection_and_return_it(postgres_url, tmp_path):
    app = create_app(make_config(tmp_path, DATABASE_URL=postgres_url, DATABASE_POOL_SIZE=3))
    seed_database()
    db.close()
    app.config["TESTING"] = False                 # the teardown hands the connection back
    assert isinstance(db.obj, PooledPostgresqlDatabase) and db.obj._max_connections == 3
    me = login(app.test_client(), "t2001")
    for _ in range(15):
        assert me.get("/me/items?box=in_progress").status_code == 200
        assert not db.obj._in_use                  # returned at teardown
    assert len(db.obj._connections) == 1          # one idle connection, reused 16 times
    assert backends(postgres_url) == 1
    db.obj.close_all()
