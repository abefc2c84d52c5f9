"""Benchmark of the shared PDF base: a two-page document with a table and one radar chart.

Prints readable lines and, last, one JSON line (see benchmarks/README.md). The baseline renders
the same paragraphs, table and chart shapes with bare ReportLab calls in the same process.
"""

from __future__ import annotations

# First: the package sets ReportLab up as the program runs it (no attribute check on chart
# shapes), for our reports and the bare floor alike, which share ReportLab's classes here.
import hemlos_desktop  # noqa: F401

# isort: split

import datetime as dt
import io
import json
import math
import time
from collections.abc import Callable

from reportlab.graphics.shapes import Drawing, Line, Polygon, String
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from hemlos_desktop.reports import flowables as fl
from hemlos_desktop.reports.charts import RadarSeries, radar_chart
from hemlos_desktop.reports.context import ReportContext
from hemlos_desktop.reports.document import pdf_bytes
from hemlos_desktop.reports.fonts import font_files, register_fonts

ROWS = 35
AREAS = ["Boende", "Försörjning", "Missbruk", "ADL", "Sysselsättning"]
TARGET_SECONDS = 0.2
TARGET_RATIO = 1.5


def ours(ctx: ReportContext) -> bytes:
    story = [
        fl.title(ctx, "Sammanfattning"),
        fl.facts_table(ctx, [("Klient", "Åsa Öberg"), ("Personnummer", "19850312-****")]),
        fl.heading1(ctx, "Insatser"),
        fl.data_table(
            ctx,
            ["Insats", "Ansvarig", "Klart senast"],
            [[f"Insats {i}", "Boendelots", "2026-04-01"] for i in range(ROWS)],
            col_widths=(5, 2, 2),
        ),
        radar_chart(
            ctx,
            AREAS,
            [RadarSeries("Förra", [1, 2, 2, 1, 3]), RadarSeries("Nu", [3, 3, 2, 2, 4])],
        ),
    ]
    return pdf_bytes(story, ctx)


def bare() -> bytes:
    for name, path in font_files().items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, path))
    body = ParagraphStyle("b", fontName="DejaVuSans", fontSize=10, leading=13)
    bold = ParagraphStyle("h", fontName="DejaVuSans-Bold", fontSize=14, leading=18)
    rows = [[Paragraph(t, bold) for t in ("Insats", "Ansvarig", "Klart senast")]]
    rows += [
        [
            Paragraph(f"Insats {i}", body),
            Paragraph("Boendelots", body),
            Paragraph("2026-04-01", body),
        ]
        for i in range(ROWS)
    ]
    style = TableStyle(
        [("FONTNAME", (0, 0), (-1, -1), "DejaVuSans"), ("GRID", (0, 0), (-1, -1), 0.25, "grey")]
    )
    drawing = Drawing(480, 300)
    drawing.initialFontName = "DejaVuSans"
    for level in range(1, 6):
        points: list[float] = []
        for i in range(5):
            angle = math.pi / 2 - 2 * math.pi * i / 5
            points += [240 + 25 * level * math.cos(angle), 150 + 25 * level * math.sin(angle)]
        drawing.add(Polygon(points, fillColor=None, strokeColor="grey"))
    for i, area in enumerate(AREAS):
        angle = math.pi / 2 - 2 * math.pi * i / 5
        drawing.add(Line(240, 150, 240 + 125 * math.cos(angle), 150 + 125 * math.sin(angle)))
        drawing.add(
            String(
                240 + 135 * math.cos(angle),
                150 + 135 * math.sin(angle),
                area,
                fontName="DejaVuSans",
                fontSize=8,
            )
        )
    story = [
        Paragraph("Sammanfattning", bold),
        Table([["Klient", "Åsa Öberg"], ["Personnummer", "19850312-****"]], style=style),
        Paragraph("Insatser", bold),
        Table(rows, repeatRows=1, style=style),
        drawing,
    ]
    buffer = io.BytesIO()

    def page(canvas: object, doc: object) -> None:
        canvas.setFont("DejaVuSans", 8)  # type: ignore[attr-defined]
        canvas.drawString(56, 820, "Stockholms stad")  # type: ignore[attr-defined]
        canvas.drawString(56, 30, f"Sida {doc.page}")  # type: ignore[attr-defined]

    SimpleDocTemplate(buffer, pagesize=A4, initialFontName="DejaVuSans").build(
        story, onFirstPage=page, onLaterPages=page
    )
    return buffer.getvalue()


def best_of(runs: int, func: Callable[[], bytes]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    start = time.perf_counter()
    register_fonts()
    font_seconds = time.perf_counter() - start
    ctx = ReportContext("sv", "Stockholms stad", "Åsa Lindqvist", dt.datetime(2026, 3, 5, 14, 30))
    ours(ctx)
    bare()
    seconds = best_of(7, lambda: ours(ctx))
    baseline = best_of(7, bare)
    ratio = seconds / baseline
    print(f"font registration (once per process): {font_seconds:.3f} s")
    print(f"two pages with table and radar chart: {seconds:.3f} s (target {TARGET_SECONDS})")
    print(
        f"bare ReportLab, same content: {baseline:.3f} s; ratio {ratio:.2f} (target {TARGET_RATIO})"
    )
    figures = {
        "seconds": round(seconds, 4),
        "font_registration_seconds": round(font_seconds, 4),
        "bare_reportlab_seconds": round(baseline, 4),
        "ratio_to_bare_reportlab": round(ratio, 3),
    }
    targets = {"seconds": TARGET_SECONDS, "ratio_to_bare_reportlab": TARGET_RATIO}
    passed = seconds <= TARGET_SECONDS and ratio <= TARGET_RATIO
    print(
        json.dumps(
            {"benchmark": "pdf_base", "figures": figures, "targets": targets, "pass": passed}
        )
    )


if __name__ == "__main__":
    main()
