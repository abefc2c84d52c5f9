"""Charts as ReportLab drawings (usable as flowables), readable in grey-scale and without colour.

Series differ by line dash pattern and marker shape (or bar hatching), not by colour alone; the
colours come from the Okabe-Ito palette, which colour-blind readers can tell apart and which
turn into clearly different greys. All chart wording and date/number formatting follow the
document's language. Every function takes plain data, never ORM objects.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from babel.dates import format_skeleton
from reportlab.graphics.shapes import (
    Circle,
    Drawing,
    Group,
    Line,
    Polygon,
    Rect,
    String,
)
from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from hemlos_desktop.models.chart_spec import (
    DASH_PATTERNS,
    MAX_SERIES,
    LevelScale,
    SeriesStyle,
    radar_segments,
    styles_for,
)
from hemlos_desktop.reports.context import ReportContext
from hemlos_desktop.reports.document import frame_width
from hemlos_desktop.reports.fonts import register_fonts
from hemlos_desktop.reports.styles import INK, MUTED

BLACK = colors.Color(0, 0, 0)
BLUE = colors.HexColor("#0072B2")
ORANGE = colors.HexColor("#E69F00")
GRID = colors.Color(0.75, 0.75, 0.75)
LIGHT = colors.Color(0.92, 0.92, 0.92)


# Line width in points of a series of relative width 1.0 (models.chart_spec.SeriesStyle.width).
LINE_WIDTH = 1.1


@dataclass(frozen=True)
class SeriesLook:
    """One series of the chart specification, in ReportLab's terms: colour, dash pattern in
    points (None = solid), marker, filled marker and line width."""

    color: colors.Color
    dash: tuple[float, ...] | None
    marker: str  # 'circle' | 'square' | 'triangle'
    width: float
    filled: bool = True

    @classmethod
    def of(cls, style: SeriesStyle) -> SeriesLook:
        width = LINE_WIDTH * style.width
        pattern = DASH_PATTERNS[style.dash]
        dash = tuple(v * width for v in pattern) if pattern is not None else None
        return cls(colors.HexColor(style.colour), dash, style.marker, width, style.filled)


@dataclass(frozen=True)
class RadarSeries:
    """One rating: its legend label and one level per area (None = not rated)."""

    label: str
    values: Sequence[int | None]


@dataclass(frozen=True)
class HousingPeriod:
    """A period in one housing situation; ``end`` None means it is still going on."""

    start: dt.date
    end: dt.date | None
    code: int


# --- shared drawing helpers ------------------------------------------------------------------


def _drawing(width: float, height: float) -> Drawing:
    """A drawing whose initial font is ours (ReportLab would start every drawing in Helvetica)."""
    drawing = Drawing(width, height)
    drawing.initialFontName = register_fonts().regular
    return drawing


def _font_size(context: ReportContext) -> float:
    return 11.0 if context.large_type else 8.0


def _marker(
    kind: str, x: float, y: float, size: float, color: colors.Color, *, filled: bool = True
) -> Group:
    half = size / 2
    fill = color if filled else colors.white
    group = Group()
    if kind == "square":
        group.add(
            Rect(x - half, y - half, size, size, fillColor=fill, strokeColor=color, strokeWidth=0.8)
        )
    elif kind == "triangle":
        h = size * 0.6
        group.add(
            Polygon(
                [x, y + h, x - h, y - h * 0.8, x + h, y - h * 0.8],
                fillColor=fill,
                strokeColor=color,
                strokeWidth=0.8,
            )
        )
    else:
        group.add(Circle(x, y, half, fillColor=fill, strokeColor=color, strokeWidth=0.8))
    return group


def _text(
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    anchor: str = "start",
    bold: bool = False,
    color: colors.Color = INK,
) -> String:
    fonts = register_fonts()
    return String(
        x,
        y,
        text,
        fontName=fonts.bold if bold else fonts.regular,
        fontSize=size,
        fillColor=color,
        textAnchor=anchor,
    )


def _legend(
    drawing: Drawing,
    entries: Sequence[tuple[str, SeriesLook]],
    *,
    y: float,
    size: float,
) -> None:
    """Line sample + marker + label per entry, centred in one row."""
    fonts = register_fonts()
    sample = size * 3
    gap = size * 1.5
    widths = [sample + size * 0.5 + stringWidth(label, fonts.regular, size) for label, _ in entries]
    x = max(0.0, (drawing.width - sum(widths) - gap * (len(entries) - 1)) / 2)
    for (label, look), width in zip(entries, widths, strict=True):
        mid = y + size * 0.35
        drawing.add(
            Line(
                x,
                mid,
                x + sample,
                mid,
                strokeColor=look.color,
                strokeWidth=look.width,
                strokeDashArray=list(look.dash) if look.dash else None,
            )
        )
        drawing.add(
            _marker(look.marker, x + sample / 2, mid, size * 0.6, look.color, filled=look.filled)
        )
        drawing.add(_text(x + sample + size * 0.5, y, label, size))
        x += width + gap


# --- radar chart ----------------------------------------------------------------------------


def radar_chart(
    context: ReportContext,
    areas: Sequence[str],
    series: Sequence[RadarSeries],
    *,
    scale: LevelScale | None = None,
    width: float | None = None,
    height: float | None = None,
) -> Drawing:
    """Areas as spokes, one ring per level of the instrument's ``scale`` (default 1-5), up to
    three ratings as outlines, drawn as the screen draws them (models.chart_spec).

    Pass the series oldest first (first, previous, latest): the last one is drawn on top in the
    "latest" style. A level outside the scale (the "case closed" code) is not drawn.
    """
    scale = scale or LevelScale()
    if len(series) > MAX_SERIES:
        raise ValueError("a radar chart shows at most three series")
    if len(areas) < 3:
        raise ValueError("a radar chart needs at least three areas")
    fonts = register_fonts()
    size = _font_size(context)
    w = frame_width(context) if width is None else width
    legend_h = size * 2.6 if series else 0.0
    label_w = max(stringWidth(a, fonts.regular, size) for a in areas)
    label_w = min(label_w, w * 0.22)
    n = len(areas)
    # How far the polygon reaches below its centre, as a fraction of the radius.
    low = -min(math.sin(math.pi / 2 - 2 * math.pi * i / n) for i in range(n))
    radius = (w - 2 * label_w - size * 2) / 2
    if height is None:
        radius = min(radius, size * 14)
        h = legend_h + radius * (1 + low) + size * 6
    else:
        h = height
        radius = min(radius, (h - legend_h - size * 6) / (1 + low))
    drawing = _drawing(w, h)
    cx, cy = w / 2, legend_h + size * 2.8 + radius * low

    def point(index: int, level: float) -> tuple[float, float]:
        angle = math.pi / 2 - 2 * math.pi * index / n
        r = radius * scale.fraction(level)
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    highest = scale.highest
    outline: list[float] = []
    for i in range(n):
        outline.extend(point(i, highest))
    drawing.add(Polygon(outline, fillColor=LIGHT, strokeColor=None))
    for level in scale.ticks:
        ring: list[float] = []
        for i in range(n):
            ring.extend(point(i, level))
        drawing.add(Polygon(ring, fillColor=None, strokeColor=GRID, strokeWidth=0.6))
    for i, area in enumerate(areas):
        x, y = point(i, highest)
        drawing.add(Line(cx, cy, x, y, strokeColor=GRID, strokeWidth=0.6))
        angle = math.pi / 2 - 2 * math.pi * i / n
        cos, sin = math.cos(angle), math.sin(angle)
        anchor = "middle" if abs(cos) < 0.25 else ("start" if cos > 0 else "end")
        lx, ly = point(i, highest + 0.25 * (highest - scale.lowest + 1) / 5)
        lines = simpleSplit(area, fonts.regular, size, label_w) or [area]
        if sin > 0.25:
            ly += size * 0.3 + (len(lines) - 1) * size * 1.15
        elif sin < -0.25:
            ly -= size
        else:
            ly += (len(lines) - 1) * size * 0.55 - size * 0.35
        for k, line in enumerate(lines):
            drawing.add(_text(lx, ly - k * size * 1.15, line, size, anchor=anchor))

    looks = [SeriesLook.of(style) for style in styles_for(len(series))]
    for one, look in zip(series, looks, strict=True):
        values = list(one.values) + [None] * (n - len(one.values))
        drawn = [scale.drawn(v) for v in values[:n]]
        points = [None if v is None else point(i, v) for i, v in enumerate(drawn)]
        for i, j in radar_segments(drawn):
            a, b = points[i], points[j]
            if a is not None and b is not None:
                drawing.add(
                    Line(
                        *a,
                        *b,
                        strokeColor=look.color,
                        strokeWidth=look.width,
                        strokeDashArray=list(look.dash) if look.dash else None,
                        strokeLineCap=1,
                    )
                )
        for p in points:
            if p is not None:
                drawing.add(
                    _marker(look.marker, p[0], p[1], size * 0.7, look.color, filled=look.filled)
                )
    # Level numbers beside the first spoke, on top of the series so none is hidden.
    number_size = size * 0.85
    for level in scale.ticks:
        lx, ly = point(0, level)
        text = context.format_number(level)
        text_w = stringWidth(text, fonts.regular, number_size)
        drawing.add(
            Rect(
                lx + 2.5,
                ly - number_size * 1.05,
                text_w + 2,
                number_size,
                fillColor=colors.white,
                strokeColor=None,
            )
        )
        drawing.add(_text(lx + 3.5, ly - number_size * 0.9, text, number_size, color=MUTED))
    if series:
        _legend(
            drawing,
            [(s.label, look) for s, look in zip(series, looks, strict=True)],
            y=size * 0.5,
            size=size,
        )
    return drawing


# --- housing timeline -----------------------------------------------------------------------


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _ticks(start: dt.date, end: dt.date) -> tuple[list[dt.date], str]:
    """Tick dates between ``start`` and ``end`` and their kind: 'month', 'quarter' or 'year'."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months <= 14:
        step, kind = 1, "month"
    elif months <= 40:
        step, kind = 3, "quarter"
    else:
        step, kind = 12, "year"
    first = _month_start(start)
    if kind == "quarter":
        while (first.month - 1) % 3:
            first = _add_months(first, 1)
    elif kind == "year":
        first = dt.date(start.year if start.month == 1 and start.day == 1 else start.year + 1, 1, 1)
    elif first < start:
        first = _add_months(first, 1)
    ticks: list[dt.date] = []
    tick = first
    while tick <= end:
        ticks.append(tick)
        tick = _add_months(tick, step)
    return ticks, kind


