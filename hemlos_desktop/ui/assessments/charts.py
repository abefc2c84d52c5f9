"""Charts of independence ratings, drawn with QPainter (no Qt add-on module).

Series differ by dash pattern and marker shape as well as colour (Okabe–Ito palette), so they
stay apart in grey-scale print and for colour-blind readers. Sizes derive from the font, so
the charts scale with large text and with QT_SCALE_FACTOR. Each chart offers the same figures
as text: ``table_headers()``/``table_rows()``, a :class:`ChartTableModel` for a companion table
view, and an accessible description.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QLineF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from hemlos_desktop import i18n
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.chart_spec import (
    DASH_PATTERNS,
    MAX_SERIES,
    SERIES_STYLES,
    SeriesStyle,
    radar_segments,
    scale_of,
    style_for,
)
from hemlos_desktop.models.instrument import Instrument
from hemlos_desktop.ui.assessments.chart_table import ChartTableModel, ChartTableView
from hemlos_desktop.ui.assessments.chart_ticks import tick_boxes


@dataclass(frozen=True)
class ChartSeries:
    """One rating drawn in a chart: a name ("First", "Latest") and its levels per area key."""

    name: str
    levels: Mapping[str, int | None]
    rated_on: dt.date | None = None


def comparison_series(
    history: Sequence[tuple[dt.date, Mapping[str, int | None]]],
) -> list[ChartSeries]:
    """First, previous and latest of a client's ratings (any order given), named in the active
    language; fewer when there are fewer ratings."""
    ordered = sorted(history, key=lambda item: item[0])
    if not ordered:
        return []
    picks: list[tuple[str, tuple[dt.date, Mapping[str, int | None]]]] = []
    if len(ordered) >= 2:
        picks.append((_("First"), ordered[0]))
    if len(ordered) >= 3:
        picks.append((_("Previous"), ordered[-2]))
    picks.append((_("Latest"), ordered[-1]))
    return [ChartSeries(name, dict(levels), day) for name, (day, levels) in picks]


def _draw_marker(painter: QPainter, centre: QPointF, style: SeriesStyle, size: float) -> None:
    colour = QColor(style.colour)
    painter.setPen(QPen(colour, max(1.0, size / 5), Qt.PenStyle.SolidLine))
    painter.setBrush(colour if style.filled else QColor("white"))
    half = size / 2
    if style.marker == "square":
        painter.drawRect(QRectF(centre.x() - half, centre.y() - half, size, size))
    elif style.marker == "triangle":
        path = QPainterPath()
        path.moveTo(centre.x(), centre.y() - half * 1.2)
        path.lineTo(centre.x() + half * 1.1, centre.y() + half * 0.9)
        path.lineTo(centre.x() - half * 1.1, centre.y() + half * 0.9)
        path.closeSubpath()
        painter.drawPath(path)
    else:
        painter.drawEllipse(centre, half, half)
    painter.setBrush(Qt.BrushStyle.NoBrush)


def _series_pen(style: SeriesStyle, unit: float) -> QPen:
    pen = QPen(QColor(style.colour), max(1.0, unit * style.width / 6))
    pattern = DASH_PATTERNS[style.dash]
    if pattern is not None:  # in units of the pen's width, as in the PDF
        pen.setDashPattern(list(pattern))
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen


def _level_text(instrument: Instrument, key: str, level: int | None) -> str:
    if level is None:
        return _("Not assessed")
    return _("{level} – {label}").format(
        level=level, label=instrument.level_label(key, level, i18n.current_language())
    )


def _series_title(series: ChartSeries) -> str:
    if series.rated_on is None:
        return series.name
    return _("{name} ({date})").format(
        name=series.name, date=i18n.active().format_date(series.rated_on, "medium")
    )


class _Legend:
    """Lays out legend entries in rows under a chart."""

    def __init__(self, fm: QFontMetricsF, titles: Sequence[str], width: float) -> None:
        self.fm = fm
        self.sample = fm.height() * 2.4
        gap = fm.height()
        self.items: list[tuple[QRectF, int, str]] = []
        x = y = 0.0
        line = fm.height() * 1.4
        for index, title in enumerate(titles):
            w = self.sample + fm.horizontalAdvance(title) + gap * 0.5
            if x > 0 and x + w > width:
                x, y = 0.0, y + line
            self.items.append((QRectF(x, y, w, line), index, title))
            x += w + gap
        self.height = (y + line) if titles else 0.0
        self.row_width = max((r.right() for r, _i, _t in self.items), default=0.0)

    def draw(self, painter: QPainter, origin: QPointF, unit: float) -> None:
        for rect, index, title in self.items:
            style = style_for(index, len(self.items))
            r = rect.translated(origin)
            mid = r.center().y()
            painter.setPen(_series_pen(style, unit))
            painter.drawLine(QPointF(r.left(), mid), QPointF(r.left() + self.sample * 0.85, mid))
            _draw_marker(painter, QPointF(r.left() + self.sample * 0.42, mid), style, unit * 0.7)
            painter.setPen(_text_colour(painter))
            text_rect = QRectF(r.left() + self.sample, r.top(), r.width() - self.sample, r.height())
            painter.drawText(
                text_rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), title
            )


def _text_colour(painter: QPainter) -> QColor:
    """The window text colour of the widget being painted (black on other devices)."""
    device = painter.device()
    if isinstance(device, QWidget):
        return device.palette().windowText().color()
    return QColor("black")


class _ChartBase(QWidget):
    """Shared parts: instrument, series, text alternative, font-derived sizes."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._instrument: Instrument | None = None
        self._table_model = ChartTableModel(parent=self)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setBackgroundRole(self.backgroundRole())
        self.setAutoFillBackground(True)

    @property
    def table_model(self) -> ChartTableModel:
        return self._table_model

    def _unit(self) -> float:
        return QFontMetricsF(self.font()).height()

    def table_headers(self) -> list[str]:
        """The column titles of the chart's text alternative (each chart gives its own)."""
        return []

    def table_rows(self) -> list[list[str]]:
        """The chart's figures as rows of text (each chart gives its own)."""
        return []

    def _description(self) -> str:
        return "; ".join(", ".join(row) for row in self.table_rows())

    def _refresh_text(self) -> None:
        self._table_model.set_table(self.table_headers(), self.table_rows())
        self.setAccessibleDescription(self._description())
        self.setToolTip(self._description().replace("; ", "\n"))
        self.update()

    def retranslate_ui(self) -> None:
        self._refresh_text()


