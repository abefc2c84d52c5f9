"""Where the radar chart writes its level numbers: on the bisector of the last and first
spokes, pushed out far enough that no spoke crosses a number, and dropped when a number
would cover its inner neighbour (in a very small chart)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QLineF, QPointF, QRectF
from PySide6.QtGui import QFontMetricsF


def tick_boxes(
    metrics: QFontMetricsF,
    centre: QPointF,
    ticks: Sequence[int],
    ring_radius: Callable[[int], float],
    count: int,
) -> list[tuple[QRectF, str]]:
    """The box and text of each level number, innermost first. ``ring_radius(level)`` is
    the ring's distance from the centre at its corners; ``count`` the number of spokes."""
    half_angle = math.pi / count
    bisector = -math.pi / 2 - half_angle
    placed: list[tuple[QRectF, str]] = []
    for level in ticks:
        text = str(level)
        w, h = metrics.horizontalAdvance(text) + 2, metrics.height()
        # The box's farthest corner from the bisector must stay clear of both spokes.
        clear = (math.hypot(w, h) / 2 + 1) / math.sin(half_angle)
        distance = max(ring_radius(level) * math.cos(half_angle), clear)
        cx = centre.x() + distance * math.cos(bisector)
        cy = centre.y() + distance * math.sin(bisector)
        box = QRectF(cx - w / 2, cy - h / 2, w, h)
        if placed and placed[-1][0].intersects(box):
            continue  # no room beside the inner number: the ring itself shows the level
        placed.append((box, text))
    return placed


def crosses(box: QRectF, line: QLineF) -> bool:
    """Whether ``line`` runs through ``box`` (sampled finely enough for a text box)."""
    steps = max(2, int(line.length()))
    return any(box.contains(line.pointAt(i / steps)) for i in range(steps + 1))
