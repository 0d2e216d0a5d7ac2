"""Graph API error bodies: `{"error": {message, type, code, error_subcode, fbtrace_id, ...}}`."""

from __future__ import annotations

import base64
import itertools
import os
from dataclasses import dataclass, field
from typing import Any

OAUTH = "OAuthException"

# Codes Meta answers with, as the fact sheet and the SDK name them.
UNKNOWN = 1
SERVICE_UNAVAILABLE = 2
APP_LIMIT = 4
PERMISSION = 10
USER_LIMIT = 17
PAGE_LIMIT = 32
INVALID_PARAMETER = 100
INVALID_TOKEN = 190
PERMISSION_MISSING = 200
ACCOUNT_LIMIT = 613
BATCH_TIMEOUT = 960
ASYNC_REPORT = 2601
SUNSET_VERSION = 2635
BUC_INSIGHTS = 80000
BUC_CUSTOM_AUDIENCE = 80003
BUC_ADS_MANAGEMENT = 80004

REDUCE_DATA = "Please reduce the amount of data you're asking for, then retry your request"


@dataclass
class GraphError(Exception):
    """An error answer: raised anywhere in a handler, turned into the response at the edge."""

    code: int
    message: str
    status: int = 400
    subcode: int | None = None
    type: str = OAUTH
    transient: bool | None = None
    user_title: str | None = None
    user_msg: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def body(self, trace_id: str) -> dict[str, Any]:
        error: dict[str, Any] = {"message": self.message, "type": self.type, "code": self.code}
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        if self.transient is not None:
            error["is_transient"] = self.transient
        if self.user_title:
            error["error_user_title"] = self.user_title
        if self.user_msg:
            error["error_user_msg"] = self.user_msg
        error["fbtrace_id"] = trace_id
        return {"error": error}


def invalid(message: str, subcode: int | None = None) -> GraphError:
    return GraphError(INVALID_PARAMETER, message, subcode=subcode)


def nonexisting_field(name: str, node: str) -> GraphError:
    return invalid(f"(#100) Tried accessing nonexisting field ({name}) on node type ({node})")


def unsupported_get(object_id: str) -> GraphError:
    return invalid(
        f"Unsupported get request. Object with ID '{object_id}' does not exist, cannot be "
        "loaded due to missing permissions, or does not support this operation. Please read "
        "the Graph API documentation at https://developers.facebook.com/docs/graph-api",
        subcode=33,
    )


class TraceIds:
    """fbtrace_id-like ids: 11 url-safe characters, unique per process."""

    def __init__(self) -> None:
        self._prefix = os.urandom(3)
        self._counter = itertools.count(1)

    def next(self) -> str:
        raw = self._prefix + next(self._counter).to_bytes(6, "big")
        return base64.urlsafe_b64encode(raw).decode()[:11] + "A"
