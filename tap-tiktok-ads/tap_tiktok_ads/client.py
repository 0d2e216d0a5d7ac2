"""Requests and responses of the TikTok Marketing API v1.3: URLs, the Access-Token header,
JSON-in-query parameters, the `code` envelope and page-number pagination."""

from __future__ import annotations

import decimal
import itertools
import json
import typing as t
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlparse

import requests
from ads_kit.accounts import PerAccountStream
from ads_kit.errors import InvalidRequestError, RetryableError
from ads_kit.prefetch import prefetched
from ads_kit.stream import AdsRESTStream
from singer_sdk.pagination import PageNumberPaginator

from tap_tiktok_ads.errors import PARTIAL_SUCCESS, classify

DEFAULT_API_URL = "https://business-api.tiktok.com"
DEFAULT_API_VERSION = "v1.3"
MAX_PAGE_SIZE = 1000


def body_of(response: requests.Response) -> dict:
    """The parsed JSON body, parsed once per response (Decimal for every float)."""
    cached = getattr(response, "_tiktok_body", None)
    if cached is None:
        cached = response.json(parse_float=decimal.Decimal)
        response._tiktok_body = cached  # type: ignore[attr-defined]
    return cached


def json_in_query(params: dict[str, t.Any]) -> dict[str, t.Any]:
    """TikTok's read calls take lists and objects as JSON strings inside the query string."""
    return {
        key: json.dumps(value) if isinstance(value, list | dict) else value
        for key, value in params.items()
    }


def advertiser_of(request: requests.PreparedRequest | None) -> str | None:
    """The advertiser a request was about, from its query string or JSON body."""
    if request is None:
        return None
    query = parse_qs(urlparse(request.url or "").query)
    if "advertiser_id" in query:
        return query["advertiser_id"][0]
    if request.body:
        try:
            return str(json.loads(request.body).get("advertiser_id"))
        except (ValueError, AttributeError):
            return None
    return None


def read_ahead(first: dict, page: Callable[[int], dict], ahead: int) -> Iterator[dict]:
    """The bodies of a paged answer: `first` (page 1's), then pages 2 to its
    `data.page_info.total_page`, fetched with `page(number)` up to `ahead` at a time while
    the earlier ones are read."""
    info = (first.get("data") or {}).get("page_info") or {}
    rest = prefetched(page, range(2, int(info.get("total_page", 1)) + 1), ahead=ahead)
    return itertools.chain([first], rest)


class TikTokPaginator(PageNumberPaginator):
    """Pages 1..total_page from `data.page_info`; no cursors on TikTok."""

    def has_more(self, response: requests.Response) -> bool:
        info = (body_of(response).get("data") or {}).get("page_info") or {}
        return int(info.get("page", 1)) < int(info.get("total_page", 1))


class TikTokStream(AdsRESTStream):
    """Base of every TikTok stream."""

    page_size = MAX_PAGE_SIZE

    @property
    def url_base(self) -> str:
        base = self.config.get("api_url") or DEFAULT_API_URL
        return f"{base.rstrip('/')}/open_api/{self._tap.api_version}"

    @property
    def http_headers(self) -> dict:
        return {
            "Access-Token": self.config["access_token"],
            "User-Agent": "tap-tiktok-ads",
        }

    def call(
        self,
        path: str,
        context: t.Any,
        *,
        params: dict[str, t.Any] | None = None,
        body: dict[str, t.Any] | None = None,
    ) -> requests.Response:
        """One request outside the stream's own listing (a lookup, a report task), through the
        same call guard and error checks. POST when `body` is given."""
        request = self.requests_session.prepare_request(
            requests.Request(
                "POST" if body is not None else "GET",
                f"{self.url_base}{path}",
                params=json_in_query(params or {}),
                json=body,
                headers=self.http_headers,
            )
        )
        return self.request_decorator(self._request)(request, context)

    @property
    def include_deleted(self) -> bool:
        """`include_deleted`, on unless turned off: deleted objects' spend is real."""
        return bool(self.config["include_deleted"])

    def get_new_paginator(self) -> TikTokPaginator:
        return TikTokPaginator(start_value=1)

    def query(self, context: t.Any) -> dict[str, t.Any]:
        """The endpoint's parameters besides paging; lists and objects are JSON-encoded."""
        return {}

    def get_url_params(self, context: t.Any, next_page_token: int | None) -> dict[str, t.Any]:
        params = json_in_query(self.query(context))
        params["page"] = next_page_token or 1
        params["page_size"] = self.page_size
        return params

    def validate_response(self, response: requests.Response) -> None:
        if response.status_code == 404:
            raise InvalidRequestError(
                f"HTTP 404 for {urlparse(response.url).path}: the path does not exist. Check "
                "`api_url` (the host only, e.g. https://business-api.tiktok.com) and "
                "`api_version`."
            )
        if response.status_code == 429 or response.status_code >= 500:
            raise RetryableError(f"HTTP {response.status_code} from TikTok", response)
        if response.status_code >= 400:
            raise InvalidRequestError(
                f"HTTP {response.status_code} for {urlparse(response.url).path}"
            )
        if response.headers.get("Content-Type", "").startswith("text/csv"):
            return  # a report task's download: the CSV itself, no envelope
        try:
            body = body_of(response)
        except ValueError as exc:
            raise RetryableError(f"TikTok sent a body that is not JSON: {exc}") from exc
        code, message = int(body.get("code", -1)), str(body.get("message", ""))
        error = classify(code, message, advertiser_of(response.request), self._tap.throttle)
        if error is not None:
            raise error
        if code == PARTIAL_SUCCESS:
            self.logger.warning("%s: TikTok reports a partial success: %s", self.name, message)

    def parse_response(self, response: requests.Response) -> t.Iterable[dict]:
        yield from (body_of(response).get("data") or {}).get("list") or []


class PerAdvertiserStream(PerAccountStream, TikTokStream):
    """A stream read per advertiser; the context comes from the `advertisers` stream."""

    def query(self, context: t.Any) -> dict[str, t.Any]:
        return {"advertiser_id": context["account_id"]}
