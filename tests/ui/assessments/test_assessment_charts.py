"""Radar and line charts: text alternatives, table model, drawing at several sizes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from pytestqt.qtbot import QtBot

from hemlos_desktop import i18n
from hemlos_desktop.models.instrument import (
    SODERMALM_ID,
    Instrument,
    load_instrument,
    shipped_instrument,
)
from hemlos_desktop.ui.assessments.chart_table import ChartTableModel
from hemlos_desktop.ui.assessments.chart_ticks import crosses
from hemlos_desktop.ui.assessments.charts import (
    SERIES_STYLES,
    AreaLineChart,
    ChartPanel,
    ChartSeries,
    RadarChart,
    comparison_series,
    style_for,
)

KEYS = ("housing", "income", "substance_use", "daily_living", "occupation")
DATA = Path(__file__).resolve().parent.parent.parent / "data"


@pytest.fixture
def inst() -> Instrument:
    return shipped_instrument(SODERMALM_ID)


def _series() -> list[ChartSeries]:
    return [
        ChartSeries("First", dict(zip(KEYS, (1, 1, 2, 1, 1), strict=True)), dt.date(2026, 1, 12)),
        ChartSeries("Previous", dict(zip(KEYS, (2, 2, 2, 3, None), strict=True))),
        ChartSeries("Latest", dict(zip(KEYS, (3, 4, 2, 4, 3), strict=True)), dt.date(2026, 11, 2)),
    ]


def test_radar_text_alternative(qtbot: QtBot, inst: Instrument) -> None:
    chart = RadarChart()
    qtbot.addWidget(chart)
    chart.set_data(inst, _series())
    assert chart.table_headers() == [
        "Area",
        "First (12 Jan 2026)",
        "Previous",
        "Latest (2 Nov 2026)",
    ]
    rows = chart.table_rows()
    assert rows[0] == [
        "Housing",
        "1 – Homeless, a roof over the head",
        "2 – Supported housing, friends, problematic home",
        "3 – Training flat",
    ]
    assert rows[4][2] == "Not assessed"
    assert chart.accessibleName() == "Radar chart of the independence ratings"
    assert "Latest (2 Nov 2026): Housing 3, Income 4" in chart.accessibleDescription()
    model = chart.table_model
    assert model.rowCount() == 5 and model.columnCount() == 4
    assert model.index(0, 3).data() == "3 – Training flat"
    i18n.set_language("sv")
    chart.retranslate_ui()
    assert chart.table_rows()[0][0] == "Boende"
    assert chart.table_rows()[0][3] == "3 – Träningsboende"


def test_radar_limits_and_styles(qtbot: QtBot, inst: Instrument) -> None:
    chart = RadarChart()
    qtbot.addWidget(chart)
    with pytest.raises(ValueError, match="at most"):
        chart.set_data(inst, [*_series(), _series()[0]])
    # the latest is always drawn as "latest"; with two series the older one as "first"
    assert style_for(0, 1) is SERIES_STYLES[2]
    assert (style_for(0, 2), style_for(1, 2)) == (SERIES_STYLES[0], SERIES_STYLES[2])
    assert [style_for(i, 3) for i in range(3)] == list(SERIES_STYLES)
    dashes = {style.dash for style in SERIES_STYLES}
    markers = {style.marker for style in SERIES_STYLES}
    assert len(dashes) == len(markers) == 3


@pytest.mark.parametrize("lang", ["sv", "da", "en"])
def test_charts_paint(qtbot: QtBot, inst: Instrument, lang: str) -> None:
    i18n.set_language(lang)
    radar = RadarChart()
    qtbot.addWidget(radar)
    radar.set_data(inst, _series())
    thirteen = load_instrument(DATA / "self-sufficiency-13.toml")
    radar13 = RadarChart()
    qtbot.addWidget(radar13)
    radar13.set_data(thirteen, [ChartSeries("Latest", dict.fromkeys(thirteen.area_keys, 3))])
    line = AreaLineChart()
    qtbot.addWidget(line)
    line.set_data(inst, "housing", [(dt.date(2026, 5, 1), 2), (dt.date(2026, 1, 1), 1)])
    empty = RadarChart()
    qtbot.addWidget(empty)
    for widget in (radar, radar13, line, empty):
        for size in (widget.sizeHint(), widget.minimumSizeHint(), QSize(900, 500)):
            widget.resize(size)
            image = widget.grab().toImage()
            assert not image.isNull() and image.width() == size.width()


def test_line_chart_dates_by_locale(qtbot: QtBot, inst: Instrument) -> None:
    chart = AreaLineChart()
    qtbot.addWidget(chart)
    points = [(dt.date(2026, 3, 1), 2), (dt.date(2026, 1, 12), 1), (dt.date(2026, 6, 1), 6)]
    chart.set_data(inst, "housing", points)
    assert chart.table_rows() == [
        ["12 Jan 2026", "1 – Homeless, a roof over the head"],
        ["1 Mar 2026", "2 – Supported housing, friends, problematic home"],
        ["1 Jun 2026", "6 – Area closed"],
    ]
    assert chart.accessibleName() == "Line chart: Housing over time"
    i18n.set_language("da")
    chart.retranslate_ui()
    assert chart.table_rows()[0][0] == "12. jan. 2026"
    assert "Bolig" in chart.accessibleName()
    with pytest.raises(KeyError):
        chart.set_data(inst, "no_such_area", [])


def test_chart_table_model(qtmodeltester, qtbot: QtBot, inst: Instrument) -> None:  # type: ignore[no-untyped-def]
    model = ChartTableModel()
    qtmodeltester.check(model)
    model.set_table(["A", "B"], [["1", "2"], ["3"]])
    qtmodeltester.check(model)
    assert model.index(1, 1).data() == ""
    assert model.headerData(0, Qt.Orientation.Horizontal) == "A"
    panel = ChartPanel(chart=RadarChart())
    qtbot.addWidget(panel)
    panel.chart.set_data(inst, _series())
    qtmodeltester.check(panel.chart.table_model)
    assert panel.table.model().rowCount() == 5
    assert "Radar chart" in panel.table.accessibleName()


def test_comparison_series() -> None:
    a = (dt.date(2026, 1, 1), {"housing": 1})
    b = (dt.date(2026, 2, 1), {"housing": 2})
    c = (dt.date(2026, 3, 1), {"housing": 3})
    d = (dt.date(2026, 4, 1), {"housing": 4})
    assert comparison_series([]) == []
    assert [s.name for s in comparison_series([a])] == ["Latest"]
    assert [s.rated_on for s in comparison_series([b, a])] == [a[0], b[0]]
    series = comparison_series([d, a, c, b])
    assert [(s.name, s.levels["housing"]) for s in series] == [
        ("First", 1),
        ("Previous", 3),
        ("Latest", 4),
    ]


def _scaled_radar(
    qtbot: QtBot, instrument: Instrument, font_scale: float, *, level: int
) -> RadarChart:
    """A radar chart with its font scaled, every area of ``instrument`` at ``level``."""
    chart = RadarChart()
    qtbot.addWidget(chart)
    font = chart.font()
    font.setPointSizeF(font.pointSizeF() * font_scale)
    chart.setFont(font)
    chart.set_data(instrument, [ChartSeries("Latest", dict.fromkeys(instrument.area_keys, level))])
    return chart


@pytest.mark.parametrize(("lang", "font_scale"), [("sv", 1.0), ("da", 1.5), ("en", 2.0)])
def test_radar_labels_fit_and_do_not_collide(qtbot: QtBot, lang: str, font_scale: float) -> None:
    """Labels stay inside the widget and apart, also with large text (sizes follow the font)."""
    i18n.set_language(lang)
    thirteen = load_instrument(DATA / "self-sufficiency-13.toml")
    for instrument in (shipped_instrument(SODERMALM_ID), thirteen):
        chart = _scaled_radar(qtbot, instrument, font_scale, level=2)
        small = chart.minimumSizeHint()
        wide = QSize(small.width() * 2, small.height())
        for size in (small, chart.sizeHint(), wide):
            chart.resize(size)
            chart.grab()
            rects = chart.label_layout()
            assert len(rects) == len(instrument.areas)
            bounds = chart.rect().toRectF()
            for i, rect in enumerate(rects):
                assert bounds.contains(rect), (lang, instrument.id, size, i)
                assert not any(rect.intersects(other) for other in rects[i + 1 :])


def test_the_screen_radar_leaves_a_gap_at_an_area_not_assessed(
    qtbot: QtBot, inst: Instrument
) -> None:
    chart = RadarChart()
    qtbot.addWidget(chart)
    chart.resize(500, 500)
    full = dict(zip(KEYS, (2, 3, 4, 3, 2), strict=True))
    gap = dict(zip(KEYS, (2, 3, None, 3, 2), strict=True))
    chart.set_data(inst, [ChartSeries("First", full), ChartSeries("Latest", gap)])
    chart.grab()  # paints
    first, latest = chart.drawn_lines()
    assert len(first) == 5
    assert len(latest) == 3
    # The latest series shares the rated spokes' points with the first (same levels); no
    # line of it ends at the substance-use spoke, and none joins income to daily living.
    income = first[0].p2()
    daily = first[3].p1()
    substance = first[1].p2()
    for line in latest:
        assert substance not in (line.p1(), line.p2())
        assert {line.p1().toTuple(), line.p2().toTuple()} != {income.toTuple(), daily.toTuple()}


@pytest.mark.parametrize("font_scale", [1.0, 1.5])
def test_the_level_numbers_sit_clear_of_the_spokes(qtbot: QtBot, font_scale: float) -> None:
    """The "1" sat where the spokes meet near the centre and a grid line ran through it."""
    thirteen = load_instrument(DATA / "self-sufficiency-13.toml")
    for instrument in (shipped_instrument(SODERMALM_ID), thirteen):
        chart = _scaled_radar(qtbot, instrument, font_scale, level=1)
        for size in (chart.minimumSizeHint(), chart.sizeHint(), QSize(360, 300)):
            chart.resize(size)
            chart.grab()
            boxes, spokes = chart.tick_layout()
            texts = [text for _box, text in boxes]
            assert len(spokes) == len(instrument.areas)
            assert texts and texts == sorted(texts, key=int), (instrument.id, size)
            if size == QSize(360, 300):
                assert texts[0] == str(instrument.lowest)  # room enough: the "1" is shown
            for i, (box, text) in enumerate(boxes):
                assert not any(crosses(box, spoke) for spoke in spokes), (instrument.id, text)
                assert not any(box.intersects(other) for other, _t in boxes[i + 1 :])
