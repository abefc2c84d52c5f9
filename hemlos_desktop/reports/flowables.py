"""Building blocks for report content: escaped paragraphs, data tables, facts, signature lines.

Every helper takes plain values (strings, numbers, dates already formatted by the caller or by
:class:`ReportContext`), never ORM objects. Text from users (a client's own words) is escaped,
so ``<`` and ``&`` print as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any, TypeAlias
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from hemlos_desktop.reports.context import ReportContext
from hemlos_desktop.reports.document import frame_width, keep_space_below
from hemlos_desktop.reports.fonts import register_fonts
from hemlos_desktop.reports.styles import (
    INK,
    LABEL_FILL,
    RULE,
    ReportStyles,
    report_styles,
    text_table_commands,
)

Cell: TypeAlias = str | Flowable | None


def styles_of(context: ReportContext) -> ReportStyles:
    """The :class:`~hemlos_desktop.reports.styles.ReportStyles` of the document."""
    return report_styles(context.large_type)


def markup(text: str) -> str:
    """Escape user text for a ReportLab paragraph, keeping line breaks."""
    return escape(text).replace("\r\n", "\n").replace("\n", "<br/>")


def text_paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain (user) text: escaped, line breaks kept.

    The same text in the same style is parsed once per process (labels, headings, table
    headers and dates repeat in every document of a batch); each paragraph gets its own copy
    of the parsed fragments."""
    text = markup(text)
    return Paragraph(text, style, frags=[frag.clone() for frag in _parsed(text, style)])


@lru_cache(maxsize=8192)
def _parsed(text: str, style: ParagraphStyle) -> tuple[Any, ...]:
    """The fragments ReportLab's parser makes of ``text`` (markup) in ``style``."""
    return tuple(Paragraph(text, style).frags)


def title(context: ReportContext, text: str) -> Paragraph:
    return text_paragraph(text, styles_of(context).title)


def heading1(context: ReportContext, text: str) -> Paragraph:
    """A section heading; it moves to the next page rather than end a page alone."""
    styles = styles_of(context)
    return keep_space_below(text_paragraph(text, styles.heading1), styles.base_size * 9)


def heading2(context: ReportContext, text: str) -> Paragraph:
    styles = styles_of(context)
    return keep_space_below(text_paragraph(text, styles.heading2), styles.base_size * 7)


def body(context: ReportContext, text: str) -> Paragraph:
    return text_paragraph(text, styles_of(context).body)


def small(context: ReportContext, text: str) -> Paragraph:
    return text_paragraph(text, styles_of(context).small)


def bullet_list(
    context: ReportContext, items: Sequence[Cell], *, numbered: bool = False
) -> Flowable:
    """A bulleted (or numbered) list; string items are escaped user text."""
    styles = styles_of(context)
    fonts = register_fonts()
    entries = [ListItem(_cell(item, styles.body) or Spacer(1, 0)) for item in items]
    return ListFlowable(
        entries,
        bulletType="1" if numbered else "bullet",
        bulletFormat="%s." if numbered else None,
        start=None if numbered else "•",
        bulletFontName=fonts.regular,
        bulletFontSize=styles.base_size,
        leftIndent=styles.base_size * 1.6,
        bulletDedent=styles.base_size * 1.1,
    )


def _cell(value: Cell, style: ParagraphStyle) -> Flowable | str:
    if value is None:
        return ""
    if isinstance(value, str):
        return text_paragraph(value, style)
    return value


def _longest_word(value: Cell, style: ParagraphStyle) -> float:
    if not isinstance(value, str) or not value:
        return 0.0
    return max(
        float(stringWidth(word, style.fontName, style.fontSize)) for word in value.split() or [""]
    )


def _make_room_for_words(widths: list[float], needed: list[float]) -> list[float]:
    """Widen columns whose longest word would otherwise be broken, taking room from columns
    that have some to spare; if the words cannot all fit, keep the widths (words then break)."""
    short = sum(max(0.0, n - w) for w, n in zip(widths, needed, strict=True))
    if short <= 0:
        return widths
    spare = [max(0.0, w - n) for w, n in zip(widths, needed, strict=True)]
    if sum(spare) < short:
        return widths
    share = short / sum(spare)
    return [n if w < n else w - sp * share for w, n, sp in zip(widths, needed, spare, strict=True)]


