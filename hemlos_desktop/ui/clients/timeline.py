"""The housing timeline: a client's housing periods drawn as one band over time.

Each code 1-6 has a colour from a colour-blind-safe palette (Okabe-Ito) and its own hatch
pattern, and the code's digit is drawn inside every period wide enough for it, so the band
stays readable in grey-scale. Left/Right move the keyboard focus between periods; the focused
period's text is the widget's accessible description. Everything is measured in font units so
the drawing scales with the font and QT_SCALE_FACTOR.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_date
from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from hemlos_desktop import i18n
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.client import housing_label
from hemlos_desktop.services.housing import HousingPeriodInfo

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
CODE_COLOURS: dict[int, str] = {
    1: "#D55E00",  # vermillion
    2: "#E69F00",  # orange
    3: "#F0E442",  # yellow
    4: "#56B4E9",  # sky blue
    5: "#009E73",  # bluish green
    6: "#999999",  # grey
}
CODE_PATTERNS: dict[int, Qt.BrushStyle] = {
    1: Qt.BrushStyle.DiagCrossPattern,
    2: Qt.BrushStyle.BDiagPattern,
    3: Qt.BrushStyle.HorPattern,
    4: Qt.BrushStyle.VerPattern,
    5: Qt.BrushStyle.NoBrush,
    6: Qt.BrushStyle.Dense6Pattern,
}


def code_colour(code: int) -> QColor:
    return QColor(CODE_COLOURS.get(code, "#777777"))


def code_pattern(code: int) -> Qt.BrushStyle:
    return CODE_PATTERNS.get(code, Qt.BrushStyle.NoBrush)


def period_text(period: HousingPeriodInfo) -> str:
    """One line describing a period (tooltip and accessible description)."""
    locale = i18n.active().babel_locale
    start = format_date(period.start_date, "medium", locale=locale)
    if period.end_date is None:
        span = _("from {start}, ongoing").format(start=start)
    else:
        end = format_date(period.end_date, "medium", locale=locale)
        span = _("{start} to {end}").format(start=start, end=end)
    text = _("Housing {code}: {label}, {span}").format(
        code=period.code, label=housing_label(period.code), span=span
    )
    if period.place:
        text += " – " + period.place
    return text


@dataclass(frozen=True)
class _Scale:
    first: dt.date
    last: dt.date
    left: int
    width: int

    def x(self, day: dt.date) -> float:
        total = max(1, (self.last - self.first).days)
        return self.left + self.width * (day - self.first).days / total


class HousingTimelineWidget(QWidget):
    """The whole housing history of one client at a glance."""

    sig_period_activated = Signal(int)
    """A period was double-clicked or Enter was pressed on it (its id), e.g. to edit it."""

    sig_focused_period_changed = Signal(int)
    """The keyboard/mouse focus moved to another period (its id; -1 when none)."""

    def __init__(self, *, today: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._periods: list[HousingPeriodInfo] = []
        self._today = today or dt.date.today()
        self._focused = -1
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.retranslate_ui()

    # -- data ---------------------------------------------------------------------------

    def set_periods(
        self, periods: list[HousingPeriodInfo], *, today: dt.date | None = None
    ) -> None:
        previous = self.focused_period()
        self._periods = sorted(periods, key=lambda p: p.start_date)
        if today is not None:
            self._today = today
        index = -1
        if previous is not None:
            index = next((i for i, p in enumerate(self._periods) if p.id == previous.id), -1)
        if index < 0 and self._periods:
            index = len(self._periods) - 1
        self._set_focused(index)
        self.updateGeometry()
        self.update()

    def periods(self) -> list[HousingPeriodInfo]:
        return list(self._periods)

    def focused_period(self) -> HousingPeriodInfo | None:
        if 0 <= self._focused < len(self._periods):
            return self._periods[self._focused]
        return None

    def focus_period(self, period_id: int) -> None:
        index = next((i for i, p in enumerate(self._periods) if p.id == period_id), -1)
        if index >= 0:
            self._set_focused(index)

    def _set_focused(self, index: int) -> None:
        changed = index != self._focused
        self._focused = index
        period = self.focused_period()
        self.setAccessibleDescription(period_text(period) if period else self._empty_text())
        self.update()
        if changed:
            self.sig_focused_period_changed.emit(period.id if period else -1)

    def _empty_text(self) -> str:
        return _("No housing periods recorded.")

    def retranslate_ui(self) -> None:
        self.setAccessibleName(_("Housing timeline"))
        self.setToolTip("")
        self.setWhatsThis(
            _(
                "Housing periods over time; each housing code has its own colour and pattern. "
                "Use Left and Right to move between periods and Enter to edit one."
            )
        )
        period = self.focused_period()
        self.setAccessibleDescription(period_text(period) if period else self._empty_text())
        self.update()

    # -- geometry -----------------------------------------------------------------------

    def _unit(self) -> int:
        return self.fontMetrics().height()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        unit = self._unit()
        return QSize(unit * 30, int(unit * 5.2))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        unit = self._unit()
        return QSize(unit * 12, int(unit * 5.2))

    def _range(self) -> tuple[dt.date, dt.date]:
        if not self._periods:
            return self._today - dt.timedelta(days=365), self._today + dt.timedelta(days=30)
        first = min(p.start_date for p in self._periods)
        last = max([self._today] + [p.end_date for p in self._periods if p.end_date])
        span = max(60, (last - first).days)
        pad = dt.timedelta(days=max(10, span // 40))
        return first - pad, last + pad

    def _scale(self) -> _Scale:
        unit = self._unit()
        first, last = self._range()
        return _Scale(first, last, unit // 2, max(10, self.width() - unit))

    def _band_rect(self) -> QRect:
        unit = self._unit()
        return QRect(0, int(unit * 1.2), self.width(), int(unit * 1.8))

    def _period_rect(self, period: HousingPeriodInfo, scale: _Scale) -> QRectF:
        band = self._band_rect()
        end = period.end_date or max(self._today, period.start_date)
        x1 = scale.x(period.start_date)
        x2 = max(x1 + 3, scale.x(end + dt.timedelta(days=1)))
        return QRectF(x1, band.top(), x2 - x1, band.height())

    def period_at(self, pos: QPoint) -> int:
        """Index of the period under ``pos`` (-1 when none)."""
        scale = self._scale()
        for i, period in enumerate(self._periods):
            if self._period_rect(period, scale).contains(pos.toPointF()):
                return i
        return -1

    # -- painting -----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        palette = self.palette()
        text_colour = palette.color(palette.ColorRole.WindowText)
        scale = self._scale()
        band = self._band_rect()
        painter.fillRect(band, palette.color(palette.ColorRole.Base))
        painter.setPen(QPen(palette.color(palette.ColorRole.Mid)))
        painter.drawRect(band.adjusted(0, 0, -1, -1))
        if not self._periods:
            painter.setPen(text_colour)
            painter.drawText(band, Qt.AlignmentFlag.AlignCenter, self._empty_text())
        for index, period in enumerate(self._periods):
            self._paint_period(painter, period, scale, index == self._focused)
        self._paint_ticks(painter, scale, text_colour)
        self._paint_today(painter, scale, text_colour)
        painter.end()

    def _paint_period(
        self, painter: QPainter, period: HousingPeriodInfo, scale: _Scale, focused: bool
    ) -> None:
        rect = self._period_rect(period, scale)
        colour = code_colour(period.code)
        painter.fillRect(rect, colour)
        pattern = code_pattern(period.code)
        if pattern is not Qt.BrushStyle.NoBrush:
            painter.fillRect(rect, QBrush(QColor(0, 0, 0, 110), pattern))
        painter.setPen(QPen(QColor("#202020"), 1))
        painter.drawRect(rect)
        digit = str(period.code)
        metrics = self.fontMetrics()
        if rect.width() > metrics.horizontalAdvance(digit) * 2 + 4:
            badge = metrics.boundingRect(digit).adjusted(-3, -1, 3, 1)
            badge.moveCenter(rect.center().toPoint())
            painter.fillRect(badge, QColor("#FFFFFF"))
            painter.setPen(QColor("#000000"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, digit)
        if focused:
            pen = QPen(self.palette().color(self.palette().ColorRole.Highlight), 3)
            if not self.hasFocus():
                pen.setStyle(Qt.PenStyle.DashLine)
                pen.setWidth(2)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(1, 1, -1, -1))

    def _paint_ticks(self, painter: QPainter, scale: _Scale, colour: QColor) -> None:
        unit = self._unit()
        band = self._band_rect()
        metrics = self.fontMetrics()
        translator = i18n.active()
        days = max(1, (scale.last - scale.first).days)
        px_per_month = scale.width * 30.4 / days
        widest = max(
            metrics.horizontalAdvance(translator.month_name(m, "abbreviated")) for m in range(1, 13)
        )
        step = 1
        for candidate in (1, 2, 3, 6, 12):
            step = candidate
            if px_per_month * candidate >= widest + unit * 0.6:
                break
        tick_top = band.bottom() + 1
        label_y = tick_top + int(unit * 0.3)
        year_y = label_y + unit
        last_label_right = -1_000
        month = dt.date(scale.first.year, scale.first.month, 1)
        while month <= scale.last:
            if month >= scale.first:
                x = round(scale.x(month))
                is_year = month.month == 1
                painter.setPen(QPen(colour, 2 if is_year else 1))
                painter.drawLine(x, tick_top, x, tick_top + int(unit * (0.6 if is_year else 0.3)))
                if step < 12 and (month.month - 1) % step == 0:
                    name = translator.month_name(month.month, "abbreviated")
                    width = metrics.horizontalAdvance(name)
                    if x + 2 > last_label_right and x + width < self.width():
                        painter.drawText(QPoint(x + 2, label_y + metrics.ascent()), name)
                        last_label_right = x + width + unit // 2
            month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(colour)
        ascent = QFontMetrics(font).ascent()
        for left, year in self.year_labels():
            painter.drawText(QPoint(left, year_y + ascent), year)
        font.setBold(False)
        painter.setFont(font)

    def year_labels(self) -> list[tuple[int, str]]:
        """Where each year's name is drawn (its left edge) under the axis: beside its January
        tick, moved left where it would run past the right edge (never cut off), and the first
        year at the left edge too unless its January tick is right there."""
        scale = self._scale()
        font = QFont(self.font())
        font.setBold(True)
        metrics = QFontMetrics(font)
        unit = self._unit()
        labels: list[tuple[int, str]] = []
        first_year = str(scale.first.year)
        next_january = scale.x(dt.date(scale.first.year + 1, 1, 1))
        if next_january - scale.left > metrics.horizontalAdvance(first_year) + unit // 2:
            labels.append((scale.left, first_year))
        for year in range(scale.first.year + 1, scale.last.year + 1):
            text = str(year)
            width = metrics.horizontalAdvance(text)
            left = min(round(scale.x(dt.date(year, 1, 1))) + 2, self.width() - width - 1)
            if labels and left < labels[-1][0] + metrics.horizontalAdvance(labels[-1][1]) + 2:
                continue  # too close to the year before (a very narrow timeline)
            labels.append((max(0, left), text))
        return labels

    def _paint_today(self, painter: QPainter, scale: _Scale, colour: QColor) -> None:
        if not scale.first <= self._today <= scale.last:
            return
        unit = self._unit()
        band = self._band_rect()
        x = round(scale.x(self._today))
        pen = QPen(colour, 2, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(x, band.top() - unit // 4, x, band.bottom() + unit // 4)
        label = _("Today")
        width = self.fontMetrics().horizontalAdvance(label)
        left = min(max(0, x - width // 2), self.width() - width)
        painter.setPen(colour)
        painter.drawText(QPoint(left, self.fontMetrics().ascent()), label)

    # -- interaction --------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.period_at(event.pos())
            if index >= 0:
                QToolTip.showText(event.globalPos(), period_text(self._periods[index]), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def tooltip_at(self, pos: QPoint) -> str:
        index = self.period_at(pos)
        return period_text(self._periods[index]) if index >= 0 else ""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key == Qt.Key.Key_Left and self._periods:
            self._set_focused(max(0, self._focused - 1))
        elif key == Qt.Key.Key_Right and self._periods:
            self._set_focused(min(len(self._periods) - 1, self._focused + 1))
        elif key == Qt.Key.Key_Home and self._periods:
            self._set_focused(0)
        elif key == Qt.Key.Key_End and self._periods:
            self._set_focused(len(self._periods) - 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.focused_period():
            period = self.focused_period()
            assert period is not None
            self.sig_period_activated.emit(period.id)
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        index = self.period_at(event.position().toPoint())
        if index >= 0:
            self._set_focused(index)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        index = self.period_at(event.position().toPoint())
        if index >= 0:
            self.sig_period_activated.emit(self._periods[index].id)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        self.update()
        super().focusOutEvent(event)
