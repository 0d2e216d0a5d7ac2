"""The `transform-unified` Singer mapper: message routing, holding and state handling."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

import singer_sdk.singerlib as singer
from singer_sdk import InlineMapper
from singer_sdk.exceptions import ConfigValidationError
from singer_sdk.helpers.capabilities import CapabilitiesEnum, PluginCapabilities

from transform_unified.adapters import ADAPTER_TYPES, Adapter, route_stream
from transform_unified.adapters.base import PerformanceFacts, RecordRejected, Role
from transform_unified.campaign_performance import CampaignPerformanceRows
from transform_unified.diagnostics import Diagnostics
from transform_unified.entity_cache import EntityCache, EntityCacheError
from transform_unified.settings import CONFIG_SCHEMA, SettingError, parse_settings
from transform_unified.unified_schema import (
    CAMPAIGN_PERFORMANCE,
    CAMPAIGN_PERFORMANCE_KEYS,
    campaign_performance_schema,
)


@dataclass(frozen=True)
class _ReportRow:
    """A report record read by its adapter, waiting to become an output row."""

    adapter: Adapter
    facts: PerformanceFacts
    extracted_at: datetime


class TransformUnified(InlineMapper):
    """Ad platforms' tap streams as one cross-platform `unified_campaign_performance` stream."""

    name = "transform-unified"
    capabilities: ClassVar[list[CapabilitiesEnum]] = [
        PluginCapabilities.ABOUT,
        PluginCapabilities.STRUCTURED_LOGGING,
    ]
    config_jsonschema = CONFIG_SCHEMA

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        try:
            self.settings = parse_settings(self.config)
        except SettingError as error:
            raise ConfigValidationError(str(error), errors=[str(error)]) from error
        try:
            self.entity_cache = EntityCache.load(self.settings.entity_cache_path)
        except EntityCacheError as error:
            message = f"entity_cache_path: {error}; delete the file to rebuild it"
            raise ConfigValidationError(message, errors=[message]) from error
        self.diagnostics = Diagnostics(self.logger)
        self.adapters = {name: cls(self.diagnostics) for name, cls in ADAPTER_TYPES.items()}
        self.rows = CampaignPerformanceRows(
            self.settings.fx_rates, self.settings.estimated_days, self.diagnostics
        )
        self._routes: dict[str, tuple[Adapter, Role] | None] = {}
        self._schema_sent = False
        # Rows whose campaign was not known yet wait for the end of the input (the
        # campaigns stream may come later), and so does any STATE behind them.
        self._held: list[_ReportRow] = []
        self._held_state: dict[str, Any] | None = None

    def map_schema_message(self, message_dict: dict) -> Iterable[singer.Message]:
        stream = message_dict["stream"]
        route = route_stream(self.adapters, stream, message_dict["schema"], self.settings.platform)
        self._routes[stream] = route
        if self.settings.include_source_streams:
            yield singer.SchemaMessage(
                stream=stream,
                schema=message_dict["schema"],
                key_properties=message_dict.get("key_properties"),
                bookmark_properties=message_dict.get("bookmark_properties"),
            )
        if route is None:
            self.logger.info("Stream '%s' is not unified", stream)
        elif route[1] is Role.CAMPAIGN_PERFORMANCE and not self._schema_sent:
            self._schema_sent = True
            yield singer.SchemaMessage(
                stream=CAMPAIGN_PERFORMANCE,
                schema=campaign_performance_schema(),
                key_properties=list(CAMPAIGN_PERFORMANCE_KEYS),
            )

    def map_record_message(self, message_dict: dict) -> Iterable[singer.Message]:
        if self.settings.include_source_streams:
            yield singer.RecordMessage.from_dict(dict(message_dict))
        stream = message_dict["stream"]
        route = self._routes.get(stream)
        if route is None:
            return
        adapter, role = route
        record = message_dict["record"]
        try:
            if role is Role.ACCOUNTS:
                self.entity_cache.put_account(adapter.platform, adapter.account(record))
            elif role is Role.CAMPAIGNS:
                self.entity_cache.put_campaign(adapter.platform, adapter.campaign(record))
            else:
                row = _ReportRow(
                    adapter,
                    adapter.campaign_performance(record),
                    _extracted_at(message_dict.get("time_extracted")),
                )
                if self._campaign_known(row):
                    yield self._row_message(row)
                else:
                    self._held.append(row)
        except RecordRejected as error:
            self.diagnostics.warn_once(
                "rejected_record",
                (stream, str(error)),
                "Skipping %s records of stream '%s' with %s",
                adapter.platform,
                stream,
                error,
            )

    def map_state_message(self, message_dict: dict) -> Iterable[singer.Message]:
        """Pass STATE on unchanged, after saving the entities it covers; while rows are
        held, keep only the latest STATE until they are written."""
        if self._held:
            self._held_state = message_dict["value"]
            return []
        self.entity_cache.save()
        return [singer.StateMessage(value=message_dict["value"])]

    def map_activate_version_message(self, message_dict: dict) -> Iterable[singer.Message]:
        """Source streams' versions follow them when passed through; the unified stream is
        keyed upserts, so it never gets one."""
        if not self.settings.include_source_streams:
            return []
        return [
            singer.ActivateVersionMessage(
                stream=message_dict["stream"], version=message_dict["version"]
            )
        ]

    def process_endofpipe(self) -> None:
        """Write held rows with what is now known, save the cache, then the held STATE."""
        for held in self._held:
            self.write_message(self._row_message(held))
        self._held.clear()
        self.entity_cache.save()
        if self._held_state is not None:
            self.write_message(singer.StateMessage(value=self._held_state))
            self._held_state = None
        self.diagnostics.log_summary()

    def _campaign_known(self, report: _ReportRow) -> bool:
        return (
            self.entity_cache.campaign(
                report.adapter.platform, report.facts.account.account_id, report.facts.campaign_id
            )
            is not None
        )

    def _row_message(self, report: _ReportRow) -> singer.RecordMessage:
        platform, facts = report.adapter.platform, report.facts
        row = self.rows.build(
            platform,
            facts,
            self.entity_cache.campaign(platform, facts.account.account_id, facts.campaign_id),
            self.entity_cache.account(platform, facts.account.account_id),
            report.extracted_at,
            datetime.now(UTC),
        )
        return singer.RecordMessage(
            stream=CAMPAIGN_PERFORMANCE, record=row, time_extracted=report.extracted_at
        )


def _extracted_at(time_extracted: str | None) -> datetime:
    """The RECORD's `time_extracted` in UTC, or now when the tap did not stamp it."""
    if not time_extracted:
        return datetime.now(UTC)
    stamp = datetime.fromisoformat(time_extracted)
    return (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).astimezone(UTC)
