"""The coding form: keyboard-only coding, live qualification, validation next to fields."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hemlos_desktop import i18n
from hemlos_desktop.models.assessment_rules import AreaRating, RatingDraft
from hemlos_desktop.models.instrument import SODERMALM_ID, Instrument, shipped_instrument
from hemlos_desktop.ui.assessments.rating_form import RatingForm

# The offscreen platform plugin warns when a top-level window is shown; that is not our bug.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

TODAY = dt.date(2026, 11, 24)
KEYS = ("housing", "income", "substance_use", "daily_living", "occupation")


@pytest.fixture
def inst() -> Instrument:
    return shipped_instrument(SODERMALM_ID)


@pytest.fixture
def form(qtbot: QtBot, inst: Instrument) -> RatingForm:
    widget = RatingForm(instrument=inst, today=TODAY, birth_date=dt.date(1990, 5, 1))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_full_rating_by_keyboard(qtbot: QtBot, form: RatingForm) -> None:
    drafts: list[RatingDraft] = []
    form.sig_rating_changed.connect(drafts.append)
    form.focus_area("housing")
    started = time.monotonic()
    for digit in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_2, Qt.Key.Key_1, Qt.Key.Key_2):
        qtbot.keyClick(QApplication.focusWidget(), digit)
    elapsed = time.monotonic() - started
    draft = form.draft()
    assert draft.levels() == dict(zip(KEYS, (1, 2, 2, 1, 2), strict=True))
    assert drafts[-1] == draft
    assert form.qualification.text() == "Qualifies: every area is 2 or lower"
    assert form.validate()
    assert draft.rated_on == TODAY and draft.client_took_part
    assert draft.instrument_id == SODERMALM_ID and draft.instrument_version == 2
    assert elapsed < 5


def test_arrows_move_and_step(qtbot: QtBot, form: RatingForm) -> None:
    form.focus_area("housing")
    housing = form.rows["housing"].selector
    assert QApplication.focusWidget() is housing
    qtbot.keyClick(housing, Qt.Key.Key_Right)
    qtbot.keyClick(housing, Qt.Key.Key_Right)
    assert housing.level() == 2
    qtbot.keyClick(housing, Qt.Key.Key_Left)
    assert housing.level() == 1
    qtbot.keyClick(housing, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is form.rows["income"].selector
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Up)
    assert QApplication.focusWidget() is housing
    qtbot.keyClick(housing, Qt.Key.Key_Delete)
    assert housing.level() is None
    # Tab walks through the area's own fields (enabled ones) to the next area
    qtbot.keyClick(housing, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.rows["housing"].not_assessed
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.rows["housing"].comment
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.rows["income"].selector


def test_mouse_and_description(qtbot: QtBot, form: RatingForm) -> None:
    row = form.rows["housing"]
    qtbot.mouseClick(row.selector.buttons[3], Qt.MouseButton.LeftButton)
    assert row.selector.level() == 3
    assert "Training flat" in row.description.text()
    assert "Training flat" in row.selector.accessibleDescription()
    qtbot.mouseClick(row.selector.buttons[3], Qt.MouseButton.LeftButton)
    assert row.selector.level() is None


def test_not_assessed_needs_reason(qtbot: QtBot, form: RatingForm) -> None:
    for key in KEYS[:4]:
        form.rows[key].selector.set_level(1)
    assert form.qualification.text() == "Cannot be decided: Occupation was not assessed"
    occupation = form.rows["occupation"]
    qtbot.keyClick(occupation.not_assessed, Qt.Key.Key_Space)
    assert occupation.not_assessed.isChecked() and occupation.reason.isEnabled()
    assert QApplication.focusWidget() is occupation.reason
    assert not form.validate()
    assert occupation.error.isVisible()
    assert "reason" in occupation.error.text()
    qtbot.keyClicks(occupation.reason, "Client did not want to")
    assert form.validate()
    assert not occupation.error.isVisible()
    rating = form.draft().area("occupation")
    assert rating == AreaRating("occupation", None, "", "Client did not want to")
    # choosing a level again undoes "not assessed" but keeps the typed reason in the field
    occupation.selector.set_level(4)
    assert not occupation.not_assessed.isChecked()
    assert occupation.reason.text() == "Client did not want to"
    assert form.qualification.text() == "Does not qualify: Occupation is 4"


def test_date_errors_keep_input(qtbot: QtBot, form: RatingForm) -> None:
    form.rows["housing"].comment.setText("Sleeps at the central station")
    form.date_edit.setDate(TODAY + dt.timedelta(days=3))
    assert form.date_error.isVisible()
    assert form.date_error.text() == "The rating date cannot be in the future."
    form.date_edit.setDate(dt.date(1980, 1, 1))
    assert "birth date" in form.date_error.text()
    assert form.rows["housing"].comment.text() == "Sleeps at the central station"
    assert form.draft().area("housing").comment == "Sleeps at the central station"


def test_closed_case_and_closed_code(qtbot: QtBot, inst: Instrument) -> None:
    closed = RatingForm(instrument=inst, today=TODAY, case_closed=True)
    qtbot.addWidget(closed)
    closed.show()
    assert closed.case_error.isVisible()
    assert "closed" in closed.case_error.text()
    closed.rows["housing"].selector.set_level(6)
    # A 6 closes the housing area only: the other areas still decide.
    assert closed.qualification.text() == (
        "Cannot be decided: Income, Substance use, Daily living and Occupation were not "
        "assessed (Housing is closed and does not count)"
    )
    assert len(closed.case_error.text().splitlines()) == 1


def test_the_rule_is_shown_where_the_rating_is_coded(qtbot: QtBot, inst: Instrument) -> None:
    form = RatingForm(instrument=inst, today=TODAY)
    qtbot.addWidget(form)
    form.show()
    assert form.rule.isVisible()
    assert form.rule.text().startswith("Target-group rule: a client rated 2 or lower")
    assert "6 closes that area only" in form.rule.text()
    form.set_previous({"housing": 2, "income": 2, "substance_use": 1, "daily_living": 2})
    for key, level in (
        ("housing", 4),
        ("income", 2),
        ("substance_use", 6),
        ("daily_living", 2),
        ("occupation", 1),
    ):
        form.rows[key].selector.set_level(level)
    text = form.qualification.text()
    assert text.startswith("Progress since the previous rating: Housing from 2 to 4.")
    assert "Substance use is closed" in text and "yet" not in text
    assert form.check().ok  # a 6 in one area is a valid rating


def test_set_draft_roundtrip(qtbot: QtBot, form: RatingForm) -> None:
    draft = RatingDraft(
        SODERMALM_ID,
        2,
        dt.date(2026, 3, 4),
        False,
        (
            AreaRating("housing", 2, "with a friend"),
            AreaRating("income", 1),
            AreaRating("substance_use", None, "", "Not discussed today"),
            AreaRating("daily_living", 3),
            AreaRating("occupation", 2),
        ),
    )
    form.set_draft(draft)
    assert form.draft() == draft
    assert form.rows["substance_use"].reason.isEnabled()


def test_retranslate(qtbot: QtBot, form: RatingForm) -> None:
    for key in KEYS:
        form.rows[key].selector.set_level(1)
    i18n.set_language("da")
    form.retranslate_ui()
    assert form.rows["housing"].name.text() == "Bolig"
    assert form.qualification.text().startswith("Opfylder målgruppekriteriet")
    assert form.rows["housing"].selector.accessibleName() != "Level for Housing"
    i18n.set_language("sv")
    form.retranslate_ui()
    assert form.rows["income"].name.text() == "Försörjning"
