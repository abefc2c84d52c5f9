"""The access and change log: who read or changed which client's record, when.

Entries form a hash chain: each entry's hash covers its own fields and the previous entry's
hash, so an edited or removed entry breaks the chain (``services.audit.verify_chain``). Entries
hold no personal data: the client is named by its internal number only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from enum import StrEnum

from sqlalchemy import DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hemlos_desktop.i18n import N_
from hemlos_desktop.models.base import Base, UidMixin

GENESIS_HASH = "0" * 64


class AuditAction(StrEnum):
    VIEW = "view"
    CREATE = "create"
    CHANGE = "change"
    REVEAL_NUMBER = "reveal_number"
    EXPORT = "export"
    PRINT = "print"
    IMPORT = "import"
    SIGN = "sign"
    PURGE = "purge"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    UNLOCK = "unlock"
    SEARCH_NUMBER = "search_number"
    VIEW_LOG = "view_log"
    PASSWORD = "password"
    USER_ADMIN = "user_admin"
    BACKUP = "backup"
    RESTORE = "restore"


AUDIT_ACTION_LABELS: dict[AuditAction, str] = {
    AuditAction.VIEW: N_("Read the record"),
    AuditAction.CREATE: N_("Registered"),
    AuditAction.CHANGE: N_("Changed"),
    AuditAction.REVEAL_NUMBER: N_("Showed the full identity number"),
    AuditAction.EXPORT: N_("Exported"),
    AuditAction.PRINT: N_("Printed"),
    AuditAction.IMPORT: N_("Imported"),
    AuditAction.SIGN: N_("Signed"),
    AuditAction.PURGE: N_("Purged"),
    AuditAction.LOGIN: N_("Signed in"),
    AuditAction.LOGIN_FAILED: N_("Failed sign-in"),
    AuditAction.UNLOCK: N_("Unlocked the program"),
    AuditAction.SEARCH_NUMBER: N_("Searched by identity number"),
    AuditAction.VIEW_LOG: N_("Viewed the access log"),
    AuditAction.PASSWORD: N_("Changed own password"),
    AuditAction.USER_ADMIN: N_("Changed users"),
    AuditAction.BACKUP: N_("Backup"),
    AuditAction.RESTORE: N_("Restore"),
}


class AuditEntry(UidMixin, Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_client_at", "client_id", "at"),
        Index("ix_audit_log_user_at", "user_id", "at"),
    )

    # Entries are numbered without gaps; the number is part of the hash.
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    # No foreign keys: the log outlives users and purged clients.
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(64), default="")
    client_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    # Technical detail without personal data (a record kind, a count).
    detail: Mapped[str] = mapped_column(String(200), default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


def entry_hash(
    *,
    entry_id: int,
    at: dt.datetime,
    user_id: int | None,
    username: str,
    client_id: int | None,
    action: str,
    detail: str,
    prev_hash: str,
) -> str:
    fields = (
        str(entry_id),
        at.isoformat(timespec="microseconds"),
        "" if user_id is None else str(user_id),
        username,
        "" if client_id is None else str(client_id),
        action,
        detail,
        prev_hash,
    )
    return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()


class PurgedClient(Base):
    """A client number removed by a retention purge, so that a restore can purge it again.

    Only the internal number and the time: nothing personal is left of a purged record.
    """

    __tablename__ = "purged_clients"

    client_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    purged_at: Mapped[dt.datetime] = mapped_column(DateTime)
