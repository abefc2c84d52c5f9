"""Push and pull between laptops and a real PostgreSQL team store: records typed on one laptop
appear on another; different fields merge; the same field changed on both is kept as a
conflict; sending twice changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pgcluster import PgDatabase
from syncworld import Laptop, join_laptop, set_up_store

from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.services.clients import get_client, update_client


@pytest.fixture
def store_url(pg_database: PgDatabase) -> str:
    return set_up_store(pg_database)


@pytest.fixture
def laptops(tmp_path: Path, store_url: str) -> Iterator[dict[str, Laptop]]:
    made = {name: join_laptop(tmp_path, store_url, name) for name in ("anna", "bo")}
    yield made
    for laptop in made.values():
        laptop.close()


def _edit(laptop: Laptop, first: str, **changes: object) -> None:
    client_id = laptop.client_id(first)
    detail = get_client(laptop.db, laptop.actor, client_id)
    data = detail.data if hasattr(detail, "data") else detail
    fields = {name: getattr(data, name) for name in ClientInput.__dataclass_fields__}
    fields.update(changes)
    update_client(laptop.db, laptop.actor, client_id, ClientInput(**fields))  # type: ignore[arg-type]


def test_a_client_registered_on_one_laptop_appears_on_the_other(
    laptops: dict[str, Laptop],
) -> None:
    anna, bo = laptops["anna"], laptops["bo"]
    anna.register("Alva", phone="070-111")
    sent = anna.sync()
    assert sent.sent >= 2 and sent.complete  # the client, its access-log entry
    received = bo.sync()
    assert received.received >= 1
    assert bo.client_value("Alva", "phone") == "070-111"
    assert bo.client_value("Alva", "uid") == anna.client_value("Alva", "uid")
    # Sending again changes nothing; bo received nothing of his own back.
    assert anna.sync().sent == 0
    assert bo.sync().received == 0
