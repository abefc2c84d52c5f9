"""pdf_summary: one case summary with the housing timeline chart, on the 20,000-client demo.

``seconds`` is the whole use case for one client (read through the services, lay out, render
to bytes). ``ratio_to_bare_reportlab`` compares rendering the same gathered data with our
report code against the same paragraphs, tables and chart shapes made with bare ReportLab
calls in the same process. The last line printed is one JSON object (benchmarks/README.md).
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
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from hemlos_desktop import i18n
from hemlos_desktop.demo.data import create_demo_database, open_demo
from hemlos_desktop.reports.case_summary import (
    CaseSummaryData,
    case_summary_story,
    summary_context,
)
from hemlos_desktop.reports.document import pdf_bytes
from hemlos_desktop.reports.fonts import font_files, register_fonts
from hemlos_desktop.services.clients import ClientQuery, search_ids
from hemlos_desktop.services.pdf_export import (
    PdfOptions,
    gather_case_summary,
    render_case_summary,
)
from hemlos_desktop.storage import DataLocation

CLIENTS = 20_000
BENCH_DIR = Path(__file__).resolve().parent.parent / "build" / "bench"
TARGET_SECONDS = 0.3
TARGET_RATIO = 1.5
RUNS = 9


def demo_location(clients: int = CLIENTS) -> DataLocation:
    """The cached demo database (made on first use; built aside and moved in when complete)."""
    folder = BENCH_DIR / f"demo-{clients}"
    if DataLocation(folder).database.exists():
        return DataLocation(folder)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"demo-{clients}-", dir=BENCH_DIR))
    try:
        create_demo_database(DataLocation(work), clients=clients)
        shutil.rmtree(folder, ignore_errors=True)
        work.rename(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return DataLocation(folder)


def bare(data: CaseSummaryData) -> bytes:
    """The same content with bare ReportLab: paragraphs, tables, a timeline drawing, and the
    rating (with its radar drawing), plan and team sections when the client has them."""
    for name, path in font_files().items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, path))
    body = ParagraphStyle("b", fontName="DejaVuSans", fontSize=9, leading=12)
    bold = ParagraphStyle("h", fontName="DejaVuSans-Bold", fontSize=14, leading=18)
    style = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), "DejaVuSans"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), "lightgrey"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, "grey"),
            ("BOX", (0, 0), (-1, -1), 0.5, "grey"),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), ["white", "#eeeeee"]),
        ]
    )
    c = data.client

    def p(text: str) -> Paragraph:
        return Paragraph(text, body)

    facts = [
        [p(label), p(value)]
        for label, value in (
            ("Klient", c.display_name),
            ("Personnummer", c.id_text),
            ("Födelsedatum", str(c.birth_date)),
            ("Kön", c.gender.value),
            ("Språk", c.language),
            ("Målgrupper", ", ".join(g.value for g in c.target_groups)),
            ("Ansvarig handläggare", c.responsible),
            ("Team", c.team),
            ("Status", c.status.value),
            ("Skyddade personuppgifter", "Nej"),
        )
    ]
    drawing = Drawing(480, 150)
    drawing.initialFontName = "DejaVuSans"
    for code in range(1, 7):
        y = 30 + (code - 1) * 18
        drawing.add(Rect(120, y, 350, 18, fillColor="#eeeeee", strokeColor=None))
        drawing.add(String(115, y + 5, f"{code} Boende", fontName="DejaVuSans", fontSize=8))
    start = min((pp.start for pp in data.periods), default=dt.date(2024, 1, 1))
    span = max((dt.date(2026, 3, 5) - start).days, 1)
    for month in range(0, span // 30, 3):
        x = 120 + 350 * month * 30 / span
        drawing.add(Line(x, 30, x, 140, strokeColor="#bbbbbb"))
        drawing.add(String(x, 18, f"{month}", fontName="DejaVuSans", fontSize=8))
    for pp in data.periods:
        end = pp.end or dt.date(2026, 3, 5)
        x0 = 120 + 350 * (pp.start - start).days / span
        x1 = 120 + 350 * (end - start).days / span
        drawing.add(Rect(x0, 30 + (pp.code - 1) * 18 + 4, max(x1 - x0, 1.5), 10, fillColor="blue"))
    periods = [[p("Från"), p("Till"), p("Boendesituation"), p("Plats")]] + [
        [p(str(pp.start)), p(str(pp.end or "pågår")), p(f"{pp.code} – boende"), p(pp.place)]
        for pp in data.periods
    ]
    contacts = [[p("Datum"), p("Typ"), p("Plats"), p("Resultat"), p("Av")]] + [
        [p(str(x.date)), p(x.kind.value), p(x.place), p(x.outcome.value), p(x.recorded_by)]
        for x in data.contacts
    ]
    story = [
        Paragraph(f"Sammanfattning av ärendet – {c.display_name}", bold),
        Table(facts, style=style),
        Paragraph("Boende", bold),
        Table([[p("Nuvarande boende"), p(f"{c.housing_code} sedan {c.housing_since}")]]),
        drawing,
        Table(periods, repeatRows=1, style=style),
        *_bare_optional(data, p, bold, style),
        Paragraph("Uppsökande kontakter", bold),
        Table(contacts, repeatRows=1, style=style),
    ]
    if data.journal is not None:
        story.append(Paragraph("Journal", bold))
        rows = [[p("Datum"), p("Kategori"), p("Anteckning"), p("Signerad av")]] + [
            [p(str(e.date)), p(e.category.value), p(e.text), p(e.author)]
            for e in data.journal.entries
        ]
        story.append(Table(rows, repeatRows=1, style=style, colWidths=[60, 60, 280, 80]))
    buffer = io.BytesIO()

    def page(canvas: Canvas, doc: object) -> None:
        canvas.setFont("DejaVuSans-Bold", 8)
        canvas.drawString(56, 805, "Stockholms stad")
        canvas.drawRightString(540, 805, "Sekretessbelagd handling")
        canvas.line(56, 798, 540, 798)

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        """ReportLab's usual recipe for "page X of Y": keep the pages, number them at save."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802
            self.pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for state in self.pages:
                self.__dict__.update(state)
                self.setFont("DejaVuSans", 8)
                self.line(56, 44, 540, 44)
                self.drawString(56, 34, "Utskrivet 2026-03-05 14:30 av Åsa Lindqvist")
                self.drawRightString(540, 34, f"Sida {self._pageNumber} av {len(self.pages)}")
                super().showPage()
            super().save()

    SimpleDocTemplate(buffer, pagesize=A4, initialFontName="DejaVuSans").build(
        story, onFirstPage=page, onLaterPages=page, canvasmaker=NumberedCanvas
    )
    return buffer.getvalue()


