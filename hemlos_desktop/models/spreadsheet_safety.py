"""Exported text that a spreadsheet must not run as a formula (CSV/formula injection).

A value that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written to
CSV with a leading apostrophe, which spreadsheet programs show as text; importing strips it
again, so an export read back gives the original value. A value that already begins with an
apostrophe followed by one of those characters gets a second apostrophe, so the round trip holds
for every text. (XLSX cells are written as text cells instead: see :func:`force_text_cells`.)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _looks_escaped(value: str) -> bool:
    return value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS)


def csv_safe(value: str) -> str:
    """``value`` as it is written to a CSV cell."""
    if value.startswith(FORMULA_STARTS) or _looks_escaped(value):
        return "'" + value
    return value


def csv_unescape(value: str) -> str:
    """The original of a CSV cell written by :func:`csv_safe`."""
    return value[1:] if _looks_escaped(value) else value


def csv_safe_row(values: Iterable[Any]) -> list[Any]:
    """A row with every text value made safe (numbers and empty cells unchanged)."""
    return [csv_safe(v) if isinstance(v, str) else v for v in values]


def force_text_cells(cells: Iterable[Any]) -> None:
    """Make every openpyxl cell holding a text that starts like a formula a text cell."""
    for cell in cells:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
            cell.data_type = "s"
