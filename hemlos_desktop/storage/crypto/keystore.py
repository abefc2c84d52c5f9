"""Key slots: the database key, wrapped once per user password and once by the recovery key.

A random 32-byte data key encrypts the database (SQLCipher). Each slot in ``hemlos.keys``
holds that key encrypted with AES-256-GCM under a key-encryption key that argon2id derives
from a secret (a user's password or the recovery key) and the slot's own random salt. The
slot's metadata (kind, user name, argon2 parameters, salt, the file's key id) is the AEAD's
associated data, so a slot moved to another user or given other parameters does not open.
Changing a password or adding a user rewrites one slot; the database is never re-encrypted.

The file (JSON, versioned, written atomically) looks like this::

    {"format": "hemlos-desktop-keys", "version": 1, "key_id": "<hex>",
     "slots": [{"kind": "password", "user": "anna", "kdf": {...}, "salt": "<b64>",
                "nonce": "<b64>", "wrapped_key": "<b64>", "created_at": "...",
                "check": "<hex>"}, {"kind": "recovery", "user": null, ...}]}

``key_id`` is an HMAC of the data key (it reveals nothing about it) and tells whether a key
belongs to this file. ``check`` is a plain hash of each slot: it tells a damaged or edited slot
(KeySlotTamperedError) from a wrong password (WrongPasswordError). Someone who edits a slot
and recomputes the hash only gets "wrong password": the AEAD still refuses the slot.

User names are compared after :func:`normalize_username` (Unicode NFC, trimmed, case-folded);
passwords after Unicode NFC only.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import enum
import hashlib
import hmac
import json
import logging
import secrets
import threading
import time
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

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
from hemlos_desktop.storage.crypto.throttle import Clock, Sleep, UnlockThrottle
from hemlos_desktop.storage.errors import classify
from hemlos_desktop.storage.files import write_text_atomic
from hemlos_desktop.storage.paths import DataLocation

log = logging.getLogger(__name__)

FILE_FORMAT = "hemlos-desktop-keys"
FILE_VERSION = 1
NONCE_BYTES = 12
_KEY_ID_BYTES = 16
_KEY_ID_LABEL = b"hemlos-desktop key id v1"


class SlotKind(enum.StrEnum):
    PASSWORD = "password"
    RECOVERY = "recovery"


def normalize_username(username: str) -> str:
    """The form a user name is stored and compared in (NFC, trimmed, case-folded)."""
    return unicodedata.normalize("NFC", username).strip().casefold()


def _password_bytes(password: str) -> bytes:
    return unicodedata.normalize("NFC", password).encode("utf-8")


def new_data_key() -> bytes:
    """A fresh random 256-bit database key."""
    return secrets.token_bytes(KEY_BYTES)


def key_id_of(data_key: bytes) -> bytes:
    """A fingerprint of ``data_key`` that reveals nothing about it."""
    return hmac.new(data_key, _KEY_ID_LABEL, hashlib.sha256).digest()[:_KEY_ID_BYTES]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("expected base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def _now_text() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class SlotInfo:
    """What may be shown about a slot (for an administrator's list of users)."""

    kind: SlotKind
    username: str | None
    params: Argon2Params
    created_at: str
    intact: bool


@dataclass(frozen=True)
class _Slot:
    kind: SlotKind
    username: str | None
    params: Argon2Params
    salt: bytes
    nonce: bytes
    wrapped: bytes
    created_at: str
    check: str

    def associated_data(self, key_id: bytes) -> bytes:
        meta = {
            "format": FILE_FORMAT,
            "version": FILE_VERSION,
            "key_id": key_id.hex(),
            "kind": self.kind.value,
            "user": self.username,
            "kdf": self.params.to_json(),
            "salt": _b64(self.salt),
        }
        return json.dumps(meta, sort_keys=True, separators=(",", ":")).encode("ascii")

    def compute_check(self, key_id: bytes) -> str:
        digest = hashlib.sha256()
        for part in (self.associated_data(key_id), self.nonce, self.wrapped):
            digest.update(len(part).to_bytes(4, "big"))
            digest.update(part)
        return digest.hexdigest()[:32]

    def is_intact(self, key_id: bytes) -> bool:
        return hmac.compare_digest(self.check, self.compute_check(key_id))

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "user": self.username,
            "kdf": self.params.to_json(),
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "wrapped_key": _b64(self.wrapped),
            "created_at": self.created_at,
            "check": self.check,
        }

    @classmethod
    def from_json(cls, data: Any) -> _Slot:
        """Parse one slot; ValueError/KeyError/TypeError for a malformed one."""
        if not isinstance(data, dict):
            raise ValueError("slot is not an object")
        kind = SlotKind(data["kind"])
        user = data["user"]
        if kind is SlotKind.PASSWORD and not isinstance(user, str):
            raise ValueError("password slot without user")
        if kind is SlotKind.RECOVERY and user is not None:
            raise ValueError("recovery slot with user")
        check = data["check"]
        created = data.get("created_at", "")
        if not isinstance(check, str) or not isinstance(created, str):
            raise ValueError("bad slot fields")
        return cls(
            kind=kind,
            username=user,
            params=Argon2Params.from_json(data["kdf"]),
            salt=_unb64(data["salt"]),
            nonce=_unb64(data["nonce"]),
            wrapped=_unb64(data["wrapped_key"]),
            created_at=created,
            check=check,
        )

    def info(self, key_id: bytes) -> SlotInfo:
        return SlotInfo(
            self.kind, self.username, self.params, self.created_at, self.is_intact(key_id)
        )


