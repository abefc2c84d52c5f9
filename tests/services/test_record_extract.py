"""The record extract: everything held about one client in sv and da, with the access log."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from clientworld import World, pnr
from pypdf import PdfReader

from hemlos_desktop.errors import AccessDeniedError
from hemlos_desktop.models.assessment_rules import AreaRating, RatingDraft
from hemlos_desktop.models.client import ContactKind, ContactOutcome, JournalCategory
from hemlos_desktop.models.instrument import SODERMALM_ID
from hemlos_desktop.models.plan import SipInfo, SipParty
from hemlos_desktop.models.plan_rules import (
    ActionResult,
    ActionStatus,
    AgreementRecord,
    FollowUpRecord,
    GoalResult,
    Responsible,
    ResponsibleKind,
)
from hemlos_desktop.reports.leaks import english_leaks
from hemlos_desktop.services import assessments, contacts, journal, plans
from hemlos_desktop.services.case_overview import case_overview
from hemlos_desktop.services.pdf_export import PdfOptions, render_document


def _client(world: World) -> int:
    cid = world.add("Anna", "Söderström", number=pnr(dt.date(1985, 3, 12)), by="anna")
    for day in range(1, 30):  # more contacts than a summary shows
        contacts.add_contact(
            world.db, world.actors["anna"], cid,
            contacts.ContactInput(dt.date(2025, 1, day), ContactKind.STREET, ContactOutcome.BRIEF),
        )  # fmt: skip
    draft = journal.save_draft(
        world.db, world.actors["anna"], cid, draft_id=None, entry_date=dt.date(2019, 5, 1),
        category=JournalCategory.MEETING, text="Första mötet på härbärget.",
    ).value  # fmt: skip
    journal.sign_entry(world.db, world.actors["anna"], draft)
    case_overview(world.db, world.actors["lead"], cid)
    return cid


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("sv", ["Registerutdrag", "Vem som har läst eller ändrat i akten", "Sida 1 av"]),
        ("da", ["Indsigt", "Hvem der har læst eller ændret sagen", "Side 1 af"]),
    ],
)
def test_extract_holds_everything(world: World, language: str, words: list[str]) -> None:
    cid = _client(world)
    data = render_document(
        world.db, world.actors["lead"], cid, PdfOptions(language=language), kind="extract"
    )
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    for word in words:
        assert word in text, word
    assert "Första mötet på härbärget." in text  # journal from years ago is included
    assert text.count("01.2025") + text.count("2025-01-") >= 29  # every contact, not 20
    assert "anna" in text and "lead" in text  # who accessed the record
    assert "19850312-****" in text
    assert english_leaks(text, language, ignore=["Anna", "Worker", "Lead", "Admin"]) == []


def test_caseworkers_do_not_make_extracts(world: World) -> None:
    cid = _client(world)
    with pytest.raises(AccessDeniedError):
        render_document(world.db, world.actors["anna"], cid, PdfOptions("sv"), kind="extract")


KEYS = ("housing", "income", "substance_use", "daily_living", "occupation")
TODAY = dt.date(2026, 11, 2)


def _rating(day: dt.date, levels: tuple[int | None, ...], comment: str = "") -> RatingDraft:
    areas = tuple(
        AreaRating(key, level, comment if level is not None else "", "" if level else "Sjuk")
        for key, level in zip(KEYS, levels, strict=True)
    )
    return RatingDraft(SODERMALM_ID, 1, day, True, areas)


def _with_ratings_and_plans(world: World) -> int:
    cid = world.add("Kim", "Berg", number=pnr(dt.date(1979, 6, 2)), by="anna")
    anna = world.actors["anna"]
    assessments.sign_draft(
        world.db, anna, cid, _rating(dt.date(2025, 2, 3), (5, 4, 4, 3, 2), "Bor på härbärge")
    , today=TODAY)  # fmt: skip
    second = assessments.sign_draft(
        world.db, anna, cid, _rating(dt.date(2026, 3, 4), (3, 3, None, 2, 2)), today=TODAY
    ).value
    correction = assessments.start_correction(world.db, anna, second).value
    assessments.sign_draft(
        world.db, anna, cid, _rating(dt.date(2026, 3, 4), (1, 3, None, 2, 2), "Rättat boende"),
        assessment_id=correction, corrects_id=second, today=TODAY,
    )  # fmt: skip
    assessments.save_draft(world.db, world.actors["lead"], cid, _rating(TODAY, (2, 2, 2, 2, 2)))

    record = AgreementRecord(dt.date(2026, 1, 12), ("Kim", "Anna"), True, True)
    draft = plans.create_draft(
        world.db, anna, cid, start=dt.date(2026, 1, 12), template_id="housing_first",
        sip=SipInfo((SipParty("Psykiatrin", "Eva Ek", "Samtal varje vecka"),), "Psykiatrin"),
    ).value  # fmt: skip
    who = Responsible(ResponsibleKind.TEAM_MEMBER, "Anna", None, anna.user_id)
    goals = tuple(
        replace(g, actions=tuple(replace(a, responsible=who) for a in g.actions))
        for g in draft.snapshot.goals
    )
    goals = (
        replace(goals[0], text="Jag vill ha en egen lägenhet"),
        *(replace(g, text=f"Mitt mål {n}") for n, g in enumerate(goals[1:], start=2)),
    )
    draft = plans.save_draft(
        world.db, anna, draft.version_id, replace(draft.snapshot, goals=goals), draft.sip,
        expected_revision=draft.revision,
    ).value  # fmt: skip
    v1 = plans.agree(world.db, anna, draft.version_id, record, today=dt.date(2026, 1, 12)).value
    goal = v1.snapshot.goals[0]
    plans.follow_up(
        world.db, anna, v1.version_id,
        FollowUpRecord(
            dt.date(2026, 4, 20),
            goal_results=(GoalResult(goal.uid, 2, "På väg"),),
            action_results=(ActionResult(goal.actions[0].uid, ActionStatus.DONE, "Klart"),),
        ),
        today=dt.date(2026, 4, 20),
    )  # fmt: skip
    v2 = plans.revise(world.db, anna, v1.version_id).value
    new_goals = (replace(v2.snapshot.goals[0], text="Jag vill behålla min lägenhet"),)
    v2 = plans.save_draft(
        world.db, anna, v2.version_id, replace(v2.snapshot, goals=new_goals), v2.sip,
        expected_revision=v2.revision,
    ).value  # fmt: skip
    plans.agree(world.db, anna, v2.version_id, replace(record, agreed_on=dt.date(2026, 5, 5)),
                today=dt.date(2026, 5, 5))  # fmt: skip
    return cid


def _extract(world: World, cid: int, language: str) -> tuple[bytes, str]:
    data = render_document(
        world.db, world.actors["lead"], cid, PdfOptions(language=language), kind="extract"
    )
    pages = PdfReader(io.BytesIO(data)).pages
    text = " ".join(page.extract_text() for page in pages)
    assert (
        f"1 / {len(pages)}" in text
        or f" 1 av {len(pages)}" in text
        or (f" 1 af {len(pages)}" in text)
    )
    return data, " ".join(text.split())


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "sv",
            [
                "Skattning 1, 2025-02-03",
                "Skattning 2, 2026-03-04",
                "Skattning 3, 2026-03-04",
                "rättar skattning 2",
                "ersatt av rättelsen i skattning 3",
                "Inte skattat: Sjuk",
                "Bor på härbärge",
                "Rättat boende",
                "Planversion 1 (Reviderad)",
                "Planversion 2 (Överenskommen)",
                "Uppföljning den 2026-04-20",
                "Utkast som fortfarande skrivs",
            ],
        ),
        (
            "da",
            [
                "Vurdering 1, 03.02.2025",
                "Vurdering 2, 04.03.2026",
                "Vurdering 3, 04.03.2026",
                "retter vurdering 2",
                "erstattet af rettelsen i vurdering 3",
                "Ikke vurderet: Sjuk",
                "Bor på härbärge",
                "Rättat boende",
                "Handleplan version 1 (Revideret)",
                "Handleplan version 2 (Aftalt)",
                "Opfølgning den 20.04.2026",
                "kladder",
            ],
        ),
    ],
)
def test_extract_holds_every_rating_and_plan_version(
    world: World, language: str, words: list[str], tmp_path: Path
) -> None:
    cid = _with_ratings_and_plans(world)
    data, text = _extract(world, cid, language)
    for word in words:
        assert word in text, word
    assert "Jag vill ha en egen lägenhet" in text and "Jag vill behålla min lägenhet" in text
    assert text.count("Anna Worker") >= 3  # the rater of every signed rating
    assert "Samtal varje vecka" in text  # the SIP parties
    assert "Not recorded" not in text  # the housing situation, which has no period yet
    # "for" is Danish too: the instrument's level labels say "Stort behov for hjælp".
    ignore = ["Anna", "Worker", "Lead", "Admin", "for {duration}"]
    assert english_leaks(text, language, ignore=ignore) == []
    if language == "da" and shutil.which("pdftoppm"):
        pdf = tmp_path / "extract.pdf"
        pdf.write_bytes(data)
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "page")],
                       check=True)  # fmt: skip
        assert len(list(tmp_path.glob("page*.png"))) == len(PdfReader(io.BytesIO(data)).pages)
