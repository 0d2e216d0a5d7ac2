"""Drives the mapper through the SDK's reader with Singer message lines."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from singer_messages import Run
from singer_sdk.singerlib.json import serialize_json
from transform_unified.mapper import TransformUnified


@pytest.fixture
def run_mapper(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """run_mapper(messages, **config) -> Run; the entity cache lives in tmp_path."""

    def run(messages: Iterable[dict], **config: Any) -> Run:
        config.setdefault("entity_cache_path", str(tmp_path / "entities.json"))
        mapper = TransformUnified(config=config)
        capsys.readouterr()
        text = "\n".join(serialize_json(message) for message in messages) + "\n"
        mapper.listen(io.StringIO(text))
        return Run(capsys.readouterr().out)

    return run
