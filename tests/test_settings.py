"""Central settings: system-wide defaults set by IT, locked keys, and clear messages for a file
with an unknown key or a value of the wrong type. Real files in the test's own folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hemlos_desktop import i18n
from hemlos_desktop.settings import (
    LOCKABLE_KEYS,
    Origin,
    ProblemKind,
    Settings,
    SettingsStore,
)


@pytest.fixture
def store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(tmp_path / "user", site_folders=[tmp_path / "site"])


def write(path: Path, values: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(values), encoding="utf-8")
    return path


def system_file(store: SettingsStore) -> Path:
    return store.site_paths[0]


def test_no_files_means_defaults_everywhere(store: SettingsStore) -> None:
    loaded = store.load_report()
    assert loaded.settings == Settings()
    assert {item.origin for item in loaded.values} == {Origin.DEFAULT}
    assert loaded.problems == ()


def test_every_key_it_needs_is_read_from_the_system_file(store: SettingsStore) -> None:
    values = {
        "language": "da",
        "data_dir": "/srv/hemlos",
        "backup_dir": "/mnt/backup",
        "municipality_name": "Københavns Kommune",
        "municipality_logo": "/etc/hemlos/logo.png",
        "auto_lock_minutes": 5,
        "retention_rules": {"closed_case_years": 10, "unidentified_contact_years": 3},
        "team_server_url": "postgresql://team.example.kommune.dk/hemlos?sslmode=verify-full",
        "locked": ["language", "auto_lock_minutes"],
    }
    path = write(system_file(store), values)
    loaded = store.load_report()
    assert loaded.problems == ()
    for key, value in values.items():
        assert getattr(loaded.settings, key) == (sorted(value) if key == "locked" else value)
    for item in loaded.values:
        if item.key in values:
            assert (item.origin, item.file) == (Origin.SYSTEM, path)
    assert loaded.locked == {"language", "auto_lock_minutes"}


def test_user_file_overrides_what_is_not_locked(store: SettingsStore) -> None:
    write(system_file(store), {"language": "da", "auto_lock_minutes": 5, "locked": ["language"]})
    user = write(store.path, {"language": "en", "auto_lock_minutes": 20})
    loaded = store.load_report({"language": "sv"})
    assert loaded.settings.language == "da"  # locked: neither the user file nor --lang
    assert loaded.origin_of("language") is Origin.SYSTEM
    assert loaded.settings.auto_lock_minutes == 20
    assert loaded.origin_of("auto_lock_minutes") is Origin.USER
    assert next(i.file for i in loaded.values if i.key == "auto_lock_minutes") == user


def test_command_line_wins_when_not_locked(store: SettingsStore) -> None:
    write(system_file(store), {"language": "da"})
    write(store.path, {"language": "en"})
    loaded = store.load_report({"language": "sv"})
    assert loaded.settings.language == "sv"
    assert loaded.origin_of("language") is Origin.COMMAND_LINE


@pytest.mark.parametrize(
    ("values", "kind", "key"),
    [
        ({"langauge": "da"}, ProblemKind.UNKNOWN_KEY, "langauge"),
        ({"auto_lock_minutes": "5"}, ProblemKind.WRONG_TYPE, "auto_lock_minutes"),
        ({"auto_lock_minutes": True}, ProblemKind.WRONG_TYPE, "auto_lock_minutes"),
        ({"auto_lock_minutes": -1}, ProblemKind.BAD_VALUE, "auto_lock_minutes"),
        ({"language": "de"}, ProblemKind.BAD_VALUE, "language"),
        ({"language": 3}, ProblemKind.WRONG_TYPE, "language"),
        ({"locked": "language"}, ProblemKind.WRONG_TYPE, "locked"),
        ({"locked": ["window_state"]}, ProblemKind.BAD_VALUE, "locked"),
        ({"team_server_url": "ftp://x"}, ProblemKind.BAD_VALUE, "team_server_url"),
        ({"team_server_url": "https://x.dk"}, ProblemKind.BAD_VALUE, "team_server_url"),
        ({"team_server_url": "postgresql://x.dk"}, ProblemKind.BAD_VALUE, "team_server_url"),
        (
            {"team_server_url": "postgresql://ida:secret@x.dk/hemlos"},
            ProblemKind.BAD_VALUE,
            "team_server_url",
        ),
        ({"municipality_logo": "logo.gif"}, ProblemKind.BAD_VALUE, "municipality_logo"),
        (
            {"retention_rules": {"closed_case_years": "5"}},
            ProblemKind.WRONG_TYPE,
            "retention_rules",
        ),
        ({"retention_rules": {"forever": 5}}, ProblemKind.BAD_VALUE, "retention_rules"),
    ],
)
def test_a_bad_key_is_named_with_its_file_and_the_rest_still_applies(
    store: SettingsStore, values: dict[str, object], kind: ProblemKind, key: str
) -> None:
    path = write(system_file(store), {**values, "municipality_name": "Malmö stad"})
    loaded = store.load_report()
    [problem] = loaded.problems
    assert (problem.kind, problem.key, problem.file) == (kind, key, path)
    assert key in problem.message() and str(path) in problem.message()
    assert getattr(loaded.settings, key, None) == getattr(Settings(), key, None)
    assert loaded.settings.municipality_name == "Malmö stad"


def test_the_message_is_translated(store: SettingsStore) -> None:
    write(system_file(store), {"auto_lock_minutes": "ten"})
    [problem] = store.load_report().problems
    i18n.set_language("sv")
    try:
        swedish = problem.message()
    finally:
        i18n.set_language("en")
    assert swedish != problem.message()
    assert "auto_lock_minutes" in swedish and str(problem.file) in swedish


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", "\u00ff\u00fe"])
def test_an_unreadable_file_is_one_problem_and_defaults_apply(
    store: SettingsStore, text: str
) -> None:
    path = system_file(store)
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="latin-1")
    loaded = store.load_report()
    [problem] = loaded.problems
    assert problem.file == path
    assert problem.kind in {ProblemKind.UNREADABLE, ProblemKind.NOT_AN_OBJECT}
    assert loaded.settings == Settings()


def test_a_file_that_cannot_be_read_is_named(store: SettingsStore) -> None:
    path = system_file(store)
    path.mkdir(parents=True)  # a folder where the file should be: reading it fails
    [problem] = store.load_report().problems
    assert (problem.kind, problem.file) == (ProblemKind.CANNOT_READ, path)
    assert "cannot be read" in problem.message()


def test_locked_in_a_user_file_is_unknown(store: SettingsStore) -> None:
    write(store.path, {"locked": []})
    [problem] = store.load_report().problems
    assert (problem.kind, problem.key) == (ProblemKind.UNKNOWN_KEY, "locked")


def test_saving_keeps_only_the_users_own_choices(store: SettingsStore) -> None:
    write(
        system_file(store), {"language": "da", "municipality_name": "Lund", "locked": ["language"]}
    )
    settings = store.load()
    settings.window_state = "abc"
    settings.auto_lock_minutes = 15
    settings.language = "en"  # somehow changed: still never written, it is locked
    store.save(settings)
    assert json.loads(store.path.read_text(encoding="utf-8")) == {
        "window_state": "abc",
        "auto_lock_minutes": 15,
    }
    # IT changes the municipality later: the user's file does not pin the old value.
    write(system_file(store), {"language": "da", "municipality_name": "Lunds kommun"})
    assert store.load().municipality_name == "Lunds kommun"


def test_the_strongest_system_folder_comes_first(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "user", site_folders=[tmp_path / "a", tmp_path / "b"])
    write(tmp_path / "a" / "settings.json", {"municipality_name": "A"})
    write(tmp_path / "b" / "settings.json", {"municipality_name": "B", "language": "da"})
    loaded = store.load_report()
    assert (loaded.settings.municipality_name, loaded.settings.language) == ("A", "da")


def test_lockable_keys_are_the_ones_it_sets() -> None:
    assert "language" in LOCKABLE_KEYS and "window_geometry" not in LOCKABLE_KEYS
    assert "locked" not in LOCKABLE_KEYS


def test_the_central_file_named_at_install_time_is_strongest(tmp_path: Path) -> None:
    central = write(tmp_path / "share" / "hemlos.json", {"municipality_name": "Central"})
    store = SettingsStore(tmp_path / "user", site_folders=[tmp_path / "site"], central_file=central)
    write(tmp_path / "site" / "settings.json", {"municipality_name": "Local", "language": "da"})
    loaded = store.load_report()
    assert (loaded.settings.municipality_name, loaded.settings.language) == ("Central", "da")
    assert next(i.file for i in loaded.values if i.key == "municipality_name") == central
