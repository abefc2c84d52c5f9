"""Key slots: the database key, wrapped once per user password and once by the recovery key.

A random 32-byte data key encrypts the database (SQLCipher). Each slot in ``hemlos.keys``
holds that key encrypted with AES-256-GCM under a key-encryption key that argon2id derives
from a secret (a user's password or the recovery key) and the slot's own random salt. The
slot's metadata (kind, user name, argon2 parameters, salt, the file's key id) is the AEAD's
associated data, so a slot moved to another user or given other parameters does not open.
Changing one's own password or adding a user rewrites one slot. Deactivating a user and an
administrator's password reset give the database a new data key (``PRAGMA rekey``): every
remaining slot gets the new key sealed to its public key (see ``slots``), the earlier keys are
kept encrypted under the new one (to restore older backups), and the new file is written as
``hemlos.keys.next`` first, renamed into place only after the database was re-encrypted.

The file (JSON, versioned, written atomically) looks like this::

    {"format": "hemlos-desktop-keys", "version": 2, "key_id": "<hex>",
     "slots": [{"kind": "password", "user": "anna", "kdf": {...}, "salt": "<b64>",
                "nonce": "<b64>", "wrapped_key": "<b64>", "public_key": "<b64>",
                "sealed_key": "<b64>", "created_at": "...", "check": "<hex>"},
               {"kind": "recovery", "user": null, ...}],
     "history": [{"key_id": "<hex>", "nonce": "<b64>", "wrapped_key": "<b64>"}]}

``key_id`` is an HMAC of the data key (it reveals nothing about it) and tells whether a key
belongs to this file. ``check`` is a plain hash of each slot: it tells a damaged or edited slot
(KeySlotTamperedError) from a wrong password (WrongPasswordError). Someone who edits a slot
and recomputes the hash only gets "wrong password": the AEAD still refuses the slot.

User names are compared after :func:`normalize_username` (Unicode NFC, trimmed, case-folded);
passwords after Unicode NFC only.
"""

from __future__ import annotations

import binascii
import hmac
import json
import logging
import os
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hemlos_desktop.errors import InvalidInputError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.storage.crypto.errors import (
    DuplicateSlotError,
    KeyFileExistsError,
    KeyFileMissingError,
    KeySlotTamperedError,
    LastPasswordSlotError,
    NewerKeyFileError,
    NoSuchUserSlot,
    WrongPasswordError,
    WrongRecoveryKeyError,
)
from hemlos_desktop.storage.crypto.kdf import KEY_BYTES, PRODUCTION_PARAMS, SALT_BYTES, Argon2Params
from hemlos_desktop.storage.crypto.recovery import (
    format_recovery_key,
    new_recovery_secret,
    parse_recovery_key,
)
from hemlos_desktop.storage.crypto.slots import (
    FILE_FORMAT,
    KEY_ID_BYTES,
    Slot,
    SlotInfo,
    SlotKind,
    key_id_of,
    new_data_key,
    password_bytes,
    seal,
    unwrap,
    unwrap_history,
    wrap,
    wrap_history,
)
from hemlos_desktop.storage.crypto.throttle import Clock, Sleep, UnlockThrottle
from hemlos_desktop.storage.errors import classify
from hemlos_desktop.storage.files import fsync_dir, write_text_atomic
from hemlos_desktop.storage.paths import DataLocation

__all__ = [
    "FILE_FORMAT",
    "KeyStore",
    "RekeyPlan",
    "SlotInfo",
    "SlotKind",
    "key_id_of",
    "new_data_key",
    "normalize_username",
]

log = logging.getLogger(__name__)

FILE_VERSION = 2  # 2: key pairs per slot, so the data key can be replaced (revocation)
_KEY_ID_BYTES = KEY_ID_BYTES
PENDING_SUFFIX = ".next"

# Kept under their earlier names for the code and tests that import them from here.
_Slot = Slot
_wrap = wrap
_unwrap = unwrap
_password_bytes = password_bytes


