"""Errors as the real API sends them: a gRPC status, and in the trailing metadata a
serialized `GoogleAdsFailure` under the called version's own key, plus `request-id`."""

from __future__ import annotations

from dataclasses import dataclass

import grpc

from ads_sandbox.google_ads.versions import VersionTypes

# The status each error family travels with.
_STATUS = {
    "authentication_error": grpc.StatusCode.UNAUTHENTICATED,
    "authorization_error": grpc.StatusCode.PERMISSION_DENIED,
    "quota_error": grpc.StatusCode.RESOURCE_EXHAUSTED,
    "internal_error": grpc.StatusCode.INTERNAL,
}


@dataclass(frozen=True)
class Failure(Exception):
    family: str  # the GoogleAdsError.error_code field: "query_error", "quota_error", ...
    code: str  # the enum name within it
    message: str
    trigger: str | None = None
    status: grpc.StatusCode | None = None
    retry_delay_seconds: int | None = None  # quota errors: QuotaErrorDetails.retry_delay
    rate_scope: str = "ACCOUNT"
    rate_name: str = ""

    @property
    def grpc_status(self) -> grpc.StatusCode:
        return self.status or _STATUS.get(self.family, grpc.StatusCode.INVALID_ARGUMENT)

    def trailing_metadata(self, types: VersionTypes, request_id: str) -> tuple:
        failure = types.failure()
        failure.request_id = request_id
        error = failure.errors.add()
        code_field = error.error_code.DESCRIPTOR.fields_by_name[self.family]
        setattr(
            error.error_code, self.family, code_field.enum_type.values_by_name[self.code].number
        )
        error.message = self.message
        if self.trigger is not None:
            error.trigger.string_value = self.trigger
        if self.retry_delay_seconds is not None:
            details = error.details.quota_error_details
            details.rate_scope = (
                details.DESCRIPTOR.fields_by_name["rate_scope"]
                .enum_type.values_by_name[self.rate_scope]
                .number
            )
            details.rate_name = self.rate_name
            details.retry_delay.seconds = self.retry_delay_seconds
        return ((types.failure_key, failure.SerializeToString()), ("request-id", request_id))
