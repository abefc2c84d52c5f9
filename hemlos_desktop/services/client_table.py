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
from collections.abc import Iterable, Iterator, Mapping
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


@dataclass(frozen=True)
class ImportProblem:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.column}: {self.reason}"


@dataclass(frozen=True)
class TableHeader:
    """The header row as read: which column holds which field, and the names the file uses."""

    line: int
    keys: dict[int, str]
    """Column index -> field key."""
    names: dict[str, str]
    """Field key -> the column's name as written in the file (for the problems' text)."""

    def cells(self, values: list[str]) -> dict[str, str]:
        """A row's values by field key (a missing trailing field is empty)."""
        return {key: (values[i] if i < len(values) else "").strip() for i, key in self.keys.items()}


def header_key(
    name: str, columns: Mapping[str, Mapping[str, str]], extra_names: Mapping[str, str]
) -> str | None:
    """The field key of a header name: the key itself or its sv/da/en name in any letter case,
    or one of the extra names."""
    wanted = " ".join(name.strip().strip("\ufeff").casefold().split())
    for key, names in columns.items():
        if wanted == key or wanted in {n.casefold() for n in names.values()}:
            return key
    return extra_names.get(wanted)


def read_header(
    rows: list[TableRow],
    columns: Mapping[str, Mapping[str, str]],
    extra_names: Mapping[str, str],
    required: Iterable[str],
) -> tuple[TableHeader, list[ImportProblem]]:
    """Read the first row as the header; the problems name each unknown column, each column
    given twice and each required column missing (by its English name)."""
    if not rows:
        raise ImportFileError(_("The file is empty."))
    line, header = rows[0].line, rows[0].values
    problems: list[ImportProblem] = []
    keys: dict[int, str] = {}
    for index, name in enumerate(header):
        key = header_key(name, columns, extra_names)
        if key is None:
            if name.strip():
                problems.append(ImportProblem(line, name.strip(), _("unknown column")))
            continue
        if key in keys.values():
            problems.append(ImportProblem(line, name.strip(), _("column appears twice")))
        keys[index] = key
    for key in required:
        if key not in keys.values():
            problems.append(ImportProblem(line, columns[key]["en"], _("column is missing")))
    names = {key: header[index].strip() for index, key in keys.items()}
    return TableHeader(line, keys, names), problems


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
    if (
        delimiter
        and ("\n" in (joined := "".join(values)) or "\r" in joined)
        and any(_swallowed_rows(v, delimiter) for v in values)
    ):
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
