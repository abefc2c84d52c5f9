"""Independence ratings: drafts, signing, corrections, history, and group follow-up.

A signed assessment never changes. A correction is a new assessment whose ``corrects_id`` points
at the signed one it corrects; both are kept, and the corrected one no longer counts as the
client's rating (it is *superseded*). Every read of a client's ratings and every change is
written to the audit log in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from hemlos_desktop.errors import HemlosError, NotFoundError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.assessment import (
    AreaRatingRow,
    Assessment,
    AssessmentStatus,
    InstrumentVersion,
)
from hemlos_desktop.models.assessment_rules import (
    AreaRating,
    QualificationResult,
    RatingDraft,
    explain_qualification,
    validate_rating,
)
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.base import utcnow
from hemlos_desktop.models.client import Client, ClientStatus
from hemlos_desktop.models.followup import closure_figures
from hemlos_desktop.models.instrument import SODERMALM_ID, Instrument
from hemlos_desktop.models.people import User
from hemlos_desktop.models.text import LONG_TEXT_MAX
from hemlos_desktop.models.validation import FieldError, ValidationFailed
from hemlos_desktop.services import audit, case_status, followup_stats, instruments
from hemlos_desktop.services.actor import (
    Actor,
    load_visible_client,
    require_write,
    visible_clients_clause,
)
from hemlos_desktop.services.changes import ChangeKind, ChangeSet, Outcome
from hemlos_desktop.storage import Database


class SignedAssessmentError(HemlosError):
    def title(self) -> str:
        return _("The assessment is signed")

    def message(self) -> str:
        return _("A signed assessment cannot be changed.")

    def advice(self) -> str:
        return _("Make a correction instead; both are kept in the history.")


@dataclass(frozen=True)
class AssessmentInfo:
    id: int
    client_id: int
    instrument_id: str
    instrument_version: int
    rated_on: dt.date
    rater: str
    rater_id: int | None
    client_took_part: bool
    status: AssessmentStatus
    signed_at: dt.datetime | None
    corrects_id: int | None
    corrected_by_ids: tuple[int, ...]
    areas: tuple[AreaRating, ...]

    @property
    def signed(self) -> bool:
        return self.status is AssessmentStatus.SIGNED

    @property
    def superseded(self) -> bool:
        """A signed correction replaces this assessment."""
        return bool(self.corrected_by_ids)

    def levels(self) -> dict[str, int | None]:
        return {area.key: area.level for area in self.areas}

    def draft(self) -> RatingDraft:
        return RatingDraft(
            instrument_id=self.instrument_id,
            instrument_version=self.instrument_version,
            rated_on=self.rated_on,
            client_took_part=self.client_took_part,
            areas=self.areas,
        )


@dataclass(frozen=True)
class LatestRating:
    assessment: AssessmentInfo
    instrument: Instrument
    qualification: QualificationResult


class FollowupScope(enum.Enum):
    ALL = "all"
    TEAM = "team"
    CASEWORKER = "caseworker"


# --- drafts and signing ------------------------------------------------------------------------


def _own_draft(session: Session, actor: Actor, assessment_id: int) -> Assessment:
    row = session.get(Assessment, assessment_id)
    if row is None:
        raise NotFoundError("assessment")
    if row.status == AssessmentStatus.SIGNED.value:
        raise SignedAssessmentError("signed assessment")
    if row.rater_id != actor.user_id:
        raise NotFoundError("draft of another user")
    return row


def _draft_errors(draft: RatingDraft) -> list[FieldError]:
    errors: list[FieldError] = []
    keys = [area.key for area in draft.areas]
    if len(keys) != len(set(keys)):
        errors.append(FieldError("case", _("An area is given more than once.")))
    for area in draft.areas:
        if len(area.comment) > LONG_TEXT_MAX or len(area.not_assessed_reason) > 400:
            errors.append(FieldError(f"area:{area.key}", _("The text is too long.")))
    return errors


def save_draft(
    db: Database,
    actor: Actor,
    client_id: int,
    draft: RatingDraft,
    *,
    assessment_id: int | None = None,
    corrects_id: int | None = None,
) -> Outcome[int]:
    """Save the form as the actor's draft (created the first time); the value is its id."""
    require_write(actor)
    errors = _draft_errors(draft)
    if errors:
        raise ValidationFailed(errors)
    with db.begin() as session:
        load_visible_client(session, actor, client_id)
        version = instruments.version_row(session, draft.instrument_id, draft.instrument_version)
        if assessment_id is None:
            if corrects_id is not None:
                _signed_of_client(session, corrects_id, client_id)
            row = Assessment(
                client_id=client_id,
                rater_id=actor.user_id,
                status=AssessmentStatus.DRAFT.value,
                corrects_id=corrects_id,
            )
            session.add(row)
        else:
            row = _own_draft(session, actor, assessment_id)
            if row.client_id != client_id:
                raise NotFoundError("draft of another client")
        row.instrument_version_id = version.id
        row.rated_on = draft.rated_on
        row.client_took_part = draft.client_took_part
        row.updated_at = utcnow()
        session.flush()
        session.query(AreaRatingRow).filter(AreaRatingRow.assessment_id == row.id).delete()
        for area in draft.areas:
            session.add(
                AreaRatingRow(
                    assessment_id=row.id,
                    area_key=area.key,
                    level=area.level,
                    comment=area.comment,
                    not_assessed_reason=area.not_assessed_reason if area.level is None else "",
                )
            )
        audit.record(session, actor, AuditAction.CHANGE, client_id=client_id, detail="assessment")
        return Outcome(row.id, ChangeSet.of(ChangeKind.RATING, client_id))


