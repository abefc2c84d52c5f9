"""The team server's dialogs in long words (pseudo-locale, Swedish and Danish): nothing cut off;
on a computer that has not joined, only joining is offered and nothing syncs."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from test_pseudo_locale import cut_off_texts

from hemlos_desktop import i18n
from hemlos_desktop.ui.main_window import MainWindow
from hemlos_desktop.ui.sync.conflicts import ConflictsDialog
from hemlos_desktop.ui.sync.join_dialog import JoinDialog

WindowFactory = Callable[..., MainWindow]
SHOTS = os.environ.get("HEMLOS_SYNC_SCREENSHOTS")


@pytest.mark.parametrize("language", ["sv", "da"])
@pytest.mark.parametrize("pseudo", [False, True])
def test_join_and_conflicts_dialogs_fit(
    qtbot: QtBot, make_window: WindowFactory, language: str, pseudo: bool
) -> None:
    i18n.set_pseudo(pseudo)
    window = make_window(language=language)
    controller = window.sync
    assert not controller.timer.isActive()
    assert controller.action_join.isEnabled() and not controller.action_sync.isEnabled()
    assert controller.menu.title() == i18n.gettext("&Team server")
    controller.action_join.trigger()
    join = controller.join_dialog
    assert isinstance(join, JoinDialog)
    qtbot.waitUntil(join.isVisible)
    # An empty address is said in the dialog, next to the form.
    join.url_edit.clear()
    join.buttons.accepted.emit()
    assert join.message_label.text() == i18n.gettext("Enter the team server's address.")
    assert join.url_edit.hasFocus() or not join.isActiveWindow()
    assert cut_off_texts(join) == []
    assert all(edit.accessibleName() for edit in (join.url_edit, join.password_edit))
    if SHOTS:
        join.grab().save(str(Path(SHOTS) / f"join-{language}{'-pseudo' if pseudo else ''}.png"))
    join.reject()
    conflicts = controller.show_conflicts()
    assert isinstance(conflicts, ConflictsDialog)
    qtbot.waitUntil(conflicts.isVisible)
    assert conflicts.conflicts == [] and not conflicts.keep_mine_button.isVisible()
    assert cut_off_texts(conflicts) == []
    if SHOTS:
        conflicts.grab().save(str(Path(SHOTS) / f"conflicts-{language}.png"))
    conflicts.reject()
