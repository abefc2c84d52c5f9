"""What a rating chart shows, the same on screen and on paper: the look of each series and the
instrument's own scale. Plain data: the screen charts (``ui/assessments/charts.py``, Qt) and the
PDF charts (``reports/charts.py``, ReportLab) each translate it into their toolkit.

Series differ by dash pattern and marker shape as well as colour (Okabe–Ito palette), so they
stay apart in grey-scale print and for colour-blind readers. Up to three ratings are compared:
first, previous and latest, increasingly strong so that "latest" reads as the main line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from hemlos_desktop.models.instrument import Instrument


class LineDash(StrEnum):
    SOLID = "solid"
    DASH = "dash"
    DOT = "dot"


# Dash patterns (on, off) in units of the line's width; None draws a solid line.
DASH_PATTERNS: dict[LineDash, tuple[float, ...] | None] = {
    LineDash.SOLID: None,
    LineDash.DASH: (4.0, 2.0),
    LineDash.DOT: (1.0, 2.0),
}


@dataclass(frozen=True)
class SeriesStyle:
    """How one series is drawn: colour (#rrggbb), dash, marker, filled marker, relative width
    (1.0 = the thinnest series line)."""

    colour: str
    dash: LineDash
    marker: str  # "circle" | "square" | "triangle"
    filled: bool
    width: float = 1.0


# first, previous, latest
SERIES_STYLES: tuple[SeriesStyle, ...] = (
    SeriesStyle("#0072B2", LineDash.DOT, "circle", filled=False, width=1.0),
    SeriesStyle("#D55E00", LineDash.DASH, "square", filled=False, width=1.3),
    SeriesStyle("#000000", LineDash.SOLID, "triangle", filled=True, width=1.8),
)
MAX_SERIES = len(SERIES_STYLES)


def style_for(index: int, count: int) -> SeriesStyle:
    """Style of series ``index`` of ``count`` (oldest first): the last is always drawn as
    "latest", and with two series the older one is drawn as "first"."""
    if count == 1 or index == count - 1:
        return SERIES_STYLES[-1]
    if count == 2 or index == 0:
        return SERIES_STYLES[0]
    return SERIES_STYLES[1]


def styles_for(count: int) -> tuple[SeriesStyle, ...]:
    return tuple(style_for(i, count) for i in range(count))


@dataclass(frozen=True)
class LevelScale:
    """The levels an instrument rates on (its ``[scale]``): one ring or grid line per level."""

    lowest: int = 1
    highest: int = 5

    def __post_init__(self) -> None:
        if self.highest < self.lowest:
            raise ValueError("a scale's highest level is below its lowest")

    @property
    def ticks(self) -> tuple[int, ...]:
        return tuple(range(self.lowest, self.highest + 1))

    def fraction(self, level: float) -> float:
        """How far out ``level`` lies, from the centre (0) to the outer ring (1); the lowest
        level is the first ring, not the centre."""
        return (level - self.lowest + 1) / (self.highest - self.lowest + 1)

    def drawn(self, level: int | None) -> int | None:
        """``level`` when it is on the scale; None (not drawn) for no rating or a code outside
        the scale, such as "case closed"."""
        if level is None or not self.lowest <= level <= self.highest:
            return None
        return level


def radar_segments(levels: Sequence[int | None]) -> list[tuple[int, int]]:
    """The spokes a radar series joins with a line: each pair of neighbouring spokes (the last
    with the first) where both areas have a drawn level. An area not assessed (None, or a code
    off the scale) leaves a gap: no line reaches its spoke and none is drawn across it to the
    next rated area, so the outline never suggests a level nobody gave."""
    count = len(levels)
    if count < 2:
        return []
    pairs = [(i, i + 1) for i in range(count - 1)]
    if count > 2:
        pairs.append((count - 1, 0))
    return [(a, b) for a, b in pairs if levels[a] is not None and levels[b] is not None]


def scale_of(instrument: Instrument) -> LevelScale:
    return LevelScale(instrument.lowest, instrument.highest)
