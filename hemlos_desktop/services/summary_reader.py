"""Read what case summaries show, for one client or a batch's chunk of clients.

:func:`read_case_summaries` reads the data of several clients with one query per table
(``WHERE client_id IN (...)``) in one read transaction and builds the plain data the renderer
draws (:class:`~hemlos_desktop.reports.summary_data.CaseSummaryData`). The single export reads
through it with a chunk of one, so a client's summary is the same document whether it was made
alone or in a batch.

Access: only the clients ``actor`` may see (``visible_clients_clause``: teams, protected
identities, merged records) are read at all; the others are left out of the answer and the
caller treats them as not found. Reading writes nothing: the export is logged once the file
exists (``services.pdf_export.log_exports``).

The optional sections come from :data:`SUMMARY_PROVIDERS`: the assessments feature reads the
ratings, the plans feature the plans and the team feature who does what; a provider that is
None leaves its section out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from hemlos_desktop.errors import NotFoundError
from hemlos_desktop.i18n import Translator, translator_for
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
from hemlos_desktop.models.client_rules import age_on
from hemlos_desktop.models.identity import IdKind, mask_canonical
from hemlos_desktop.models.people import Team, User
from hemlos_desktop.services.actor import Actor, visible_clients_clause
from hemlos_desktop.services.client_rows import display_name
from hemlos_desktop.storage import Database

if TYPE_CHECKING:
    from hemlos_desktop.reports.summary_data import (
        CaseSummaryData,
        JournalExtract,
        PlanSummary,
        RatingSummary,
        SummaryClient,
        SummaryContact,
        SummaryPeriod,
        SummaryTeam,
    )
    from hemlos_desktop.services.pdf_export import PdfOptions

# The case summary shows this many of the newest outreach contacts.
SUMMARY_CONTACTS = 20

RatingProvider: TypeAlias = (
    "Callable[[Session, Actor, Sequence[int], Translator], Mapping[int, RatingSummary]]"
)
PlanProvider: TypeAlias = (
    "Callable[[Session, Actor, Sequence[int], Translator], Mapping[int, PlanSummary]]"
)
TeamProvider: TypeAlias = (
    "Callable[[Session, Actor, Sequence[int], Translator], Mapping[int, SummaryTeam]]"
)


@dataclass(frozen=True)
class SummaryProviders:
    """Functions that read the optional sections of several visible clients at once, in the
    document's language (the Translator); a client missing from the answer (or a provider
    that is None) has no such section."""

    rating: RatingProvider | None = None
    plan: PlanProvider | None = None
    team: TeamProvider | None = None


def _ratings(
    session: Session, actor: Actor, client_ids: Sequence[int], translator: Translator
) -> Mapping[int, RatingSummary]:
    """The latest signed rating of each client and the one before it, in the document's
    language."""
    from hemlos_desktop.models.assessment_rules import explain_qualification
    from hemlos_desktop.models.chart_spec import scale_of
    from hemlos_desktop.reports.summary_data import RatingArea, RatingSummary
    from hemlos_desktop.services import instruments
    from hemlos_desktop.services.assessments import histories_of, signed_history

    lang = translator.language
    result: dict[int, RatingSummary] = {}
    for client_id, infos in histories_of(session, actor, client_ids).items():
        signed = signed_history(infos)
        if not signed:
            continue
        latest = signed[-1]
        previous = signed[-2] if len(signed) > 1 else None
        instrument = instruments.instrument_version_of(
            session, latest.instrument_id, latest.instrument_version
        )
        latest_levels = {a.key: a.level for a in latest.areas}
        previous_levels = {a.key: a.level for a in previous.areas} if previous else {}
        explained = explain_qualification(
            instrument, latest_levels, lang, previous=previous_levels or None
        )
        result[client_id] = RatingSummary(
            instrument=instrument.label(lang),
            latest_date=latest.rated_on,
            previous_date=previous.rated_on if previous else None,
            areas=tuple(
                RatingArea(
                    instrument.area_name(key, lang),
                    latest_levels.get(key),
                    previous_levels.get(key) if previous else None,
                )
                for key in instrument.area_keys
            ),
            qualification=explained.text,
            scale=scale_of(instrument),
        )
    return result


def _plans(
    session: Session, actor: Actor, client_ids: Sequence[int], translator: Translator
) -> Mapping[int, PlanSummary]:
    from hemlos_desktop.services.plans import plans_for_summaries

    return plans_for_summaries(session, client_ids, translator)


def _teams(
    session: Session, actor: Actor, client_ids: Sequence[int], translator: Translator
) -> Mapping[int, SummaryTeam]:
    from hemlos_desktop.services.team_cases import teams_for_summaries

    return teams_for_summaries(session, client_ids)


# Plug-in point of the optional sections.
SUMMARY_PROVIDERS = SummaryProviders(rating=_ratings, plan=_plans, team=_teams)


def gather_case_summary(
    db: Database,
    actor: Actor,
    client_id: int,
    options: PdfOptions,
    *,
    providers: SummaryProviders | None = None,
) -> CaseSummaryData:
    """Everything one client's case summary shows (NotFoundError when ``actor`` may not see
    the client)."""
    found = read_case_summaries(db, actor, [client_id], options, providers=providers)
    if client_id not in found:
        raise NotFoundError("client not visible")
    return found[client_id]


def read_case_summaries(
    db: Database,
    actor: Actor,
    client_ids: Sequence[int],
    options: PdfOptions,
    *,
    providers: SummaryProviders | None = None,
) -> dict[int, CaseSummaryData]:
    """The case summary data of each of ``client_ids`` that ``actor`` may see, read in one
    transaction with one query per table; clients that are not visible are left out."""
    from hemlos_desktop.reports.summary_data import CaseSummaryData

    providers = SUMMARY_PROVIDERS if providers is None else providers
    today = options.today or dt.date.today()
    tr = translator_for(options.language)
    with db.read() as session:
        clients = _clients(session, actor, client_ids, today, options.show_full_numbers)
        ids = list(clients)
        if not ids:
            return {}
        periods = _periods(session, ids)
        contacts, contact_totals = _contacts(session, ids)
        journals = _journals(session, actor, ids, options, today) if options.include_journal else {}
        ratings = providers.rating(session, actor, ids, tr) if providers.rating else {}
        plans = providers.plan(session, actor, ids, tr) if providers.plan else {}
        teams = providers.team(session, actor, ids, tr) if providers.team else {}
    return {
        cid: CaseSummaryData(
            client=clients[cid],
            periods=tuple(periods.get(cid, ())),
            contacts=tuple(contacts.get(cid, ())),
            contacts_total=contact_totals.get(cid, 0),
            journal=journals.get(cid),
            rating=ratings.get(cid),
            plan=plans.get(cid),
            team=teams.get(cid),
        )
        for cid in ids
    }


def _clients(
    session: Session, actor: Actor, client_ids: Sequence[int], today: dt.date, full: bool
) -> dict[int, SummaryClient]:
    """The visible clients' details, in the order asked for."""
    from hemlos_desktop.reports.summary_data import SummaryClient

    responsible = aliased(User)
    rows = session.execute(
        select(
            Client.id,
            Client.first_name,
            Client.last_name,
            Client.alias,
            Client.id_kind,
            Client.id_number,
            Client.birth_date,
            Client.gender,
            Client.language,
            Client.status,
            Client.closed_on,
            Client.protected_identity,
            Client.current_housing_code,
            Client.current_housing_since,
            Client.closure_reason,
            Client.closure_note,
            responsible.display_name,
            Team.name,
        )
        .outerjoin(responsible, responsible.id == Client.responsible_user_id)
        .outerjoin(Team, Team.id == Client.team_id)
        .where(Client.id.in_(client_ids), visible_clients_clause(actor))
    ).all()
    if not rows:
        return {}
    groups: dict[int, list[TargetGroup]] = {}
    for client_id, group in session.execute(
        select(ClientTargetGroup.client_id, ClientTargetGroup.target_group)
        .where(ClientTargetGroup.client_id.in_([row.id for row in rows]))
        .order_by(ClientTargetGroup.client_id, ClientTargetGroup.target_group)
    ):
        groups.setdefault(client_id, []).append(TargetGroup(group))
    found: dict[int, SummaryClient] = {}
    for row in rows:
        kind = IdKind(row.id_kind)
        since = row.current_housing_since
        found[row.id] = SummaryClient(
            id=row.id,
            display_name=display_name(row.first_name, row.last_name, row.alias),
            id_kind=kind,
            # The full number only when the user chose full numbers (the export then logs
            # that it was revealed); otherwise the masked form is printed.
            id_text=(row.id_number or "") if full else mask_canonical(row.id_number or "", kind),
            birth_date=row.birth_date,
            age=age_on(row.birth_date, today),
            gender=Gender(row.gender),
            language=row.language,
            target_groups=tuple(groups.get(row.id, ())),
            responsible=row[16] or "",
            team=row[17] or "",
            status=ClientStatus(row.status),
            closed_on=row.closed_on,
            protected_identity=row.protected_identity,
            housing_code=row.current_housing_code,
            housing_since=since,
            housing_days=(today - since).days if since is not None else None,
            closure_reason=ClosureReason(row.closure_reason) if row.closure_reason else None,
            closure_note=row.closure_note or "",
        )
    return {cid: found[cid] for cid in dict.fromkeys(client_ids) if cid in found}


