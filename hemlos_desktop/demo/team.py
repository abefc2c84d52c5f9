"""Demo team data: the first demo team (Boendelots Södermalm) gets its units, member roles and
competences, partners, who does what for its clients, eviction cases in every state (new,
urgent, waiting for a hearing, and each outcome), releases, a past case review with minutes and
actions, and a planned one with its proposed agenda. Written with a few bulk INSERTs."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from hemlos_desktop.demo.clients import UidSource
from hemlos_desktop.models.base import new_uid, utcnow
from hemlos_desktop.models.client import Client, ClientStatus
from hemlos_desktop.models.people import Team, TeamMember, User
from hemlos_desktop.models.team import (
    SUGGESTED_UNITS,
    AgendaItem,
    AgendaReason,
    Competence,
    EvictionCase,
    EvictionOutcome,
    EvictionReason,
    MeetingAction,
    MeetingParticipant,
    MemberCompetence,
    Partner,
    PartnerKind,
    Release,
    ReleaseKind,
    Responsibility,
    ResponsibilityRole,
    ReviewMeeting,
    TeamRole,
    Unit,
    UnitKind,
)
from hemlos_desktop.storage.bulk import datetime_text, insert_tuples

UNIT_NAMES: dict[UnitKind, str] = {
    UnitKind.EVICTION_PREVENTION: "Rörligt team (vräkningsförebyggande)",
    UnitKind.INVESTIGATING: "Utredning, bedömning och beslut",
    UnitKind.OUTREACH: "Uppsökarteamet",
    UnitKind.SUPPORTING: "Boendestöd",
    UnitKind.ELDER_CARE: "Äldreomsorgsavdelningen",
}
PARTNERS = (
    ("Stockholmshem", PartnerKind.LANDLORD, "Hyresavdelningen, 08-508 390 00"),
    ("Familjebostäder", PartnerKind.LANDLORD, ""),
    ("Psykiatri Södra Stockholm", PartnerKind.PSYCHIATRY, "Mottagning Södermalm"),
    ("Vårdcentralen Hornsgatan", PartnerKind.PRIMARY_CARE, ""),
    ("Arbetsförmedlingen", PartnerKind.EMPLOYMENT, ""),
    ("Kriminalvården, frivården Stockholm", PartnerKind.PROBATION, ""),
)
LANDLORDS = ("Stockholmshem", "Familjebostäder", "Svenska Bostäder", "Heimstaden", "Akelius")
MEASURES = (
    "Avbetalningsplan med hyresvärden; budgetrådgivning.",
    "Ekonomiskt bistånd till hyresskulden beviljat.",
    "Boendestöd två gånger i veckan; kontakt med grannarna.",
    "Samtal med hyresvärden om störningarna; överenskommelse om rättelse.",
)
SHARE_COORDINATED = 0.45
SHARE_EVICTION = 0.08
MAX_EVICTIONS = 300
STATES = 9  # new, urgent hearing, urgent eviction, waiting, and the five outcomes
RESPONSIBILITY_COLUMNS = (
    "client_id", "role", "user_id", "unit_id", "start_date", "end_date", "note", "created_by_id",
    "uid", "created_at", "updated_at",
)  # fmt: skip
ROLES: dict[str, TeamRole] = {
    "lead": TeamRole.COORDINATOR,
    "worker": TeamRole.CASEWORKER,
    "karin": TeamRole.CASEWORKER,
    "sara": TeamRole.CASEWORKER,
}


def _eviction_row(
    client_id: int, state: int, today: dt.date, rng: random.Random, now: dt.datetime
) -> dict[str, Any]:
    """One case in state ``state`` (0-7: new, urgent hearing, urgent eviction, waiting, then
    the five outcomes)."""
    notice = today - dt.timedelta(days=rng.randint(20, 150))
    row: dict[str, Any] = {
        "uid": new_uid(),
        "client_id": client_id,
        "landlord": rng.choice(LANDLORDS),
        "reason": EvictionReason.RENT_ARREARS.value,
        "arrears_cents": rng.randint(40, 600) * 10000,
        "notice_date": notice,
        "social_services_date": notice + dt.timedelta(days=3),
        "kronofogden_date": None,
        "hearing_date": None,
        "eviction_date": None,
        "measures": rng.choice(MEASURES),
        "outcome": "",
        "outcome_date": None,
        "created_by_id": None,
        "created_at": now,
        "updated_at": now,
    }
    if rng.random() < 0.25:
        row["reason"] = EvictionReason.DISTURBANCE.value
        row["arrears_cents"] = None
    if state == 0:  # new: notice a few days ago
        row["notice_date"] = today - dt.timedelta(days=rng.randint(1, 10))
        row["social_services_date"] = row["notice_date"] + dt.timedelta(days=1)
        row["measures"] = ""
    elif state == 1:  # urgent: hearing within two weeks
        row["kronofogden_date"] = notice + dt.timedelta(days=20)
        row["hearing_date"] = today + dt.timedelta(days=rng.randint(1, 13))
    elif state == 2:  # urgent: eviction date set
        row["kronofogden_date"] = notice + dt.timedelta(days=15)
        row["hearing_date"] = notice + dt.timedelta(days=40)
        row["eviction_date"] = today + dt.timedelta(days=rng.randint(2, 12))
    elif state == 3:  # waiting for a hearing later on
        row["kronofogden_date"] = notice + dt.timedelta(days=20)
        row["hearing_date"] = today + dt.timedelta(days=rng.randint(20, 70))
    else:
        outcome = list(EvictionOutcome)[(state - 4) % len(EvictionOutcome)]
        row["notice_date"] = notice - dt.timedelta(days=200)
        row["social_services_date"] = row["notice_date"] + dt.timedelta(days=4)
        row["outcome"] = outcome.value
        row["outcome_date"] = row["notice_date"] + dt.timedelta(days=rng.randint(40, 180))
        if outcome is EvictionOutcome.EVICTED:
            row["eviction_date"] = row["outcome_date"]
    return row


def generate(session: Session, rng: random.Random, today: dt.date) -> None:
    team = session.scalar(select(Team).order_by(Team.id).limit(1))
    if team is None:
        return
    now = utcnow()
    team.municipality = "Stockholms stad"
    team.caseload_ceiling = 25
    session.execute(
        insert(Unit),
        [
            {
                "uid": new_uid(),
                "team_id": team.id,
                "name": UNIT_NAMES[kind],
                "kind": kind.value,
                "active": True,
                "created_at": now,
                "updated_at": now,
            }
            for kind in SUGGESTED_UNITS
        ],
    )
    units: dict[str, int] = {
        kind: unit_id
        for kind, unit_id in session.execute(
            select(Unit.kind, Unit.id).where(Unit.team_id == team.id)
        )
    }
    users: dict[str, int] = {
        name: user_id for name, user_id in session.execute(select(User.username, User.id))
    }
    member_ids = set(
        session.scalars(select(TeamMember.user_id).where(TeamMember.team_id == team.id))
    )
    unit_of = {
        "lead": None,
        "worker": units[UnitKind.SUPPORTING.value],
        "karin": units[UnitKind.OUTREACH.value],
        "sara": units[UnitKind.INVESTIGATING.value],
    }
    for username, role in ROLES.items():
        user_id = users.get(username)
        if user_id in member_ids:
            session.execute(
                update(TeamMember)
                .where(TeamMember.team_id == team.id, TeamMember.user_id == user_id)
                .values(team_role=role.value, unit_id=unit_of[username])
            )
    competences = []
    for user_id in sorted(member_ids):
        for competence in Competence:
            if rng.random() < 0.45:
                trained = today - dt.timedelta(days=rng.randint(30, 2000))
                competences.append(
                    {"user_id": user_id, "competence": competence.value, "trained_on": trained}
                )
    if competences:
        session.execute(insert(MemberCompetence), competences)
    session.execute(
        insert(Partner),
        [
            {
                "uid": new_uid(),
                "team_id": team.id,
                "name": name,
                "kind": kind.value,
                "contact": contact,
                "created_at": now,
                "updated_at": now,
            }
            for name, kind, contact in PARTNERS
        ],
    )
    clients: list[tuple[int, int | None]] = [
        (cid, responsible)
        for cid, responsible in session.execute(
            select(Client.id, Client.responsible_user_id)
            .where(Client.team_id == team.id, Client.status == ClientStatus.ACTIVE.value)
            .order_by(Client.id)
        )
    ]
    _responsibilities(session, rng, today, clients=clients, users=users, units=units, now=now)
    chosen = [cid for cid, _u in clients if rng.random() < SHARE_EVICTION][:MAX_EVICTIONS]
    if len(chosen) < STATES:  # every state at least once, even in a small demo
        chosen = [cid for cid, _u in clients][:STATES]
    if chosen:
        session.execute(
            insert(EvictionCase),
            [_eviction_row(cid, i % STATES, today, rng, now) for i, cid in enumerate(chosen)],
        )
    releases = [
        {
            "client_id": cid,
            "kind": rng.choice(list(ReleaseKind)).value,
            "release_date": today - dt.timedelta(days=rng.randint(5, 330)),
            "housing_arranged": rng.random() < 0.6,
            "created_at": now,
            "updated_at": now,
        }
        for cid, _u in clients
        if rng.random() < 0.03
    ]
    if releases:
        session.execute(insert(Release), releases)
    _past_meeting(
        session, rng, today, team_id=team.id, client_ids=[c[0] for c in clients], users=users,
        now=now,
    )  # fmt: skip


def _responsibilities(
    session: Session,
    rng: random.Random,
    today: dt.date,
    *,
    clients: list[tuple[int, int | None]],
    users: dict[str, int],
    units: dict[str, int],
    now: dt.datetime,
) -> None:
    rows: list[tuple[Any, ...]] = []
    lead = users.get("lead")
    uids = UidSource().take
    stamp = datetime_text(now)
    caseworker, coordinator = (
        ResponsibilityRole.CASEWORKER.value,
        ResponsibilityRole.COORDINATOR.value,
    )
    purchaser_role, provider_role = (
        ResponsibilityRole.PURCHASER.value,
        ResponsibilityRole.PROVIDER.value,
    )
    for client_id, responsible in clients:
        start = today - dt.timedelta(days=rng.randint(30, 700))
        begun = start.isoformat()
        if responsible is not None:
            rows.append(
                (client_id, caseworker, responsible, None, begun, None, "", lead, uids(), stamp,
                 stamp)
            )  # fmt: skip
        if lead is not None and rng.random() < SHARE_COORDINATED:
            rows.append(
                (client_id, coordinator, lead, None, begun, None, "", lead, uids(), stamp, stamp)
            )  # fmt: skip
            purchaser = units[UnitKind.INVESTIGATING.value]
            provider = units[
                rng.choice((UnitKind.SUPPORTING, UnitKind.EVICTION_PREVENTION, UnitKind.OUTREACH))
            ]
            ended = rng.random() < 0.3
            end = start + dt.timedelta(days=rng.randint(20, 200)) if ended else None
            if end is not None and end > today:
                end = None
            ending = None if end is None else end.isoformat()
            for role, unit in ((purchaser_role, purchaser), (provider_role, provider)):
                rows.append(
                    (client_id, role, None, unit, begun, ending, "", lead, uids(), stamp, stamp)
                )  # fmt: skip
    raw = session.connection().connection.driver_connection
    insert_tuples(raw, Responsibility, RESPONSIBILITY_COLUMNS, rows)


def _past_meeting(
    session: Session,
    rng: random.Random,
    today: dt.date,
    *,
    team_id: int,
    client_ids: list[int],
    users: dict[str, int],
    now: dt.datetime,
) -> None:
    """Last week's review with minutes and actions (some done, some overdue)."""
    if not client_ids:
        return
    lead, worker = users.get("lead"), users.get("worker")
    meeting = ReviewMeeting(
        team_id=team_id,
        meeting_date=today - dt.timedelta(days=7),
        title="Ärendegenomgång vecka " + str((today - dt.timedelta(days=7)).isocalendar()[1]),
        minutes_done=True,
        created_by_id=lead,
    )
    session.add(meeting)
    session.flush()
    participants = [u for u in (lead, worker, users.get("karin"), users.get("sara")) if u]
    session.execute(
        insert(MeetingParticipant),
        [{"meeting_id": meeting.id, "user_id": u} for u in participants],
    )
    decisions = (
        ("Ansök om ekonomiskt bistånd för hyresskulden.", "Skriv ansökan"),
        ("Boendestöd utökas till tre gånger i veckan.", "Meddela boendestödet"),
        ("SIP-möte med psykiatrin.", "Kalla till SIP-möte"),
        ("Klienten erbjuds träningslägenhet.", "Boka visning"),
        ("Ingen kontakt sedan länge: uppsökande besök.", "Besök på härbärget"),
    )
    reasons = list(AgendaReason)
    picked = rng.sample(client_ids, min(len(client_ids), len(decisions)))
    for position, (client_id, (decision, action)) in enumerate(
        zip(picked, decisions, strict=False), start=1
    ):
        item = AgendaItem(
            meeting_id=meeting.id,
            position=position,
            client_id=client_id,
            reason=reasons[(position - 1) % (len(reasons) - 1)].value,
            decision=decision,
        )
        session.add(item)
        session.flush()
        due = today + dt.timedelta(days=rng.choice((-3, -1, 2, 5, 10)))
        session.add(
            MeetingAction(
                item_id=item.id,
                client_id=client_id,
                text=action,
                assigned_user_id=participants[position % len(participants)],
                due=due,
                done=position == 1,
                created_at=now,
                updated_at=now,
            )
        )
    session.add(
        AgendaItem(
            meeting_id=meeting.id,
            position=len(picked) + 1,
            client_id=None,
            reason=AgendaReason.ADDED.value,
            topic="Semesterplanering och vikarier",
            decision="Lars sammanställer schemat till nästa möte.",
        )
    )
