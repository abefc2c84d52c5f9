"""Addresses of the throw-away PostgreSQL cluster and the per-test databases (tests/server)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import psycopg

SUPERUSER = "postgres"


@dataclass(frozen=True)
class Cluster:
    socket_dir: Path
    port: int

    def url(self, database: str, *, user: str = SUPERUSER, password: str | None = None) -> str:
        """A SQLAlchemy/``hemlos-desktop server --url`` address over the Unix socket."""
        auth = user if password is None else f"{user}:{password}"
        return f"postgresql://{auth}@/{database}?host={self.socket_dir}&port={self.port}"

    def connect(
        self, database: str, *, user: str = SUPERUSER, password: str | None = None
    ) -> psycopg.Connection[tuple[object, ...]]:
        """A plain psycopg connection, the same as ``psql`` would open."""
        return psycopg.connect(
            host=str(self.socket_dir),
            port=self.port,
            dbname=database,
            user=user,
            password=password,
            autocommit=True,
        )


@dataclass(frozen=True)
class PgDatabase:
    cluster: Cluster
    name: str

    @property
    def url(self) -> str:
        return self.cluster.url(self.name)

    def url_as(self, user: str, password: str) -> str:
        return self.cluster.url(self.name, user=user, password=password)

    def connect(
        self, *, user: str = SUPERUSER, password: str | None = None
    ) -> psycopg.Connection[tuple[object, ...]]:
        return self.cluster.connect(self.name, user=user, password=password)
