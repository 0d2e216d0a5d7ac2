"""The tap base every platform's tap extends: settings validation, redaction, shared pacer,
dead letters and the per-account failure report."""

from __future__ import annotations

import functools
import threading
import typing as t
from dataclasses import dataclass
from urllib.parse import urlsplit

import click
from singer_sdk import Tap
from singer_sdk.exceptions import ConfigValidationError

from ads_kit import run_inputs
from ads_kit.cli_errors import one_line_excepthook
from ads_kit.dead_letter import DeadLetterFile
from ads_kit.errors import AccountAccessError, StopError
from ads_kit.pacing import RateLimits, RequestPacer
from ads_kit.redaction import install_log_redaction
from ads_kit.settings import (
    credential_errors,
    date_errors,
    schema_errors,
    writable_file_errors,
)


@dataclass(frozen=True)
class Account:
    """What every stream of an account needs to know about it."""

    id: str
    currency: str
    timezone: str
    created: str | None = None


class AdsTap(Tap):
    """Base of tap-meta-ads, tap-google-ads and tap-tiktok-ads."""

    #: The platform's published limits, used where `rate_limiting` leaves a value out.
    rate_limit_defaults: t.ClassVar[RateLimits]
    #: The newest API version this tap is written for.
    default_api_version: t.ClassVar[str]

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        self.account_failures: list[tuple[str, AccountAccessError]] = []
        #: Accounts read by the accounts stream, by id, for the streams partitioned by them.
        self.accounts: dict[str, Account] = {}
        self._version_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    @classmethod
    def get_singer_command(cls) -> click.Command:
        command = super().get_singer_command()
        command.excepthook = one_line_excepthook(cls.logger, cls.name)  # type: ignore[attr-defined]
        return command

    @classmethod
    def invoke(
        cls, *, state: t.IO[str] | None = None, catalog: t.IO[str] | None = None, **kwargs: t.Any
    ) -> None:  # type: ignore[override]
        super().invoke(
            state=run_inputs.state_file(state, cls.logger.warning),
            catalog=run_inputs.catalog_file(catalog),
            **kwargs,
        )

    @classmethod
    def secret_setting_names(cls) -> list[str]:
        """Top-level settings marked secret in the config schema."""
        properties = cls.config_jsonschema.get("properties", {})
        return [name for name, spec in properties.items() if spec.get("secret")]

    def _validate_config(self, *, raise_errors: bool = True) -> list[str]:
        install_log_redaction(self._secret_values())
        schema = dict(self.config_jsonschema)
        schema["properties"] = dict(schema.get("properties", {}))
        self.append_builtin_config(schema)
        errors = schema_errors(self._config, schema, self.secret_setting_names())
        if not errors:
            errors = [
                *date_errors(self._config),
                *credential_errors(self._config, self.secret_setting_names()),
                *writable_file_errors(self._config, ["dead_letter_path"]),
                *self.config_errors(self._config),
            ]
        if errors and raise_errors:
            raise ConfigValidationError(errors[0], errors=errors)
        for error in errors:
            self.logger.warning(error)
        return errors

    def _secret_values(self) -> list[object]:
        values = [self._config.get(name) for name in self.secret_setting_names()]
        limits = self._config.get("rate_limiting")
        redis_url = limits.get("redis_url") if isinstance(limits, dict) else None
        if isinstance(redis_url, str):
            values += [redis_url, urlsplit(redis_url).password]
        return values

    def config_errors(self, config: t.Mapping[str, t.Any]) -> list[str]:
        """Platform checks beyond the schema (formats, contradictions), one line each."""
        return []

    @property
    def api_version(self) -> str:
        """The version requests go to now: `api_version`, then each fallback in turn."""
        return self._versions[-1]

    @functools.cached_property
    def _versions(self) -> list[str]:
        """The versions moved through so far, the current one last."""
        return [self.config.get("api_version") or self.default_api_version]

    def fallback_url(self, url: str, refusal: Exception) -> str | None:
        """`url` sent to the version to use after `refusal`, or None when none is left.

        A refusal of the current version moves to the next `api_version_fallback`, with a
        warning; a request still on an older version (read ahead before the move) follows.
        """
        with self._version_lock:
            used = next((v for v in reversed(self._versions) if f"/{v}/" in url), None)
            if used is None:
                return None
            if used == self.api_version:
                tried = set(self._versions)
                fallbacks = self.config.get("api_version_fallback") or []
                remaining = [v for v in fallbacks if v not in tried]
                if not remaining:
                    return None
                self._versions.append(remaining[0])
                self.logger.warning(
                    "API version %s was refused (%s); moving to %s from api_version_fallback. "
                    "Update `api_version` to stop this warning.",
                    used,
                    refusal,
                    self.api_version,
                )
            return url.replace(f"/{used}/", f"/{self.api_version}/", 1)

    @functools.cached_property
    def rate_limits(self) -> RateLimits:
        return RateLimits.from_config(self.config.get("rate_limiting"), self.rate_limit_defaults)

    @functools.cached_property
    def pacer(self) -> RequestPacer:
        return RequestPacer.from_limits(self.rate_limits, key=f"{self.name}:{self.pacing_key()}")

    def pacing_key(self) -> str:
        """What the platform's quota is counted against (an app id, a developer token)."""
        return "default"

    @functools.cached_property
    def dead_letters(self) -> DeadLetterFile | None:
        path = self.config.get("dead_letter_path")
        return DeadLetterFile(path) if path else None

    def record_account_failure(self, stream: str, error: AccountAccessError) -> None:
        """Log an account that cannot be read; the run goes on and fails at the end."""
        self.logger.error("Account %s, stream %s: %s", error.account_id, stream, error)
        self.account_failures.append((stream, error))

    def sync_all(self) -> None:
        keys = {name: stream.state_partitioning_keys for name, stream in self.streams.items()}
        for warning in [
            *run_inputs.state_warnings(self.state.get("bookmarks") or {}, keys),
            *(
                f"The catalog names stream {name}, which this tap does not have: ignored."
                for name in run_inputs.unknown_catalog_streams(self.input_catalog, keys)
            ),
        ]:
            self.logger.warning(warning)
        super().sync_all()
        if self.account_failures:
            accounts = sorted({error.account_id for _, error in self.account_failures})
            details = "; ".join(
                f"{error.account_id} ({stream}): {error}" for stream, error in self.account_failures
            )
            msg = (
                f"{len(accounts)} account(s) could not be read and were skipped while the "
                f"others finished: {details}"
            )
            raise StopError(msg)
