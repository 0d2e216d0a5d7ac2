"""tap-meta-ads: settings and the stream list."""

from __future__ import annotations

import functools
import threading
import typing as t

from ads_kit.login.setting import missing_credential_errors, token_store_property
from ads_kit.pacing import RateLimits
from ads_kit.settings import (
    ATTRIBUTION_WINDOWS,
    common_properties,
    date_properties,
    endpoint_errors,
    rate_limiting_property,
    report_properties,
)
from ads_kit.sharding import shard_properties
from ads_kit.tap import AdsTap
from facebook_business import apiconfig
from facebook_business.adobjects.adaccount import AdAccount
from singer_sdk import typing as th

from tap_meta_ads.client import DEFAULT_API_URL, GuardedApi, build_api, current_scope, scope
from tap_meta_ads.errors import classify
from tap_meta_ads.report_specs import (
    DEFAULT_CONVERSION_EVENTS,
    DEFAULT_METRICS,
    LEVELS,
    builtin_specs,
    custom_specs,
    retired_field_warnings,
    spec_errors,
    unserved_window_warning,
)
from tap_meta_ads.reports import InsightsStream
from tap_meta_ads.streams import ENTITY_STREAMS, AdAccountsStream

#: Meta publishes usage as percentages of limits that depend on the app's tier and the
#: account's active ads, not as rates; these keep a tap well inside the standard tier and the
#: usage headers slow it down further near a limit.
META_LIMITS = RateLimits(
    requests_per_hour=20_000,
    requests_per_minute=1_000,
    burst=20,
    concurrent_requests=1,
    backoff_multiplier=2.0,
    max_retries=5,
    max_wait_seconds=300.0,
)
AD_ACCOUNT = r"^act_[0-9]+$"
DEFAULT_WINDOWS = ("7d_click", "1d_view")  # Meta's default attribution setting


