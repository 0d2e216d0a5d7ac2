"""TikTok's response envelope and application errors (HTTP 200 with a non-zero code)."""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping

import orjson
from aiohttp import web

# Application error codes used by the emulator.
PARAM_ERROR = 40002
NO_PERMISSION = 40001
RATE_LIMITED = 40100
ADVERTISER_RATE_LIMITED = 40133
TOKEN_EXPIRED = 40102
TOKEN_MISSING = 40104
TOKEN_INVALID = 40105
AUTH_CODE_INVALID = 40110
APP_MISMATCH = 40113
INVALID_VERSION = 40051
TASK_ERROR = 40200
TASK_NOT_READY = 40201
ADVERTISER_NOT_FOUND = 40300
FIELD_NOT_IN_USE = 41002
SYSTEM_ERROR = 50000


class ApiError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def param_error(message: str) -> ApiError:
    return ApiError(PARAM_ERROR, message)


class RequestIds:
    """Ids shaped like TikTok's: a UTC timestamp followed by hex digits."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def next(self) -> str:
        return f"{time.strftime('%Y%m%d%H%M%S', time.gmtime())}{next(self._counter):018X}"


def api_response(
    request_id: str,
    data: object,
    code: int = 0,
    message: str = "OK",
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    body = orjson.dumps({"code": code, "message": message, "request_id": request_id, "data": data})
    response = web.Response(body=body, content_type="application/json", headers=headers)
    response.headers["X-Tt-Logid"] = request_id
    return response


def error_response(request_id: str, error: ApiError) -> web.Response:
    return api_response(request_id, {}, error.code, error.message)
