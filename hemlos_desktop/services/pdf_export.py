"""Export or print one client's document as PDF: find, check access, gather, render, log.

A document kind (``summary`` now; ``plan`` later) is one entry in :data:`DOCUMENT_KINDS`: a
renderer that gathers its data through the services and returns the PDF bytes. The command
line's ``--kind`` choices, the GUI's kind list and the batch export are built from it.

The case summary's data is read by :mod:`hemlos_desktop.services.summary_reader` (one client
here, a chunk of clients in a batch: the same queries either way).

Every export or print is recorded in the access log (``export`` or ``print``) in a write
transaction that commits only after the file was written completely.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from hemlos_desktop.errors import (
    AccessDeniedError,
    HemlosError,
    NotFoundError,
    ReadOnlyStorageError,
)
from hemlos_desktop.i18n import N_
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.client import Client
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.models.people import Role
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import Actor, load_visible_client, visible_clients_clause
from hemlos_desktop.services.clients import client_ids_by_number
from hemlos_desktop.services.contacts import list_contacts
from hemlos_desktop.services.summary_reader import (
    SUMMARY_CONTACTS,
    SUMMARY_PROVIDERS,
    SummaryProviders,
    gather_case_summary,
)
from hemlos_desktop.storage import Database
from hemlos_desktop.storage.files import write_bytes_atomic

if TYPE_CHECKING:
    # ReportLab is imported only when a document is rendered (keeps the command line quick).
    from hemlos_desktop.reports.summary_data import (
        CaseSummaryData,
        ExtractRating,
    )

log = logging.getLogger(__name__)

__all__ = [
    "SUMMARY_CONTACTS",
    "SUMMARY_PROVIDERS",
    "SummaryProviders",
    "gather_case_summary",
]


class ClientNumberNotFoundError(HemlosError):
    def title(self) -> str:
        return _("Client not found")

    def message(self) -> str:
        return _("No client with this number.")

    def advice(self) -> str:
        return _("Check the number. You can only reach clients you have access to.")


class SeveralClientsMatchError(HemlosError):
    def title(self) -> str:
        return _("Several clients match")

    def message(self) -> str:
        return _("Several clients match this number.")

    def advice(self) -> str:
        return _("Give the full identity number, with the century for a Swedish number.")


class PdfWriteError(HemlosError):
    """The output file could not be written (missing or read-only folder, bad name)."""

    def title(self) -> str:
        return _("The PDF could not be saved")

    def message(self) -> str:
        return _("The PDF file could not be written to the chosen place.")

    def advice(self) -> str:
        return _(
            "Check that the folder exists and that you may write there, or choose another "
            "folder or file name."
        )


@dataclass(frozen=True)
class PdfOptions:
    """What the user chose for one document.

    The journal is included when ``journal_from`` or ``journal_to`` is given (an open end
    means from the first entry or up to today).
    """

    language: str
    show_full_numbers: bool = False
    journal_from: dt.date | None = None
    journal_to: dt.date | None = None
    municipality: str = ""
    # A PNG or JPEG file printed in the page header (the municipality_logo setting).
    municipality_logo: str = ""
    today: dt.date | None = None
    printed_at: dt.datetime | None = None

    @property
    def include_journal(self) -> bool:
        return self.journal_from is not None or self.journal_to is not None


# --- the case summary ------------------------------------------------------------------------


def find_client_id(db: Database, actor: Actor, number: str) -> int:
    """The one visible client with identity or reserve number ``number`` (any accepted format)."""
    ids = client_ids_by_number(db, actor, number)
    if not ids:
        raise ClientNumberNotFoundError("no match")
    if len(ids) > 1:
        raise SeveralClientsMatchError(f"{len(ids)} matches")
    return ids[0]


def render_case_summary(db: Database, actor: Actor, client_id: int, options: PdfOptions) -> bytes:
    """The case summary of one client as PDF bytes (nothing is written, nothing logged)."""
    return case_summary_bytes(gather_case_summary(db, actor, client_id, options), actor, options)


def case_summary_bytes(data: CaseSummaryData, actor: Actor, options: PdfOptions) -> bytes:
    """Lay out read case summary data (:mod:`.summary_reader`) as PDF bytes."""
    from hemlos_desktop.reports.case_summary import case_summary_story, summary_context
    from hemlos_desktop.reports.document import pdf_bytes

    ctx = summary_context(
        options.language,
        municipality=options.municipality,
        logo=options.municipality_logo,
        printed_by=actor.display_name,
        show_full_numbers=options.show_full_numbers,
        printed_at=options.printed_at,
    )
    return pdf_bytes(case_summary_story(ctx, data), ctx)


# --- document kinds --------------------------------------------------------------------------

Renderer = Callable[[Database, Actor, int, PdfOptions], bytes]


@dataclass(frozen=True)
class DocumentKind:
    """One kind of client document: its name on the command line, its label (msgid) and how it
    is rendered."""

    name: str
    label: str
    render: Renderer


def render_record_extract(db: Database, actor: Actor, client_id: int, options: PdfOptions) -> bytes:
    """Everything held about one client, with the record's access log, as PDF bytes.

    Made by administrators and team leads (the authority answers a client's request).
    """
    from hemlos_desktop.reports.document import pdf_bytes
    from hemlos_desktop.reports.record_extract import extract_context, record_extract_story
    from hemlos_desktop.reports.summary_data import (
        AccessRow,
        JournalExtract,
        RecordExtractData,
        SummaryContact,
    )
    from hemlos_desktop.services import plans

    if actor.role not in (Role.ADMIN, Role.TEAM_LEAD):
        raise AccessDeniedError("record extract")
    today = options.today or dt.date.today()
    everything = replace(options, journal_from=dt.date(1900, 1, 1), journal_to=today)
    summary = gather_case_summary(db, actor, client_id, everything)
    contacts = list_contacts(db, actor, client_id)
    journal = summary.journal
    summary = replace(
        summary,
        contacts=tuple(
            SummaryContact(c.contact_date, c.kind, c.outcome, c.place, c.recorded_by)
            for c in contacts
        ),
        contacts_total=len(contacts),
        journal=JournalExtract(None, today, journal.entries) if journal is not None else None,
    )
    access = tuple(
        AccessRow(row.at, row.username, row.action)
        for row in audit.client_access_history(db, actor, client_id)
    )
    ratings = _extract_ratings(db, actor, client_id, options.language)
    versions = tuple(
        sorted(plans.list_versions(db, actor, client_id), key=lambda v: (v.plan_id, v.version))
    )
    ctx = extract_context(
        options.language,
        municipality=options.municipality,
        logo=options.municipality_logo,
        printed_by=actor.display_name,
        show_full_numbers=options.show_full_numbers,
        printed_at=options.printed_at,
    )
    data = RecordExtractData(summary, access, today, ratings=ratings, plans=versions)
    return pdf_bytes(record_extract_story(ctx, data), ctx)


def _extract_ratings(
    db: Database, actor: Actor, client_id: int, language: str
) -> tuple[ExtractRating, ...]:
    """Every signed rating of the client (the actor's own drafts are left out), oldest first,
    with area names and level labels in ``language``."""
    from hemlos_desktop.reports.summary_data import ExtractRating, ExtractRatingArea
    from hemlos_desktop.services import assessments, instruments

    signed = [a for a in assessments.history(db, actor, client_id) if a.signed]
    result: list[ExtractRating] = []
    with db.read() as session:
        for info in signed:
            inst = instruments.instrument_version_of(
                session, info.instrument_id, info.instrument_version
            )
            known = set(inst.area_keys)
            areas = tuple(
                ExtractRatingArea(
                    name=inst.area_name(area.key, language) if area.key in known else area.key,
                    level=area.level,
                    level_label=(
                        inst.level_label(area.key, area.level, language)
                        if area.level is not None and area.key in known
                        else ""
                    ),
                    comment=area.comment,
                    not_assessed_reason=area.not_assessed_reason,
                )
                for area in info.areas
            )
            result.append(
                ExtractRating(
                    id=info.id,
                    rated_on=info.rated_on,
                    rater=info.rater,
                    client_took_part=info.client_took_part,
                    instrument=inst.label(language),
                    instrument_version=info.instrument_version,
                    signed_at=info.signed_at,
                    corrects_id=info.corrects_id,
                    corrected_by_ids=info.corrected_by_ids,
                    areas=areas,
                )
            )
    return tuple(result)


def render_plan(db: Database, actor: Actor, client_id: int, options: PdfOptions) -> bytes:
    """The client's current individual plan, in large type for the client (or NoPlanError)."""
    from hemlos_desktop.reports.plan_pdf import PlanDocument, plan_pdf_bytes
    from hemlos_desktop.services.plans import NoPlanError, current_plan

    info = current_plan(db, actor, client_id)
    if info is None:
        raise NoPlanError("client has no plan")
    with db.read() as session:
        client = load_visible_client(session, actor, client_id)
        name = " ".join(p for p in (client.first_name, client.last_name) if p) or client.alias
        document = PlanDocument(info, name, client.id_number or "", IdKind(client.id_kind))
    return plan_pdf_bytes(
        document,
        options.language,
        printed_by=actor.display_name,
        full_numbers=options.show_full_numbers,
        municipality=options.municipality,
        municipality_logo=options.municipality_logo,
    )


# Adding a kind is one entry here (``"plan": DocumentKind("plan", N_("Plan"), render_plan)``).
DOCUMENT_KINDS: dict[str, DocumentKind] = {
    "summary": DocumentKind("summary", N_("Case summary"), render_case_summary),
    "plan": DocumentKind("plan", N_("Individual plan"), render_plan),
    "extract": DocumentKind("extract", N_("Record extract"), render_record_extract),
}
DEFAULT_KIND = "summary"


def document_kinds() -> tuple[str, ...]:
    return tuple(DOCUMENT_KINDS)


def render_document(
    db: Database, actor: Actor, client_id: int, options: PdfOptions, *, kind: str = DEFAULT_KIND
) -> bytes:
    return DOCUMENT_KINDS[kind].render(db, actor, client_id, options)


def write_bytes(path: Path, data: bytes) -> None:
    """Write a rendered document to ``path`` atomically (PdfWriteError when it cannot be)."""
    try:
        write_bytes_atomic(path, data)
    except ReadOnlyStorageError as exc:
        raise PdfWriteError(exc.detail) from exc
    except OSError as exc:
        raise PdfWriteError(f"errno {exc.errno}") from exc


def export_pdf(
    db: Database,
    actor: Actor,
    client_id: int,
    path: Path,
    options: PdfOptions,
    *,
    kind: str = DEFAULT_KIND,
    action: AuditAction = AuditAction.EXPORT,
) -> Path:
    """Render one document and write it to ``path`` atomically, logging ``action``.

    ``action`` is ``EXPORT`` for a saved file and ``PRINT`` for a file made to be printed.
    This is the one use case behind every client document: rendering only reads, the file is
    written completely first, and then one entry is logged (with the disclosure of full
    identity numbers, when chosen, in the same transaction). If the file cannot be written
    nothing is logged (:class:`PdfWriteError`); if the log entry cannot be committed the file
    is removed again.
    """
    path = Path(path)
    write_pdf(db, actor, client_id, path, options, kind=kind)
    failed = log_exports(db, actor, [(client_id, path)], options, kind=kind, action=action)
    if client_id in failed:
        raise failed[client_id]
    return path


def write_pdf(
    db: Database,
    actor: Actor,
    client_id: int,
    path: Path,
    options: PdfOptions,
    *,
    kind: str = DEFAULT_KIND,
) -> None:
    """Render one document and write it to ``path`` atomically, without logging: the caller
    logs it with :func:`log_exports` (which removes the file if the entry cannot be made)."""
    write_bytes(Path(path), render_document(db, actor, client_id, options, kind=kind))


def _log(
    db: Database,
    actor: Actor,
    client_ids: Sequence[int],
    options: PdfOptions,
    *,
    detail: str,
    action: AuditAction,
) -> None:
    with db.begin() as session:
        if len(client_ids) > 1 and not options.show_full_numbers:
            # A batch's chunk: the clients are checked with one query and the entries written
            # with one flush (still one entry per client). A client no longer visible fails
            # the whole transaction, and log_exports then logs the clients one by one.
            visible = set(
                session.scalars(
                    select(Client.id).where(
                        Client.id.in_(client_ids), visible_clients_clause(actor)
                    )
                )
            )
            if not visible.issuperset(client_ids):
                raise NotFoundError("client not visible")
            audit.record_many(session, actor, action, client_ids, detail=detail)
            return
        for client_id in client_ids:
            load_visible_client(session, actor, client_id)
            if options.show_full_numbers:
                audit.record(session, actor, AuditAction.REVEAL_NUMBER, client_id=client_id)
            audit.record(session, actor, action, client_id=client_id, detail=detail)


def log_exports(
    db: Database,
    actor: Actor,
    exported: Sequence[tuple[int, Path]],
    options: PdfOptions,
    *,
    kind: str = DEFAULT_KIND,
    action: AuditAction = AuditAction.EXPORT,
) -> dict[int, Exception]:
    """Log the complete files ``exported`` ((client id, path) pairs): one entry per client
    (and the disclosure of full numbers, when chosen), all in one transaction.

    If that transaction fails, each client is logged in a transaction of its own, so that one
    client who can no longer be reached does not take the others with it. Returns the clients
    whose entry could not be made, with the error; their files are removed. Interrupted
    (``KeyboardInterrupt``, a cancel), every file not yet logged is removed and it is raised.
    """
    detail = f"pdf {kind} {options.language}" + (" full" if options.show_full_numbers else "")
    pending = list(exported)
    try:
        if len(pending) > 1:
            try:
                ids = [cid for cid, _path in pending]
                _log(db, actor, ids, options, detail=detail, action=action)
                return {}
            except Exception:
                log.info("batch export: logging %d files one by one", len(pending))
        failed: dict[int, Exception] = {}
        while pending:
            client_id, path = pending[0]
            try:
                _log(db, actor, [client_id], options, detail=detail, action=action)
            except Exception as exc:
                path.unlink(missing_ok=True)
                failed[client_id] = exc
            pending.pop(0)
        return failed
    except BaseException:
        for _client_id, path in pending:
            path.unlink(missing_ok=True)
        raise


def export_pdf_by_number(
    db: Database,
    actor: Actor,
    number: str,
    path: Path,
    options: PdfOptions,
    *,
    kind: str = DEFAULT_KIND,
) -> int:
    """:func:`export_pdf` for the client with identity or reserve number ``number``; returns
    the client's internal id."""
    client_id = find_client_id(db, actor, number)
    export_pdf(db, actor, client_id, path, options, kind=kind)
    return client_id
