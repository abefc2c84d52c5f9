"""One key slot of ``hemlos.keys``: how the data key is wrapped for one password or the recovery
key, and how it is given a new data key without that password (revocation).

A slot (format 2) holds an X25519 key pair. Its private key is encrypted with AES-256-GCM under
a key-encryption key that argon2id derives from the slot's secret (a password or the recovery
key) and the slot's salt; the database's data key is *sealed* to its public key (an ephemeral
X25519 exchange, HKDF-SHA256, AES-256-GCM). Unlocking opens the private key with the secret and
unseals the data key. A new data key (``PRAGMA rekey`` on deactivation or an administrator's
password reset) is sealed to every remaining slot's public key, so no password is needed for
it, and someone who knew the old data key learns nothing about the new one.

A format-1 slot (from before revocation) wraps the data key directly; it still opens, and is
turned into a format-2 slot at its next unlock (the password is known then).

Everything that describes a slot (kind, user, argon2 parameters, salt, public key; for the
sealed key also the file's key id) is the AEAD's associated data, so a slot moved to another
user or given other parameters does not open. ``check`` is a plain hash of the slot: it tells a
damaged or edited slot from a wrong password.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import hashlib
import hmac
import json
import secrets
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from hemlos_desktop.storage.crypto.errors import KeySlotTamperedError
from hemlos_desktop.storage.crypto.kdf import KEY_BYTES, SALT_BYTES, Argon2Params

FILE_FORMAT = "hemlos-desktop-keys"
NONCE_BYTES = 12
KEY_ID_BYTES = 16
_KEY_ID_LABEL = b"hemlos-desktop key id v1"
_SEAL_LABEL = b"hemlos-desktop seal v1"
_HISTORY_LABEL = b"hemlos-desktop key history v1"
_RAW = serialization.Encoding.Raw
_PUBLIC_RAW = serialization.PublicFormat.Raw
_PRIVATE_RAW = serialization.PrivateFormat.Raw


class SlotKind(enum.StrEnum):
    PASSWORD = "password"
    RECOVERY = "recovery"


def password_bytes(password: str) -> bytes:
    return unicodedata.normalize("NFC", password).encode("utf-8")


def new_data_key() -> bytes:
    """A fresh random 256-bit database key."""
    return secrets.token_bytes(KEY_BYTES)


def key_id_of(data_key: bytes) -> bytes:
    """A fingerprint of ``data_key`` that reveals nothing about it."""
    return hmac.new(data_key, _KEY_ID_LABEL, hashlib.sha256).digest()[:KEY_ID_BYTES]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: Any) -> bytes:
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
class Slot:
    kind: SlotKind
    username: str | None
    params: Argon2Params
    salt: bytes
    nonce: bytes
    wrapped: bytes
    created_at: str
    check: str
    # Format 2: the slot's public key and the data key sealed to it (empty for format 1).
    public_key: bytes = b""
    sealed: bytes = b""

    @property
    def legacy(self) -> bool:
        """A format-1 slot that wraps the data key itself (cannot be given a new one)."""
        return not self.public_key

    def associated_data(self, key_id: bytes) -> bytes:
        """What the wrapped secret is bound to (format 1: the data key, bound to the file's
        key id; format 2: the private key, bound to the public key instead)."""
        meta: dict[str, Any] = {
            "format": FILE_FORMAT,
            "kind": self.kind.value,
            "user": self.username,
            "kdf": self.params.to_json(),
            "salt": b64(self.salt),
        }
        if self.legacy:
            meta.update(version=1, key_id=key_id.hex())
        else:
            meta.update(version=2, public_key=b64(self.public_key))
        return json.dumps(meta, sort_keys=True, separators=(",", ":")).encode("ascii")

    def seal_data(self, key_id: bytes) -> bytes:
        meta = {
            "format": FILE_FORMAT,
            "key_id": key_id.hex(),
            "kind": self.kind.value,
            "user": self.username,
            "public_key": b64(self.public_key),
        }
        return json.dumps(meta, sort_keys=True, separators=(",", ":")).encode("ascii")

    def compute_check(self, key_id: bytes) -> str:
        digest = hashlib.sha256()
        parts = [self.associated_data(key_id), self.nonce, self.wrapped]
        if not self.legacy:
            parts += [self.seal_data(key_id), self.sealed]
        for part in parts:
            digest.update(len(part).to_bytes(4, "big"))
            digest.update(part)
        return digest.hexdigest()[:32]

    def is_intact(self, key_id: bytes) -> bool:
        return hmac.compare_digest(self.check, self.compute_check(key_id))

    def to_json(self) -> dict[str, Any]:
        data = {
            "kind": self.kind.value,
            "user": self.username,
            "kdf": self.params.to_json(),
            "salt": b64(self.salt),
            "nonce": b64(self.nonce),
            "wrapped_key": b64(self.wrapped),
            "created_at": self.created_at,
            "check": self.check,
        }
        if not self.legacy:
            data.update(public_key=b64(self.public_key), sealed_key=b64(self.sealed))
        return data

    @classmethod
    def from_json(cls, data: Any) -> Slot:
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
        public = unb64(data["public_key"]) if "public_key" in data else b""
        sealed = unb64(data["sealed_key"]) if "public_key" in data else b""
        return cls(
            kind=kind,
            username=user,
            params=Argon2Params.from_json(data["kdf"]),
            salt=unb64(data["salt"]),
            nonce=unb64(data["nonce"]),
            wrapped=unb64(data["wrapped_key"]),
            created_at=created,
            check=check,
            public_key=public,
            sealed=sealed,
        )

    def info(self, key_id: bytes) -> SlotInfo:
        return SlotInfo(
            self.kind, self.username, self.params, self.created_at, self.is_intact(key_id)
        )


def _seal_key(public_raw: bytes) -> tuple[bytes, bytes]:
    """(ephemeral public key, symmetric key) for sealing to ``public_raw``."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(_RAW, _PUBLIC_RAW)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public_raw))
    return ephemeral_public, _derive(shared, ephemeral_public, public_raw)