def _periods(session: Session, ids: Sequence[int]) -> dict[int, list[SummaryPeriod]]:
    from hemlos_desktop.reports.summary_data import SummaryPeriod

    result: dict[int, list[SummaryPeriod]] = {}
    for client_id, code, start, end, place in session.execute(
        select(
            HousingPeriod.client_id,
            HousingPeriod.code,
            HousingPeriod.start_date,
            HousingPeriod.end_date,
            HousingPeriod.place,
        )
        .where(HousingPeriod.client_id.in_(ids))
        .order_by(HousingPeriod.client_id, HousingPeriod.start_date)
    ):
        result.setdefault(client_id, []).append(SummaryPeriod(code, start, end, place))
    return result


def _contacts(
    session: Session, ids: Sequence[int]
) -> tuple[dict[int, list[SummaryContact]], dict[int, int]]:
    """The newest :data:`SUMMARY_CONTACTS` contacts of each client, and how many there are."""
    from hemlos_desktop.reports.summary_data import SummaryContact

    shown: dict[int, list[SummaryContact]] = {}
    totals: dict[int, int] = {}
    for client_id, day, kind, outcome, place, name in session.execute(
        select(
            OutreachContact.client_id,
            OutreachContact.contact_date,
            OutreachContact.kind,
            OutreachContact.outcome,
            OutreachContact.place,
            User.display_name,
        )
        .outerjoin(User, User.id == OutreachContact.created_by_id)
        .where(OutreachContact.client_id.in_(ids))
        .order_by(
            OutreachContact.client_id,
            OutreachContact.contact_date.desc(),
            OutreachContact.id.desc(),
        )
    ):
        count = totals.get(client_id, 0)
        totals[client_id] = count + 1
        if count < SUMMARY_CONTACTS:
            shown.setdefault(client_id, []).append(
                SummaryContact(day, ContactKind(kind), ContactOutcome(outcome), place, name or "")
            )
    return shown, totals