class RadarChart(_ChartBase):
    """The areas of an instrument as spokes; up to three ratings (first, previous, latest)."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self._series: tuple[ChartSeries, ...] = ()
        self._label_layout: list[QRectF] = []
        self._drawn_lines: list[list[QLineF]] = []
        self._tick_layout: list[tuple[QRectF, str]] = []
        self._spokes: list[QLineF] = []
        self.retranslate_ui()

    def set_data(self, instrument: Instrument, series: Sequence[ChartSeries]) -> None:
        """Show ``series`` (at most three, oldest first: first, previous, latest)."""
        if len(series) > MAX_SERIES:
            raise ValueError(f"at most {MAX_SERIES} series")
        self._instrument = instrument
        self._series = tuple(series)
        self.updateGeometry()
        self._refresh_text()

    @property
    def series(self) -> tuple[ChartSeries, ...]:
        return self._series

    def label_layout(self) -> list[QRectF]:
        """Where the area labels were drawn at the last paint (for layout checks)."""
        return list(self._label_layout)

    def tick_layout(self) -> tuple[list[tuple[QRectF, str]], list[QLineF]]:
        """The level numbers (box, text) and the spokes drawn at the last paint."""
        return list(self._tick_layout), list(self._spokes)

    def drawn_lines(self) -> list[list[QLineF]]:
        """The line segments of each series (oldest first) drawn at the last paint."""
        return [list(lines) for lines in self._drawn_lines]

    def retranslate_ui(self) -> None:
        self.setAccessibleName(_("Radar chart of the independence ratings"))
        super().retranslate_ui()

    def table_headers(self) -> list[str]:
        return [_("Area"), *(_series_title(s) for s in self._series)]

    def table_rows(self) -> list[list[str]]:
        inst = self._instrument
        if inst is None:
            return []
        lang = i18n.current_language()
        return [
            [
                inst.area_name(key, lang),
                *(_level_text(inst, key, s.levels.get(key)) for s in self._series),
            ]
            for key in inst.area_keys
        ]

    def _description(self) -> str:
        inst = self._instrument
        if inst is None or not self._series:
            return _("No ratings to show.")
        lang = i18n.current_language()
        parts = []
        for s in self._series:
            values = ", ".join(
                _("{area} {level}").format(
                    area=inst.area_name(key, lang),
                    level=s.levels.get(key) if s.levels.get(key) is not None else "–",
                )
                for key in inst.area_keys
            )
            parts.append(f"{_series_title(s)}: {values}")
        return "; ".join(parts)

    def _area_count(self) -> int:
        return len(self._instrument.areas) if self._instrument is not None else 5

    def sizeHint(self) -> QSize:  # noqa: N802
        unit = self._unit()
        extra = max(0, self._area_count() - 6) * 1.5
        return QSize(int(unit * (30 + extra)), int(unit * (26 + extra)))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        # more spokes need more room for their labels (checked for 5 and 13 areas in tests)
        unit = self._unit()
        extra = max(0, self._area_count() - 6) * 1.5
        return QSize(int(unit * (20 + extra)), int(unit * (20 + extra)))

    # --- layout --------------------------------------------------------------------------------

    def _label_rects(
        self, fm: QFontMetricsF, centre: QPointF, radius: float, texts: Sequence[str], max_w: float
    ) -> list[tuple[QRectF, int]]:
        gap = fm.height() * 0.5
        rects: list[tuple[QRectF, int]] = []
        count = len(texts)
        for index, text in enumerate(texts):
            angle = -math.pi / 2 + 2 * math.pi * index / count
            cos, sin = math.cos(angle), math.sin(angle)
            box = fm.boundingRect(
                QRectF(0, 0, max_w, fm.height() * 10), int(Qt.TextFlag.TextWordWrap), text
            )
            w, h = box.width() + 2, box.height()
            ax = centre.x() + (radius + gap) * cos
            ay = centre.y() + (radius + gap) * sin
            if abs(cos) < 0.2:
                x, align = ax - w / 2, Qt.AlignmentFlag.AlignHCenter
            elif cos > 0:
                x, align = ax, Qt.AlignmentFlag.AlignLeft
            else:
                x, align = ax - w, Qt.AlignmentFlag.AlignRight
            if abs(sin) < 0.2:
                y = ay - h / 2
            elif sin > 0:
                y = ay
            else:
                y = ay - h
            rects.append((QRectF(x, y, w, h), int(align)))
        return rects

    @staticmethod
    def _fits(rects: Sequence[tuple[QRectF, int]], bounds: QRectF) -> bool:
        for i, (rect, _a) in enumerate(rects):
            if not bounds.contains(rect):
                return False
            for other, _b in rects[i + 1 :]:
                if rect.intersects(other):
                    return False
        return True

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetricsF(self.font())
        unit = fm.height()
        margin = unit * 0.5
        full = QRectF(self.rect()).adjusted(margin, margin, -margin, -margin)
        text_colour = self.palette().windowText().color()
        inst = self._instrument
        if inst is None or not inst.areas:
            painter.setPen(text_colour)
            painter.drawText(full, int(Qt.AlignmentFlag.AlignCenter), _("No ratings to show."))
            return
        legend = _Legend(fm, [_series_title(s) for s in self._series], full.width())
        plot = QRectF(
            full.left(), full.top(), full.width(), full.height() - legend.height - unit * 0.5
        )
        lang = i18n.current_language()
        names = [inst.area_name(key, lang) for key in inst.area_keys]
        centre = plot.center()
        max_w = max(unit * 4, plot.width() * 0.28)
        radius = min(plot.width(), plot.height()) / 2
        rects = self._label_rects(fm, centre, radius, names, max_w)
        while radius > unit * 2 and not self._fits(rects, plot):
            radius -= unit * 0.25
            rects = self._label_rects(fm, centre, radius, names, max_w)
        count = len(inst.areas)
        scale = scale_of(inst)
        highest = scale.highest

        def point(index: int, level: float) -> QPointF:
            angle = -math.pi / 2 + 2 * math.pi * index / count
            r = radius * scale.fraction(level)
            return QPointF(centre.x() + r * math.cos(angle), centre.y() + r * math.sin(angle))

        # grid: one ring per level, spokes, level numbers along the first spoke
        grid = QColor(text_colour)
        grid.setAlpha(70)
        painter.setPen(QPen(grid, 1))
        for level in scale.ticks:
            ring = [point(i, level) for i in range(count)]
            for i in range(count):
                painter.drawLine(ring[i], ring[(i + 1) % count])
        for i in range(count):
            painter.drawLine(centre, point(i, highest))
        # series: line segments between neighbouring rated areas (models.chart_spec), then
        # markers; an area not assessed leaves a gap
        self._drawn_lines = []
        for index, series in enumerate(self._series):
            style = style_for(index, len(self._series))
            pts: list[QPointF | None] = []
            for i, key in enumerate(inst.area_keys):
                value = scale.drawn(series.levels.get(key))
                pts.append(point(i, float(value)) if value is not None else None)
            painter.setPen(_series_pen(style, unit))
            lines: list[QLineF] = []
            for a, b in radar_segments([None if p is None else 1 for p in pts]):
                start, end = pts[a], pts[b]
                if start is not None and end is not None:
                    lines.append(QLineF(start, end))
                    painter.drawLine(lines[-1])
            self._drawn_lines.append(lines)
            for spot in pts:
                if spot is not None:
                    _draw_marker(painter, spot, style, unit * 0.6)

        # level numbers on the bisector of the last and first spokes, where no marker sits,
        # on a background patch so crossing lines do not hide them
        small = self.font()
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.8))
        painter.setFont(small)
        sfm = QFontMetricsF(small)
        background = self.palette().window().color()  # opaque: no line shows through
        self._tick_layout = tick_boxes(
            sfm, centre, scale.ticks, lambda lvl: radius * scale.fraction(lvl), count
        )
        self._spokes = [QLineF(centre, point(i, highest)) for i in range(count)]
        for box, text in self._tick_layout:
            painter.fillRect(box, background)
            painter.setPen(text_colour)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), text)
        painter.setFont(self.font())

        # area labels
        self._label_layout = [rect for rect, _align in rects]
        painter.setPen(text_colour)
        for (rect, align), text in zip(rects, names, strict=True):
            painter.drawText(rect, align | int(Qt.TextFlag.TextWordWrap), text)
        legend.draw(
            painter,
            QPointF(
                full.left() + (full.width() - legend.row_width) / 2, plot.bottom() + unit * 0.5
            ),
            unit,
        )
        if self.hasFocus():
            pen = QPen(self.palette().highlight().color(), 2)
            painter.setPen(pen)
            painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))


class AreaLineChart(_ChartBase):
    """One area's level over time; dates on the x axis in the active locale (Babel)."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self._area_key = ""
        self._points: tuple[tuple[dt.date, int | None], ...] = ()
        self.retranslate_ui()

    def set_data(
        self, instrument: Instrument, area_key: str, points: Sequence[tuple[dt.date, int | None]]
    ) -> None:
        """Show the levels of ``area_key`` at the given dates (sorted here; ``None`` = gap)."""
        instrument.area(area_key)  # KeyError for an unknown area
        self._instrument = instrument
        self._area_key = area_key
        self._points = tuple(sorted(points, key=lambda p: p[0]))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        inst = self._instrument
        if inst is not None and self._area_key:
            name = inst.area_name(self._area_key, i18n.current_language())
            self.setAccessibleName(_("Line chart: {area} over time").format(area=name))
        else:
            self.setAccessibleName(_("Line chart of one area over time"))
        super().retranslate_ui()

    def table_headers(self) -> list[str]:
        return [_("Date"), _("Level")]

    def table_rows(self) -> list[list[str]]:
        inst = self._instrument
        if inst is None:
            return []
        fmt = i18n.active().format_date
        return [
            [fmt(day, "medium"), _level_text(inst, self._area_key, level)]
            for day, level in self._points
        ]

    def sizeHint(self) -> QSize:  # noqa: N802
        unit = self._unit()
        return QSize(int(unit * 32), int(unit * 14))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        unit = self._unit()
        return QSize(int(unit * 16), int(unit * 9))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetricsF(self.font())
        unit = fm.height()
        text_colour = self.palette().windowText().color()
        margin = unit * 0.5
        full = QRectF(self.rect()).adjusted(margin, margin, -margin, -margin)
        inst = self._instrument
        if inst is None or not self._points:
            painter.setPen(text_colour)
            painter.drawText(full, int(Qt.AlignmentFlag.AlignCenter), _("No ratings to show."))
            return
        lang = i18n.current_language()
        title = inst.area_name(self._area_key, lang)
        painter.setPen(text_colour)
        bold = self.font()
        bold.setBold(True)
        painter.setFont(bold)
        painter.drawText(
            QRectF(full.left(), full.top(), full.width(), unit),
            int(Qt.AlignmentFlag.AlignLeft),
            title,
        )
        painter.setFont(self.font())
        band_note = _("Shaded: qualifying range ({limit} or lower)").format(
            limit=inst.rule.qualify_max_level
        )
        note_w = fm.horizontalAdvance(band_note)
        if note_w + fm.horizontalAdvance(title) + unit < full.width():
            painter.drawText(
                QRectF(full.right() - note_w - 1, full.top(), note_w + 1, unit),
                int(Qt.AlignmentFlag.AlignRight),
                band_note,
            )
        lowest, highest = inst.lowest, inst.highest
        y_label_w = max(fm.horizontalAdvance(str(lv)) for lv in range(lowest, highest + 1))
        fmt = i18n.active().format_date
        date_texts = [fmt(day, "short") for day, _lv in self._points]
        date_w = max(fm.horizontalAdvance(t) for t in date_texts)
        plot = QRectF(
            full.left() + y_label_w + unit * 0.6,
            full.top() + unit * 1.6,
            full.width() - y_label_w - unit * 0.6 - date_w / 2,
            full.height() - unit * 1.6 - unit * 1.6,
        )
        plot.setLeft(plot.left() + date_w / 2 - min(date_w / 2, y_label_w + unit * 0.6))

        def y_of(level: float) -> float:
            return plot.bottom() - plot.height() * (level - lowest) / max(1, highest - lowest)

        first, last = self._points[0][0], self._points[-1][0]
        span = max(1, (last - first).days)

        def x_of(day: dt.date) -> float:
            if first == last:
                return plot.center().x()
            return plot.left() + plot.width() * (day - first).days / span

        # qualifying band and grid
        band = QColor(text_colour)
        band.setAlpha(22)
        limit = inst.rule.qualify_max_level
        painter.fillRect(
            QRectF(plot.left(), y_of(limit), plot.width(), y_of(lowest) - y_of(limit)), band
        )
        grid = QColor(text_colour)
        grid.setAlpha(70)
        for level in range(lowest, highest + 1):
            y = y_of(level)
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(full.left(), y - unit / 2, y_label_w, unit),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                str(level),
            )
        # x labels, skipping any that would overlap the previous one
        painter.setPen(text_colour)
        right_edge = -math.inf
        for (day, _lv), text in zip(self._points, date_texts, strict=True):
            w = fm.horizontalAdvance(text)
            x = min(max(x_of(day) - w / 2, full.left()), full.right() - w)
            if x < right_edge + unit * 0.5:
                continue
            painter.drawText(
                QRectF(x, plot.bottom() + unit * 0.3, w + 1, unit),
                int(Qt.AlignmentFlag.AlignLeft),
                text,
            )
            right_edge = x + w
        # the line (latest style), gaps at unrated dates and at the closed code
        style = SERIES_STYLES[-1]
        pts = [
            QPointF(x_of(day), y_of(level))
            if level is not None and lowest <= level <= highest
            else None
            for day, level in self._points
        ]
        painter.setPen(_series_pen(style, unit))
        for a, b in zip(pts, pts[1:], strict=False):
            if a is not None and b is not None:
                painter.drawLine(a, b)
        for p in pts:
            if p is not None:
                _draw_marker(painter, p, style, unit * 0.6)
        if self.hasFocus():
            painter.setPen(QPen(self.palette().highlight().color(), 2))
            painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))


class ChartPanel(QWidget):
    """A chart with its companion table (the text alternative screen readers can read)."""

    def __init__(self, *, chart: RadarChart | AreaLineChart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.table = ChartTableView(model=chart.table_model, parent=self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(chart, 3)
        layout.addWidget(self.table, 1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.chart.retranslate_ui()
        self.table.setAccessibleName(_("Table: {chart}").format(chart=self.chart.accessibleName()))
