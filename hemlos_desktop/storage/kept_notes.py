"""Journal notes kept outside the database, for when the database will not take them.

When the window closes while saves fail (disk full, a write lock held for long), the note being
typed is written to a file of its own in ``<data folder>/kept-notes/`` and put back into the
database as a draft the next time the client's journal opens (``services.journal_rescue``).

Each file holds one note as JSON. Beside an encrypted database the JSON is sealed with AES-GCM
under a key derived from the database's key (HKDF, its own label), so the file is no more
readable than the database; beside a plain database it is stored as it is. Either way the file
is the user's only (0600, in a 0700 folder) and its name is random: no personal data in names.
A note sealed under an earlier key of the database (the database was given a new key, e.g.
when a user was deactivated, after the note was kept) opens with that key, which the key file
keeps for this (``KeyStore.previous_keys``), and is sealed again under the current key. A file
that still cannot be read (damaged, another database's) is left alone and skipped, never
deleted.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.storage.files import make_private, write_bytes_atomic
from hemlos_desktop.storage.paths import DataLocation

log = logging.getLogger(__name__)

KEPT_NOTES_FOLDER = "kept-notes"
SUFFIX = ".note"
_SEALED = b"HEMLOS-NOTE-AESGCM-1\n"
_PLAIN = b"HEMLOS-NOTE-PLAIN-1\n"
_LABEL = b"hemlos kept journal notes"
_NONCE_BYTES = 12


@dataclass(frozen=True)
class KeptFile:
    """One kept note: the file's name (random) and the JSON object it holds."""

    name: str
    data: dict[str, Any]


def folder(location: DataLocation) -> Path:
    return location.folder / KEPT_NOTES_FOLDER


def _file_key(data_key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_LABEL).derive(data_key)


def _seal(data: dict[str, Any], data_key: bytes | None) -> bytes:
    plain = json.dumps(data, ensure_ascii=False).encode("utf-8")
    if data_key is None:
        return _PLAIN + plain
    nonce = os.urandom(_NONCE_BYTES)
    return _SEALED + nonce + AESGCM(_file_key(data_key)).encrypt(nonce, plain, _SEALED)


def _open(raw: bytes, data_key: bytes | None) -> dict[str, Any] | None:
    if raw.startswith(_PLAIN):
        plain = raw[len(_PLAIN) :]
    elif raw.startswith(_SEALED) and data_key is not None:
        body = raw[len(_SEALED) :]
        nonce, sealed = body[:_NONCE_BYTES], body[_NONCE_BYTES:]
        try:
            plain = AESGCM(_file_key(data_key)).decrypt(nonce, sealed, _SEALED)
        except InvalidTag:
            return None
    else:
        return None
    try:
        data = json.loads(plain.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


def write(location: DataLocation, data_key: bytes | None, data: dict[str, Any]) -> str:
    """Keep ``data`` in a new file (written whole or not at all); returns the file's name.
    Raises the storage's known errors (disk full, read-only folder) when it cannot."""
    name = secrets.token_hex(16) + SUFFIX
    path = folder(location) / name
    write_bytes_atomic(path, _seal(data, data_key))
    make_private(path)
    return name


def read_all(
    location: DataLocation,
    data_key: bytes | None,
    earlier_keys: Callable[[], list[bytes]] | None = None,
) -> list[KeptFile]:
    """Every kept note that opens with this key, oldest file first. A note that does not is
    tried with ``earlier_keys()`` (the database's keys before this one, asked for once, only
    when needed) and, when one opens it, sealed again under ``data_key``."""
    kept: list[KeptFile] = []
    where = folder(location)
    if not where.is_dir():
        return kept
    paths = sorted(where.glob(f"*{SUFFIX}"), key=lambda p: (p.stat().st_mtime, p.name))
    older: list[bytes] | None = None
    for path in paths:
        try:
            raw = path.read_bytes()
        except OSError:
            raw = b""
        data = _open(raw, data_key)
        if data is None and raw.startswith(_SEALED) and earlier_keys is not None:
            if older is None:
                older = earlier_keys()
            data = next((d for d in (_open(raw, k) for k in reversed(older)) if d), None)
            if data is not None:
                _seal_again(path, data, data_key)
        if data is None:
            log.warning("a kept note could not be read and was left as it is")
            continue
        kept.append(KeptFile(path.name, data))
    return kept


def _seal_again(path: Path, data: dict[str, Any], data_key: bytes | None) -> None:
    """Seal a note opened with an earlier key under the current one (the same file, written
    whole or not at all); if that fails the note is still offered and stays as it was."""
    try:
        write_bytes_atomic(path, _seal(data, data_key))
        make_private(path)
    except (OSError, HemlosError):
        log.warning("a kept note sealed under an earlier key could not be sealed again")


def remove(location: DataLocation, name: str) -> None:
    """Delete a kept note once the database holds it."""
    if Path(name).name != name or not name.endswith(SUFFIX):
        raise ValueError("not a kept note's name")
    (folder(location) / name).unlink(missing_ok=True)
