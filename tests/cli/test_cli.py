"""The command line: version, language, ``check`` and ``demo-data``, exit codes and streams."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hemlos_desktop import __version__
from hemlos_desktop.cli import main
from hemlos_desktop.storage.migrate import head_revision


def _demo(folder: Path) -> None:
    assert main(["--lang", "en", "demo-data", "--clients", "0", "--data-dir", str(folder)]) == 0


def _json_out(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected exactly one line on stdout, got {out!r}"
    data = json.loads(lines[0])
    assert isinstance(data, dict)
    return data


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"hemlos-desktop {__version__}"


@pytest.mark.slow
def test_unknown_language_is_refused_before_any_window(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from hemlos_desktop.cli import main\n"
        "try:\n"
        "    main(['--lang', 'fr', '--data-dir', sys.argv[1]])\n"
        "except SystemExit as exc:\n"
        "    loaded = [m for m in ('PySide6.QtWidgets', 'PySide6.QtGui') if m in sys.modules]\n"
        "    print('loaded:' + ','.join(loaded))\n"
        "    raise\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "data")],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "invalid choice: 'fr'" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.strip() == "loaded:"
    assert not (tmp_path / "data").exists()


def test_demo_data_with_no_clients(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "demo"
    _demo(folder)
    assert (folder / "hemlos.db").is_file()
    assert "0 clients" in capsys.readouterr().out


def test_demo_data_refuses_an_existing_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "demo"
    _demo(folder)
    before = (folder / "hemlos.db").read_bytes()
    capsys.readouterr()
    status = main(["--lang", "en", "demo-data", "--clients", "0", "--data-dir", str(folder)])
    assert status == 1
    assert "already holds a database" in capsys.readouterr().err
    assert (folder / "hemlos.db").read_bytes() == before


def test_check_healthy_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "demo"
    _demo(folder)
    capsys.readouterr()
    assert main(["check", "--json", "--data-dir", str(folder)]) == 0
    report = _json_out(capsys)
    assert report["healthy"] is True
    assert report["integrity"] == "ok"
    assert report["schema_revision"] == head_revision()
    assert report["schema_up_to_date"] is True
    assert report["is_demo"] is True
    counts = report["counts"]
    assert isinstance(counts, dict) and counts["database_info"] >= 3


def test_check_healthy_human(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "demo"
    _demo(folder)
    capsys.readouterr()
    assert main(["--lang", "sv", "check", "--data-dir", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Databas: felfri" in out
    assert "Integritet: ok" in out
    assert "Poster per tabell:" in out


def test_data_dir_before_the_sub_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "demo"
    _demo(folder)
    capsys.readouterr()
    assert main(["--data-dir", str(folder), "check", "--json"]) == 0
    assert _json_out(capsys)["healthy"] is True


def test_data_dir_from_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "demo"
    _demo(folder)
    capsys.readouterr()
    monkeypatch.setenv("HEMLOS_DATA_DIR", str(folder))
    assert main(["check", "--json"]) == 0
    assert _json_out(capsys)["healthy"] is True


def test_check_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "empty"
    assert main(["check", "--json", "--data-dir", str(folder)]) == 1
    report = _json_out(capsys)
    assert report["healthy"] is False
    assert report["integrity"] == "missing"
    assert not folder.exists(), "check must not create anything"


def test_check_missing_database_human_is_translated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", "da", "check", "--data-dir", str(tmp_path / "empty")]) == 1
    out = capsys.readouterr().out
    assert "Integritet: databasefilen mangler" in out
    assert "missing" not in out


def test_check_garbage_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "garbage"
    folder.mkdir()
    garbage = bytes(range(256)) * 64
    (folder / "hemlos.db").write_bytes(garbage)
    assert main(["check", "--json", "--data-dir", str(folder)]) == 1
    report = _json_out(capsys)
    assert report["healthy"] is False
    assert report["integrity"] == "unreadable"
    assert report["error"] == "CorruptDatabaseError"
    assert (folder / "hemlos.db").read_bytes() == garbage


def test_check_garbage_file_human(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "garbage"
    folder.mkdir()
    (folder / "hemlos.db").write_bytes(b"not a database at all" * 100)
    assert main(["--lang", "sv", "check", "--data-dir", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "Integritet: går inte att läsa" in out
    assert "skadad" in out  # the translated CorruptDatabaseError message


def test_check_newer_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "newer"
    _demo(folder)
    from hemlos_desktop.services.session import unlock_key
    from hemlos_desktop.storage import DataLocation, open_database

    location = DataLocation(folder)
    db = open_database(location, key=unlock_key(location, "admin", "demo"), migrate=False)
    conn = db.raw_connection()
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    db.dispose()
    before = (folder / "hemlos.db").read_bytes()
    capsys.readouterr()
    assert main(["check", "--json", "--data-dir", str(folder)]) == 1
    report = _json_out(capsys)
    assert report["healthy"] is False
    assert report["error"] == "NewerSchemaError"
    assert report["integrity"] == "not checked"
    assert (folder / "hemlos.db").read_bytes() == before


def test_logs_go_to_stderr_not_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "demo"
    _demo(folder)
    capsys.readouterr()
    assert main(["--verbose", "check", "--json", "--data-dir", str(folder)]) == 0
    captured = capsys.readouterr()
    json.loads(captured.out)  # stdout is nothing but the JSON object
    assert captured.out.count("\n") == 1


def test_unusable_data_folder_gives_a_plain_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A file where the data folder should be: cannot be created or read, even by root.
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    status = main(["--lang", "en", "demo-data", "--clients", "0", "--data-dir", str(blocker)])
    assert status == 1
    err = capsys.readouterr().err
    assert err.startswith("hemlos-desktop: The data folder does not exist and cannot be created")
    assert "Traceback" not in err
    assert main(["--lang", "en", "check", "--data-dir", str(blocker)]) == 1
    out = capsys.readouterr().out
    assert "Integrity: unreadable" in out
    assert blocker.read_text() == "x"


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="needs POSIX permissions, not root"
)
def test_unreadable_data_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0)
    try:
        assert main(["--lang", "en", "check", "--data-dir", str(folder)]) == 1
        assert "Integrity: unreadable" in capsys.readouterr().out
        status = main(["--lang", "en", "demo-data", "--clients", "0", "--data-dir", str(folder)])
        assert status == 1
        assert "hemlos-desktop: " in capsys.readouterr().err
    finally:
        folder.chmod(0o700)


def test_demo_data_rejects_a_negative_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["--lang", "en", "demo-data", "--clients", "-1", "--data-dir", str(tmp_path)])
    assert status == 1
    assert "between 0 and" in capsys.readouterr().err


def test_data_dir_from_system_wide_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], isolated_home: Path
) -> None:
    folder = tmp_path / "configured"
    _demo(folder)
    capsys.readouterr()
    site = isolated_home / "site-config" / "hemlos-desktop"
    site.mkdir(parents=True)
    (site / "settings.json").write_text(json.dumps({"data_dir": str(folder)}), encoding="utf-8")
    assert main(["check", "--json"]) == 0
    assert _json_out(capsys)["healthy"] is True
