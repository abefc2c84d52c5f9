"""``hemlos-desktop settings [--json]`` and the settings problems in ``check``: real files in
the test's own system-wide and user configuration folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hemlos_desktop.cli import main
from hemlos_desktop.demo.data import create_demo_database
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import TEST_PARAMS


def write(path: Path, values: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(values), encoding="utf-8")
    return path


@pytest.fixture
def system_file(isolated_home: Path) -> Path:
    return isolated_home / "site-config" / "hemlos-desktop" / "settings.json"


@pytest.fixture
def user_file(isolated_home: Path) -> Path:
    return isolated_home / "config" / "hemlos-desktop" / "settings.json"


def test_json_names_each_value_and_its_origin(
    capsys: pytest.CaptureFixture[str], system_file: Path, user_file: Path
) -> None:
    write(system_file, {"municipality_name": "Aarhus Kommune", "locked": ["municipality_name"]})
    write(user_file, {"auto_lock_minutes": 3, "municipality_name": "Mine"})
    assert main(["--lang", "da", "settings", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    settings = shown["settings"]
    assert settings["municipality_name"] == {
        "value": "Aarhus Kommune",
        "origin": "system file",
        "file": str(system_file),
        "locked": True,
    }
    assert settings["auto_lock_minutes"]["origin"] == "user file"
    assert settings["auto_lock_minutes"]["file"] == str(user_file)
    assert settings["language"] == {
        "value": "da",
        "origin": "command line",
        "file": None,
        "locked": False,
    }
    assert settings["backup_dir"]["origin"] == "default"
    assert shown["files"]["user"] == str(user_file)
    assert shown["problems"] == []


def test_text_output_and_a_problem_give_status_1(
    capsys: pytest.CaptureFixture[str], system_file: Path
) -> None:
    write(system_file, {"language": "sv", "locked": ["language"], "auto_lock_minutes": "5"})
    assert main(["--lang", "en", "settings"]) == 1
    out = capsys.readouterr().out
    # Locked: --lang en does not win, and the output (in Swedish, the locked language) says so.
    assert f'language          = "sv"  (systemfil: {system_file}, låst)' in out
    assert f'Inställningen "auto_lock_minutes" i {system_file} måste vara ett heltal' in out


def test_check_reports_settings_problems_without_failing_the_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, system_file: Path, fast_kdf: None
) -> None:
    location = DataLocation(tmp_path / "demo")
    create_demo_database(location, clients=2, params=TEST_PARAMS)
    write(system_file, {"colour": "blue"})
    args = [
        "--lang",
        "en",
        "check",
        "--json",
        "--data-dir",
        str(location.folder),
        "--user",
        "admin",
    ]
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HEMLOS_PASSWORD", "demo")
        assert main(args) == 0
        report = json.loads(capsys.readouterr().out)
        assert report["healthy"]
        [problem] = report["settings_problems"]
        assert problem["key"] == "colour" and problem["file"] == str(system_file)
        assert main([arg for arg in args if arg != "--json"]) == 0
    out = capsys.readouterr().out
    assert f'Unknown setting "colour" in {system_file}; it is ignored.' in out


@pytest.mark.parametrize("case", [("sv", "Avbryt"), ("da", "Annuller"), ("en", "Cancel")])
def test_check_shows_the_team_server_and_qt_s_own_language(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    system_file: Path,
    fast_kdf: None,
    case: tuple[str, str],
) -> None:
    lang, cancel = case
    location = DataLocation(tmp_path / "demo")
    create_demo_database(location, clients=2, params=TEST_PARAMS)
    server = "postgresql://team.example.kommune.se/hemlos?sslmode=verify-full"
    write(system_file, {"team_server_url": server})
    args = ["--lang", lang, "check", "--json", "--data-dir", str(location.folder)]
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HEMLOS_PASSWORD", "demo")
        assert main([*args, "--user", "admin"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["team_server_url"] == server
    qt = report["qt_translation"]
    assert (qt["language"], qt["cancel"]) == (lang, cancel)
    assert (qt["catalog"] is None) == (lang == "en")
    if lang != "en":
        assert qt["catalog"].endswith(f"qtbase_{lang}.qm")
