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

from hemlos_desktop.reports.context import ReportContext
from hemlos_desktop.reports.document import frame_width
from hemlos_desktop.reports.fonts import register_fonts
from hemlos_desktop.reports.styles import INK, MUTED

BLACK = colors.Color(0, 0, 0)
BLUE = colors.HexColor("#0072B2")
ORANGE = colors.HexColor("#E69F00")
GRID = colors.Color(0.75, 0.75, 0.75)
LIGHT = colors.Color(0.92, 0.92, 0.92)


@dataclass(frozen=True)
class SeriesLook:
    """How one series is drawn: colour, dash pattern (None = solid), marker and line width."""

    color: colors.Color
    dash: tuple[float, ...] | None
    marker: str  # 'circle' | 'square' | 'triangle'
    width: float


# The most recent series is drawn last, on top, as a solid black line with round markers.
LATEST_FIRST_LOOKS: tuple[SeriesLook, ...] = (
    SeriesLook(BLACK, None, "circle", 2.0),
    SeriesLook(BLUE, (6, 3), "square", 1.6),
    SeriesLook(ORANGE, (1.5, 2.5), "triangle", 2.0),
)


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


@dataclass(frozen=True)
class BarSeries:
    """One group member in a grouped bar chart (e.g. women), one value per category."""

    label: str
    values: Sequence[float | None]


# --- shared drawing helpers ------------------------------------------------------------------


def _drawing(width: float, height: float) -> Drawing:
    """A drawing whose initial font is ours (ReportLab would start every drawing in Helvetica)."""
    drawing = Drawing(width, height)
    drawing.initialFontName = register_fonts().regular
    return drawing


def _font_size(context: ReportContext) -> float:
    return 11.0 if context.large_type else 8.0


def _marker(kind: str, x: float, y: float, size: float, color: colors.Color) -> Group:
    half = size / 2
    group = Group()
    if kind == "square":
        group.add(Rect(x - half, y - half, size, size, fillColor=color, strokeColor=color))
    elif kind == "triangle":
        h = size * 0.6
        group.add(
            Polygon(
                [x, y + h, x - h, y - h * 0.8, x + h, y - h * 0.8],
                fillColor=color,
                strokeColor=color,
                strokeWidth=0.5,
            )
        )
    else:
        group.add(Circle(x, y, half, fillColor=color, strokeColor=color))
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
        drawing.add(_marker(look.marker, x + sample / 2, mid, size * 0.6, look.color))
        drawing.add(_text(x + sample + size * 0.5, y, label, size))
        x += width + gap


# --- radar chart ----------------------------------------------------------------------------


def radar_chart(
    context: ReportContext,
    areas: Sequence[str],
    series: Sequence[RadarSeries],
    *,
    max_level: int = 5,
    width: float | None = None,
    height: float | None = None,
) -> Drawing:
    """Areas as spokes, levels 1..``max_level`` as rings, up to three ratings as outlines.

    Pass the series oldest first (first, previous, latest): the last one is drawn on top as a
    solid black line with round markers, the one before dashed with squares, the one before that
    dotted with triangles. A level above ``max_level`` is drawn at ``max_level``.
    """
    if len(series) > len(LATEST_FIRST_LOOKS):
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
        r = radius * level / max_level
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    outline: list[float] = []
    for i in range(n):
        outline.extend(point(i, max_level))
    drawing.add(Polygon(outline, fillColor=LIGHT, strokeColor=None))
    for level in range(1, max_level + 1):
        ring: list[float] = []
        for i in range(n):
            ring.extend(point(i, level))
        drawing.add(Polygon(ring, fillColor=None, strokeColor=GRID, strokeWidth=0.6))
    for i, area in enumerate(areas):
        x, y = point(i, max_level)
        drawing.add(Line(cx, cy, x, y, strokeColor=GRID, strokeWidth=0.6))
        angle = math.pi / 2 - 2 * math.pi * i / n
        cos, sin = math.cos(angle), math.sin(angle)
        anchor = "middle" if abs(cos) < 0.25 else ("start" if cos > 0 else "end")
        lx, ly = point(i, max_level + 0.25)
        lines = simpleSplit(area, fonts.regular, size, label_w) or [area]
        if sin > 0.25:
            ly += size * 0.3 + (len(lines) - 1) * size * 1.15
        elif sin < -0.25:
            ly -= size
        else:
            ly += (len(lines) - 1) * size * 0.55 - size * 0.35
        for k, line in enumerate(lines):
            drawing.add(_text(lx, ly - k * size * 1.15, line, size, anchor=anchor))

    looks = list(reversed(LATEST_FIRST_LOOKS[: len(series)]))
    for one, look in zip(series, looks, strict=True):
        values = list(one.values) + [None] * (n - len(one.values))
        points = [
            None if v is None else point(i, min(max(v, 0), max_level))
            for i, v in enumerate(values[:n])
        ]
        for i in range(n):
            a, b = points[i], points[(i + 1) % n]
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
                drawing.add(_marker(look.marker, p[0], p[1], size * 0.7, look.color))
    # Level numbers beside the first spoke, on top of the series so none is hidden.
    number_size = size * 0.85
    for level in range(1, max_level + 1):
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


# --- grouped bar chart ----------------------------------------------------------------------


