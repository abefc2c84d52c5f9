"""The access log read by a Danish team lead: times in local time and the Danish format."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from babel.dates import format_datetime
from office import Office
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from hemlos_desktop.services import audit
from hemlos_desktop.ui.admin.audit_viewer import AuditViewer
from hemlos_desktop.ui.widgets.dates import local_time

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def copenhagen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/Copenhagen")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_access_log_shows_local_time_in_the_locales_format(
    qtbot: QtBot, office: Office, copenhagen: None
) -> None:
    window = office.sign_in("lead", language="da")
    viewer = AuditViewer(context=window.context, parent=window)
    qtbot.addWidget(viewer)
    viewer.search()
    assert viewer.model.rowCount() > 0
    newest = audit.list_entries(window.context.db, window.context.actor, viewer.query())[0]
    shown = viewer.model.index(0, 0).data()
    local = local_time(newest.at)
    assert local.utcoffset() is not None and local.utcoffset().total_seconds() > 0
    assert shown == format_datetime(local.replace(tzinfo=None), "medium", locale="da")
    assert newest.at.strftime("%H:%M") not in shown  # not the stored UTC time
    assert viewer.model.headerData(0, Qt.Orientation.Horizontal) == "Tidspunkt"
