"""The housing timeline: periods, patterns per code, keyboard focus, tooltips, scaling."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QFontMetrics
from pytestqt.qtbot import QtBot

from hemlos_desktop import i18n
from hemlos_desktop.services.housing import HousingPeriodInfo
from hemlos_desktop.ui.clients.timeline import (
    CODE_COLOURS,
    CODE_PATTERNS,
    HousingTimelineWidget,
    period_text,
)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

TODAY = dt.date(2026, 11, 2)
PERIODS = [
    HousingPeriodInfo(1, 1, dt.date(2023, 3, 1), dt.date(2024, 2, 28), "Stockholm", ""),
    HousingPeriodInfo(2, 3, dt.date(2024, 3, 1), dt.date(2025, 5, 31), "", ""),
    HousingPeriodInfo(3, 5, dt.date(2025, 6, 1), None, "Malmö", ""),
]


@pytest.fixture
def timeline(qtbot: QtBot) -> HousingTimelineWidget:
    widget = HousingTimelineWidget(today=TODAY)
    qtbot.addWidget(widget)
    widget.resize(800, widget.sizeHint().height())
    widget.set_periods(list(reversed(PERIODS)))
    return widget


def test_every_code_has_its_own_colour_and_pattern() -> None:
    assert len(set(CODE_COLOURS.values())) == 6
    assert len(set(CODE_PATTERNS.values())) == 6


def test_periods_sorted_and_last_focused(timeline: HousingTimelineWidget) -> None:
    assert [p.id for p in timeline.periods()] == [1, 2, 3]
    focused = timeline.focused_period()
    assert focused is not None and focused.id == 3
    assert timeline.accessibleDescription() == period_text(PERIODS[2])


def test_left_right_move_focus_and_description(
    qtbot: QtBot, timeline: HousingTimelineWidget
) -> None:
    with qtbot.waitSignal(timeline.sig_focused_period_changed) as blocker:
        qtbot.keyClick(timeline, Qt.Key.Key_Left)
    assert blocker.args == [2]
    assert "Training flat" in timeline.accessibleDescription()
    qtbot.keyClick(timeline, Qt.Key.Key_Left)
    qtbot.keyClick(timeline, Qt.Key.Key_Left)  # stays on the first
    focused = timeline.focused_period()
    assert focused is not None and focused.id == 1
    assert "Stockholm" in timeline.accessibleDescription()
    qtbot.keyClick(timeline, Qt.Key.Key_End)
    focused = timeline.focused_period()
    assert focused is not None and focused.id == 3
    assert "ongoing" in timeline.accessibleDescription()
    with qtbot.waitSignal(timeline.sig_period_activated) as blocker:
        qtbot.keyClick(timeline, Qt.Key.Key_Return)
    assert blocker.args == [3]


def test_tooltip_per_period(timeline: HousingTimelineWidget) -> None:
    band = timeline._band_rect()
    y = band.center().y()
    texts = {timeline.tooltip_at(QPoint(x, y)) for x in range(0, timeline.width(), 5)}
    assert {period_text(p) for p in PERIODS} <= texts
    assert timeline.tooltip_at(QPoint(2, 2)) == ""


def test_click_focuses_period(qtbot: QtBot, timeline: HousingTimelineWidget) -> None:
    band = timeline._band_rect()
    x = next(
        x
        for x in range(timeline.width())
        if timeline.tooltip_at(QPoint(x, band.center().y())) == period_text(PERIODS[0])
    )
    qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(x + 2, band.center().y()))
    focused = timeline.focused_period()
    assert focused is not None and focused.id == 1


def test_paints_with_month_names_in_each_language(timeline: HousingTimelineWidget) -> None:
    for language in ("sv", "da", "en"):
        i18n.set_language(language)
        timeline.retranslate_ui()
        image = timeline.grab().toImage()
        assert not image.isNull()
        colours = {
            image.pixelColor(x, timeline._band_rect().center().y() - 3).name()
            for x in range(0, timeline.width(), 3)
        }
        assert "#009e73" in colours  # code 5 is drawn


def test_empty_timeline(qtbot: QtBot) -> None:
    widget = HousingTimelineWidget(today=TODAY)
    qtbot.addWidget(widget)
    widget.set_periods([])
    assert widget.focused_period() is None
    assert widget.accessibleDescription() == "No housing periods recorded."
    assert not widget.grab().isNull()


def test_scales_with_the_font(qtbot: QtBot) -> None:
    small = HousingTimelineWidget(today=TODAY)
    big = HousingTimelineWidget(today=TODAY)
    qtbot.addWidget(small)
    qtbot.addWidget(big)
    font = QFont(small.font())
    font.setPointSizeF(font.pointSizeF() * 1.5)
    big.setFont(font)
    assert big.sizeHint().height() > small.sizeHint().height() * 1.3


@pytest.mark.parametrize("width", [420, 800, 1040])
@pytest.mark.parametrize("point_size", [9, 14])
def test_the_last_year_label_is_never_cut_off(qtbot: QtBot, width: int, point_size: int) -> None:
    """The January tick of the last year lies just inside the right edge (today is late in
    December): its year is drawn whole, moved left, not cut to "2"."""
    widget = HousingTimelineWidget(today=dt.date(2026, 12, 28))
    qtbot.addWidget(widget)
    font = QFont(widget.font())
    font.setPointSize(point_size)
    widget.setFont(font)
    widget.resize(width, widget.sizeHint().height())
    widget.set_periods(PERIODS)
    bold = QFont(font)
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    labels = widget.year_labels()
    assert labels[-1][1] == "2027"
    for left, text in labels:
        assert 0 <= left and left + metrics.horizontalAdvance(text) <= widget.width()
    widget.grab()  # paints without a warning