def _widths(total: float, relative: Sequence[float] | None, columns: int) -> list[float]:
    if not relative:
        return [total / columns] * columns
    scale = total / sum(relative)
    return [w * scale for w in relative]


def data_table(
    context: ReportContext,
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    col_widths: Sequence[float] | None = None,
    zebra: bool = True,
    width: float | None = None,
) -> Table:
    """A table with a bold header row repeated on every page and zebra rows.

    ``col_widths`` are relative (e.g. ``(3, 1, 1)``) and share ``width`` (the frame width by
    default). String cells are escaped and wrap; flowables are placed as they are.
    """
    styles = styles_of(context)
    total = frame_width(context) if width is None else width
    data: list[list[Flowable | str]] = [[_cell(h, styles.table_header) for h in header]]
    data.extend([_cell(value, styles.table_cell) for value in row] for row in rows)
    widths = _widths(total, col_widths, len(header))
    padding = styles.base_size * 0.35 * 1.2 * 2 + 1
    needed = [
        max(
            _longest_word(h, styles.table_header),
            *(_longest_word(row[i], styles.table_cell) for row in rows if i < len(row)),
        )
        + padding
        for i, h in enumerate(header)
    ]
    table = Table(
        data,
        colWidths=_make_room_for_words(widths, needed),
        repeatRows=1,
        hAlign="LEFT",
        style=styles.table_style(zebra=zebra),
    )
    return table


def facts_table(
    context: ReportContext,
    facts: Sequence[tuple[str, Cell]],
    *,
    label_width: float = 0.32,
    width: float | None = None,
) -> Table:
    """Label/value rows ("Namn: …") with shaded bold labels; ``label_width`` is a fraction."""
    styles = styles_of(context)
    total = frame_width(context) if width is None else width
    pad = styles.base_size * 0.3
    data = [[_cell(label, styles.label), _cell(value, styles.table_cell)] for label, value in facts]
    style = TableStyle(
        [
            *text_table_commands(),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
            ("LINEABOVE", (0, 0), (-1, 0), 0.25, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
            ("LEFTPADDING", (0, 0), (-1, -1), pad * 1.5),
        ]
    )
    return Table(
        data,
        colWidths=[total * label_width, total * (1 - label_width)],
        hAlign="LEFT",
        style=style,
    )


def signature_lines(
    context: ReportContext,
    signers: Sequence[str] = ("",),
    *,
    width: float | None = None,
) -> Flowable:
    """Lines to sign on: date, signature and name in block letters, once per signer.

    ``signers`` are captions above each block ("Klient", "Handläggare"); an empty caption
    prints no caption. The blocks are kept together on one page.
    """
    tr = context.translator
    styles = styles_of(context)
    total = frame_width(context) if width is None else width
    labels = [
        tr.gettext("Date"),
        tr.gettext("Signature"),
        tr.gettext("Name in block letters"),
    ]
    write_space = styles.base_size * 3.2
    parts: list[Flowable] = []
    for caption in signers:
        block: list[Flowable] = [Spacer(1, styles.base_size * 0.6)]
        if caption:
            block.append(text_paragraph(caption, styles.label))
        gap = total * 0.04
        date_w, sign_w = total * 0.2, total * 0.4
        label_cells = [text_paragraph(label, styles.small) for label in labels]
        table = Table(
            [
                ["", "", "", "", ""],
                [label_cells[0], "", label_cells[1], "", label_cells[2]],
            ],
            colWidths=[date_w, gap, sign_w, gap, total - date_w - sign_w - 2 * gap],
            rowHeights=[write_space, None],
            hAlign="LEFT",
            style=TableStyle(
                [
                    *text_table_commands(),
                    ("LINEBELOW", (0, 0), (0, 0), 0.8, INK),
                    ("LINEBELOW", (2, 0), (2, 0), 0.8, INK),
                    ("LINEBELOW", (4, 0), (4, 0), 0.8, INK),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 1), (-1, 1), 2),
                ]
            ),
        )
        block.append(table)
        block.append(Spacer(1, styles.base_size * 1.2))
        parts.extend(block)
    return KeepTogether(parts)
