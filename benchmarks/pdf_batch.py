"""pdf_batch: 500 case summaries exported through the GUI's batch path, against a floor of
bare ReportLab made in the same run.

The batch runs as Reports → Batch export… runs it: ``ui.reports.batch_dialog.run_batch_export``
(the operation runner's background path: a worker thread waiting on the worker processes,
which open the encrypted 20,000-client demo register with the window's key) inside an
offscreen QApplication. A QTimer ticking every 5 ms measures the longest gap between ticks,
i.e. how long the GUI event loop stalled.

The floor is what the same 500 summaries cost with nothing of ours around them: the content
of each (gathered beforehand, not timed) laid out with bare ReportLab calls
(``pdf_summary.bare``: the same paragraphs, tables and timeline shapes), one after the other
in this process, the total divided over the cores the batch uses. Half of the floor is laid
out just before the batch and half just after it, so that a change in the machine's load
during the run weighs on both sides alike. ``ratio_to_floor`` is the batch's seconds over
that floor (issue 16: ≤ 1.5). ``cpu_ratio_to_floor`` (information) compares CPU seconds
instead of wall seconds: everything the batch's processes used (the worker processes and
this one while the batch ran) over the floor's CPU seconds; it does not depend on how busy
the machine is, and it counts the workers' start-up. The demo database is copied to a
temporary folder first, so the cached one does not collect the batch's log entries. The
last line printed is one JSON object (benchmarks/README.md).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

COUNT = 500
TICK_MS = 5
TARGET_RATIO = 1.5
TARGET_SECONDS = 60.0
TARGET_STALL_MS = 50.0


def _compile_package() -> None:
    """Write the package's bytecode, as an installed program has it (pip and PyInstaller
    write it): the worker processes then load it instead of compiling every module, even
    where the shell forbids writing .pyc files (PYTHONDONTWRITEBYTECODE only stops writing)."""
    import compileall

    import hemlos_desktop

    compileall.compile_dir(Path(hemlos_desktop.__file__).parent, quiet=1)


def main() -> int:
    from _clientdb import demo_location
    from pdf_summary import bare
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from hemlos_desktop import i18n
    from hemlos_desktop.demo.data import open_demo
    from hemlos_desktop.reports.fonts import register_fonts
    from hemlos_desktop.services.batch_export import WORKERS, BatchReport
    from hemlos_desktop.services.clients import ClientQuery, search_ids
    from hemlos_desktop.services.pdf_export import PdfOptions
    from hemlos_desktop.services.summary_reader import read_case_summaries
    from hemlos_desktop.settings import Settings
    from hemlos_desktop.storage import DataLocation
    from hemlos_desktop.ui.change_notifier import ChangeNotifier
    from hemlos_desktop.ui.context import UiContext
    from hemlos_desktop.ui.reports.batch_dialog import run_batch_export

    i18n.set_language("sv")
    _compile_package()
    app = QApplication.instance() or QApplication([])
    source = demo_location()
    work = Path(tempfile.mkdtemp(prefix="pdf-batch-"))
    today = dt.date.today()
    options = PdfOptions(
        "sv",
        municipality="Stockholms stad",
        journal_from=today - dt.timedelta(days=365),
        today=today,
    )
    cores = max(1, min(WORKERS, os.cpu_count() or 1, COUNT))
    try:
        location = DataLocation(work / "data")
        shutil.copytree(source.folder, location.folder)
        db, actor = open_demo(location)
        try:
            ids = search_ids(db, actor, ClientQuery())[:COUNT]
            # The floor: the same content, bare ReportLab, one core; gathered beforehand.
            found = read_case_summaries(db, actor, ids, options)
            contents = [found[cid] for cid in ids]
            del found
            register_fonts()
            bare(contents[0])  # fonts and ReportLab's caches warm, as in a worker
            half = len(contents) // 2
            bare_seconds, bare_cpu = _lay_out(bare, contents[:half])
            context = UiContext(db=db, actor=actor, notifier=ChangeNotifier(), settings=Settings())
            gaps: list[float] = []
            last = [time.perf_counter()]

            def tick() -> None:
                now = time.perf_counter()
                gaps.append((now - last[0]) * 1000)
                last[0] = now

            timer = QTimer()
            timer.setInterval(TICK_MS)
            timer.timeout.connect(tick)
            timer.start()
            cpu_before = _cpu_seconds()
            own_before = time.process_time()
            start = time.perf_counter()
            report: BatchReport | None = run_batch_export(
                None, context, ids, work / "out", options, kind="summary"
            )
            seconds = time.perf_counter() - start
            # The worker processes have ended: their CPU time is counted as the children's.
            batch_cpu = _cpu_seconds() - cpu_before
            own_cpu = time.process_time() - own_before
            timer.stop()
            timer.timeout.disconnect(tick)
            del timer
            app.processEvents()
            more_seconds, more_cpu = _lay_out(bare, contents[half:])
            bare_seconds += more_seconds
            bare_cpu += more_cpu
            del contents
            floor = bare_seconds / cores
        finally:
            db.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    assert report is not None
    # The first tick measures the set-up before the loop ran; the timer's own period is not
    # a stall.
    stall = max(gaps[1:], default=0.0)
    ratio = seconds / floor
    cpu_ratio = batch_cpu / bare_cpu
    print(
        f"{len(report.written)} PDFs written, {len(report.failures)} failed in {seconds:.1f} s "
        f"on {cores} worker processes"
    )
    print(
        f"floor: {COUNT} bare ReportLab summaries {bare_seconds:.1f} s on one core, "
        f"{floor:.1f} s over {cores}; ratio {ratio:.2f} (target {TARGET_RATIO})"
    )
    print(
        f"CPU: batch {batch_cpu:.1f} s (workers and this process), floor {bare_cpu:.1f} s; "
        f"ratio {cpu_ratio:.2f}"
    )
    print(f"longest GUI stall: {stall:.1f} ms over {len(gaps)} ticks (target {TARGET_STALL_MS})")
    figures = {
        "ratio_to_floor": round(ratio, 3),
        "seconds_for_500": round(seconds, 2),
        "floor_seconds": round(floor, 2),
        "bare_seconds_one_core": round(bare_seconds, 2),
        "cores": cores,
        "cpu_ratio_to_floor": round(cpu_ratio, 3),
        "batch_cpu_seconds": round(batch_cpu, 2),
        "bare_cpu_seconds": round(bare_cpu, 2),
        "gui_process_cpu_seconds": round(own_cpu, 2),
        "max_gui_stall_ms": round(stall, 1),
        "written": len(report.written),
        "failed": len(report.failures),
    }
    targets = {
        "ratio_to_floor": TARGET_RATIO,
        "seconds_for_500": TARGET_SECONDS,
        "max_gui_stall_ms": TARGET_STALL_MS,
    }
    passed = (
        ratio <= TARGET_RATIO
        and seconds <= TARGET_SECONDS
        and stall <= TARGET_STALL_MS
        and len(report.written) == len(ids) == COUNT
    )
    print(
        json.dumps(
            {"benchmark": "pdf_batch", "figures": figures, "targets": targets, "pass": passed}
        )
    )
    return 0


def _cpu_seconds() -> float:
    """User and system CPU seconds of this process and of its ended child processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _lay_out(bare: Any, contents: list[Any]) -> tuple[float, float]:
    """Wall and CPU seconds of laying out ``contents`` with bare ReportLab."""
    cpu = time.process_time()
    start = time.perf_counter()
    for content in contents:
        bare(content)
    return time.perf_counter() - start, time.process_time() - cpu


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    # PySide6 can crash while tearing Qt down at interpreter exit; the figures are printed.
    os._exit(code)
