"""Import and export of the client register as CSV (and XLSX), as Swedish and Danish offices
write them with Excel.

Import is all or nothing: every row is checked first; if any row is bad, nothing is imported and
every problem is reported as ``line N: column: reason`` (N counts the file's lines, the header is
line 1). A row whose identity number is registered already is skipped and listed, never doubled.
Export writes exactly what import reads, the same bytes for the same data
(``services.client_export``; ``export_clients`` is also here).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.client import Client, Gender, TargetGroup
from hemlos_desktop.models.client_rules import CleanClient, ClientInput, validate_client
from hemlos_desktop.models.identity import IdentityError, IdKind, mask_canonical, parse_identity
from hemlos_desktop.models.people import Team, User
from hemlos_desktop.models.text import fold
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import Actor, require_write, visible_clients_clause
from hemlos_desktop.services.changes import ChangeSet, Outcome
from hemlos_desktop.services.client_bulk import defer_indexes, insert_checked_clients
from hemlos_desktop.services.client_columns import (
    COLUMNS,
    EXTRA_HEADER_NAMES,
    GENDER_WORDS,
    KIND_WORDS,
    NO,
    REQUIRED,
    TARGET_WORDS,
    YES,
)
from hemlos_desktop.services.client_export import export_clients
from hemlos_desktop.services.client_table import (
    ImportProblem,
    TableRow,
    read_header,
    read_table,
)
from hemlos_desktop.storage import Database, search_index
from hemlos_desktop.storage.bulk import deferred_indexes, large_cache, usual_cache
from hemlos_desktop.storage.change_capture import write_captured

__all__ = [
    "BATCH_ROWS",
    "MAX_PROBLEMS_SHOWN",
    "CheckedFile",
    "ImportReport",
    "SkippedRow",
    "estimated_rows",
    "export_clients",
    "import_clients",
]

ProgressCallback = Callable[[int, int], None]
MAX_PROBLEMS_SHOWN = 1000
BATCH_ROWS = 1000
"""Rows checked against the register and inserted together (one flush each)."""


@dataclass(frozen=True)
class SkippedRow:
    line: int
    id_masked: str
    # The match is a client the importing user may not see: nothing about it is shown.
    hidden: bool = False

    def text(self) -> str:
        """What the user is told about this row (translated)."""
        if self.hidden:
            return _("a possible duplicate — ask a team lead; skipped")
        return _("already registered, skipped ({number})").format(number=self.id_masked)


@dataclass(frozen=True)
class CheckedFile:
    """A successful check's result, for the import that follows it: the file's fingerprint
    and the checked rows (batches pickled and compressed in memory, never written to disk:
    tens of megabytes for a 50 MB file instead of a second check of every row). The import
    uses them only if the file, the day and the register's teams and users are still the
    ones checked; otherwise it checks the file again."""

    fingerprint: tuple[int, int, str]  # size, modification time (ns), SHA-256
    today: dt.date
    lookups: tuple[dict[str, int], dict[str, int]]  # teams and users by folded name
    batches: tuple[bytes, ...]
    rows: int  # the data rows read (blank lines included), as the report counts them
    good: int  # the rows checked good (all of them, as the check found no problem)


@dataclass(frozen=True)
class ImportReport:
    rows: int
    imported: int
    skipped: list[SkippedRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    dry_run: bool = False
    # A dry run that found no problem: what the import may reuse (pass it as ``checked``).
    checked: CheckedFile | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- reading ---------------------------------------------------------------------------------


# --- checking --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    line: int
    clean: CleanClient
    canonical: str

    @property
    def data(self) -> ClientInput:
        return self.clean.data


def _parse_date(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


_ASCII_LETTER = re.compile("[A-Za-z]")  # the letters among ASCII characters (str.isalpha)


def _guess_kind(number: str, explicit: str, language_hint: str) -> IdKind:
    if explicit:
        kind = KIND_WORDS.get(explicit.strip().casefold())
        if kind is None:
            raise KeyError(explicit)
        return kind
    if not number.strip():
        return IdKind.NONE
    if _ASCII_LETTER.search(number) if number.isascii() else any(c.isalpha() for c in number):
        return IdKind.RESERVE
    try:
        return parse_identity(number).kind
    except IdentityError:
        return IdKind.CPR if language_hint == "da" else IdKind.PERSONNUMMER


def _check_rows(
    db: Database, rows: Iterable[TableRow], today: dt.date
) -> Iterator[tuple[_Row | None, list[ImportProblem]]]:
    """Check the rows one by one as they are read (the file is never held as rows): for each
    data row its checked form (None when it is bad) and its problems; a bad header alone
    yields its problems and ends the check."""
    iterator = iter(rows)
    first = next(iterator, None)
    header, problems = read_header(
        [first] if first is not None else [], COLUMNS, EXTRA_HEADER_NAMES, REQUIRED
    )
    if problems:
        yield None, problems
        return
    teams, users = _lookups(db)
    header_names, keys = header.names, header.keys
    seen: dict[str, int] = {}  # number -> line: the same person twice in one file
    for table_row in iterator:
        line, values = table_row.line, table_row.values
        if table_row.problem:
            yield None, [ImportProblem(line, _("the whole line"), table_row.problem)]
            continue
        if not any(v.strip() for v in values):
            continue
        cells = {key: (values[i] if i < len(values) else "") for i, key in keys.items()}
        row_problems: list[ImportProblem] = []

        def bad(
            key: str, reason: str, line: int = line, sink: list[ImportProblem] = row_problems
        ) -> None:
            sink.append(ImportProblem(line, header_names.get(key, key), reason))

        language = cells.get("language", "").strip().casefold()
        try:
            kind = _guess_kind(cells["id_number"], cells.get("id_kind", ""), language)
        except KeyError:
            bad("id_kind", _("unknown kind of identity number"))
            kind = IdKind.PERSONNUMMER
        gender = GENDER_WORDS.get(" ".join(cells["gender"].strip().casefold().split()))
        if gender is None:
            bad("gender", _("unknown gender; use woman, man, other or not stated"))
            gender = Gender.NOT_STATED
        try:
            birth = _parse_date(cells.get("birth_date", ""))
        except ValueError:
            bad("birth_date", _("not a date; write YYYY-MM-DD"))
            birth = None
        groups: set[TargetGroup] = set()
        for raw_word in cells.get("target_groups", "").replace(",", "|").split("|"):
            word = raw_word.strip().casefold()
            if not word:
                continue
            group = TARGET_WORDS.get(word)
            if group is None:
                bad("target_groups", _("unknown target group"))
            else:
                groups.add(group)
        team_id = None
        team_name = cells.get("team", "").strip()
        if team_name:
            team_id = teams.get(team_name.casefold())
            if team_id is None:
                bad("team", _("no team with this name"))
        responsible_id = None
        responsible = cells.get("responsible", "").strip()
        if responsible:
            responsible_id = users.get(responsible.casefold())
            if responsible_id is None:
                bad("responsible", _("no user with this name"))
        protected_text = cells.get("protected_identity", "").strip().casefold()
        if protected_text not in YES | NO:
            bad("protected_identity", _("write yes or no"))
        data = ClientInput(
            id_kind=kind,
            id_text=cells["id_number"],
            first_name=cells["first_name"],
            last_name=cells["last_name"],
            alias=cells.get("alias", ""),
            gender=gender,
            birth_date=birth,
            language=language if language in ("sv", "da", "en") else ("other" if language else ""),
            phone=cells.get("phone", ""),
            email=cells.get("email", ""),
            address=cells.get("address", ""),
            target_groups=frozenset(groups),
            responsible_user_id=responsible_id,
            team_id=team_id,
            protected_identity=protected_text in YES,
        )
        clean, errors = validate_client(data, today=today)
        for error in errors:
            bad(
                error.field if error.field in keys.values() else _error_column(error.field),
                error.message,
            )
        if clean is not None and not row_problems:
            canonical = clean.identity.canonical
            if canonical and canonical in seen:
                bad(
                    "id_number",
                    _("the same number is on line {line}").format(line=seen[canonical]),
                )
            else:
                if canonical:
                    seen[canonical] = line
                yield _Row(line, clean, canonical), row_problems
                continue
        yield None, row_problems


def _error_column(field_name: str) -> str:
    return field_name


def _lookups(db: Database) -> tuple[dict[str, int], dict[str, int]]:
    """The register's teams and users by folded name, as the rows name them."""
    with db.read() as session:
        teams = {t.name.casefold(): t.id for t in session.scalars(select(Team))}
        users: dict[str, int] = {}
        for user in session.scalars(select(User)):
            users[user.username.casefold()] = user.id
            users.setdefault(user.display_name.casefold(), user.id)
    return teams, users


