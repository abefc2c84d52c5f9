"""Caseload per member as stacked horizontal bars (qualified, not qualified, not rated), with the
team's caseload ceiling drawn as a line. The accessible description says the same in words."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.services.team_board import MemberFigures, Qualification

# Colour-blind safe (Okabe-Ito) with a pattern each, so print and grey scale stay readable.
SEGMENTS: tuple[tuple[str, QColor, Qt.BrushStyle], ...] = (
    (Qualification.QUALIFIED, QColor("#009E73"), Qt.BrushStyle.SolidPattern),
    (Qualification.NOT_QUALIFIED, QColor("#E69F00"), Qt.BrushStyle.Dense3Pattern),
    (Qualification.NOT_RATED, QColor("#56B4E9"), Qt.BrushStyle.BDiagPattern),
)
ROW = 26


def segment_label(key: str) -> str:
    return {
        Qualification.QUALIFIED: _("Qualified"),
        Qualification.NOT_QUALIFIED: _("Not qualified"),
        Qualification.NOT_RATED: _("Not rated"),
    }[key]


class CaseloadChart(QWidget):
    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._members: tuple[MemberFigures, ...] = ()
        self._ceiling = 0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.retranslate_ui()

    def set_data(self, members: Sequence[MemberFigures], ceiling: int) -> None:
        self._members = tuple(members)
        self._ceiling = ceiling
        self.updateGeometry()
        self.retranslate_ui()
        self.update()

    def description(self) -> str:
        parts = [
            _("{name}: {active} active ({qualified} qualified, {not_q} not qualified, "
              "{not_rated} not rated)").format(
                name=m.name,
                active=m.active,
                qualified=m.by_qualification.get(Qualification.QUALIFIED, 0),
                not_q=m.by_qualification.get(Qualification.NOT_QUALIFIED, 0),
                not_rated=m.by_qualification.get(Qualification.NOT_RATED, 0),
            )
            for m in self._members
        ]  # fmt: skip
        return "; ".join(parts)

    def retranslate_ui(self) -> None:
        self.setAccessibleName(_("Caseload per member"))
        self.setAccessibleDescription(self.description())
        self.setToolTip(_("Caseload ceiling: {n}").format(n=self._ceiling))

    def sizeHint(self) -> QSize:  # noqa: N802
        legend = 3 * (self.fontMetrics().height() + 6)  # room for a legend on up to 3 lines
        return QSize(520, 20 + ROW * max(1, len(self._members)) + legend)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(300, 60 + ROW * max(1, len(self._members)))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        del event
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        names = [m.name for m in self._members]
        label_width = max((metrics.horizontalAdvance(n) for n in names), default=40) + 12
        left, top = label_width, 8
        width = max(50.0, self.width() - left - 60)
        largest = max([self._ceiling, *(m.active for m in self._members), 1])
        unit = width / largest
        text_pen = QPen(self.palette().windowText().color())
        for row, member in enumerate(self._members):
            y = top + row * ROW
            painter.setPen(text_pen)
            painter.drawText(
                QRectF(0, y, label_width - 8, ROW - 6),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                member.name,
            )
            x = float(left)
            for key, colour, pattern in SEGMENTS:
                count = member.by_qualification.get(key, 0)
                if not count:
                    continue
                rect = QRectF(x, y + 3, count * unit, ROW - 12)
                painter.fillRect(rect, colour)
                painter.fillRect(rect, QBrush(colour.darker(150), pattern))
                x += count * unit
            painter.setPen(text_pen)
            painter.drawText(
                QRectF(x + 4, y, 56, ROW - 6),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                str(member.active) + (" ⚠" if member.overloaded else ""),
            )
        bottom = top + ROW * max(1, len(self._members))
        if self._ceiling:
            x = left + self._ceiling * unit
            painter.setPen(QPen(QColor("#CC3311"), 2, Qt.PenStyle.DashLine))
            painter.drawLine(int(x), top, int(x), bottom)
        # Legend below the bars; an entry that does not fit starts a new line (long Danish
        # and Swedish words, 150 % scaling).
        x = float(left)
        y = bottom + 6
        line_height = metrics.height() + 6
        for key, colour, pattern in SEGMENTS:
            label = segment_label(key)
            advance = 18 + metrics.horizontalAdvance(label) + 16
            if x > 8 and x + advance - 16 > self.width():
                x, y = 8.0, y + line_height
            painter.fillRect(QRectF(x, y + 3, 14, 12), colour)
            painter.fillRect(QRectF(x, y + 3, 14, 12), QBrush(colour.darker(150), pattern))
            painter.setPen(text_pen)
            painter.drawText(int(x + 18), int(y + 14), label)
            x += advance
        if self._ceiling:
            if x + 20 + metrics.horizontalAdvance(_("Ceiling")) > self.width():
                x, y = 8.0, y + line_height
            painter.setPen(QPen(QColor("#CC3311"), 2, Qt.PenStyle.DashLine))
            painter.drawLine(int(x), int(y + 9), int(x + 16), int(y + 9))
            painter.setPen(text_pen)
            painter.drawText(int(x + 20), int(y + 14), _("Ceiling"))
        painter.end()
