"""The API versions the installed google-ads library ships, and their message classes.

Everything version-specific is looked up here by module path, so a newer library brings its
versions (and drops sunset ones) without a change in the emulator.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any

from google.ads.googleads import client as _client


def shipped_versions() -> tuple[str, ...]:
    """Newest first, as the library lists them."""
    return tuple(sorted(_client._VALID_API_VERSIONS, key=lambda v: int(v[1:]), reverse=True))


def _module(version: str, path: str) -> ModuleType:
    return importlib.import_module(f"google.ads.googleads.{version}.{path}")


def _raw(message_class: Any) -> type:
    """The protobuf class behind a proto-plus message class (what goes on the wire)."""
    return type(message_class.pb(message_class()))


@dataclass(frozen=True)
class VersionTypes:
    """Raw protobuf classes of one version (fast to build and serialize)."""

    version: str
    row: type
    search_request: type
    search_response: type
    stream_request: type
    stream_response: type
    list_customers_request: type
    list_customers_response: type
    fields_request: type
    fields_response: type
    get_field_request: type
    field: type
    failure: type

    @property
    def failure_key(self) -> str:
        """Trailing-metadata key the client reads the failure from (only this version's)."""
        return f"google.ads.googleads.{self.version}.errors.googleadsfailure-bin"

    def service_path(self, service: str, method: str) -> str:
        return f"/google.ads.googleads.{self.version}.services.{service}/{method}"


@cache
def version_types(version: str) -> VersionTypes:
    ads = _module(version, "services.types.google_ads_service")
    customers = _module(version, "services.types.customer_service")
    fields = _module(version, "services.types.google_ads_field_service")
    field = _module(version, "resources.types.google_ads_field")
    errors = _module(version, "errors.types.errors")
    return VersionTypes(
        version=version,
        row=_raw(ads.GoogleAdsRow),
        search_request=_raw(ads.SearchGoogleAdsRequest),
        search_response=_raw(ads.SearchGoogleAdsResponse),
        stream_request=_raw(ads.SearchGoogleAdsStreamRequest),
        stream_response=_raw(ads.SearchGoogleAdsStreamResponse),
        list_customers_request=_raw(customers.ListAccessibleCustomersRequest),
        list_customers_response=_raw(customers.ListAccessibleCustomersResponse),
        fields_request=_raw(fields.SearchGoogleAdsFieldsRequest),
        fields_response=_raw(fields.SearchGoogleAdsFieldsResponse),
        get_field_request=_raw(fields.GetGoogleAdsFieldRequest),
        field=_raw(field.GoogleAdsField),
        failure=_raw(errors.GoogleAdsFailure),
    )
