"""tap-google-ads: settings, the customers the credentials reach, and the stream list."""

from __future__ import annotations

import datetime as dt
import functools
import re
import typing as t
from pathlib import Path

from ads_kit.errors import AccountAccessError, InvalidRequestError
from ads_kit.guard import Operation
from ads_kit.login.setting import missing_credential_errors, token_store_property
from ads_kit.pacing import RateLimits
from ads_kit.settings import (
    common_properties,
    date_properties,
    endpoint_errors,
    rate_limiting_property,
    report_properties,
)
from ads_kit.sharding import in_shard, shard_properties
from ads_kit.tap import AdsTap
from singer_sdk import typing as th

from tap_google_ads import errors
from tap_google_ads.click_view import ClickViewStream
from tap_google_ads.client import DEFAULT_API_URL, DEFAULT_OAUTH_URL, Connection
from tap_google_ads.field_metadata import FieldMetadata, check_custom_reports, default_cache_dir
from tap_google_ads.fields import field_path, metric_names, versions
from tap_google_ads.report_specs import BREAKDOWNS, DEFAULT_METRICS, builtin_specs, custom_specs
from tap_google_ads.reports import ReportStream
from tap_google_ads.streams import (
    CLIENT_FIELDS,
    AdGroupsStream,
    AdsStream,
    CampaignBudgetsStream,
    CampaignsStream,
    CombinedAudiencesStream,
    ConversionActionsStream,
    CustomersStream,
    GaqlStream,
    KeywordsStream,
    LabelsStream,
    UserListsStream,
    schema_of,
)

#: Google's short-term limits are not published as numbers; Basic access allows 15,000
#: operations a day. The pacing here stays well under what the API tolerates.
GOOGLE_LIMITS = RateLimits(
    requests_per_hour=15_000,
    requests_per_minute=1_000,
    burst=20,
    concurrent_requests=1,
    backoff_multiplier=1.0,
    max_retries=5,
    max_wait_seconds=120.0,
)
CUSTOMER_ID = r"^[0-9]{3}-?[0-9]{3}-?[0-9]{4}$"
#: Daily data is kept for 37 months.
RETENTION_MONTHS = 37
MANAGER_QUERY = "SELECT customer.manager FROM customer"
CLIENTS_QUERY = f"SELECT {', '.join(CLIENT_FIELDS)} FROM customer_client"  # noqa: S608 - GAQL


def customer_id(text: str) -> str:
    return re.sub(r"-", "", str(text).strip())


