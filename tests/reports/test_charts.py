"""Charts render as flowables in both languages, with their labels and edge cases."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from pdf_checks import font_problems
from report_samples import AREAS, HOUSING, charts, context, page_texts, read
from reportlab.graphics.shapes import Drawing, Group, Rect

from hemlos_desktop.models.chart_spec import LevelScale
from hemlos_desktop.reports.bar_chart import HIDDEN, BarSeries, grouped_bar_chart
from hemlos_desktop.reports.charts import HousingPeriod, RadarSeries, housing_timeline, radar_chart
from hemlos_desktop.reports.document import frame_width, pdf_bytes


def _text(drawings: list[Drawing], lang: str = "sv", **changes: object) -> str:
    ctx = context(lang, **changes)
    data = pdf_bytes(drawings, ctx)
    assert font_problems(read(data)) == []
    return " ".join(" ".join(page_texts(data)).split())


@pytest.mark.parametrize("lang", ["sv", "da"])
def test_sample_charts_render_with_their_labels(lang: str) -> None:
    ctx = context(lang)
    drawings = charts(ctx)
    for drawing in drawings:
        assert isinstance(drawing, Drawing)
        assert drawing.width <= frame_width(ctx) + 0.01
    text = _text(drawings, lang)
    for area in AREAS[lang]:
        assert area in text
    for code, label in HOUSING[lang].items():
        assert f"{code} {label}" in text
    assert "2025" in text and "2026" in text
    assert ("okt." if lang == "sv" else "okt.") in text
    assert ("juli" if lang == "sv" else "jul.") in text
    for value in ("12", "9", "7", "11"):
        assert value in text
    legend = (
        ("Första", "Föregående", "Senaste") if lang == "sv" else ("Første", "Forrige", "Seneste")
    )
    for label in legend:
        assert label in text


def test_radar_edge_cases() -> None:
    ctx = context("sv")
    six = ["A-område", "B-område", "C-område", "D-område", "E-område", "F-område"]
    drawings = [
        radar_chart(ctx, six, [RadarSeries("Nu", [6, 1, None, 3, 7, 0])], scale=LevelScale(1, 6)),
        radar_chart(ctx, AREAS["sv"], []),
        radar_chart(ctx, AREAS["sv"], [RadarSeries("Kort", [2])], width=200, height=180),
    ]
    assert drawings[2].width == 200 and drawings[2].height == 180
    text = _text(drawings)
    assert "F-område" in text and "6" in text
    with pytest.raises(ValueError):
        radar_chart(ctx, ["a", "b"], [])
    with pytest.raises(ValueError):
        radar_chart(ctx, AREAS["sv"], [RadarSeries(str(i), [1] * 5) for i in range(4)])


def test_timeline_ticks_follow_the_span() -> None:
    ctx = context("da")
    short = housing_timeline(
        ctx, [HousingPeriod(dt.date(2025, 9, 15), None, 2)], end=dt.date(2026, 1, 20)
    )
    long = housing_timeline(
        ctx,
        [
            HousingPeriod(dt.date(2019, 5, 1), dt.date(2022, 1, 1), 1),
            HousingPeriod(dt.date(2022, 1, 1), None, 4),
        ],
    )
    empty = housing_timeline(ctx, [])
    text = _text([short, long, empty], "da")
    for month in ("okt.", "nov.", "dec.", "jan."):
        assert month in text
    for year in ("2020", "2021", "2022", "2023", "2024", "2025", "2026"):
        assert year in text


def test_bar_chart_values_in_locale() -> None:
    ctx = context("sv")
    chart = grouped_bar_chart(
        ctx,
        ["Kvar i bostaden efter ett år", "Hemlösa"],
        [
            BarSeries("Kvinnor", [1.5, None]),
            BarSeries("Män", [2.25, 0.5]),
            BarSeries("Totalt", [3.75, 0.5]),
        ],
        value_title="Andel (%)",
        decimals=1,
    )
    text = _text([chart])
    assert "1,5" in text and "3,8" in text and "Andel (%)" in text
    assert "Kvar i bostaden" in text
    with pytest.raises(ValueError):
        grouped_bar_chart(ctx, ["a"], [BarSeries(str(i), [1]) for i in range(5)])


def test_all_zero_bars() -> None:
    ctx = context("da")
    chart = grouped_bar_chart(ctx, ["Ingen"], [BarSeries("Kvinder", [0]), BarSeries("Mænd", [0])])
    assert "Kvinder" in _text([chart], "da")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_chart_page_renders_to_an_image(tmp_path: Path) -> None:
    ctx = context("sv")
    pdf = tmp_path / "charts.pdf"
    pdf.write_bytes(pdf_bytes(charts(ctx), ctx))
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    images = list(tmp_path.glob("page*.png"))
    assert len(images) == 1 and images[0].stat().st_size > 1000


def _bars(chart: Drawing) -> list[Rect]:
    """The filled rectangles of a drawing, nested groups included (bars and legend swatches)."""
    found: list[Rect] = []
    stack = list(chart.contents)
    while stack:
        item = stack.pop()
        if isinstance(item, Group):
            stack.extend(item.contents)
        elif isinstance(item, Rect) and item.fillColor is not None:
            found.append(item)
    return found


def test_a_hidden_value_draws_no_bar_and_no_number() -> None:
    ctx = context("sv")
    shown = grouped_bar_chart(
        ctx, ["Boende", "ADL"], [BarSeries("Första", [2.0, 3.7])], hidden_text="<5", decimals=1
    )
    hidden = grouped_bar_chart(
        ctx, ["Boende", "ADL"], [BarSeries("Första", [2.0, HIDDEN])], hidden_text="<5", decimals=1
    )
    assert "3,7" in _text([shown]) and "<5" not in _text([shown])
    text = _text([hidden])
    assert "3,7" not in text and "<5" in text and "2,0" in text
    # One bar fewer: the withheld value leaves no height to measure.
    assert len(_bars(hidden)) == len(_bars(shown)) - 1


def test_value_max_keeps_the_axis_when_everything_is_hidden() -> None:
    ctx = context("da")
    chart = grouped_bar_chart(
        ctx, ["Bolig"], [BarSeries("Første", [HIDDEN])], hidden_text="<5", value_max=5, decimals=1
    )
    text = _text([chart], "da")
    assert "5,0" in text and "<5" in text
