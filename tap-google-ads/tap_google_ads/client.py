"""The official `google-ads` client, built by the tap: credentials from the refresh token at
a configurable token URL (nothing reaches Google's hosts while a client is built), one
client per API version and login-customer-id, raw protobuf rows (`use_proto_plus=False`,
the fast path)."""

from __future__ import annotations

import os
import threading
import typing as t
from collections.abc import Iterator

from ads_kit.login.store import StoreLocation
from google.ads.googleads.client import GoogleAdsClient
from google.oauth2.credentials import Credentials

from tap_google_ads.credentials import StoreBackedCredentials

DEFAULT_API_URL = "googleads.googleapis.com"
DEFAULT_OAUTH_URL = "https://oauth2.googleapis.com"
TOKEN_PATH = "/token"  # noqa: S105 - a path, not a secret
SCOPE = "https://www.googleapis.com/auth/adwords"


def token_uri(oauth_url: str) -> str:
    """`oauth_url` is the token endpoint's base URL; a full `/token` URL is taken as is."""
    url = oauth_url.rstrip("/")
    return url if url.endswith(TOKEN_PATH) or url.endswith("/o/oauth2/token") else url + TOKEN_PATH


class Connection:
    """Clients of the configured credentials, cached per (version, login-customer-id)."""

    def __init__(self, config: t.Mapping[str, t.Any]) -> None:
        if config.get("ca_cert_path"):
            # gRPC reads its roots once, at the first secure channel: none exists yet.
            os.environ["GRPC_DEFAULT_SSL_ROOTS_FILE_PATH"] = str(config["ca_cert_path"])
        self.endpoint = config.get("api_url") or DEFAULT_API_URL
        self.developer_token = config["developer_token"]
        self.credentials = (
            StoreBackedCredentials(StoreLocation.from_setting(config["token_store"]), [SCOPE])
            if config.get("token_store")
            else Credentials(
                None,
                refresh_token=config["refresh_token"],
                client_id=config["client_id"],
                client_secret=config["client_secret"],
                token_uri=token_uri(config.get("oauth_url") or DEFAULT_OAUTH_URL),
                scopes=[SCOPE],
            )
        )
        self.timeout = float(config.get("request_timeout") or 900)
        self._clients: dict[tuple[str, str | None], GoogleAdsClient] = {}
        self._services: dict[tuple[str, str | None, str], t.Any] = {}
        self._lock = threading.Lock()

    def refresh_token(self) -> None:
        """Drop the access token: the next call refreshes it (after OAUTH_TOKEN_EXPIRED)."""
        self.credentials.token = None

    def service(self, name: str, version: str, login_customer_id: str | None) -> t.Any:
        key = (version, login_customer_id, name)
        with self._lock:
            service = self._services.get(key)
            if service is None:
                client = self._clients.get(key[:2])
                if client is None:
                    client = GoogleAdsClient(
                        credentials=self.credentials,
                        developer_token=self.developer_token,
                        login_customer_id=login_customer_id,
                        endpoint=self.endpoint,
                        use_proto_plus=False,
                        version=version,
                    )
                    self._clients[key[:2]] = client
                service = self._services[key] = client.get_service(name)
        return service

    def search_stream(
        self, version: str, customer_id: str, query: str, login_customer_id: str | None
    ) -> Iterator[t.Any]:
        """The rows of a SearchStream, message by message."""
        service = self.service("GoogleAdsService", version, login_customer_id)
        stream = service.search_stream(customer_id=customer_id, query=query, timeout=self.timeout)
        return (row for batch in stream for row in batch.results)

    def search(
        self, version: str, customer_id: str, query: str, login_customer_id: str | None
    ) -> Iterator[t.Any]:
        """The rows of a paged Search, page by page."""
        service = self.service("GoogleAdsService", version, login_customer_id)
        return iter(service.search(customer_id=customer_id, query=query, timeout=self.timeout))

    def accessible_customers(self, version: str) -> list[str]:
        service = self.service("CustomerService", version, None)
        response = service.list_accessible_customers(timeout=self.timeout)
        return [name.split("/", 1)[1] for name in response.resource_names]

    def fields(self, version: str, query: str) -> Iterator[t.Any]:
        service = self.service("GoogleAdsFieldService", version, None)
        return iter(service.search_google_ads_fields(query=query, timeout=self.timeout))
