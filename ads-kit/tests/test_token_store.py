"""The token store: OS keyrings only when real, else a 0600 Fernet file with its key apart."""

from __future__ import annotations

import json
import os
import stat
import threading

import pytest
from ads_kit.login.store import (
    FernetFileTokens,
    KeyringTokens,
    StoreLocation,
    TokenStoreError,
    load_entry,
    open_store,
    real_keyring,
)
from cryptography.fernet import Fernet, InvalidToken
from keyring.backends import SecretService, chainer, fail, null
from keyrings.alt.file import PlaintextKeyring

TOKEN = "tok-3f9c1b7d5e2a4c6b8d0f1e3a5c7b9d1f"
ENTRY = {"platform": "tiktok", "access_token": TOKEN, "secret": "app-secret-77aa"}


def file_location(tmp_path, **extra) -> StoreLocation:
    return StoreLocation(
        name="main",
        backend="file",
        path=tmp_path / "data" / "tokens.fernet",
        key_file=tmp_path / "keys" / "tokens.key",
        **extra,
    )


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_file_store_round_trip_is_0600_and_not_plain_text(tmp_path):
    location = file_location(tmp_path)
    open_store(location).save("main", ENTRY)

    assert load_entry(location) == ENTRY
    assert mode(location.path) == 0o600
    assert mode(location.key_file) == 0o600
    assert mode(location.path.parent) == 0o700
    raw = location.path.read_bytes()
    for secret in (TOKEN, "app-secret-77aa", "access_token", "tiktok"):
        assert secret.encode() not in raw
    with pytest.raises(ValueError):
        json.loads(raw)
    with pytest.raises(InvalidToken):
        Fernet(Fernet.generate_key()).decrypt(raw)
    assert location.key_file.read_bytes() not in raw


def test_entries_of_other_names_are_kept(tmp_path):
    location = file_location(tmp_path)
    store = open_store(location)
    store.save("main", ENTRY)
    store.save("other", {"access_token": "x" * 20})
    store.save("main", {**ENTRY, "access_token": "renewed-token-0001"})
    assert store.load("other") == {"access_token": "x" * 20}
    assert store.load("main")["access_token"] == "renewed-token-0001"


def test_concurrent_writers_lose_no_entry(tmp_path):
    store = open_store(file_location(tmp_path))
    threads = [
        threading.Thread(target=store.save, args=(f"n{i}", {"access_token": f"t{i}" * 8}))
        for i in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [store.load(f"n{i}") for i in range(8)] == [
        {"access_token": f"t{i}" * 8} for i in range(8)
    ]
    assert [p.name for p in store.path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_key_beside_the_tokens_is_refused(tmp_path):
    with pytest.raises(TokenStoreError, match=r"key_file.*folder of the token file"):
        FernetFileTokens(tmp_path / "tokens.fernet", tmp_path / "tokens.key", None)


def test_key_from_an_environment_variable(tmp_path, monkeypatch):
    location = StoreLocation("main", "file", tmp_path / "tokens.fernet", key_env="ADS_TEST_KEY")
    with pytest.raises(TokenStoreError, match=r"ADS_TEST_KEY .*not set"):
        open_store(location).save("main", ENTRY)
    monkeypatch.setenv("ADS_TEST_KEY", Fernet.generate_key().decode())
    open_store(location).save("main", ENTRY)
    assert load_entry(location) == ENTRY
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tokens.fernet.lock", "tokens.fernet"]
    monkeypatch.setenv("ADS_TEST_KEY", Fernet.generate_key().decode())
    with pytest.raises(TokenStoreError, match=r"cannot be decrypted"):
        load_entry(location)
    monkeypatch.setenv("ADS_TEST_KEY", "not-a-key")
    with pytest.raises(TokenStoreError, match=r"not a Fernet key"):
        load_entry(location)


def test_files_others_can_read_are_refused(tmp_path):
    location = file_location(tmp_path)
    open_store(location).save("main", ENTRY)
    os.chmod(location.path, 0o644)
    with pytest.raises(TokenStoreError, match=r"read by other users \(mode 644\).*chmod 600"):
        load_entry(location)
    os.chmod(location.path, 0o600)
    os.chmod(location.key_file, 0o640)
    with pytest.raises(TokenStoreError, match=r"key file .*mode 640"):
        load_entry(location)


def test_missing_entry_and_missing_key_say_to_sign_in(tmp_path):
    location = file_location(tmp_path)
    with pytest.raises(TokenStoreError, match=r"No tokens named 'main'.*ads-login"):
        load_entry(location)
    open_store(location).save("main", ENTRY)
    location.key_file.unlink()
    with pytest.raises(TokenStoreError, match=r"key file .* does not exist"):
        load_entry(location)


def test_fallback_keyrings_never_count_as_real():
    fallbacks = [PlaintextKeyring(), fail.Keyring(), null.Keyring()]
    assert real_keyring(fallbacks) is None
    assert real_keyring([chainer.ChainerBackend()]) is None


class MemorySecretService(SecretService.Keyring):
    """A Secret Service keyring whose storage is a dict (no D-Bus daemon in the tests)."""

    priority = 5

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password


def test_a_real_keyring_is_chosen_over_fallbacks(monkeypatch):
    real = MemorySecretService()
    assert real_keyring([PlaintextKeyring(), real, fail.Keyring()]) is real

    monkeypatch.setattr("keyring.backend.get_all_keyring", lambda: [PlaintextKeyring(), real])
    store = open_store(StoreLocation("main"))
    assert isinstance(store, KeyringTokens)
    store.save("main", ENTRY)
    assert json.loads(real.items[("ads-taps", "main")]) == ENTRY
    assert load_entry(StoreLocation("main")) == ENTRY


def test_without_a_real_keyring_auto_uses_the_file_and_keyring_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("keyring.backend.get_all_keyring", lambda: [PlaintextKeyring()])
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    store = open_store(StoreLocation("main"))
    assert isinstance(store, FernetFileTokens)
    assert store.path == tmp_path / "data" / "ads-taps" / "tokens.fernet"
    assert store.key_file == tmp_path / "config" / "ads-taps" / "tokens.key"
    with pytest.raises(TokenStoreError, match=r"no OS keyring.*plain-text fallbacks are never"):
        open_store(StoreLocation("main", backend="keyring"))
    with pytest.raises(TokenStoreError, match=r"token_store.backend' must be one of"):
        open_store(StoreLocation("main", backend="plaintext"))