class TapMetaAds(AdsTap):
    """Accounts, campaigns, ad sets, ads, audiences, creatives and insights from Meta's
    Marketing API, through facebook-business."""

    name = "tap-meta-ads"
    accounts_setting = "ad_accounts"
    rate_limit_defaults = META_LIMITS
    default_api_version = apiconfig.ads_api_config["API_VERSION"]
    stored_credentials = ("access_token", "app_id", "app_secret")

    config_jsonschema = th.PropertiesList(
        th.Property(
            "access_token",
            th.StringType,
            secret=True,
            description="A system user's or a long-lived user's token with ads_read; or "
            "`token_store`.",
        ),
        token_store_property(),
        th.Property(
            "app_id",
            th.StringType,
            secret=True,
            description="The app's id (sent with the app secret as appsecret_proof).",
        ),
        th.Property(
            "app_secret",
            th.StringType,
            secret=True,
            description="The app's secret; with it every call carries appsecret_proof.",
        ),
        th.Property(
            "ad_accounts",
            th.ArrayType(th.StringType(pattern=AD_ACCOUNT)),
            description="Ad accounts (act_<digits>). Empty: every account the token reaches.",
        ),
        th.Property(
            "api_url",
            th.StringType,
            default=DEFAULT_API_URL,
            description="Graph API base URL, e.g. the sandbox's.",
        ),
        *common_properties(),
        *date_properties(default_lookback=28),
        *report_properties(),
        *shard_properties(),
        th.Property(
            "metrics",
            th.ArrayType(th.StringType),
            description="Insights fields (any AdsInsights.Field name). Default: "
            f"{', '.join(DEFAULT_METRICS)}.",
        ),
        th.Property(
            "breakdowns",
            th.ArrayType(th.StringType),
            description="One insights_audience_<breakdown> stream (campaign level, daily) "
            "each: age, gender, country, device (device_platform), placement "
            "(publisher_platform and platform_position) or any AdsInsights.Breakdowns "
            "name. Default: age, gender, country, device, placement.",
        ),
        th.Property(
            "action_breakdowns",
            th.ArrayType(th.StringType),
            default=[],
            description="Action breakdowns of actions and action_values; default none, "
            "which is what Ads Manager shows.",
        ),
        th.Property(
            "use_unified_attribution_setting",
            th.BooleanType,
            default=False,
            description="Count actions under each ad set's own attribution setting, as "
            "Ads Manager does.",
        ),
        th.Property(
            "conversion_events",
            th.ArrayType(th.StringType),
            default=list(DEFAULT_CONVERSION_EVENTS),
            description="Action types (or custom conversion names) counted as conversions "
            "in event_conversions and event_conversion_value.",
        ),
        th.Property(
            "custom_reports",
            th.ArrayType(
                th.ObjectType(
                    th.Property("name", th.StringType(pattern=r"^[a-z][a-z0-9_]*$"), required=True),
                    th.Property("level", th.StringType(allowed_values=list(LEVELS))),
                    th.Property("fields", th.ArrayType(th.StringType)),
                    th.Property("breakdowns", th.ArrayType(th.StringType)),
                    th.Property("action_breakdowns", th.ArrayType(th.StringType)),
                    additional_properties=False,
                )
            ),
            description="Extra insights reports, each a stream report_<name>.",
        ),
        th.Property(
            "include_deleted",
            th.BooleanType,
            default=True,
            description="Read deleted and archived objects and their spend (every "
            "effective_status).",
        ),
        th.Property(
            "report_mode",
            th.StringType(allowed_values=["auto", "sync", "async"]),
            default="auto",
            description="auto: async report jobs unless a window is small; sync; async.",
        ),
        th.Property(
            "async_report_min_rows",
            th.IntegerType(minimum=1),
            default=5_000,
            description="In auto mode, reports of at least this many rows use async jobs.",
        ),
        th.Property(
            "insights_window_days",
            th.IntegerType(minimum=1, maximum=90),
            default=7,
            description="Days per report job (hourly reports: one day).",
        ),
        th.Property(
            "insights_jobs_in_flight",
            th.IntegerType(minimum=1),
            default=8,
            description="Async report jobs running at once per account.",
        ),
        th.Property(
            "insights_job_timeout_seconds",
            th.NumberType(minimum=1),
            default=1800,
            description="A job with no result after this long is started again.",
        ),
        th.Property(
            "insights_poll_seconds",
            th.NumberType(minimum=0.01),
            default=2,
            description="First wait between status polls (it grows to 30 s).",
        ),
        th.Property(
            "page_size",
            th.IntegerType(minimum=10, maximum=5000),
            default=500,
            description="Rows per page; halved while Meta asks for less data.",
        ),
        rate_limiting_property(META_LIMITS),
    ).to_dict()

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        self._conversion_types: dict[str, frozenset[str]] = {}
        self._lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def config_errors(self, config: t.Mapping[str, t.Any]) -> list[str]:
        errors = (
            spec_errors(config)
            + endpoint_errors(config, "api_url")
            + missing_credential_errors(config, ["access_token"], "meta")
        )
        windows = config.get("attribution_windows")
        if windows is not None and not windows:
            errors.append(
                "Setting 'attribution_windows' must list at least one of "
                f"{', '.join(ATTRIBUTION_WINDOWS)}."
            )
        return errors

    def _validate_config(self, *, raise_errors: bool = True) -> list[str]:
        errors = super()._validate_config(raise_errors=raise_errors)
        if not errors and not self._config.get("attribution_windows"):
            self._config["attribution_windows"] = list(DEFAULT_WINDOWS)
        if not errors:
            windows = unserved_window_warning(self._config["attribution_windows"])
            for line in [*retired_field_warnings(self._config), *filter(None, [windows])]:
                self.logger.warning(line)
        return errors

    def classify_error(self, error: BaseException) -> BaseException | None:
        return classify(error, current_scope().account_id)

    def pacing_key(self) -> str:
        return str(self.config.get("app_id") or "app")

    @functools.cached_property
    def api(self) -> GuardedApi:
        """facebook-business's API object; every call goes to `api_versions.current`."""
        return build_api(self)

    def conversion_event_types(self, account_id: str) -> frozenset[str]:
        """`conversion_events` as action types; custom conversion names become
        `offsite_conversion.custom.<id>` for this account."""
        with self._lock:
            known = self._conversion_types.get(account_id)
        if known is not None:
            return known
        wanted = list(self.config["conversion_events"])
        names = [w for w in wanted if "." not in w and not w.islower()]
        types = {w for w in wanted if w not in names}
        if names:
            with scope("custom_conversions", account_id):
                found = AdAccount(account_id, api=self.api).get_custom_conversions(
                    fields=["id", "name"]
                )
                by_name = {c["name"]: c["id"] for c in found}
            for name in names:
                if name in by_name:
                    types.add(f"offsite_conversion.custom.{by_name[name]}")
                else:
                    self.logger.warning(
                        "Setting 'conversion_events' names %r, which is no custom conversion of "
                        "account %s: not counted there",
                        name,
                        account_id,
                    )
        result = frozenset(types)
        with self._lock:
            self._conversion_types[account_id] = result
        return result

    def discover_streams(self) -> list:
        specs = builtin_specs(self.config) + custom_specs(self.config)
        return [
            AdAccountsStream(self),
            *(stream(self) for stream in ENTITY_STREAMS),
            *(InsightsStream(self, spec) for spec in specs),
        ]


if __name__ == "__main__":
    TapMetaAds.cli()
