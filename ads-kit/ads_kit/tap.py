"""The tap base every platform's tap extends: settings validated and defaulted once,
redaction, the call guard with its pacer, version policy and dead letters, the account
registry and the per-account failure report."""

from __future__ import annotations

import functools
import typing as t
from urllib.parse import urlsplit

import click
import singer_sdk.singerlib as singer
from singer_sdk import Tap
from singer_sdk.contrib.msgspec import MsgSpecWriter
from singer_sdk.exceptions import ConfigValidationError

from ads_kit import run_inputs
from ads_kit.accounts import ACCOUNT_FAILURES, RUN_STOPPED, AccountRegistry
from ads_kit.cli_errors import one_line_excepthook
from ads_kit.dead_letter import DeadLetterFile
from ads_kit.errors import AccountAccessError, StopError
from ads_kit.guard import CallGuard
from ads_kit.login.setting import fill_from_token_store, token_store_errors
from ads_kit.pacing import RateLimits, RequestPacer
from ads_kit.redaction import install_log_redaction, redact
from ads_kit.settings import (
    apply_defaults,
    credential_errors,
    date_errors,
    report_setting_errors,
    schema_errors,
    writable_file_errors,
)
from ads_kit.sharding import shard_errors
from ads_kit.versions import ApiVersions


class AdsTap(Tap):
    """Base of tap-meta-ads, tap-google-ads and tap-tiktok-ads."""

    #: The SDK's msgspec writer: about 1.8 times the default one's records per second.
    message_writer_class = MsgSpecWriter

    #: The platform's published limits, used where `rate_limiting` leaves a value out.
    rate_limit_defaults: t.ClassVar[RateLimits]
    #: The newest API version this tap is written for.
    default_api_version: t.ClassVar[str]
    #: The setting that lists the accounts to read (`advertiser_ids`, `ad_accounts`, ...).
    accounts_setting: t.ClassVar[str] = ""
    #: Whether the platform's reports take `attribution_windows` (TikTok's do not).
    supports_attribution_windows: t.ClassVar[bool] = True
    #: The credential settings `token_store` supplies (the tokens `ads-login` saved).
    stored_credentials: t.ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        #: Accounts read by the accounts stream, for the streams partitioned by them.
        self.accounts = AccountRegistry()
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
        schema = dict(self.config_jsonschema)
        schema["properties"] = dict(schema.get("properties", {}))
        self.append_builtin_config(schema)
        errors = schema_errors(self._config, schema, self.secret_setting_names())
        errors = errors or token_store_errors(self._config, self.stored_credentials)
        errors = errors or fill_from_token_store(
            self._config, self.stored_credentials, self.logger.warning
        )
        install_log_redaction(self._secret_values())
        if not errors:
            errors = [
                *date_errors(self._config),
                *report_setting_errors(self._config, self.supports_attribution_windows),
                *shard_errors(self._config),
                *credential_errors(self._config, self.secret_setting_names()),
                *writable_file_errors(self._config, ["dead_letter_path"]),
                *self.config_errors(self._config),
            ]
        if errors and raise_errors:
            raise ConfigValidationError(errors[0], errors=errors)
        for error in errors:
            self.logger.warning(error)
        if not errors:
            apply_defaults(self._config, schema)
            if self._config.get("attribution_windows") and not self.supports_attribution_windows:
                self.logger.warning(
                    "Setting 'attribution_windows' is ignored: %s reports have no attribution "
                    "windows (attribution is set per ad group on the platform).",
                    self.name,
                )
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

    # Calls

    def classify_error(self, error: BaseException) -> BaseException | None:
        """The ads-kit error a raw exception of the platform's client stands for, or None to
        let it through unchanged. Each tap maps its client's exceptions here."""
        return None

    def on_version_change(self, version: str) -> None:
        """Called when the tap moves to another API version (rebuild clients here)."""

    @functools.cached_property
    def api_versions(self) -> ApiVersions:
        versions = ApiVersions(
            self.config.get("api_version") or self.default_api_version,
            self.config.get("api_version_fallback") or [],
            self.logger,
        )
        versions.on_change(self.on_version_change)
        return versions

    @property
    def api_version(self) -> str:
        """The version calls go to now: `api_version`, then each fallback in turn."""
        return self.api_versions.current

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
        return DeadLetterFile(path, self.name, self.accounts_setting) if path else None

    @functools.cached_property
    def guard(self) -> CallGuard:
        """Every platform call of this tap goes through it."""
        return self.guard_for(self.pacer)

    def guard_for(self, pacer: RequestPacer) -> CallGuard:
        """A guard like `guard` holding calls to another budget too (e.g. report jobs')."""
        return CallGuard(
            pacer=pacer,
            limits=self.rate_limits,
            classify=self.classify_error,
            versions=self.api_versions,
            logger=self.logger,
        )

    # Accounts

    def record_account_failure(self, stream: str, error: AccountAccessError) -> None:
        """Log an account that cannot be read and name it in the state (the next STATE
        message carries it downstream); the run goes on and fails at the end."""
        self.logger.error("Account %s, stream %s: %s", error.account_id, stream, error)
        self.accounts.fail(stream, error)
        failures = self._account_failures().setdefault(error.account_id, {})
        failures[stream] = redact(str(error))
        self.write_dead_letter(error)

    def write_dead_letter(self, error: BaseException) -> None:
        """Write the failed call `error` carries, if any, to `dead_letter_path`."""
        if self.dead_letters is not None:
            self.dead_letters.write_pending(error)

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
        (self.state.get("bookmarks") or {}).pop(ACCOUNT_FAILURES, None)  # a past run's
        try:
            super().sync_all()
        except Exception as error:
            self.write_dead_letter(error)
            # The run stops here: whatever accounts it had not finished are incomplete.
            self._account_failures()[RUN_STOPPED] = {RUN_STOPPED: redact(str(error))}
            self.write_message(singer.StateMessage(value=self.state))
            raise
        summary = self.accounts.failure_summary()
        if summary:
            # The accounts that failed, in the last STATE (a stream whose state did not
            # otherwise change wrote none after its failure).
            self.write_message(singer.StateMessage(value=self.state))
            raise StopError(summary)

    def _account_failures(self) -> dict[str, dict[str, str]]:
        return self.state.setdefault("bookmarks", {}).setdefault(ACCOUNT_FAILURES, {})
