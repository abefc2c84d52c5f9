"""The PostgreSQL roles of users added on a laptop: a SCRAM verifier made here, applied there.

Each person signs in to the team server as a PostgreSQL role of the same name with the same
password. When an administrator adds a user, resets a password or deactivates an account on a
laptop, and when a user changes their own password, :func:`queue_login` writes the user's
``server_logins`` record (``models/server_login.py``) in the same transaction; change capture
puts it in the outbox and the next sync takes it to the server. There the trigger of migration
0019 calls ``hemlos_apply_login``, which creates or alters the role — only for an
administrator's change, or a user's new password of their own — and empties the verifier.

The password never leaves the laptop: what travels is the SCRAM-SHA-256 verifier
(:func:`scram_sha256_verifier`, RFC 5802/7677, the same as PostgreSQL's own ``password_encryption
= scram-sha-256``): a random salt, 4096 iterations, the stored key and the server key. The
laptop's table keeps the verifier empty; it waits in the (encrypted) outbox only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import stringprep
import unicodedata
from typing import Any

from sqlalchemy import Connection, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from hemlos_desktop.errors import AccessDeniedError
from hemlos_desktop.models.people import User
from hemlos_desktop.models.server_login import ServerLogin

SCRAM_ITERATIONS = 4096  # PostgreSQL's default (scram_iterations)
_SALT_BYTES = 16  # as PostgreSQL makes them


def scram_sha256_verifier(
    password: str, *, salt: bytes | None = None, iterations: int = SCRAM_ITERATIONS
) -> str:
    """``SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`` for ``password``.

    The password is prepared with SASLprep as PostgreSQL does; a password SASLprep refuses is
    used as its plain UTF-8 bytes (PostgreSQL falls back the same way).
    """
    salt = os.urandom(_SALT_BYTES) if salt is None else salt
    salted = hashlib.pbkdf2_hmac("sha256", _saslprep(password), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode("ascii")

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def _saslprep(password: str) -> bytes:
    """RFC 4013 SASLprep (RFC 3454 stringprep), or the raw bytes where it does not apply."""
    raw = password.encode("utf-8")
    mapped = "".join(
        " " if stringprep.in_table_c12(ch) else ch
        for ch in password
        if not stringprep.in_table_b1(ch)
    )
    prepared = unicodedata.normalize("NFKC", mapped)
    if not prepared:
        return raw
    prohibited = (
        stringprep.in_table_c12,
        stringprep.in_table_c21_c22,
        stringprep.in_table_c3,
        stringprep.in_table_c4,
        stringprep.in_table_c5,
        stringprep.in_table_c6,
        stringprep.in_table_c7,
        stringprep.in_table_c8,
        stringprep.in_table_c9,
        stringprep.in_table_a1,  # unassigned code points
    )
    if any(check(ch) for ch in prepared for check in prohibited):
        return raw
    if any(stringprep.in_table_d1(ch) for ch in prepared):
        # Right-to-left text must not mix with left-to-right, and must start and end with it.
        if any(stringprep.in_table_d2(ch) for ch in prepared):
            return raw
        if not (stringprep.in_table_d1(prepared[0]) and stringprep.in_table_d1(prepared[-1])):
            return raw
    return prepared.encode("utf-8")


def queue_login(session: Session, user_id: int, *, password: str | None, login: bool) -> None:
    """Write the user's server sign-in (a new verifier when ``password`` is given) so that the
    next sync creates or alters their PostgreSQL role. Call inside the use case's transaction."""
    row = session.scalar(select(ServerLogin).where(ServerLogin.user_id == user_id))
    if row is None:
        # The user's own uid: two laptops that both write a user's first sign-in write the
        # same record, which the sync merges, rather than two records for one user.
        uid = session.scalar(select(User.uid).where(User.id == user_id))
        row = ServerLogin(uid=uid, user_id=user_id, verifier="", login=login)
        session.add(row)
    row.login = login
    if password is not None:
        row.verifier = scram_sha256_verifier(password)
    session.flush()  # captured now, with the verifier, into the outbox
    # The table itself keeps no verifier (not captured: a plain statement, not an ORM one).
    session.execute(text("UPDATE server_logins SET verifier = '' WHERE id = :id"), {"id": row.id})
    session.expire(row, ["verifier"])


def apply_login_change(conn: Connection, *, user_id: int, verifier: str, login: bool) -> None:
    """On the server (``conn`` signed in as the person whose change it is): create or alter the
    role of user ``user_id`` (the server's id). The ``server_logins`` trigger does the same for
    every row written there; this is the same step for a caller that applies the change itself.
    AccessDeniedError when the person may not (not an administrator, or not their own password).
    """
    try:
        conn.execute(
            text("SELECT hemlos_apply_login(:user_id, :verifier, :login)"),
            {"user_id": user_id, "verifier": verifier, "login": login},
        )
    except DBAPIError as exc:
        orig: Any = exc.orig
        if getattr(orig, "sqlstate", None) == "42501":  # insufficient_privilege
            raise AccessDeniedError("server role change refused") from None
        raise
