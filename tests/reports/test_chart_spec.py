"""One chart specification for the screen and the paper: the same series looks in the Qt
charts and the PDF charts, and the instrument's own scale on both (a 13-area instrument rated
0-8 is drawn with rings 0-8 in the case summary PDF, read back)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from clientworld import World
from PySide6.QtGui import QColor
from report_samples import AREAS, context, page_texts
from reportlab.graphics.shapes import Drawing, Group, Line

from hemlos_desktop.models.assessment_rules import AreaRating, RatingDraft
from hemlos_desktop.models.chart_spec import (
    DASH_PATTERNS,
    SERIES_STYLES,
    LevelScale,
    scale_of,
    styles_for,
)
from hemlos_desktop.reports.charts import RadarSeries, radar_chart
from hemlos_desktop.services import assessments, instruments
from hemlos_desktop.services.pdf_export import PdfOptions, export_pdf
from hemlos_desktop.ui.assessments import charts as screen

TODAY = dt.date(2026, 3, 5)


def test_the_screen_uses_the_specification() -> None:
    assert screen.SERIES_STYLES is SERIES_STYLES
    for count in (1, 2, 3):
        for index, style in enumerate(styles_for(count)):
            assert screen.style_for(index, count) is style
            pen = screen._series_pen(style, 12.0)  # noqa: SLF001
            assert pen.color() == QColor(style.colour)
            pattern = DASH_PATTERNS[style.dash]
            assert pen.dashPattern() == (list(pattern) if pattern else [])


def _series_lines(drawing: Drawing) -> set[tuple[str, tuple[float, ...]]]:
    """(colour, dash pattern in units of the line width) of every series line drawn."""
    found: set[tuple[str, tuple[float, ...]]] = set()

    def walk(node: object) -> None:
        if isinstance(node, Group | Drawing):
            for child in node.contents:
                walk(child)
        elif isinstance(node, Line) and node.strokeWidth >= 1.0:
            dash = tuple(round(v / node.strokeWidth, 3) for v in node.strokeDashArray or ())
            found.add(("#" + node.strokeColor.hexval()[2:].lower(), dash))

    walk(drawing)
    return found


@pytest.mark.parametrize("count", [1, 2, 3])
def test_the_pdf_draws_the_same_series(count: int) -> None:
    series = [RadarSeries(f"s{i}", [2, 3, 4, 3, 2]) for i in range(count)]
    drawing = radar_chart(context("sv"), AREAS["sv"], series)
    expected = {
        (style.colour.lower(), tuple(DASH_PATTERNS[style.dash] or ()))
        for style in styles_for(count)
    }
    assert _series_lines(drawing) == expected


def _instrument_text(lowest: int, highest: int, areas: int) -> str:
    lines = [
        'id = "test-wide-scale"',
        "version = 1",
        'name = { sv = "Bred skala", da = "Bred skala", en = "Wide scale" }',
        "[scale]",
        f"lowest = {lowest}",
        f"highest = {highest}",
        "[qualification]",
        f"qualify_max_level = {lowest + 1}",
    ]
    for a in range(areas):
        lines += [
            "[[areas]]",
            f'key = "area_{a:02d}"',
            f'name = {{ sv = "Område {a}", da = "Område {a}", en = "Area {a}" }}',
        ]
        for level in range(lowest, highest + 1):
            lines += [
                "[[areas.levels]]",
                f"level = {level}",
                f'label = {{ sv = "Nivå {level}", da = "Niveau {level}", en = "Level {level}" }}',
                f'description = {{ sv = "N{level}.", da = "N{level}.", en = "L{level}." }}',
            ]
    return "\n".join(lines) + "\n"


def test_thirteen_areas_on_their_own_scale_in_the_pdf(world: World, tmp_path: Path) -> None:
    source = tmp_path / "wide.toml"
    source.write_text(_instrument_text(0, 8, 13), encoding="utf-8")
    info = instruments.import_instrument(world.db, world.actors["admin"], source).value
    inst = instruments.instrument_version(world.db, info.instrument_id, info.version)
    assert len(inst.areas) == 13 and scale_of(inst) == LevelScale(0, 8)
    cid = world.add("Kim", "Berg", by="anna")
    levels = [7] * 13
    draft = RatingDraft(
        inst.id,
        inst.version,
        TODAY,
        True,
        tuple(AreaRating(key, level) for key, level in zip(inst.area_keys, levels, strict=True)),
    )
    assessments.sign_draft(world.db, world.actors["anna"], cid, draft, today=TODAY)
    out = export_pdf(world.db, world.actors["anna"], cid, tmp_path / "s.pdf", PdfOptions("sv"))
    tokens = set(" ".join(page_texts(out.read_bytes())).split())
    assert "Område 12" in " ".join(page_texts(out.read_bytes()))
    # One ring label per level of the instrument's scale, 0 to 8 (a 1-5 radar shows no 0, 6, 8).
    assert {str(level) for level in range(0, 9)} <= tokens


def test_an_area_not_assessed_leaves_a_gap_in_the_specification() -> None:
    from hemlos_desktop.models.chart_spec import radar_segments

    assert radar_segments([2, 3, None, 3, 2]) == [(0, 1), (3, 4), (4, 0)]
    assert radar_segments([2, None, None, 3, 2]) == [(3, 4), (4, 0)]
    assert radar_segments([None, 3, None, 3, None]) == []
    assert radar_segments([1, 2]) == [(0, 1)]


def _series_segments(drawing: Drawing) -> list[tuple[float, float, float, float]]:
    """The end points of every series line drawn (not the thin grid, not the legend's
    sample line at the foot of the drawing)."""
    found: list[tuple[float, float, float, float]] = []

    def walk(node: object) -> None:
        if isinstance(node, Group | Drawing):
            for child in node.contents:
                walk(child)
        elif isinstance(node, Line) and node.strokeWidth >= 1.0:
            if not (node.y1 == node.y2 and node.y1 < LEGEND_TOP):
                found.append((node.x1, node.y1, node.x2, node.y2))

    walk(drawing)
    return found


LEGEND_TOP = 20.0  # points: the legend sits below this, the chart above


def test_the_pdf_radar_leaves_a_gap_at_an_area_not_assessed() -> None:
    full = radar_chart(context("sv"), AREAS["sv"], [RadarSeries("s", [2, 3, 4, 3, 2])])
    gap = radar_chart(context("sv"), AREAS["sv"], [RadarSeries("s", [2, 3, None, 3, 2])])
    assert len(_series_segments(full)) == 5
    lines = _series_segments(gap)
    assert len(lines) == 3  # neither neighbour of the third spoke joins it, nor each other
    # No line runs between the second and the fourth area across the gap.
    spokes_full = _series_segments(full)
    second = spokes_full[1][:2]
    fourth = spokes_full[3][:2]
    for x1, y1, x2, y2 in lines:
        ends = {(round(x1, 3), round(y1, 3)), (round(x2, 3), round(y2, 3))}
        assert ends != {tuple(round(v, 3) for v in second), tuple(round(v, 3) for v in fourth)}
