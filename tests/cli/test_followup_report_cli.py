"""``hemlos-desktop followup-report``: the report for a team, exit codes, messages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from clientworld import World
from encrypted import ensure_encrypted
from pypdf import PdfReader

from hemlos_desktop.cli import main as cli_main
from hemlos_desktop.models.assessment_rules import AreaRating, RatingDraft
from hemlos_desktop.models.instrument import SODERMALM_ID
from hemlos_desktop.services import assessments
from hemlos_desktop.storage import DataLocation

KEYS = ("housing", "income", "substance_use", "daily_living", "occupation")


def run(location: DataLocation, *args: str) -> int:
    ensure_encrypted(location)
    return cli_main(
        [
            "--lang",
            "en",
            "followup-report",
            "--data-dir",
            str(location.folder),
            "--user",
            "admin",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            *args,
        ]
    )


def test_team_report_in_danish(
    world: World, location: DataLocation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client = world.add("Åsa", "Öberg", team=world.team_a)
    for day, level in ((dt.date(2026, 1, 5), 2), (dt.date(2026, 5, 5), 3)):
        draft = RatingDraft(SODERMALM_ID, 1, day, True, tuple(AreaRating(k, level) for k in KEYS))
        assessments.sign_draft(world.db, world.actors["admin"], client, draft)
    out = tmp_path / "f.pdf"
    assert run(location, "--team", "team a", "--lang", "da", "-o", str(out)) == 0
    assert "PDF written" in capsys.readouterr().out
    text = " ".join(PdfReader(out).pages[0].extract_text().split())
    assert "Team Team A" in text and "Side 1 af" in text
    assert "Öberg" not in text


def test_unknown_team_and_missing_language(
    world: World, location: DataLocation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "f.pdf"
    assert run(location, "--team", "Nowhere", "--lang", "sv", "-o", str(out)) == 2
    assert "No such team or caseworker" in capsys.readouterr().err
    assert run(location, "-o", str(out)) == 2
    assert "--lang" in capsys.readouterr().err
    assert not out.exists()
