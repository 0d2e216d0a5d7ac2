"""Where sign-in keeps tokens: the OS keyring when a real one is present, otherwise a file
encrypted with Fernet (mode 0600) whose key is kept apart from it.

keyring on a headless Linux box falls back to backends that keep secrets in plain text or
merely base64-encoded (keyrings.alt's PlaintextKeyring, for one); `real_keyring` picks only
backends of the operating system's own secret services, and never `keyring.get_keyring()`.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import stat
import typing as t
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import keyring.backend
from cryptography.fernet import Fernet, InvalidToken

#: keyring backends that hand secrets to the operating system's secret service.
REAL_KEYRINGS = frozenset(
    {
        "keyring.backends.SecretService.Keyring",
        "keyring.backends.libsecret.Keyring",
        "keyring.backends.kwallet.DBusKeyring",
        "keyring.backends.kwallet.DBusKeyringKWallet4",
        "keyring.backends.macOS.Keyring",
        "keyring.backends.Windows.WinVaultKeyring",
    }
)
KEYRING_SERVICE = "ads-taps"
BACKENDS = ("auto", "keyring", "file")
#: Fields of an entry that are secrets (the rest, such as `platform` or `scope`, are not).
SECRET_FIELDS = ("access_token", "refresh_token", "client_secret", "app_secret", "secret")
#: Computes an entry's new value from its current one (None when there is none yet).
Change = t.Callable[[dict[str, t.Any] | None], Mapping[str, t.Any]]


def secret_values(entry: Mapping[str, t.Any]) -> list[t.Any]:
    """What to redact wherever it would be printed."""
    return [entry.get(name) for name in SECRET_FIELDS]


class TokenStoreError(Exception):
    """The store cannot be used; the message names the setting, file or variable to fix."""


def _home_dir(variable: str, fallback: str) -> Path:
    return Path(os.environ.get(variable) or Path.home() / fallback) / "ads-taps"


def default_store_path() -> Path:
    return _home_dir("XDG_DATA_HOME", ".local/share") / "tokens.fernet"


def default_key_file() -> Path:
    """In the config directory, not beside the tokens: one copied folder never holds both."""
    return _home_dir("XDG_CONFIG_HOME", ".config") / "tokens.key"


def _class_name(kind: type) -> str:
    return f"{kind.__module__}.{kind.__name__}"


def _is_real(backend: object) -> bool:
    return any(_class_name(kind) in REAL_KEYRINGS for kind in type(backend).__mro__)


def real_keyring(
    candidates: t.Iterable[keyring.backend.KeyringBackend] | None = None,
) -> keyring.backend.KeyringBackend | None:
    """The viable OS keyring of highest priority, or None (fallbacks never count)."""
    found = [
        backend
        for backend in (keyring.backend.get_all_keyring() if candidates is None else candidates)
        if _is_real(backend)
    ]
    return max(found, key=lambda backend: backend.priority, default=None)


@dataclass(frozen=True)
class StoreLocation:
    """What the `token_store` setting names: the entry and where it is kept."""

    name: str
    backend: str = "auto"
    path: Path | None = None
    key_file: Path | None = None
    key_env: str | None = None

    @classmethod
    def from_setting(cls, value: Mapping[str, t.Any]) -> StoreLocation:
        path, key_file = value.get("path"), value.get("key_file")
        return cls(
            name=str(value["name"]),
            backend=str(value.get("backend") or "auto"),
            path=Path(path).expanduser() if path else None,
            key_file=Path(key_file).expanduser() if key_file else None,
            key_env=value.get("key_env") or None,
        )

    def setting(self) -> dict[str, str]:
        """The `token_store` value naming this location (what `ads-login` writes)."""
        value = {"name": self.name, "backend": self.backend}
        for key, item in (
            ("path", self.path),
            ("key_file", self.key_file),
            ("key_env", self.key_env),
        ):
            if item:
                value[key] = str(item)
        return value


class KeyringTokens:
    """Entries as JSON in the OS keyring, one secret per entry name."""

    def __init__(self, backend: keyring.backend.KeyringBackend) -> None:
        self.backend = backend
        self.description = f"the OS keyring ({_class_name(type(backend))})"

    def load(self, name: str) -> dict[str, t.Any] | None:
        text = self.backend.get_password(KEYRING_SERVICE, name)
        return json.loads(text) if text else None

    def save(self, name: str, entry: Mapping[str, t.Any]) -> None:
        self.backend.set_password(KEYRING_SERVICE, name, json.dumps(dict(entry)))

    def update(self, name: str, change: Change) -> dict[str, t.Any]:
        entry = change(self.load(name))
        self.save(name, entry)
        return entry


def _check_private(path: Path, what: str) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise TokenStoreError(
            f"The {what} {path} can be read by other users (mode {mode:o}): run `chmod 600 {path}`."
        )


def _write_private(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically; the file is 0600 from its first byte."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


class FernetFileTokens:
    """Every entry in one Fernet-encrypted JSON file; the key from an environment variable
    or a key file of its own (created 0600 on first save)."""

    def __init__(self, path: Path, key_file: Path | None, key_env: str | None) -> None:
        self.path = path
        self.key_file = None if key_env else (key_file or default_key_file())
        self.key_env = key_env
        self.description = f"the encrypted file {path}"
        if self.key_file is not None and self.key_file.resolve().parent == path.resolve().parent:
            raise TokenStoreError(
                f"Setting 'token_store.key_file' ({self.key_file}) is in the folder of the token "
                "file: keep the key apart (another folder, or `token_store.key_env`)."
            )

    def _fernet(self, create: bool) -> Fernet:
        if self.key_env:
            key = os.environ.get(self.key_env)
            if not key:
                raise TokenStoreError(
                    f"The environment variable {self.key_env} (setting 'token_store.key_env') "
                    "holding the token store's key is not set."
                )
        else:
            assert self.key_file is not None
            if not self.key_file.exists():
                if not create:
                    raise TokenStoreError(
                        f"The token store's key file {self.key_file} does not exist: sign in "
                        "again with ads-login, or fix 'token_store.key_file'."
                    )
                _write_private(self.key_file, Fernet.generate_key())
            _check_private(self.key_file, "token store key file")
            key = self.key_file.read_text().strip()
        try:
            return Fernet(key)
        except ValueError:
            raise TokenStoreError(
                f"The token store's key ({self.key_env or self.key_file}) is not a Fernet key "
                "(32 url-safe base64-encoded bytes)."
            ) from None

    def _entries(self, fernet: Fernet) -> dict[str, t.Any]:
        if not self.path.exists():
            return {}
        _check_private(self.path, "token store file")
        try:
            return json.loads(fernet.decrypt(self.path.read_bytes()))["entries"]
        except InvalidToken:
            raise TokenStoreError(
                f"The token store file {self.path} cannot be decrypted with its key "
                f"({self.key_env or self.key_file}): it is damaged or the key is another one."
            ) from None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        lock = self.path.with_name(f".{self.path.name}.lock")
        lock.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(os.open(lock, os.O_WRONLY | os.O_CREAT, 0o600), "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def load(self, name: str) -> dict[str, t.Any] | None:
        if not self.path.exists():
            return None
        with self._locked():
            return self._entries(self._fernet(create=False)).get(name)

    def save(self, name: str, entry: Mapping[str, t.Any]) -> None:
        self.update(name, lambda _: dict(entry))

    def update(self, name: str, change: Change) -> dict[str, t.Any]:
        """Replace the entry by `change(current entry)`, holding the lock throughout, so two
        processes refreshing at once do not undo each other."""
        with self._locked():
            fernet = self._fernet(create=True)
            entries = self._entries(fernet)
            entries[name] = entry = dict(change(entries.get(name)))
            payload = json.dumps({"version": 1, "entries": entries}).encode()
            _write_private(self.path, fernet.encrypt(payload))
        return entry


TokenBackend = KeyringTokens | FernetFileTokens


def open_store(location: StoreLocation) -> TokenBackend:
    """The backend `location` names; `auto` is the OS keyring when a real one is present."""
    if location.backend not in BACKENDS:
        raise TokenStoreError(
            f"Setting 'token_store.backend' must be one of {', '.join(BACKENDS)} "
            f"(got {location.backend!r})."
        )
    wants_file = location.backend == "file" or location.path or location.key_file
    if location.backend == "keyring" or (location.backend == "auto" and not wants_file):
        backend = real_keyring()
        if backend is not None:
            return KeyringTokens(backend)
        if location.backend == "keyring":
            raise TokenStoreError(
                "Setting 'token_store.backend' is keyring, but no OS keyring (Secret Service, "
                "KWallet, macOS Keychain, Windows Credential Locker) is available here; "
                "plain-text fallbacks are never used. Use backend file."
            )
    return FernetFileTokens(
        location.path or default_store_path(), location.key_file, location.key_env
    )


def load_entry(location: StoreLocation) -> dict[str, t.Any]:
    """The saved entry, or a TokenStoreError saying how to sign in."""
    store = open_store(location)
    entry = store.load(location.name)
    if entry is None:
        raise TokenStoreError(
            f"No tokens named {location.name!r} in {store.description} (setting "
            f"'token_store'): sign in with `ads-login`."
        )
    return entry
