"""The `token_store` setting: the taps read their credentials from what `ads-login` saved,
so no token needs to be in meltano.yml, .env or a config file."""

from __future__ import annotations

import typing as t
from collections.abc import Iterable, Mapping

from singer_sdk import typing as th

from ads_kit.login.store import BACKENDS, StoreLocation, TokenStoreError, load_entry


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


def fill_from_token_store(config: dict[str, t.Any], credentials: Iterable[str]) -> list[str]:
    """Put the stored values of `credentials` into `config`; returns the errors (one line)."""
    setting = config.get("token_store")
    if not isinstance(setting, Mapping) or not setting.get("name"):
        return []
    try:
        entry = load_entry(StoreLocation.from_setting(setting))
    except TokenStoreError as error:
        return [str(error)]
    for name in credentials:
        if entry.get(name) is not None:
            config[name] = entry[name]
    return []
