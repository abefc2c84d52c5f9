"""The printed plan: sv and da, large type, labels, page numbers, fonts, no English left."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from clientworld import World
from pdf_checks import font_problems
from pypdf import PdfReader

from hemlos_desktop.models.plan import SipInfo, SipParty
from hemlos_desktop.models.plan_rules import AgreementRecord, Responsible, ResponsibleKind
from hemlos_desktop.reports.leaks import english_leaks
from hemlos_desktop.services import plans
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.pdf_export import PdfOptions, export_pdf
from hemlos_desktop.services.plans import NoPlanError
from hemlos_desktop.storage import Database

TODAY = dt.date(2026, 11, 2)


def render_plan_pdf(db: Database, actor: Actor, client: int, language: str, path: Path) -> Path:
    """The plan through the one path every plan PDF takes (the Plans page's button too)."""
    return export_pdf(db, actor, client, path, PdfOptions(language), kind="plan")


def make_plan(world: World, client: int, *, agree: bool, template: str = "cti") -> None:
    anna = world.actors["anna"]
    info = plans.create_draft(
        world.db, anna, client, start=TODAY, template_id=template, language="da"
    ).value
    goals = tuple(
        replace(
            g,
            text=g.text + " – jeg vil have min egen nøgle",
            actions=tuple(
                replace(
                    a,
                    responsible=Responsible(ResponsibleKind.OUTSIDE, "Boligselskabet", "landlord"),
                )
                for a in g.actions
            ),
        )
        for g in info.snapshot.goals
    )
    sip = SipInfo((SipParty("Psykiatrien", "Eva Holm", "Medicin hver uge"),), lead="Psykiatrien")
    info = plans.save_draft(
        world.db,
        anna,
        info.version_id,
        replace(info.snapshot, goals=goals, participants=("Kim", "Anna")),
        sip,
        expected_revision=info.revision,
    ).value
    if agree:
        record = AgreementRecord(TODAY, ("Kim", "Anna"), client_agreed=True, client_signed=False)
        plans.agree(world.db, anna, info.version_id, record, today=TODAY)


@pytest.mark.parametrize("language", ["sv", "da"])
def test_plan_pdf_reads_back(world: World, tmp_path: Path, language: str) -> None:
    client = world.add("Kim", "Berg", by="anna")
    make_plan(world, client, agree=True)
    out = render_plan_pdf(world.db, world.actors["anna"], client, language, tmp_path / "p.pdf")
    reader = PdfReader(str(out))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert font_problems(reader) == []
    assert "jeg vil have min egen nøgle" in text and "Boligselskabet" in text
    assert "Psykiatrien" in text and "Eva Holm" in text
    expected = {
        "sv": ("Min plan", "Underskrift", "Sida 1 av"),
        "da": ("Min plan", "Underskrift", "Side 1 af"),
    }
    for label in expected[language]:
        assert label in text, label
    assert english_leaks(text, language, ignore=("Kim", "Berg", "Anna")) == []
    assert ("UTKAST" if language == "sv" else "UDKAST") not in text.upper()


def test_draft_is_marked_and_no_plan_refused(world: World, tmp_path: Path) -> None:
    client = world.add("Kim", "Berg", by="anna")
    with pytest.raises(NoPlanError) as failed:
        render_plan_pdf(world.db, world.actors["anna"], client, "da", tmp_path / "x.pdf")
    assert failed.value.message()
    assert not (tmp_path / "x.pdf").exists()
    make_plan(world, client, agree=False, template="housing_first")
    out = render_plan_pdf(world.db, world.actors["anna"], client, "da", tmp_path / "d.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(str(out)).pages)
    assert "UDKAST" in text.upper()
