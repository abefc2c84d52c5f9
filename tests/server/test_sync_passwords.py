"""A new password and the team server: the server knows it only once the sync that carries its
verifier has arrived, so sync tries the new password, falls back to the previous one and keeps
the one that worked; the laptop's outbox does not keep the verifier after sending it; a reset
with the recovery key goes to the server the same way."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgcluster import PgDatabase
from sqlalchemy import select
from syncworld import PASSWORD, Laptop, can_sign_in, join_laptop, set_up_store

from hemlos_desktop import ENV_PASSWORD, ENV_USER
from hemlos_desktop.cli import main
from hemlos_desktop.cli.accounts import ENV_NEW_PASSWORD, ENV_RECOVERY_KEY
from hemlos_desktop.cli.sync import ENV_PREVIOUS_PASSWORD
from hemlos_desktop.models.sync import SyncChange
from hemlos_desktop.services import accounts
from hemlos_desktop.services.sync import SyncCredentials, SyncRefusedError, sync

NEW_PASSWORD = "Ett nytt lösenord 8"


@pytest.fixture
def anna(tmp_path: Path, pg_database: PgDatabase) -> Iterator[Laptop]:
    laptop = join_laptop(tmp_path, set_up_store(pg_database), "anna")
    yield laptop
    laptop.close()


def _verifiers_in_outbox(laptop: Laptop) -> list[str]:
    with laptop.db.read() as s:
        rows = s.scalars(
            select(SyncChange.fields).where(SyncChange.table_name == "server_logins")
        ).all()
    return [json.loads(fields).get("verifier", "") for fields in rows]


def test_a_changed_password_syncs_before_and_after_the_server_knows_it(
    anna: Laptop, pg_database: PgDatabase
) -> None:
    accounts.change_own_password(anna.db, anna.actor, PASSWORD, NEW_PASSWORD)
    [waiting] = _verifiers_in_outbox(anna)
    assert waiting.startswith("SCRAM-SHA-256$")
    changed = SyncCredentials(anna.url, "anna", NEW_PASSWORD, previous_password=PASSWORD)
    with pytest.raises(SyncRefusedError):  # the server does not know the new one yet
        sync(anna.db, SyncCredentials(anna.url, "anna", NEW_PASSWORD))

    first = sync(anna.db, changed).value  # the previous password carries the new verifier
    assert first.complete and first.sent >= 1
    assert first.credentials is not None and first.credentials.previous_password is None
    assert first.credentials.password == NEW_PASSWORD
    assert _verifiers_in_outbox(anna) == [""]  # sent: not kept here any longer
    assert can_sign_in(pg_database, "anna", NEW_PASSWORD)
    assert not can_sign_in(pg_database, "anna", PASSWORD)

    second = sync(anna.db, first.credentials).value
    assert second.complete and second.credentials == first.credentials
    # Still offered the previous one: the new one works, so it is dropped.
    again = sync(anna.db, changed).value
    assert again.credentials is not None and again.credentials.previous_password is None


@pytest.mark.usefixtures("fast_kdf")
def test_a_password_reset_with_the_recovery_key_reaches_the_server(
    anna: Laptop,
    pg_database: PgDatabase,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = str(anna.location.folder)
    anna.close()
    monkeypatch.setenv(ENV_RECOVERY_KEY, anna.joined.recovery_key)
    monkeypatch.setenv(ENV_NEW_PASSWORD, NEW_PASSWORD)
    assert main(["--lang", "en", "reset-password", "anna", "--data-dir", folder]) == 0
    monkeypatch.setenv(ENV_USER, "anna")
    monkeypatch.setenv(ENV_PASSWORD, NEW_PASSWORD)
    # The server still has the old password: the sync says so and nothing is lost.
    assert main(["--lang", "en", "sync", "--data-dir", folder]) == 1
    assert "did not accept this user name and password" in capsys.readouterr().err
    monkeypatch.setenv(ENV_PREVIOUS_PASSWORD, PASSWORD)
    assert main(["--lang", "en", "sync", "--data-dir", folder]) == 0
    assert can_sign_in(pg_database, "anna", NEW_PASSWORD)
    monkeypatch.delenv(ENV_PREVIOUS_PASSWORD)
    assert main(["--lang", "en", "sync", "--data-dir", folder]) == 0
    assert "In step with the team server" in capsys.readouterr().out