def _bare_optional(
    data: CaseSummaryData,
    p: Callable[[str], Paragraph],
    bold: ParagraphStyle,
    style: TableStyle,
) -> list[Any]:
    """The rating (table and radar drawing), plan and team sections, when the client has
    them, as bare ReportLab: the same tables and about the same number of shapes as ours."""
    story: list[Any] = []
    rating = data.rating
    if rating is not None:
        story.append(Paragraph(rating.instrument or "Skattning", bold))
        rows = [[p("Område"), p("Förra"), p("Senaste")]] + [
            [p(a.label), p(str(a.previous or "–")), p(str(a.latest or "–"))] for a in rating.areas
        ]
        story.append(Table(rows, repeatRows=1, style=style))
        n = len(rating.areas)
        drawing = Drawing(480, 300)
        drawing.initialFontName = "DejaVuSans"

        def point(i: int, level: float) -> tuple[float, float]:
            angle = math.pi / 2 - 2 * math.pi * i / n
            return 240 + 25 * level * math.cos(angle), 160 + 25 * level * math.sin(angle)

        for level in range(1, 6):
            ring = [v for i in range(n) for v in point(i, level)]
            drawing.add(Polygon(ring, fillColor=None, strokeColor="grey", strokeWidth=0.6))
        for i, area in enumerate(rating.areas):
            drawing.add(Line(240, 160, *point(i, 5), strokeColor="grey", strokeWidth=0.6))
            drawing.add(String(*point(i, 5.5), area.label, fontName="DejaVuSans", fontSize=8))
        for values in ([a.previous for a in rating.areas], [a.latest for a in rating.areas]):
            points = [point(i, v) for i, v in enumerate(values) if v is not None]
            for a, b in zip(points, points[1:] + points[:1], strict=True):
                drawing.add(Line(*a, *b, strokeColor="blue", strokeWidth=1.5))
            for x, y in points:
                drawing.add(Circle(x, y, 2.5, fillColor="blue", strokeColor="blue"))
        for level in range(1, 6):
            x, y = point(0, level)
            drawing.add(Rect(x + 2.5, y - 7, 8, 7, fillColor="white", strokeColor=None))
            drawing.add(String(x + 3.5, y - 6, str(level), fontName="DejaVuSans", fontSize=7))
        drawing.add(String(60, 5, "Förra  Senaste", fontName="DejaVuSans", fontSize=8))
        story.append(drawing)
    plan = data.plan
    if plan is not None:
        story.append(Paragraph(plan.title or "Plan", bold))
        story.append(p(f"Gäller {plan.valid_from} – {plan.valid_to}"))
        for number, goal in enumerate(plan.goals, start=1):
            story.append(Paragraph(f"Mål {number}: {goal.text} ({goal.status})", bold))
            if goal.actions:
                rows = [[p("Insats"), p("Ansvarig"), p("Klart"), p("Status")]] + [
                    [p(a.text), p(a.responsible), p(str(a.due)), p(a.status)] for a in goal.actions
                ]
                story.append(Table(rows, repeatRows=1, style=style))
    team = data.team
    if team is not None and (team.responsibilities or team.evictions):
        story.append(Paragraph("Vem gör vad", bold))
        if team.responsibilities:
            rows = [[p("Roll"), p("Vem"), p("Sedan")]] + [
                [p(r.role.value), p(r.who), p(str(r.since))] for r in team.responsibilities
            ]
            story.append(Table(rows, repeatRows=1, style=style))
        if team.evictions:
            story.append(Paragraph("Vräkningsärenden", bold))
            rows = [[p("Underrättelse"), p("Hyresvärd"), p("Skäl"), p("Utfall"), p("Nästa")]]
            rows += [
                [
                    p(str(e.notice_date)),
                    p(e.landlord),
                    p(e.reason.value),
                    p(f"{e.outcome.value if e.outcome else 'Öppet'} {e.outcome_date or ''}"),
                    p(str(e.next_date)),
                ]
                for e in team.evictions
            ]
            story.append(Table(rows, repeatRows=1, style=style))
    return story


