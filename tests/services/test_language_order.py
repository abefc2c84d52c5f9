"""Alphabetical order follows the language in every place that lists names: the client list's
groups (responsible person, team, gender, ...), the team's members, the meeting agenda and its
PDF, the goals drill-down. Swedish puts Å Ä Ö after Z; Danish Æ Ø Å after Z, "aa" as "å"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from clientworld import World, pnr
from pypdf import PdfReader
from sqlalchemy import update

from hemlos_desktop import i18n
from hemlos_desktop.models.client import Gender
from hemlos_desktop.models.people import User
from hemlos_desktop.services import clients, team_agenda, team_meetings, team_org, team_reports

LAST_NAMES = ("Öberg", "Nilsson", "Åberg", "Ärlig", "Aagaard", "Zetterlund")
ORDER = {
    "sv": ["Aagaard", "Nilsson", "Zetterlund", "Åberg", "Ärlig", "Öberg"],
    "da": ["Nilsson", "Zetterlund", "Ärlig", "Öberg", "Åberg", "Aagaard"],
}


@pytest.fixture
def names(world: World) -> dict[int, str]:
    """The six clients of team A, all with Anna as responsible, all women; by id."""
    anna = world.actors["anna"].user_id
    found = {}
    for i, last in enumerate(LAST_NAMES):
        cid = world.add("Kim", last, number=pnr(dt.date(1960 + i, 1, 1)), responsible_user_id=anna)
        found[cid] = last
    return found


@pytest.mark.parametrize("lang", ["sv", "da"])
@pytest.mark.parametrize(
    "sort", [clients.SortKey.RESPONSIBLE, clients.SortKey.TEAM, clients.SortKey.GENDER]
)
def test_the_client_lists_groups_are_in_the_languages_order(
    world: World, names: dict[int, str], lang: str, sort: clients.SortKey
) -> None:
    world.add("Kim", "Man", number=pnr(dt.date(1950, 1, 1)), gender=Gender.MAN)  # its own group
    query = clients.ClientQuery(sort=sort, language=lang)
    listed = [
        names[c] for c in clients.search_ids(world.db, world.actors["admin"], query) if c in names
    ]
    assert listed == ORDER[lang]
    first = clients.search_first(world.db, world.actors["admin"], query, limit=3)
    got = [names[c] for c in first if c in names]
    assert got == ORDER[lang][: len(got)]


@pytest.mark.parametrize("lang", ["sv", "da"])
def test_members_agenda_and_its_pdf_in_the_languages_order(
    world: World, names: dict[int, str], lang: str, tmp_path: Path
) -> None:
    lead = world.actors["lead"]
    with world.db.begin() as s:  # the team's members get Nordic names
        for who, shown in (("lead", "Örjan Lund"), ("anna", "Åsa Berg")):
            s.execute(
                update(User).where(User.id == world.actors[who].user_id).values(display_name=shown)
            )
    i18n.set_language(lang)
    try:
        members = [m.display_name for m in team_org.list_members(world.db, world.team_a)]
        assert members == (
            ["Åsa Berg", "Örjan Lund"] if lang == "sv" else ["Örjan Lund", "Åsa Berg"]
        )
        # Nobody has been in touch for long: each is proposed for the same reason, by name.
        day = dt.date.today() + dt.timedelta(days=400)
        proposals = team_agenda.propose_agenda(world.db, lead, world.team_a, meeting_date=day)
        assert [p.client_name.split()[-1] for p in proposals] == ORDER[lang]
        meeting = team_meetings.create_meeting(
            world.db, lead, world.team_a, meeting_date=day,
            participant_ids=[lead.user_id, world.actors["anna"].user_id],
        ).value  # fmt: skip
        pdf = team_reports.export_meeting_pdf(
            world.db, lead, meeting, tmp_path / "agenda.pdf", minutes=False, language=lang
        )
        text = " ".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
        at = [text.index(f"Kim {last}") for last in ORDER[lang]]
        assert at == sorted(at)
        people = [text.index(name) for name in members]
        assert people == sorted(people)
    finally:
        i18n.set_language("en")