class TapGoogleAds(AdsTap):
    """Customers, campaigns, budgets, ad groups, ads, keywords, audiences, labels, the
    performance reports and the clicks (`click_view`) of the Google Ads API, through the
    official gRPC client."""

    name = "tap-google-ads"
    accounts_setting = "customer_ids"
    rate_limit_defaults = GOOGLE_LIMITS
    default_api_version = versions()[0]
    supports_attribution_windows = False
    stored_credentials = ("client_id", "client_secret", "refresh_token", "developer_token")

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        #: The manager each client was found through: its login-customer-id.
        self._login_ids: dict[str, str] = {}
        super().__init__(*args, **kwargs)

    config_jsonschema = th.PropertiesList(
        th.Property(
            "client_id",
            th.StringType,
            secret=True,
            description="OAuth client id; or `token_store`.",
        ),
        th.Property(
            "client_secret",
            th.StringType,
            secret=True,
            description="OAuth client secret; or `token_store`.",
        ),
        th.Property(
            "refresh_token",
            th.StringType,
            secret=True,
            description="OAuth refresh token of a user with access to the accounts; or "
            "`token_store`.",
        ),
        token_store_property(),
        th.Property(
            "developer_token",
            th.StringType,
            secret=True,
            description="Google Ads API developer token; or `token_store`.",
        ),
        th.Property(
            "customer_ids",
            th.ArrayType(th.StringType(pattern=CUSTOMER_ID)),
            description="Customer ids (dashes allowed). Empty: every client account the "
            "credentials reach, managers walked.",
        ),
        th.Property(
            "customer_id",
            th.StringType(pattern=CUSTOMER_ID),
            description="One customer id (the same as customer_ids with one id).",
        ),
        th.Property(
            "login_customer_id",
            th.StringType(pattern=CUSTOMER_ID),
            description="Manager id sent as login-customer-id on every call. Default: the "
            "manager each client was found through.",
        ),
        th.Property(
            "api_url",
            th.StringType,
            default=DEFAULT_API_URL,
            description="gRPC endpoint host:port, e.g. the sandbox's.",
        ),
        th.Property(
            "oauth_url",
            th.StringType,
            default=DEFAULT_OAUTH_URL,
            description="Base URL of the OAuth token endpoint (POST <oauth_url>/token).",
        ),
        th.Property(
            "ca_cert_path",
            th.StringType,
            description="PEM file of the certificate authorities the gRPC endpoint is trusted "
            "through, e.g. the sandbox's ca_cert. Default: the system's.",
        ),
        th.Property(
            "field_cache_dir",
            th.StringType,
            description="Where field metadata of custom reports is cached per API version. "
            "Default ~/.cache/tap-google-ads.",
        ),
        *common_properties(),
        *date_properties(default_lookback=30),
        *report_properties(),
        *shard_properties(),
        th.Property(
            "metrics",
            th.ArrayType(th.StringType(allowed_values=list(metric_names(versions()[0])))),
            description=f"Metrics of the report streams. Default: {', '.join(DEFAULT_METRICS)}. "
            "Not campaign_conversions: Google reports only conversion metrics per conversion "
            "action, and that stream reads them all.",
        ),
        th.Property(
            "breakdowns",
            th.ArrayType(th.StringType(allowed_values=list(BREAKDOWNS))),
            description="Breakdown siblings of the reports: device and network "
            "(segments.device, segments.ad_network_type), age (age_range_view), gender "
            "(gender_view), placement (group_placement_view); country is geo_performance. "
            "Default: device, network, age, gender.",
        ),
        th.Property(
            "custom_reports",
            th.ArrayType(
                th.ObjectType(
                    th.Property("name", th.StringType(pattern=r"^[a-z][a-z0-9_]*$"), required=True),
                    th.Property("query", th.StringType, required=True),
                    additional_properties=False,
                )
            ),
            description="Extra reports, each a stream report_<name> from a GAQL query "
            "(without a segments.date filter: the tap adds the run's dates when the query "
            "selects segments.date; without it the report is read whole).",
        ),
        rate_limiting_property(GOOGLE_LIMITS),
    ).to_dict()

    def config_errors(self, config: t.Mapping[str, t.Any]) -> list[str]:
        problems = missing_credential_errors(config, self.stored_credentials, "google")
        problems += endpoint_errors(config, "api_url", host_port=True)
        problems += endpoint_errors(config, "oauth_url")
        version = config.get("api_version")
        if version and version not in versions():
            problems.append(
                f"Setting 'api_version': {version} is not shipped by the installed google-ads "
                f"library; use one of {', '.join(versions())}."
            )
        for fallback in config.get("api_version_fallback") or []:
            if fallback not in versions():
                problems.append(
                    f"Setting 'api_version_fallback': {fallback} is not one of "
                    f"{', '.join(versions())}."
                )
        try:
            custom_specs(config)
        except InvalidRequestError as error:
            problems.append(str(error))
        return problems

    # Calls

    @functools.cached_property
    def connection(self) -> Connection:
        return Connection(self.config)

    def classify_error(self, error: BaseException) -> BaseException | None:
        return errors.classify(error, self.connection.refresh_token)

    def pacing_key(self) -> str:
        return "developer-token"

    # Customers

    def configured_customers(self) -> list[str]:
        ids = [customer_id(c) for c in self.config.get("customer_ids") or []]
        if self.config.get("customer_id"):
            ids.append(customer_id(self.config["customer_id"]))
        return list(dict.fromkeys(ids))

    def login_customer_for(self, customer: str) -> str | None:
        """`login_customer_id` when set; else the manager the customer was found through."""
        configured = self.config.get("login_customer_id")
        if configured:
            return customer_id(configured)
        return self._login_ids.get(customer)

    def customers_to_read(self, stream: GaqlStream) -> list[str]:
        """The configured customers, or all the credentials reach: ListAccessibleCustomers,
        then each manager's customer_client tree (clients recorded with their manager)."""
        accessible = self.guard.call(
            lambda: self.connection.accessible_customers(self.api_versions.current),
            Operation(stream.name, None, "CustomerService.ListAccessibleCustomers"),
        )
        found: list[str] = []
        skipped: list[str] = []
        for top in accessible:
            try:
                rows = stream.records(top, MANAGER_QUERY, ("customer.manager",))
            except AccountAccessError as error:
                self.logger.warning("Accessible customer %s cannot be read: %s", top, error)
                continue
            if top not in found:
                found.append(top)
            if not (rows and rows[0]["customer__manager"]):
                continue
            for row in stream.records(top, CLIENTS_QUERY, CLIENT_FIELDS):
                client = str(row["customer_client__id"])
                if client == top or row["customer_client__manager"]:
                    continue
                self._login_ids.setdefault(client, top)
                if row["customer_client__status"] != "ENABLED":
                    skipped.append(f"{client} ({row['customer_client__status']})")
                elif client not in found:
                    found.append(client)
        if skipped:
            self.logger.warning(
                "Skipped %d client account(s) that are not enabled: %s",
                len(skipped), ", ".join(skipped),
            )  # fmt: skip
        configured = self.configured_customers()
        if configured:
            return in_shard(configured, self.config)
        self.logger.info("Reading %d customer(s) the credentials reach", len(found))
        return in_shard(found, self.config)

    def earliest_report_date(self) -> str:
        """Google keeps daily data 37 months: `lifetime` starts there."""
        today = dt.date.today()
        index = today.year * 12 + today.month - 1 - RETENTION_MONTHS
        return dt.date(index // 12, index % 12 + 1, 1).isoformat()

    # Streams

    def discover_streams(self) -> list:
        specs = builtin_specs(self.config) + custom_specs(self.config)
        return [
            CustomersStream(self),
            CampaignsStream(self),
            CampaignBudgetsStream(self),
            AdGroupsStream(self),
            AdsStream(self),
            KeywordsStream(self),
            UserListsStream(self),
            CombinedAudiencesStream(self),
            LabelsStream(self),
            ConversionActionsStream(self),
            *(ReportStream(self, spec, self._custom_schema(spec)) for spec in specs),
            ClickViewStream(self),
        ]

    def _custom_schema(self, spec: t.Any) -> dict | None:
        if spec.kind != "custom":
            return None
        known = [f for f in spec.fields if field_path(self.default_api_version, f) is not None]
        schema = schema_of(known, self.default_api_version)
        for name in spec.fields:
            schema["properties"].setdefault(name.replace(".", "__"), {})
        return schema

    def sync_all(self) -> None:
        custom = [
            s.spec
            for s in self.streams.values()
            if isinstance(s, ReportStream) and s.selected and s.spec.kind == "custom"
        ]
        if custom:
            version = self.api_versions.current
            directory = Path(self.config.get("field_cache_dir") or default_cache_dir())
            metadata = FieldMetadata(
                directory,
                version,
                lambda query: self.guard.call(
                    lambda: list(self.connection.fields(self.api_versions.current, query)),
                    Operation(
                        "custom_reports", None, "GoogleAdsFieldService.SearchGoogleAdsFields"
                    ),
                ),
            )
            check_custom_reports(custom, metadata)
        super().sync_all()


if __name__ == "__main__":
    TapGoogleAds.cli()