def median_of(runs: int, func: Callable[[], bytes]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    location = demo_location()
    i18n.set_language("sv")
    register_fonts()
    db, actor = open_demo(location)
    try:
        today = dt.date.today()
        options = PdfOptions(
            "sv",
            municipality="Stockholms stad",
            journal_from=today - dt.timedelta(days=365),
            today=today,
        )
        ids = search_ids(db, actor, ClientQuery())
        client_id = ids[0]
        for candidate in random.Random(3).sample(ids, 200):
            data = gather_case_summary(db, actor, candidate, options)
            if len(data.periods) >= 3 and data.contacts:
                client_id = candidate
                break
        data = gather_case_summary(db, actor, client_id, options)
        ctx = summary_context("sv", municipality="Stockholms stad", printed_by=actor.display_name)
        render_case_summary(db, actor, client_id, options)
        bare(data)
        seconds = median_of(RUNS, lambda: render_case_summary(db, actor, client_id, options))
        # Interleaved, so that a busy machine slows both sides alike.
        ours_times: list[float] = []
        bare_times: list[float] = []
        for _ in range(RUNS):
            ours_times.append(median_of(1, lambda: pdf_bytes(case_summary_story(ctx, data), ctx)))
            bare_times.append(median_of(1, lambda: bare(data)))
        ours_render = statistics.median(ours_times)
        baseline = statistics.median(bare_times)
    finally:
        db.dispose()
    ratio = ours_render / baseline
    pages = pdf_bytes(case_summary_story(ctx, data), ctx).count(b"/Type /Page\n")
    print(f"client {client_id}: {len(data.periods)} housing periods, {len(data.contacts)} contacts")
    print(f"case summary, read + render: {seconds:.3f} s (target {TARGET_SECONDS})")
    print(f"render only: {ours_render:.3f} s; bare ReportLab: {baseline:.3f} s")
    print(f"ratio {ratio:.2f} (target {TARGET_RATIO}); pages {pages}")
    figures = {
        "seconds": round(seconds, 4),
        "render_seconds": round(ours_render, 4),
        "bare_reportlab_seconds": round(baseline, 4),
        "ratio_to_bare_reportlab": round(ratio, 3),
    }
    targets = {"seconds": TARGET_SECONDS, "ratio_to_bare_reportlab": TARGET_RATIO}
    passed = seconds <= TARGET_SECONDS and ratio <= TARGET_RATIO
    print(
        json.dumps(
            {"benchmark": "pdf_summary", "figures": figures, "targets": targets, "pass": passed}
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
