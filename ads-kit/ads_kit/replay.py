"""`ads-replay`: read again, once the cause is fixed, what the dead-letter file says failed.

Each dead letter names its tap, stream and account. A failure that is a dead letter ended
that account's stream (or the run): what the stream had not read yet is missing too, not
only the failed call's dates. So the replay runs, per tap, `meltano run TAP MAPPER LOADER`
over just those streams of just those accounts, over the configured dates, with a state ID
of its own (the nightly pipeline's bookmarks are untouched); what they return goes through
the same mapper into the same target. A replay that succeeds moves the file aside
(`<file>.replayed-<time>`); one that fails leaves it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Replay:
    """What one tap's replay reads again."""

    tap: str
    accounts_setting: str
    streams: set[str] = field(default_factory=set)
    accounts: set[str] = field(default_factory=set)

    def env(self) -> dict[str, str]:
        """The Meltano settings narrowing the tap's run to the failed streams and accounts."""
        prefix = self.tap.upper().replace("-", "_")
        env = {f"{prefix}__SELECT": json.dumps(sorted(f"{s}.*" for s in self.streams))}
        if self.accounts and self.accounts_setting:
            env[f"{prefix}_{self.accounts_setting.upper()}"] = json.dumps(sorted(self.accounts))
        return env


class ReplayError(Exception):
    """The dead-letter file cannot be replayed; the message names it and the fix."""


def read_plan(path: Path) -> list[Replay]:
    """One replay per tap named in the dead-letter file."""
    if not path.is_file():
        raise ReplayError(f"No dead-letter file at {path}: nothing failed, or check the path.")
    replays: dict[str, Replay] = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            tap = entry["tap"]
        except (ValueError, KeyError, TypeError):
            raise ReplayError(
                f"{path}, line {number}: not a dead letter of this version (no tap named); "
                "re-run the pipeline instead."
            ) from None
        replay = replays.setdefault(tap, Replay(tap, entry.get("accounts_setting") or ""))
        replay.streams.add(entry["stream"])
        account = entry.get("account_id")
        if account and account != "?":
            replay.accounts.add(str(account))
    if not replays:
        raise ReplayError(f"{path} holds no dead letters: nothing to replay.")
    return list(replays.values())


def run(
    replays: Iterable[Replay],
    blocks_after: Sequence[str],
    project: Path,
    environment: str | None,
    dry_run: bool,
) -> int:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    for replay in replays:
        command = ["meltano"]
        if environment:
            command.append(f"--environment={environment}")
        command += ["run", "--state-id-suffix", f"replay-{stamp}", replay.tap, *blocks_after]
        env = replay.env()
        shown = " ".join(f"{k}='{v}'" for k, v in sorted(env.items()))
        print(f"ads-replay: {shown} {' '.join(command)}", file=sys.stderr)
        if dry_run:
            continue
        done = subprocess.run(command, cwd=project, env={**os.environ, **env}, check=False)
        if done.returncode != 0:
            print(
                f"ads-replay: the replay of {replay.tap} failed (exit {done.returncode}); the "
                "dead letters are kept: fix the cause its log names and run ads-replay again.",
                file=sys.stderr,
            )
            return done.returncode
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ads-replay", description=__doc__.split("\n\n")[0])
    parser.add_argument("dead_letters", type=Path, help="the taps' dead_letter_path file")
    parser.add_argument("--project", type=Path, default=Path.cwd(), help="the Meltano project")
    parser.add_argument("--environment", help="Meltano environment (default: the project's)")
    parser.add_argument("--mapper", default="transform-unified", help="'' for none")
    parser.add_argument("--loader", default="target-postgres")
    parser.add_argument("--dry-run", action="store_true", help="print the runs, run nothing")
    args = parser.parse_args(argv)
    try:
        replays = read_plan(args.dead_letters)
    except ReplayError as error:
        print(f"ads-replay: {error}", file=sys.stderr)
        return 2
    blocks = [block for block in (args.mapper, args.loader) if block]
    code = run(replays, blocks, args.project, args.environment, args.dry_run)
    if code == 0 and not args.dry_run:
        moved = args.dead_letters.with_name(
            f"{args.dead_letters.name}.replayed-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}"
        )
        args.dead_letters.rename(moved)
        print(f"ads-replay: replayed; the dead letters are now in {moved}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
