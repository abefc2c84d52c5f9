"""A user's sign-in to the team server, on its way there: the PostgreSQL role's password
verifier and whether the role may log in.

An administrator who adds a user, resets a password or deactivates an account on a laptop
(and a user who changes their own password) writes this record; it travels with the next sync,
and on the server a trigger creates or alters the PostgreSQL role of the same name
(migration 0019, ``services.server_roles``). The password itself never leaves the laptop: the
record holds a SCRAM-SHA-256 verifier (salted and iterated, as PostgreSQL stores it). The
verifier travels in the outbox only; the table itself keeps it empty on the laptop, and the
server's trigger empties it after use.
"""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from hemlos_desktop.models.base import Base, TimestampMixin, UidMixin


class ServerLogin(UidMixin, TimestampMixin, Base):
    """One per user: the latest password verifier sent ("" when unchanged) and LOGIN/NOLOGIN."""

    __tablename__ = "server_logins"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    verifier: Mapped[str] = mapped_column(Text, default="")
    login: Mapped[bool] = mapped_column(Boolean, default=True)
