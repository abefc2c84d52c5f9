"""The grouped bar chart of the follow-up report, as a ReportLab drawing: series told apart by
fill and hatching as well as colour, so it reads in grey-scale (see :mod:`.charts`)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Group, Line, Rect
from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from hemlos_desktop.reports.charts import (
    BLACK,
    BLUE,
    GRID,
    ORANGE,
    _drawing,
    _font_size,
    _text,
)
from hemlos_desktop.reports.context import ReportContext
from hemlos_desktop.reports.document import frame_width
from hemlos_desktop.reports.fonts import register_fonts
from hemlos_desktop.reports.styles import INK, MUTED


@dataclass(frozen=True)
class BarSeries:
    """One group member in a grouped bar chart (e.g. women), one value per category.

    A value of None draws "–" (nothing to show); a value of :data:`HIDDEN` draws the chart's
    ``hidden_text`` (e.g. "<5") where the bar would stand, and no bar, so that a figure about
    too few people is neither written nor readable from a bar's height.
    """

    label: str
    values: Sequence[float | None | Hidden]


class Hidden:
    """The type of :data:`HIDDEN`: a value withheld from the chart (too few people)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "HIDDEN"


HIDDEN = Hidden()


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
    hidden_text: str = "",
    value_max: float = 0.0,
    width: float | None = None,
    height: float | None = None,
    decimals: int = 0,
) -> Drawing:
    """Bars per category, one per series (e.g. women, men, total), with values on top.

    Series are told apart by fill and hatching as well as colour; ``value_title`` is written
    above the value axis. Values are formatted in the document's locale with ``decimals``.
    A :data:`HIDDEN` value is drawn as ``hidden_text`` on the base line, without a bar; it
    plays no part in the scale of the axis. The axis reaches at least ``value_max`` (e.g. the
    highest level of a scale), so that it keeps its shape when every value is hidden.
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

    values = [float(v) for s in series for v in s.values if isinstance(v, int | float)]
    top = max([*values, value_max])
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
            if isinstance(bar_value, Hidden):
                drawing.add(
                    _text(
                        bx + bar_w * 0.46,
                        y0 + size * 0.3,
                        hidden_text,
                        size,
                        anchor="middle",
                        color=MUTED,
                    )
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