def _nice_step(maximum: float, decimals: int, ticks: int = 5) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) no finer than ``decimals`` allow."""
    raw = max(maximum / ticks, 10.0**-decimals)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return float(factor * magnitude)
    return float(10 * magnitude)


def _hatch(x: float, y: float, w: float, h: float, *, step: float, color: colors.Color) -> Group:
    """Diagonal lines (45°) clipped to the rectangle, for a fill that survives grey-scale."""
    group = Group()
    t = -h
    while t < w:
        # The line x' = x + t + s, y' = y + s for s in [0, h], clipped to [x, x + w].
        s0 = max(0.0, -t)
        s1 = min(h, w - t)
        if s1 > s0:
            group.add(
                Line(x + t + s0, y + s0, x + t + s1, y + s1, strokeColor=color, strokeWidth=0.8)
            )
        t += step
    return group


@dataclass(frozen=True)
class _BarLook:
    fill: colors.Color
    hatch: bool


_BAR_LOOKS: tuple[_BarLook, ...] = (
    _BarLook(BLUE, False),
    _BarLook(ORANGE, True),
    _BarLook(colors.white, False),
    _BarLook(colors.Color(0.55, 0.55, 0.55), True),
)


def _bar(
    drawing: Drawing | Group, x: float, y: float, w: float, h: float, *, look: _BarLook
) -> None:
    drawing.add(Rect(x, y, w, h, fillColor=look.fill, strokeColor=None))
    if look.hatch and h > 0:
        drawing.add(_hatch(x, y, w, h, step=4.0, color=BLACK))
    drawing.add(Rect(x, y, w, h, fillColor=None, strokeColor=BLACK, strokeWidth=0.7))


def grouped_bar_chart(
    context: ReportContext,
    categories: Sequence[str],
    series: Sequence[BarSeries],
    *,
    value_title: str = "",
    width: float | None = None,
    height: float | None = None,
    decimals: int = 0,
) -> Drawing:
    """Bars per category, one per series (e.g. women, men, total), with values on top.

    Series are told apart by fill and hatching as well as colour; ``value_title`` is written
    above the value axis. Values are formatted in the document's locale with ``decimals``.
    """
    if len(series) > len(_BAR_LOOKS):
        raise ValueError("a grouped bar chart shows at most four series")
    fonts = register_fonts()
    tr = context.translator
    size = _font_size(context)
    w = frame_width(context) if width is None else width
    h = w * 0.42 if height is None else height
    drawing = _drawing(w, h)

    def fmt(value: float) -> str:
        return tr.format_decimal(value, decimals)

    values = [v for s in series for v in s.values if v is not None]
    top = max(values, default=0.0)
    step = _nice_step(top if top > 0 else 1.0, decimals)
    axis_max = step * max(1, math.ceil(top / step))
    legend_h = size * 2.4
    group_w_guess = (w - size * 5) / max(1, len(categories))
    category_lines = [
        simpleSplit(c, fonts.regular, size, group_w_guess * 0.95) or [c] for c in categories
    ]
    label_rows = max((len(lines) for lines in category_lines), default=1)
    y0 = legend_h + size * (1.2 * label_rows + 0.8)
    y1 = h - size * (2.6 if value_title else 1.2)
    tick_w = max(
        stringWidth(fmt(step * i), fonts.regular, size)
        for i in range(int(round(axis_max / step)) + 1)
    )
    x0 = tick_w + size
    x1 = w - size * 0.5

    def y_of(value: float) -> float:
        return y0 + (y1 - y0) * value / axis_max

    tick_count = int(round(axis_max / step))
    for i in range(tick_count + 1):
        value = step * i
        y = y_of(value)
        drawing.add(
            Line(x0, y, x1, y, strokeColor=GRID if i else INK, strokeWidth=0.5 if i else 0.8)
        )
        drawing.add(_text(x0 - size * 0.4, y - size * 0.35, fmt(value), size, anchor="end"))
    if value_title:
        drawing.add(_text(x0, y1 + size * 1.3, value_title, size, bold=True))

    groups = max(1, len(categories))
    group_w = (x1 - x0) / groups
    bar_w = group_w * 0.75 / max(1, len(series))
    for g, lines in enumerate(category_lines):
        gx = x0 + g * group_w + group_w * 0.125
        for k, line in enumerate(lines):
            drawing.add(
                _text(
                    x0 + (g + 0.5) * group_w,
                    y0 - size * (1.3 + 1.2 * k),
                    line,
                    size,
                    anchor="middle",
                )
            )
        for s_index, one in enumerate(series):
            bar_value = one.values[g] if g < len(one.values) else None
            bx = gx + s_index * bar_w
            if bar_value is None:
                drawing.add(
                    _text(bx + bar_w / 2, y0 + size * 0.3, "–", size, anchor="middle", color=MUTED)
                )
                continue
            _bar(drawing, bx, y0, bar_w * 0.92, y_of(bar_value) - y0, look=_BAR_LOOKS[s_index])
            drawing.add(
                _text(
                    bx + bar_w * 0.46,
                    y_of(bar_value) + size * 0.3,
                    fmt(bar_value),
                    size,
                    anchor="middle",
                )
            )

    # Legend: swatches with the same fill and hatching as the bars.
    sample = size * 1.4
    gap = size * 1.5
    widths = [sample + size * 0.5 + stringWidth(s.label, fonts.regular, size) for s in series]
    x = max(0.0, (w - sum(widths) - gap * (len(series) - 1)) / 2)
    for s_index, (one, item_w) in enumerate(zip(series, widths, strict=True)):
        _bar(drawing, x, size * 0.4, sample, size * 1.1, look=_BAR_LOOKS[s_index])
        drawing.add(_text(x + sample + size * 0.5, size * 0.55, one.label, size))
        x += item_w + gap
    return drawing
