"""Typing a date into an empty optional date field, as a keyboard user does after Tab."""

from __future__ import annotations

import datetime as dt

import pytest
from pytestqt.qtbot import QtBot

from hemlos_desktop import i18n
from hemlos_desktop.ui.widgets.optional_date_edit import OptionalDateEdit

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.mark.parametrize(
    ("language", "typed"),
    [("sv", "19850312"), ("sv", "1985-03-12"), ("da", "12031985"), ("da", "12.03.1985")],
)
def test_typing_into_the_empty_field_gives_the_typed_date(
    qtbot: QtBot, language: str, typed: str
) -> None:
    i18n.set_language(language)
    edit = OptionalDateEdit()
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    assert edit.date_value() is None
    qtbot.keyClicks(edit, typed)
    assert edit.date_value() == dt.date(1985, 3, 12)
