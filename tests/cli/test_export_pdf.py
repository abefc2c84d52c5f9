"""``hemlos-desktop export-pdf``: exit codes and messages, the file written atomically."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from clientworld import World, pnr
from encrypted import ensure_encrypted

from hemlos_desktop.cli import build_parser
from hemlos_desktop.cli import main as cli_main
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.services import pdf_export
from hemlos_desktop.storage import DataLocation

NUMBER = pnr(dt.date(1985, 3, 12))


def run(location: DataLocation, *args: str) -> int:
    ensure_encrypted(location)
    return cli_main(
        ["--lang", "en", "export-pdf", "--data-dir", str(location.folder), "--user", "admin", *args]
    )


def test_success_writes_pdf(
    world: World, location: DataLocation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    world.add("Åsa", "Öberg", number=NUMBER)
    out = tmp_path / "summary.pdf"
    code = run(
        location,
        "--client",
        NUMBER.replace("-", ""),
        "--lang",
        "da",
        "-o",
        str(out),
        "--journal-from",
        "2025-01-01",
    )
    assert code == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert "PDF written" in capsys.readouterr().out
    assert not list(tmp_path.glob(".*partial"))


def test_unknown_client(
    world: World, location: DataLocation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    world.add("Åsa", "Öberg", number=NUMBER)
    code = run(
        location,
        "--client",
        pnr(dt.date(1990, 1, 1)),
        "--lang",
        "sv",
        "-o",
        str(tmp_path / "x.pdf"),
    )
    assert code == 1
    assert ("No client with this number.") in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_several_clients_match(
    world: World, location: DataLocation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The same digits as a Swedish number and as a reserve number of another client.
    world.add("Åsa", "Öberg", number=NUMBER)
    world.add("Bo", "Ek", number=NUMBER.replace("-", ""), kind=IdKind.RESERVE)
    found = pdf_export.client_ids_by_number
    ids = found(world.db, world.actors["admin"], NUMBER)
    if len(ids) < 2:
        pytest.skip("the register keeps these numbers apart")
    code = run(location, "--client", NUMBER, "--lang", "sv", "-o", str(tmp_path / "x.pdf"))
    assert code == 1
    message = "Several clients match this number."
    assert message in capsys.readouterr().err


def test_several_clients_message(
    world: World,
    location: DataLocation,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    world.add("Åsa", "Öberg", number=NUMBER)
    monkeypatch.setattr(pdf_export, "client_ids_by_number", lambda db, actor, text: [1, 2])
    code = run(location, "--client", NUMBER, "--lang", "sv", "-o", str(tmp_path / "x.pdf"))
    assert code == 1
    message = "Several clients match this number."
    assert message in capsys.readouterr().err


def test_unwritable_path(
    world: World, location: DataLocation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    world.add("Åsa", "Öberg", number=NUMBER)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    code = run(location, "--client", NUMBER, "--lang", "sv", "-o", str(blocker / "x.pdf"))
    assert code == 1
    message = "The PDF file could not be written to the chosen place."
    assert message in capsys.readouterr().err


def test_kind_choices_come_from_the_registry() -> None:
    parser = build_parser()
    with pytest.raises(SystemExit):
        parser.parse_args(
            ["export-pdf", "--client", "1", "--lang", "sv", "-o", "x", "--kind", "nope"]
        )
    args = parser.parse_args(["export-pdf", "--client", "1", "--lang", "da", "-o", "x"])
    assert args.kind == "summary"
    assert args.document_language == "da"


def test_language_is_required(location: DataLocation, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["export-pdf", "--client", "1", "-o", "x.pdf"]) == 2


def test_command_line_kinds_match_the_document_registry() -> None:
    from hemlos_desktop.cli import reports as cli_reports
    from hemlos_desktop.services import pdf_export

    assert set(cli_reports.DOCUMENT_KIND_NAMES) == set(pdf_export.document_kinds())
    assert cli_reports.DEFAULT_KIND == pdf_export.DEFAULT_KIND
