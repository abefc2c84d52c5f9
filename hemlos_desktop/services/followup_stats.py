"""Group follow-up of independence ratings: the export files (CSV, XLSX).

The figures themselves are computed by the pure functions of :mod:`hemlos_desktop.models.followup`
(re-exported here for the callers of this module).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hemlos_desktop.i18n import Translator, translator_for
from hemlos_desktop.models.followup import (
    GENDERS,
    GROUP_LABELS,
    GROUPS,
    SMALL_CELL,
    TOTAL,
    AreaFigures,
    AreaGroupFigures,
    Cell,
    ClientRecord,
    DatedAssessment,
    FollowupFigures,
    QualificationGroupFigures,
    figures_table,
    followup_figures,
    shown_count,
    shown_mean,
)
from hemlos_desktop.models.instrument import Instrument
from hemlos_desktop.models.spreadsheet_safety import csv_safe, csv_safe_row, force_text_cells
from hemlos_desktop.storage.files import write_bytes_atomic

__all__ = [
    "AreaFigures",
    "AreaGroupFigures",
    "Cell",
    "ClientRecord",
    "DatedAssessment",
    "FollowupFigures",
    "GENDERS",
    "GROUPS",
    "GROUP_LABELS",
    "QualificationGroupFigures",
    "SMALL_CELL",
    "TOTAL",
    "figures_table",
    "followup_figures",
    "shown_count",
    "shown_mean",
    "export_csv",
    "export_xlsx",
]


def _csv_cell(tr: Translator, value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return tr.format_decimal(value, 2)
    if isinstance(value, str):
        return csv_safe(value)  # a text (a team or area name) never runs as a formula
    return str(value)


def export_csv(path: Path, instrument: Instrument, figures: FollowupFigures, lang: str) -> None:
    """Write the figures as CSV (semicolon-separated, UTF-8 with BOM, decimals per ``lang``),
    atomically: the file appears complete or not at all."""
    tr = translator_for(lang)
    headers, rows = figures_table(instrument, figures, lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(csv_safe_row(headers))
    for row in rows:
        writer.writerow([_csv_cell(tr, cell) for cell in row])
    write_bytes_atomic(path, buffer.getvalue().encode("utf-8-sig"))


def export_xlsx(path: Path, instrument: Instrument, figures: FollowupFigures, lang: str) -> None:
    """Write the figures as an XLSX workbook (numbers stay numbers), atomically."""
    from openpyxl import Workbook

    tr = translator_for(lang)
    headers, rows = figures_table(instrument, figures, lang)
    book = Workbook()
    sheet = book.active
    sheet.title = tr.gettext("Follow-up")[:31]
    period = tr.gettext("Period: {start} – {end}").format(
        start=tr.format_date(figures.period_start), end=tr.format_date(figures.period_end)
    )
    sheet.append([instrument.label(lang)])
    sheet.append([period])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for sheet_row in sheet.iter_rows():
        force_text_cells(sheet_row)
    sheet.freeze_panes = "C4"
    buffer = io.BytesIO()
    book.save(buffer)
    write_bytes_atomic(path, buffer.getvalue())
