"""Render a list of flowables to a PDF with the shared page frame of every report.

Each page gets a header (municipality, confidentiality marking, optional draft marking) and a
footer (print date and who printed, "Sida X av Y" / "Side X af Y"). The total page count is
known only after layout, so the footer is drawn when the document is saved: the canvas keeps
each laid-out page and stamps the footers in a second pass over the pages (no second layout).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Spacer,
)
from reportlab.platypus.doctemplate import LayoutError

from hemlos_desktop import APP_NAME, __version__
from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.reports.context import ReportContext
from hemlos_desktop.reports.fonts import register_fonts
from hemlos_desktop.reports.styles import INK, MUTED, RULE, report_styles

PAGE_SIZE = A4
MARGIN_LEFT = 20 * mm
MARGIN_RIGHT = 20 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 22 * mm
HEADER_Y = PAGE_SIZE[1] - 13 * mm
FOOTER_Y = 12 * mm

PageDecorator = Callable[[Canvas, int, int], None]
_KEEP_SPACE = "hemlos_keep_space"


def keep_space_below(flowable: Flowable, height: float) -> Flowable:
    """Start ``flowable`` on a new page unless ``height`` points are left below its top.

    Headings use this so they never stand alone at the bottom of a page, while long tables
    after them still start on the same page and flow on.
    """
    setattr(flowable, _KEEP_SPACE, height)
    return flowable


def _with_page_breaks(story: Sequence[Flowable]) -> list[Flowable]:
    # An empty story still gives one page with the header and footer.
    result: list[Flowable] = [] if story else [Spacer(0, 0)]
    for flowable in story:
        space = getattr(flowable, _KEEP_SPACE, 0)
        if space:
            result.append(CondPageBreak(space))
        result.append(flowable)
    return result


class ReportLayoutError(HemlosError):
    """ReportLab could not place some content (a single block taller than a page)."""

    def title(self) -> str:
        return _("The document could not be made")

    def message(self) -> str:
        return _("Part of the document is too large to fit on a page.")

    def advice(self) -> str:
        return _("Shorten the longest text or split it into several entries, then try again.")


def page_texts(context: ReportContext) -> dict[str, str]:
    """The fixed wording of the page frame in the document's language."""
    tr = context.translator
    return {
        "confidential": tr.gettext("Confidential – contains personal data"),
        "draft": tr.pgettext("document marking", "Draft"),
        "printed": tr.gettext("Printed {date} by {name}").format(
            date=tr.format_datetime(context.printed_at, "short"), name=context.printed_by
        ),
    }


def page_number_text(context: ReportContext, page: int, pages: int) -> str:
    return context.translator.gettext("Page {page} of {pages}").format(
        page=context.format_number(page), pages=context.format_number(pages)
    )


class _FramedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that holds back its pages until save, then stamps footers with the page total."""

    def __init__(self, *args: Any, footer: PageDecorator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict[str, Any]] = []
        self._footer = footer

    def showPage(self) -> None:  # noqa: N802 - ReportLab API
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for state in self._held_pages:
            self.__dict__.update(state)
            self._footer(self, self._pageNumber, total)
            super().showPage()
        super().save()


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with '…' so that it is at most ``width`` points wide."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _draw_header(canvas: Canvas, context: ReportContext, texts: dict[str, str]) -> None:
    fonts = register_fonts()
    size = report_styles(context.large_type).header_footer_size
    width = PAGE_SIZE[0]
    canvas.saveState()
    canvas.setFillColor(INK)
    canvas.setFont(fonts.bold, size)
    marking = texts["confidential"]
    if context.draft:
        marking = f"{texts['draft'].upper()} · {marking}"
    canvas.drawRightString(width - MARGIN_RIGHT, HEADER_Y, marking)
    room = width - MARGIN_LEFT - MARGIN_RIGHT - stringWidth(marking, fonts.bold, size) - 4 * mm
    canvas.drawString(MARGIN_LEFT, HEADER_Y, fit_text(context.municipality, fonts.bold, size, room))
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_LEFT, HEADER_Y - 2.5 * mm, width - MARGIN_RIGHT, HEADER_Y - 2.5 * mm)
    canvas.restoreState()


def _draw_footer(
    canvas: Canvas, context: ReportContext, texts: dict[str, str], page: int, pages: int
) -> None:
    printed = texts["printed"]
    fonts = register_fonts()
    size = report_styles(context.large_type).header_footer_size
    width = PAGE_SIZE[0]
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_LEFT, FOOTER_Y + size + 2, width - MARGIN_RIGHT, FOOTER_Y + size + 2)
    canvas.setFillColor(MUTED)
    canvas.setFont(fonts.regular, size)
    canvas.drawString(MARGIN_LEFT, FOOTER_Y, printed)
    canvas.setFillColor(INK)
    canvas.setFont(fonts.bold, size)
    canvas.drawRightString(width - MARGIN_RIGHT, FOOTER_Y, page_number_text(context, page, pages))
    canvas.restoreState()
    if context.draft:
        _draw_watermark(canvas, texts["draft"])


def _draw_watermark(canvas: Canvas, text: str) -> None:
    """A large diagonal translucent word over the page (on top, so table fills cannot hide it)."""
    canvas.saveState()
    canvas.setFillColor(colors.Color(0.5, 0.5, 0.5))
    canvas.setFillAlpha(0.18)
    canvas.setFont(register_fonts().bold, 96)
    canvas.translate(PAGE_SIZE[0] / 2, PAGE_SIZE[1] / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, -34, text.upper())
    canvas.restoreState()


class ReportDocument(BaseDocTemplate):  # type: ignore[misc]
    """A4 document template with the report frame; use :func:`pdf_bytes`."""

    def __init__(self, target: Any, context: ReportContext) -> None:
        fonts = register_fonts()
        self.context = context
        self._texts = page_texts(context)
        author = context.municipality or APP_NAME
        super().__init__(
            target,
            pagesize=PAGE_SIZE,
            leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=context.title,
            author=author,
            subject=context.subject,
            creator=f"{APP_NAME} {__version__}",
            keywords=list(context.keywords),
            lang=context.pdf_lang,
            displayDocTitle=True,
            initialFontName=fonts.regular,
            initialFontSize=report_styles(context.large_type).base_size,
        )
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates(
            [PageTemplate(id="page", frames=[frame], onPage=self._on_page, pagesize=PAGE_SIZE)]
        )

    def _on_page(self, canvas: Canvas, _doc: Any) -> None:
        _draw_header(canvas, self.context, self._texts)

    def _footer(self, canvas: Canvas, page: int, pages: int) -> None:
        _draw_footer(canvas, self.context, self._texts, page, pages)

    def render(self, story: Sequence[Flowable]) -> None:
        def make_canvas(*args: Any, **kwargs: Any) -> Canvas:
            return _FramedCanvas(*args, footer=self._footer, **kwargs)

        try:
            self.build(_with_page_breaks(story), canvasmaker=make_canvas)
        except LayoutError as exc:
            raise ReportLayoutError("layout") from exc


def frame_width(context: ReportContext | None = None) -> float:
    """The usable width of a page (points), for sizing tables and charts."""
    del context
    return float(PAGE_SIZE[0] - MARGIN_LEFT - MARGIN_RIGHT)


def pdf_bytes(story: Sequence[Flowable], context: ReportContext) -> bytes:
    """Render ``story`` and return the PDF."""
    buffer = io.BytesIO()
    ReportDocument(buffer, context).render(story)
    return buffer.getvalue()
