"""Kill the program while a journal note is being typed: the draft must be there afterwards.

A child process opens the real case overview offscreen on a temporary database and types into
the journal editor at a steady pace, printing how much it has typed. The parent kills it with
SIGKILL mid-typing and then finds the draft in the database with the text typed up to at most
about 1.5 seconds before the kill.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.services import journal as journal_service
from hemlos_desktop.services.clients import register_client
from hemlos_desktop.services.users import ensure_local_actor
from hemlos_desktop.storage import DataLocation

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

CHILD = r"""
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from hemlos_desktop import i18n
from hemlos_desktop.services.users import ensure_local_actor
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.settings import Settings
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.ui.change_notifier import ChangeNotifier
from hemlos_desktop.ui.clients.case_overview import CaseOverviewWidget
from hemlos_desktop.ui.context import UiContext

i18n.set_language("en")
app = QApplication([])
db = open_workspace(DataLocation(Path(sys.argv[1])))
ctx = UiContext(db=db, actor=ensure_local_actor(db), notifier=ChangeNotifier(),
                settings=Settings())
widget = CaseOverviewWidget(context=ctx, client_id=int(sys.argv[2]))
widget.show()
text = sys.argv[3]
state = {"i": 0}
widget.journal.sig_draft_saved.connect(lambda _id: print("SAVED", flush=True))

def type_one():
    i = state["i"]
    if i >= len(text):
        return
    QTest.keyClicks(widget.journal.editor, text[i])
    state["i"] = i + 1
    print("TYPED", i + 1, flush=True)

timer = QTimer()
timer.timeout.connect(type_one)
timer.start(int(sys.argv[4]))
print("READY", flush=True)
app.exec()
"""


def _words(count: int) -> str:
    return " ".join(f"w{i}" for i in range(count))


@pytest.mark.slow
def test_draft_survives_sigkill_mid_typing(tmp_path: Path) -> None:
    from hemlos_desktop.services.workspace import open_workspace

    location = DataLocation(tmp_path / "crash")
    db = open_workspace(location)
    actor = ensure_local_actor(db)
    client_id = register_client(
        db,
        actor,
        ClientInput(
            id_kind=IdKind.PERSONNUMMER, id_text="19121212-1212", first_name="A", last_name="B"
        ),
    ).value
    db.dispose()
    text = _words(400)
    interval_ms = 15
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1")
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(location.folder), str(client_id), text, str(interval_ms)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    typed_at: list[tuple[float, int]] = []
    saves = 0
    deadline = time.monotonic() + 30
    try:
        for line in child.stdout:
            now = time.monotonic()
            if line.startswith("TYPED"):
                typed_at.append((now, int(line.split()[1])))
            elif line.startswith("SAVED"):
                saves += 1
            # Kill after about 2.5 s of typing, mid-word and mid-pace.
            if typed_at and now - typed_at[0][0] > 2.5:
                break
            assert now < deadline, "the child did not start typing"
        os.kill(child.pid, signal.SIGKILL)
        killed_at = time.monotonic()
    finally:
        child.kill()
        child.wait(10)
    assert child.returncode == -signal.SIGKILL
    assert saves >= 1
    typed_then = max((n for t, n in typed_at if t <= killed_at - 1.5), default=0)
    assert typed_then > 20

    db = open_workspace(location)
    try:
        drafts = journal_service.open_drafts(db, ensure_local_actor(db), client_id)
    finally:
        db.dispose()
    assert len(drafts) == 1
    saved = drafts[0].text
    assert text.startswith(saved)
    assert len(saved) >= typed_then
