"""The asset-library streams (`images`, `videos`, `pixels`) load every asset the sandbox's
world holds, once, with faults as without."""

from __future__ import annotations

import datetime as dt

import pytest
import requests
from ads_sandbox.world import Scale, World
from tiktok_tap_runner import END_DATE, SCALE, SEED

STREAMS = ["images", "videos", "pixels"]
KEYS = {"images": "image_id", "videos": "video_id", "pixels": "pixel_id"}


def world_assets() -> dict[str, set[tuple[str, str]]]:
    """What a correct extraction loads: every ad's creative, by advertiser, and the pixels."""
    world = World("tiktok", SEED, Scale.parse(SCALE), dt.date.fromisoformat(END_DATE))
    assets: dict[str, set[tuple[str, str]]] = {"images": set(), "videos": set()}
    pixel_count = 0
    for account in world.accounts:
        for ad in world.entities(account).ads:
            stream = "videos" if ad.format == "video" else "images"
            assets[stream].add((account.id, ad.creative_id))
        pixel_count += 1 + account.index % 2
    return {**assets, "pixel_count": pixel_count}  # type: ignore[dict-item]


def loaded(records: dict[str, list[dict]]) -> dict[str, list[tuple[str, str]]]:
    return {
        stream: [(r["advertiser_id"], r[KEYS[stream]]) for r in rows]
        for stream, rows in records.items()
    }


@pytest.fixture
def faults(tiktok_url):
    def switch(**rates: float) -> None:
        requests.post(f"{tiktok_url}/_sandbox/faults", json=rates, timeout=10).raise_for_status()

    yield switch
    switch()


def test_every_asset_loads_once_with_faults_as_without(run_tap, make_config, faults):
    expected = world_assets()
    clean = run_tap(make_config(), STREAMS)
    assert clean.returncode == 0, clean.stderr[-3000:]
    rows = loaded(clean.records)
    for stream in ("images", "videos"):
        assert sorted(rows[stream]) == sorted(expected[stream])  # each once
    assert len(rows["pixels"]) == len(set(rows["pixels"])) == expected["pixel_count"]
    video = clean.records["videos"][0]
    assert video["duration"] > 0 and video["create_time"].endswith("+00:00")
    assert {e["event_type"] for e in clean.records["pixels"][0]["events"]} >= {"PAGE_VIEW"}

    faults(rate_limit=0.15, server_error=0.15, disconnect=0.1, timeout=0.02)
    faulty = run_tap(make_config(), STREAMS)
    assert faulty.returncode == 0, faulty.stderr[-3000:]
    assert sorted(map(sorted, (r.items() for r in faulty.records["images"]))) == sorted(
        map(sorted, (r.items() for r in clean.records["images"]))
    )
    for stream in STREAMS:
        assert sorted(loaded(faulty.records)[stream]) == sorted(rows[stream])
    assert "Retrying" in faulty.stderr


def test_a_second_run_emits_only_modified_assets(run_tap, make_config):
    first = run_tap(make_config(), ["images", "videos"])
    assert first.returncode == 0
    second = run_tap(make_config(), ["images", "videos"], state=first.state)
    assert second.returncode == 0
    # Nothing was modified since: only the assets at the bookmark itself come again.
    for stream in ("images", "videos"):
        assert len(second.records.get(stream, [])) < len(first.records[stream])
