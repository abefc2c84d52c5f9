"""Paragraph and table styles of the report base, in normal and in large type."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

from hemlos_desktop.reports.fonts import register_fonts

# Greys that stay distinct when printed in black and white.
INK = colors.Color(0.1, 0.1, 0.1)
MUTED = colors.Color(0.33, 0.33, 0.33)
RULE = colors.Color(0.45, 0.45, 0.45)
HEADER_FILL = colors.Color(0.80, 0.80, 0.80)
ZEBRA_FILL = colors.Color(0.93, 0.93, 0.93)
LABEL_FILL = colors.Color(0.90, 0.90, 0.90)


@dataclass(frozen=True)
class ReportStyles:
    """The named styles of one document. Sizes are in points."""

    base_size: float
    title: ParagraphStyle
    heading1: ParagraphStyle
    heading2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    table_header: ParagraphStyle
    table_cell: ParagraphStyle
    label: ParagraphStyle
    header_footer_size: float

    def table_style(self, *, zebra: bool = True) -> TableStyle:
        """Grid, a bold shaded header row and (optionally) zebra rows for a data table."""
        return data_table_style(zebra=zebra, pad=self.base_size * 0.35)


def text_table_commands() -> list[tuple[Any, ...]]:
    """Commands every table needs so that no cell falls back to a PDF standard font."""
    return [("FONTNAME", (0, 0), (-1, -1), register_fonts().regular)]


def data_table_style(*, zebra: bool = True, pad: float = 3.5) -> TableStyle:
    """The table style of :func:`hemlos_desktop.reports.flowables.data_table`."""
    commands: list[tuple[Any, ...]] = [
        *text_table_commands(),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 1.0, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("BOX", (0, 0), (-1, -1), 0.5, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ("LEFTPADDING", (0, 0), (-1, -1), pad * 1.2),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad * 1.2),
    ]
    if zebra:
        # ROWBACKGROUNDS restarts at each page split, so the pattern survives page breaks.
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA_FILL]))
    return TableStyle(commands)


@cache
def report_styles(large_type: bool = False) -> ReportStyles:
    """Styles for normal documents (10 pt body) or large clear type (14 pt body).

    The styles are shared (cached): derive a variant with ``ParagraphStyle("x", parent=...)``
    instead of changing one.
    """
    fonts = register_fonts()
    size = 14.0 if large_type else 10.0

    def style(name: str, *, scale: float = 1.0, bold: bool = False, **extra: Any) -> ParagraphStyle:
        font_size = round(size * scale, 1)
        values: dict[str, Any] = {
            "fontName": fonts.bold if bold else fonts.regular,
            "fontSize": font_size,
            "leading": round(font_size * 1.3, 1),
            "textColor": INK,
            "alignment": TA_LEFT,
        }
        values.update(extra)
        return ParagraphStyle(name=f"{name}{'-large' if large_type else ''}", **values)

    return ReportStyles(
        base_size=size,
        title=style("title", scale=1.8, bold=True, spaceAfter=size * 0.8, leading=size * 2.2),
        heading1=style("heading1", scale=1.4, bold=True, spaceBefore=size, spaceAfter=size * 0.4),
        heading2=style(
            "heading2", scale=1.15, bold=True, spaceBefore=size * 0.7, spaceAfter=size * 0.3
        ),
        body=style("body", spaceAfter=size * 0.5),
        small=style("small", scale=0.8, textColor=MUTED),
        table_header=style("table_header", scale=0.9 if not large_type else 1.0, bold=True),
        table_cell=style("table_cell", scale=0.9 if not large_type else 1.0),
        label=style("label", scale=0.9 if not large_type else 1.0, bold=True),
        header_footer_size=10.0 if large_type else 8.0,
    )