def _signed_of_client(session: Session, assessment_id: int, client_id: int) -> Assessment:
    row = session.get(Assessment, assessment_id)
    if row is None or row.client_id != client_id or row.status != AssessmentStatus.SIGNED.value:
        raise NotFoundError("only a signed assessment of this client is corrected")
    return row


def _load_infos(session: Session, rows: Sequence[Assessment]) -> list[AssessmentInfo]:
    if not rows:
        return []
    ids = [row.id for row in rows]
    areas: dict[int, list[AreaRating]] = {}
    for area in session.scalars(select(AreaRatingRow).where(AreaRatingRow.assessment_id.in_(ids))):
        areas.setdefault(area.assessment_id, []).append(
            AreaRating(area.area_key, area.level, area.comment, area.not_assessed_reason)
        )
    versions = {
        v.id: v
        for v in session.scalars(
            select(InstrumentVersion).where(
                InstrumentVersion.id.in_({row.instrument_version_id for row in rows})
            )
        )
    }
    raters: dict[int, str] = {
        uid: name
        for uid, name in session.execute(
            select(User.id, User.display_name).where(
                User.id.in_({row.rater_id for row in rows if row.rater_id is not None})
            )
        )
    }
    corrections: dict[int, list[int]] = {}
    for cid, target in session.execute(
        select(Assessment.id, Assessment.corrects_id).where(
            Assessment.corrects_id.in_(ids),
            Assessment.status == AssessmentStatus.SIGNED.value,
        )
    ):
        if target is not None:
            corrections.setdefault(target, []).append(cid)
    infos = []
    for row in rows:
        version = versions[row.instrument_version_id]
        inst = instruments.instrument_of_row(version)
        given = {a.key: a for a in areas.get(row.id, [])}
        ordered = [given.pop(key) for key in inst.area_keys if key in given]
        ordered += sorted(given.values(), key=lambda a: a.key)
        infos.append(
            AssessmentInfo(
                id=row.id,
                client_id=row.client_id,
                instrument_id=version.instrument_id,
                instrument_version=version.version,
                rated_on=row.rated_on,
                rater=raters.get(row.rater_id, "") if row.rater_id is not None else "",
                rater_id=row.rater_id,
                client_took_part=row.client_took_part,
                status=AssessmentStatus(row.status),
                signed_at=row.signed_at,
                corrects_id=row.corrects_id,
                corrected_by_ids=tuple(sorted(corrections.get(row.id, []))),
                areas=tuple(ordered),
            )
        )
    return infos


def _effective_signed(session: Session, client_id: int) -> list[AssessmentInfo]:
    rows = list(
        session.scalars(
            select(Assessment)
            .where(
                Assessment.client_id == client_id,
                Assessment.status == AssessmentStatus.SIGNED.value,
            )
            .order_by(Assessment.rated_on, Assessment.id)
        )
    )
    return [info for info in _load_infos(session, rows) if not info.superseded]


def _case_closed(client: Client) -> bool:
    """The case is closed (the client's status; see services.case_status). A rating's closed
    code closes one area only, never the case."""
    return client.status == ClientStatus.CLOSED.value


def sign(
    db: Database,
    actor: Actor,
    assessment_id: int,
    *,
    today: dt.date | None = None,
) -> Outcome[None]:
    """Make the actor's draft final after checking it (``ValidationFailed`` names each field)."""
    require_write(actor)
    today = today or dt.date.today()
    with db.begin() as session:
        row = _own_draft(session, actor, assessment_id)
        client = load_visible_client(session, actor, row.client_id)
        [info] = _load_infos(session, [row])
        inst = instruments.instrument_version_of(
            session, info.instrument_id, info.instrument_version
        )
        check = validate_rating(
            inst,
            info.draft(),
            today=today,
            birth_date=client.birth_date,
            case_closed=_case_closed(client),
        )
        errors = _draft_errors(info.draft())
        errors += [FieldError(p.field, p.message) for p in check.problems]
        if errors:
            raise ValidationFailed(errors)
        row.status = AssessmentStatus.SIGNED.value
        row.signed_at = utcnow()
        audit.record(session, actor, AuditAction.SIGN, client_id=row.client_id, detail="assessment")
        return Outcome(None, ChangeSet.of(ChangeKind.RATING, row.client_id))