def housing_timeline(
    context: ReportContext,
    periods: Sequence[HousingPeriod],
    *,
    code_labels: Mapping[int, str] | None = None,
    codes: Sequence[int] = (1, 2, 3, 4, 5, 6),
    start: dt.date | None = None,
    end: dt.date | None = None,
    width: float | None = None,
) -> Drawing:
    """The housing situation over time: one lane per code (1 at the bottom), a bar per period.

    ``code_labels`` (short, translated by the caller) are drawn left of the lanes, after the
    code number. A period still going on ends in an arrow at ``end`` (default: the print date).
    Moves between codes are joined by thin vertical lines, so the path reads like steps.
    """
    fonts = register_fonts()
    size = _font_size(context)
    w = frame_width(context) if width is None else width
    today = context.printed_at.date()
    if end is None:
        end = max([today, *[p.end for p in periods if p.end is not None]])
    if start is None:
        start = min([p.start for p in periods], default=_add_months(_month_start(end), -12))
    start = _month_start(start)
    end = max(end, _add_months(start, 1))
    lane_h = size * 2.0
    axis_h = size * 3.4
    h = lane_h * len(codes) + axis_h + size
    drawing = _drawing(w, h)

    def lane_label(code: int) -> str:
        label = (code_labels or {}).get(code, "")
        return f"{code}  {label}" if label else str(code)

    label_w = max(float(stringWidth(lane_label(c), fonts.regular, size)) for c in codes)
    label_w = min(label_w, w * 0.3)
    x0, x1 = label_w + size, w - size
    span = (end - start).days or 1

    def x_of(day: dt.date) -> float:
        return x0 + (x1 - x0) * (min(max(day, start), end) - start).days / span

    def lane_y(code: int) -> float:
        return axis_h + lane_h * codes.index(code)

    for index, code in enumerate(codes):
        y = lane_y(code)
        if index % 2 == 0:
            drawing.add(Rect(x0, y, x1 - x0, lane_h, fillColor=LIGHT, strokeColor=None))
        text = lane_label(code)
        lines = simpleSplit(text, fonts.regular, size, label_w)
        text = lines[0] if len(lines) <= 1 else lines[0].rstrip() + "…"
        drawing.add(_text(x0 - size * 0.5, y + lane_h / 2 - size * 0.35, text, size, anchor="end"))

    ticks, kind = _ticks(start, end)
    locale = context.translator.babel_locale
    previous_year: int | None = None
    for tick in ticks:
        x = x_of(tick)
        drawing.add(Line(x, axis_h, x, h - size, strokeColor=GRID, strokeWidth=0.5))
        drawing.add(Line(x, axis_h, x, axis_h - size * 0.4, strokeColor=INK, strokeWidth=0.6))
        if kind == "year":
            drawing.add(_text(x, axis_h - size * 1.5, str(tick.year), size, anchor="middle"))
            continue
        month = format_skeleton("MMM", tick, locale=locale)
        drawing.add(_text(x, axis_h - size * 1.5, month, size, anchor="middle"))
        if tick.year != previous_year:
            year = format_skeleton("y", tick, locale=locale)
            drawing.add(_text(x, axis_h - size * 2.7, year, size, anchor="middle", bold=True))
            previous_year = tick.year
    drawing.add(Line(x0, axis_h, x1, axis_h, strokeColor=INK, strokeWidth=0.8))

    ordered = sorted((p for p in periods if p.code in codes), key=lambda p: p.start)
    bar_h = lane_h * 0.6
    last: tuple[float, float] | None = None
    for period in ordered:
        period_end = end if period.end is None else period.end
        if period_end < start or period.start > end:
            continue
        left, right = x_of(period.start), max(x_of(period_end), x_of(period.start) + 1.5)
        y = lane_y(period.code) + (lane_h - bar_h) / 2
        if last is not None and abs(last[0] - left) < 3:
            drawing.add(
                Line(
                    left,
                    last[1],
                    left,
                    y + bar_h / 2,
                    strokeColor=MUTED,
                    strokeWidth=0.8,
                    strokeDashArray=[2, 1.5],
                )
            )
        drawing.add(
            Rect(left, y, right - left, bar_h, fillColor=BLUE, strokeColor=BLACK, strokeWidth=0.6)
        )
        if period.end is None:
            tip = size * 0.6
            drawing.add(
                Polygon(
                    [right, y - 1, right, y + bar_h + 1, right + tip, y + bar_h / 2],
                    fillColor=BLACK,
                    strokeColor=BLACK,
                    strokeWidth=0.5,
                )
            )
        last = (right, y + bar_h / 2)
    return drawing
