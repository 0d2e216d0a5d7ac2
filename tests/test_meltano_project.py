"""meltano.yml declares every setting of each tap, so none is lost on the way to the tap."""

from __future__ import annotations

import importlib

import pytest
import yaml
from ads_e2e.meltano import ROOT

TAPS = {
    "tap-tiktok-ads": "tap_tiktok_ads.tap:TapTikTokAds",
    "tap-meta-ads": "tap_meta_ads.tap:TapMetaAds",
    "tap-google-ads": "tap_google_ads.tap:TapGoogleAds",
}


def declared(plugin: str) -> tuple[set[str], set[str]]:
    project = yaml.safe_load((ROOT / "meltano.yml").read_text())
    (entry,) = [p for p in project["plugins"]["extractors"] if p["name"] == plugin]
    names = {s["name"] for s in entry["settings"]}
    sensitive = {s["name"] for s in entry["settings"] if s.get("sensitive")}
    return names, sensitive


@pytest.mark.parametrize("plugin", TAPS)
def test_every_setting_of_the_tap_is_declared_and_its_secrets_sensitive(plugin):
    module, name = TAPS[plugin].split(":")
    tap = getattr(importlib.import_module(module), name)
    builtin: dict = {"properties": {}}
    tap.append_builtin_config(builtin)  # the SDK's own settings, declared by capabilities
    properties = {
        name: spec
        for name, spec in tap.config_jsonschema["properties"].items()
        if name not in builtin["properties"]
    }
    names, sensitive = declared(plugin)
    top = {n.split(".")[0] for n in names}
    assert set(properties) - top == set(), f"{plugin}: not in meltano.yml"
    secrets = {n for n, spec in properties.items() if spec.get("secret")}
    assert secrets <= sensitive, f"{plugin}: secrets not sensitive: {secrets - sensitive}"
