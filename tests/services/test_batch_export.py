"""Batch export in worker processes: files without personal data, failures, progress, cancel."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from clientworld import World
from sqlalchemy import func, select
from summary_world import add_full_client

from hemlos_desktop.errors import NotFoundError
from hemlos_desktop.models.audit import AuditEntry
from hemlos_desktop.models.client import Client
from hemlos_desktop.services.batch_export import (
    BatchWorkers,
    batch_file_name,
    chunk_size,
    export_batch,
    team_client_ids,
)
from hemlos_desktop.services.pdf_export import PdfOptions, log_exports, write_pdf
from hemlos_desktop.storage import DataLocation


def test_file_names_carry_no_personal_data() -> None:
    assert batch_file_name(1234, "sv") == "summary-1234-sv.pdf"


def test_team_clients_are_the_visible_ones(world: World) -> None:
    a = world.add("Åsa", "Öberg", team=world.team_a)
    world.add("Bo", "Ek", team=world.team_b)
    assert team_client_ids(world.db, world.actors["lead"], world.team_a) == [a]
    assert team_client_ids(world.db, world.actors["lead"], world.team_b) == []


@pytest.mark.slow
def test_batch_reports_one_failure_and_writes_the_rest(
    world: World, location: DataLocation, tmp_path: Path
) -> None:
    first = add_full_client(world, journal=1)
    second = world.add("Bo", "Ek", by="anna")
    other_team = world.add("Cia", "Ny", team=world.team_b)
    seen: list[tuple[int, int]] = []
    folder = tmp_path / "pdfs"
    report = export_batch(
        location,
        world.actors["anna"],
        [first, other_team, second],
        folder,
        PdfOptions("da"),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert [p.name for p in report.written] == sorted(
        [batch_file_name(first, "da"), batch_file_name(second, "da")]
    )
    assert all(p.read_bytes().startswith(b"%PDF") for p in report.written)
    assert [f.client_id for f in report.failures] == [other_team]
    assert report.failures[0].reason
    assert not report.cancelled
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    with world.db.read() as s:
        exports = s.scalar(select(func.count()).where(AuditEntry.action == "export"))
    assert exports == 2
    assert sorted(p.name for p in folder.iterdir()) == [p.name for p in report.written]


@pytest.mark.slow
def test_cancel_stops_before_the_rest(world: World, location: DataLocation, tmp_path: Path) -> None:
    ids = [world.add(f"Namn{i}", "Ek") for i in range(12)]
    report = export_batch(
        location,
        world.actors["admin"],
        ids,
        tmp_path / "pdfs",
        PdfOptions("sv"),
        cancelled=lambda: True,
    )
    assert report.cancelled
    assert len(report.written) < len(ids)
    assert report.skipped == len(ids) - len(report.written) - len(report.failures)


@pytest.mark.slow
def test_workers_started_beforehand_run_each_batch_and_end_when_closed(
    world: World, location: DataLocation, tmp_path: Path
) -> None:
    ids = [world.add(f"Namn{i}", "Ek") for i in range(4)]
    before = _pids()
    with BatchWorkers(location, workers=2) as workers:
        workers.start()
        started = _pids() - before
        assert len(started) == 2
        for run in ("first", "second"):
            report = export_batch(
                location, world.actors["admin"], ids, tmp_path / run, PdfOptions("sv"), pool=workers
            )
            assert len(report.written) == len(ids) and not report.failures
            # The same processes did the work and are still there for the next batch.
            assert _pids() - before == started
    assert not (_pids() & started)
    with world.db.read() as s:
        exports = s.scalar(select(func.count()).where(AuditEntry.action == "export"))
    assert exports == 2 * len(ids)


def _pids() -> set[int]:
    return {p.pid for p in multiprocessing.active_children() if p.pid is not None}


def test_files_of_a_task_are_logged_together_and_one_unreachable_client_keeps_no_file(
    world: World, tmp_path: Path
) -> None:
    anna = world.actors["anna"]
    # Team A's clients, none with Anna as the responsible caseworker.
    first, second, third = (world.add(name, "Ek") for name in ("Ada", "Bo", "Cia"))
    options = PdfOptions("sv")
    paths = {cid: tmp_path / batch_file_name(cid, "sv") for cid in (first, second, third)}
    for cid, path in paths.items():
        write_pdf(world.db, anna, cid, path, options)
    assert all(p.read_bytes().startswith(b"%PDF") for p in paths.values())
    # Between the file and its entry the second client moves to a team Anna does not see.
    with world.db.begin() as s:
        s.get_one(Client, second).team_id = world.team_b
    failed = log_exports(world.db, anna, list(paths.items()), options)
    assert list(failed) == [second]
    assert isinstance(failed[second], NotFoundError)
    assert not paths[second].exists()
    assert paths[first].exists() and paths[third].exists()
    with world.db.read() as s:
        logged = sorted(
            s.scalars(select(AuditEntry.client_id).where(AuditEntry.action == "export"))
        )
    assert logged == sorted([first, third])


def test_tasks_hold_a_few_clients_and_every_worker_gets_several() -> None:
    assert chunk_size(1, 2) == 1
    assert chunk_size(12, 2) == 1
    assert chunk_size(80, 2) == 8
    assert chunk_size(500, 2) == 8
    assert chunk_size(40, 2) == 5
