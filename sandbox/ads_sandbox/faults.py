"""Deterministic fault injection shared by every emulator.

A decision depends only on the seed, the exact request (its signature) and how many times that
request was seen before, so concurrent traffic cannot change it. A request is never faulted more
than MAX_CONSECUTIVE times in a row: a client that retries always gets through.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

FAULT_NAMES = (
    "rate_limit",
    "server_error",
    "timeout",
    "disconnect",
    "token_expiry",
    "job_failure",
    "deprecated_field",
    "sunset_version",
)
DEFAULT_RATE = 0.1
MAX_CONSECUTIVE = 2


class FaultSpecError(ValueError):
    pass


def validate_faults(rates: Mapping[str, object]) -> dict[str, float]:
    """Check fault names and rates (0..1); returns a clean name -> rate mapping."""
    clean: dict[str, float] = {}
    for name, rate in rates.items():
        if name not in FAULT_NAMES:
            raise FaultSpecError(f"unknown fault {name!r}; known faults: {', '.join(FAULT_NAMES)}")
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 <= rate <= 1:
            raise FaultSpecError(f"fault {name}: rate must be a number from 0 to 1; got {rate!r}")
        clean[name] = float(rate)
    return clean


def parse_faults(spec: str) -> dict[str, float]:
    """Parse NAME[=RATE],... (a name without a rate means DEFAULT_RATE)."""
    rates: dict[str, object] = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        name, sep, value = item.partition("=")
        if not sep:
            rates[name.strip()] = DEFAULT_RATE
            continue
        try:
            rates[name.strip()] = float(value)
        except ValueError:
            raise FaultSpecError(f"fault {name.strip()}: rate {value!r} is not a number") from None
    return validate_faults(rates)


@dataclass(slots=True)
class _History:
    seen: int = 0
    consecutive: int = 0


@dataclass(frozen=True, slots=True)
class Fault:
    name: str
    variant: int  # random bits for choosing among a fault's flavours


class FaultInjector:
    def __init__(self, seed: int, rates: Mapping[str, float] | None = None) -> None:
        self._key = hashlib.blake2b(f"faults|{seed}".encode(), digest_size=32).digest()
        self._rates: dict[str, float] = dict(rates or {})
        self._history: dict[bytes, _History] = {}
        self.injected: Counter[str] = Counter()

    @property
    def rates(self) -> dict[str, float]:
        return dict(self._rates)

    def set_rates(self, rates: Mapping[str, float]) -> None:
        self._rates = dict(rates)

    def active(self, name: str) -> bool:
        return self._rates.get(name, 0.0) > 0

    def record(self, name: str) -> None:
        """Count a fault decided outside draw() (e.g. a sunset version refusing every call)."""
        self.injected[name] += 1

    def draw(self, signature: bytes, candidates: Iterable[str]) -> Fault | None:
        """At most one fault for this occurrence of the request, from candidates in order."""
        digest = hashlib.blake2b(signature, digest_size=16, key=self._key).digest()
        history = self._history.get(digest)
        if history is None:
            history = self._history[digest] = _History()
        occurrence = history.seen
        history.seen += 1
        if history.consecutive >= MAX_CONSECUTIVE:
            history.consecutive = 0
            return None
        roll = int.from_bytes(
            hashlib.blake2b(
                digest + occurrence.to_bytes(8, "little"), digest_size=16, key=self._key
            ).digest(),
            "little",
        )
        point = (roll & (2**53 - 1)) / 2**53
        threshold = 0.0
        for name in candidates:
            threshold += self._rates.get(name, 0.0)
            if point < threshold:
                history.consecutive += 1
                self.injected[name] += 1
                return Fault(name, roll >> 64)
        history.consecutive = 0
        return None
