"""The `transform-unified` Singer mapper: message routing, holding and state handling."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar, NamedTuple

import singer_sdk.singerlib as singer
from ads_kit.accounts import ACCOUNT_FAILURES
from singer_sdk import InlineMapper
from singer_sdk.exceptions import ConfigValidationError
from singer_sdk.helpers.capabilities import CapabilitiesEnum, PluginCapabilities

from transform_unified.adapters import ADAPTER_TYPES, Adapter, route_stream
from transform_unified.adapters.base import (
    CAMPAIGN_ROLES,
    PERFORMANCE_ROLES,
    CampaignFacts,
    PerformanceFacts,
    Reader,
    RecordRejected,
    Role,
)
from transform_unified.breakdown_rows import BreakdownRows
from transform_unified.diagnostics import RUN_SCOPE, Diagnostics
from transform_unified.entity_cache import STATE_BOOKMARK, EntityCache, EntityCacheError
from transform_unified.local_day import resolve_zone
from transform_unified.performance_rows import PerformanceRows
from transform_unified.quality import QualityChecks
from transform_unified.reporting_days import ReportingDays
from transform_unified.run_summary import RunSummary
from transform_unified.settings import CONFIG_SCHEMA, SettingError, parse_settings
from transform_unified.singer_io import BytesReader, StateFlushingWriter, UnifiedRecord
from transform_unified.unified_schema import (
    CAMPAIGNS,
    CAMPAIGNS_KEYS,
    PERFORMANCE_OUTPUTS,
    RUN_SUMMARY,
    RUN_SUMMARY_KEYS,
    campaigns_schema,
    performance_schema,
    run_summary_schema,
)


class _ReportRow(NamedTuple):
    """A report record read by its adapter, waiting to become an output row."""

    adapter: Adapter
    role: Role
    facts: PerformanceFacts
    extracted_at: datetime
    #: `extracted_at.isoformat()`
    extracted_text: str


#: A stream named like a platform's stream whose SCHEMA does not show it is that platform's.
_UNRECOGNISED = "unrecognised"


class TransformUnified(InlineMapper):
    """Ad platforms' tap streams as one cross-platform schema: `unified_campaigns`,
    `unified_campaign_performance`, `unified_adset_performance`, `unified_ad_performance`,
    `unified_breakdown_performance` and `unified_run_summary`."""

    name = "transform-unified"
    capabilities: ClassVar[list[CapabilitiesEnum]] = [
        PluginCapabilities.ABOUT,
        PluginCapabilities.STRUCTURED_LOGGING,
    ]
    config_jsonschema = CONFIG_SCHEMA
    message_reader_class = BytesReader
    message_writer_class = StateFlushingWriter

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        try:
            self.settings = parse_settings(self.config)
        except SettingError as error:
            raise ConfigValidationError(str(error), errors=[str(error)]) from error
        try:
            self.entity_cache = EntityCache.load(self.settings.entity_cache_path)
        except EntityCacheError as error:
            fix = "delete the file to rebuild it" if "readable" in str(error) else "fix the path"
            message = f"entity_cache_path: {error}; {fix}"
            raise ConfigValidationError(message, errors=[message]) from error
        self._cache_was_empty = self.entity_cache.empty
        self.diagnostics = Diagnostics(self.logger)
        self.adapters = {name: cls(self.diagnostics) for name, cls in ADAPTER_TYPES.items()}
        self.summary = RunSummary(
            str(uuid.uuid4()), datetime.now(UTC), self.settings.reporting_currency
        )
        self.rows = PerformanceRows(
            self.settings.fx_rates,
            self.settings.estimated_days,
            self.diagnostics,
            self.summary.started_at,
        )
        self.breakdowns = BreakdownRows(self.diagnostics)
        self.reporting_days = (
            ReportingDays(
                resolve_zone(self.settings.reporting_timezone), self.settings.reporting_timezone
            )
            if self.settings.reporting_timezone
            else None
        )
        self.quality = QualityChecks(self.diagnostics, self.settings.stale_after, datetime.now(UTC))
        self._accounts_seen: set[tuple[str, str]] = set()
        self._routes: dict[str, tuple[Adapter, Role] | str | None] = {}
        self._readers: dict[str, Reader] = {}
        self._schemas_sent: set[str] = set()
        self._passed_through: set[str] = set()
        # Rows whose campaign was not known yet wait until it is (the campaigns stream or
        # the state carrying the entities may come later), and so does any STATE behind them.
        self._held: list[_ReportRow] = []
        self._held_state: dict[str, Any] | None = None

    def map_schema_message(self, message_dict: dict) -> Iterable[singer.Message]:
        stream, schema = message_dict["stream"], message_dict["schema"]
        route = route_stream(self.adapters, stream, schema, self.settings.platform)
        if route and route[1] is Role.HOURLY_CAMPAIGN_PERFORMANCE and not self.reporting_days:
            self.logger.info("Stream '%s' is re-bucketed only with reporting_timezone", stream)
            route = None
        passed_through = self.settings.source_streams == "all" or (
            route is None and self.settings.source_streams == "unhandled"
        )
        if route is None and (names := self._named_by(stream)):
            route = _UNRECOGNISED
            self.diagnostics.warn_once(
                "unrecognised_stream",
                stream,
                "Stream '%s' has the name of a %s stream, but its SCHEMA lacks %s: its records "
                "are passed through unchanged and not unified (a stream map or selection may "
                "have removed the field; set `platform` if the stream is that platform's)",
                stream,
                " or ".join(names),
                ", ".join(self._missing_signature(stream, schema)),
                count=0,
            )
            passed_through = True
        self._routes[stream] = route
        if route and route != _UNRECOGNISED and route[1] in PERFORMANCE_ROLES:
            self._readers[stream] = route[0].reader(stream, route[1])
        if passed_through:
            self._passed_through.add(stream)
        else:
            self._passed_through.discard(stream)
        if passed_through:
            yield singer.SchemaMessage(
                stream=stream,
                schema=schema,
                key_properties=message_dict.get("key_properties"),
                bookmark_properties=message_dict.get("bookmark_properties"),
            )
        if route is None:
            self.logger.info("Stream '%s' is not unified", stream)
        elif route != _UNRECOGNISED and route[1] is Role.CAMPAIGNS:
            yield from self._schema_once(CAMPAIGNS, campaigns_schema(), CAMPAIGNS_KEYS)
        elif route != _UNRECOGNISED and (output := PERFORMANCE_OUTPUTS.get(route[1])):
            yield from self._schema_once(output.stream, performance_schema(route[1]), output.keys)

    def _process_record_message(self, message_dict: dict) -> None:
        """The SDK's, with the writer bound once: two calls fewer on every RECORD."""
        write = self.message_writer.write_message
        for message in self.map_record_message(message_dict):
            write(message)

    def map_record_message(self, message_dict: dict) -> Iterable[singer.Message]:
        stream = message_dict["stream"]
        route = self._routes.get(stream)
        if stream in self._passed_through:
            yield singer.RecordMessage.from_dict(dict(message_dict))
        if route is None or route == _UNRECOGNISED:
            self.summary.count(RUN_SCOPE, "records_in")
            self.summary.count(RUN_SCOPE, "records_not_unified")
            if route == _UNRECOGNISED:
                self.diagnostics.warn_once("unrecognised_stream", stream, "", count=1)
            return
        adapter, role = route
        record = message_dict["record"]
        try:
            if role is Role.ACCOUNTS:
                account = adapter.account(record)
                self._count((adapter.platform, account.account_id), "records_reference")
                self._accounts_seen.add((adapter.platform, account.account_id))
                self.entity_cache.put_account(adapter.platform, account)
            elif role is Role.CAMPAIGNS:
                facts = adapter.campaign(record)
                self._count((adapter.platform, facts.account_id), "rows_out")
                self.entity_cache.put_campaign(adapter.platform, facts)
                yield self._campaign_message(adapter.platform, facts, record, message_dict)
            else:
                facts = self._readers[stream](record)
                row = _ReportRow(
                    adapter, role, facts, *_extracted_at(message_dict.get("time_extracted"))
                )
                account_id = facts.account.account_id
                self.summary.count((adapter.platform, account_id), "records_in")
                campaign = self.entity_cache.campaign(
                    adapter.platform, account_id, facts.campaign_id
                )
                if campaign is not None or role is Role.ACCOUNT_PERFORMANCE:
                    if message := self._row_message(row, campaign):
                        yield message
                else:
                    self._held.append(row)
        except RecordRejected as error:
            scope = (adapter.platform, adapter.account_id_of(record) or "*")
            self._count(scope, "records_rejected")
            self.diagnostics.warn_once(
                "rejected_record",
                (stream, str(error)),
                "Skipping %s records of stream '%s' with %s (counted in unified_run_summary)",
                adapter.platform,
                stream,
                error,
                scope=scope,
            )

    def map_state_message(self, message_dict: dict) -> Iterable[singer.Message]:
        """Pass STATE on with the entity document in it, after saving the entities it
        covers; entities in the incoming state fill what the cache lacks. While rows are
        held, keep only the latest STATE until they are written."""
        value = message_dict["value"]
        self._absorb_state_entities(value)
        self._note_account_failures(value)
        yield from self._release_known()
        if self._held or self.breakdowns.pending or self._rebucketing:
            self._held_state = value
            return
        self._held_state = None
        self.entity_cache.save()
        yield singer.StateMessage(value=self._with_entities(value))

    def map_activate_version_message(self, message_dict: dict) -> Iterable[singer.Message]:
        """Source streams' versions follow them when passed through; the unified streams are
        keyed upserts, so they never get one."""
        if message_dict["stream"] not in self._passed_through:
            return []
        return [
            singer.ActivateVersionMessage(
                stream=message_dict["stream"], version=message_dict["version"]
            )
        ]

    def process_endofpipe(self) -> None:
        """Write held rows with what is now known, the run summary, save the cache, then
        the held STATE."""
        for held in self._held:
            if message := self._row_message(held, self._campaign_of(held)):
                self.write_message(message)
        self._held.clear()
        self._write_breakdowns()
        self._write_reporting_days()
        self.quality.finish(self._accounts_seen)
        self.entity_cache.save()
        if not self._schemas_sent & {output.stream for output in PERFORMANCE_OUTPUTS.values()}:
            seen = ", ".join(sorted(self._routes)) or "none"
            expected = "; ".join(
                f"{name}: {', '.join(adapter.report_streams())}"
                for name, adapter in self.adapters.items()
            )
            self.diagnostics.warn_once(
                "nothing_to_unify",
                None,
                "No report stream to unify in this run (streams seen: %s; reports read: %s): "
                "no performance rows were written; check the tap's selection and stream maps",
                seen,
                expected,
            )
        for message in self._schema_once(RUN_SUMMARY, run_summary_schema(), RUN_SUMMARY_KEYS):
            self.write_message(message)
        for row in self.summary.rows(self.diagnostics, datetime.now(UTC)):
            self.write_message(singer.RecordMessage(stream=RUN_SUMMARY, record=row))
        if self._held_state is not None:
            self.write_message(singer.StateMessage(value=self._with_entities(self._held_state)))
            self._held_state = None
        self.message_writer.flush()
        self.diagnostics.log_summary()

    def _schema_once(
        self, stream: str, schema: dict[str, Any], keys: Iterable[str]
    ) -> Iterator[singer.SchemaMessage]:
        if stream not in self._schemas_sent:
            self._schemas_sent.add(stream)
            yield singer.SchemaMessage(stream=stream, schema=schema, key_properties=list(keys))

    def _named_by(self, stream: str) -> list[str]:
        """Platforms one of whose streams is called `stream`."""
        return [name for name, adapter in self.adapters.items() if stream in adapter.stream_roles]

    def _missing_signature(self, stream: str, schema: dict[str, Any]) -> list[str]:
        missing: set[str] = set()
        for adapter in self.adapters.values():
            if stream in adapter.stream_roles:
                missing.update(adapter.missing_signature(stream, schema))
        return sorted(missing)

    def _count(self, scope: tuple[str, str], outcome: str) -> None:
        self.summary.count(scope, "records_in")
        self.summary.count(scope, outcome)

    def _absorb_state_entities(self, value: object) -> None:
        bookmarks = value.get("bookmarks") if isinstance(value, dict) else None
        document = bookmarks.get(STATE_BOOKMARK) if isinstance(bookmarks, dict) else None
        if document is None:
            return
        try:
            accounts, campaigns = self.entity_cache.absorb(document)
        except EntityCacheError as error:
            self.diagnostics.warn_once("unreadable_state_entities", None, "Ignoring %s", error)
            return
        if campaigns or accounts:
            self.diagnostics.warn_once(
                "entity_cache_restored",
                None,
                "The entity cache %s %s: %d account(s) and %d campaign(s) restored from the "
                "Singer state",
                self.settings.entity_cache_path,
                "was missing or empty" if self._cache_was_empty else "lacked some entities",
                accounts,
                campaigns,
                count=campaigns + accounts,
            )

    def _note_account_failures(self, value: object) -> None:
        """The accounts the tap says it could not read in this run (ads-kit's
        `account_failures` bookmark entry), for the `partial_data` warnings."""
        bookmarks = value.get("bookmarks") if isinstance(value, dict) else None
        failures = bookmarks.get(ACCOUNT_FAILURES) if isinstance(bookmarks, dict) else None
        if not isinstance(failures, dict):
            return
        for account, streams in failures.items():
            for stream, reason in (streams if isinstance(streams, dict) else {}).items():
                platform = self._platform_of(stream)
                self.quality.account_failed(platform, str(account), stream, str(reason))

    def _platform_of(self, stream: str) -> str:
        """The platform of a tap stream: its route's, else this run's only one ("*" when
        several are unified together)."""
        route = self._routes.get(stream)
        if route is not None and route != _UNRECOGNISED:
            return route[0].platform
        platforms = {r[0].platform for r in self._routes.values() if r and r != _UNRECOGNISED}
        return platforms.pop() if len(platforms) == 1 else "*"

    def _with_entities(self, value: Any) -> Any:
        """The state with this mapper's entity document as one more bookmark entry."""
        if not isinstance(value, dict) or self.entity_cache.empty:
            return value
        bookmarks = value.get("bookmarks")
        bookmarks = dict(bookmarks) if isinstance(bookmarks, dict) else {}
        # The platforms of this tap: its streams', and those its state already carried.
        entry = bookmarks.get(STATE_BOOKMARK)
        carried = entry.get("platforms") if isinstance(entry, dict) else None
        platforms = {
            route[0].platform
            for route in self._routes.values()
            if route is not None and route != _UNRECOGNISED
        }
        platforms |= set(carried) if isinstance(carried, dict) else set()
        bookmarks[STATE_BOOKMARK] = self.entity_cache.document(platforms)
        return {**value, "bookmarks": bookmarks}

    def _release_known(self) -> Iterator[UnifiedRecord]:
        waiting = []
        for held in self._held:
            if campaign := self._campaign_of(held):
                if message := self._row_message(held, campaign):
                    yield message
            else:
                waiting.append(held)
        self._held = waiting

    def _campaign_of(self, report: _ReportRow) -> CampaignFacts | None:
        return self.entity_cache.campaign(
            report.adapter.platform, report.facts.account.account_id, report.facts.campaign_id
        )

    def _campaign_message(
        self, platform: str, facts: CampaignFacts, record: dict, message_dict: dict
    ) -> UnifiedRecord:
        account = self.entity_cache.account(platform, facts.account_id)
        currency = (account and account.currency) or record.get("account_currency")
        extracted, extracted_text = _extracted_at(message_dict.get("time_extracted"))
        row = {
            "platform": platform,
            "account_id": facts.account_id,
            "campaign_id": facts.campaign_id,
            "campaign_name": facts.name,
            "status": facts.status.value,
            "native_status": facts.native_status,
            "objective": facts.objective.value,
            "native_objective": facts.native_objective,
            "budget": facts.budget,
            "budget_period": facts.budget_period,
            "currency": currency.upper() if isinstance(currency, str) else None,
            "extracted_at": extracted_text,
        }
        return UnifiedRecord(CAMPAIGNS, row, extracted)

    def _row_message(
        self, report: _ReportRow, campaign: CampaignFacts | None
    ) -> UnifiedRecord | None:
        """The report row's output row, checked and counted; breakdown rows are collected
        and written summed at the end, account-level rows only checked (None for both).
        `campaign` is the row's campaign from the entity cache."""
        platform, facts, role = report.adapter.platform, report.facts, report.role
        scope = (platform, facts.account.account_id)
        row = self.rows.build(
            role,
            platform,
            facts,
            campaign,
            self.entity_cache.account(platform, facts.account.account_id),
            report.extracted_text,
        )
        if role is Role.ACCOUNT_PERFORMANCE:
            self.summary.count(scope, "records_reference")
            self.quality.row(role, platform, row, report.extracted_at)
            return None
        if role is Role.BREAKDOWN_PERFORMANCE:
            if not self.breakdowns.add(platform, row):
                self.summary.count(scope, "records_merged")
            return None
        if role is Role.HOURLY_CAMPAIGN_PERFORMANCE:
            assert self.reporting_days is not None and facts.hour_start is not None
            if not self.reporting_days.add(row, facts.hour_start):
                self.summary.count(scope, "records_merged")
            return None
        self.summary.count(scope, "rows_out")
        self.quality.row(role, platform, row, report.extracted_at)
        if role in CAMPAIGN_ROLES:
            self.summary.add_row(platform, row, facts.day, report.extracted_at)
        return UnifiedRecord(PERFORMANCE_OUTPUTS[role].stream, row, report.extracted_at)

    @property
    def _rebucketing(self) -> bool:
        return bool(self.reporting_days and self.reporting_days.pending)

    def _write_reporting_days(self) -> None:
        if self.reporting_days is None:
            return
        stream = PERFORMANCE_OUTPUTS[Role.HOURLY_CAMPAIGN_PERFORMANCE].stream
        for row in self.reporting_days.drain():
            self.summary.count((row["platform"], row["account_id"]), "rows_out")
            extracted = datetime.fromisoformat(row["extracted_at"])
            self.write_message(UnifiedRecord(stream, row, extracted))

    def _write_breakdowns(self) -> None:
        stream = PERFORMANCE_OUTPUTS[Role.BREAKDOWN_PERFORMANCE].stream
        for row in self.breakdowns.drain():
            platform = row["platform"]
            self.summary.count((platform, row["account_id"]), "rows_out")
            extracted = datetime.fromisoformat(row["extracted_at"])
            self.quality.row(Role.BREAKDOWN_PERFORMANCE, platform, row, extracted)
            self.write_message(UnifiedRecord(stream, row, extracted))


def _extracted_at(time_extracted: str | None) -> tuple[datetime, str]:
    """The RECORD's `time_extracted` in UTC, or now when the tap did not stamp it, and its
    `isoformat()`."""
    if not time_extracted:
        stamp = datetime.now(UTC)
        return stamp, stamp.isoformat()
    stamp = datetime.fromisoformat(time_extracted)
    if stamp.tzinfo is not UTC:
        stamp = (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).astimezone(UTC)
    elif _SDK_STAMP.fullmatch(time_extracted) and stamp.microsecond:
        # The SDK's form (microseconds, "Z"): the same digits as isoformat() writes,
        # without its cost on every row.
        return stamp, time_extracted[:26] + "+00:00"
    return stamp, stamp.isoformat()


#: `time_extracted` as the SDK writes it: 2026-12-01T11:41:17.311496Z.
_SDK_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
