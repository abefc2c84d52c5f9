"""Resetting a password with the recovery key: a service with one access-log entry."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from hemlos_desktop.errors import InvalidInputError
from hemlos_desktop.models.audit import AuditAction, AuditEntry
from hemlos_desktop.services.audit import verify_chain
from hemlos_desktop.services.password_recovery import (
    AUDIT_DETAIL,
    reset_password_with_recovery_key,
)
from hemlos_desktop.services.session import InactiveAccountError, unlock, unlock_key
from hemlos_desktop.services.setup import SetupResult, create_administrator
from hemlos_desktop.storage import DataLocation, open_database
from hemlos_desktop.storage.crypto import TEST_PARAMS
from hemlos_desktop.storage.crypto.errors import (
    RecoveryKeyTypoError,
    WrongPasswordError,
    WrongRecoveryKeyError,
)

pytestmark = pytest.mark.usefixtures("fast_kdf")


@pytest.fixture
def created(tmp_path: Path) -> SetupResult:
    location = DataLocation(tmp_path / "enc")
    result = create_administrator(
        location, username="anna", display_name="Anna", password="lost", params=TEST_PARAMS
    )
    result.signed_in.db.dispose()
    return result


def _log(location: DataLocation, key: bytes) -> list[tuple[str, str, str]]:
    db = open_database(location, key=key)
    try:
        with db.read() as session:
            return [
                (e.action, e.username, e.detail)
                for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
            ]
    finally:
        db.dispose()


def test_reset_sets_the_password_and_logs_one_entry(created: SetupResult) -> None:
    location = created.signed_in.db.location
    key = created.signed_in.data_key
    assert key is not None
    before = _log(location, key)
    got = reset_password_with_recovery_key(
        location, " Anna ", created.recovery_key, "new-pw long enough", params=TEST_PARAMS
    )
    assert got == key
    assert unlock_key(location, "anna", "new-pw long enough", params=TEST_PARAMS) == key
    with pytest.raises(WrongPasswordError):
        unlock_key(location, "anna", "lost", params=TEST_PARAMS)
    after = _log(location, key)
    assert after[: len(before)] == before
    assert after[len(before) :] == [(AuditAction.USER_ADMIN.value, "anna", AUDIT_DETAIL)]
    signed = unlock(location, "anna", "new-pw long enough", params=TEST_PARAMS)
    assert verify_chain(signed.db).ok
    signed.db.dispose()


@pytest.mark.parametrize(
    ("recovery", "error"),
    [("AAAA-BBBB", RecoveryKeyTypoError), (None, WrongRecoveryKeyError)],
)
def test_a_bad_recovery_key_changes_nothing(
    tmp_path: Path, created: SetupResult, recovery: str | None, error: type[Exception]
) -> None:
    location = created.signed_in.db.location
    key = created.signed_in.data_key
    assert key is not None
    if recovery is None:  # a well-formed key of another installation
        other = create_administrator(
            DataLocation(tmp_path / "other"),
            username="x",
            display_name="X",
            password="x",
            params=TEST_PARAMS,
        )
        other.signed_in.db.dispose()
        recovery = other.recovery_key
    before = _log(location, key)
    with pytest.raises(error) as failed:
        reset_password_with_recovery_key(
            location, "anna", recovery, "new pass phrase", params=TEST_PARAMS
        )
    assert failed.value.message()  # type: ignore[attr-defined]
    assert unlock_key(location, "anna", "lost", params=TEST_PARAMS) == key
    assert _log(location, key) == before


def test_unknown_account_and_empty_password_are_refused(created: SetupResult) -> None:
    location = created.signed_in.db.location
    key = created.signed_in.data_key
    assert key is not None
    before = _log(location, key)
    with pytest.raises(InactiveAccountError):
        reset_password_with_recovery_key(
            location, "nobody", created.recovery_key, "pw long enough", params=TEST_PARAMS
        )
    with pytest.raises(InvalidInputError) as empty:
        reset_password_with_recovery_key(
            location, "anna", created.recovery_key, "", params=TEST_PARAMS
        )
    assert empty.value.field == "password" and empty.value.message()
    with pytest.raises(WrongPasswordError):
        unlock_key(location, "nobody", "pw long enough", params=TEST_PARAMS)
    assert _log(location, key) == before
