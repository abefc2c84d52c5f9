"""Import of eviction cases from CSV or XLSX, as teams keep them in Excel today.

Read like ``import-clients`` (same encodings, separators and sv/da/en header names; see
``client_io.read_table``). All or nothing: every row is checked first; if any row is bad nothing
is imported and every problem is reported as ``line N: column: reason``. The client is found by
``id_number`` among the clients the importing user may see. A row equal to a case the client has
already (same landlord and notice date) is skipped and listed, never doubled.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.client import Client
from hemlos_desktop.models.eviction_rules import (
    EvictionInput,
    parse_amount,
    read_outcome,
    read_reason,
    validate_eviction,
)
from hemlos_desktop.models.identity import IdentityError, parse_identity
from hemlos_desktop.models.team import EvictionCase, EvictionReason
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import Actor, require_write, visible_clients_clause
from hemlos_desktop.services.changes import NO_CHANGES, ChangeKind, ChangeSet
from hemlos_desktop.services.client_table import ImportProblem, TableRow, read_header, read_table
from hemlos_desktop.services.evictions import apply_input
from hemlos_desktop.storage import Database

COLUMNS: dict[str, dict[str, str]] = {
    "id_number": {"en": "id_number", "sv": "personnummer", "da": "cpr"},
    "landlord": {"en": "landlord", "sv": "hyresvärd", "da": "udlejer"},
    "reason": {"en": "reason", "sv": "orsak", "da": "årsag"},
    "arrears": {"en": "arrears", "sv": "hyresskuld", "da": "restance"},
    "notice_date": {"en": "notice_date", "sv": "uppsägning", "da": "opsigelse"},
    "social_services_date": {
        "en": "social_services_date",
        "sv": "underrättelse_soc",
        "da": "underretning_kommune",
    },
    "kronofogden_date": {"en": "kronofogden_date", "sv": "kronofogden", "da": "fogedret"},
    "hearing_date": {"en": "hearing_date", "sv": "förhandling", "da": "retsmøde"},
    "eviction_date": {"en": "eviction_date", "sv": "avhysning", "da": "udsættelse"},
    "measures": {"en": "measures", "sv": "åtgärder", "da": "tiltag"},
    "outcome": {"en": "outcome", "sv": "utfall", "da": "udfald"},
    "outcome_date": {"en": "outcome_date", "sv": "utfallsdatum", "da": "udfaldsdato"},
}
EXTRA_HEADER_NAMES: dict[str, str] = {
    "personnummer/samordningsnummer": "id_number",
    "samordningsnummer": "id_number",
    "cpr-nummer": "id_number",
    "cpr_nummer": "id_number",
    "vräkningsdatum": "eviction_date",
    "udsættelsesdato": "eviction_date",
    "fogedretten": "kronofogden_date",
}
REQUIRED = ("id_number", "reason")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_KEYS = (
    "notice_date",
    "social_services_date",
    "kronofogden_date",
    "hearing_date",
    "eviction_date",
    "outcome_date",
)


@dataclass(frozen=True)
class EvictionImportReport:
    rows: int
    imported: int
    skipped: list[int] = field(default_factory=list)  # file lines of cases known already
    problems: list[ImportProblem] = field(default_factory=list)
    dry_run: bool = False
    changes: ChangeSet = NO_CHANGES

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _Row:
    line: int
    client_id: int
    data: EvictionInput


def _date(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(text)
    return dt.date.fromisoformat(text)


def _check(
    db: Database, actor: Actor, rows: list[TableRow]
) -> tuple[list[_Row], list[ImportProblem]]:
    header, problems = read_header(rows, COLUMNS, EXTRA_HEADER_NAMES, REQUIRED)
    if problems:
        return [], problems
    names = header.names
    numbers: dict[int, str] = {}
    good: list[tuple[int, str, EvictionInput]] = []
    for table_row in rows[1:]:
        line, values = table_row.line, table_row.values
        if table_row.problem:
            problems.append(ImportProblem(line, _("the whole line"), table_row.problem))
            continue
        if not any(v.strip() for v in values):
            continue
        cells = header.cells(values)
        row_problems: list[ImportProblem] = []

        def bad(
            key: str, reason: str, line: int = line, sink: list[ImportProblem] = row_problems
        ) -> None:
            sink.append(ImportProblem(line, names.get(key, key), reason))

        canonical = ""
        try:
            canonical = parse_identity(cells["id_number"]).canonical
        except IdentityError:
            bad("id_number", _("not a valid identity number"))
        reason = read_reason(cells["reason"]) if cells["reason"] else EvictionReason.OTHER
        if reason is None:
            bad("reason", _("unknown reason; use rent_arrears, disturbance or other"))
        outcome = None
        if cells.get("outcome"):
            outcome = read_outcome(cells["outcome"])
            if outcome is None:
                bad(
                    "outcome",
                    _("unknown outcome; use lease_kept, new_lease, evicted, moved or unknown"),
                )
        arrears = None
        try:
            arrears = parse_amount(cells.get("arrears", ""))
        except ValueError:
            bad("arrears", _("not an amount"))
        dates: dict[str, dt.date | None] = {}
        for key in DATE_KEYS:
            try:
                dates[key] = _date(cells.get(key, ""))
            except ValueError:
                bad(key, _("not a date; write YYYY-MM-DD"))
                dates[key] = None
        data = EvictionInput(
            landlord=cells.get("landlord", ""),
            reason=reason or EvictionReason.OTHER,
            arrears_cents=arrears,
            measures=cells.get("measures", ""),
            outcome=outcome,
            **dates,
        )
        if not row_problems:
            for key, message in validate_eviction(data):
                bad("arrears" if key == "arrears" else key, message)
        if not row_problems:
            numbers[line] = canonical
            good.append((line, canonical, data))
        problems.extend(row_problems)
    # The clients, found by number among those the importing user may see.
    wanted = sorted({n for _line, n, _data in good})
    found: dict[str, int] = {}
    with db.read() as session:
        for start in range(0, len(wanted), 500):
            for client_id, number in session.execute(
                select(Client.id, Client.id_number).where(
                    Client.id_number.in_(wanted[start : start + 500]),
                    visible_clients_clause(actor),
                )
            ):
                found[str(number)] = int(client_id)
    result: list[_Row] = []
    for line, number, data in good:
        found_id = found.get(number)
        if found_id is None:
            problems.append(
                ImportProblem(line, names["id_number"], _("no client with this number"))
            )
        else:
            result.append(_Row(line, found_id, data))
    problems.sort(key=lambda p: p.line)
    return result, problems


def import_evictions(
    db: Database, actor: Actor, path: Path, *, dry_run: bool = False
) -> EvictionImportReport:
    """Check every row, then (unless ``dry_run`` or any row is bad) add every case at once."""
    require_write(actor)
    rows = list(read_table(path))
    good, problems = _check(db, actor, rows)
    count = max(0, len(rows) - 1)
    if problems:
        return EvictionImportReport(count, 0, problems=problems, dry_run=dry_run)
    with db.read() as session:
        client_ids = sorted({r.client_id for r in good})
        known = {
            (client_id, landlord.casefold(), notice)
            for client_id, landlord, notice in session.execute(
                select(
                    EvictionCase.client_id, EvictionCase.landlord, EvictionCase.notice_date
                ).where(EvictionCase.client_id.in_(client_ids))
            )
        }
    todo: list[_Row] = []
    skipped: list[int] = []
    for row in good:
        key = (row.client_id, row.data.landlord.strip().casefold(), row.data.notice_date)
        if key in known:
            skipped.append(row.line)
        else:
            known.add(key)
            todo.append(row)
    if dry_run:
        return EvictionImportReport(count, len(todo), skipped, dry_run=True)
    with db.begin() as session:
        for row in todo:
            case_row = EvictionCase(client_id=row.client_id, created_by_id=actor.user_id)
            apply_input(case_row, row.data)
            session.add(case_row)
        audit.record(session, actor, AuditAction.IMPORT, detail=f"eviction cases: {len(todo)}")
    changed = ChangeSet.of(ChangeKind.TEAM, *sorted({r.client_id for r in todo}))
    return EvictionImportReport(count, len(todo), skipped, changes=changed)
