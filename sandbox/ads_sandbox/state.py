"""State shared by the emulators of one `serve` process: the world, faults and counters."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ads_sandbox.faults import FaultInjector
from ads_sandbox.world import World


class SandboxState:
    def __init__(self, world: World, faults: FaultInjector) -> None:
        self.world = world
        self.faults = faults
        self.requests: Counter[str] = Counter()
        #: Requests refused for going over a real limit (not injected faults), by limit.
        self.over_limit: Counter[str] = Counter()
        self.rows_served = 0

    def stats(self) -> dict[str, Any]:
        return {
            "revision": self.world.revision,
            "requests": dict(self.requests),
            "rows_served": self.rows_served,
            "faults_injected": dict(self.faults.injected),
            "over_limit": dict(self.over_limit),
        }

    def reset_stats(self) -> None:
        self.requests.clear()
        self.over_limit.clear()
        self.rows_served = 0
        self.faults.injected.clear()
