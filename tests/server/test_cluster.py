"""The test cluster itself: a real PostgreSQL, reached over its Unix socket only."""

from __future__ import annotations

from pgcluster import PgDatabase


def test_each_test_gets_its_own_empty_database(pg_database: PgDatabase) -> None:
    with pg_database.connect() as conn:
        version = conn.execute("SHOW server_version_num").fetchone()
        tables = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()
        listen = conn.execute("SHOW listen_addresses").fetchone()
    assert version is not None and int(str(version[0])) >= 150000
    assert tables == (0,)
    assert listen == ("",)
