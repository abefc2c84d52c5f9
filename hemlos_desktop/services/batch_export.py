"""Export the documents of many clients into a folder, in worker processes.

Each worker process opens the database itself (``storage.open_database``) and takes the
clients a few at a time (:func:`chunk_size`): it writes each file atomically
(:func:`hemlos_desktop.services.pdf_export.write_pdf`) and then logs the complete files of the
task in one transaction, one export entry per client, as a single export would
(:func:`~hemlos_desktop.services.pdf_export.log_exports`). File names carry no personal data
(``summary-<internal id>-<lang>.pdf``). A client that fails is reported with a translated
reason and the others go on; the caller can follow progress and cancel between clients.

A worker's start (imports, the report fonts parsed, the database opened, the first queries
compiled) costs about a second. :class:`BatchWorkers` starts the processes before the batch is
known — the batch dialog does so as it opens, while the user chooses a folder — so that this
start is not waited for once Export is pressed.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import logging
import multiprocessing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from hemlos_desktop.errors import HemlosError, InvalidInputError, NotFoundError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.i18n import set_language
from hemlos_desktop.models.client import Client
from hemlos_desktop.models.people import Team
from hemlos_desktop.services.actor import Actor, visible_clients_clause
from hemlos_desktop.services.pdf_export import (
    DEFAULT_KIND,
    PdfOptions,
    case_summary_bytes,
    log_exports,
    render_document,
    write_bytes,
)
from hemlos_desktop.services.summary_reader import read_case_summaries
from hemlos_desktop.storage import Database, DataLocation, open_database

log = logging.getLogger(__name__)

WORKERS = 2
CHUNK = 8
WRITERS = 2
BatchProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class BatchFailure:
    """A client whose document could not be made; ``reason`` is translated, without personal
    data."""

    client_id: int
    reason: str


@dataclass(frozen=True)
class BatchReport:
    folder: Path
    written: tuple[Path, ...]
    failures: tuple[BatchFailure, ...]
    cancelled: bool = False
    requested: int = 0
    skipped: int = field(default=0)


def batch_file_name(client_id: int, language: str, kind: str = DEFAULT_KIND) -> str:
    """``summary-1234-sv.pdf``: the internal number only, never a name or identity number."""
    return f"{kind}-{client_id}-{language}.pdf"


def team_client_ids(db: Database, actor: Actor, team_id: int) -> list[int]:
    """The visible clients of one team, in internal-number order."""
    with db.read() as session:
        return list(
            session.scalars(
                select(Client.id)
                .where(Client.team_id == team_id, visible_clients_clause(actor))
                .order_by(Client.id)
            )
        )


def team_id_by_name(db: Database, name: str) -> int:
    """The team called ``name`` (case and surrounding spaces ignored); InvalidInputError when
    there is no such team."""
    wanted = name.strip().casefold()
    with db.read() as session:
        for team_id, team_name in session.execute(select(Team.id, Team.name)):
            if team_name.strip().casefold() == wanted:
                return int(team_id)
    raise InvalidInputError(_("There is no team with this name."), field="team")


# --- worker process side ---------------------------------------------------------------------


class _WorkerState:
    db: Database | None = None
    # Writes (and their fsyncs) run beside the rendering of the next document.
    writer: cf.ThreadPoolExecutor | None = None


def _writer() -> cf.ThreadPoolExecutor:
    if _WorkerState.writer is None:
        _WorkerState.writer = cf.ThreadPoolExecutor(WRITERS, thread_name_prefix="pdf-writer")
    return _WorkerState.writer


def _init_worker(
    location: DataLocation, key: bytes | None, ui_language: str, checked: bool
) -> None:
    from hemlos_desktop.storage.log_redaction import configure_worker_logging

    configure_worker_logging()
    set_language(ui_language)
    _WorkerState.db = open_database(location, key=key, create=False, migrate=False, checked=checked)
    _warm_up()


def _warm_up() -> None:
    """Load what every document needs before the first one is asked for: the renderers and
    ReportLab (imported lazily elsewhere, to keep the command line quick) and the report fonts.
    Nothing is read from the database here."""
    import hemlos_desktop.reports.case_summary
    import hemlos_desktop.reports.plan_pdf  # noqa: F401
    from hemlos_desktop.reports.fonts import register_fonts

    register_fonts()


def _ready() -> int:
    """A task that does nothing: submitted to start a worker process (and wait for it)."""
    return 0


def _failure_reason(client_id: int, exc: Exception) -> str:
    if isinstance(exc, HemlosError):
        log.warning("batch export: client %d failed: %s", client_id, exc.detail)
        return exc.message()
    log.error("batch export: client %d failed", client_id, exc_info=exc)
    return _("An unexpected error occurred; see the log file.")


def _export_chunk(
    actor: Actor, client_ids: Sequence[int], folder: Path, options: PdfOptions, kind: str
) -> list[tuple[int, str | None, str]]:
    """Write the documents of ``client_ids``, then log the complete files in one transaction.

    Each document is rendered while the one before it is written (``WRITERS`` threads: a
    write waits mostly on the disk); the log entries are made once every file is complete.

    Returns (client id, file name or None, reason of a failure) for each client."""
    db = _WorkerState.db
    assert db is not None, "worker not initialised"
    results: dict[int, tuple[int, str | None, str]] = {}
    render = _chunk_renderer(db, actor, client_ids, options, kind)
    writes: list[tuple[int, Path, cf.Future[None]]] = []
    try:
        for client_id in client_ids:
            path = folder / batch_file_name(client_id, options.language, kind)
            try:
                data = render(client_id)
            except Exception as exc:
                results[client_id] = (client_id, None, _failure_reason(client_id, exc))
                continue
            writes.append((client_id, path, _writer().submit(write_bytes, path, data)))
    except BaseException:
        # Interrupted: no file of this chunk is left without its log entry.
        for _client_id, path, future in writes:
            with contextlib.suppress(Exception):
                future.result()
            path.unlink(missing_ok=True)
        raise
    written: list[tuple[int, Path]] = []
    for client_id, path, future in writes:
        try:
            future.result()
        except Exception as exc:
            results[client_id] = (client_id, None, _failure_reason(client_id, exc))
            continue
        written.append((client_id, path))
        results[client_id] = (client_id, path.name, "")
    for client_id, error in log_exports(db, actor, written, options, kind=kind).items():
        results[client_id] = (client_id, None, _failure_reason(client_id, error))
    return [results[client_id] for client_id in client_ids]


def _chunk_renderer(
    db: Database, actor: Actor, client_ids: Sequence[int], options: PdfOptions, kind: str
) -> Callable[[int], bytes]:
    """How each client of a chunk is rendered: case summaries read for the whole chunk at
    once (:func:`~hemlos_desktop.services.summary_reader.read_case_summaries`), other kinds
    one by one. A client that cannot be read raises when its turn comes."""
    if kind != "summary":
        return lambda client_id: render_document(db, actor, client_id, options, kind=kind)
    try:
        found = read_case_summaries(db, actor, client_ids, options)
    except Exception:
        # Reading the chunk failed as a whole: each client is read (and fails) on its own.
        log.warning("batch export: reading %d clients together failed", len(client_ids))
        return lambda client_id: render_document(db, actor, client_id, options, kind=kind)

    def render(client_id: int) -> bytes:
        if client_id not in found:
            raise NotFoundError("client not visible")
        return case_summary_bytes(found.pop(client_id), actor, options)

    return render


def chunk_size(total: int, workers: int) -> int:
    """Clients per task: enough that the access-log transaction and the hand-over between
    processes are shared by several documents, few enough that progress moves and a cancel
    stops soon (at most 8, and every worker gets several tasks)."""
    return max(1, min(CHUNK, total // (max(1, workers) * 4)))


# --- caller side -----------------------------------------------------------------------------


class BatchWorkers:
    """The worker processes of a batch, which can be started before the batch is known.

    ``start()`` launches the processes at once and returns without waiting for them; each then
    opens the database (with ``key``) and loads the renderers and fonts while the caller goes
    on. Pass the object to :func:`export_batch`; ``close()`` ends the processes (the batch does
    not: the owner closes them, also when no batch was run).
    """

    def __init__(
        self,
        location: DataLocation,
        key: bytes | None = None,
        *,
        checked: bool = False,
        workers: int = WORKERS,
    ) -> None:
        from hemlos_desktop.i18n import current_language

        self.count = max(1, workers)
        self._pool = cf.ProcessPoolExecutor(
            max_workers=self.count,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(location, key, current_language(), checked),
        )
        self._started = False

    @property
    def pool(self) -> cf.ProcessPoolExecutor:
        return self._pool

    def start(self) -> None:
        """Launch every worker process now (one task each; the pool starts a process for each
        task that finds none idle)."""
        if not self._started:
            self._started = True
            for _index in range(self.count):
                self._pool.submit(_ready)

    def close(self, *, wait: bool = True) -> None:
        """End the worker processes; tasks not yet started are dropped."""
        self._pool.shutdown(wait=wait, cancel_futures=True)

    def __enter__(self) -> BatchWorkers:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def export_batch(
    location: DataLocation,
    actor: Actor,
    client_ids: Sequence[int],
    folder: Path,
    options: PdfOptions,
    *,
    kind: str = DEFAULT_KIND,
    key: bytes | None = None,
    checked: bool = False,
    workers: int = WORKERS,
    pool: BatchWorkers | None = None,
    progress: BatchProgress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> BatchReport:
    """Export ``kind`` for each of ``client_ids`` into ``folder`` using worker processes.

    ``progress(done, total)`` is called in the calling thread after each client;
    ``cancelled()`` is checked as results come in, and when it returns True the clients not
    yet started are dropped (``BatchReport.cancelled``). ``key`` opens an encrypted database.
    ``checked``: the caller's open database passed its integrity check, so each worker does
    not read and decrypt the whole file again (seconds for a large register).
    ``pool``: worker processes started beforehand (:class:`BatchWorkers`, then ``location``,
    ``key``, ``checked`` and ``workers`` are theirs); the caller closes them.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ids = list(dict.fromkeys(client_ids))
    if progress is not None:
        progress(0, len(ids))
    if not ids:
        return BatchReport(folder, (), (), requested=0)
    own = None
    if pool is None:
        own = pool = BatchWorkers(location, key, checked=checked, workers=min(workers, len(ids)))
    try:
        return _run_batch(
            pool, actor, ids, folder, options, kind=kind, progress=progress, cancelled=cancelled
        )
    finally:
        if own is not None:
            own.close()