def _fingerprint(path: Path) -> tuple[int, int, str] | None:
    """The file's size, modification time and SHA-256 (None if it cannot be read)."""
    try:
        stat = path.stat()
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, digest.hexdigest()


def _pack(batch: list[_Row]) -> bytes:
    return zlib.compress(pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL), 1)


def _unpacked(checked: CheckedFile) -> Iterator[tuple[_Row | None, list[ImportProblem]]]:
    """The checked rows again, in the file's order, as ``_check_rows`` yielded them."""
    for packed in checked.batches:
        # Our own bytes, made by this process in memory from the file it checked.
        rows: list[_Row] = pickle.loads(zlib.decompress(packed))
        for row in rows:
            yield row, []


def _reusable(db: Database, checked: CheckedFile | None, path: Path, today: dt.date) -> bool:
    """Whether ``checked`` is the check of this very file, today, against these teams and
    users (a file saved again since the check, even with the same size, is checked again)."""
    if checked is None or checked.today != today:
        return False
    return checked.lookups == _lookups(db) and checked.fingerprint == _fingerprint(path)


def import_clients(
    db: Database,
    actor: Actor,
    path: Path,
    *,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
    today: dt.date | None = None,
    checked: CheckedFile | None = None,
) -> Outcome[ImportReport]:
    """Check every row, then (unless ``dry_run`` or any row is bad) register them all at once.
    A dry run reports ``progress(rows read, rows expected)`` as it checks (the check before
    an import, run in the background by the GUI); an import reports the rows registered.

    The file is never held as rows. A dry run checks every row and finds who is registered
    already, batch by batch. An import reads the file once: it checks and registers the rows
    in batches inside one write transaction, so a bad row or a failure half-way imports
    nothing (the first bad row rolls it back, and the rest is checked to report every
    problem); ``progress(done, total)`` follows the rows registered.

    A dry run without problems returns its checked rows in the report (``checked``); an
    import given them (``checked=report.checked``) registers those rows without checking the
    file again, if the file is unchanged since (size, time and SHA-256), on the same day and
    with the same teams and users; otherwise it reads and checks the file as without them.
    """
    require_write(actor)
    today = today or dt.date.today()
    if not dry_run:
        report = _register_all(
            db,
            actor,
            path,
            today=today,
            progress=progress,
            checked=checked if _reusable(db, checked, path, today) else None,
        )
        return Outcome(report, ChangeSet.all()) if report.imported else Outcome(report)
    fingerprint = _fingerprint(path)
    lookups = _lookups(db)
    packed: list[bytes] = []
    good = 0
    counted = _Counted(read_table(path))
    problems: list[ImportProblem] = []
    skipped: list[SkippedRow] = []
    new = 0
    batch: list[_Row] = []
    with db.read() as session:
        aliases = _known_aliases(session, actor)

        def split_batch() -> None:
            nonlocal new, good
            batch_skipped, todo = _split_registered(session, actor, batch, aliases)
            skipped.extend(batch_skipped)
            new += len(todo)
            if batch:
                packed.append(_pack(batch))
                good += len(batch)
            batch.clear()

        estimate = estimated_rows(path) if progress is not None else 0
        reported = 0
        for row, row_problems in _check_rows(db, counted, today):
            problems.extend(row_problems)
            read = counted.count - 1  # the header is not a row
            if progress is not None and read - reported >= BATCH_ROWS:
                reported = read
                progress(read, max(estimate, read))
            if row is not None and not problems:
                batch.append(row)
                if len(batch) >= BATCH_ROWS:
                    split_batch()
        if not problems:
            split_batch()
    rows = max(0, counted.count - 1)
    if progress is not None:
        progress(rows, rows)
    if problems:
        return Outcome(ImportReport(rows=rows, imported=0, problems=problems, dry_run=True))
    _log_hidden(db, actor, skipped)
    reuse = None
    if fingerprint is not None and fingerprint == _fingerprint(path):
        reuse = CheckedFile(fingerprint, today, lookups, tuple(packed), rows, good)
    return Outcome(ImportReport(rows, new, skipped, [], dry_run=True, checked=reuse))


