"""The demo clients' rows, made as plain tuples of stored values.

Nothing here touches a database: :func:`client_batches` turns a random generator into batches
of rows (clients, target groups, housing periods, journal entries, outreach contacts), so the
same rows can be made in this process or in a second one beside the writer
(``demo.source``). Dates are written as ISO text and times as SQLAlchemy stores them, so the
writer hands the tuples to SQLite unchanged.

The random draws are exactly those of the first demo generator (``choice`` and ``randint``
are done with the generator's own ``_randbelow``, as the standard library does them): a seed
gives the same clients as before.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from hemlos_desktop.models.base import ordered_uids
from hemlos_desktop.models.client import (
    ClientStatus,
    ClosureReason,
    ContactKind,
    ContactOutcome,
    Gender,
    JournalCategory,
    JournalStatus,
    TargetGroup,
)
from hemlos_desktop.models.identity import IdKind, identity_search_digits, parse_identity
from hemlos_desktop.models.text import fold, name_sort_key, sort_name
from hemlos_desktop.storage.bulk import datetime_text

BATCH = 2000
CLIENT_COLUMNS = (
    "id", "uid", "id_kind", "id_number", "id_search", "first_name", "last_name", "alias",
    "description", "name_search", "first_name_fold", "last_name_fold", "sort_name",
    "sort_key_sv", "sort_key_da", "gender", "birth_date", "language", "phone", "email",
    "address", "responsible_user_id", "team_id", "status", "closed_on", "closure_reason",
    "closure_note", "protected_identity", "current_housing_code", "current_housing_since",
    "merged_into_id", "created_by_id", "retention_hold", "retention_hold_reason", "created_at",
    "updated_at",
)  # fmt: skip
GROUP_COLUMNS = ("client_id", "target_group")
PERIOD_COLUMNS = (
    "uid", "client_id", "code", "start_date", "end_date", "place", "note", "created_by_id",
    "created_at", "updated_at",
)  # fmt: skip
JOURNAL_COLUMNS = (
    "uid", "client_id", "entry_date", "category", "text", "status", "author_id", "signed_at",
    "signed_by_id", "corrects_id", "created_at", "updated_at",
)  # fmt: skip
CONTACT_COLUMNS = (
    "uid", "client_id", "contact_date", "place", "kind", "outcome", "note", "created_by_id",
    "created_at", "updated_at",
)  # fmt: skip

# Why demo cases were closed, about as often as a team sees each reason.
CLOSURE_WEIGHTS: tuple[tuple[ClosureReason, int], ...] = (
    (ClosureReason.OWN_HOUSING, 40),
    (ClosureReason.MOVED, 15),
    (ClosureReason.OTHER_MUNICIPALITY, 15),
    (ClosureReason.DECLINED, 15),
    (ClosureReason.DIED, 5),
    (ClosureReason.OTHER, 10),
)
_REASONS, _WEIGHTS = zip(*CLOSURE_WEIGHTS, strict=True)
_CATEGORIES = tuple(category.value for category in JournalCategory)
_CONTACT_KINDS = tuple(kind.value for kind in ContactKind)
_OUTCOMES = tuple(outcome.value for outcome in ContactOutcome)
_DRAWN_GROUPS = (
    TargetGroup.SUBSTANCE_ABUSE.value,
    TargetGroup.PSYCHIATRIC_DISABILITY.value,
    TargetGroup.FAMILY_WITH_CHILDREN.value,
)
_ACTIVE, _CLOSED = ClientStatus.ACTIVE.value, ClientStatus.CLOSED.value
_SIGNED = JournalStatus.SIGNED.value
_OTHER_GENDERS = (Gender.OTHER.value, Gender.NOT_STATED.value)
_LUHN_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)

SV_WOMEN = (
    "Anna Eva Maria Karin Sara Lena Emma Kristina Elin Ida Linnea Sofia Hanna Amira "
    "Fatima Johanna Malin Camilla Åsa Ingrid "
).split()
SV_MEN = (
    "Erik Lars Karl Anders Johan Per Mikael Nils Jonas Oskar Ali Mohammed Björn Göran "
    "Sven Jan Peter Stefan Mats Ahmed "
).split()
SV_LAST = (
    "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson "
    "Gustafsson Pettersson Jonsson Lindberg Söderström Åberg Öberg Lindqvist Berglund "
    "Hassan Ali Ekström Sjöberg Wallin Forsberg Björk "
).split()
DA_WOMEN = (
    "Anne Mette Kirsten Hanne Lene Maria Louise Camilla Sofie Ida Emma Freja Søs Birgitte Aisha "
).split()
DA_MEN = (
    "Jens Peter Lars Søren Henrik Niels Anders Mads Rasmus Mikkel Jørgen Bjørn Ole Frederik Yusuf "
).split()
DA_LAST = (
    "Jensen Nielsen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen "
    "Jørgensen Madsen Kristensen Olsen Thomsen Mørch Bæk Holm Østergaard "
).split()
ALIASES = (
    "Kalle Lillen Stina Rocky Mormor Pippi Sailor Tjorven Viking Fisken Måsen Rødhætte Lærken "
).split()
SV_NOTES = (
    "Hembesök. Klienten har städat och vill visa lägenheten. Hyran för månaden är betald.",
    "Telefonsamtal med hyresvärden om störningsanmälan. Vi träffas igen nästa vecka.",
    "Möte på socialkontoret. Klienten berättar att hen vill ha eget kontrakt och hitta ett arbete.",
    "Följde med till Försäkringskassan. Ansökan om bostadstillägg är inlämnad.",
    "Klienten uteblev från bokat möte. Lämnade lapp vid härbärget.",
    "Samordningsmöte med psykiatrin och boendestödet. Ny tid för uppföljning bokad.",
    "Beslut: klienten beviljas träningslägenhet från och med nästa månad.",
)
DA_NOTES = (
    "Hjemmebesøg. Borgeren har gjort rent og vil gerne vise lejligheden. Huslejen er betalt.",
    "Telefonsamtale med udlejer om klage over støj. Vi mødes igen i næste uge.",
    "Møde i jobcentret. Borgeren fortæller, at han gerne vil have egen bolig og et arbejde.",
    "Fulgte med til kommunen. Ansøgning om boligstøtte er sendt.",
    "Borgeren udeblev fra aftalt møde. Efterlod besked på herberget.",
    "Koordinerende møde med psykiatrien og bostøtten. Ny opfølgning aftalt.",
    "Afgørelse: borgeren bevilges en overgangsbolig fra næste måned.",
)
SV_PLACES = ("Härbärget Ny Gemenskap", "Sergels torg", "Stadsmissionen", "Centralstationen")
DA_PLACES = ("Herberget Kollegiet", "Hovedbanegården", "Kirkens Korshær", "Mændenes Hjem")


@dataclass(frozen=True)
class Staff:
    """Who the clients belong to: the four teams (the Danish one last), the users a client
    can be the responsibility of, and the user recorded as having added them."""

    team_ids: tuple[int, ...]
    user_ids: tuple[int, ...]
    created_by: int


@dataclass(frozen=True)
class ClientFact:
    """What the demo ratings need to know of a client."""

    client_id: int
    status: str
    birth_date: dt.date | None
    responsible: int | None
    closed_on: dt.date | None


@dataclass
class ClientBatch:
    """The rows of up to :data:`BATCH` consecutive clients, one list per table."""

    last: int
    clients: list[tuple[Any, ...]] = field(default_factory=list)
    groups: list[tuple[Any, ...]] = field(default_factory=list)
    periods: list[tuple[Any, ...]] = field(default_factory=list)
    journals: list[tuple[Any, ...]] = field(default_factory=list)
    contacts: list[tuple[Any, ...]] = field(default_factory=list)


class UidSource:
    """Ordered (version 7) uids made cheaply in bulk: one id from ``ordered_uids`` gives the
    time and random part, and the ids that follow count up in its last twelve digits."""

    def __init__(self) -> None:
        self._prefix = ""
        self._next = 0
        self._left = 0

    def take(self) -> str:
        if not self._left:
            first = ordered_uids(1)[0]
            self._prefix, self._next = first[:-12], int(first[-12:], 16)
            # Never carry past the twelve digits (into the fixed version and variant bits).
            self._left = min(1 << 20, (1 << 48) - self._next)
        self._left -= 1
        value = self._next
        self._next += 1
        return f"{self._prefix}{value:012x}"


def _check_digit(digits: str) -> str:
    """The Luhn check digit for ``digits`` (as ``stdnum.luhn.calc_check_digit``)."""
    total = sum(_LUHN_DOUBLED[int(c)] for c in digits[::-2]) + sum(map(int, digits[-2::-2]))
    return str(-total % 10)


@functools.lru_cache(maxsize=4096)
def _name_values(first: str, last: str, alias: str) -> tuple[str, str, str, str, str, str]:
    """The folded and sort forms of a name (the same few hundred names recur: made once)."""
    search = fold(f"{first} {last} {alias}")
    return (
        search,
        fold(first),
        fold(last),
        sort_name(fold(last), search),
        name_sort_key(first, last, alias, "sv"),
        name_sort_key(first, last, alias, "da"),
    )


def client_batches(
    rng: random.Random,
    clients: int,
    staff: Staff,
    *,
    today: dt.date,
    facts: list[ClientFact] | None = None,
) -> Iterator[ClientBatch]:
    """The rows of ``clients`` demo clients (ids 1 to ``clients``), batch by batch; each
    client's facts for the ratings are added to ``facts`` when given."""
    randbelow: Callable[[int], int] = rng._randbelow  # type: ignore[attr-defined]
    chance = rng.random
    uids = UidSource().take
    team_ids, user_ids = staff.team_ids, staff.user_ids
    swedish_teams = team_ids[:3]
    now = datetime_text(dt.datetime.now(dt.UTC).replace(tzinfo=None))
    used: set[str] = set()
    iso = dt.date.isoformat
    day_delta = dt.timedelta
    today_ordinal = today.toordinal()
    from_ordinal = dt.date.fromordinal

    def randint(low: int, high: int) -> int:
        return low + randbelow(high - low + 1)

    for start in range(1, clients + 1, BATCH):
        batch = ClientBatch(last=min(clients, start + BATCH - 1))
        client_rows, group_rows = batch.clients, batch.groups
        period_rows, journal_rows, contact_rows = batch.periods, batch.journals, batch.contacts
        for index in range(start, batch.last + 1):
            danish = chance() < 0.3
            unidentified = chance() < 0.03
            woman = chance() < 0.4
            gender = "woman" if woman else "man"
            if chance() < 0.02:
                gender = _OTHER_GENDERS[randbelow(2)]
            if danish:
                firsts = DA_WOMEN if woman else DA_MEN
                first = firsts[randbelow(len(firsts))]
                last = DA_LAST[randbelow(len(DA_LAST))]
            else:
                firsts = SV_WOMEN if woman else SV_MEN
                first = firsts[randbelow(len(firsts))]
                last = SV_LAST[randbelow(len(SV_LAST))]
            serials = "02468" if woman else "13579"
            while True:  # numbers are unique in the register
                born = from_ordinal(today_ordinal - randint(18 * 365 + 5, 82 * 365))
                if danish:
                    seventh = "0123"[randbelow(4)] if born.year < 2000 else "4"
                    final = serials[randbelow(5)]
                    serial = f"{seventh}{randbelow(100):02d}{final}"
                    number = f"{born.day:02d}{born.month:02d}{born.year % 100:02d}-{serial}"
                else:
                    nine = f"{born.year % 100:02d}{born.month:02d}{born.day:02d}98"
                    nine += serials[randbelow(5)]
                    ten = nine + _check_digit(nine)
                    number = f"{born.year:04d}{ten[2:6]}-{ten[6:]}"
                if number not in used:
                    break
            used.add(number)
            alias = ""
            if unidentified:
                first, last = "", ""
                alias = f"{ALIASES[randbelow(len(ALIASES))]} {index}"
                kind, canonical, search, birth = IdKind.NONE.value, None, "", None
            else:
                identity = parse_identity(number, IdKind.CPR if danish else None, today=today)
                kind, canonical = identity.kind.value, identity.canonical or None
                search, birth = identity_search_digits(identity), identity.birth_date
            closed = chance() < 0.15
            responsible = user_ids[randbelow(len(user_ids))]
            team = team_ids[3] if danish else swedish_teams[randbelow(3)]
            reason = rng.choices(_REASONS, _WEIGHTS)[0].value if closed else None
            protected = chance() < 0.005

            age = (today - birth).days // 365 if birth is not None else 40
            groups = set()
            if age > 65:
                groups.add(TargetGroup.OVER_65.value)
            if age <= 25:
                groups.add(TargetGroup.YOUNG_ADULT.value)
            for group in _DRAWN_GROUPS:
                if chance() < 0.3:
                    groups.add(group)
            group_rows += [(index, group) for group in sorted(groups)]
            first_contact = today - day_delta(days=randint(60, 1500))
            # The last day anything is dated: the closure of a closed case, else today.
            until = today
            closed_on = None
            closure_note = ""
            if closed:
                until = first_contact + day_delta(
                    days=randint(30, (today - first_contact).days - 1)
                )
                closed_on = until
                if reason == ClosureReason.OTHER.value:
                    closure_note = "Flyttar till anhöriga utomlands"
            # The housing history from the first contact; an open case's last period is
            # ongoing, a closed case's ends on the closure day.
            code = (1, 1, 1, 2, 2, 3, 4)[randbelow(7)]
            day = first_contact
            for _step in range(randint(1, 4)):
                end = day + day_delta(days=randint(30, 400))
                if end >= until:
                    break
                period_rows.append(
                    (uids(), index, code, iso(day), iso(end), "", "", responsible, now, now)
                )
                day = end + day_delta(days=1)
                code = max(1, min(5, code + (-1, 1, 1, 1, 2)[randbelow(5)]))
            period_rows.append(
                (uids(), index, code, iso(day), iso(until) if closed else None, "", "",
                 responsible, now, now)
            )  # fmt: skip
            notes = DA_NOTES if danish else SV_NOTES
            span = (until - first_contact).days
            for _n in range(randint(1, 4)):
                entry = iso(first_contact + day_delta(days=randint(0, span)))
                category = _CATEGORIES[randbelow(len(_CATEGORIES))]
                text = notes[randbelow(len(notes))]
                journal_rows.append(
                    (uids(), index, entry, category, text, _SIGNED, responsible,
                     f"{entry} 15:30:00.000000", responsible, None, now, now)
                )  # fmt: skip
            if unidentified or chance() < 0.1:
                places = DA_PLACES if danish else SV_PLACES
                recent = min(200, span)
                for _n in range(randint(1, 5)):
                    contact_day = iso(until - day_delta(days=randint(0, recent)))
                    place = places[randbelow(len(places))]
                    contact_kind = _CONTACT_KINDS[randbelow(len(_CONTACT_KINDS))]
                    outcome = _OUTCOMES[randbelow(len(_OUTCOMES))]
                    contact_rows.append(
                        (uids(), index, contact_day, place, contact_kind, outcome, "",
                         responsible, now, now)
                    )  # fmt: skip
            client_rows.append(
                (index, uids(), kind, canonical, search, first, last, alias, "",
                 *_name_values(first, last, alias), gender,
                 None if birth is None else iso(birth), "da" if danish else "sv", "", "", "",
                 responsible, team, _CLOSED if closed else _ACTIVE,
                 None if closed_on is None else iso(closed_on), reason, closure_note,
                 protected, code, iso(day), None, staff.created_by, False, "", now, now)
            )  # fmt: skip
            if facts is not None:
                facts.append(
                    ClientFact(index, _CLOSED if closed else _ACTIVE, birth, responsible, closed_on)
                )
        yield batch