def sign_draft(
    db: Database,
    actor: Actor,
    client_id: int,
    draft: RatingDraft,
    *,
    assessment_id: int | None = None,
    corrects_id: int | None = None,
    today: dt.date | None = None,
) -> Outcome[int]:
    """Save then sign in one step (as the form's "Sign" does); the value is the assessment id.

    If signing is refused the draft stays saved with the user's input."""
    new_id = save_draft(
        db, actor, client_id, draft, assessment_id=assessment_id, corrects_id=corrects_id
    ).value
    signed = sign(db, actor, new_id, today=today)
    return Outcome(new_id, signed.changes)


def start_correction(db: Database, actor: Actor, assessment_id: int) -> Outcome[int]:
    """A new draft that corrects a signed assessment, prefilled with its ratings."""
    require_write(actor)
    with db.begin() as session:
        original = session.get(Assessment, assessment_id)
        if original is None:
            raise NotFoundError("assessment")
        load_visible_client(session, actor, original.client_id)
        _signed_of_client(session, assessment_id, original.client_id)
        [info] = _load_infos(session, [original])
    return save_draft(db, actor, info.client_id, info.draft(), corrects_id=assessment_id)


def discard_draft(db: Database, actor: Actor, assessment_id: int) -> Outcome[None]:
    require_write(actor)
    with db.begin() as session:
        row = _own_draft(session, actor, assessment_id)
        client_id = row.client_id
        session.delete(row)
        audit.record(session, actor, AuditAction.CHANGE, client_id=client_id, detail="assessment")
    return Outcome(None, ChangeSet.of(ChangeKind.RATING, client_id))


# --- reading ----------------------------------------------------------------------------------


def history(db: Database, actor: Actor, client_id: int) -> list[AssessmentInfo]:
    """Signed assessments and the actor's own drafts, oldest first, with correction links
    (a query: writes nothing; opening the ratings is logged by ``open_case_file``)."""
    with db.read() as session:
        load_visible_client(session, actor, client_id)
        rows = list(
            session.scalars(
                select(Assessment)
                .where(
                    Assessment.client_id == client_id,
                    (Assessment.status == AssessmentStatus.SIGNED.value)
                    | (Assessment.rater_id == actor.user_id),
                )
                .order_by(Assessment.rated_on, Assessment.id)
            )
        )
        return _load_infos(session, rows)


def get_assessment(db: Database, actor: Actor, assessment_id: int) -> AssessmentInfo:
    with db.read() as session:
        row = session.get(Assessment, assessment_id)
        if row is None:
            raise NotFoundError("assessment")
        load_visible_client(session, actor, row.client_id)
        if row.status != AssessmentStatus.SIGNED.value and row.rater_id != actor.user_id:
            raise NotFoundError("draft of another user")
        [info] = _load_infos(session, [row])
        return info


def latest_signed(
    db: Database, actor: Actor, client_id: int, *, lang: str | None = None
) -> LatestRating | None:
    """The client's newest signed rating that no correction replaced, with the qualification
    explained in ``lang`` (default: the UI language). A query: writes nothing."""
    with db.read() as session:
        load_visible_client(session, actor, client_id)
        signed = _effective_signed(session, client_id)
        if not signed:
            return None
        latest = signed[-1]
        inst = instruments.instrument_version_of(
            session, latest.instrument_id, latest.instrument_version
        )
        earlier = signed[-2].levels() if len(signed) > 1 else None
    return LatestRating(
        latest, inst, explain_qualification(inst, latest.levels(), lang, previous=earlier)
    )


def signed_history(history_rows: Iterable[AssessmentInfo]) -> list[AssessmentInfo]:
    """The signed, not superseded assessments of a history (what charts and figures use)."""
    return [a for a in history_rows if a.signed and not a.superseded]


# --- group follow-up ---------------------------------------------------------------------------