def _run_batch(
    workers: BatchWorkers,
    actor: Actor,
    ids: list[int],
    folder: Path,
    options: PdfOptions,
    *,
    kind: str,
    progress: BatchProgress | None,
    cancelled: Callable[[], bool] | None,
) -> BatchReport:
    total = len(ids)
    written: list[Path] = []
    failures: list[BatchFailure] = []
    stopped = False
    pool = workers.pool
    submitted: set[cf.Future[list[tuple[int, str | None, str]]]] = set()
    try:
        size = chunk_size(total, workers.count)
        pending = submitted = {
            pool.submit(_export_chunk, actor, ids[i : i + size], folder, options, kind)
            for i in range(0, total, size)
        }
        done = 0
        while pending:
            finished, pending = cf.wait(pending, timeout=0.1, return_when=cf.FIRST_COMPLETED)
            for future in finished:
                if future.cancelled():
                    continue
                for client_id, name, reason in future.result():
                    done += 1
                    if name is None:
                        failures.append(BatchFailure(client_id, reason))
                    else:
                        written.append(folder / name)
                if progress is not None:
                    progress(done, total)
            if not stopped and cancelled is not None and cancelled():
                stopped = True
                for future in pending:
                    future.cancel()
                pending = {f for f in pending if not f.cancelled()}
    except BaseException:
        # A cancel raised by the progress callback: drop what has not started, wait for the
        # chunks being written (each logs its complete files), then stop.
        for future in submitted:
            future.cancel()
        cf.wait(submitted)
        raise
    return BatchReport(
        folder,
        tuple(sorted(written)),
        tuple(sorted(failures, key=lambda f: f.client_id)),
        cancelled=stopped,
        requested=total,
        skipped=total - len(written) - len(failures),
    )