def estimated_rows(path: Path) -> int:
    """About how many data rows a file holds, for progress (its lines for CSV; 0, unknown,
    for a workbook): counted in the raw bytes, far quicker than reading the rows."""
    if path.suffix.casefold() == ".xlsx":
        return 0
    try:
        with path.open("rb") as handle:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    except OSError:
        return 0
    return max(0, lines - 1)


class _Counted:
    """The table's rows, counted as they go by."""

    def __init__(self, rows: Iterable[TableRow]) -> None:
        self._rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[TableRow]:
        for row in self._rows:
            self.count += 1
            yield row


def _known_aliases(session: Session, actor: Actor) -> dict[tuple[str, str], bool]:
    """People without a number, by alias and folded name: whether the user may see them."""
    visible = visible_clients_clause(actor)
    known: dict[tuple[str, str], bool] = {}
    for alias, name, seen in session.execute(
        select(Client.alias, Client.name_search, visible).where(Client.id_kind == IdKind.NONE.value)
    ):
        known[(alias, name)] = known.get((alias, name), False) or bool(seen)
    return known


def _split_registered(
    session: Session,
    actor: Actor,
    good: list[_Row],
    known_aliases: dict[tuple[str, str], bool],
) -> tuple[list[SkippedRow], list[_Row]]:
    """(rows of people registered already, rows to register), as the database stands in
    ``session``; a person the user may not see is listed only as a hidden possible duplicate.
    People without a number are matched on alias and name among ``known_aliases``."""
    visible = visible_clients_clause(actor)
    numbers = [r.canonical for r in good if r.canonical]
    # number -> whether the importing user may see that client
    existing: dict[str, bool] = {}
    for start in range(0, len(numbers), 500):
        for number, seen in session.execute(
            select(Client.id_number, visible).where(
                Client.id_number.in_(numbers[start : start + 500])
            )
        ):
            if number:
                existing[number] = existing.get(number, False) or bool(seen)

    def match(row: _Row) -> bool | None:
        """None: new; True: a client the user sees; False: one they may not see."""
        if row.canonical:
            return existing.get(row.canonical)
        key = (row.data.alias, fold(f"{row.data.first_name} {row.data.last_name} {row.data.alias}"))
        return known_aliases.get(key)

    skipped = [
        SkippedRow(r.line, mask_canonical(r.canonical, r.data.id_kind) or r.data.alias)
        if match(r)
        else SkippedRow(r.line, "", hidden=True)
        for r in good
        if match(r) is not None
    ]
    return skipped, [r for r in good if match(r) is None]


