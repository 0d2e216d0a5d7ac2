"""Seeded deterministic hashing (Python's hash() is salted per process, so it is never used)."""

from __future__ import annotations

import hashlib


class Hasher:
    __slots__ = ("_key",)

    def __init__(self, seed: int, platform: str) -> None:
        self._key = hashlib.blake2b(
            f"ads-sandbox|{seed}|{platform}".encode(), digest_size=32
        ).digest()

    def of_bytes(self, data: bytes) -> int:
        """A 128-bit integer hash of data."""
        digest = hashlib.blake2b(data, digest_size=16, key=self._key).digest()
        return int.from_bytes(digest, "little")

    def of(self, *parts: object) -> int:
        return self.of_bytes("|".join(map(str, parts)).encode())
