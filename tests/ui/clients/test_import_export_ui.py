"""Import and export from the GUI: check first, then import with progress; export writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from clientworld import World, pnr
from office import Office
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from hemlos_desktop.services.clients import ClientQuery, search_ids
from hemlos_desktop.settings import Settings
from hemlos_desktop.ui.change_notifier import ChangeNotifier
from hemlos_desktop.ui.clients import import_export
from hemlos_desktop.ui.context import UiContext


@pytest.fixture
def context(world: World, qtbot: QtBot) -> UiContext:
    return UiContext(
        db=world.db, actor=world.actors["admin"], notifier=ChangeNotifier(), settings=Settings()
    )


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Collect the texts of information boxes instead of blocking on them."""
    texts: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", lambda parent, title, text, *a: texts.append(text)
    )
    return texts


def test_import_checks_then_imports_and_notifies(
    context: UiContext,
    qtbot: QtBot,
    tmp_path: Path,
    shown: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        f"personnummer;förnamn;efternamn;kön\n{pnr(dt.date(1985, 3, 12))};Anna;Berg;kvinna\n",
        encoding="utf-8",
    )
    seen: list[str] = []

    def fake_exec(dialog: QDialog) -> int:
        seen.append(dialog.findChildren(import_export.QLabel)[0].text())
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(import_export.ImportReportDialog, "exec", fake_exec)
    parent = QWidget()
    qtbot.addWidget(parent)
    with qtbot.waitSignal(context.notifier.sig_changed):
        report = import_export.import_clients_interactive(parent, context, path)
    assert report is not None and report.imported == 1
    assert "1 client will be imported" in seen[0]
    assert shown == ["1 client imported."]
    assert search_ids(context.db, context.actor, ClientQuery(text="berg"))


def test_bad_file_imports_nothing_and_lists_lines(
    context: UiContext, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id_number;first_name;last_name;gender\n123;A;;x\n", encoding="utf-8")
    texts: list[str] = []

    def fake_exec(dialog: QDialog) -> int:
        texts.append(dialog.findChildren(import_export.QPlainTextEdit)[0].toPlainText())
        return QDialog.DialogCode.Rejected.value

    monkeypatch.setattr(import_export.ImportReportDialog, "exec", fake_exec)
    report = import_export.import_clients_interactive(QWidget(), context, path)
    assert report is not None and report.problems
    assert "line 2: id_number:" in texts[0]
    assert search_ids(context.db, context.actor, ClientQuery()) == []


def test_export_writes_the_file(
    context: UiContext, world: World, qtbot: QtBot, tmp_path: Path, shown: list[str]
) -> None:
    world.add("Anna", "Söderström", number=pnr(dt.date(1985, 3, 12)))
    path = tmp_path / "out.xlsx"
    assert import_export.export_clients_interactive(QWidget(), context, path, lang="sv") == 1
    assert path.exists() and shown == ["1 client exported."]


def test_the_check_before_an_import_runs_in_the_background_with_progress(
    office: Office, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Signed in as the team lead through the real dialog on the encrypted database: the check
    of a big file runs off the GUI thread (the window keeps processing events, the progress
    dialog follows the rows) and its result arrives through the operation runner."""
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QFileDialog, QProgressDialog

    from hemlos_desktop.services import client_io

    rows = 4 * client_io.BATCH_ROWS + 10
    path = tmp_path / "big.csv"
    path.write_text(
        "personnummer;förnamn;efternamn;kön\n"
        + "".join(
            f"{pnr(dt.date(1950, 1, 1) + dt.timedelta(days=n // 900), f'{n % 900 + 100:03d}')};"
            f"Förnamn{n};Efternamn{n};kvinna\n"
            for n in range(rows)
        ),
        encoding="utf-8",
    )
    window = office.sign_in("lead")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    checked_on: list[bool] = []
    original = client_io.import_clients

    def watched(*args: object, **kwargs: object) -> object:
        checked_on.append(threading.current_thread() is threading.main_thread())
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(import_export.client_io, "import_clients", watched)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1))
    progress_seen: list[tuple[int, int]] = []
    original_set_value = QProgressDialog.setValue

    def set_value(dialog: QProgressDialog, value: int) -> None:
        progress_seen.append((value, dialog.maximum()))
        original_set_value(dialog, value)

    monkeypatch.setattr(QProgressDialog, "setValue", set_value)
    reports: list[tuple[str, int]] = []

    def fake_exec(dialog: QDialog) -> int:
        reports.append((dialog.findChildren(import_export.QLabel)[0].text(), len(ticks)))
        return QDialog.DialogCode.Rejected.value

    monkeypatch.setattr(import_export.ImportReportDialog, "exec", fake_exec)
    before = search_ids(window.context.db, window.context.actor, ClientQuery())
    action = window.findChild(QAction, "actionImportClients")
    assert action is not None and action.isEnabled()
    timer.start()
    action.trigger()
    timer.stop()
    assert checked_on == [False]  # the check ran on a worker thread
    assert reports and f"{rows} clients will be imported" in reports[0][0]
    assert reports[0][1] > 0  # the event loop ran while the file was checked
    assert (rows, rows) in progress_seen  # the progress dialog followed the rows to the end
    assert any(0 < done < total for done, total in progress_seen)
    # Declined after the check: nothing was imported.
    assert search_ids(window.context.db, window.context.actor, ClientQuery()) == before