def _derive(shared: bytes, ephemeral_public: bytes, public_raw: bytes) -> bytes:
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_BYTES,
        salt=None,
        info=_SEAL_LABEL + ephemeral_public + public_raw,
    )
    return hkdf.derive(shared)


def seal(slot: Slot, data_key: bytes, key_id: bytes) -> Slot:
    """``slot`` with ``data_key`` (whose id is ``key_id``) sealed to its public key."""
    ephemeral_public, key = _seal_key(slot.public_key)
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = ephemeral_public + nonce + AESGCM(key).encrypt(nonce, data_key, slot.seal_data(key_id))
    draft = replace(slot, sealed=sealed)
    return replace(draft, check=draft.compute_check(key_id))


def _unseal(slot: Slot, private_raw: bytes, key_id: bytes) -> bytes | None:
    ephemeral_public = slot.sealed[:32]
    nonce = slot.sealed[32 : 32 + NONCE_BYTES]
    private = X25519PrivateKey.from_private_bytes(private_raw)
    shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    key = _derive(shared, ephemeral_public, slot.public_key)
    try:
        return AESGCM(key).decrypt(nonce, slot.sealed[32 + NONCE_BYTES :], slot.seal_data(key_id))
    except InvalidTag:
        return None


def wrap(
    data_key: bytes,
    key_id: bytes,
    *,
    kind: SlotKind,
    username: str | None,
    secret: bytes,
    params: Argon2Params,
) -> Slot:
    """A new (format 2) slot for ``secret`` that opens ``data_key``."""
    private = X25519PrivateKey.generate()
    private_raw = private.private_bytes(_RAW, _PRIVATE_RAW, serialization.NoEncryption())
    public_raw = private.public_key().public_bytes(_RAW, _PUBLIC_RAW)
    salt = secrets.token_bytes(SALT_BYTES)
    nonce = secrets.token_bytes(NONCE_BYTES)
    draft = Slot(kind, username, params, salt, nonce, b"", _now_text(), "", public_raw, b"")
    kek = params.derive(secret, salt)
    wrapped = AESGCM(kek).encrypt(nonce, private_raw, draft.associated_data(key_id))
    return seal(replace(draft, wrapped=wrapped), data_key, key_id)


def unwrap(slot: Slot, key_id: bytes, secret: bytes) -> bytes | None:
    """The data key, or None when ``secret`` does not open ``slot``."""
    kek = slot.params.derive(secret, slot.salt)
    try:
        opened = AESGCM(kek).decrypt(slot.nonce, slot.wrapped, slot.associated_data(key_id))
    except InvalidTag:
        return None
    data_key = opened if slot.legacy else _unseal(slot, opened, key_id)
    if data_key is None:
        raise KeySlotTamperedError("slot opened but its sealed key does not")
    if len(data_key) != KEY_BYTES or not hmac.compare_digest(key_id_of(data_key), key_id):
        raise KeySlotTamperedError("slot opened but key id differs")
    return data_key


# -- earlier data keys (to restore backups made before a rekey) --------------------------------


def wrap_history(data_key: bytes, old_keys: list[bytes]) -> list[dict[str, str]]:
    """The earlier data keys, each encrypted under the current one."""
    entries = []
    current_id = key_id_of(data_key)
    for old in old_keys:
        old_id = key_id_of(old)
        nonce = secrets.token_bytes(NONCE_BYTES)
        wrapped = AESGCM(data_key).encrypt(nonce, old, _HISTORY_LABEL + current_id + old_id)
        entries.append({"key_id": old_id.hex(), "nonce": b64(nonce), "wrapped_key": b64(wrapped)})
    return entries


def unwrap_history(data_key: bytes, entries: list[Any]) -> list[bytes]:
    """The earlier data keys that open with the current ``data_key`` (damaged ones skipped)."""
    keys: list[bytes] = []
    current_id = key_id_of(data_key)
    for entry in entries:
        try:
            old_id = bytes.fromhex(entry["key_id"])
            old = AESGCM(data_key).decrypt(
                unb64(entry["nonce"]),
                unb64(entry["wrapped_key"]),
                _HISTORY_LABEL + current_id + old_id,
            )
        except (InvalidTag, ValueError, KeyError, TypeError):
            continue
        keys.append(old)
    return keys
