"""Starting and stopping the emulators of one `serve` process."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from dataclasses import dataclass, field
from datetime import date
from typing import TextIO

import orjson
from aiohttp import web

from ads_sandbox.control import add_control_routes
from ads_sandbox.faults import FaultInjector
from ads_sandbox.google_ads.server import GoogleAdsSettings, RunningGoogleAds, start_google_ads
from ads_sandbox.meta.app import MetaEmulator, MetaSettings
from ads_sandbox.oauth.app import build_app as build_oauth_app
from ads_sandbox.oauth.google import TESTING_APP_REFRESH_SECONDS
from ads_sandbox.oauth.grants import OAuthState
from ads_sandbox.state import SandboxState
from ads_sandbox.tiktok.app import TikTokEmulator
from ads_sandbox.tiktok.context import TikTokSettings
from ads_sandbox.world import DEFAULT_SCALE, Scale, World

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServeConfig:
    seed: int = 1
    scale: Scale = field(default_factory=lambda: Scale.parse(DEFAULT_SCALE))
    end_date: date | None = None
    faults: dict[str, float] = field(default_factory=dict)
    host: str = "127.0.0.1"
    tiktok_port: int = 0
    #: Seconds an access token of the sign-in emulator lasts (Google's, Meta's short-lived).
    token_lifetime: float = 3599.0
    #: Google's consent screen in testing mode: refresh tokens expire after seven days.
    google_testing_app: bool = False
    tiktok: TikTokSettings = field(default_factory=TikTokSettings)
    meta_port: int = 0
    meta: MetaSettings = field(default_factory=MetaSettings)
    google_ads_port: int = 0
    oauth_port: int = 0
    google_ads: GoogleAdsSettings = field(default_factory=GoogleAdsSettings)


class RunningSandbox:
    def __init__(
        self,
        urls: dict[str, str],
        runners: list[web.AppRunner],
        google: RunningGoogleAds | None = None,
    ) -> None:
        self.urls = urls
        self._runners = runners
        self._google = google

    async def stop(self) -> None:
        if self._google is not None:
            await self._google.stop()
        for runner in self._runners:
            await runner.cleanup()


async def _http(app: web.Application, host: str, port: int) -> tuple[web.AppRunner, str]:
    # A short shutdown timeout: requests parked by the timeout fault must not delay stopping.
    runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound_host, bound_port = runner.addresses[0][:2]
    url_host = f"[{bound_host}]" if ":" in bound_host else bound_host
    return runner, f"http://{url_host}:{bound_port}"


async def start(config: ServeConfig) -> RunningSandbox:
    """Start every emulator; returns once each accepts connections."""
    urls: dict[str, str] = {}
    runners: list[web.AppRunner] = []
    oauth = OAuthState(
        config.token_lifetime, TESTING_APP_REFRESH_SECONDS if config.google_testing_app else None
    )
    emulators = (
        (
            "tiktok",
            config.tiktok_port,
            lambda s: TikTokEmulator(s, config.tiktok, oauth).build_app(),
        ),
        ("meta", config.meta_port, lambda s: MetaEmulator(s, config.meta, oauth).build_app()),
    )
    for platform, port, build in emulators:
        world = World(platform, config.seed, config.scale, config.end_date)
        state = SandboxState(world, FaultInjector(config.seed, config.faults))
        runner, urls[platform] = await _http(build(state), config.host, port)
        runners.append(runner)

    # Google Ads: gRPC with TLS, checking the tokens of the sign-in emulator (whose address
    # also carries the Google emulator's /_sandbox/ control routes).
    google_world = World("google_ads", config.seed, config.scale, config.end_date)
    google_state = SandboxState(google_world, FaultInjector(config.seed, config.faults))
    google = await start_google_ads(
        google_state, config.google_ads, config.host, config.google_ads_port, oauth
    )
    oauth_app = build_oauth_app(oauth, default_refresh_token=config.google_ads.refresh_token)
    add_control_routes(oauth_app, google_state)
    oauth_runner, oauth_url = await _http(oauth_app, config.host, config.oauth_port)
    runners.append(oauth_runner)
    urls.update(google_ads=google.address, oauth=oauth_url, ca_cert=str(google.ca_cert))
    return RunningSandbox(urls, runners, google)


async def serve(config: ServeConfig, out: TextIO = sys.stdout) -> None:
    """Run until SIGTERM or SIGINT, announcing the URLs as one JSON line on out."""
    running = await start(config)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    out.write(orjson.dumps(running.urls).decode() + "\n")
    out.flush()
    log.info("serving %s", running.urls)
    await stop.wait()
    log.info("stopping")
    await running.stop()