def _wrap(
    data_key: bytes,
    key_id: bytes,
    *,
    kind: SlotKind,
    username: str | None,
    secret: bytes,
    params: Argon2Params,
) -> _Slot:
    salt = secrets.token_bytes(SALT_BYTES)
    nonce = secrets.token_bytes(NONCE_BYTES)
    draft = _Slot(kind, username, params, salt, nonce, b"", _now_text(), "")
    kek = params.derive(secret, salt)
    wrapped = AESGCM(kek).encrypt(nonce, data_key, draft.associated_data(key_id))
    draft = replace(draft, wrapped=wrapped)
    return replace(draft, check=draft.compute_check(key_id))


def _unwrap(slot: _Slot, key_id: bytes, secret: bytes) -> bytes | None:
    """The data key, or None when ``secret`` does not open ``slot``."""
    kek = slot.params.derive(secret, slot.salt)
    try:
        data_key = AESGCM(kek).decrypt(slot.nonce, slot.wrapped, slot.associated_data(key_id))
    except InvalidTag:
        return None
    if len(data_key) != KEY_BYTES or not hmac.compare_digest(key_id_of(data_key), key_id):
        raise KeySlotTamperedError("slot opened but key id differs")
    return data_key


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
    ) -> None:
        self.location = location
        self.params = params
        self.throttle = UnlockThrottle(location.unlock_attempts, clock=clock, sleep=sleep)
        self._lock = threading.RLock()
        self._key_id = b""
        self._slots: list[_Slot] = []

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
        path = self.location.keyslots
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
        except NewerKeyFileError:
            raise
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, binascii.Error) as exc:
            raise KeySlotTamperedError("key file unreadable") from exc
        self._key_id = key_id
        self._slots = slots

    def _save(self) -> None:
        document = {
            "format": FILE_FORMAT,
            "version": FILE_VERSION,
            "key_id": self._key_id.hex(),
            "slots": [slot.to_json() for slot in self._slots],
        }
        write_text_atomic(self.location.keyslots, json.dumps(document, indent=1) + "\n")

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
                self.params.derive(secret, secrets.token_bytes(SALT_BYTES))
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
            if slot.params.is_weaker_than(self.params):
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
                log.info("key slot re-wrapped with stronger key derivation")
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


def _password_first(kept: list[_Slot], new: _Slot) -> list[_Slot]:
    """Slot order: password slots (new ones last among them), then the recovery slot."""
    passwords = [s for s in kept if s.kind is SlotKind.PASSWORD]
    others = [s for s in kept if s.kind is not SlotKind.PASSWORD]
    return [*passwords, new, *others]
