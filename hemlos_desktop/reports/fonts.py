"""The fonts every report uses: DejaVu Sans, shipped in ``resources/fonts/`` with its licence.

The PDF standard fonts (Helvetica, Times) are never embedded and lack glyphs such as the en dash
in some viewers, so every piece of text in a report uses these TrueType fonts, which ReportLab
embeds as subsets. They are registered once per process, on first use.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from hemlos_desktop.resources import resource_path

FAMILY = "DejaVuSans"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"

_FILES: dict[str, str] = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}
LICENSE_FILE = "LICENSE-DejaVu.txt"


@dataclass(frozen=True)
class FontNames:
    """The ReportLab names of the registered fonts (use ``family`` in paragraph styles)."""

    family: str = FAMILY
    regular: str = REGULAR
    bold: str = BOLD
    italic: str = ITALIC
    bold_italic: str = BOLD_ITALIC


_lock = threading.Lock()
_registered: list[FontNames] = []


def register_fonts() -> FontNames:
    """Register the report fonts with ReportLab (once per process) and return their names.

    ``<b>`` and ``<i>`` in paragraphs map to the bold and oblique faces.
    """
    if _registered:
        return _registered[0]
    with _lock:
        if not _registered:
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            for name, filename in _FILES.items():
                path = resource_path("fonts", filename)
                pdfmetrics.registerFont(TTFont(name, str(path)))
            pdfmetrics.registerFontFamily(
                FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
            )
            _registered.append(FontNames())
    return _registered[0]


def font_files() -> dict[str, str]:
    """Font name -> shipped file path (for tests and the about box)."""
    return {name: str(resource_path("fonts", filename)) for name, filename in _FILES.items()}
