"""The recovery key: 32 random bytes written as groups of base32 characters.

The key is shown once at set-up for the administrator to print. It uses Crockford's base32
alphabet (digits and capital letters without I, L, O and U), so nothing looks alike on paper;
when typed back, lower case is accepted, O is read as 0 and I or L as 1, and spaces and dashes
are ignored. The last group is a check group (20 bits of a hash of the key): a typing error is
reported as such instead of as a wrong key.

    7K2M-QX4D-...-R8TB   (14 groups of 4 characters: 13 groups of key, 1 check group)
"""

from __future__ import annotations

import hashlib
import secrets

from hemlos_desktop.storage.crypto.errors import RecoveryKeyTypoError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {char: index for index, char in enumerate(ALPHABET)}
_VALUE.update({"O": 0, "I": 1, "L": 1})

SECRET_BYTES = 32
GROUP_SIZE = 4
_KEY_CHARS = 52  # 256 bits in 5-bit characters, the last 4 bits zero
_CHECK_CHARS = 4
TOTAL_CHARS = _KEY_CHARS + _CHECK_CHARS
GROUPS = TOTAL_CHARS // GROUP_SIZE
_PAD_BITS = _KEY_CHARS * 5 - SECRET_BYTES * 8


def new_recovery_secret() -> bytes:
    return secrets.token_bytes(SECRET_BYTES)


def _check_value(secret: bytes) -> int:
    digest = hashlib.sha256(b"hemlos-desktop recovery key check\0" + secret).digest()
    return int.from_bytes(digest[:3], "big") >> (24 - 5 * _CHECK_CHARS)


def _encode(value: int, chars: int) -> str:
    return "".join(ALPHABET[(value >> (5 * (chars - 1 - i))) & 31] for i in range(chars))


def format_recovery_key(secret: bytes) -> str:
    """The printable text of ``secret``: groups of four characters joined by dashes."""
    if len(secret) != SECRET_BYTES:
        raise ValueError("a recovery secret has 32 bytes")
    text = _encode(int.from_bytes(secret, "big") << _PAD_BITS, _KEY_CHARS)
    text += _encode(_check_value(secret), _CHECK_CHARS)
    return "-".join(text[i : i + GROUP_SIZE] for i in range(0, TOTAL_CHARS, GROUP_SIZE))


def parse_recovery_key(text: str) -> bytes:
    """The secret written in ``text``; raises RecoveryKeyTypoError for a typing error."""
    chars = [c for c in text.upper() if not c.isspace() and c not in "-–—_."]
    for index, char in enumerate(chars):
        if char not in _VALUE:
            raise RecoveryKeyTypoError(
                RecoveryKeyTypoError.CHARACTER, group=index // GROUP_SIZE + 1
            )
    if len(chars) != TOTAL_CHARS:
        raise RecoveryKeyTypoError(
            RecoveryKeyTypoError.LENGTH, count=len(chars), expected=TOTAL_CHARS
        )
    value = 0
    for char in chars[:_KEY_CHARS]:
        value = (value << 5) | _VALUE[char]
    check = 0
    for char in chars[_KEY_CHARS:]:
        check = (check << 5) | _VALUE[char]
    if value & ((1 << _PAD_BITS) - 1):
        raise RecoveryKeyTypoError(RecoveryKeyTypoError.CHECKSUM)
    secret = (value >> _PAD_BITS).to_bytes(SECRET_BYTES, "big")
    if check != _check_value(secret):
        raise RecoveryKeyTypoError(RecoveryKeyTypoError.CHECKSUM)
    return secret


def recovery_key_groups(text: str) -> list[str]:
    """The groups of a formatted recovery key (for printing in a grid)."""
    return text.split("-")
