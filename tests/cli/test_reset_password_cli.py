"""``hemlos-desktop reset-password NAME``: the recovery key and the new password from the
environment or one prompt on a terminal; clear messages and exit status 1 on failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from hemlos_desktop.cli import main
from hemlos_desktop.services.session import unlock_key
from hemlos_desktop.services.setup import SetupResult, create_administrator
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import TEST_PARAMS


@pytest.fixture
def created(tmp_path: Path) -> SetupResult:
    result = create_administrator(
        DataLocation(tmp_path / "enc"),
        username="anna",
        display_name="Anna",
        password="lost",
        params=TEST_PARAMS,
    )
    result.signed_in.db.dispose()
    return result


def _run(created: SetupResult, *extra: str) -> int:
    folder = str(created.signed_in.db.location.folder)
    return main(["--lang", "en", "reset-password", "anna", "--data-dir", folder, *extra])


def test_reset_from_the_environment(
    created: SetupResult, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEMLOS_RECOVERY_KEY", created.recovery_key)
    monkeypatch.setenv("HEMLOS_NEW_PASSWORD", "fresh pass phrase")
    assert _run(created) == 0
    assert "anna" in capsys.readouterr().out
    location = created.signed_in.db.location
    assert unlock_key(location, "anna", "fresh pass phrase") == created.signed_in.data_key


def test_no_key_and_no_terminal_exits_1(
    created: SetupResult, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HEMLOS_RECOVERY_KEY", raising=False)
    monkeypatch.setenv("HEMLOS_NEW_PASSWORD", "fresh pass phrase")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert _run(created) == 1
    assert "HEMLOS_RECOVERY_KEY" in capsys.readouterr().err


def test_wrong_key_exits_1_and_keeps_the_password(
    created: SetupResult, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEMLOS_RECOVERY_KEY", "AAAA-BBBB")
    monkeypatch.setenv("HEMLOS_NEW_PASSWORD", "fresh pass phrase")
    assert _run(created) == 1
    err = capsys.readouterr().err
    assert "recovery key" in err.lower() and "Traceback" not in err
    location = created.signed_in.db.location
    assert unlock_key(location, "anna", "lost") == created.signed_in.data_key


def test_prompts_once_for_the_key_and_twice_for_the_password(
    created: SetupResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HEMLOS_RECOVERY_KEY", raising=False)
    monkeypatch.delenv("HEMLOS_NEW_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter([created.recovery_key, "typed pass phrase", "typed pass phrase"])
    asked: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        asked.append(prompt)
        return next(answers)

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    assert _run(created) == 0
    assert len(asked) == 3 and "Recovery key" in asked[0]
    location = created.signed_in.db.location
    assert unlock_key(location, "anna", "typed pass phrase") == created.signed_in.data_key


def test_plain_folder_has_no_password_to_reset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from hemlos_desktop.storage import open_database

    location = DataLocation(tmp_path / "plain")
    open_database(location).dispose()
    monkeypatch.setenv("HEMLOS_RECOVERY_KEY", "x")
    monkeypatch.setenv("HEMLOS_NEW_PASSWORD", "y")
    folder = str(location.folder)
    assert main(["--lang", "en", "reset-password", "anna", "--data-dir", folder]) == 1
    assert "no passwords" in capsys.readouterr().err.lower()
