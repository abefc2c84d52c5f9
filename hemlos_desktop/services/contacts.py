"""Outreach contacts (uppsökande arbete / opsøgende arbejde), and linking a person met on the
street to a registered client once they are identified (their history moves over)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update

from hemlos_desktop.errors import InvalidInputError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.client import (
    ClientStatus,
    ContactKind,
    ContactOutcome,
    HousingPeriod,
    JournalEntry,
    OutreachContact,
)
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.models.people import User
from hemlos_desktop.models.text import SHORT_TEXT_MAX, clean_block, clean_line
from hemlos_desktop.models.validation import FieldError, ValidationFailed, too_long
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import Actor, load_visible_client, require_write
from hemlos_desktop.services.changes import ChangeKind, ChangeSet, Outcome
from hemlos_desktop.services.housing import refresh_current
from hemlos_desktop.storage import Database

NOTE_MAX = 4000


@dataclass(frozen=True)
class ContactInput:
    contact_date: dt.date | None
    kind: ContactKind
    outcome: ContactOutcome
    place: str = ""
    note: str = ""


@dataclass(frozen=True)
class ContactInfo:
    id: int
    client_id: int
    contact_date: dt.date
    kind: ContactKind
    outcome: ContactOutcome
    place: str
    note: str
    recorded_by: str


def _validate(data: ContactInput, today: dt.date) -> list[FieldError]:
    errors: list[FieldError] = []
    if data.contact_date is None:
        errors.append(FieldError("contact_date", _("Enter the date of the contact.")))
    elif data.contact_date > today:
        errors.append(FieldError("contact_date", _("The date of the contact is in the future.")))
    if len(data.place) > SHORT_TEXT_MAX:
        errors.append(FieldError("place", too_long(SHORT_TEXT_MAX)))
    if len(data.note) > NOTE_MAX:
        errors.append(FieldError("note", too_long(NOTE_MAX)))
    return errors


def add_contact(
    db: Database, actor: Actor, client_id: int, data: ContactInput, *, today: dt.date | None = None
) -> Outcome[int]:
    require_write(actor)
    clean = ContactInput(
        data.contact_date,
        data.kind,
        data.outcome,
        clean_line(data.place[: SHORT_TEXT_MAX * 4]),
        clean_block(data.note[: NOTE_MAX * 2]),
    )
    errors = _validate(clean, today or dt.date.today())
    if errors:
        raise ValidationFailed(errors)
    assert clean.contact_date is not None
    with db.begin() as session:
        load_visible_client(session, actor, client_id)
        contact = OutreachContact(
            client_id=client_id,
            contact_date=clean.contact_date,
            kind=clean.kind.value,
            outcome=clean.outcome.value,
            place=clean.place,
            note=clean.note,
            created_by_id=actor.user_id,
        )
        session.add(contact)
        session.flush()
        audit.record(session, actor, AuditAction.CHANGE, client_id=client_id, detail="contact")
        return Outcome(contact.id, ChangeSet.of(ChangeKind.CONTACTS, client_id))


def list_contacts(
    db: Database, actor: Actor, client_id: int, *, limit: int | None = None
) -> list[ContactInfo]:
    with db.read() as session:
        load_visible_client(session, actor, client_id)
        stmt = (
            select(OutreachContact, User.display_name)
            .outerjoin(User, User.id == OutreachContact.created_by_id)
            .where(OutreachContact.client_id == client_id)
            .order_by(OutreachContact.contact_date.desc(), OutreachContact.id.desc())
        )
        if limit is not None:
            stmt = stmt.limit(limit)
        return [
            ContactInfo(
                c.id,
                c.client_id,
                c.contact_date,
                ContactKind(c.kind),
                ContactOutcome(c.outcome),
                c.place,
                c.note,
                name or "",
            )
            for c, name in session.execute(stmt)
        ]


class LinkRefusedError(InvalidInputError):
    pass


def link_person(
    db: Database,
    actor: Actor,
    unidentified_id: int,
    client_id: int,
    *,
    today: dt.date | None = None,
) -> Outcome[None]:
    """Move an unidentified person's history (contacts, journal, housing) to a registered client.

    The unidentified record stays, marked as merged, so the link can be traced.
    """
    require_write(actor)
    if unidentified_id == client_id:
        raise LinkRefusedError(_("A person cannot be linked to themselves."))
    with db.begin() as session:
        person = load_visible_client(session, actor, unidentified_id)
        target = load_visible_client(session, actor, client_id)
        if person.id_kind != IdKind.NONE.value:
            raise LinkRefusedError(_("Only a person who is not yet identified can be linked."))
        if target.id_kind == IdKind.NONE.value:
            raise LinkRefusedError(_("Link the person to a client with an identity number."))
        for table in (OutreachContact, JournalEntry):
            session.execute(
                update(table).where(table.client_id == person.id).values(client_id=target.id)
            )
        periods = list(
            session.scalars(select(HousingPeriod).where(HousingPeriod.client_id == person.id))
        )
        existing = list(
            session.scalars(select(HousingPeriod).where(HousingPeriod.client_id == target.id))
        )
        far = dt.date.max
        for period in periods:
            clash = any(
                period.start_date <= (other.end_date or far)
                and other.start_date <= (period.end_date or far)
                for other in existing
            )
            if clash:
                # The registered client's own record wins; the other period stays with the alias.
                continue
            period.client_id = target.id
        person.merged_into_id = target.id
        person.status = ClientStatus.CLOSED.value
        person.closed_on = today or dt.date.today()
        session.flush()
        refresh_current(session, target, today or dt.date.today())
        refresh_current(session, person, today or dt.date.today())
        audit.record_many(session, actor, AuditAction.CHANGE, [person.id, target.id], detail="link")
    # Contacts, journal and housing moved; the person's record is now closed.
    kinds = {ChangeKind.HEADER, ChangeKind.CONTACTS, ChangeKind.JOURNAL, ChangeKind.HOUSING}
    return Outcome(None, ChangeSet.of(kinds, unidentified_id, client_id))
