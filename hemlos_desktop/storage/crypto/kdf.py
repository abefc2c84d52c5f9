"""Key derivation: argon2id turns a password or a recovery key into a key-encryption key.

The parameters are stored in every key slot, so they can be raised later without locking
anybody out: a slot made with weaker parameters is re-wrapped with the current ones at the
next successful unlock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# argon2 is imported where a key is derived: the sign-in dialog imports this module for its
# parameters and is painted before any key is derived.

SALT_BYTES = 16
KEY_BYTES = 32

# Bounds for parameters read from a key file: a damaged or hostile file must not make the
# program allocate gigabytes or spin for minutes.
_MAX_TIME_COST = 64
_MAX_MEMORY_KIB = 4 * 1024 * 1024
_MAX_PARALLELISM = 16


@dataclass(frozen=True)
class Argon2Params:
    """Argon2id cost: ``time_cost`` passes over ``memory_cost`` KiB with ``parallelism`` lanes."""

    time_cost: int
    memory_cost: int
    parallelism: int

    def derive(self, secret: bytes, salt: bytes) -> bytes:
        """The 32-byte key-encryption key for ``secret`` and ``salt``."""
        from argon2.low_level import ARGON2_VERSION, Type, hash_secret_raw

        return bytes(
            hash_secret_raw(
                secret,
                salt,
                time_cost=self.time_cost,
                memory_cost=self.memory_cost,
                parallelism=self.parallelism,
                hash_len=KEY_BYTES,
                type=Type.ID,
                version=ARGON2_VERSION,
            )
        )

    def is_weaker_than(self, other: Argon2Params) -> bool:
        return (
            self.time_cost < other.time_cost
            or self.memory_cost < other.memory_cost
            or self.parallelism < other.parallelism
        )

    def raised_to(self, other: Argon2Params) -> Argon2Params:
        """Each cost at least as high as in ``other`` (never lowers a cost)."""
        return Argon2Params(
            time_cost=max(self.time_cost, other.time_cost),
            memory_cost=max(self.memory_cost, other.memory_cost),
            parallelism=max(self.parallelism, other.parallelism),
        )

    def is_sane(self) -> bool:
        return (
            1 <= self.time_cost <= _MAX_TIME_COST
            and 1 <= self.parallelism <= _MAX_PARALLELISM
            and 8 * self.parallelism <= self.memory_cost <= _MAX_MEMORY_KIB
        )

    def to_json(self) -> dict[str, Any]:
        from argon2.low_level import ARGON2_VERSION

        return {
            "algorithm": "argon2id",
            "version": ARGON2_VERSION,
            "time_cost": self.time_cost,
            "memory_cost": self.memory_cost,
            "parallelism": self.parallelism,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Argon2Params:
        """Parse stored parameters; raises ValueError for anything unexpected."""
        from argon2.low_level import ARGON2_VERSION

        if data.get("algorithm") != "argon2id" or data.get("version") != ARGON2_VERSION:
            raise ValueError("unknown key derivation")
        values = [data.get(name) for name in ("time_cost", "memory_cost", "parallelism")]
        if not all(type(value) is int for value in values):
            raise ValueError("bad key derivation parameters")
        params = cls(
            time_cost=data["time_cost"],
            memory_cost=data["memory_cost"],
            parallelism=data["parallelism"],
        )
        if not params.is_sane():
            raise ValueError("key derivation parameters out of range")
        return params


# Production cost, measured on a 2-core laptop: about half a second per unlock
# (see benchmarks/encryption.py, figure unlock_seconds). 128 MiB of memory per attempt makes
# guessing on graphics cards expensive.
PRODUCTION_PARAMS = Argon2Params(time_cost=4, memory_cost=128 * 1024, parallelism=2)

# For tests only, passed explicitly through fixtures; no setting can select these.
TEST_PARAMS = Argon2Params(time_cost=1, memory_cost=8, parallelism=1)
