"""tap-tiktok-ads as a command, the way `pip install ./tap-tiktok-ads` installs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

TAP = str(Path(sys.executable).parent / "tap-tiktok-ads")


def run_tap(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """The tap with these arguments; stdout and stderr captured, never raised on."""
    return subprocess.run(
        [TAP, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )


def sandbox_config(tiktok_url: str, **extra: Any) -> dict[str, Any]:
    """A config reading the sandbox's TikTok API for the last few days."""
    return {
        "api_url": tiktok_url,
        "access_token": "sandbox-token",
        "app_id": "sandbox-app",
        "secret": "sandbox-secret",
        "date_range": {"type": "last_n_days", "days": 5},
        **extra,
    }
