"""`python -m bench raw`: the replay through bare sqlite3 writes exactly what the engine wrote."""
import sqlite3


def rows(path):
    conn = sqlite3.connect(path)
    try:
        return {table: conn.execute(f'SELECT * FROM "{table}" ORDER BY id').fetchall()
                for table in ("instance", "task", "flow_record")}
    finally:
        conn.close()


def test_the_replay_writes_the_same_rows_as_the_engine(tmp_path):
    from bench import raw
    engine, replayed, statements = raw.sqlite_run(str(tmp_path), count=8)
    assert engine > 0 and replayed > 0 and statements >= 10
    by_engine, by_replay = rows(tmp_path / "bench.db"), rows(tmp_path / "raw.db")
    assert len(by_engine["instance"]) >= 10                        # warm-up round + 8 measured
    assert by_engine == by_replay
    conn = sqlite3.connect(tmp_path / "raw.db")
    assert {s for (s,) in conn.execute("SELECT status FROM instance")} == {"completed"}
    conn.close()
