"""Import and export from the GUI: check first, then import with progress; export writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from clientworld import World, pnr
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
