"""Sending a finished PDF to a printer through the platform.

Qt for Python's Essentials package has no PDF renderer (QtPdf is an add-on), so the program
does not paint PDF pages itself. Instead the user picks printer, copies and A4 paper in
``QPrintDialog`` and the PDF file goes to the platform's print system:

- Linux and macOS: CUPS ``lp -d PRINTER -n COPIES -o media=A4 FILE`` (CUPS prints PDF files).
- Windows: the shell's "print" verb of the default PDF program (it prints on the default
  printer; the choice in the dialog cannot be passed on).
- Anywhere else, or when that fails: the PDF opens in the system's PDF viewer, to print there.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

log = logging.getLogger(__name__)

LP_TIMEOUT_SECONDS = 30


class PrintOutcome(Enum):
    SENT = "sent"  # handed to the chosen printer's queue
    SENT_DEFAULT = "sent_default"  # handed to the default printer by the PDF program
    OPENED = "opened"  # opened in the PDF viewer for the user to print
    FAILED = "failed"


def lp_command(path: Path, *, printer: str, copies: int) -> list[str] | None:
    """The CUPS command that prints ``path``, or None where ``lp`` is not installed."""
    lp = shutil.which("lp")
    if lp is None:
        return None
    command = [lp]
    if printer:
        command += ["-d", printer]
    command += ["-n", str(max(1, copies)), "-o", "media=A4", str(path)]
    return command


def open_in_viewer(path: Path) -> bool:
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))


def print_pdf_file(path: Path, *, printer: str, copies: int = 1) -> PrintOutcome:
    """Print ``path`` on ``printer`` (see the module text for how, per platform)."""
    command = lp_command(path, printer=printer, copies=copies)
    if command is not None:
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=LP_TIMEOUT_SECONDS)
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("lp failed: %s", type(exc).__name__)
        else:
            return PrintOutcome.SENT
    if sys.platform == "win32":
        try:
            os.startfile(str(path), "print")  # type: ignore[attr-defined]
        except OSError as exc:
            log.warning("shell print failed: %s", type(exc).__name__)
        else:
            return PrintOutcome.SENT_DEFAULT
    return PrintOutcome.OPENED if open_in_viewer(path) else PrintOutcome.FAILED
