"""Commands on an encrypted database: user and password from the environment or a prompt."""

from __future__ import annotations

from pathlib import Path

import pytest

from hemlos_desktop.cli import common, main


def _demo(folder: Path) -> None:
    assert main(["--lang", "en", "demo-data", "--clients", "2", "--data-dir", str(folder)]) == 0


def test_right_password_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _demo(tmp_path / "d")
    capsys.readouterr()
    assert main(["--lang", "en", "audit", "verify", "--data-dir", str(tmp_path / "d")]) == 0
    assert "intact" in capsys.readouterr().out


def test_wrong_password_exits_1_without_asking_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _demo(tmp_path / "d")
    monkeypatch.setenv("HEMLOS_PASSWORD", "wrong")
    asked: list[str] = []
    monkeypatch.setattr("getpass.getpass", lambda prompt="": asked.append(prompt) or "demo")
    capsys.readouterr()
    status = main(["--lang", "en", "check", "--data-dir", str(tmp_path / "d")])
    assert status == 1
    err = capsys.readouterr().err
    assert "password" in err.lower()
    assert asked == []


def test_no_password_and_no_terminal_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _demo(tmp_path / "d")
    monkeypatch.delenv("HEMLOS_PASSWORD")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    capsys.readouterr()
    assert main(["--lang", "en", "check", "--data-dir", str(tmp_path / "d")]) == 1
    assert "HEMLOS_PASSWORD" in capsys.readouterr().err


def test_prompt_only_on_a_terminal_and_only_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _demo(tmp_path / "d")
    monkeypatch.delenv("HEMLOS_PASSWORD")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    asked: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        asked.append(prompt)
        return "wrong"

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    assert main(["--lang", "en", "check", "--data-dir", str(tmp_path / "d")]) == 1
    assert len(asked) == 1


def test_user_option_and_missing_user(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _demo(tmp_path / "d")
    monkeypatch.delenv("HEMLOS_USER")
    capsys.readouterr()
    assert main(["--lang", "en", "check", "--data-dir", str(tmp_path / "d")]) == 1
    assert "--user" in capsys.readouterr().err
    folder = str(tmp_path / "d")
    assert main(["--lang", "en", "check", "--user", "worker", "--data-dir", folder]) == 0


def test_init_creates_the_admin_and_shows_the_recovery_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEMLOS_PASSWORD", "first-pw-long enough")
    folder = tmp_path / "real"
    assert main(["--lang", "en", "init", "--admin", "Maria", "--data-dir", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Recovery key" in out and (folder / "hemlos.keys").is_file()
    monkeypatch.setenv("HEMLOS_USER", "maria")
    assert main(["--lang", "en", "check", "--data-dir", str(folder)]) == 0
    monkeypatch.setenv("HEMLOS_USER", "admin")
    monkeypatch.setenv("HEMLOS_PASSWORD", "demo")
    assert main(["--lang", "en", "check", "--data-dir", str(folder)]) == 1  # no demo accounts
    # A second init refuses: the key file exists.
    assert main(["--lang", "en", "init", "--admin", "x", "--data-dir", str(folder)]) == 1


def test_read_password_prefers_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEMLOS_PASSWORD", "from-env")
    assert common.read_password() == "from-env"


def test_init_on_a_terminal_asks_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HEMLOS_PASSWORD")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter(["one", "two"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    folder = str(tmp_path / "x")
    assert main(["--lang", "en", "init", "--admin", "boss", "--data-dir", folder]) == 1
    assert "not the same" in capsys.readouterr().err
    assert not (tmp_path / "x" / "hemlos.keys").exists()
