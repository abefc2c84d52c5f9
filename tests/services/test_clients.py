"""Client register services: search, access, registration rules, duplicates."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from clientworld import World, pnr
from sqlalchemy import select

from hemlos_desktop.errors import AccessDeniedError, NotFoundError
from hemlos_desktop.models.client import Client, ClientStatus, Gender, TargetGroup
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.models.text import sort_key
from hemlos_desktop.models.validation import ValidationFailed
from hemlos_desktop.services import client_assignment as assign
from hemlos_desktop.services import clients as svc
from hemlos_desktop.services.clients import ClientQuery, SortKey


def ids(world: World, who: str = "admin", **query: object) -> list[int]:
    return svc.search_ids(world.db, world.actors[who], ClientQuery(**query))  # type: ignore[arg-type]


def test_search_by_name_ignores_accents_and_case(world: World) -> None:
    anna = world.add("Anna", "Söderström", number=pnr(dt.date(1985, 3, 12)))
    world.add("Erik", "Berg", number=pnr(dt.date(1979, 7, 4)))
    assert ids(world, text="Soderstrom") == [anna]
    assert ids(world, text="söderSTRÖM") == [anna]
    assert ids(world, text="anna sod") == [anna]
    assert ids(world, text="Mørch") == []


def test_search_by_every_number_format(world: World) -> None:
    number = pnr(dt.date(1985, 3, 12))  # 19850312-NNNN
    anna = world.add("Anna", "Berg", number=number)
    short = number[2:]
    for text in (number, number.replace("-", ""), short, short.replace("-", ""), number[:8]):
        assert ids(world, text=text) == [anna], text


def test_search_cpr_and_reserve_numbers(world: World) -> None:
    jens = world.add("Jens", "Mørch", number="120385-1234", kind=IdKind.CPR)
    res = world.add("Ulla", "Ek", number="KOM-0042", kind=IdKind.RESERVE)
    assert ids(world, text="120385-1234") == [jens]
    assert ids(world, text="1203851234") == [jens]
    assert ids(world, text="morch") == [jens]
    assert ids(world, text="kom-0042") == [res]


def test_filters_and_sorting_happen_in_sql(world: World) -> None:
    a = world.add(
        "Ada",
        "Zetterberg",
        number=pnr(dt.date(1950, 1, 1)),
        target_groups=frozenset({TargetGroup.OVER_65}),
    )
    b = world.add(
        "Bo", "Andersson", number=pnr(dt.date(1990, 1, 1)), gender=Gender.MAN, team=world.team_b
    )
    c = world.add("Cia", "Mattsson", number=pnr(dt.date(2001, 1, 1)))
    svc.set_status(world.db, world.actors["admin"], c, ClientStatus.CLOSED)
    assert ids(world) == [b, c, a]
    assert ids(world, descending=True) == [a, c, b]
    assert ids(world, sort=SortKey.BIRTH_DATE) == [a, b, c]
    assert ids(world, gender=Gender.MAN) == [b]
    assert ids(world, team_id=world.team_b) == [b]
    assert ids(world, status=ClientStatus.CLOSED) == [c]
    assert ids(world, target_group=TargetGroup.OVER_65) == [a]


def test_caseworker_sees_own_team_only(world: World) -> None:
    mine = world.add("Ada", "A", number=pnr(dt.date(1960, 1, 1)), team=world.team_a)
    other = world.add("Bo", "B", number=pnr(dt.date(1961, 1, 1)), team=world.team_b)
    assert ids(world, "anna") == [mine]
    assert ids(world, "bo") == [other]
    assert set(ids(world, "admin")) == {mine, other}
    with pytest.raises(NotFoundError):
        svc.get_client(world.db, world.actors["anna"], other)
    assert svc.fetch_rows(world.db, world.actors["anna"], [mine, other]).keys() == {mine}


def test_protected_identity_visible_only_to_the_responsible(world: World) -> None:
    anna_id = world.actors["anna"].user_id
    hidden = world.add(
        "Hemlig", "Person", number=pnr(dt.date(1970, 5, 5)), protected_identity=True,
        responsible_user_id=anna_id,
    )  # fmt: skip
    assert ids(world, "anna") == [hidden]
    assert ids(world, "lead") == []
    assert ids(world, "admin") == []


def test_read_only_role_changes_nothing(world: World) -> None:
    data = ClientInput(IdKind.PERSONNUMMER, pnr(dt.date(1980, 1, 1)), "A", "B")
    with pytest.raises(AccessDeniedError):
        svc.register_client(world.db, world.actors["audit"], data)


def test_duplicate_number_is_refused_and_similar_name_is_a_warning(world: World) -> None:
    number = pnr(dt.date(1985, 3, 12))
    first = world.add("Anna", "Söderström", number=number, team=world.team_b)
    again = ClientInput(IdKind.PERSONNUMMER, number[2:], "Anna", "Söderström")
    report = svc.find_duplicates(world.db, world.actors["anna"], again)
    assert report.blocking
    assert report.same_number[0].client_id is None  # exists, but in a team anna cannot see
    with pytest.raises(svc.DuplicateClientError):
        svc.register_client(world.db, world.actors["anna"], again)
    twin = ClientInput(IdKind.PERSONNUMMER, pnr(dt.date(1985, 3, 12), "984"), "anna", "Soderström")
    report = svc.find_duplicates(world.db, world.actors["admin"], twin)
    assert not report.blocking
    assert [m.client_id for m in report.similar] == [first]
    assert svc.register_client(world.db, world.actors["admin"], twin).value != first


def test_validation_errors_name_their_fields(world: World) -> None:
    bad = ClientInput(IdKind.PERSONNUMMER, "19850312-1235", "", "x" * 10_000_000)
    with pytest.raises(ValidationFailed) as info:
        svc.register_client(world.db, world.actors["admin"], bad)
    fields = {e.field for e in info.value.errors}
    assert "last_name" in fields
    unidentified = ClientInput(IdKind.NONE, "", "", "", alias="")
    with pytest.raises(ValidationFailed) as info:
        svc.register_client(world.db, world.actors["admin"], unidentified)
    assert [e.field for e in info.value.errors] == ["alias"]


def test_birth_date_and_gender_hint_come_from_the_number(world: World) -> None:
    cid = world.add("Anna", "Berg", number=pnr(dt.date(1985, 3, 12)))
    detail = svc.get_client(world.db, world.actors["admin"], cid)
    assert detail.data.birth_date == dt.date(1985, 3, 12)
    row = svc.fetch_rows(world.db, world.actors["admin"], [cid], today=dt.date(2026, 3, 11))[cid]
    assert row.age == 40
    assert row.id_masked == "19850312-****"


def test_exact_number_lookup(world: World) -> None:
    number = pnr(dt.date(1985, 3, 12))
    cid = world.add("Anna", "Berg", number=number)
    world.add("Other", "Berg", number=pnr(dt.date(1985, 3, 12), "986"))
    assert svc.client_ids_by_number(world.db, world.actors["admin"], number[2:]) == [cid]
    assert svc.client_ids_by_number(world.db, world.actors["admin"], "19850312") == []


def _add_nordic_names(world: World) -> dict[str, int]:
    names = ("Öberg", "Nilsson", "Åberg", "Ärlig", "Aagaard", "Ørsted")
    return {
        last: world.add("Kim", last, number=pnr(dt.date(1960 + i, 1, 1)))
        for i, last in enumerate(names)
    }


def test_name_order_follows_the_language_in_sql(world: World) -> None:
    c = _add_nordic_names(world)
    swedish = ["Aagaard", "Nilsson", "Åberg", "Ärlig", "Öberg", "Ørsted"]
    danish = ["Nilsson", "Ärlig", "Öberg", "Ørsted", "Åberg", "Aagaard"]
    assert ids(world, language="sv") == [c[n] for n in swedish]
    assert ids(world, language="da") == [c[n] for n in danish]
    assert ids(world, language="sv", descending=True) == [c[n] for n in reversed(swedish)]


def test_the_language_keys_follow_a_renamed_client_in_the_same_save(world: World) -> None:
    c = _add_nordic_names(world)
    data = ClientInput(IdKind.PERSONNUMMER, pnr(dt.date(1961, 1, 1)), "Kim", "Ørnberg")
    svc.update_client(world.db, world.actors["admin"], c["Nilsson"], data)
    with world.db.read() as session:
        keys = session.execute(
            select(Client.sort_key_sv, Client.sort_key_da).where(Client.id == c["Nilsson"])
        ).one()
    assert tuple(keys) == (sort_key("Ørnberg", "sv"), sort_key("Ørnberg", "da"))
    danish = ["Ärlig", "Öberg", "Ørnberg", "Ørsted", "Åberg", "Aagaard"]
    assert ids(world, language="da") == [c["Nilsson" if n == "Ørnberg" else n] for n in danish]


def test_search_finds_a_name_typed_as_the_list_shows_it(world: World) -> None:
    emma = world.add("Emma", "Söderström", number=pnr(dt.date(1985, 3, 12)))
    world.add("Emma", "Berg", number=pnr(dt.date(1979, 7, 4)))
    assert ids(world, text="Söderström, Emma") == [emma]
    assert ids(world, text="söderström,emma") == [emma]


def test_search_finds_a_name_with_digits_as_the_list_shows_it(world: World) -> None:
    number = pnr(dt.date(1939, 3, 12))
    emma = world.add("Emma", "Efternamn39", number=pnr(dt.date(1985, 3, 12)))
    other = world.add("Efter", "Namn", number=number)  # digits 39 in the number, not the name
    res = world.add("Ulla", "Ek", number="KOM-0042", kind=IdKind.RESERVE)
    for text in ("efternamn39", "Efternamn39, Emma", "EFTERNAMN39,emma", "namn3", "emma n39"):
        assert ids(world, text=text) == [emma], text
    # A number written with digits alone still matches numbers only, never a name.
    assert ids(world, text="39") == [other]
    assert ids(world, text=number) == [other]
    assert ids(world, text="kom-0042") == [res]


def test_search_reads_oe_as_o_slash_and_aa_as_a_ring(world: World) -> None:
    soren = world.add("Søren", "Aagaard", number="120385-1234", kind=IdKind.CPR)
    world.add("Sara", "Berg", number=pnr(dt.date(1979, 7, 4)))
    for text in ("Soeren", "søren", "Ågård", "aagaard soeren", "Søren Aagaard"):
        assert ids(world, text=text) == [soren], text


def test_a_caseworkers_new_client_is_theirs_and_in_their_team(world: World) -> None:
    anna = world.actors["anna"]
    data = ClientInput(IdKind.PERSONNUMMER, pnr(dt.date(1980, 1, 1)), "Ny", "Klient")
    assert assign.author_defaults(anna) == assign.Assignment(anna.user_id, world.team_a)
    client_id = svc.register_client(world.db, anna, data).value
    detail = svc.get_client(world.db, anna, client_id).data
    assert (detail.responsible_user_id, detail.team_id) == (anna.user_id, world.team_a)
    assert ids(world, "anna") == [client_id]
    assert assign.author_defaults(world.actors["admin"]) == assign.Assignment(None, None)


def test_a_save_that_would_hide_the_client_from_its_author_is_recognised(world: World) -> None:
    anna, bo = world.actors["anna"], world.actors["bo"]
    data = ClientInput(IdKind.PERSONNUMMER, pnr(dt.date(1980, 1, 1)), "Ny", "Klient")
    assert not assign.hides_from_author(anna, data, new=True)
    elsewhere = replace(data, responsible_user_id=bo.user_id, team_id=world.team_b)
    assert assign.hides_from_author(anna, elsewhere, new=True)
    assert not assign.hides_from_author(anna, replace(elsewhere, team_id=world.team_a), new=True)
    assert assign.hides_from_author(anna, replace(data, team_id=None), new=False)
    admin = world.actors["admin"]
    assert not assign.hides_from_author(admin, elsewhere, new=True)
    assert not assign.hides_from_author(admin, replace(data, protected_identity=True), new=True)
    hidden = replace(elsewhere, protected_identity=True)
    assert assign.hides_from_author(admin, hidden, new=True)
