"""A warehouse built by an older release still opens in the app: the schema is brought up to date."""

import duckdb

from tests.support.pages import build, run_page


def test_pages_work_on_a_warehouse_missing_newer_views(tmp_path, monkeypatch):
    db = build(tmp_path / "old.duckdb")
    with duckdb.connect(str(db)) as con:
        con.execute("DROP VIEW results_weighted")
    at = run_page("views/by_sector.py", db, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM results_weighted").fetchall()[0][0] > 0