def _journals(
    session: Session, actor: Actor, ids: Sequence[int], options: PdfOptions, today: dt.date
) -> dict[int, JournalExtract]:
    """The signed entries of the chosen period (oldest first) with their corrections."""
    from hemlos_desktop.reports.summary_data import JournalExtract, SummaryJournalEntry

    start, end = options.journal_from, options.journal_to or today
    author = aliased(User)
    query = (
        select(
            JournalEntry.id,
            JournalEntry.client_id,
            JournalEntry.entry_date,
            JournalEntry.category,
            JournalEntry.text,
            JournalEntry.corrects_id,
            author.display_name,
        )
        .outerjoin(author, author.id == JournalEntry.author_id)
        .where(
            JournalEntry.client_id.in_(ids),
            JournalEntry.status == JournalStatus.SIGNED.value,
            JournalEntry.entry_date <= end,
        )
        .order_by(JournalEntry.client_id, JournalEntry.entry_date, JournalEntry.id)
    )
    if start is not None:
        query = query.where(JournalEntry.entry_date >= start)
    rows = session.execute(query).all()
    dates = {row.id: (row.client_id, row.entry_date) for row in rows}
    corrected_by: dict[int, list[int]] = {}
    if rows:
        for cid, target in session.execute(
            select(JournalEntry.id, JournalEntry.corrects_id).where(
                JournalEntry.corrects_id.in_(list(dates)),
                JournalEntry.status == JournalStatus.SIGNED.value,
            )
        ):
            if target is not None:
                corrected_by.setdefault(target, []).append(cid)
    missing = {row.corrects_id for row in rows if row.corrects_id is not None} - set(dates)
    if missing:
        # Corrected entries from before the period: their dates, as the case file shows them.
        for entry_id, client_id, day in session.execute(
            select(JournalEntry.id, JournalEntry.client_id, JournalEntry.entry_date).where(
                JournalEntry.id.in_(missing),
                or_(
                    JournalEntry.status == JournalStatus.SIGNED.value,
                    JournalEntry.author_id == actor.user_id,
                ),
            )
        ):
            dates[entry_id] = (client_id, day)
    entries: dict[int, list[SummaryJournalEntry]] = {cid: [] for cid in ids}
    for row in rows:
        corrected = dates.get(row.corrects_id) if row.corrects_id is not None else None
        if corrected is not None and corrected[0] != row.client_id:
            corrected = None
        entries[row.client_id].append(
            SummaryJournalEntry(
                id=row.id,
                date=row.entry_date,
                category=JournalCategory(row.category),
                text=row.text,
                author=row.display_name or "",
                corrects_id=row.corrects_id,
                corrects_date=corrected[1] if corrected is not None else None,
                corrected_by_ids=tuple(sorted(corrected_by.get(row.id, []))),
            )
        )
    return {cid: JournalExtract(start, end, tuple(found)) for cid, found in entries.items()}
