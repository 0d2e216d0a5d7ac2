"""Starting the Google Ads gRPC server (TLS on loopback) for one `serve` process."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import grpc

from ads_sandbox.google_ads.service import GoogleAdsEmulator, GoogleAdsSettings
from ads_sandbox.google_ads.tls import make_certificate
from ads_sandbox.oauth.google import GoogleAccessTokens
from ads_sandbox.oauth.grants import OAuthState
from ads_sandbox.state import SandboxState

__all__ = ["GoogleAdsSettings", "RunningGoogleAds", "start_google_ads"]

_MAX_MESSAGE = 64 * 1024**2


@dataclass
class RunningGoogleAds:
    server: grpc.aio.Server
    address: str
    ca_cert: Path
    emulator: GoogleAdsEmulator

    async def stop(self) -> None:
        await self.server.stop(grace=0.5)


async def start_google_ads(
    state: SandboxState, settings: GoogleAdsSettings, host: str, port: int, oauth: OAuthState
) -> RunningGoogleAds:
    certificate = make_certificate()
    emulator = GoogleAdsEmulator(state, settings, GoogleAccessTokens(oauth))
    server = grpc.aio.server(
        options=[
            ("grpc.max_send_message_length", _MAX_MESSAGE),
            ("grpc.max_receive_message_length", _MAX_MESSAGE),
        ]
    )
    server.add_generic_rpc_handlers(emulator.handlers())
    credentials = grpc.ssl_server_credentials([(certificate.key_pem, certificate.chain_pem)])
    bound = server.add_secure_port(f"{host}:{port}", credentials)
    await server.start()
    return RunningGoogleAds(server, f"{host}:{bound}", certificate.ca_pem_path, emulator)
