"""The three-laptop simulation's world (tests/server/test_sync_simulation.py, benchmarks/sync.py).

Each edit goes through the program's own services on one laptop. The simulation keeps a ledger
of every value saved per record field, and of the values a laptop *knowingly* replaced (the
value it showed when its person saved another). After everyone has synced, a saved value that
was never knowingly replaced must be the field's value on every laptop or one of the values of
a conflict; anything else is a lost edit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pgcluster import PgDatabase
from sqlalchemy import Connection, select
from syncworld import Laptop

from hemlos_desktop.models.assessment_rules import AreaRating, RatingDraft
from hemlos_desktop.models.base import Base
from hemlos_desktop.models.client import (
    Client,
    ContactKind,
    ContactOutcome,
    HousingPeriod,
    JournalCategory,
)
from hemlos_desktop.models.client_rules import TargetGroup
from hemlos_desktop.models.housing_rules import PeriodInput
from hemlos_desktop.models.instrument import SODERMALM_ID
from hemlos_desktop.models.people import Role, User
from hemlos_desktop.models.plan import PlanVersion
from hemlos_desktop.models.plan_rules import GoalSnapshot
from hemlos_desktop.models.sync_state import SyncConflict
from hemlos_desktop.models.validation import ValidationFailed
from hemlos_desktop.services import assessments, journal, plans
from hemlos_desktop.services.clients import get_client, update_client
from hemlos_desktop.services.contacts import ContactInput, add_contact
from hemlos_desktop.services.housing import delete_period, list_periods, save_period
from hemlos_desktop.services.sync_records import CLIENT_RECORDS, CLIENT_VIA, referred_table
from hemlos_desktop.storage import server
from hemlos_desktop.storage.change_capture import SYNCED_TABLES
from hemlos_desktop.storage.server import ServerUnreachableError

TODAY = dt.date(2026, 12, 3)
AREAS = ("housing", "income", "substance_use", "daily_living", "occupation")
CLIENT_FIELDS = ("phone", "address", "email", "description")
# Not compared between machines: local ids and edit times, local facts, and what each laptop
# works out for itself from the periods.
NOT_COMPARED = frozenset({"id", "updated_at", "last_login_at"})
NOT_COMPARED_WITH_SERVER = frozenset({"current_housing_code", "current_housing_since"})

Key = tuple[str, str, str]  # table, record uid, field


@dataclass
class Report:
    lost_edits: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    drafts_leaked: list[str] = field(default_factory=list)
    conflicts: int = 0
    checked_values: int = 0


class Simulation:
    def __init__(
        self,
        laptops: list[Laptop],
        *,
        seed: int,
        store: PgDatabase,
        observer: Laptop | None = None,
    ) -> None:
        self.laptops = laptops
        # Someone outside the team (dag) who sees only the clients handed to him: they enter
        # and leave his view as the team hands them over and takes them back.
        self.observer = observer
        self.handed = self.taken_back = 0
        self.observer_held: set[str] = set()
        self.random = random.Random(seed)
        self.store = store
        self.good_url = laptops[0].url
        self.away_url = self.good_url.replace(f"port={store.cluster.port}", "port=1")
        self.server_away = False
        self.kills = self.unreachable = self.edits = self.syncs = 0
        self.saved: dict[Key, list[str]] = defaultdict(list)
        self.replaced: dict[Key, set[str]] = defaultdict(set)
        self.deleted: set[tuple[str, str]] = set()
        self.drafts: dict[int, list[tuple[int, str]]] = defaultdict(list)  # laptop -> drafts
        self.counter = 0

    # -- steps ------------------------------------------------------------------------------

    def next(self) -> int:
        self.counter += 1
        return self.counter

    def sync(self, index: int) -> None:
        laptop = self.laptops[index]
        laptop.url = self.away_url if self.server_away else self.good_url
        try:
            laptop.sync()
            self.syncs += 1
        except ServerUnreachableError:
            self.unreachable += 1
        finally:
            laptop.url = self.good_url

    def settle(self) -> None:
        """Everyone syncs until nothing moves (three rounds are always enough: send, receive,
        receive the conflicts and resolutions of the others)."""
        for _round in range(3):
            for index in range(len(self.laptops)):
                self.sync(index)
        self.sync_observer()

    def sync_observer(self) -> None:
        observer = self.observer
        if observer is None:
            return
        observer.url = self.away_url if self.server_away else self.good_url
        try:
            observer.sync()
        except ServerUnreachableError:
            self.unreachable += 1
            return
        finally:
            observer.url = self.good_url
        with observer.db.read() as s:
            self.observer_held.update(str(u) for u in s.scalars(select(Client.uid)))

    def edit(self, index: int) -> None:
        laptop = self.laptops[index]
        clients = self._clients(laptop)
        actions: list[tuple[Callable[[Laptop, int, list[int]], None], int]] = [
            (self._register, 6 if len(clients) < 6 else 2),
            (self._edit_client, 14),
            (self._target_groups, 2),
            (self._add_period, 5),
            (self._edit_period, 5),
            (self._delete_period, 1),
            (self._journal, 6),
            (self._contact, 3),
            (self._rating, 3),
            (self._plan, 4),
            (self._hand_over, 2 if self.observer is not None else 0),
        ]
        if not clients:
            actions = actions[:1]
        action = self.random.choices([a for a, _w in actions], [w for _a, w in actions])[0]
        try:
            action(laptop, index, clients)
        except ValidationFailed:
            return  # refused by the form's rules (e.g. a colleague's period overlaps): not saved
        self.edits += 1

    # -- edits ------------------------------------------------------------------------------

    def _clients(self, laptop: Laptop) -> list[int]:
        with laptop.db.read() as s:
            return list(s.scalars(select(Client.id).order_by(Client.id)))

    def _uid(self, laptop: Laptop, model: Any, row_id: int) -> str:
        with laptop.db.read() as s:
            return str(s.scalar(select(model.uid).where(model.id == row_id)))

    def _register(self, laptop: Laptop, _index: int, _clients: list[int]) -> None:
        n = self.next()
        client = laptop.register(f"K{n}", phone=f"070-{n:06d}")
        self.saved[("clients", self._uid(laptop, Client, client), "phone")].append(f"070-{n:06d}")

    def _edit_client(self, laptop: Laptop, _index: int, clients: list[int]) -> None:
        client = self.random.choice(clients)
        name = self.random.choice(CLIENT_FIELDS)
        n = self.next()
        value = {
            "phone": f"08-{n:07d}",
            "address": f"Gatan {n}",
            "email": f"k{n}@example.org",
            "description": f"Beskrivning {n}",
        }[name]
        data = get_client(laptop.db, laptop.actor, client).data
        key = ("clients", self._uid(laptop, Client, client), name)
        self._replacing(key, getattr(data, name))
        update_client(laptop.db, laptop.actor, client, dataclasses.replace(data, **{name: value}))
        self.saved[key].append(value)

    def _target_groups(self, laptop: Laptop, _index: int, clients: list[int]) -> None:
        client = self.random.choice(clients)
        data = get_client(laptop.db, laptop.actor, client).data
        groups = frozenset(self.random.sample(list(TargetGroup), self.random.randint(0, 2)))
        update_client(
            laptop.db, laptop.actor, client, dataclasses.replace(data, target_groups=groups)
        )

    def _add_period(self, laptop: Laptop, _index: int, clients: list[int]) -> None:
        n = self.next()
        start = dt.date(1990, 1, 1) + dt.timedelta(days=20 * n)
        period = PeriodInput(
            code=self.random.randint(1, 5),
            start_date=start,
            end_date=start + dt.timedelta(days=10),
            place=f"Plats {n}",
            note=f"Not {n}",
        )
        client = self.random.choice(clients)
        save_period(laptop.db, laptop.actor, client, period, today=TODAY)
        with laptop.db.read() as s:
            uid = s.scalar(select(HousingPeriod.uid).where(HousingPeriod.place == f"Plats {n}"))
        self.saved[("housing_periods", str(uid), "note")].append(f"Not {n}")

    def _a_period(self, laptop: Laptop, clients: list[int]) -> tuple[int, Any] | None:
        for client in self.random.sample(clients, min(len(clients), 5)):
            periods = list_periods(laptop.db, laptop.actor, client)
            if periods:
                return client, self.random.choice(periods)
        return None

    def _edit_period(self, laptop: Laptop, _index: int, clients: list[int]) -> None:
        found = self._a_period(laptop, clients)
        if found is None:
            return
        client, period = found
        n = self.next()
        key = ("housing_periods", self._uid(laptop, HousingPeriod, period.id), "note")
        self._replacing(key, period.note)
        data = PeriodInput(
            code=period.code,
            start_date=period.start_date,
            end_date=period.end_date,
            place=period.place,
            note=f"Ändrad {n}",
            place_kind=period.place_kind,
        )
        save_period(laptop.db, laptop.actor, client, data, period_id=period.id, today=TODAY)
        self.saved[key].append(f"Ändrad {n}")

    def _delete_period(self, laptop: Laptop, _index: int, clients: list[int]) -> None:
        found = self._a_period(laptop, clients)
        if found is None:
            return
        client, period = found
        self.deleted.add(("housing_periods", self._uid(laptop, HousingPeriod, period.id)))
        delete_period(laptop.db, laptop.actor, client, period.id, today=TODAY)

    def _journal(self, laptop: Laptop, index: int, clients: list[int]) -> None:
        own = self.drafts[index]
        if own and self.random.random() < 0.5:
            draft_id, text = own.pop(self.random.randrange(len(own)))
            journal.sign_entry(laptop.db, laptop.actor, draft_id, today=TODAY)
            return
        n = self.next()
        text = f"Anteckning {n}"
        draft = journal.save_draft(
            laptop.db,
            laptop.actor,
            self.random.choice(clients),
            draft_id=None,
            entry_date=TODAY,
            category=JournalCategory.CONTACT,
            text=text,
        ).value
        own.append((draft, text))

    def _contact(self, laptop: Laptop, _index: int, clients: list[int]) -> None:
        n = self.next()
        data = ContactInput(
            TODAY, ContactKind.STREET, ContactOutcome.BRIEF, f"Plats {n}", f"Kontakt {n}"
        )
        add_contact(laptop.db, laptop.actor, self.random.choice(clients), data, today=TODAY)

    def _rating(self, laptop: Laptop, _index: int, clients: list[int]) -> None:
        levels = [self.random.randint(1, 5) for _area in AREAS]
        draft = RatingDraft(
            SODERMALM_ID,
            1,
            TODAY,
            True,
            tuple(AreaRating(key, level) for key, level in zip(AREAS, levels, strict=True)),
        )
        client = self.random.choice(clients)
        if self.random.random() < 0.3:
            assessments.save_draft(laptop.db, laptop.actor, client, draft)  # stays here
        else:
            assessments.sign_draft(laptop.db, laptop.actor, client, draft, today=TODAY)

    def _plan(self, laptop: Laptop, _index: int, clients: list[int]) -> None:
        client = self.random.choice(clients)
        info = plans.current_plan(laptop.db, laptop.actor, client)
        if info is None:
            plans.create_draft(laptop.db, laptop.actor, client, start=TODAY)
            return
        if not info.editable:
            return
        n = self.next()
        text = f"Mål {n}"
        with laptop.db.read() as s:
            uid = str(s.scalar(select(PlanVersion.uid).where(PlanVersion.id == info.version_id)))
        key = ("plan_versions", uid, "snapshot")
        shown = info.snapshot.goals[0].text if info.snapshot.goals else ""
        self._replacing(key, shown)
        snapshot = dataclasses.replace(info.snapshot, goals=(GoalSnapshot(f"g{n}", text),))
        plans.save_draft(
            laptop.db,
            laptop.actor,
            info.version_id,
            snapshot,
            info.sip,
            expected_revision=info.revision,
        )
        self.saved[key].append(text)

    def _hand_over(self, _laptop: Laptop, _index: int, _clients: list[int]) -> None:
        """The team lead hands a client to dag (he sees them from now), or takes them back."""
        laptop = next(one for one in self.laptops if one.actor.role is Role.TEAM_LEAD)
        clients = self._clients(laptop)
        if not clients:
            return
        client = self.random.choice(clients)
        data = get_client(laptop.db, laptop.actor, client).data
        with laptop.db.read() as s:
            dag = s.scalar(select(User.id).where(User.username == "dag"))
        if data.responsible_user_id == dag:
            chosen, self.taken_back = laptop.actor.user_id, self.taken_back + 1
        else:
            chosen, self.handed = dag, self.handed + 1
        moved = dataclasses.replace(data, responsible_user_id=chosen)
        update_client(laptop.db, laptop.actor, client, moved)

    def _replacing(self, key: Key, shown: object) -> None:
        if shown not in (None, ""):
            self.replaced[key].add(str(shown))

    # -- the checks -------------------------------------------------------------------------

    def check(self) -> Report:
        report = Report()
        dumps = []
        for laptop in self.laptops:
            with laptop.db.engine.connect() as conn:
                dumps.append(dump(conn, drafts_out=True))
        engine = server.server_engine(self.store.url)
        try:
            with engine.connect() as conn:
                on_server = dump(conn, drafts_out=True)
        finally:
            engine.dispose()
        first = dumps[0]
        for laptop, other in zip(self.laptops[1:], dumps[1:], strict=True):
            report.differences.extend(f"{laptop.name}: {d}" for d in differences(first, other))
        report.differences.extend(
            f"server: {d}" for d in differences(first, on_server, ignore=NOT_COMPARED_WITH_SERVER)
        )
        if self.observer is not None:
            with self.observer.db.engine.connect() as conn:
                seen = dump(conn, drafts_out=True)
            expected = handed_to(on_server, self.observer.name, seen)
            held = {table: seen[table] for table in expected}  # all he holds of clients
            report.differences.extend(
                f"{self.observer.name}: {d}"
                for d in differences(expected, held, ignore=NOT_COMPARED_WITH_SERVER)
            )
        conflict_sets = [self._conflicts(laptop) for laptop in self.laptops]
        for laptop, conflicts in zip(self.laptops[1:], conflict_sets[1:], strict=True):
            if set(conflicts) != set(conflict_sets[0]):
                report.differences.append(f"{laptop.name}: other conflicts")
        report.conflicts = len(conflict_sets[0])
        self._lost(first, conflict_sets[0], report)
        self._doubled(first, report)
        self._leaked(on_server, dumps, report)
        return report

    def _conflicts(self, laptop: Laptop) -> dict[str, tuple[Key, str, str]]:
        with laptop.db.read() as s:
            return {
                c.uid: ((c.table_name, c.record_uid, c.field), c.current_value, c.held_value)
                for c in s.scalars(select(SyncConflict))
            }

    def _lost(
        self,
        final: dict[str, dict[str, dict[str, Any]]],
        conflicts: dict[str, tuple[Key, str, str]],
        report: Report,
    ) -> None:
        held: dict[Key, list[str]] = defaultdict(list)
        for key, current, other in conflicts.values():
            held[key].extend([current, other])
        for key, values in self.saved.items():
            table, record, name = key
            if (table, record) in self.deleted or record not in final[table]:
                continue
            now = str(final[table][record].get(name))
            for value in values:
                if value in self.replaced[key]:
                    continue
                report.checked_values += 1
                if value in now or any(value in text for text in held[key]):
                    continue
                report.lost_edits.append(f"{table}.{name} of {record}: {value}")

    def _doubled(self, final: dict[str, dict[str, dict[str, Any]]], report: Report) -> None:
        for table, column in (
            ("clients", "first_name"),
            ("housing_periods", "place"),
            ("journal_entries", "text"),
            ("outreach_contacts", "note"),
        ):
            seen: dict[Any, int] = defaultdict(int)
            for row in final[table].values():
                seen[row[column]] += 1
            report.duplicates.extend(f"{table}: {v}" for v, count in seen.items() if count > 1)

    def _leaked(
        self,
        on_server: dict[str, dict[str, dict[str, Any]]],
        dumps: list[dict[str, dict[str, dict[str, Any]]]],
        report: Report,
    ) -> None:
        for index, drafts in self.drafts.items():
            texts = {text for _id, text in drafts}
            places = [on_server] + [d for i, d in enumerate(dumps) if i != index]
            for place in places:
                for row in place["journal_entries"].values():
                    if row["text"] in texts:
                        report.drafts_leaked.append(str(row["text"]))


def dump(conn: Connection, *, drafts_out: bool) -> dict[str, dict[str, dict[str, Any]]]:
    """Every synced record but the access log, by uid, references as uids."""
    uids: dict[str, dict[int, str]] = {}
    for name in SYNCED_TABLES:
        table = Base.metadata.tables[name]
        if "uid" in table.c:
            uids[name] = {int(i): str(u) for i, u in conn.execute(select(table.c.id, table.c.uid))}
    result: dict[str, dict[str, dict[str, Any]]] = {}
    for name in SYNCED_TABLES:
        if name == "audit_log":
            continue
        table = Base.metadata.tables[name]
        rows: dict[str, dict[str, Any]] = {}
        for row in conn.execute(select(table)).mappings():
            values: dict[str, Any] = {}
            for column in table.columns:
                if column.name in NOT_COMPARED:
                    continue
                value = row[column.name]
                referred = referred_table(table, column)
                if referred is not None and value is not None:
                    value = uids.get(referred, {}).get(int(value), f"?{value}")
                elif isinstance(value, dt.datetime | dt.date):
                    value = value.isoformat()
                values[column.name] = value
            if (
                drafts_out
                and values.get("status") not in (None, "signed")
                and name
                in (
                    "journal_entries",
                    "assessments",
                )
            ):
                continue
            if "uid" in table.c:
                key = str(row["uid"])
            else:
                key = "/".join(str(values[c.name]) for c in table.primary_key.columns)
            rows[key] = values
        result[name] = rows
    # Parts of a draft rating stay with it.
    result["assessment_areas"] = {
        key: values
        for key, values in result["assessment_areas"].items()
        if values["assessment_id"] in result["assessments"]
    }
    return result


def handed_to(
    records: dict[str, dict[str, dict[str, Any]]],
    username: str,
    observer: dict[str, dict[str, dict[str, Any]]],
) -> dict[str, dict[str, dict[str, Any]]]:
    """The clients in ``username``'s care and every record that follows them."""
    [user] = [uid for uid, row in observer["users"].items() if row["username"] == username]
    clients = {uid for uid, row in records["clients"].items() if row["responsible_user_id"] == user}
    kept: dict[str, dict[str, dict[str, Any]]] = {
        "clients": {uid: records["clients"][uid] for uid in clients}
    }
    for table in sorted(CLIENT_RECORDS - set(CLIENT_VIA)):
        kept[table] = {
            key: row for key, row in records[table].items() if row["client_id"] in clients
        }
    for table, (parent, column) in CLIENT_VIA.items():
        kept[table] = {
            key: row for key, row in records[table].items() if row[column] in kept[parent]
        }
    return kept


def differences(
    a: dict[str, dict[str, dict[str, Any]]],
    b: dict[str, dict[str, dict[str, Any]]],
    *,
    ignore: frozenset[str] = frozenset(),
) -> list[str]:
    found: list[str] = []
    for table, left in a.items():
        right = b[table]
        for key in sorted(set(left) ^ set(right)):
            found.append(f"{table} {key} on one side only")
        for key in sorted(set(left) & set(right)):
            for name, value in left[key].items():
                if name in ignore:
                    continue
                if json.dumps(value, default=str) != json.dumps(right[key].get(name), default=str):
                    found.append(f"{table} {key}.{name}")
    return found
