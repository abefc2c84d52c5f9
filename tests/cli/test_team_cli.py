"""A fresh, non-demo database set up from the command line: a team, clients and eviction cases
imported into it, and the goals written as CSV, XLSX and PDF."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from hemlos_desktop.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


def run(folder: Path, *args: str) -> int:
    return main(["--lang", "en", *args[:1], "--data-dir", str(folder), *args[1:]])


@pytest.fixture
def fresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    monkeypatch.setenv("HEMLOS_PASSWORD", "first-pw-long enough")
    folder = tmp_path / "real"
    assert main(["--lang", "en", "init", "--admin", "Maria", "--data-dir", str(folder)]) == 0
    monkeypatch.setenv("HEMLOS_USER", "maria")
    capsys.readouterr()
    return folder


def test_set_up_a_team_and_import_clients_and_evictions(
    fresh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", "en", "teams", "list", "--data-dir", str(fresh)]) == 0
    assert "No teams yet" in capsys.readouterr().out
    assert main(
        ["--lang", "en", "teams", "add", "Södermalm", "--municipality", "Stockholm",
         "--data-dir", str(fresh)]
    ) == 0  # fmt: skip
    assert "Team added: Södermalm" in capsys.readouterr().out
    assert main(["--lang", "en", "teams", "add", "södermalm", "--data-dir", str(fresh)]) == 1
    assert "exists already" in capsys.readouterr().err
    clients = tmp_path / "clients.csv"
    lines = (SAMPLES / "clients-sv.csv").read_text(encoding="utf-8").splitlines()
    clients.write_text(
        "\n".join([lines[0] + ";Team", *(line + ";Södermalm" for line in lines[1:])]) + "\n",
        encoding="utf-8",
    )
    assert main(["--lang", "en", "import-clients", str(clients), "--data-dir", str(fresh)]) == 0
    capsys.readouterr()
    sample = str(SAMPLES / "evictions-sv.csv")
    assert (
        main(["--lang", "en", "import-evictions", sample, "--dry-run", "--data-dir", str(fresh)])
        == 0
    )
    assert "3 eviction cases would be imported" in capsys.readouterr().out
    assert main(["--lang", "en", "import-evictions", sample, "--data-dir", str(fresh)]) == 0
    assert "3 eviction cases imported" in capsys.readouterr().out
    assert main(["--lang", "en", "teams", "list", "--json", "--data-dir", str(fresh)]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed == [
        {"name": "Södermalm", "municipality": "Stockholm", "members": 0, "active_clients": 3,
         "caseload_ceiling": 25}
    ]  # fmt: skip
    assert main(["--lang", "en", "check", "--json", "--data-dir", str(fresh)]) == 0
    counts = json.loads(capsys.readouterr().out)["counts"]
    assert counts["teams"] == 1 and counts["eviction_cases"] == 3 and counts["team_units"] == 5

    out = tmp_path / "goals.csv"
    assert main(
        ["--lang", "en", "goals", "--from", "2026-01-01", "--to", "2026-12-31", "--team",
         "Södermalm", "-o", str(out), "--data-dir", str(fresh)]
    ) == 0  # fmt: skip
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = {r["goal"]: r for r in csv.DictReader(handle)}
    assert list(rows) == [
        "lease_kept", "lasting_housing", "handling_days", "rough_sleepers",
        "young_in_shelter", "long_shelter_stays", "release_without_housing",
    ]  # fmt: skip
    # Anna Söderström kept her lease on 2026-04-14; Jens Mørch was evicted.
    lease = rows["lease_kept"]
    # One person is a figure that could point at her: exports say "<5" (and 0 stays 0).
    assert (lease["woman"], lease["man"], lease["total"]) == ("<5", "0", "<5")
    assert rows["lease_kept"]["target"] == "15–20"

    xlsx = tmp_path / "goals.xlsx"
    assert main(
        ["--lang", "en", "goals", "--from", "2026-01-01", "--to", "2026-12-31",
         "--lang", "sv", "-o", str(xlsx), "--data-dir", str(fresh)]
    ) == 0  # fmt: skip
    sheet = openpyxl.load_workbook(xlsx).worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[:7] == ["goal", "target", "woman", "man", "other", "not_stated", "total"]

    pdf = tmp_path / "goals.pdf"
    assert main(
        ["--lang", "en", "goals", "--from", "2026-01-01", "--to", "2026-12-31",
         "-o", str(pdf), "--data-dir", str(fresh)]
    ) == 2  # fmt: skip
    assert "--lang sv" in capsys.readouterr().err
    assert main(
        ["--lang", "en", "goals", "--from", "2026-01-01", "--to", "2026-12-31",
         "--lang", "da", "-o", str(pdf), "--data-dir", str(fresh)]
    ) == 0  # fmt: skip
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    text = " ".join(text.split())
    assert "Lejere" in text or "lejemål" in text  # Danish titles
    assert "Söderström" not in text
    assert "<5" in text  # the one person who kept her lease is not a readable count


def test_a_bad_eviction_file_imports_nothing(
    fresh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id_number,reason,notice_date,eviction_date,outcome,outcome_date\n"
        "19850312-9812,rent_arrears,2026-03-01,2026-02-01,,\n"
        "19850312-9812,rent_arrears,2026-03-01,,kept,2026-04-01\n",
        encoding="utf-8",
    )
    assert main(["--lang", "en", "import-evictions", str(bad), "--data-dir", str(fresh)]) == 1
    err = capsys.readouterr().err
    assert "line 2: id_number: no client with this number" in err or "line 2: eviction_date" in err
    assert "line 3: outcome: unknown outcome" in err
    assert "Nothing was imported" in err


def test_teams_add_needs_an_administrator(
    fresh: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from hemlos_desktop.models.people import Role
    from hemlos_desktop.services.accounts import add_account
    from hemlos_desktop.services.session import open_with_key, unlock_key
    from hemlos_desktop.storage import DataLocation

    location = DataLocation(fresh)
    key = unlock_key(location, "maria", "first-pw-long enough")
    signed_in = open_with_key(location, "maria", key)
    try:
        add_account(
            signed_in.db, signed_in.actor, key,
            username="kim", display_name="Kim", role=Role.CASEWORKER, team_ids=[],
            password="kims-password-long",
        )  # fmt: skip
    finally:
        signed_in.db.dispose()
    monkeypatch.setenv("HEMLOS_USER", "kim")
    monkeypatch.setenv("HEMLOS_PASSWORD", "kims-password-long")
    assert main(["--lang", "en", "teams", "add", "X", "--data-dir", str(fresh)]) == 1
    assert capsys.readouterr().err.strip()
    assert main(["--lang", "en", "teams", "list", "--json", "--data-dir", str(fresh)]) == 0
    assert json.loads(capsys.readouterr().out) == []
