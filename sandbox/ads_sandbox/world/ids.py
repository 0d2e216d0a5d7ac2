"""Platform-shaped, hash-derived, unique object ids."""

from __future__ import annotations

from ads_sandbox.world.hashing import Hasher


def _tiktok(kind: str, h: int) -> str:
    return f"7{h % 10**18:018d}"


def _meta(kind: str, h: int) -> str:
    if kind == "account":
        return f"act_{10**14 + h % (9 * 10**14)}"
    return f"238{h % 10**14:014d}"


def _google_ads(kind: str, h: int) -> str:
    if kind == "account":
        return str(10**9 + h % (9 * 10**9))
    return str(10**10 + h % (9 * 10**10))


_FORMATS = {"tiktok": _tiktok, "meta": _meta, "google_ads": _google_ads}


class IdMaker:
    """Derives ids from structural paths; re-salts on the (astronomically rare) collision."""

    def __init__(self, hasher: Hasher, platform: str) -> None:
        self._hasher = hasher
        self._format = _FORMATS[platform]
        self._seen: set[str] = set()

    def make(self, kind: str, *path: object) -> str:
        salt = 0
        while True:
            new = self._format(kind, self._hasher.of("id", kind, *path, salt))
            if new not in self._seen:
                self._seen.add(new)
                return new
            salt += 1