def normalize_username(username: str) -> str:
    """The form a user name is stored and compared in (NFC, trimmed, case-folded)."""
    return unicodedata.normalize("NFC", username).strip().casefold()


def _check_username(username: str) -> str:
    name = normalize_username(username)
    if not name:
        raise InvalidInputError(_("Enter a user name."), field="username")
    return name


def _check_new_password(password: str) -> bytes:
    if not password:
        raise InvalidInputError(_("The password must not be empty."), field="password")
    return _password_bytes(password)


class KeyStore:
    """The key slots of one data folder.

    Every change re-reads the file first and writes it atomically, so two programs on the same
    folder do not undo each other's changes (the last writer of the same slot wins).
    ``params`` are the argon2 costs for new slots and the floor that older slots are raised to
    at their next unlock; tests pass cheap ones, the program uses the production default.
    """

    def __init__(
        self,
        location: DataLocation,
        *,
        params: Argon2Params = PRODUCTION_PARAMS,
        clock: Clock = time.time,
        sleep: Sleep = time.sleep,
        path: Path | None = None,
    ) -> None:
        self.location = location
        self.params = params
        self.throttle = UnlockThrottle(location.unlock_attempts, clock=clock, sleep=sleep)
        self._lock = threading.RLock()
        self._path = path or location.keyslots
        self._key_id = b""
        self._slots: list[_Slot] = []
        self._history: list[Any] = []

    # ---- creating and loading ------------------------------------------------------------

    @staticmethod
    def exists(location: DataLocation) -> bool:
        return location.keyslots.exists()

    @classmethod
    def create(
        cls,
        location: DataLocation,
        *,
        admin_username: str,
        password: str,
        params: Argon2Params = PRODUCTION_PARAMS,
        data_key: bytes | None = None,
    ) -> tuple[bytes, str]:
        """Write a new key file with the administrator's slot and a recovery slot.

        Returns ``(data_key, recovery_key_text)``: the key to create (or encrypt) the database
        with, and the recovery key to show once for printing. ``data_key`` may be given when an
        existing database is to be encrypted with a key made beforehand.
        """
        location.ensure()
        if location.keyslots.exists():
            raise KeyFileExistsError("key file exists")
        name = _check_username(admin_username)
        secret = _check_new_password(password)
        key = data_key if data_key is not None else new_data_key()
        if len(key) != KEY_BYTES:
            raise ValueError("a data key has 32 bytes")
        store = cls(location, params=params)
        store._key_id = key_id_of(key)
        recovery_secret = new_recovery_secret()
        store._slots = [
            _wrap(
                key,
                store._key_id,
                kind=SlotKind.PASSWORD,
                username=name,
                secret=secret,
                params=params,
            ),
            _wrap(
                key,
                store._key_id,
                kind=SlotKind.RECOVERY,
                username=None,
                secret=recovery_secret,
                params=params,
            ),
        ]
        store._save()
        store.throttle.reset()
        log.info("key file created")
        return key, format_recovery_key(recovery_secret)

    @classmethod
    def load(
        cls,
        location: DataLocation,
        *,
        params: Argon2Params = PRODUCTION_PARAMS,
        clock: Clock = time.time,
        sleep: Sleep = time.sleep,
    ) -> KeyStore:
        """Read the key file of ``location`` (KeyFileMissingError when there is none)."""
        store = cls(location, params=params, clock=clock, sleep=sleep)
        store._reload()
        return store

    def _reload(self) -> None:
        path = self._path
        try:
            raw = path.read_bytes()
        except FileNotFoundError as exc:
            raise KeyFileMissingError("no key file") from exc
        except OSError as exc:
            raise (classify(exc) or KeyFileMissingError(f"errno {exc.errno}")) from exc
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict) or data.get("format") != FILE_FORMAT:
                raise ValueError("not a key file")
            version = data.get("version")
            if type(version) is not int:
                raise ValueError("no version")
            if version > FILE_VERSION:
                raise NewerKeyFileError(f"key file version {version}")
            key_id = bytes.fromhex(data["key_id"])
            if len(key_id) != _KEY_ID_BYTES:
                raise ValueError("bad key id")
            slots = [_Slot.from_json(item) for item in data["slots"]]
            history = data.get("history", [])
            if not isinstance(history, list):
                raise ValueError("bad history")
        except NewerKeyFileError:
            raise
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, binascii.Error) as exc:
            raise KeySlotTamperedError("key file unreadable") from exc
        self._key_id = key_id
        self._slots = slots
        self._history = history

    def _document(self) -> str:
        document = {
            "format": FILE_FORMAT,
            "version": FILE_VERSION,
            "key_id": self._key_id.hex(),
            "slots": [slot.to_json() for slot in self._slots],
            "history": self._history,
        }
        return json.dumps(document, indent=1) + "\n"

    def _save(self) -> None:
        write_text_atomic(self._path, self._document())

    # ---- reading -------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the file again (another program may have changed it); unlocking always does."""
        with self._lock:
            self._reload()

    @property
    def key_id(self) -> bytes:
        return self._key_id

    def slots(self) -> tuple[SlotInfo, ...]:
        return tuple(slot.info(self._key_id) for slot in self._slots)

    def usernames(self) -> list[str]:
        """The (normalised) user names that have a password slot."""
        return [s.username for s in self._slots if s.username is not None]

    def has_user(self, username: str) -> bool:
        return self._find(normalize_username(username)) is not None

    def belongs_to(self, data_key: bytes) -> bool:
        """Whether ``data_key`` is the key this file wraps."""
        return len(data_key) == KEY_BYTES and hmac.compare_digest(key_id_of(data_key), self._key_id)

    def _find(self, name: str) -> _Slot | None:
        for slot in self._slots:
            if slot.kind is SlotKind.PASSWORD and slot.username == name:
                return slot
        return None

    def _recovery_slot(self) -> _Slot | None:
        for slot in self._slots:
            if slot.kind is SlotKind.RECOVERY:
                return slot
        return None

    def _require_key(self, data_key: bytes) -> None:
        if not self.belongs_to(data_key):
            raise ValueError("the data key does not belong to this key file")

    # ---- unlocking -----------------------------------------------------------------------

    def unlock(self, username: str, password: str, *, wait: bool = True) -> bytes:
        """The data key, when ``password`` opens the slot of ``username``.

        Waits out the delay after repeated failures first (``wait=False`` raises
        UnlockThrottledError instead, for a user interface that shows a countdown). Raises
        WrongPasswordError (NoSuchUserSlot for an unknown user, shown the same way),
        KeySlotTamperedError for a damaged slot. An unknown user costs the same time as a wrong
        password. A slot made with weaker argon2 costs than ``params`` is re-wrapped.
        """
        with self._lock:
            self.throttle.before_attempt(wait=wait)
            self._reload()
            name = normalize_username(username)
            secret = _password_bytes(password)
            slot = self._find(name)
            if slot is None:
                self.params.derive(secret, os.urandom(SALT_BYTES))
                if any(not s.is_intact(self._key_id) for s in self._slots):
                    raise KeySlotTamperedError("no intact slot for this user")
                self.throttle.record_failure()
                raise NoSuchUserSlot("no slot")
            if not slot.is_intact(self._key_id):
                raise KeySlotTamperedError("slot check failed")
            data_key = _unwrap(slot, self._key_id, secret)
            if data_key is None:
                self.throttle.record_failure()
                raise WrongPasswordError("slot did not open")
            self.throttle.reset()
            if slot.legacy or slot.params.is_weaker_than(self.params):
                self._replace_slot(
                    _wrap(
                        data_key,
                        self._key_id,
                        kind=SlotKind.PASSWORD,
                        username=name,
                        secret=secret,
                        params=slot.params.raised_to(self.params),
                    )
                )
                log.info("key slot re-wrapped (stronger key derivation or a key pair)")
            return data_key

    def unlock_with_recovery(self, recovery_text: str, *, wait: bool = True) -> bytes:
        """The data key, when ``recovery_text`` is this file's recovery key.

        RecoveryKeyTypoError for a typing error (checked first, not counted as an attempt),
        WrongRecoveryKeyError for another recovery key.
        """
        recovery_secret = parse_recovery_key(recovery_text)
        with self._lock:
            self.throttle.before_attempt(wait=wait)
            self._reload()
            slot = self._recovery_slot()
            if slot is None or not slot.is_intact(self._key_id):
                raise KeySlotTamperedError("recovery slot missing or damaged")
            data_key = _unwrap(slot, self._key_id, recovery_secret)
            if data_key is None:
                self.throttle.record_failure()
                raise WrongRecoveryKeyError("recovery slot did not open")
            self.throttle.reset()
            if slot.legacy:  # give it a key pair, so a later new data key can follow
                self._replace_slot(
                    _wrap(
                        data_key,
                        self._key_id,
                        kind=SlotKind.RECOVERY,
                        username=None,
                        secret=recovery_secret,
                        params=slot.params.raised_to(self.params),
                    )
                )
            return data_key

    # ---- changing slots (the database is never re-encrypted) -----------------------------

    def _replace_slot(self, new: _Slot) -> None:
        """Put ``new`` in place of the slot of the same kind and user (or add it); save."""
        self._reload()
        kept = [s for s in self._slots if (s.kind, s.username) != (new.kind, new.username)]
        self._slots = [*kept, new] if new.kind is SlotKind.RECOVERY else _password_first(kept, new)
        self._save()

    def add_slot(self, data_key: bytes, username: str, password: str) -> None:
        """Give a new user a password slot (DuplicateSlotError if the name has one)."""
        name = _check_username(username)
        secret = _check_new_password(password)
        with self._lock:
            self._require_key(data_key)
            self._reload()
            if self._find(name) is not None:
                raise DuplicateSlotError("user has a slot")
            self._replace_slot(
                _wrap(
                    data_key,
                    self._key_id,
                    kind=SlotKind.PASSWORD,
                    username=name,
                    secret=secret,
                    params=self.params,
                )
            )

    def set_password(self, data_key: bytes, username: str, password: str) -> None:
        """Set a user's password, replacing the slot (an administrator's reset) or adding one."""
        name = _check_username(username)
        secret = _check_new_password(password)
        with self._lock:
            self._require_key(data_key)
            self._replace_slot(
                _wrap(
                    data_key,
                    self._key_id,
                    kind=SlotKind.PASSWORD,
                    username=name,
                    secret=secret,
                    params=self.params,
                )
            )

    def change_password(self, username: str, old_password: str, new_password: str) -> None:
        """A user changes their own password (the old one is checked like an unlock)."""
        _check_new_password(new_password)
        with self._lock:
            data_key = self.unlock(username, old_password)
            self.set_password(data_key, username, new_password)

    def remove_slot(self, username: str) -> None:
        """Remove a user's slot (NoSuchUserSlot; LastPasswordSlotError for the last intact one)."""
        name = normalize_username(username)
        with self._lock:
            self._reload()
            slot = self._find(name)
            if slot is None:
                raise NoSuchUserSlot("no slot")
            others = [
                s
                for s in self._slots
                if s.kind is SlotKind.PASSWORD and s is not slot and s.is_intact(self._key_id)
            ]
            if not others:
                raise LastPasswordSlotError("last password slot")
            self._slots = [s for s in self._slots if s is not slot]
            self._save()

    def reset_password_with_recovery(
        self, recovery_text: str, username: str, new_password: str
    ) -> bytes:
        """Unlock with the recovery key and set ``username``'s password; returns the data key."""
        _check_username(username)
        _check_new_password(new_password)
        with self._lock:
            data_key = self.unlock_with_recovery(recovery_text)
            self.set_password(data_key, username, new_password)
            return data_key

    def replace_recovery_key(self, data_key: bytes) -> str:
        """Make a new recovery key (the old one stops working); returns its text to print."""
        with self._lock:
            self._require_key(data_key)
            recovery_secret = new_recovery_secret()
            self._replace_slot(
                _wrap(
                    data_key,
                    self._key_id,
                    kind=SlotKind.RECOVERY,
                    username=None,
                    secret=recovery_secret,
                    params=self.params,
                )
            )
            return format_recovery_key(recovery_secret)

    # ---- a new data key (revocation) ------------------------------------------------------

    def previous_keys(self, data_key: bytes) -> list[bytes]:
        """The data keys used before ``data_key`` (for backups made before a rekey)."""
        with self._lock:
            self._require_key(data_key)
            return unwrap_history(data_key, self._history)

    def plan_rekey(
        self,
        data_key: bytes,
        *,
        remove_user: str | None = None,
        new_password: tuple[str, str] | None = None,
    ) -> RekeyPlan:
        """Write ``hemlos.keys.next``: the same slots for a new data key, without
        ``remove_user``'s slot and with a new slot for ``new_password`` (user, password).

        The caller re-encrypts the database with ``plan.new_key`` and then calls
        :meth:`commit_rekey` (or :meth:`abandon_rekey` when that failed). Slots that cannot be
        given the new key (damaged, or from before key pairs and never unlocked since) are
        left out and named in ``plan.lost``.
        """
        with self._lock:
            self._reload()
            self._require_key(data_key)
            new_key = new_data_key()
            new_id = key_id_of(new_key)
            gone = {normalize_username(remove_user)} if remove_user else set()
            if new_password is not None:
                gone.add(_check_username(new_password[0]))
            slots: list[_Slot] = []
            lost: list[str] = []
            for slot in self._slots:
                if slot.kind is SlotKind.PASSWORD and slot.username in gone:
                    continue
                if slot.legacy or not slot.is_intact(self._key_id):
                    lost.append(slot.username or "")
                    continue
                slots.append(seal(slot, new_key, new_id))
            if new_password is not None:
                name, password = new_password
                fresh = _wrap(
                    new_key,
                    new_id,
                    kind=SlotKind.PASSWORD,
                    username=_check_username(name),
                    secret=_check_new_password(password),
                    params=self.params,
                )
                slots = _password_first(slots, fresh)
            if not any(s.kind is SlotKind.PASSWORD for s in slots):
                raise LastPasswordSlotError("no password slot would remain")
            pending = KeyStore(self.location, params=self.params, path=pending_path(self.location))
            pending._key_id = new_id
            pending._slots = slots
            pending._history = wrap_history(
                new_key, [*unwrap_history(data_key, self._history), data_key]
            )
            pending._save()
            if lost:
                log.warning("%d key slots could not be given the new key", len(lost))
            return RekeyPlan(new_key=new_key, lost=tuple(lost))

    def commit_rekey(self) -> None:
        """Put ``hemlos.keys.next`` in place (after the database was re-encrypted)."""
        with self._lock:
            os.replace(pending_path(self.location), self._path)
            fsync_dir(self._path.parent)
            self._reload()

    def abandon_rekey(self) -> None:
        pending_path(self.location).unlink(missing_ok=True)


@dataclass(frozen=True)
class RekeyPlan:
    new_key: bytes
    lost: tuple[str, ...]  # users (or "" for the recovery key) whose slots could not follow


def pending_path(location: DataLocation) -> Path:
    """Where the key file for a new data key waits until the database is re-encrypted."""
    return location.keyslots.with_name(location.keyslots.name + PENDING_SUFFIX)


def _password_first(kept: list[_Slot], new: _Slot) -> list[_Slot]:
    """Slot order: password slots (new ones last among them), then the recovery slot."""
    passwords = [s for s in kept if s.kind is SlotKind.PASSWORD]
    others = [s for s in kept if s.kind is not SlotKind.PASSWORD]
    return [*passwords, new, *others]
