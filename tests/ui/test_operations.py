"""The operation runner and the change notifier: errors routed, change sets published with their
initiator, views refreshed once and only for their own kinds — on a real, encrypted database
signed into through the real dialog."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from hemlos_desktop.errors import DiskFullError, HemlosError
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.models.validation import FieldError, ValidationFailed
from hemlos_desktop.services import journal as journal_service
from hemlos_desktop.services import plans as plans_service
from hemlos_desktop.services.changes import NO_CHANGES, ChangeKind, ChangeSet, Outcome
from hemlos_desktop.services.clients import register_client
from hemlos_desktop.services.session import SignedIn
from hemlos_desktop.settings import Settings
from hemlos_desktop.ui import operations
from hemlos_desktop.ui.change_notifier import ChangeNotifier
from hemlos_desktop.ui.clients.case_overview import CaseOverviewWidget
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.main_window import MainWindow
from hemlos_desktop.ui.operations import Progress, run_long_operation, run_operation, run_query
from hemlos_desktop.ui.plans import PlansPage
from hemlos_desktop.ui.plans import page as plans_page
from hemlos_desktop.ui.plans.dialogs import AgreeDialog, NewPlanDialog

pytestmark = [pytest.mark.usefixtures("fast_kdf"), pytest.mark.qt_log_ignore("propagateSizeHints")]


# -- the runner and the notifier on their own -------------------------------------------------


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[HemlosError]:
    errors: list[HemlosError] = []
    monkeypatch.setattr(operations, "show_error", lambda _parent, error: errors.append(error))
    return errors


@pytest.fixture
def plain_ctx(signed_in: SignedIn) -> UiContext:
    return UiContext(
        db=signed_in.db, actor=signed_in.actor, notifier=ChangeNotifier(), settings=Settings()
    )


def test_success_publishes_the_change_set_with_its_initiator(
    qtbot: QtBot, plain_ctx: UiContext
) -> None:
    view = QWidget()
    qtbot.addWidget(view)
    changes = ChangeSet.of(ChangeKind.JOURNAL, 7)
    with qtbot.waitSignal(plain_ctx.notifier.sig_changed) as published:
        outcome = run_operation(view, plain_ctx, lambda: Outcome(42, changes))
    assert outcome == Outcome(42, changes)
    assert published.args == [changes, view]


def test_field_errors_go_to_the_form_and_known_errors_to_one_message(
    qtbot: QtBot, plain_ctx: UiContext, shown: list[HemlosError]
) -> None:
    fields: list[list[FieldError]] = []
    published: list[object] = []
    plain_ctx.notifier.sig_changed.connect(lambda *args: published.append(args))
    errors = [FieldError("text", "Write the note.")]

    def refuse() -> Outcome[None]:
        raise ValidationFailed(errors)

    assert run_operation(None, plain_ctx, refuse, field_errors=fields.append) is None
    assert fields == [errors] and shown == []

    def disk_full() -> Outcome[None]:
        raise DiskFullError("test")

    assert run_operation(None, plain_ctx, disk_full, field_errors=fields.append) is None
    assert len(shown) == 1 and isinstance(shown[0], DiskFullError)
    # Without a form, a validation failure is a message too.
    assert run_operation(None, plain_ctx, refuse) is None
    assert len(shown) == 2 and published == []


def test_os_errors_are_classified_and_bugs_are_not_swallowed(
    plain_ctx: UiContext, shown: list[HemlosError]
) -> None:
    def read_only() -> Outcome[None]:
        raise PermissionError(13, "denied")

    assert run_operation(None, plain_ctx, read_only) is None
    assert [type(e).__name__ for e in shown] == ["ReadOnlyStorageError"]

    def bug() -> Outcome[None]:
        raise KeyError("bug")

    with pytest.raises(KeyError):
        run_operation(None, plain_ctx, bug)
    with pytest.raises(KeyError):
        run_query(None, lambda: {}["missing"])


def test_long_operation_runs_in_a_worker_and_publishes(qtbot: QtBot, plain_ctx: UiContext) -> None:
    import threading

    gui = threading.get_ident()
    changes = ChangeSet.all()

    def work(progress: Callable[[int, int], None], _cancelled: Callable[[], bool]) -> Outcome[int]:
        progress(1, 1)
        return Outcome(threading.get_ident(), changes)

    with qtbot.waitSignal(plain_ctx.notifier.sig_changed):
        outcome = run_long_operation(None, plain_ctx, Progress("t", "l"), work)
    assert outcome is not None and outcome.value != gui


def test_views_hear_only_their_kinds_and_not_their_own_actions(
    qtbot: QtBot, plain_ctx: UiContext
) -> None:
    notifier = plain_ctx.notifier
    journal_view, header_view = QWidget(), QWidget()
    qtbot.addWidget(journal_view)
    qtbot.addWidget(header_view)
    heard: dict[str, list[ChangeSet]] = {"journal": [], "header": []}
    notifier.subscribe(journal_view, ChangeKind.JOURNAL, heard["journal"].append)
    notifier.subscribe(header_view, {ChangeKind.HEADER}, heard["header"].append)

    signed = ChangeSet.of(ChangeKind.JOURNAL, 1)
    notifier.publish(signed, journal_view)  # its own action: not delivered to it
    notifier.publish(signed, header_view)
    notifier.publish(NO_CHANGES, None)  # nothing changed: nothing sent
    notifier.publish(ChangeSet.all(), None)
    assert heard["journal"] == [signed, ChangeSet.all()]
    assert heard["header"] == [ChangeSet.all()]


def test_a_destroyed_view_is_no_longer_called(qtbot: QtBot, plain_ctx: UiContext) -> None:
    heard: list[ChangeSet] = []
    view = QWidget()
    plain_ctx.notifier.subscribe(view, ChangeKind.PLAN, heard.append)
    view.deleteLater()
    qtbot.wait(10)
    plain_ctx.notifier.publish(ChangeSet.of(ChangeKind.PLAN, 1))
    assert heard == []


def test_change_set_touches() -> None:
    changes = ChangeSet.of({ChangeKind.PLAN, ChangeKind.DUE}, 3)
    assert changes.touches(ChangeKind.PLAN, 3) and changes.touches(ChangeKind.DUE)
    assert not changes.touches(ChangeKind.PLAN, 4)
    assert not changes.touches(ChangeKind.JOURNAL, 3)
    assert ChangeSet.of(ChangeKind.USERS).touches(ChangeKind.USERS, 3)  # not client-bound
    assert (changes | ChangeSet.of(ChangeKind.JOURNAL, 4)).client_ids == {3, 4}


# -- refresh costs, in the real window, signed in through the real dialog ---------------------


class Counter:
    """Counts the calls of a real service function (the function still runs)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> None:
        self.calls = 0
        real = getattr(module, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)


