"""Export of the client register as CSV (and XLSX): exactly what ``client_io``'s import
reads, the same bytes for the same data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from sqlalchemy import select

from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.client import Client, ClientTargetGroup, Gender
from hemlos_desktop.models.people import Team, User
from hemlos_desktop.models.spreadsheet_safety import csv_safe_row, force_text_cells
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import Actor, visible_clients_clause
from hemlos_desktop.services.client_columns import COLUMNS, GENDER_OUT
from hemlos_desktop.services.client_order import sort_first_name, sort_name
from hemlos_desktop.storage import Database
from hemlos_desktop.storage.files import atomic_binary

_EXPORT_COLUMNS = """id id_number id_kind first_name last_name alias gender birth_date language
phone email address team_id responsible_user_id protected_identity"""


def _export_rows(
    db: Database, actor: Actor, lang: str
) -> tuple[list[str], list[list[str]], list[int]]:
    keys = list(COLUMNS)
    header = [COLUMNS[k][lang] for k in keys]
    out: list[list[str]] = []
    client_ids: list[int] = []
    with db.read() as session:
        teams = {t.id: t.name for t in session.scalars(select(Team))}
        users = {u.id: u.username for u in session.scalars(select(User))}
        groups: dict[int, list[str]] = {}
        for cid, group in session.execute(
            select(ClientTargetGroup.client_id, ClientTargetGroup.target_group).order_by(
                ClientTargetGroup.client_id, ClientTargetGroup.target_group
            )
        ):
            groups.setdefault(cid, []).append(group)
        # Plain columns (200,000 clients are read in seconds), in the alphabetical order of the
        # header's language: a sort SQLite does once, unlike the list's indexed order.
        stmt = (
            select(*(getattr(Client, name) for name in _EXPORT_COLUMNS.split()))
            .where(visible_clients_clause(actor))
            .order_by(sort_name(lang), sort_first_name(lang), Client.id)
        )
        genders = GENDER_OUT[lang]
        for client in session.execute(stmt):
            values = {
                "id_number": client.id_number or "",
                "id_kind": client.id_kind,
                "first_name": client.first_name,
                "last_name": client.last_name,
                "alias": client.alias,
                "gender": genders[Gender(client.gender)],
                "birth_date": client.birth_date.isoformat() if client.birth_date else "",
                "language": client.language,
                "phone": client.phone,
                "email": client.email,
                "address": client.address,
                "target_groups": "|".join(groups.get(client.id, [])),
                "team": teams.get(client.team_id or -1, ""),
                "responsible": users.get(client.responsible_user_id or -1, ""),
                "protected_identity": "1" if client.protected_identity else "0",
            }
            out.append([values[k] for k in keys])
            client_ids.append(client.id)
    return header, out, client_ids


def export_clients(db: Database, actor: Actor, path: Path, *, lang: str = "en") -> int:
    """Write the clients ``actor`` may see to ``path`` (.csv or .xlsx); returns the row count."""
    if lang not in ("sv", "da", "en"):
        lang = "en"
    header, rows, client_ids = _export_rows(db, actor, lang)
    if path.suffix.casefold() == ".xlsx":
        data = _xlsx_bytes(header, rows)
    else:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, delimiter="," if lang == "en" else ";", lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(csv_safe_row(row) for row in rows)
        data = b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
    with atomic_binary(path) as handle:
        handle.write(data)
    # One access-log entry for the person's one action, once the file is complete.
    audit.record_written_file(
        db, actor, path, AuditAction.EXPORT, detail=f"client list: {len(client_ids)} clients"
    )
    return len(rows)


FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _xlsx_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """An XLSX workbook with fixed time stamps, so the same data gives the same bytes."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for sheet_row in sheet.iter_rows():
        force_text_cells(sheet_row)  # a value like "=HYPERLINK(…)" stays text, never a formula
    fixed = dt.datetime(2026, 1, 1)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    raw = io.BytesIO()
    workbook.save(raw)
    source = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for info in sorted(source.infolist(), key=lambda i: i.filename):
            fixed_info = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
            fixed_info.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _MODIFIED.sub(b"\\g<1>2026-01-01T00:00:00Z\\g<2>", data)
            target.writestr(fixed_info, data)
    return result.getvalue()
