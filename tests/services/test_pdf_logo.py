"""The municipality's logo (the ``municipality_logo`` setting) in the header of client PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest
from clientworld import World
from PIL import Image
from pypdf import PdfReader
from summary_world import TODAY, add_full_client

from hemlos_desktop.services.pdf_export import PdfOptions, export_pdf


def logo_file(folder: Path) -> Path:
    path = folder / "logo.png"
    Image.new("RGB", (300, 100), (200, 30, 30)).save(path)
    return path


def images_per_page(path: Path) -> list[int]:
    return [len(page.images) for page in PdfReader(path).pages]


@pytest.mark.parametrize("kind", ["summary", "extract"])
def test_the_logo_is_on_every_page(world: World, tmp_path: Path, kind: str) -> None:
    cid = add_full_client(world)
    logo = logo_file(tmp_path)
    out = tmp_path / "with.pdf"
    options = PdfOptions(
        "da", municipality="Aarhus Kommune", municipality_logo=str(logo), today=TODAY
    )
    export_pdf(world.db, world.actors["admin"], cid, out, options, kind=kind)
    assert all(count >= 1 for count in images_per_page(out))
    without = tmp_path / "without.pdf"
    export_pdf(
        world.db, world.actors["admin"], cid, without, PdfOptions("da", today=TODAY), kind=kind
    )
    assert images_per_page(without) == [0] * len(images_per_page(without))


def test_a_missing_or_broken_logo_leaves_the_document_as_it_was(
    world: World, tmp_path: Path
) -> None:
    cid = add_full_client(world)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")
    for logo in (tmp_path / "missing.png", broken):
        out = tmp_path / f"{logo.stem}.pdf"
        options = PdfOptions("sv", municipality_logo=str(logo), today=TODAY)
        export_pdf(world.db, world.actors["admin"], cid, out, options)
        assert "Sida 1 av" in PdfReader(out).pages[0].extract_text()
        assert images_per_page(out) == [0] * len(images_per_page(out))


def test_the_followup_report_carries_the_logo_too(world: World, tmp_path: Path) -> None:
    import datetime as dt

    from hemlos_desktop.services.followup_report import export_followup_pdf

    out = tmp_path / "followup.pdf"
    export_followup_pdf(
        world.db,
        world.actors["admin"],
        out,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        language="sv",
        municipality="Lunds kommun",
        municipality_logo=str(logo_file(tmp_path)),
    )
    assert all(count >= 1 for count in images_per_page(out))
