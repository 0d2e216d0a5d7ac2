"""A tap piped into transform-unified (`tap | transform-unified`), as a shell would run them,
for the end-to-end tests of what the mapper makes of a tap's real output."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ads_sandbox.tap_runs import TapRunner

BIN = Path(sys.executable).parent


@dataclass
class Piped:
    tap_status: int
    tap_log: str
    mapper: subprocess.CompletedProcess
    rows: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    states: list[dict] = field(default_factory=list)

    def summaries(self) -> dict[tuple[str, str], dict]:
        """`unified_run_summary` rows by (platform, account_id)."""
        return {(r["platform"], r["account_id"]): r for r in self.rows["unified_run_summary"]}


def tap_through_mapper(
    tap: str, config: dict, streams: Iterable[str], workdir: Path, timeout: float = 600
) -> Piped:
    """Run `tap` (its config, the catalog selecting `streams`) into the mapper; the mapper's
    output parsed (numbers as Decimal), both exit statuses and the tap's log."""
    command = TapRunner(str(BIN / tap), workdir).prepare(config, streams, None)
    (workdir / "mapper.json").write_text(
        json.dumps({"entity_cache_path": str(workdir / "entities.json")})
    )
    with (workdir / "tap.log").open("w") as tap_log:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=tap_log)
        mapped = subprocess.run(
            [str(BIN / "transform-unified"), "--config", str(workdir / "mapper.json")],
            stdin=process.stdout,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert process.stdout is not None
        process.stdout.close()
        status = process.wait(timeout=timeout)
    piped = Piped(status, (workdir / "tap.log").read_text(), mapped)
    for line in mapped.stdout.splitlines():
        message = json.loads(line, parse_float=Decimal)
        if message["type"] == "RECORD":
            piped.rows[message["stream"]].append(message["record"])
        elif message["type"] == "STATE":
            piped.states.append(message["value"])
    return piped
