"""tap-tiktok-ads: settings and the stream list."""

from __future__ import annotations

import dataclasses
import functools
import typing as t

from ads_kit.errors import InvalidRequestError
from ads_kit.login.setting import missing_credential_errors, token_store_property
from ads_kit.pacing import RateLimits, RequestPacer
from ads_kit.settings import (
    BREAKDOWNS,
    common_properties,
    date_properties,
    endpoint_errors,
    rate_limiting_property,
    report_properties,
)
from ads_kit.sharding import shard_properties
from ads_kit.stream import classify_transport_error
from ads_kit.tap import AdsTap
from singer_sdk import typing as th

from tap_tiktok_ads.client import DEFAULT_API_URL, DEFAULT_API_VERSION
from tap_tiktok_ads.errors import AppThrottle
from tap_tiktok_ads.gmv_max import GmvMaxCampaignsStream, GmvMaxReportStream, warn_if_unread
from tap_tiktok_ads.report_catalog import DEFAULT_METRICS, METRICS, NATIVE_AUDIENCE_DIMENSIONS
from tap_tiktok_ads.report_specs import builtin_specs, custom_specs, report_errors, spec_errors
from tap_tiktok_ads.report_tasks import TASK_RATES
from tap_tiktok_ads.reports import TIKTOK_SANDBOX_HOST, ReportStream
from tap_tiktok_ads.streams import (
    AdgroupsStream,
    AdsStream,
    AdvertisersStream,
    AudiencesStream,
    CampaignsStream,
    ImagesStream,
    PixelsStream,
    VideosStream,
)

#: TikTok's basic tier: 10 requests per second, 600 per minute, 864,000 per day, shared by
#: every advertiser of the app.
TIKTOK_LIMITS = RateLimits(
    requests_per_hour=36_000,
    requests_per_minute=600,
    burst=10,
    concurrent_requests=1,
    backoff_multiplier=1.0,
    max_retries=5,
    max_wait_seconds=330.0,
)
#: TikTok's own sandbox (`sandbox-ads.tiktok.com`): 1 request per second, 30 per minute
#: (and 1,000 per day) on each endpoint; paced for the whole app, which is stricter but safe.
TIKTOK_SANDBOX_LIMITS = dataclasses.replace(
    TIKTOK_LIMITS, requests_per_hour=1_800, requests_per_minute=30, burst=1
)
ADVERTISER_ID = r"^[0-9]{6,20}$"


