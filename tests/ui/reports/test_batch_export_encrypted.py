"""Batch export on an encrypted database, signed in as a caseworker through the sign-in dialog."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from hemlos_desktop.models.client import Gender
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.models.people import Role
from hemlos_desktop.services.accounts import add_account
from hemlos_desktop.services.batch_export import WORKERS
from hemlos_desktop.services.clients import register_client
from hemlos_desktop.services.session import SignedIn, open_with_key
from hemlos_desktop.services.setup import create_administrator
from hemlos_desktop.services.users import create_team
from hemlos_desktop.settings import Settings
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import TEST_PARAMS
from hemlos_desktop.ui.change_notifier import ChangeNotifier
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.login import LoginDialog
from hemlos_desktop.ui.reports import batch_dialog

pytestmark = pytest.mark.usefixtures("fast_kdf")


@pytest.fixture
def caseworker(tmp_path: Path, qtbot: QtBot) -> Iterator[tuple[SignedIn, list[int]]]:
    """An encrypted database set up by an administrator, a caseworker of "Team A" with two
    clients, and the caseworker signed in through the sign-in dialog."""
    location = DataLocation(tmp_path / "enc")
    admin = create_administrator(
        location, username="anna", display_name="Anna Admin", password="pw", params=TEST_PARAMS
    ).signed_in
    with admin.db.begin() as s:
        team = create_team(s, "Team A").id
    add_account(
        admin.db,
        admin.actor,
        admin.data_key,
        username="wilma",
        display_name="Wilma Berg",
        role=Role.CASEWORKER,
        team_ids=[team],
        password="Wilma-läser-journalen-7",
    )
    admin.db.dispose()
    dialog = LoginDialog(location=location, params=TEST_PARAMS)
    qtbot.addWidget(dialog)
    dialog.user_edit.setText("wilma")
    dialog.password_edit.setText("Wilma-läser-journalen-7")
    with qtbot.waitSignal(dialog.sig_unlocked):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    signed_in = open_with_key(location, dialog.username, dialog.data_key)
    ids = [
        register_client(
            signed_in.db,
            signed_in.actor,
            ClientInput(
                id_kind=IdKind.NONE,
                id_text="",
                first_name=first,
                last_name="Lind",
                gender=Gender.WOMAN,
                team_id=team,
                responsible_user_id=signed_in.actor.user_id,
            ),
        ).value
        for first in ("Åsa", "Bo")
    ]
    yield signed_in, ids
    signed_in.db.dispose()


@pytest.mark.slow
def test_batch_export_of_a_team_works_on_an_encrypted_database(
    caseworker: tuple[SignedIn, list[int]],
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signed_in, ids = caseworker
    assert signed_in.data_key is not None and signed_in.actor.role is Role.CASEWORKER
    context = UiContext(
        db=signed_in.db,
        actor=signed_in.actor,
        notifier=ChangeNotifier(),
        settings=Settings(),
    )
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: shown.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    out = tmp_path / "out"
    before = _worker_pids()
    while_open: set[int] = set()

    def choose_team_and_folder(dialog: batch_dialog.BatchExportDialog) -> int:
        # The worker processes start as the dialog opens, while the user chooses.
        while_open.update(_worker_pids() - before)
        dialog.team_radio.setChecked(True)
        dialog.folder_edit.setText(str(out))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(batch_dialog.BatchExportDialog, "exec", choose_team_and_folder)
    parent = QWidget()
    qtbot.addWidget(parent)
    report = batch_dialog.open_batch_export(parent, context, [])
    assert report is not None
    assert report.failures == ()
    assert sorted(p.name for p in out.iterdir()) == sorted(f"summary-{i}-en.pdf" for i in ids)
    assert all(p.read_bytes().startswith(b"%PDF") for p in out.iterdir())
    assert "2 PDFs written" in shown[0]
    assert len(while_open) == WORKERS
    # The batch ran on them (no other process was started) and they end after it.
    qtbot.waitUntil(lambda: not (_worker_pids() - before), timeout=10_000)


def _worker_pids() -> set[int]:
    return {p.pid for p in multiprocessing.active_children() if p.pid is not None}


@pytest.mark.slow
def test_closing_the_batch_dialog_ends_its_worker_processes(
    caseworker: tuple[SignedIn, list[int]],
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signed_in, _ids = caseworker
    context = UiContext(
        db=signed_in.db, actor=signed_in.actor, notifier=ChangeNotifier(), settings=Settings()
    )
    before = _worker_pids()
    while_open: set[int] = set()

    def cancel(dialog: batch_dialog.BatchExportDialog) -> int:
        while_open.update(_worker_pids() - before)
        return QDialog.DialogCode.Rejected.value

    monkeypatch.setattr(batch_dialog.BatchExportDialog, "exec", cancel)
    parent = QWidget()
    qtbot.addWidget(parent)
    assert batch_dialog.open_batch_export(parent, context, []) is None
    assert len(while_open) == WORKERS
    qtbot.waitUntil(lambda: not (_worker_pids() - before), timeout=10_000)


@pytest.mark.slow
def test_the_batch_runs_when_its_workers_could_not_be_started_ahead(
    caseworker: tuple[SignedIn, list[int]],
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signed_in, ids = caseworker
    context = UiContext(
        db=signed_in.db, actor=signed_in.actor, notifier=ChangeNotifier(), settings=Settings()
    )

    def no_processes(*_args: object, **_kw: object) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(batch_dialog, "start_workers", no_processes)
    monkeypatch.setattr(QMessageBox, "information", lambda *_a: None)
    out = tmp_path / "out"

    def choose_folder(dialog: batch_dialog.BatchExportDialog) -> int:
        dialog.folder_edit.setText(str(out))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(batch_dialog.BatchExportDialog, "exec", choose_folder)
    parent = QWidget()
    qtbot.addWidget(parent)
    report = batch_dialog.open_batch_export(parent, context, ids)
    assert report is not None and report.failures == ()
    assert sorted(p.name for p in out.iterdir()) == sorted(f"summary-{i}-en.pdf" for i in ids)
