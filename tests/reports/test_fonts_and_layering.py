"""The shipped fonts and their licence; the report modules stay free of Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hemlos_desktop.reports.fonts import LICENSE_FILE, font_files, register_fonts
from hemlos_desktop.resources import resource_path


def test_fonts_ship_with_their_licence() -> None:
    files = font_files()
    assert len(files) == 4
    for path in files.values():
        assert Path(path).is_file()
        assert Path(path).read_bytes()[:4] == b"\x00\x01\x00\x00"  # TrueType
    licence = resource_path("fonts", LICENSE_FILE).read_text(encoding="utf-8")
    assert "Bitstream Vera" in licence and "Arev" in licence


def test_fonts_cover_swedish_and_danish() -> None:
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    letters = "åäöÅÄÖæøÆØéüÉÜ–—“”„‘’…·§€"
    for name in font_files():
        mapping = pdfmetrics.getFont(name).face.charToGlyph
        missing = [c for c in letters if ord(c) not in mapping]
        assert not missing, f"{name} lacks {missing}"


def test_report_modules_import_no_qt() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import hemlos_desktop.reports as pkg\n"
        "for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "    importlib.import_module(info.name)\n"
        "print(','.join(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""