def followup_records(
    db: Database,
    actor: Actor,
    *,
    scope: FollowupScope = FollowupScope.ALL,
    scope_id: int | None = None,
    instrument_id: str = SODERMALM_ID,
) -> list[followup_stats.ClientRecord]:
    """The signed, not superseded ratings of the clients in scope that the actor may see."""
    stmt = select(Client.id, Client.gender).where(visible_clients_clause(actor))
    if scope is FollowupScope.TEAM:
        stmt = stmt.where(Client.team_id == scope_id)
    elif scope is FollowupScope.CASEWORKER:
        stmt = stmt.where(Client.responsible_user_id == scope_id)
    corrector = aliased(Assessment)
    superseded = select(corrector.corrects_id).where(
        corrector.corrects_id.is_not(None), corrector.status == AssessmentStatus.SIGNED.value
    )
    clients = stmt.subquery()
    query = (
        select(
            Assessment.id,
            Assessment.client_id,
            Assessment.rated_on,
            clients.c.gender,
            AreaRatingRow.area_key,
            AreaRatingRow.level,
        )
        .join(clients, clients.c.id == Assessment.client_id)
        .join(InstrumentVersion, InstrumentVersion.id == Assessment.instrument_version_id)
        .join(AreaRatingRow, AreaRatingRow.assessment_id == Assessment.id)
        .where(
            Assessment.status == AssessmentStatus.SIGNED.value,
            InstrumentVersion.instrument_id == instrument_id,
            Assessment.id.not_in(superseded),
        )
    )
    per_client: dict[int, tuple[str, dict[int, tuple[dt.date, dict[str, int | None]]]]] = {}
    with db.read() as session:
        for aid, cid, rated_on, gender, key, level in session.execute(query):
            entry = per_client.setdefault(cid, (gender, {}))
            entry[1].setdefault(aid, (rated_on, {}))[1][key] = level
    return [
        followup_stats.ClientRecord(
            client_id=cid,
            gender=gender,
            assessments=tuple(
                followup_stats.DatedAssessment(day, levels)
                for _aid, (day, levels) in sorted(items.items())
            ),
        )
        for cid, (gender, items) in sorted(per_client.items())
    ]


def group_followup(
    db: Database,
    actor: Actor,
    *,
    period_start: dt.date,
    period_end: dt.date,
    scope: FollowupScope = FollowupScope.ALL,
    scope_id: int | None = None,
    instrument_id: str = SODERMALM_ID,
) -> followup_stats.FollowupFigures:
    """Follow-up figures for a team, a caseworker or the whole register in a period, split by
    gender (see :mod:`hemlos_desktop.services.followup_stats`)."""
    if period_end < period_start:
        raise ValidationFailed([FieldError("period", _("The period ends before it starts."))])
    inst = instruments.current_instrument(db, instrument_id)
    records = followup_records(
        db, actor, scope=scope, scope_id=scope_id, instrument_id=instrument_id
    )
    figures = followup_stats.followup_figures(inst, records, period_start, period_end)
    closures = case_status.closures_by_reason(
        db,
        actor,
        period_start,
        period_end,
        team_id=scope_id if scope is FollowupScope.TEAM else None,
        responsible_id=scope_id if scope is FollowupScope.CASEWORKER else None,
    )
    counts = {reason.value: row for reason, row in closures.items()}
    return replace(figures, closures=closure_figures(counts))


def export_followup(
    db: Database,
    actor: Actor,
    path: Path,
    figures: followup_stats.FollowupFigures,
    *,
    lang: str,
    kind: str = "csv",
) -> None:
    """Write the figures as ``kind`` "csv" or "xlsx" (headers in ``lang``); logged as an export."""
    inst = instruments.current_instrument(db, figures.instrument_id)
    if kind == "xlsx":
        followup_stats.export_xlsx(path, inst, figures, lang)
    else:
        followup_stats.export_csv(path, inst, figures, lang)
    audit.record_written_file(db, actor, path, AuditAction.EXPORT, detail=f"followup {kind}")


@dataclass(frozen=True)
class RatingContext:
    """What the coding form needs about a client: the instrument to rate with and the rules."""

    client_id: int
    instrument: Instrument
    birth_date: dt.date | None
    case_closed: bool


def rating_context(
    db: Database, actor: Actor, client_id: int, *, instrument_id: str = SODERMALM_ID
) -> RatingContext:
    with db.begin() as session:
        client = load_visible_client(session, actor, client_id)
        inst = instruments.instrument_of_row(instruments.latest_row(session, instrument_id))
        return RatingContext(client_id, inst, client.birth_date, _case_closed(client))


# --- the case summary's rating section (services.summary_reader) --------------------------------


def histories_of(
    session: Session, actor: Actor, client_ids: Sequence[int]
) -> dict[int, list[AssessmentInfo]]:
    """:func:`history` of several clients (visibility checked by the caller) with one query
    per table: the case summaries of a batch."""
    rows = session.scalars(
        select(Assessment)
        .where(
            Assessment.client_id.in_(client_ids),
            (Assessment.status == AssessmentStatus.SIGNED.value)
            | (Assessment.rater_id == actor.user_id),
        )
        .order_by(Assessment.client_id, Assessment.rated_on, Assessment.id)
    )
    histories: dict[int, list[AssessmentInfo]] = {}
    for info in _load_infos(session, list(rows)):
        histories.setdefault(info.client_id, []).append(info)
    return histories
