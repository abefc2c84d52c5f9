"""A realistic, clearly fictitious demo database (``hemlos-desktop demo-data``).

Every person in it is invented; names are drawn from common Swedish and Danish names. Swedish
numbers use the serial range 980-989 (as in published test numbers) so they are unlikely to
belong to real people. Rows are written with bulk inserts: 20,000 clients take seconds.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session
from stdnum import luhn

from hemlos_desktop.errors import InvalidInputError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.base import new_uid, utcnow
from hemlos_desktop.models.client import (
    Client,
    ClientStatus,
    ClientTargetGroup,
    ClosureReason,
    ContactKind,
    ContactOutcome,
    Gender,
    HousingPeriod,
    JournalCategory,
    JournalEntry,
    JournalStatus,
    OutreachContact,
    TargetGroup,
)
from hemlos_desktop.models.identity import IdKind, identity_search_digits, parse_identity
from hemlos_desktop.models.people import Role
from hemlos_desktop.models.text import fold, name_sort_key, sort_name
from hemlos_desktop.services import audit, database_info
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.session import DEMO_MARKER_FILE
from hemlos_desktop.services.users import create_team, create_user
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import Database, DataLocation, search_index
from hemlos_desktop.storage import connection as connection_module
from hemlos_desktop.storage.bulk import deferred_indexes, insert_rows
from hemlos_desktop.storage.crypto import PRODUCTION_PARAMS, Argon2Params, KeyStore, new_data_key
from hemlos_desktop.storage.files import write_text_atomic

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]
MAX_CLIENTS = 200_000
BATCH = 2000
FILL_CACHE_KIB = 262144
# The tables the clients' generation fills; their indexes are built once it is done.
CLIENT_TABLES = (
    "clients",
    "client_target_groups",
    "housing_periods",
    "journal_entries",
    "outreach_contacts",
)
# The day the tests' demo data is made for; ``demo-data`` and ``--demo`` use the real date, so
# what is due is spread around the day the demo is first opened.
DEMO_TODAY = dt.date(2026, 11, 2)

# Demo accounts (documented in the README).
# The demo accounts that can sign in (only demo databases have them), all with this password.
DEMO_PASSWORD = "demo"
DEMO_ACCOUNTS: tuple[str, ...] = ("admin", "lead", "worker")

# Ordinary names (the role is the account's, not part of the name): Swedish staff in the
# Swedish teams, a Danish name for the Copenhagen team's member.
DEMO_USERS: tuple[tuple[str, str, Role], ...] = (
    ("admin", "Alva Lindgren", Role.ADMIN),
    ("lead", "Lars Bergström", Role.TEAM_LEAD),
    ("worker", "Wilma Sandberg", Role.CASEWORKER),
)
DEMO_CASEWORKERS: tuple[tuple[str, str], ...] = (
    ("karin", "Karin Holmgren"),
    ("mads", "Mads Kjærgaard"),
    ("sara", "Sara Nyström"),
)
# Why demo cases were closed, about as often as a team sees each reason.
CLOSURE_WEIGHTS: tuple[tuple[ClosureReason, int], ...] = (
    (ClosureReason.OWN_HOUSING, 40),
    (ClosureReason.MOVED, 15),
    (ClosureReason.OTHER_MUNICIPALITY, 15),
    (ClosureReason.DECLINED, 15),
    (ClosureReason.DIED, 5),
    (ClosureReason.OTHER, 10),
)

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
TEAMS = (
    "Boendelots Södermalm",
    "Uppsökarteamet",
    "Vräkningsförebyggande teamet",
    "Bostøtteteam København",
)


@dataclass(frozen=True)
class DemoSummary:
    clients: int
    seed: int


def _swedish_number(rng: random.Random, born: dt.date, man: bool) -> str:
    serial_digit = rng.choice("13579" if man else "02468")
    nine = f"{born.year % 100:02d}{born.month:02d}{born.day:02d}98{serial_digit}"
    ten = nine + luhn.calc_check_digit(nine)
    return f"{born.year:04d}{ten[2:6]}-{ten[6:]}"


def _cpr_number(rng: random.Random, born: dt.date, man: bool) -> str:
    # 7th digit with the year gives the century (stdnum's table): 0-3 for 1900-1999,
    # 4 and 9 for 2000-2036 and 1937-1999.
    seventh = rng.choice("0123") if born.year < 2000 else "4"
    last = rng.choice("13579" if man else "02468")
    serial = f"{seventh}{rng.randint(0, 99):02d}{last}"
    return f"{born.day:02d}{born.month:02d}{born.year % 100:02d}-{serial}"


def _birth(rng: random.Random, today: dt.date) -> dt.date:
    return today - dt.timedelta(days=rng.randint(18 * 365 + 5, 82 * 365))


def _housing_walk(
    rng: random.Random, start: dt.date, until: dt.date, closed: bool
) -> list[tuple[int, dt.date, dt.date | None]]:
    """Housing periods from ``start``; an open case's last one is ongoing, a closed case's
    history ends on the closure day ``until`` (closing is a status, not a housing period)."""
    code = rng.choice((1, 1, 1, 2, 2, 3, 4))
    periods: list[tuple[int, dt.date, dt.date | None]] = []
    day = start
    for _step in range(rng.randint(1, 4)):
        length = rng.randint(30, 400)
        end = day + dt.timedelta(days=length)
        if end >= until:
            break
        periods.append((code, day, end))
        day = end + dt.timedelta(days=1)
        code = max(1, min(5, code + rng.choice((-1, 1, 1, 1, 2))))
    periods.append((code, day, until if closed else None))
    return periods


@functools.lru_cache(maxsize=4096)
def _name_columns(first: str, last: str, alias: str) -> dict[str, str]:
    """The folded and sort forms of a name (the same few hundred names recur: made once)."""
    return {
        "name_search": fold(f"{first} {last} {alias}"),
        "first_name_fold": fold(first),
        "last_name_fold": fold(last),
        "sort_name": sort_name(fold(last), fold(f"{first} {last} {alias}")),
        **{f"sort_key_{lang}": name_sort_key(first, last, alias, lang) for lang in ("sv", "da")},
    }


def _rows_for_client(
    rng: random.Random,
    index: int,
    team_ids: list[int],
    user_ids: list[int],
    used: set[str],
    *,
    today: dt.date,
) -> dict[str, Any]:
    danish = rng.random() < 0.3
    unidentified = rng.random() < 0.03
    woman = rng.random() < 0.4
    gender = Gender.WOMAN if woman else Gender.MAN
    if rng.random() < 0.02:
        gender = rng.choice((Gender.OTHER, Gender.NOT_STATED))
    if danish:
        first = rng.choice(DA_WOMEN if woman else DA_MEN)
        last = rng.choice(DA_LAST)
    else:
        first = rng.choice(SV_WOMEN if woman else SV_MEN)
        last = rng.choice(SV_LAST)
    make_number = _cpr_number if danish else _swedish_number
    number = make_number(rng, _birth(rng, today), not woman)
    while number in used:  # numbers are unique in the register
        number = make_number(rng, _birth(rng, today), not woman)
    used.add(number)
    alias = ""
    if unidentified:
        identity = parse_identity("", IdKind.NONE)
        first, last = "", ""
        alias = f"{rng.choice(ALIASES)} {index}"
        born_value: dt.date | None = None
    else:
        identity = parse_identity(number, IdKind.CPR if danish else None, today=today)
        born_value = identity.birth_date
    closed = rng.random() < 0.15
    return {
        "id": index,
        "uid": new_uid(),
        "id_kind": identity.kind.value,
        "id_number": identity.canonical or None,
        "id_search": identity_search_digits(identity),
        "first_name": first,
        "last_name": last,
        "alias": alias,
        "description": "",
        **_name_columns(first, last, alias),
        "gender": gender.value,
        "birth_date": born_value,
        "language": "da" if danish else "sv",
        "phone": "",
        "email": "",
        "address": "",
        "responsible_user_id": rng.choice(user_ids),
        "team_id": team_ids[3] if danish else rng.choice(team_ids[:3]),
        "status": ClientStatus.CLOSED.value if closed else ClientStatus.ACTIVE.value,
        "closed_on": None,  # set with the client's history (nothing is dated after it)
        "closure_reason": (
            rng.choices(*zip(*CLOSURE_WEIGHTS, strict=True))[0].value if closed else None
        ),
        "closure_note": "",
        "protected_identity": rng.random() < 0.005,
        "current_housing_code": None,
        "current_housing_since": None,
        "merged_into_id": None,
        "created_by_id": user_ids[0],
        "created_at": utcnow(),
        "updated_at": utcnow(),
    }


def _generate(
    session: Session,
    rng: random.Random,
    clients: int,
    progress: ProgressCallback | None,
    today: dt.date,
) -> None:
    teams = [create_team(session, name) for name in TEAMS]
    team_ids = [t.id for t in teams]
    users = []
    for username, name, role in DEMO_USERS:
        memberships = team_ids if role is not Role.ADMIN else []
        users.append(
            create_user(
                session, username=username, display_name=name, role=role, team_ids=memberships
            )
        )
    for username, name in DEMO_CASEWORKERS:
        users.append(
            create_user(
                session,
                username=username,
                display_name=name,
                role=Role.CASEWORKER,
                team_ids=team_ids[:1] if username != "mads" else team_ids[3:],
            )
        )
    user_ids = [u.id for u in users[1:]]
    now = utcnow()
    used: set[str] = set()
    for start in range(1, clients + 1, BATCH):
        client_rows: list[dict[str, Any]] = []
        group_rows: list[dict[str, Any]] = []
        period_rows: list[dict[str, Any]] = []
        journal_rows: list[dict[str, Any]] = []
        contact_rows: list[dict[str, Any]] = []
        for index in range(start, min(clients, start + BATCH - 1) + 1):
            row = _rows_for_client(rng, index, team_ids, user_ids, used, today=today)
            danish = row["language"] == "da"
            age = (today - row["birth_date"]).days // 365 if row["birth_date"] else 40
            groups = set()
            if age > 65:
                groups.add(TargetGroup.OVER_65)
            if age <= 25:
                groups.add(TargetGroup.YOUNG_ADULT)
            for group in (
                TargetGroup.SUBSTANCE_ABUSE,
                TargetGroup.PSYCHIATRIC_DISABILITY,
                TargetGroup.FAMILY_WITH_CHILDREN,
            ):
                if rng.random() < 0.3:
                    groups.add(group)
            group_rows += [{"client_id": index, "target_group": g.value} for g in sorted(groups)]
            first_contact = today - dt.timedelta(days=rng.randint(60, 1500))
            closed = row["status"] == ClientStatus.CLOSED.value
            # The last day anything is dated: the closure of a closed case, else today.
            until = today
            if closed:
                until = first_contact + dt.timedelta(
                    days=rng.randint(30, (today - first_contact).days - 1)
                )
                row["closed_on"] = until
                if row["closure_reason"] == ClosureReason.OTHER.value:
                    row["closure_note"] = "Flyttar till anhöriga utomlands"
            walk = _housing_walk(rng, first_contact, until, closed)
            for code, begin, end in walk:
                period_rows.append(
                    {
                        "uid": new_uid(),
                        "client_id": index,
                        "code": code,
                        "start_date": begin,
                        "end_date": end,
                        "place": "",
                        "note": "",
                        "created_by_id": row["responsible_user_id"],
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            row["current_housing_code"], row["current_housing_since"] = walk[-1][0], walk[-1][1]
            notes = DA_NOTES if danish else SV_NOTES
            for _n in range(rng.randint(1, 4)):
                day = first_contact + dt.timedelta(
                    days=rng.randint(0, (until - first_contact).days)
                )
                signed_at = dt.datetime.combine(day, dt.time(15, 30))
                journal_rows.append(
                    {
                        "uid": new_uid(),
                        "client_id": index,
                        "entry_date": day,
                        "category": rng.choice(list(JournalCategory)).value,
                        "text": rng.choice(notes),
                        "status": JournalStatus.SIGNED.value,
                        "author_id": row["responsible_user_id"],
                        "signed_at": signed_at,
                        "signed_by_id": row["responsible_user_id"],
                        "corrects_id": None,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            if row["id_kind"] == IdKind.NONE.value or rng.random() < 0.1:
                places = DA_PLACES if danish else SV_PLACES
                for _n in range(rng.randint(1, 5)):
                    day = until - dt.timedelta(
                        days=rng.randint(0, min(200, (until - first_contact).days))
                    )
                    contact_rows.append(
                        {
                            "uid": new_uid(),
                            "client_id": index,
                            "contact_date": day,
                            "place": rng.choice(places),
                            "kind": rng.choice(list(ContactKind)).value,
                            "outcome": rng.choice(list(ContactOutcome)).value,
                            "note": "",
                            "created_by_id": row["responsible_user_id"],
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
            client_rows.append(row)
        insert_rows(session, Client, client_rows)
        if group_rows:
            insert_rows(session, ClientTargetGroup, group_rows)
        insert_rows(session, HousingPeriod, period_rows)
        insert_rows(session, JournalEntry, journal_rows)
        if contact_rows:
            insert_rows(session, OutreachContact, contact_rows)
        if progress is not None:
            progress(min(clients, start + BATCH - 1), clients)


def create_demo_database(
    location: DataLocation,
    *,
    clients: int,
    seed: int = 1,
    progress: ProgressCallback | None = None,
    params: Argon2Params = PRODUCTION_PARAMS,
    encrypted: bool = True,
    today: dt.date = DEMO_TODAY,
) -> DemoSummary:
    """Create the demo database in ``location`` (which must not hold a database yet).

    The database is encrypted; its key file has the demo accounts ``admin``, ``lead`` and
    ``worker``, each with the password :data:`DEMO_PASSWORD` (only demo databases get them). A
    plain marker file tells the login dialog to show the demo accounts. Tests may pass cheap
    argon2 ``params`` (or ``encrypted=False`` for a plain copy, as the encryption benchmark does).
    Everything is dated up to ``today`` (the program passes the real date).
    """
    if clients < 0 or clients > MAX_CLIENTS:
        raise InvalidInputError(
            _("The number of clients must be between 0 and {maximum}.").format(maximum=MAX_CLIENTS),
            field="clients",
        )
    if location.database.exists() or location.keyslots.exists():
        raise InvalidInputError(
            _("The folder already holds a database. Choose an empty folder for demo data."),
            field="data_dir",
        )
    rng = random.Random(seed)
    key: bytes | None = None
    slots: _KeyFileWriter | None = None
    if encrypted:
        # The key file's argon2 derivations (one per slot, about a second each) run beside
        # the data's generation: argon2 does not hold the interpreter's lock.
        key = new_data_key()
        slots = _KeyFileWriter(location, key, params)
        slots.start()
    try:
        db = open_workspace(location, key=key)
        try:
            fill_demo(db, rng, clients, progress, today=today)
            with db.begin() as session:
                # The log starts with the demo data, so it is never empty beside clients.
                audit.record(session, None, AuditAction.CREATE, detail="demo data")
        finally:
            db.dispose()
    finally:
        if slots is not None:
            slots.finish()
    write_text_atomic(
        location.folder / DEMO_MARKER_FILE,
        "Hemlös Desktop demo database: fictitious people only.\n",
    )
    log.info("demo database created with %d clients", clients)
    return DemoSummary(clients=clients, seed=seed)


class _KeyFileWriter(threading.Thread):
    """Writes the demo key file (the demo accounts' slots and a recovery slot) for ``key``."""

    def __init__(self, location: DataLocation, key: bytes, params: Argon2Params) -> None:
        super().__init__(name="demo-key-file", daemon=True)
        self._location = location
        self._key = key
        self._params = params
        self._error: BaseException | None = None

    def run(self) -> None:
        try:
            KeyStore.create(
                self._location,
                admin_username=DEMO_ACCOUNTS[0],
                password=DEMO_PASSWORD,
                params=self._params,
                data_key=self._key,
            )
            store = KeyStore.load(self._location, params=self._params)
            for username in DEMO_ACCOUNTS[1:]:
                store.add_slot(self._key, username, DEMO_PASSWORD)
        except BaseException as exc:  # raised again by finish(), on the caller's thread
            self._error = exc

    def finish(self) -> None:
        self.join()
        if self._error is not None:
            raise self._error


def open_demo(
    location: DataLocation,
    *,
    username: str = "admin",
    params: Argon2Params = PRODUCTION_PARAMS,
) -> tuple[Database, Actor]:
    """Open a demo database as one of the demo accounts (for tools, benchmarks and tests)."""
    from hemlos_desktop.services.session import unlock

    signed_in = unlock(location, username, DEMO_PASSWORD, params=params)
    return signed_in.db, signed_in.actor


# Features add their demo records with a module that has
# ``generate(session: Session, rng: random.Random, today: date) -> None``; it runs after the
# clients, users and teams exist, in the same transaction.
DEMO_EXTENSIONS: tuple[str, ...] = ("assessments", "plans", "team")


def fill_demo(
    db: Database,
    rng: random.Random,
    clients: int,
    progress: ProgressCallback | None = None,
    *,
    today: dt.date = DEMO_TODAY,
) -> None:
    """Write ``clients`` demo clients and every feature's demo records, dated up to ``today``."""
    with db.begin() as session:
        connection = session.connection()
        # A large page cache for this one transaction: the random uids of half a million rows
        # would otherwise push index pages out to the write-ahead log again and again.
        connection.exec_driver_sql(f"PRAGMA cache_size = -{FILL_CACHE_KIB}")
        database_info.set_value(session, database_info.IS_DEMO, "1")
        with search_index.bulk_load(connection), deferred_indexes(connection, CLIENT_TABLES):
            _generate(session, rng, clients, progress, today)
        connection.exec_driver_sql(f"PRAGMA cache_size = -{connection_module.CACHE_KIB}")
        connection.exec_driver_sql("ANALYZE")
        for name in DEMO_EXTENSIONS:
            module = importlib.import_module(f"hemlos_desktop.demo.{name}")
            module.generate(session, random.Random(rng.random()), today)


def demo_team_names() -> tuple[str, ...]:
    return TEAMS