def _record_hidden(session: Session, actor: Actor, skipped: list[SkippedRow]) -> None:
    hidden = sum(1 for s in skipped if s.hidden)
    if hidden:
        audit.record(
            session, actor, AuditAction.IMPORT,
            detail=f"{hidden} possible duplicates the user may not see",
        )  # fmt: skip


def _log_hidden(db: Database, actor: Actor, skipped: list[SkippedRow]) -> None:
    if any(s.hidden for s in skipped):
        with db.begin() as session:
            _record_hidden(session, actor, skipped)


class _Abandoned(Exception):
    """A bad row ends the import's transaction (rolled back: nothing of it stays)."""


def _register_all(
    db: Database,
    actor: Actor,
    path: Path,
    *,
    today: dt.date,
    progress: ProgressCallback | None,
    checked: CheckedFile | None,
) -> ImportReport:
    """Check and register the rows in one pass, in one write transaction, batch by batch: a
    bad row or a failure half-way imports nothing.

    The first bad row rolls the transaction back at once (the write lock is given up), and
    the rest of the file is only checked, so that every problem is reported. Who is
    registered already is decided inside that transaction, which holds the write lock from
    its start: a second import of the same file at the same time waits for the first (or
    ends with the known "database is busy" error) and then skips everyone the first one
    registered, never doubling a person."""
    skipped: list[SkippedRow] = []
    problems: list[ImportProblem] = []
    imported = 0
    done = 0
    batch: list[_Row] = []
    counted = _Counted(read_table(path) if checked is None else iter(()))
    rows_checked = _check_rows(db, counted, today) if checked is None else _unpacked(checked)
    estimate = estimated_rows(path) if checked is None else checked.good
    try:
        with db.begin() as session, large_cache(session.connection()), ExitStack() as stack:
            if defer_indexes(session, estimate):
                stack.enter_context(deferred_indexes(session.connection(), ["clients"]))
                stack.enter_context(search_index.bulk_load(session.connection()))
                # Run first at the end: the indexes are built beside the usual cache.
                stack.callback(usual_cache, session.connection())
            aliases = _known_aliases(session, actor)

            def insert_batch() -> None:
                nonlocal imported, done
                batch_skipped, todo = _split_registered(session, actor, batch, aliases)
                skipped.extend(batch_skipped)
                insert_checked_clients(session, actor, [row.clean for row in todo])
                write_captured(session, db)  # the outbox batch by batch, not all at the commit
                imported += len(todo)
                done += len(batch)
                batch.clear()
                if progress is not None:
                    progress(done, max(estimate, done))

            for row, row_problems in rows_checked:
                if row_problems:
                    problems.extend(row_problems)
                    raise _Abandoned
                if row is not None:
                    batch.append(row)
                    if len(batch) >= BATCH_ROWS:
                        insert_batch()
            insert_batch()
            _record_hidden(session, actor, skipped)
    except _Abandoned:
        for _row, row_problems in rows_checked:  # the rest of the file, outside the transaction
            problems.extend(row_problems)
    # The header is not a row.
    rows = max(0, counted.count - 1) if checked is None else checked.rows
    if problems:
        return ImportReport(rows=rows, imported=0, problems=problems)
    if progress is not None and done != estimate:
        progress(done, done)  # blank lines or a workbook: the estimate was not exact
    return ImportReport(rows, imported, skipped, [])
