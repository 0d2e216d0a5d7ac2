"""The `token_store` setting: the taps read their credentials from what `ads-login` saved,
so no token needs to be in meltano.yml, .env or a config file."""

from __future__ import annotations

import datetime as dt
import time
import typing as t
from collections.abc import Iterable, Mapping

from singer_sdk import typing as th

from ads_kit.login.store import BACKENDS, StoreLocation, TokenStoreError, load_entry

#: A token that cannot be refreshed is named this many days before it expires.
WARN_DAYS = 7


def token_store_property() -> th.Property:
    return th.Property(
        "token_store",
        th.ObjectType(
            th.Property("name", th.StringType, required=True),
            th.Property("backend", th.StringType(allowed_values=list(BACKENDS))),
            th.Property("path", th.StringType),
            th.Property("key_file", th.StringType),
            th.Property("key_env", th.StringType),
            additional_properties=False,
        ),
        description="Tokens saved by `ads-login` instead of credentials in the config: name "
        "(the entry), backend (auto: the OS keyring when a real one is present, else the "
        "encrypted file; keyring; file), path of the encrypted file, and its key: key_file "
        "(kept in another folder) or key_env (an environment variable holding it).",
    )


def missing_credential_errors(
    config: Mapping[str, t.Any], required: Iterable[str], platform: str
) -> list[str]:
    """Credentials neither set nor supplied by `token_store`, one line each (a credential
    set but empty is the settings check's to name: one line per problem)."""
    return [
        f"Setting '{name}' is required: sign in with `ads-login {platform}` (which sets "
        "'token_store'), or set it."
        for name in required
        if config.get(name) is None
    ]


def token_store_errors(config: Mapping[str, t.Any], credentials: Iterable[str]) -> list[str]:
    """Credentials set beside `token_store` contradict it: one line naming them."""
    if not config.get("token_store"):
        return []
    both = [name for name in credentials if config.get(name)]
    if not both:
        return []
    names = ", ".join(f"'{name}'" for name in both)
    return [
        f"Settings 'token_store' and {names} contradict each other: the token store holds the "
        "credentials; unset the others."
    ]


def expiry_problem(
    entry: Mapping[str, t.Any], name: str, now: float | None = None
) -> tuple[bool, str] | None:
    """(is it an error, message) when a token that cannot be refreshed has expired or expires
    within WARN_DAYS; None otherwise (no expiry, or a refresh token renews it)."""
    expires_at = entry.get("expires_at")
    if not expires_at or entry.get("refresh_token"):
        return None
    now = time.time() if now is None else now
    when = dt.datetime.fromtimestamp(float(expires_at), dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    platform = entry.get("platform", "PLATFORM")
    again = f"sign in again with `ads-login {platform} --name {name}`"
    if float(expires_at) <= now:
        return True, f"The token stored as {name!r} expired on {when}: {again}."
    if float(expires_at) - now <= WARN_DAYS * 86400:
        return False, f"The token stored as {name!r} expires on {when}: {again} before then."
    return None


def fill_from_token_store(
    config: dict[str, t.Any], credentials: Iterable[str], warn: t.Callable[[str], None]
) -> list[str]:
    """Put the stored values of `credentials` into `config`; returns the errors (one line).
    A token near its expiry is named in a warning, at the start of every run."""
    setting = config.get("token_store")
    if not isinstance(setting, Mapping) or not setting.get("name"):
        return []
    location = StoreLocation.from_setting(setting)
    try:
        entry = load_entry(location)
    except TokenStoreError as error:
        return [str(error)]
    problem = expiry_problem(entry, location.name)
    if problem is not None:
        if problem[0]:
            return [problem[1]]
        warn(problem[1])
    for name in credentials:
        if entry.get(name) is not None:
            config[name] = entry[name]
    return []
