"""The `/_sandbox/` control endpoints (not part of any platform's API)."""

from __future__ import annotations

import orjson
from aiohttp import web

from ads_sandbox.faults import FaultSpecError, validate_faults
from ads_sandbox.state import SandboxState


def _json(data: object, status: int = 200) -> web.Response:
    return web.Response(body=orjson.dumps(data), status=status, content_type="application/json")


def add_control_routes(app: web.Application, state: SandboxState) -> None:
    async def advance(request: web.Request) -> web.Response:
        return _json({"revision": state.world.advance()})

    async def set_faults(request: web.Request) -> web.Response:
        try:
            body = orjson.loads(await request.read() or b"{}")
            if not isinstance(body, dict):
                raise FaultSpecError("body must be a JSON object of fault name -> rate")
            rates = validate_faults(body)
        except (orjson.JSONDecodeError, FaultSpecError) as exc:
            return _json({"error": str(exc)}, status=400)
        state.faults.set_rates(rates)
        return _json({"faults": state.faults.rates})

    async def stats(request: web.Request) -> web.Response:
        return _json(state.stats())

    async def reset_stats(request: web.Request) -> web.Response:
        state.reset_stats()
        return _json(state.stats())

    async def set_access(request: web.Request) -> web.Response:
        try:
            body = orjson.loads(await request.read() or b"{}")
        except orjson.JSONDecodeError:
            body = None
        denied = body.get("deny_reporting") if isinstance(body, dict) else None
        if not isinstance(denied, list) or not all(isinstance(i, str) for i in denied):
            return _json({"error": 'body must be {"deny_reporting": [account ids]}'}, status=400)
        state.reporting_denied = set(denied)
        return _json({"deny_reporting": sorted(state.reporting_denied)})

    app.router.add_post("/_sandbox/access", set_access)
    app.router.add_post("/_sandbox/advance", advance)
    app.router.add_post("/_sandbox/faults", set_faults)
    app.router.add_get("/_sandbox/stats", stats)
    app.router.add_post("/_sandbox/reset-stats", reset_stats)
