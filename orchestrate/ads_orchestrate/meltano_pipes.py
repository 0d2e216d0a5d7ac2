"""`ads-meltano-pipes -- meltano run ...`: a Meltano run reporting to Dagster through Pipes.

Started by the asset through `PipesSubprocessClient`: it runs the command, passes the log
lines on, counts each stream's records from the tap's `record_count` metrics and reports
them as the asset's materialization metadata. Without Dagster around it only runs the
command.
"""

from __future__ import annotations

import collections
import json
import re
import subprocess
import sys
from collections.abc import Sequence

from dagster_pipes import open_dagster_pipes

#: A tap's record counter, as the SDK logs it (also inside Meltano's rendering of it).
_RECORD_COUNT = re.compile(
    r'"metric"\s*:\s*"record_count"\s*,\s*"value"\s*:\s*(\d+)\s*,\s*"tags"\s*:\s*\{\s*"stream"\s*:\s*"([^"]+)"'
)
_LEVEL = re.compile(r"\b(warning|error|critical)\b", re.IGNORECASE)


def count_records(lines: Sequence[str]) -> dict[str, int]:
    """Records per stream from the tap's metric lines."""
    counts: collections.Counter[str] = collections.Counter()
    for line in lines:
        for match in _RECORD_COUNT.finditer(line.replace('\\"', '"')):
            counts[match.group(2)] += int(match.group(1))
    return dict(counts)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        print("usage: ads-meltano-pipes -- meltano run TAP [MAPPER] LOADER", file=sys.stderr)
        return 2
    with open_dagster_pipes() as pipes:
        process = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
        )
        lines: list[str] = []
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            sys.stderr.write(line)
            level = _LEVEL.search(line[:120])
            if level and level.group(1).lower() != "warning":
                pipes.log.error(line.rstrip())
            elif level:
                pipes.log.warning(line.rstrip())
        code = process.wait()
        counts = count_records(lines)
        if code != 0:
            tail = "".join(lines[-20:])
            pipes.log.error(f"{' '.join(args)} exited {code}; its last lines:\n{tail}")
            return code
        pipes.report_asset_materialization(
            metadata={
                "records": {"raw_value": sum(counts.values()), "type": "int"},
                "records_by_stream": {
                    "raw_value": json.dumps(counts, sort_keys=True),
                    "type": "json",
                },
                "command": {"raw_value": " ".join(args), "type": "text"},
            }
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
