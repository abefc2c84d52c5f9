"""Reading a client list file (CSV as Excel writes it, or XLSX) into rows for the import.

Each row carries the number of the file line it starts on (the header is line 1) and, when the
row cannot be taken as it stands, a translated ``problem`` for that line: a row with more or
fewer fields than the header (an unquoted ``;`` that cut an address), a value running over
several lines that holds further rows (a quotation mark never closed swallows them), or an Excel
formula whose value was never saved (the person would silently lose a field). A file that
cannot be read at all raises :class:`ImportFileError` with a message and no file content.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path

from hemlos_desktop.errors import InvalidInputError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.spreadsheet_safety import csv_unescape

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 1024 * 1024


class ImportFileError(InvalidInputError):
    """The file cannot be read as a client list at all (not found, empty, no header, too big)."""

    def __init__(self, text: str) -> None:
        super().__init__(text, field="file")

    def title(self) -> str:
        return _("The file cannot be imported")


@dataclass(frozen=True)
class TableRow:
    line: int
    values: list[str]
    problem: str = ""


def field_count_problem(found: int, expected: int) -> str:
    return _(
        "this line has {found} fields but the header has {expected}; "
        "is a value with a ; or a quotation mark not enclosed in quotation marks?"
    ).format(found=found, expected=expected)


def multi_line_problem() -> str:
    return _(
        "a value runs over several lines; a quotation mark is probably not closed "
        "(the lines after it were read into this row)"
    )


def formula_problem(column: str) -> str:
    return _(
        'column "{column}" holds a formula without a saved value; '
        "open the file in Excel, save it and import it again"
    ).format(column=column)


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _swallowed_rows(value: str, delimiter: str) -> bool:
    """Whether a quoted value that runs over several lines holds what look like further rows
    (a line with the delimiter): its opening quotation mark was never closed."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return len(lines) > 1 and any(delimiter in part for part in lines[1:])


def _shape(line: int, values: list[str], width: int, delimiter: str = "") -> TableRow:
    """The row checked against the header's ``width``: trailing empty cells do not count."""
    count = len(values)
    while count > width and not values[count - 1].strip():
        count -= 1
    if delimiter and any(_swallowed_rows(v, delimiter) for v in values):
        return TableRow(line, values, multi_line_problem())
    if count != width and any(v.strip() for v in values):
        return TableRow(line, values, field_count_problem(count, width))
    return TableRow(line, values[:width] + [""] * (width - count))


def csv_rows(text: str) -> Iterator[TableRow]:
    """Rows with the number of the file line each starts on (header is line 1)."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    width: int | None = None
    for row in reader:
        if width is None:
            width = len(row)
            yield TableRow(start, row)
        else:
            yield _shape(start, [csv_unescape(cell) for cell in row], width, delimiter)
        start = reader.line_num + 1


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def xlsx_rows(path: Path) -> Iterator[TableRow]:
    """The first sheet's rows; the formulas are read beside the saved values so that a formula
    without a saved value is that line's problem, not an empty cell."""
    import openpyxl

    values_book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    formula_book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        shown = values_book.worksheets[0].iter_rows(values_only=True)
        written = formula_book.worksheets[0].iter_rows(values_only=True)
        header: list[str] = []
        for number, (values, formulas) in enumerate(zip_longest(shown, written), start=1):
            cells = list(values or ())
            texts = [_cell_text(v) for v in cells]
            if number == 1:
                header = texts
                yield TableRow(number, texts)
                continue
            row = _shape(number, texts, len(header))
            for index, formula in enumerate(formulas or ()):
                saved = cells[index] if index < len(cells) else None
                if saved is None and isinstance(formula, str) and formula.startswith("="):
                    column = header[index] if index < len(header) else str(index + 1)
                    row = TableRow(number, row.values, formula_problem(column.strip()))
                    break
            yield row
    finally:
        values_book.close()
        formula_book.close()


def read_table(path: Path) -> Iterator[TableRow]:
    try:
        size = path.stat().st_size
    except OSError:
        raise ImportFileError(_("The file was not found or cannot be read.")) from None
    if size > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is too large to import (at most 50 MB)."))
    if path.suffix.casefold() == ".xlsx":
        line = 0
        try:
            for row in xlsx_rows(path):
                line = row.line
                yield row
        except (OSError, zipfile.BadZipFile, KeyError, ValueError):
            raise ImportFileError(_("The file is not a readable Excel workbook.")) from None
        except Exception as exc:  # a damaged sheet: the XML parser's own errors
            log.warning("damaged workbook after line %d: %s", line, type(exc).__name__)
            raise ImportFileError(
                _("The Excel workbook is damaged after line {line}; nothing was imported.").format(
                    line=line
                )
            ) from None
        return
    try:
        raw = path.read_bytes()
    except OSError:
        raise ImportFileError(_("The file was not found or cannot be read.")) from None
    try:
        yield from csv_rows(_decode(raw))
    except csv.Error:
        raise ImportFileError(_("The file is not a readable CSV file.")) from None
