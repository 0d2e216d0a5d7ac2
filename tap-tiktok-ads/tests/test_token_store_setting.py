"""`token_store`: the tap reads its credentials from what `ads-login` saved."""

from __future__ import annotations

import json
import subprocess

from ads_kit.login.store import StoreLocation, open_store
from ads_sandbox.tap_runs import TapRun
from tiktok_tap_runner import TAP


def store_with(tmp_path, entry: dict) -> dict:
    location = StoreLocation(
        "tiktok-main", "file", tmp_path / "data" / "tokens.fernet", tmp_path / "keys" / "t.key"
    )
    open_store(location).save(location.name, entry)
    return location.setting()


def run(tmp_path, config: dict) -> TapRun:
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    done = subprocess.run(
        [TAP, "--config", str(path)], capture_output=True, text=True, timeout=600, check=False
    )
    return TapRun(done.stdout, done.stderr, done.returncode)


def without_credentials(make_config, **overrides) -> dict:
    config = make_config(**overrides)
    for name in ("access_token", "app_id", "secret"):
        config.pop(name)
    return config


def test_the_stored_credentials_are_used(tmp_path, make_config):
    entry = {"access_token": "sandbox-token", "app_id": "sandbox-app", "secret": "sandbox-secret"}
    config = without_credentials(make_config, token_store=store_with(tmp_path, entry))
    done = run(tmp_path, config)
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(done.records["advertisers"]) == 3
    assert "sandbox-token" not in done.stdout + done.stderr


def config_error(done: TapRun) -> str:
    """The one error line of a run refused at start (before "Config validation failed")."""
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if "| ERROR" in line]
    assert len(errors) == 2 and errors[1].endswith("Config validation failed"), done.stderr
    return errors[0]


def test_a_missing_entry_or_a_contradiction_ends_in_one_line(tmp_path, make_config):
    setting = store_with(tmp_path, {"access_token": "sandbox-token"})
    missing = run(tmp_path, without_credentials(make_config, token_store={**setting, "name": "x"}))
    assert "No tokens named 'x'" in config_error(missing)
    assert "sign in with `ads-login`" in config_error(missing)

    both = run(tmp_path, make_config(token_store=setting))
    assert "'token_store' and 'access_token', 'app_id', 'secret' contradict" in config_error(both)

    neither = run(tmp_path, without_credentials(make_config, advertiser_ids=["1234567"]))
    assert "'access_token' is required: sign in with `ads-login tiktok`" in config_error(neither)


def test_a_token_near_or_past_its_expiry_is_named_at_start(tmp_path, make_config):
    import time

    entry = {
        "platform": "tiktok",
        "access_token": "sandbox-token",
        "app_id": "sandbox-app",
        "secret": "sandbox-secret",
        "expires_at": time.time() + 2 * 86400,
    }
    config = without_credentials(make_config, token_store=store_with(tmp_path, entry))
    done = run(tmp_path, config)
    assert done.returncode == 0, done.stderr[-3000:]
    warning = next(line for line in done.stderr.splitlines() if "expires on" in line)
    assert "WARNING" in warning and "ads-login tiktok --name tiktok-main" in warning

    expired = {**entry, "expires_at": time.time() - 60}
    config = without_credentials(make_config, token_store=store_with(tmp_path, expired))
    assert "expired on" in config_error(run(tmp_path, config))