class TapTikTokAds(AdsTap):
    """Campaigns, ad groups, ads, audiences, images, videos, pixels and reports from the TikTok
    Marketing API v1.3."""

    name = "tap-tiktok-ads"
    accounts_setting = "advertiser_ids"
    rate_limit_defaults = TIKTOK_LIMITS
    default_api_version = DEFAULT_API_VERSION
    supports_attribution_windows = False
    stored_credentials = ("access_token", "app_id", "secret")

    config_jsonschema = th.PropertiesList(
        th.Property(
            "access_token",
            th.StringType,
            secret=True,
            description="Long-term Marketing API access token of the app; or `token_store`.",
        ),
        th.Property(
            "app_id",
            th.StringType,
            secret=True,
            description="App id; needed to list the advertisers when advertiser_ids is empty.",
        ),
        th.Property(
            "secret", th.StringType, secret=True, description="App secret; needed with app_id."
        ),
        token_store_property(),
        th.Property(
            "advertiser_ids",
            th.ArrayType(th.StringType(pattern=ADVERTISER_ID)),
            description="Advertiser ids (digits). Empty: every advertiser the token may access.",
        ),
        th.Property(
            "api_url",
            th.StringType,
            default=DEFAULT_API_URL,
            description="Base URL, e.g. the sandbox's.",
        ),
        *common_properties(),
        *date_properties(default_lookback=7),
        *report_properties(),
        *shard_properties(),
        th.Property(
            "metrics",
            th.ArrayType(th.StringType),
            description="Metrics of the insights streams, from TikTok's BASIC/AUDIENCE catalog "
            f"(tap_tiktok_ads/report_metrics.csv). Default: {', '.join(DEFAULT_METRICS)}.",
        ),
        th.Property(
            "breakdowns",
            th.ArrayType(th.StringType(allowed_values=[*BREAKDOWNS, *NATIVE_AUDIENCE_DIMENSIONS])),
            description="One insights_audience_<breakdown> stream (AUDIENCE report, "
            "campaign level, daily) each. Default: "
            f"{', '.join(BREAKDOWNS)}.",
        ),
        th.Property(
            "custom_reports",
            th.ArrayType(
                th.ObjectType(
                    th.Property("name", th.StringType(pattern=r"^[a-z][a-z0-9_]*$"), required=True),
                    th.Property("report_type", th.StringType(allowed_values=["BASIC", "AUDIENCE"])),
                    th.Property("data_level", th.StringType),
                    th.Property("dimensions", th.ArrayType(th.StringType), required=True),
                    th.Property("metrics", th.ArrayType(th.StringType)),
                    additional_properties=False,
                )
            ),
            description="Extra reports, each a stream report_<name>: report_type, data_level "
            "(advertiser, campaign, adgroup, ad), dimensions (one of "
            "stat_time_day/stat_time_hour plus audience dimensions, or one BASIC dimension), "
            "metrics.",
        ),
        th.Property(
            "include_deleted",
            th.BooleanType,
            default=True,
            description="Read deleted campaigns, ad groups and ads and their spend "
            "(TikTok leaves them out unless asked).",
        ),
        th.Property(
            "report_mode",
            th.StringType(allowed_values=["auto", "sync", "async"]),
            default="auto",
            description="auto: report tasks when the synchronous report would stop at "
            "20,000 ads or the job is large; sync; async.",
        ),
        th.Property(
            "advertisers_per_report",
            th.IntegerType(minimum=1, maximum=5),
            default=5,
            description="Advertisers read together in one synchronous report (TikTok's "
            "advertiser_ids, at most 5) when their report dates match and they are small; "
            "1 reads each advertiser alone.",
        ),
        th.Property(
            "async_report_min_rows",
            th.IntegerType(minimum=1),
            default=100_000,
            description="In auto mode, jobs of at least this many rows use report tasks.",
        ),
        rate_limiting_property(TIKTOK_LIMITS),
    ).to_dict()

    def config_errors(self, config: t.Mapping[str, t.Any]) -> list[str]:
        errors = spec_errors(config) + endpoint_errors(config, "api_url")
        if unknown := [name for name in config.get("metrics") or [] if name not in METRICS]:
            errors.append(
                f"Setting 'metrics' lists {', '.join(map(repr, unknown))}, which TikTok's "
                "reports do not have; the metrics are those of tap_tiktok_ads/report_metrics.csv."
            )
        errors += missing_credential_errors(config, ["access_token"], "tiktok")
        if not config.get("advertiser_ids"):
            errors += [
                f"Setting '{key}' is required when `advertiser_ids` is empty: the tap lists the "
                "advertisers the token may access with the app's id and secret."
                for key in ("app_id", "secret")
                if not config.get(key)
            ]
        return errors

    def classify_error(self, error: BaseException) -> BaseException | None:
        # Answers are classified by `validate_response`; what is left is the transport's.
        return classify_transport_error(error)

    def pacing_key(self) -> str:
        return str(self.config.get("app_id") or "app")

    @functools.cached_property
    def rate_limits(self) -> RateLimits:
        """TikTok's basic tier, or its sandbox's limits when `api_url` is the sandbox host;
        `rate_limiting` overrides either."""
        sandbox = TIKTOK_SANDBOX_HOST in str(self.config.get("api_url") or "")
        defaults = TIKTOK_SANDBOX_LIMITS if sandbox else TIKTOK_LIMITS
        return RateLimits.from_config(self.config.get("rate_limiting"), defaults)

    @functools.cached_property
    def throttle(self) -> AppThrottle:
        """The app's climbing waits after 40100, shared by every stream (the limit is the app's)."""
        return AppThrottle(self.rate_limits.max_wait_seconds)

    @functools.cached_property
    def task_pacer(self) -> RequestPacer:
        return RequestPacer(
            TASK_RATES,
            key=f"{self.name}:{self.pacing_key()}:report-tasks",
            redis_url=self.rate_limits.redis_url,
        )

    def discover_streams(self) -> list:
        specs = builtin_specs(self.config) + custom_specs(self.config)
        return [
            AdvertisersStream(self),
            CampaignsStream(self),
            AdgroupsStream(self),
            AdsStream(self),
            AudiencesStream(self),
            ImagesStream(self),
            VideosStream(self),
            PixelsStream(self),
            GmvMaxCampaignsStream(self),
            *(ReportStream(self, spec) for spec in specs),
            GmvMaxReportStream(self),
        ]

    def advertiser_ready(self, context: dict) -> None:
        """An advertiser's streams are about to be read."""
        warn_if_unread(self, context)

    def sync_all(self) -> None:
        errors = [
            error
            for stream in self.streams.values()
            if isinstance(stream, ReportStream) and stream.selected
            for error in report_errors(stream.spec, self.config["report_mode"])
        ]
        if errors:
            raise InvalidRequestError(" ".join(dict.fromkeys(errors)))
        super().sync_all()


if __name__ == "__main__":
    TapTikTokAds.cli()
