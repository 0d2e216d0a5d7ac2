"""Settings of the TikTok emulator and the per-call context handlers receive."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

from ads_sandbox.tiktok.envelope import NO_PERMISSION, ApiError, api_response
from ads_sandbox.tiktok.params import Params
from ads_sandbox.world import Account

if TYPE_CHECKING:
    from ads_sandbox.tiktok.app import TikTokEmulator


@dataclass(frozen=True, slots=True)
class TikTokSettings:
    access_token: str = "sandbox-token"  # noqa: S105 - the sandbox's documented test token
    app_id: str = "7300000000000000001"
    qps: int = 10
    qpm: int = 600
    qpd: int = 864_000
    qpm_penalty_seconds: float = 300.0
    advertiser_qps: int = 0
    sync_ad_limit: int = 20_000
    task_seconds: float = 1.0
    fault_timeout_seconds: float = 5.0
    #: Median answer time of a full report page in ms (`--latency-ms`); 0: answer at once.
    latency_ms: float = 0.0
    seed: int = 1


class Call:
    __slots__ = ("body", "emulator", "params", "request", "request_id")

    def __init__(
        self,
        emulator: TikTokEmulator,
        request: web.Request,
        body: bytes,
        params: Params,
        request_id: str,
    ) -> None:
        self.emulator = emulator
        self.request = request
        self.body = body
        self.params = params
        self.request_id = request_id

    def advertiser(self) -> Account:
        advertiser_id = self.params.string("advertiser_id", required=True)
        account = self.emulator.state.world.account(advertiser_id)
        if account is None:
            raise ApiError(
                NO_PERMISSION,
                f"Advertiser {advertiser_id} has not granted you permission for this resource.",
            )
        return account

    def ok(self, data: object, headers: Mapping[str, str] | None = None) -> web.Response:
        return api_response(self.request_id, data, headers=headers)
