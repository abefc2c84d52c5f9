"""``export-pdf --team NAME --out-dir DIR``: a caseworker on an encrypted database."""

from __future__ import annotations

from pathlib import Path

import pytest

from hemlos_desktop.cli import main as cli_main
from hemlos_desktop.models.client import Gender
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.models.people import Role
from hemlos_desktop.services.accounts import add_account
from hemlos_desktop.services.clients import register_client
from hemlos_desktop.services.setup import create_administrator
from hemlos_desktop.services.users import create_team
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import TEST_PARAMS


@pytest.fixture
def team_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[DataLocation, list[int]]:
    """Encrypted: "Team A" with two clients of caseworker wilma, "Team B" with one other."""
    location = DataLocation(tmp_path / "enc")
    admin = create_administrator(
        location, username="anna", display_name="Anna Admin", password="pw", params=TEST_PARAMS
    ).signed_in
    with admin.db.begin() as s:
        team_a = create_team(s, "Team A").id
        team_b = create_team(s, "Team B").id
    add_account(
        admin.db,
        admin.actor,
        admin.data_key,
        username="wilma",
        display_name="Wilma Berg",
        role=Role.CASEWORKER,
        team_ids=[team_a],
        password="Wilma-läser-journalen-7",
    )

    def add(first: str, team: int) -> int:
        data = ClientInput(
            id_kind=IdKind.NONE,
            id_text="",
            first_name=first,
            last_name="Lind",
            gender=Gender.MAN,
            team_id=team,
        )
        return register_client(admin.db, admin.actor, data).value

    ids = [add("Åke", team_a), add("Bo", team_a)]
    add("Cilla", team_b)
    admin.db.dispose()
    monkeypatch.setenv("HEMLOS_USER", "wilma")
    monkeypatch.setenv("HEMLOS_PASSWORD", "Wilma-läser-journalen-7")
    return location, ids


def run(location: DataLocation, *args: str) -> int:
    return cli_main(["--lang", "en", "export-pdf", "--data-dir", str(location.folder), *args])


@pytest.mark.slow
def test_team_export_writes_every_client_of_the_team(
    team_world: tuple[DataLocation, list[int]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    location, ids = team_world
    out = tmp_path / "out"
    code = run(location, "--team", " team a", "--out-dir", str(out), "--lang", "da")
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"summary-{i}-da.pdf" for i in ids)
    assert "2 PDFs written" in capsys.readouterr().out


@pytest.mark.slow
def test_a_failed_client_is_one_line_and_exit_1(
    team_world: tuple[DataLocation, list[int]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    location, ids = team_world
    out = tmp_path / "out"
    (out / f"summary-{ids[0]}-sv.pdf").mkdir(parents=True)  # the file cannot be written there
    code = run(location, "--team", "Team A", "--out-dir", str(out), "--lang", "sv")
    captured = capsys.readouterr()
    assert code == 1
    failed = [line for line in captured.err.splitlines() if line.startswith("Client ")]
    assert len(failed) == 1 and failed[0].startswith(f"Client {ids[0]}: ")
    assert (out / f"summary-{ids[1]}-sv.pdf").read_bytes().startswith(b"%PDF")
    assert "Lind" not in captured.err + captured.out


def test_unknown_team_and_wrong_options(
    team_world: tuple[DataLocation, list[int]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    location, _ids = team_world
    assert run(location, "--team", "Team Z", "--out-dir", str(tmp_path), "--lang", "sv") == 1
    assert "no team with this name" in capsys.readouterr().err
    assert run(location, "--team", "Team A", "-o", str(tmp_path / "x.pdf"), "--lang", "sv") == 2
    assert "--out-dir" in capsys.readouterr().err
