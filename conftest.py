"""Fixtures of the cross-package tests in tests/: a real PostgreSQL, the sandbox, isolated
Meltano runs.

They live in the repository's root conftest rather than tests/conftest.py: scripts/test.sh
runs every package's tests in one pytest run (importlib import mode), where
sandbox/tests/ is a package named `tests` whose conftest is imported as `tests.conftest`,
the very name tests/conftest.py would get.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from ads_e2e.meltano import MeltanoProject
from ads_e2e.postgres import PostgresServer, PostgresUnavailable, running_postgres
from ads_e2e.redis import RedisUnavailable, running_redis
from ads_e2e.sandbox import DEFAULT_SCALE, DEFAULT_SEED, running_sandbox


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server of Debian's binaries, in a temporary directory, for the session.

    Yields host, port, user and dbname (a database created for the session)."""
    try:
        with running_postgres() as server:
            yield server
    except PostgresUnavailable as error:
        pytest.fail(str(error))


@pytest.fixture
def postgres_db(postgres: PostgresServer, request: pytest.FixtureRequest) -> PostgresServer:
    """A fresh database of its own for this test, on the session's server."""
    name = re.sub(r"[^a-z0-9_]", "_", request.node.name.lower())[:50]
    dbname = postgres.create_database(f"t_{name}")
    return PostgresServer(postgres.host, postgres.port, postgres.user, dbname, postgres.socket_dir)


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A Redis server of its own for this test (skipped where Debian's is not installed)."""
    try:
        with running_redis(tmp_path) as url:
            yield url
    except RedisUnavailable as error:
        pytest.skip(str(error))


@pytest.fixture
def sandbox_factory() -> Iterator[Callable[..., dict[str, Any]]]:
    """sandbox_factory(seed=1, scale="3x4x3x3x30", faults=None) -> the sandbox's JSON line;
    every sandbox started stops at the end of the test."""
    from contextlib import ExitStack

    with ExitStack() as stack:

        def start(
            seed: int = DEFAULT_SEED, scale: str = DEFAULT_SCALE, faults: Any = None
        ) -> dict[str, Any]:
            return stack.enter_context(running_sandbox(seed=seed, scale=scale, faults=faults))

        yield start


@pytest.fixture
def sandbox(sandbox_factory: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """The sandbox with the default seed and scale."""
    return sandbox_factory()


@pytest.fixture
def meltano_project(tmp_path: Path) -> MeltanoProject:
    """Meltano in the repository's project, with this test's own system DB, state and
    outputs under tmp_path."""
    return MeltanoProject(tmp_path / "meltano")