def _client(signed_in: SignedIn) -> int:
    data = ClientInput(IdKind.PERSONNUMMER, "19121212-1212", first_name="Karin", last_name="Berg")
    return register_client(signed_in.db, signed_in.actor, data).value


def test_signing_a_journal_entry_reloads_the_journal_list_once(
    qtbot: QtBot, window: MainWindow, signed_in: SignedIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    client_id = _client(signed_in)
    window.show_area("clients")
    # Open the plans page too, so every subscriber of the window is there.
    window.show_area("plans")
    window.show_area("clients")
    window.pages["clients"].open_client(client_id)
    [case] = window.findChildren(CaseOverviewWidget)
    journal = case.journal
    qtbot.keyClicks(journal.editor, "Met at the drop-in.")
    assert journal.save_now()
    loads = Counter(monkeypatch, journal_service, "list_entries")
    assert journal.sign(confirm=False)
    assert loads.calls == 1
    assert [e.text for e in journal.entries()] == ["Met at the drop-in."]


def test_agreeing_a_plan_reloads_the_plans_page_once(
    qtbot: QtBot,
    signed_in: SignedIn,
    monkeypatch: pytest.MonkeyPatch,
    shown: list[HemlosError],
) -> None:
    monkeypatch.setattr(plans_page, "show_error", lambda _parent, error: shown.append(error))
    monkeypatch.setattr(operations, "show_error", lambda _parent, error: shown.append(error))
    ctx = UiContext(
        db=signed_in.db, actor=signed_in.actor, notifier=ChangeNotifier(), settings=Settings()
    )
    client_id = _client(signed_in)
    page = PlansPage(context=ctx, today=dt.date(2026, 11, 2))
    qtbot.addWidget(page)

    def accept(dialog: QDialog) -> bool:
        if isinstance(dialog, AgreeDialog):
            dialog.present_edit.setText("Karin, Alva")
            dialog.agreed_check.setChecked(True)
        elif isinstance(dialog, NewPlanDialog):
            dialog.template_combo.setCurrentIndex(dialog.template_combo.findData("cti"))
        return True

    page.run_dialog = accept  # type: ignore[method-assign]
    page.open_client(client_id)
    page.new_button.click()
    draft = page.shown_version()
    assert draft is not None, shown
    editor, model = page.editor, page.editor.model
    for row in range(model.rowCount()):  # every action needs a responsible person to agree
        goal = model.index(row, 0)
        editor.tree.setCurrentIndex(goal)  # and every goal the client's own words
        editor.text_edit.setPlainText(f"Mitt mål {row + 1}")
        editor.apply_button.click()
        for child in range(model.rowCount(goal)):
            editor.tree.setCurrentIndex(model.index(child, 0, goal))
            kinds = editor.responsible_kind_combo
            kinds.setCurrentIndex(kinds.findData("team_member"))
            users = editor.responsible_user_combo
            users.setCurrentIndex(users.findText("Alva Admin"))
            editor.apply_button.click()
    loads = Counter(monkeypatch, plans_service, "list_versions")
    page.agree_button.click()
    agreed = page.shown_version()
    assert agreed is not None and agreed.state.value == "agreed", shown
    assert loads.calls == 1
